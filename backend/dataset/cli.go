package dataset

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes of RunValidate.
const (
	ExitValid    = 0
	ExitIOError  = 1
	ExitUsage    = 2
	ExitNotValid = 3
)

const validateUsage = `usage: dataset validate FILE [--format auto|prompt-completion|claude-messages|bedrock-conversation|input-output]
                        [--base-model ID] [--batch-size N] [--purpose training|validation]
                        [--validation FILE] [--json]`

// RunValidate is the `dataset validate` command: it validates FILE and prints a report, as
// JSON with --json (the Report, or a PairReport with --validation). It returns the exit code:
// 0 valid, 3 not valid, 2 bad usage, 1 a file could not be read.
func RunValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dataset validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "auto", "record format")
	model := fs.String("base-model", "", "Bedrock base model id")
	batch := fs.Int("batch-size", 1, "batch size of the tuning job (Titan token limits depend on it)")
	purpose := fs.String("purpose", string(PurposeTraining), "training or validation")
	validation := fs.String("validation", "", "validation file of the same job")
	asJSON := fs.Bool("json", false, "print the report as JSON")

	// Flags may come before or after FILE.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			fmt.Fprintf(stderr, "dataset validate: %v\n%s\n", err, validateUsage)
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "dataset validate: want one FILE, got %d\n%s\n", len(files), validateUsage)
		return ExitUsage
	}
	f, err := ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "dataset validate: %v\n", err)
		return ExitUsage
	}
	opts := Options{Format: f, BaseModel: *model, BatchSize: *batch, Purpose: Purpose(*purpose)}

	var out any
	var valid bool
	if *validation != "" {
		pr, err := ValidatePairFiles(ctx, files[0], *validation, opts)
		if err != nil {
			return cliError(stderr, err)
		}
		out, valid = pr, pr.Valid
		if !*asJSON {
			printReport(stdout, files[0], opts, pr.Training)
			printReport(stdout, *validation, opts, *pr.Validation)
		}
	} else {
		rep, err := ValidateFile(ctx, files[0], opts)
		if err != nil {
			return cliError(stderr, err)
		}
		out, valid = rep, rep.Valid
		if !*asJSON {
			printReport(stdout, files[0], opts, rep)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "dataset validate: %v\n", err)
			return ExitIOError
		}
	}
	if !valid {
		return ExitNotValid
	}
	return ExitValid
}

func cliError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "dataset validate: %v\n", err)
	if errors.Is(err, ErrUnknownBaseModel) || errors.Is(err, ErrUnknownFormat) || errors.Is(err, ErrBatchSize) || errors.Is(err, ErrInvalidOption) {
		return ExitUsage
	}
	return ExitIOError
}

func printReport(w io.Writer, name string, opts Options, r Report) {
	verdict := "valid"
	if !r.Valid {
		verdict = "NOT VALID"
	}
	target := string(r.Format)
	if target == "" {
		target = "format unknown"
	}
	if opts.BaseModel != "" {
		if m, err := LookupBaseModel(opts.BaseModel); err == nil {
			target = m.Name + ", " + target
		}
	}
	fmt.Fprintf(w, "%s: %s (%s): %s records, %s errors, %s warnings\n", name, verdict, target,
		count(int64(r.Records)), count(int64(r.ErrorCount)), count(int64(r.WarningCount)))
	for _, p := range r.Errors {
		fmt.Fprintf(w, "  error    %s\n", p.Error())
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(w, "  warning  %s\n", p.Error())
	}
	if r.Truncated {
		fmt.Fprintf(w, "  (only the first %d errors and warnings are listed)\n", len(r.Errors))
	}
	if t := r.Stats.Tokens; r.Stats.Records > 0 {
		fmt.Fprintf(w, "  tokens a record: min %s, median %s, p95 %s, max %s, mean %.1f; total %s\n",
			count(int64(t.Min)), count(int64(t.P50)), count(int64(t.P95)), count(int64(t.Max)), t.Mean, count(t.Total))
		var longest []string
		for _, l := range r.Stats.Longest {
			longest = append(longest, fmt.Sprintf("line %d (%s)", l.Line, count(int64(l.Tokens))))
		}
		fmt.Fprintf(w, "  longest: %s\n", strings.Join(longest, ", "))
	}
}
