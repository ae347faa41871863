package dataset

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/llama3"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// withLlama3 makes validation find tok (nil: not installed) or err for the test's duration.
func withLlama3(t testing.TB, tok *llama3.Tokenizer, err error) {
	t.Helper()
	old := findLlama3
	findLlama3 = func() (*llama3.Tokenizer, error) { return tok, err }
	t.Cleanup(func() { findLlama3 = old })
}

var (
	llamaOnce sync.Once
	llamaTok  *llama3.Tokenizer
	llamaErr  error
)

// realLlama3 is Meta's tokenizer from the tool cache (the test skips without it, or fails
// under make test).
func realLlama3(t testing.TB) *llama3.Tokenizer {
	t.Helper()
	path := testenv.Llama3Tokenizer(t)
	llamaOnce.Do(func() { llamaTok, llamaErr = llama3.Load(path) })
	if llamaErr != nil {
		t.Fatal(llamaErr)
	}
	return llamaTok
}

// as repeats " a", one Llama 3 token each (id 264).
func as(n int) string { return strings.Repeat(" a", n) }

func conv(system string, turns ...string) Record {
	rec := chat(system, turns...)
	rec.Format = FormatBedrockConversation
	return rec
}

// TestLlama3ExactTokens: with Llama 3's tokenizer, a record's tokens are its text's tokens
// plus Meta's chat format (1 + 5 a turn, 5 for a system prompt), on both sides of each limit.
// Every record here is far under the limits at 6 characters a token (and at 3), so the
// estimates found nothing wrong with them.
func TestLlama3ExactTokens(t *testing.T) {
	tok := realLlama3(t)
	if tok.Count(as(100)) != 100 || tok.Count(strings.Repeat(" information", 100)) != 100 {
		t.Fatalf(`" a" or " information" is not one token: %d, %d`, tok.Count(as(100)), tok.Count(strings.Repeat(" information", 100)))
	}
	withLlama3(t, tok, nil)
	const how = " (counted with Llama 3's tokenizer, chat format included)"
	cases := []struct {
		name  string
		model string
		f     Format
		rec   Record
		want  []Problem
	}{
		// 1 + (4 + 8,000 + 1) + (4 + 7,989 + 1) = 16,000.
		{"llama 3.2 at 16,000", "meta.llama3-2-1b-instruct-v1:0", FormatBedrockConversation, conv("", as(8000), as(7989)), nil},
		{"llama 3.2 at 16,001", "meta.llama3-2-1b-instruct-v1:0", FormatBedrockConversation, conv("", as(8000), as(7990)),
			[]Problem{{1, "", "record has 16,001 tokens" + how + "; Llama 3.2 1B Instruct allows 16,000 a record"}}},
		// A system prompt of 10 adds 15; four turns add 20.
		{"llama 3.3 system and 4 turns at 16,000", "meta.llama3-3-70b-instruct-v1:0", FormatBedrockConversation, conv(as(10), as(4000), as(4000), as(4000), as(3964)), nil},
		{"llama 3.3 system and 4 turns at 16,001", "meta.llama3-3-70b-instruct-v1:0", FormatBedrockConversation, conv(as(10), as(4000), as(4000), as(4000), as(3965)),
			[]Problem{{1, "", "record has 16,001 tokens" + how + "; Llama 3.3 70B Instruct allows 16,000 a record"}}},
		{"llama 3.2 90B at 10,001", "meta.llama3-2-90b-instruct-v1:0", FormatBedrockConversation, conv("", as(5000), as(4990)),
			[]Problem{{1, "", "record has 10,001 tokens" + how + "; Llama 3.2 90B Instruct allows 10,000 a record"}}},
		// Llama 3.1: input is 1 + (4 + prompt + 1) + 4; output is completion + 1.
		{"llama 3.1 input 15,999, record 16,000", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, pc(as(15989), ""), nil},
		{"llama 3.1 input at 16,001", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, pc(as(15991), ""),
			[]Problem{
				{1, "prompt", "input has 16,001 tokens" + how + "; Llama 3.1 8B Instruct allows 16,000"},
				{1, "", "record has 16,002 tokens" + how + "; Llama 3.1 8B Instruct allows 16,000 a record"},
			}},
		{"llama 3.1 output at 16,001", "meta.llama3-1-70b-instruct-v1:0", FormatPromptCompletion, pc("", as(16000)),
			[]Problem{
				{1, "completion", "output has 16,001 tokens" + how + "; Llama 3.1 70B Instruct allows 16,000"},
				{1, "", "record has 16,011 tokens" + how + "; Llama 3.1 70B Instruct allows 16,000 a record"},
			}},
		{"llama 3.1 combined at 16,001", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, pc(as(8000), as(7990)),
			[]Problem{{1, "", "record has 16,001 tokens" + how + "; Llama 3.1 8B Instruct allows 16,000 a record"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := jsonl(t, c.f, 1, func(int) Record { return c.rec })
			rep := validate(t, in, Options{BaseModel: c.model, Purpose: PurposeValidation})
			var got []Problem
			for _, p := range rep.Errors {
				if strings.Contains(p.Message, "tokens") {
					got = append(got, p)
				}
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, w := range rep.Warnings {
				if strings.Contains(w.Message, "token") {
					t.Errorf("warning %q: an exact count leaves no doubt to warn about", w.Message)
				}
			}
		})
	}

	// The statistics take the exact count of a record that was counted, the estimate of one
	// that was not (" a a" is 1 at 6 characters a token, "Hi there" 2).
	in := jsonl(t, FormatBedrockConversation, 2, func(i int) Record {
		if i == 0 {
			return conv("", as(8000), as(7990))
		}
		return conv("", as(2), "Hi there")
	})
	rep := validate(t, in, Options{BaseModel: "meta.llama3-2-1b-instruct-v1:0", Purpose: PurposeValidation})
	if want := []LongRecord{{1, 16001}, {2, 3}}; !cmp.Equal(rep.Stats.Longest, want) {
		t.Errorf("longest %v, want %v", rep.Stats.Longest, want)
	}
}

// TestLlama3ExactUnderTheEstimate: 100,800 characters of " information" are 16,800 tokens at 6
// characters a token (an error from the estimate) but 8,400 for Llama 3, far under 16,000.
func TestLlama3ExactUnderTheEstimate(t *testing.T) {
	tok := realLlama3(t)
	long := strings.Repeat(" information", 8400)
	in := jsonl(t, FormatPromptCompletion, 1, func(int) Record { return pc("Hi", long) })
	opts := Options{BaseModel: "meta.llama3-1-8b-instruct-v1:0", Purpose: PurposeValidation}

	withLlama3(t, nil, nil)
	if rep := validate(t, in, opts); !hasProblem(rep.Errors, 1, "completion", "output has 16,800 tokens (estimated at 6 characters a token: Llama 3's tokenizer is not installed)") {
		t.Fatalf("estimated: %v", rep.Errors)
	}
	withLlama3(t, tok, nil)
	if rep := validate(t, in, opts); !rep.Valid || rep.WarningCount != 0 {
		t.Fatalf("exact: errors %v, warnings %v", rep.Errors, rep.Warnings)
	}
}

// TestLlama3Fallback: without the tokenizer (or with a file that is not Llama 3's), Llama 3
// records are estimated as before, and each message says why.
func TestLlama3Fallback(t *testing.T) {
	opts := Options{BaseModel: "meta.llama3-2-3b-instruct-v1:0", Purpose: PurposeValidation}
	over := jsonl(t, FormatBedrockConversation, 1, func(int) Record { return conv("", tokens(8001), tokens(8000)) })
	maybe := jsonl(t, FormatBedrockConversation, 1, func(int) Record { return conv("", tokens(5000), tokens(5000)) })

	withLlama3(t, nil, nil)
	rep := validate(t, over, opts)
	want := []Problem{{1, "", "record has 16,001 tokens (estimated at 6 characters a token: Llama 3's tokenizer is not installed); Llama 3.2 3B Instruct allows 16,000 a record"}}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	rep = validate(t, maybe, opts)
	want = []Problem{{1, "", "record may be over the limit: 10,000 tokens at 6 characters a token, 20,000 at 3 (as AWS's validator counts); Llama 3.2 3B Instruct allows 16,000 a record; Llama 3's tokenizer is not installed"}}
	if diff := cmp.Diff(want, rep.Warnings); diff != "" || !rep.Valid {
		t.Errorf("valid %v (-want +got):\n%s", rep.Valid, diff)
	}

	withLlama3(t, nil, errors.New("tokenizer.model: SHA-256 00 is not that of Llama 3's tokenizer.model"))
	rep = validate(t, over, opts)
	if !hasProblem(rep.Errors, 1, "", "(estimated at 6 characters a token: Llama 3's tokenizer could not be read: tokenizer.model: SHA-256 00") {
		t.Errorf("errors %v", rep.Errors)
	}

	// Other models' messages do not mention Llama, and a tokenizer given by the caller wins.
	withLlama3(t, nil, nil)
	rep = validate(t, jsonl(t, FormatClaudeMessages, 1, func(int) Record { return chat(tokens(1), tokens(16000), tokens(16000)) }),
		Options{BaseModel: "anthropic.claude-3-haiku-20240307-v1:0", Purpose: PurposeValidation})
	if diff := cmp.Diff([]Problem{{1, "", "record has 32,001 tokens (estimated at 6 characters a token); Claude 3 Haiku allows 32,000 a record"}}, rep.Errors); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestLlama3BoundIsAtLeastTheCount: the byte bound that lets validation skip tokenising never
// falls under the exact count, so no record over a limit is skipped.
func TestLlama3BoundIsAtLeastTheCount(t *testing.T) {
	c := newLlamaCounter(realLlama3(t))
	texts := []string{"", "a", " a", "  \n\n", "中文字", "🐉🐉", "\u0301\u0301\u0301", "x\u00a0y", "1234567", "'s'S'ſ", "<|eot_id|>", strings.Repeat("ab ", 50)}
	for _, s := range texts {
		for _, u := range texts {
			for _, rec := range []Record{conv(s, u, s), pc(u, s), conv("", s, u, u, s)} {
				bi, bo := llamaBound(rec)
				ci, co := c.count(rec)
				if bi < ci || bo < co {
					t.Fatalf("%+v: bound %d+%d under the count %d+%d", rec, bi, bo, ci, co)
				}
			}
		}
	}
}

// TestLlama3LookedForOnlyWhenNeeded: a file of short records never loads the tokenizer; long
// ones look for it once per file.
func TestLlama3LookedForOnlyWhenNeeded(t *testing.T) {
	looks := 0
	old := findLlama3
	findLlama3 = func() (*llama3.Tokenizer, error) { looks++; return nil, nil }
	t.Cleanup(func() { findLlama3 = old })
	opts := Options{BaseModel: "meta.llama3-2-1b-instruct-v1:0", Purpose: PurposeValidation}

	validate(t, jsonl(t, FormatBedrockConversation, 50, func(i int) Record { return conv("Ada", "Hi", "Well met, traveller.") }), opts)
	if looks != 0 {
		t.Fatalf("short records looked for the tokenizer %d times", looks)
	}
	validate(t, jsonl(t, FormatBedrockConversation, 3, func(i int) Record { return conv("", as(8000), as(8000)) }), opts)
	if looks != 1 {
		t.Fatalf("three long records looked for the tokenizer %d times, want 1", looks)
	}
}
