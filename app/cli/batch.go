package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/batch"
)

func batchCmd(env *Env) *cobra.Command {
	c := &cobra.Command{
		Use:   "batch",
		Short: "Write script lines in bulk from a scene spec, review them, and export them for the engine and the voice booth",
		Long: `A scene spec (YAML, or CSV) lists scenes, their personas and beats; a run writes every line
with stable ids (<scene>-<persona>-<beat>-<variant>), keeps each one as soon as it is written,
and resumes where it stopped. See docs/batch.md.`,
	}
	c.AddCommand(batchRunCmd(env), batchCheckCmd(env), batchStatusCmd(env), batchListCmd(env), batchLinesCmd(env),
		batchExportCmd(env), batchReviewCmd(env))
	return c
}

func formatsFlag(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(batch.Formats, f) {
			return nil, usagef("--format: %q is not a format (%s)", f, strings.Join(batch.Formats, ","))
		}
		out = append(out, f)
	}
	return out, nil
}

// batchRunResult is what `batch run` prints with --json.
type batchRunResult struct {
	Run      app.BatchStarted    `json:"run"`
	Progress batch.Progress      `json:"progress"`
	Export   *batch.ExportResult `json:"export,omitempty"`
	Failed   []batch.Line        `json:"failed,omitempty"`
}

func batchRunCmd(env *Env) *cobra.Command {
	var req app.BatchRunRequest
	var out, formats string
	var all bool
	c := &cobra.Command{
		Use:   "run SPEC [--provider NAME] [--out DIR] [--concurrency N] [--resume] [--format yarn,csv,vo,jsonl]",
		Short: "Write every line of a scene spec (and export them with --out)",
		Long: `The spec is checked first: a spec with an unknown field, a duplicate scene id or a missing
persona is refused, with its line, before anything runs. --provider is used by beats that name
no provider. Interrupt it (Ctrl-C) at any time: the lines written are kept, and
--resume finishes the run without writing any of them again. Lines the provider keeps refusing
are marked failed; --resume tries them again.`,
		Example: `  npcstudio batch run scenes.yaml --provider local --out script/ --concurrency 8
  npcstudio batch run scenes.yaml --provider local --out script/ --resume --format yarn,vo`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fs, err := formatsFlag(formats)
			if err != nil {
				return err
			}
			req.SpecPath = args[0]
			a := env.App()
			bar := newProgressBar(env)
			var started app.BatchStarted
			data, err := env.runOpWithProgress(cmd, func(data any) {
				if p, ok := data.(batch.Progress); ok {
					bar.show(barText(p))
				}
			}, func(opID string) (string, error) {
				req.OpID = opID
				s, err := a.Batch.Run(req)
				started = s
				if err == nil && !env.json {
					verb := "writing"
					if s.Resumed {
						verb = "resuming"
					}
					fmt.Fprintf(env.Stderr, "%s batch run %s (%d lines)\n", verb, s.RunID, s.Lines)
				}
				return s.OpID, err
			})
			bar.end()
			if err != nil {
				return err
			}
			res := batchRunResult{Run: started}
			res.Progress, _ = data.(batch.Progress)
			if out != "" {
				x, err := a.Batch.Export(app.BatchExportRequest{RunID: started.RunID, Dir: out, Formats: fs, All: all})
				if err != nil {
					return err
				}
				res.Export = &x
			}
			if res.Progress.Failed > 0 {
				page, err := a.Batch.Lines(app.BatchLinesRequest{RunID: started.RunID, Status: batch.LineFailed, Limit: 500})
				if err != nil {
					return err
				}
				res.Failed = page.Lines
			}
			if err := env.print(res, func(w io.Writer) {
				p := res.Progress
				fmt.Fprintf(w, "run %s: %d of %d lines written, %d failed, %d in / %d out tokens%s\n", started.RunID, p.Done, p.Total, p.Failed,
					p.InputTokens, p.OutputTokens, costText(p.CostUSD))
				for _, l := range res.Failed {
					fmt.Fprintf(w, "[FAIL] %s: %s\n", l.ID, l.Error)
				}
				if res.Export != nil {
					printExport(w, *res.Export)
				}
			}); err != nil {
				return err
			}
			if res.Progress.Failed > 0 {
				if !env.json {
					fmt.Fprintf(env.Stderr, "the failed lines are kept as failed: `npcstudio batch run %s --resume` tries them again\n", args[0])
				}
				return errReported
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&req.Provider, "provider", "", "provider for beats that name none (npcstudio provider list)")
	f.IntVar(&req.Concurrency, "concurrency", batch.DefaultConcurrency, "most lines written at once (the rate limiter lowers it while the provider throttles)")
	f.BoolVar(&req.Resume, "resume", false, "finish the newest unfinished run of this spec instead of starting one")
	f.StringVar(&out, "out", "", "export the run to this folder when it is done")
	f.StringVar(&formats, "format", "", "export formats: yarn,csv,vo,jsonl (default all)")
	f.BoolVar(&all, "all", false, "export every line, not only the accepted ones")
	return c
}

func costText(c *float64) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf(", about $%.4f", *c)
}

