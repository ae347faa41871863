package dataset

import (
	"fmt"
	"io"
	"strings"
)

// PrintReport writes a report as a writer reads it: the verdict, every problem kept with its
// line and field, and the token statistics. name is the file (or dataset) the report is about;
// baseModel, when known, names the model in the verdict.
func PrintReport(w io.Writer, name, baseModel string, r Report) {
	verdict := "valid"
	if !r.Valid {
		verdict = "NOT VALID"
	}
	target := string(r.Format)
	if target == "" {
		target = "format unknown"
	}
	if baseModel != "" {
		if m, err := LookupBaseModel(baseModel); err == nil {
			target = m.Name + ", " + target
		}
	}
	fmt.Fprintf(w, "%s: %s (%s): %s, %s, %s\n", name, verdict, target,
		counted(r.Records, "record"), counted(r.ErrorCount, "error"), counted(r.WarningCount, "warning"))
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

// counted writes "1 record", "2 records", "10,000 records".
func counted(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return count(int64(n)) + " " + word + "s"
}
