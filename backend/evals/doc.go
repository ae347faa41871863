// Package evals owns NPC test suites: questions for an NPC and what its answers must do
// (contains, regex, length, staying in character, lore facts, similarity to a reference
// answer, a rubric graded by a judge model), runs of a suite against several
// configurations at once, their results and history, and the gate that ties runs to a
// model version.
//
// # Storage
//
// Buckets (values are JSON with "v": 1; n is a version number written as eight digits):
//
//	eval_suites          <suiteID>                  -> SuiteSummary: the head (name, persona,
//	                                                   cases, threshold, current version)
//	eval_suite_versions  <suiteID>/<n>              -> SuiteVersion: n, author, savedAt, note, suite
//	eval_runs            <runID>                    -> Run: suite and version run, configurations
//	                                                   with pass rates, judge, status
//	eval_results         <runID>/<cfg 3>/<case 5>   -> CaseResult: the answer (and earlier turns),
//	                                                   every assertion's outcome, the judge's reasoning
//	eval_gates           <versionARN>\n<runID>      -> Attachment: a run's configuration tied to a
//	                                                   model version (the model package ARN, opaque)
//
// Suites are versioned like personas: every save that changes something appends a
// version and moves the head. Runs keep the suite version they ran.
//
// # Files
//
// Suites import and export in promptfoo's YAML (the common subset): description, tests[]
// with description, vars (message: the player's line; persona: the NPC; turns: earlier
// player lines of a multi-turn case) and assert[] of type, value and threshold, for
// contains, icontains, not-contains, not-icontains, regex, similar and llm-rubric. NPC
// Studio's own kinds use the same keys: words (min, max), in-character (value: extra
// phrases), mentions-lore and avoids-lore (value: the facts). defaultTest.vars.persona is
// the suite's persona; npcstudio: {threshold, description} holds what promptfoo has no
// key for. An unknown assertion type is refused with its line.
//
// # Judge
//
// llm-rubric asks the judge model for exactly {"pass": bool, "score": 0..1, "reason":
// "..."}; a reply that is not that is an error outcome naming why, never a pass.
package evals