func printExport(w io.Writer, x batch.ExportResult) {
	which := "every line"
	if x.Reviewed {
		which = "the accepted lines"
	}
	fmt.Fprintf(w, "exported %d lines (%s):\n", x.Lines, which)
	for _, f := range x.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
}

// barText is one frame of the bar.
func barText(p batch.Progress) string {
	finished := p.Done + p.Failed
	s := fmt.Sprintf("%s %d/%d lines", gauge(int64(finished), int64(p.Total)), finished, p.Total)
	if p.Failed > 0 {
		s += fmt.Sprintf(" (%d failed)", p.Failed)
	}
	if p.LinesPerSec > 0 {
		s += fmt.Sprintf("  %.1f lines/s", p.LinesPerSec)
	}
	if p.ETASeconds >= 0 {
		s += "  ETA " + (time.Duration(p.ETASeconds) * time.Second).String()
	}
	s += fmt.Sprintf("  %d tokens", p.InputTokens+p.OutputTokens)
	s += costText(p.CostUSD)
	if p.Throttled > 0 {
		s += fmt.Sprintf("  throttled %d× (x%d)", p.Throttled, p.Concurrency)
	}
	return s
}

func batchCheckCmd(env *Env) *cobra.Command {
	var req app.BatchSpecRequest
	c := &cobra.Command{
		Use:   "check SPEC [--provider NAME]",
		Short: "Check a scene spec without writing anything",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			req.SpecPath = args[0]
			s, err := env.App().Batch.Check(req)
			if err != nil {
				return err
			}
			return env.print(s, func(w io.Writer) {
				fmt.Fprintf(w, "%s: %d scenes, %d lines, personas %s\n", s.SpecPath, s.Scenes, s.Lines, strings.Join(s.Personas, ", "))
			})
		},
	}
	c.Flags().StringVar(&req.Provider, "provider", "", "provider for beats that name none")
	return c
}

func printStatus(w io.Writer, s batch.Status) {
	fmt.Fprintf(w, "run      %s (%s)\nspec     %s\nstatus   %s\nlines    %d: %d written, %d failed, %d to write\nreview   %d accepted, %d rejected, %d flagged\ntokens   %d in / %d out%s\n",
		s.RunID, s.CreatedAt, s.SpecFile, s.Status, s.Total, s.Done, s.Failed, s.Pending, s.Accepted, s.Rejected, s.Flagged, s.InputTokens, s.OutputTokens, costText(s.CostUSD))
}

func batchStatusCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "status [RUN]",
		Short: "Show where a run stands (the newest by default)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			ref := app.BatchRef{}
			if len(args) == 1 {
				ref.RunID = args[0]
			}
			s, err := env.App().Batch.Status(ref)
			if err != nil {
				return err
			}
			return env.print(s, func(w io.Writer) { printStatus(w, s) })
		},
	}
}

func batchListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List batch runs, newest first",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			runs, err := env.App().Batch.List()
			if err != nil {
				return err
			}
			return env.print(map[string]any{"runs": runs}, func(w io.Writer) {
				if len(runs) == 0 {
					fmt.Fprintln(w, "no batch runs yet: npcstudio batch run SPEC --provider NAME --out DIR")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tSPEC\tSTATUS\tWRITTEN\tFAILED\tACCEPTED")
				for _, r := range runs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%d\t%d\n", r.RunID, r.SpecFile, r.Status, r.Done, r.Total, r.Failed, r.Accepted)
				}
				tw.Flush()
			})
		},
	}
}

