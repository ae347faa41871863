package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/evals"
)

func evalCmd(env *Env) *cobra.Command {
	c := &cobra.Command{
		Use:   "eval",
		Short: "Run NPC test suites against models side by side, and gate a model version on them",
		Long: `A test suite asks an NPC questions and checks the answers: contains, regex, length in
words, staying in character, lore facts, similarity to a reference answer, and a rubric
graded by a judge model. Suites are read and written in promptfoo's YAML. A run asks every
case of every configuration (--provider × --mode) at once and keeps every answer; exit
code 3 says a configuration's pass rate is under the threshold, so a studio's CI can gate
on it.`,
	}
	c.AddCommand(evalRunCmd(env), evalListCmd(env), evalImportCmd(env), evalExportCmd(env), evalRunsCmd(env), evalShowCmd(env),
		evalAttachCmd(env), evalReadinessCmd(env))
	return c
}

// evalRunResult is what `eval run` prints with --json.
type evalRunResult struct {
	Run       evals.Run          `json:"run"`
	Threshold float64            `json:"threshold"`
	Passed    bool               `json:"passed"`
	Failures  []evals.CaseResult `json:"failures"`
}

func evalRunCmd(env *Env) *cobra.Command {
	var providers, modes []string
	var model, persona, judge, judgeModel string
	var threshold float64
	var concurrency int
	c := &cobra.Command{
		Use:   "run SUITE|FILE --provider NAME [--provider NAME2 ...] [--mode M] [--persona P] [--threshold T] [--judge PROVIDER]",
		Short: "Run a suite (by name or id, or a promptfoo YAML file, imported first) against one or more configurations",
		Long: `Every case is asked of every configuration: each --provider with each --mode (base,
finetuned, rag; default base), concurrently, with the provider's rate limits respected.
--threshold (0 to 1; default the suite's own) is the pass rate every configuration needs:
under it the command exits with code 3. Rubric assertions need --judge; similarity needs the
lore embedder (npcstudio lore embedder), and without one they are reported as errors.`,
		Example: `  npcstudio eval run mira.yaml --provider local --provider bedrock-ft --threshold 0.9 --judge local
  npcstudio eval run "Mira basics" --provider local --mode base --mode rag --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(providers) == 0 {
				return usagef("name at least one --provider (npcstudio provider list)")
			}
			if threshold > 1 || (threshold < 0 && threshold != -1) {
				return usagef("--threshold: %v is not a pass rate from 0 to 1", threshold)
			}
			if len(modes) == 0 {
				modes = []string{string(chat.ModeBase)}
			}
			req := app.EvalRunRequest{Persona: persona, Concurrency: concurrency}
			if info, err := os.Stat(args[0]); err == nil && info.Mode().IsRegular() {
				req.Path = args[0]
			} else {
				req.Suite = args[0]
			}
			for _, p := range providers {
				for _, m := range modes {
					req.Configs = append(req.Configs, chat.Config{Provider: p, Model: model, Mode: chat.Mode(m)})
				}
			}
			if judge != "" {
				req.Judge = &chat.Config{Provider: judge, Model: judgeModel, Mode: chat.ModeBase}
			}
			a := env.App()
			var started app.EvalStarted
			bar := newProgressBar(env) // draws only on a terminal
			data, err := env.runOpWithProgress(cmd, func(data any) {
				if p, ok := data.(evals.Progress); ok {
					bar.show(fmt.Sprintf("%d/%d answers checked: %d passed, %d failed, %d errors", p.Done, p.Total, p.Passed, p.Failed, p.Errors))
				}
			}, func(opID string) (string, error) {
				req.OpID = opID
				s, err := a.Eval.Run(req)
				started = s
				if err == nil && !env.json {
					fmt.Fprintf(env.Stderr, "test run %s: %d cases × %d configurations\n", s.RunID, s.Cases, s.Configs)
					if s.Embedder == "" {
						fmt.Fprintln(env.Stderr, "no embedder configured: similarity assertions are reported as errors")
					}
				}
				return s.OpID, err
			})
			bar.end()
			if err != nil {
				return err
			}
			view, err := a.Eval.Results(app.EvalRunRef{RunID: started.RunID})
			if err != nil {
				return err
			}
			if r, ok := data.(evals.Run); ok {
				view.Run = r
			}
			res := evalRunResult{Run: view.Run, Threshold: view.Run.Threshold, Passed: true, Failures: []evals.CaseResult{}}
			if threshold >= 0 {
				res.Threshold = threshold
			}
			for _, c := range view.Run.Configs {
				if c.PassRate < res.Threshold {
					res.Passed = false
				}
			}
			for _, r := range view.Results {
				if !r.Pass {
					res.Failures = append(res.Failures, r)
				}
			}
			if err := env.print(res, func(w io.Writer) { printRun(w, view.Run, res.Failures, res.Threshold) }); err != nil {
				return err
			}
			if !res.Passed {
				if !env.json {
					fmt.Fprintf(env.Stderr, "npcstudio: a configuration's pass rate is under %.0f%%\n", res.Threshold*100)
				}
				return InvalidResult
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringArrayVar(&providers, "provider", nil, "provider to ask (repeat for side-by-side configurations)")
	f.StringArrayVar(&modes, "mode", nil, "base, finetuned or rag (repeat to compare modes; default base)")
	f.StringVar(&model, "model", "", "model to ask instead of each provider's own")
	f.StringVar(&persona, "persona", "", "persona for cases that name none (overrides the suite's)")
	f.Float64Var(&threshold, "threshold", -1, "pass rate (0 to 1) every configuration needs, else exit code 3 (default: the suite's)")
	f.StringVar(&judge, "judge", "", "provider whose model grades llm-rubric assertions")
	f.StringVar(&judgeModel, "judge-model", "", "the judge's model, instead of the judge provider's own")
	f.IntVar(&concurrency, "concurrency", evals.DefaultConcurrency, "most requests at once per provider (lowered while a provider throttles)")
	return c
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

func printRun(w io.Writer, run evals.Run, failures []evals.CaseResult, threshold float64) {
	fmt.Fprintf(w, "run %s of %s v%d (%s, %d cases)\n", run.ID, run.SuiteName, run.SuiteVersion, run.Status, run.Cases)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONFIGURATION\tPASS RATE\tPASSED\tFAILED\tERRORS\t")
	for _, c := range run.Configs {
		mark := ""
		if threshold > 0 && c.PassRate < threshold {
			mark = "under " + pct(threshold)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", c.Label, pct(c.PassRate), c.Passed, c.Failed, c.Errors, mark)
	}
	tw.Flush()
	for _, r := range failures {
		fmt.Fprintf(w, "\n[%s] %s · case %d %s\n", strings.ToUpper(r.Status), r.ConfigLabel, r.Case+1, r.Description)
		for _, t := range r.Turns {
			fmt.Fprintf(w, "  player: %s\n  %s: %s\n", t.Message, r.Persona, t.Answer)
		}
		fmt.Fprintf(w, "  player: %s\n", r.Message)
		if r.Error != "" {
			fmt.Fprintf(w, "  error: %s\n", r.Error)
			continue
		}
		fmt.Fprintf(w, "  %s: %s\n", r.Persona, r.Answer)
		for _, o := range r.Outcomes {
			if o.Outcome != evals.OutcomePass {
				fmt.Fprintf(w, "  %s %s: %s\n", o.Outcome, o.Type, o.Reason)
			}
		}
	}
}

func evalListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the test suites",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			out, err := env.App().Eval.List()
			if err != nil {
				return err
			}
			return env.print(out, func(w io.Writer) {
				if len(out) == 0 {
					fmt.Fprintln(w, "no test suites yet: npcstudio eval import FILE, or write one in the Tests area")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tPERSONA\tCASES\tTHRESHOLD\tVERSION")
				for _, s := range out {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\tv%d\n", s.ID, s.Name, s.Persona, s.Cases, pct(s.Threshold), s.Version)
				}
				tw.Flush()
			})
		},
	}
}

func evalImportCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Import a promptfoo YAML suite (a new version of the suite of the same name, if there is one)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			v, err := env.App().Eval.Import(app.EvalFileRequest{Path: args[0]})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) {
				fmt.Fprintf(w, "suite %s (%s) v%d: %d cases\n", v.Suite.ID, v.Suite.Name, v.N, len(v.Suite.Cases))
			})
		},
	}
}

func evalExportCmd(env *Env) *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "export SUITE --out FILE",
		Short: "Write a suite as promptfoo YAML",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out FILE is needed")
			}
			p, err := env.App().Eval.Export(app.EvalExportRequest{Suite: args[0], Path: out})
			if err != nil {
				return err
			}
			return env.print(map[string]string{"path": p}, func(w io.Writer) { fmt.Fprintf(w, "wrote %s\n", p) })
		},
	}
	c.Flags().StringVar(&out, "out", "", "the YAML file to write")
	return c
}

func evalRunsCmd(env *Env) *cobra.Command {
	var suite string
	c := &cobra.Command{
		Use:   "runs [--suite SUITE]",
		Short: "List test runs, newest first, with each configuration's pass rate",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			out, err := env.App().Eval.Runs(app.EvalSuiteRef{Suite: suite})
			if err != nil {
				return err
			}
			return env.print(out, func(w io.Writer) {
				if len(out) == 0 {
					fmt.Fprintln(w, "no test runs yet: npcstudio eval run SUITE --provider NAME")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tSUITE\tSTATUS\tCREATED\tPASS RATES")
				for _, r := range out {
					var rates []string
					for _, c := range r.Configs {
						rates = append(rates, c.Label+" "+pct(c.PassRate))
					}
					fmt.Fprintf(tw, "%s\t%s v%d\t%s\t%s\t%s\n", r.ID, r.SuiteName, r.SuiteVersion, r.Status, r.CreatedAt, strings.Join(rates, ", "))
				}
				tw.Flush()
			})
		},
	}
	c.Flags().StringVar(&suite, "suite", "", "only this suite's runs")
	return c
}

func evalShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "show RUN",
		Short: "Show a run: pass rates, then every case, failures first, with answers and judgements",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			v, err := env.App().Eval.Results(app.EvalRunRef{RunID: args[0]})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) { printRun(w, v.Run, v.Results, v.Run.Threshold) })
		},
	}
}

func evalAttachCmd(env *Env) *cobra.Command {
	var version string
	var config int
	c := &cobra.Command{
		Use:   "attach RUN --version ARN [--config N]",
		Short: "Tie a run's configuration to a model version (its model package ARN) for approval",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			at, err := env.App().Eval.Attach(app.EvalAttachRequest{VersionARN: version, RunID: args[0], Config: config})
			if err != nil {
				return err
			}
			return env.print(at, func(w io.Writer) {
				fmt.Fprintf(w, "run %s (configuration %d) attached to %s\n", at.RunID, at.Config+1, at.VersionARN)
			})
		},
	}
	c.Flags().StringVar(&version, "version", "", "the model version's model package ARN")
	c.Flags().IntVar(&config, "config", -1, "the run's configuration that is this version, from 0 (default: its only one)")
	return c
}

func evalReadinessCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "readiness ARN",
		Short: "Say whether a model version passed the suites attached to it (exit code 3 if not)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := env.App().Eval.VersionReadiness(app.EvalVersionRef{VersionARN: args[0]})
			if err != nil {
				return err
			}
			if err := env.print(r, func(w io.Writer) {
				fmt.Fprintf(w, "%s: %s\n", map[bool]string{true: "ready", false: "not ready"}[r.Ready], r.Reason)
				for _, g := range r.Suites {
					fmt.Fprintf(w, "  %s: %s (needs %s), run %s, %s\n", g.SuiteName, pct(g.PassRate), pct(g.Threshold), g.RunID, g.ConfigLabel)
				}
			}); err != nil {
				return err
			}
			if !r.Ready {
				return InvalidResult
			}
			return nil
		},
	}
}
