package dataset

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Run with: go test ./backend/dataset -run '^$' -fuzz FuzzValidate -fuzztime 60s -parallel 1
// Inputs that failed are kept under testdata/fuzz/<name> and replayed by every go test.

func addSeedFiles(f *testing.F, add func([]byte)) {
	for _, dir := range []string{"files", "import"} {
		paths, _ := filepath.Glob(filepath.Join(testdata, dir, "*"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				add(b)
			}
		}
	}
}

func FuzzValidate(f *testing.F) {
	addSeedFiles(f, func(b []byte) { f.Add(b, uint8(0)) })
	for i, s := range []string{
		"", "\n", "\r\n", "\xef\xbb\xbf", "{}", "[]", "null", `{"prompt":1}`, `{"messages":[{"role":"user","content":[{"text":"x"}]}]}`,
		`{"messages":[null,{"role":"assistant","content":""}]}`, `{"schemaVersion":null,"system":[{}],"messages":[{"content":[{"image":{}}]}]}`,
		"{\"prompt\":\"\xff\",\"completion\":\"\\ud800\"}", strings.Repeat("x", 5000),
	} {
		f.Add([]byte(s), uint8(i))
	}
	models := []string{"", "amazon.nova-micro-v1:0", "anthropic.claude-3-haiku-20240307-v1:0", "amazon.titan-text-lite-v1", "meta.llama3-1-8b-instruct-v1:0"}
	f.Fuzz(func(t *testing.T, data []byte, pick uint8) {
		formats := append([]Format{FormatAuto}, Formats...)
		opts := Options{
			Format:       formats[int(pick)%len(formats)],
			BaseModel:    models[int(pick/8)%len(models)],
			MaxLineBytes: 4096,
			MaxProblems:  20,
		}
		rep, err := Validate(context.Background(), bytes.NewReader(data), opts)
		if err != nil {
			t.Fatalf("Validate: %v", err)
		}
		lines := bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			lines++
		}
		switch {
		case rep.Valid != (rep.ErrorCount == 0):
			t.Fatalf("valid %v with %d errors", rep.Valid, rep.ErrorCount)
		case len(rep.Errors) > 20 || len(rep.Warnings) > 20:
			t.Fatalf("kept %d errors and %d warnings, cap 20", len(rep.Errors), len(rep.Warnings))
		case rep.ErrorCount < len(rep.Errors) || rep.WarningCount < len(rep.Warnings):
			t.Fatal("counts below the kept problems")
		case rep.Truncated != (rep.ErrorCount > len(rep.Errors) || rep.WarningCount > len(rep.Warnings)):
			t.Fatal("truncated is wrong")
		case rep.Stats.Bytes != int64(len(data)):
			t.Fatalf("counted %d bytes of %d", rep.Stats.Bytes, len(data))
		case rep.Records > lines || rep.Stats.Records > rep.Records:
			t.Fatalf("%d records, %d counted, in %d lines", rep.Records, rep.Stats.Records, lines)
		case len(data) == 0 && rep.Valid:
			t.Fatal("an empty file is valid")
		}
		for _, p := range append(rep.Errors, rep.Warnings...) {
			if p.Line < 0 || p.Line > lines || p.Message == "" {
				t.Fatalf("problem %+v in a file of %d lines", p, lines)
			}
		}
		if s := rep.Stats.Tokens; rep.Stats.Records > 0 && (s.Min > s.P50 || s.P50 > s.P95 || s.P95 > s.Max || int64(s.Max) > s.Total) {
			t.Fatalf("token stats out of order: %+v", s)
		}
	})
}

// FuzzRecordRoundTrip reads a line as imports do, converts it to every format, writes it and
// reads it back: what is written must read back as written, and validate as its format when
// the record itself was sound.
func FuzzRecordRoundTrip(f *testing.F) {
	addSeedFiles(f, func(b []byte) {
		for _, line := range bytes.Split(b, []byte("\n")) {
			f.Add(line)
		}
	})
	f.Add([]byte(`{"system":"a","messages":[{"role":"user","content":"b"},{"role":"assistant","content":"c"},{"role":"user","content":"d"},{"role":"assistant","content":"e"}]}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		rep := newProblems(0)
		docs, err := readJSONL(context.Background(), bytes.NewReader(line), FormatAuto, "fuzz", 10, rep)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			for _, to := range Formats {
				conv, _, err := Convert(d.Record, to)
				if err != nil {
					continue // no reply to train on: nothing to write
				}
				raw, err := Marshal(conv)
				if err != nil {
					t.Fatalf("Marshal(%+v): %v", conv, err)
				}
				back := newProblems(0)
				again, err := readJSONL(context.Background(), bytes.NewReader(raw), to, "fuzz", 10, back)
				if err != nil || len(again) != 1 {
					t.Fatalf("%s does not read back: %v%s", raw, err, dump(back.errors))
				}
				if diff := cmp.Diff(conv, again[0].Record); diff != "" {
					t.Fatalf("%s read back differently (-wrote +read):\n%s", raw, diff)
				}
			}
		}
	})
}

func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("prompt,completion\nhi,there\n"))
	f.Add([]byte("\xef\xbb\xbfquestion,answer,tags\n\"a\nb\",c,\"x, y\"\nd\n"))
	f.Add([]byte("prompt,completion\n\"unterminated,x\n"))
	f.Add([]byte("prompt,completion\n\xff,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep := newProblems(0)
		docs, err := readCSV(context.Background(), bytes.NewReader(data), CSVColumns{}, FormatPromptCompletion, "fuzz.csv", 1000, rep)
		if err != nil {
			return // no usable header: reported as one error
		}
		for _, d := range docs {
			if len(d.Record.Messages) != 2 || d.Record.Format != FormatPromptCompletion {
				t.Fatalf("record %+v", d.Record)
			}
		}
		for _, p := range rep.errors {
			if p.Line < 1 {
				t.Fatalf("problem without a line: %+v", p)
			}
		}
	})
}