func batchLinesCmd(env *Env) *cobra.Command {
	var req app.BatchLinesRequest
	c := &cobra.Command{
		Use:   "lines RUN [--scene S] [--persona P] [--status pending|done|failed] [--review accepted|rejected|none] [--flagged]",
		Short: "List a run's lines, for review",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			req.RunID = args[0]
			req.Limit = 500
			page, err := env.App().Batch.Lines(req)
			if err != nil {
				return err
			}
			return env.print(page, func(w io.Writer) {
				for _, l := range page.Lines {
					mark := l.Status
					if l.Review != "" {
						mark = l.Review
					}
					fmt.Fprintf(w, "%-9s %s\n          %s: %s\n", mark, l.ID, l.Persona, l.Text)
					for _, f := range l.Flags {
						fmt.Fprintf(w, "          ! %s: %s\n", f.Kind, f.Detail)
					}
					if l.Note != "" {
						fmt.Fprintf(w, "          note: %s\n", l.Note)
					}
					if l.Error != "" {
						fmt.Fprintf(w, "          error: %s\n", l.Error)
					}
				}
				fmt.Fprintf(w, "%d of %d lines\n", len(page.Lines), page.Total)
			})
		},
	}
	f := c.Flags()
	f.StringVar(&req.Scene, "scene", "", "only this scene")
	f.StringVar(&req.Persona, "persona", "", "only this persona")
	f.StringVar(&req.Status, "status", "", "pending, done or failed")
	f.StringVar(&req.Review, "review", "", "accepted, rejected or none")
	f.BoolVar(&req.Flagged, "flagged", false, "only lines that miss a constraint")
	return c
}

func batchExportCmd(env *Env) *cobra.Command {
	var req app.BatchExportRequest
	var formats string
	c := &cobra.Command{
		Use:   "export RUN --out DIR [--format yarn,csv,vo,jsonl] [--all]",
		Short: "Export a run: Yarn Spinner script and strings table, voice-over script, JSONL",
		Long: `Once any line of the run has been reviewed, only accepted lines are exported; --all exports
every written line.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			fs, err := formatsFlag(formats)
			if err != nil {
				return err
			}
			if req.Dir == "" {
				return usagef("--out is required: the folder to export to")
			}
			req.RunID, req.Formats = args[0], fs
			x, err := env.App().Batch.Export(req)
			if err != nil {
				return err
			}
			return env.print(x, func(w io.Writer) { printExport(w, x) })
		},
	}
	f := c.Flags()
	f.StringVar(&req.Dir, "out", "", "folder to write to")
	f.StringVar(&formats, "format", "", "formats: yarn,csv,vo,jsonl (default all)")
	f.BoolVar(&req.All, "all", false, "every written line, not only the accepted ones")
	f.StringVar(&req.Language, "language", "", "the strings table's language (default en)")
	return c
}

func batchReviewCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "review RUN accept|reject|edit|regenerate|note|reset LINEID [TEXT]",
		Short: "Accept, reject, edit, regenerate (same id, new text) or note one line",
		Example: `  npcstudio batch review b20260301T120000-1a2b3c4d accept forge_dusk-mira_saltwhistle-greet-1
  npcstudio batch review b20260301T120000-1a2b3c4d edit forge_dusk-mira_saltwhistle-greet-2 "Set it by the anvil."
  npcstudio batch review b20260301T120000-1a2b3c4d note forge_dusk-mira_saltwhistle-greet-2 "Tired, not angry."
  npcstudio batch review b20260301T120000-1a2b3c4d regenerate forge_dusk-mira_saltwhistle-price-1`,
		Args: cobra.RangeArgs(3, 4),
		RunE: func(cmd *cobra.Command, args []string) error {
			runID, action, lineID := args[0], args[1], args[2]
			text := ""
			if len(args) == 4 {
				text = args[3]
			}
			a := env.App()
			var l batch.Line
			switch action {
			case "regenerate":
				if text != "" {
					return usagef("regenerate takes no text")
				}
				data, err := env.runOp(cmd, func(opID string) (string, error) {
					return a.Batch.Regenerate(app.BatchLineRef{OpID: opID, RunID: runID, LineID: lineID})
				})
				if err != nil {
					return err
				}
				l, _ = data.(batch.Line)
			case batch.ActionEdit, batch.ActionNote:
				if len(args) != 4 {
					return usagef("%s needs the text after the line id", action)
				}
				fallthrough
			case batch.ActionAccept, batch.ActionReject, batch.ActionReset:
				var err error
				if l, err = a.Batch.Review(app.BatchReviewRequest{RunID: runID, LineID: lineID, Action: action, Text: text}); err != nil {
					return err
				}
			default:
				return usagef("%q is not a review action: accept, reject, edit, regenerate, note or reset", action)
			}
			return env.print(l, func(w io.Writer) {
				review := l.Review
				if review == "" {
					review = "not reviewed"
				}
				fmt.Fprintf(w, "%s (%s)\n%s: %s\n", l.ID, review, l.Persona, l.Text)
				for _, f := range l.Flags {
					fmt.Fprintf(w, "! %s: %s\n", f.Kind, f.Detail)
				}
				if l.Note != "" {
					fmt.Fprintf(w, "note: %s\n", l.Note)
				}
			})
		},
	}
}
