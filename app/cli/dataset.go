package cli

import (
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/store"
	"github.com/spf13/cobra"
)

func datasetCmd(env *Env) *cobra.Command {
	dc := &cobra.Command{Use: "dataset", Short: "Validate tuning files; import, curate, split and export the workspace's datasets"}
	dc.AddCommand(
		datasetValidateCmd(env),
		datasetListCmd(env),
		datasetCreateCmd(env),
		datasetImportCmd(env),
		datasetStatsCmd(env),
		datasetVersionsCmd(env),
		datasetDiffCmd(env),
		datasetCheckCmd(env),
		datasetSplitCmd(env),
		datasetExportCmd(env),
		datasetDeleteCmd(env),
	)
	return dc
}

// targetError turns a format, base model or batch size the validator does not know into a
// usage error: the command was called wrong, nothing was read.
func targetError(err error) error {
	if errors.Is(err, dataset.ErrUnknownFormat) || errors.Is(err, dataset.ErrUnknownBaseModel) ||
		errors.Is(err, dataset.ErrBatchSize) || errors.Is(err, dataset.ErrInvalidOption) {
		return &UsageError{err}
	}
	return err
}

// datasetValidateCmd checks a file without opening the workspace, so it runs in CI and while a
// window holds the workspace.
func datasetValidateCmd(env *Env) *cobra.Command {
	var format, model, purpose, validation string
	var batch int
	c := &cobra.Command{
		Use:   "validate FILE [--format auto|prompt-completion|claude-messages|bedrock-conversation|input-output] [--base-model ID] [--json]",
		Short: "Check a JSON Lines tuning file against a base model's format and limits (exit 3 when Bedrock would reject it)",
		Long: `Check a JSON Lines tuning file as Bedrock would before a customization job: every problem
with its line, field and reason, then the token statistics. The workspace is not opened.
Exit codes: 0 valid, 3 not valid, 2 bad usage, 1 the file could not be read.`,
		Example: `  npcstudio dataset validate train.jsonl --base-model anthropic.claude-3-haiku-20240307-v1:0
  npcstudio dataset validate train.jsonl --validation val.jsonl --base-model amazon.nova-lite-v1:0 --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := dataset.ParseFormat(format)
			if err != nil {
				return &UsageError{err}
			}
			opts := dataset.Options{Format: f, BaseModel: model, BatchSize: batch, Purpose: dataset.Purpose(purpose)}
			if err := opts.Check(); err != nil {
				return targetError(err)
			}
			ctx := cmd.Context()
			if validation != "" {
				pr, err := dataset.ValidatePairFiles(ctx, args[0], validation, opts)
				if err != nil {
					return targetError(err)
				}
				if err := env.print(pr, func(w io.Writer) {
					dataset.PrintReport(w, args[0], model, pr.Training)
					dataset.PrintReport(w, validation, model, *pr.Validation)
				}); err != nil {
					return err
				}
				return validity(pr.Valid)
			}
			rep, err := dataset.ValidateFile(ctx, args[0], opts)
			if err != nil {
				return targetError(err)
			}
			if err := env.print(rep, func(w io.Writer) { dataset.PrintReport(w, args[0], model, rep) }); err != nil {
				return err
			}
			return validity(rep.Valid)
		},
	}
	fl := c.Flags()
	fl.StringVar(&format, "format", "auto", "record format: auto, prompt-completion, claude-messages, bedrock-conversation or input-output")
	fl.StringVar(&model, "base-model", "", "Bedrock base model id whose limits apply (default: check the format only)")
	fl.IntVar(&batch, "batch-size", 1, "batch size of the tuning job (Titan's token limit depends on it)")
	fl.StringVar(&purpose, "purpose", string(dataset.PurposeTraining), "training or validation: which file of the job this is")
	fl.StringVar(&validation, "validation", "", "the job's validation file, checked with FILE as one job")
	return c
}

func validity(valid bool) error {
	if !valid {
		return InvalidResult
	}
	return nil
}

// findDataset resolves a dataset by id or by name (ignoring case).
func findDataset(env *Env, ref string) (dataset.Dataset, error) {
	list, err := env.App().Datasets.List()
	if err != nil {
		return dataset.Dataset{}, err
	}
	for _, d := range list {
		if d.ID == ref || strings.EqualFold(d.Name, strings.TrimSpace(ref)) {
			return d, nil
		}
	}
	return dataset.Dataset{}, fmt.Errorf("dataset %q: %w (npcstudio dataset list shows them)", ref, store.ErrNotFound)
}

func modelName(id string) string {
	if id == "" {
		return "any model"
	}
	if m, err := dataset.LookupBaseModel(id); err == nil {
		return m.Name
	}
	return id
}

func datasetListCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the workspace's datasets",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			list, err := env.App().Datasets.List()
			if err != nil {
				return err
			}
			return env.print(map[string]any{"datasets": list}, func(w io.Writer) {
				if len(list) == 0 {
					fmt.Fprintln(w, "no datasets yet (npcstudio dataset import NAME FILE makes one)")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tID\tBASE MODEL\tFORMAT\tRECORDS\tVERSION\tUPDATED")
				for _, d := range list {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\n", d.Name, d.ID, modelName(d.BaseModel), d.Format, d.Records, d.Head, d.UpdatedAt)
				}
				tw.Flush()
			})
		},
	}
}

func datasetCreateCmd(env *Env) *cobra.Command {
	var model, format string
	c := &cobra.Command{
		Use:     "create NAME [--base-model ID] [--format F]",
		Short:   "Create an empty dataset for a base model",
		Example: `  npcstudio dataset create "Ada lines" --base-model anthropic.claude-3-haiku-20240307-v1:0`,
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			d, err := env.App().Datasets.Create(dataset.CreateDatasetRequest{Name: args[0], BaseModel: model, Format: dataset.Format(format)})
			if err != nil {
				return err
			}
			return env.print(d, func(w io.Writer) {
				fmt.Fprintf(w, "created dataset %s (%s) for %s, %s records\n", d.Name, d.ID, modelName(d.BaseModel), d.Format)
			})
		},
	}
	c.Flags().StringVar(&model, "base-model", "", "Bedrock base model id (default: none, format checks only)")
	c.Flags().StringVar(&format, "format", "", "record format (default: the base model's)")
	return c
}

func datasetImportCmd(env *Env) *cobra.Command {
	var model, format, kind string
	var tags []string
	c := &cobra.Command{
		Use:   "import DATASET FILE [--kind jsonl|csv] [--tag T]...",
		Short: "Append the records of a JSON Lines or CSV file to a dataset (made if there is none by that name)",
		Long: `Append the records of a JSON Lines or CSV file to a dataset as one new version. Lines
that are not records are skipped and listed with their line and reason. When no dataset has
the name, one is created with --base-model and --format.`,
		Example: `  npcstudio dataset import "Ada lines" ada.jsonl --base-model anthropic.claude-3-haiku-20240307-v1:0
  npcstudio dataset import "Ada lines" barks.csv --tag barks`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc := env.App().Datasets
			d, err := findDataset(env, args[0])
			created := false
			if errors.Is(err, store.ErrNotFound) {
				d, err = svc.Create(dataset.CreateDatasetRequest{Name: args[0], BaseModel: model, Format: dataset.Format(format)})
				created = true
			}
			if err != nil {
				return err
			}
			out, err := env.runOp(cmd, func(opID string) (string, error) {
				return svc.Import(app.DatasetImportRequest{OpID: opID, Import: dataset.ImportRequest{
					DatasetID: d.ID, Path: args[1], Kind: kind, Tags: tags}})
			})
			if err != nil && created {
				// The dataset was made for this file; without its records it goes too.
				if derr := svc.Delete(app.DatasetRequest{ID: d.ID}); derr != nil {
					err = errors.Join(err, fmt.Errorf("remove the dataset made for the import: %w", derr))
				}
			}
			var se *shapedError
			if errors.As(err, &se) && se.s.Code == "nothing_imported" {
				// The file was read and found to hold no record: checked and found invalid.
				if perr := env.print(map[string]any{"error": se.s}, func(io.Writer) {
					fmt.Fprintf(env.Stderr, "npcstudio: %s\n", se.s.Message)
				}); perr != nil {
					return perr
				}
				return InvalidResult
			}
			if err != nil {
				return err
			}
			res := out.(dataset.ImportResult)
			return env.print(res, func(w io.Writer) {
				if created {
					fmt.Fprintf(w, "created dataset %s (%s) for %s\n", d.Name, d.ID, modelName(d.BaseModel))
				}
				fmt.Fprintf(w, "imported %s into %s (version %d, %s); skipped %s\n",
					prose.Count(res.Imported, "record"), d.Name, res.Version.Number, prose.Count(res.Version.Records, "record"), prose.Count(res.Skipped, "line"))
				for _, p := range res.Errors {
					fmt.Fprintf(w, "  skipped  %s\n", p.Error())
				}
				for _, p := range res.Warnings {
					fmt.Fprintf(w, "  note     %s\n", p.Error())
				}
			})
		},
	}
	fl := c.Flags()
	fl.StringVar(&model, "base-model", "", "base model of a dataset this import creates")
	fl.StringVar(&format, "format", "", "record format of a dataset this import creates (default: the base model's)")
	fl.StringVar(&kind, "kind", "", "jsonl or csv (default: by the file's extension)")
	fl.StringArrayVar(&tags, "tag", nil, "tag every imported record (repeatable)")
	return c
}

// validateDataset runs the window's validation operation on a dataset version.
func validateDataset(env *Env, cmd *cobra.Command, d dataset.Dataset, version, batch int, split *dataset.SplitOptions) (dataset.PairReport, error) {
	out, err := env.runOp(cmd, func(opID string) (string, error) {
		return env.App().Datasets.Validate(app.DatasetValidateRequest{OpID: opID, Validate: dataset.ValidateVersionRequest{
			DatasetID: d.ID, Version: version, BatchSize: batch, Split: split}})
	})
	if err != nil {
		return dataset.PairReport{}, targetError(err)
	}
	return out.(dataset.PairReport), nil
}

// DatasetStats is what dataset stats prints with --json.
type DatasetStats struct {
	Dataset      dataset.Dataset `json:"dataset"`
	Version      int             `json:"version"`
	Records      int             `json:"records"`
	Stats        dataset.Stats   `json:"stats"`
	Valid        bool            `json:"valid"`
	ErrorCount   int             `json:"errorCount"`
	WarningCount int             `json:"warningCount"`
}

func datasetStatsCmd(env *Env) *cobra.Command {
	var version, batch int
	c := &cobra.Command{
		Use:   "stats DATASET [--version N]",
		Short: "Show a dataset's record count, token distribution and longest records",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			pr, err := validateDataset(env, cmd, d, version, batch, nil)
			if err != nil {
				return err
			}
			r := pr.Training
			v := version
			if v == 0 {
				v = d.Head
			}
			out := DatasetStats{Dataset: d, Version: v, Records: r.Records, Stats: r.Stats, Valid: r.Valid, ErrorCount: r.ErrorCount, WarningCount: r.WarningCount}
			return env.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "%s, version %d (%s, %s): %d records, %s\n", d.Name, v, modelName(d.BaseModel), d.Format, r.Records, byteSize(r.Stats.Bytes))
				if t := r.Stats.Tokens; r.Stats.Records > 0 {
					fmt.Fprintf(w, "tokens a record: min %d, median %d, p95 %d, max %d, mean %.1f; total %d (estimated at 6 characters a token, unless counted exactly)\n",
						t.Min, t.P50, t.P95, t.Max, t.Mean, t.Total)
					var longest []string
					for _, l := range r.Stats.Longest {
						longest = append(longest, fmt.Sprintf("line %d (%d)", l.Line, l.Tokens))
					}
					fmt.Fprintf(w, "longest: %s\n", strings.Join(longest, ", "))
				}
				if r.Valid {
					fmt.Fprintf(w, "Bedrock would accept it (%s)\n", prose.Count(r.WarningCount, "warning"))
				} else {
					fmt.Fprintf(w, "Bedrock would reject it: %s, %s (npcstudio dataset check %q lists them)\n",
						prose.Count(r.ErrorCount, "error"), prose.Count(r.WarningCount, "warning"), d.Name)
				}
			})
		},
	}
	c.Flags().IntVar(&version, "version", 0, "version to describe (default: the latest)")
	c.Flags().IntVar(&batch, "batch-size", 1, "batch size of the tuning job (Titan's token limit depends on it)")
	return c
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB as JSON Lines"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB as JSON Lines"
	}
	return strconv.FormatInt(n, 10) + " bytes as JSON Lines"
}

func datasetVersionsCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "versions DATASET",
		Short: "List a dataset's versions, newest first (every change makes one)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			list, err := env.App().Datasets.Versions(app.DatasetRequest{ID: d.ID})
			if err != nil {
				return err
			}
			return env.print(map[string]any{"versions": list}, func(w io.Writer) {
				if len(list) == 0 {
					fmt.Fprintf(w, "%s has no versions yet (npcstudio dataset import %q FILE makes the first)\n", d.Name, d.Name)
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "VERSION\tSAVED\tRECORDS\tCHANGE")
				for _, v := range list {
					n := strconv.Itoa(v.Number)
					if v.Number == d.Head {
						n += " (current)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", n, v.CreatedAt, v.Records, dash(v.Message))
				}
				tw.Flush()
			})
		},
	}
}

// diffPage is how many changes dataset diff asks for at a time (the service's most).
const diffPage = 1000

func datasetDiffCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "diff DATASET V1 V2",
		Short: "Show the records added, removed and changed from one version to another",
		Long: `Show what changed from version V1 to version V2: one line for each record added, removed
or changed, with its line in each version and, for a changed record, each changed field as
before -> after. Moving a record is not a change. With --json, the diff as the window gets it.`,
		Example: `  npcstudio dataset versions "Ada lines"
  npcstudio dataset diff "Ada lines" 1 2`,
		Args: cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			from, err := versionArg(args[1], "V1")
			if err != nil {
				return err
			}
			to, err := versionArg(args[2], "V2")
			if err != nil {
				return err
			}
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			for _, v := range []struct {
				which string
				n     int
			}{{"V1", from}, {"V2", to}} {
				if v.n > d.Head {
					return usagef("%s is %d, but %s has versions 1 to %d (npcstudio dataset versions %q lists them)", v.which, v.n, d.Name, d.Head, d.Name)
				}
			}
			out, err := fullDiff(env.App().Datasets, d.ID, from, to)
			if err != nil {
				return err
			}
			return env.print(out, func(w io.Writer) { printDatasetDiff(w, d.Name, out) })
		},
	}
}

// fullDiff gathers every page of a diff into one, in the service's order.
func fullDiff(svc *app.DatasetService, id string, from, to int) (dataset.Diff, error) {
	var out dataset.Diff
	for offset := 0; ; offset += diffPage {
		page, err := svc.Diff(dataset.DiffRequest{DatasetID: id, From: from, To: to, Offset: offset, Limit: diffPage})
		if err != nil {
			return dataset.Diff{}, err
		}
		if offset == 0 {
			out = page
		} else {
			out.Changes = append(out.Changes, page.Changes...)
		}
		if len(page.Changes) < diffPage || len(out.Changes) >= page.Added+page.Removed+page.Changed {
			return out, nil
		}
	}
}

func printDatasetDiff(w io.Writer, name string, d dataset.Diff) {
	fmt.Fprintf(w, "%s: version %d -> version %d: %d changed, %d added, %d removed\n", name, d.From, d.To, d.Changed, d.Added, d.Removed)
	if len(d.Changes) == 0 {
		fmt.Fprintln(w, "no differences")
		return
	}
	for _, c := range d.Changes {
		switch c.Kind {
		case dataset.ChangeChanged:
			where := fmt.Sprintf("line %d", c.ToLine)
			if c.FromLine != c.ToLine {
				where += fmt.Sprintf(" (line %d in version %d)", c.FromLine, d.From)
			}
			var fields []string
			for _, f := range recordFieldChanges(c.Before, c.After) {
				fields = append(fields, fmt.Sprintf("%s: %s -> %s", f.Field, clipQuote(f.Before), clipQuote(f.After)))
			}
			fmt.Fprintf(w, "  changed  %s: %s\n", where, strings.Join(fields, "; "))
		case dataset.ChangeAdded:
			fmt.Fprintf(w, "  added    line %d: %s\n", c.ToLine, recordGist(c.After))
		case dataset.ChangeRemoved:
			fmt.Fprintf(w, "  removed  line %d of version %d: %s\n", c.FromLine, d.From, recordGist(c.Before))
		}
	}
}

// fieldChange is one field of a record that differs between two versions, as text.
type fieldChange struct {
	Field, Before, After string
}

// recordFieldChanges lists the fields that differ between two views of a record, named as the
// validator names them (system, messages[1].content, tags).
func recordFieldChanges(before, after *dataset.RecordView) []fieldChange {
	if before == nil || after == nil {
		return nil
	}
	b, a := before.Record, after.Record
	var out []fieldChange
	add := func(field, x, y string) {
		if x != y {
			out = append(out, fieldChange{field, x, y})
		}
	}
	add("system", b.System, a.System)
	for i := range max(len(b.Messages), len(a.Messages)) {
		switch {
		case i >= len(b.Messages):
			add(fmt.Sprintf("messages[%d]", i), "", a.Messages[i].Role+": "+a.Messages[i].Content)
		case i >= len(a.Messages):
			add(fmt.Sprintf("messages[%d]", i), b.Messages[i].Role+": "+b.Messages[i].Content, "")
		default:
			add(fmt.Sprintf("messages[%d].role", i), b.Messages[i].Role, a.Messages[i].Role)
			add(fmt.Sprintf("messages[%d].content", i), b.Messages[i].Content, a.Messages[i].Content)
		}
	}
	add("tags", strings.Join(before.Tags, ", "), strings.Join(after.Tags, ", "))
	if len(out) == 0 {
		add("format", string(b.Format), string(a.Format))
	}
	return out
}

// recordGist is a record in a few words: its last prompt and its reply.
func recordGist(v *dataset.RecordView) string {
	if v == nil {
		return ""
	}
	prompt := ""
	for _, m := range v.Record.Messages {
		if m.Role == dataset.RoleUser {
			prompt = m.Content
		}
	}
	return "prompt " + clipQuote(prompt) + ", reply " + clipQuote(v.Record.Reply())
}

// clipQuote quotes a text on one line, cut to a few dozen characters.
func clipQuote(s string) string {
	const most = 48
	if r := []rune(s); len(r) > most {
		s = string(r[:most-1]) + "…"
	}
	return strconv.Quote(s)
}

// splitFlags are the seeded split options shared by check, split and export.
type splitFlags struct {
	seed     int64
	fraction float64
	records  int
}

func (s *splitFlags) add(c *cobra.Command) {
	c.Flags().Int64Var(&s.seed, "seed", 1, "seed of the split: the same seed gives the same split on every machine")
	c.Flags().Float64Var(&s.fraction, "validation-fraction", 0, "share of records for validation, e.g. 0.1")
	c.Flags().IntVar(&s.records, "validation-records", 0, "exact number of validation records (instead of a fraction)")
}

// options returns the split asked for, or nil when neither size flag was given.
func (s *splitFlags) options(c *cobra.Command) *dataset.SplitOptions {
	if !c.Flags().Changed("validation-fraction") && !c.Flags().Changed("validation-records") {
		return nil
	}
	return &dataset.SplitOptions{Seed: s.seed, ValidationFraction: s.fraction, ValidationRecords: s.records}
}

func datasetCheckCmd(env *Env) *cobra.Command {
	var version, batch int
	var sf splitFlags
	c := &cobra.Command{
		Use:   "check DATASET [--version N] [--validation-fraction F --seed N]",
		Short: "Check a dataset as Bedrock would check its exported files (exit 3 when it would be rejected)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			pr, err := validateDataset(env, cmd, d, version, batch, sf.options(cmd))
			if err != nil {
				return err
			}
			if err := env.print(pr, func(w io.Writer) {
				if pr.Validation == nil {
					dataset.PrintReport(w, d.Name, d.BaseModel, pr.Training)
					return
				}
				dataset.PrintReport(w, d.Name+" (training)", d.BaseModel, pr.Training)
				dataset.PrintReport(w, d.Name+" (validation)", d.BaseModel, *pr.Validation)
			}); err != nil {
				return err
			}
			return validity(pr.Valid)
		},
	}
	c.Flags().IntVar(&version, "version", 0, "version to check (default: the latest)")
	c.Flags().IntVar(&batch, "batch-size", 1, "batch size of the tuning job (Titan's token limit depends on it)")
	sf.add(c)
	return c
}

func datasetSplitCmd(env *Env) *cobra.Command {
	var version int
	var sf splitFlags
	c := &cobra.Command{
		Use:     "split DATASET --validation-fraction F [--seed N]",
		Short:   "Preview a seeded train/validation split (export and check make the same one)",
		Example: `  npcstudio dataset split "Ada lines" --validation-fraction 0.1 --seed 7`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := sf.options(cmd)
			if opts == nil {
				return usagef("give --validation-fraction or --validation-records")
			}
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			res, err := env.App().Datasets.Split(dataset.SplitRequest{DatasetID: d.ID, Version: version, Split: *opts})
			if err != nil {
				return err
			}
			return env.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "%s: %d training records, %d validation records (seed %d)\n", d.Name, res.Training, res.Validation, opts.Seed)
				for _, warn := range res.Warnings {
					fmt.Fprintf(w, "  warning  %s\n", warn)
				}
			})
		},
	}
	c.Flags().IntVar(&version, "version", 0, "version to split (default: the latest)")
	sf.add(c)
	return c
}

func datasetExportCmd(env *Env) *cobra.Command {
	var version int
	var format, validation string
	var lossy bool
	var sf splitFlags
	c := &cobra.Command{
		Use:   "export DATASET FILE [--validation FILE --validation-fraction F --seed N] [--format F]",
		Short: "Write a dataset (or its train/validation split) as JSON Lines in the target format",
		Example: `  npcstudio dataset export "Ada lines" ada.jsonl
  npcstudio dataset export "Ada lines" train.jsonl --validation val.jsonl --validation-fraction 0.1 --seed 7`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			split := sf.options(cmd)
			if (split != nil) != (validation != "") {
				return usagef("a split needs both --validation FILE and --validation-fraction (or --validation-records)")
			}
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			out, err := env.runOp(cmd, func(opID string) (string, error) {
				return env.App().Datasets.Export(app.DatasetExportRequest{OpID: opID, Export: dataset.ExportRequest{
					DatasetID: d.ID, Version: version, Format: dataset.Format(format), Path: args[1],
					ValidationPath: validation, Split: split, AllowLossy: lossy}})
			})
			if err != nil {
				return err
			}
			res := out.(dataset.ExportResult)
			return env.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "wrote %d %s records to %s (%d bytes)\n", res.Training.Records, res.Format, res.Training.Path, res.Training.Bytes)
				if v := res.Validation; v != nil {
					fmt.Fprintf(w, "wrote %d validation records to %s (%d bytes)\n", v.Records, v.Path, v.Bytes)
				}
				if res.Lossy > 0 {
					fmt.Fprintf(w, "%d records lost content in conversion:\n", res.Lossy)
					for _, p := range res.Losses {
						fmt.Fprintf(w, "  %s\n", p.Error())
					}
				}
			})
		},
	}
	fl := c.Flags()
	fl.IntVar(&version, "version", 0, "version to export (default: the latest)")
	fl.StringVar(&format, "format", "", "record format to write (default: the dataset's)")
	fl.StringVar(&validation, "validation", "", "write the validation records of the split here")
	fl.BoolVar(&lossy, "allow-lossy", false, "write records whose conversion loses content (a system prompt, earlier turns)")
	sf.add(c)
	return c
}

func datasetDeleteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "delete DATASET",
		Short: "Delete a dataset with all its versions",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			d, err := findDataset(env, args[0])
			if err != nil {
				return err
			}
			if err := env.App().Datasets.Delete(app.DatasetRequest{ID: d.ID}); err != nil {
				return err
			}
			return env.print(map[string]string{"deleted": d.ID}, func(w io.Writer) { fmt.Fprintf(w, "deleted dataset %s (%s)\n", d.Name, d.ID) })
		},
	}
}

// shapedError carries an operation's shaped error to the command's exit, code and all.
type shapedError struct{ s app.AppError }

func (e *shapedError) Error() string      { return e.s.Message }
func (e *shapedError) ErrorCode() string  { return e.s.Code }
func (e *shapedError) ErrorField() string { return e.s.Field }
func (e *shapedError) ErrorLine() int     { return e.s.Line }
