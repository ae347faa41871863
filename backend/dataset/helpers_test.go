package dataset

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// tokens returns a text of exactly n estimated tokens.
func tokens(n int) string { return strings.Repeat("abcdef", n) }

func pc(prompt, completion string) Record {
	return Record{Format: FormatPromptCompletion, Messages: []Message{{Role: RoleUser, Content: prompt}, {Role: RoleAssistant, Content: completion}}}
}

func chat(system string, turns ...string) Record {
	rec := Record{Format: FormatClaudeMessages, System: system}
	for i, t := range turns {
		role := RoleUser
		if i%2 == 1 {
			role = RoleAssistant
		}
		rec.Messages = append(rec.Messages, Message{Role: role, Content: t})
	}
	return rec
}

// jsonl writes records in format f, one a line; mk makes record i.
func jsonl(t testing.TB, f Format, n int, mk func(i int) Record) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		rec, _, err := Convert(mk(i), f)
		if err != nil {
			t.Fatal(err)
		}
		line, err := Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// distinct makes record i unique, with a reply long enough not to be "very short".
func distinct(i int) Record {
	return chat("You are Ada, the innkeeper.", fmt.Sprintf("Question %d?", i), fmt.Sprintf("Answer number %d, friend.", i))
}

func validate(t testing.TB, input string, opts Options) Report {
	t.Helper()
	rep, err := Validate(context.Background(), strings.NewReader(input), opts)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if rep.Valid != (rep.ErrorCount == 0) {
		t.Fatalf("valid=%v with %d errors", rep.Valid, rep.ErrorCount)
	}
	return rep
}

// hasProblem reports whether ps has a problem at line and field whose message contains text.
func hasProblem(ps []Problem, line int, field, text string) bool {
	for _, p := range ps {
		if p.Line == line && p.Field == field && strings.Contains(p.Message, text) {
			return true
		}
	}
	return false
}

func dump(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n  %d %q %s", p.Line, p.Field, p.Message)
	}
	return b.String()
}
