// Package batch writes script lines in bulk: scene specs (YAML or CSV) parsed and checked
// before anything runs, stable line ids, a scheduler that keeps every finished line at once
// and resumes after a crash or a cancel, review (accept, reject, edit, regenerate, notes,
// constraint flags), and exports for Yarn Spinner, the voice booth and JSONL.
//
// # Storage
//
// Buckets (values are JSON with "v": 1):
//
//	batch_runs   <runID>              -> Run: the spec as run (after --provider), its
//	                                     hash (a resume finds its run by it), status
//	                                     (pending, running, done), line count, times
//	batch_lines  <runID>/<lineID>     -> Line: scene, persona, beat, variant, order in
//	                                     the spec, status (pending, done, failed), text,
//	                                     the model's text, review, note, flags, model,
//	                                     tokens, cost, attempts, times written, error
//
// A run and all its lines are written in one transaction when the run is made. After
// that a line is written as soon as its text (or its final failure) arrives: one
// goroutine commits, and the lines that arrive while it is committing go into its next
// transaction together (group commit), so lines finishing at once share one sync
// instead of queueing for one each; the worker goes on to its next line meanwhile. A
// line counts as kept, and is reported, only once its transaction has committed. A line
// that is done is never written again except by a regenerate, so a run stopped at any
// point (cancel, crash, closed laptop) resumes with exactly the lines not yet done (a
// crash loses at most the answers not yet committed; their lines are written again). Run ids are "b<UTC yyyymmddThhmmss>-<8 hex>", so they sort by age.
//
// # Rate limits
//
// The Runner's Writer makes one request per attempt (its provider does not retry) and
// the Runner schedules attempts: a throttled request (429, Bedrock throttling, or any
// retryable error with Retry-After) halves the concurrency allowed and pauses every
// worker for the wait the server asked (else the retry policy's backoff); each success
// raises the allowance again, up to the concurrency asked for. Other retryable errors are
// retried with the policy's backoff; when the attempts run out, or on an error not worth
// retrying, the line is marked failed with the reason and the run goes on.
package batch
