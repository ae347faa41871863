package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/dataset/golden")

const testdata = "../../testdata/dataset"

func TestValidateEveryFormatValid(t *testing.T) {
	for _, f := range Formats {
		for _, auto := range []bool{false, true} {
			t.Run(string(f)+map[bool]string{false: "", true: "/auto"}[auto], func(t *testing.T) {
				in := jsonl(t, f, 3, func(i int) Record {
					if f.singleTurn() {
						return pc("Where is the lighthouse "+tokens(i+1)+"?", "North of the docks, past the gulls.")
					}
					return chat("You are Ada.", "Hello?", "Well met, traveller.", "Rooms?", "Two silver a night, "+tokens(i+1)+".")
				})
				opts := Options{Format: f}
				if auto {
					opts.Format = FormatAuto
				}
				rep := validate(t, in, opts)
				if !rep.Valid || rep.WarningCount != 0 || rep.Format != f || rep.Records != 3 {
					t.Fatalf("got valid=%v format=%s records=%d errors:%s warnings:%s", rep.Valid, rep.Format, rep.Records, dump(rep.Errors), dump(rep.Warnings))
				}
			})
		}
	}
}

func TestValidateRecordProblems(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		line   string
		errors []Problem
		warns  []Problem
	}{
		{"pc missing completion", FormatPromptCompletion, `{"prompt":"Hi there"}`,
			[]Problem{{1, "completion", "missing"}}, nil},
		{"pc completion not a string", FormatPromptCompletion, `{"prompt":"Hi there","completion":5}`,
			[]Problem{{1, "completion", "must be a string, not a number"}}, nil},
		{"pc empty prompt", FormatPromptCompletion, `{"prompt":"","completion":"Well met, traveller."}`,
			[]Problem{{1, "prompt", "is empty"}}, nil},
		{"pc extra key is a warning", FormatPromptCompletion, `{"prompt":"Hi there","completion":"Well met, traveller.","id":7}`,
			nil, []Problem{{1, "id", `unexpected key "id": prompt-completion records have only prompt, completion; Bedrock may reject or ignore it`}}},
		{"io missing output", FormatInputOutput, `{"input":"Hi there"}`,
			[]Problem{{1, "output", "missing"}}, nil},
		{"claude extra key is a warning", FormatClaudeMessages, `{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}],"id":1}`,
			nil, []Problem{{1, "id", `unexpected key "id": claude-messages records have only system, messages; Bedrock may reject or ignore it`}}},
		{"claude extra key in a turn is a warning", FormatClaudeMessages, `{"messages":[{"role":"user","content":"Hi","name":"Bo"},{"role":"assistant","content":"Well met, traveller."}]}`,
			nil, []Problem{{1, "messages[0].name", `unexpected key "name": claude-messages records have only role, content; Bedrock may reject or ignore it`}}},
		{"claude system not a string", FormatClaudeMessages, `{"system":["x"],"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`,
			[]Problem{{1, "system", "must be a string, not a list"}}, nil},
		{"claude messages missing", FormatClaudeMessages, `{"system":"x"}`,
			[]Problem{{1, "messages", "missing"}}, nil},
		{"claude no turns", FormatClaudeMessages, `{"messages":[]}`,
			[]Problem{{1, "messages", "has no turns; a record needs a user turn and the assistant's reply"}}, nil},
		{"claude turn not an object", FormatClaudeMessages, `{"messages":["Hi",{"role":"assistant","content":"Well met, traveller."}]}`,
			[]Problem{{1, "messages[0]", "a turn must be an object with role and content, not a string"}}, nil},
		{"claude role missing", FormatClaudeMessages, `{"messages":[{"content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`,
			[]Problem{{1, "messages[0].role", "missing"}}, nil},
		{"claude content blocks", FormatClaudeMessages, `{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"text":"Well met."}]}]}`,
			[]Problem{{1, "messages[1].content", "must be a string in claude-messages records (a list of content blocks is the bedrock-conversation format)"}}, nil},
		{"claude empty content is a warning", FormatClaudeMessages, `{"messages":[{"role":"user","content":""},{"role":"assistant","content":"Well met, traveller."}]}`,
			nil, []Problem{{1, "messages[0].content", "is empty; an empty turn teaches the model nothing"}}},
		{"claude system role", FormatClaudeMessages, `{"messages":[{"role":"system","content":"Be Ada"},{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`,
			[]Problem{
				{1, "messages[0].role", "role must be user or assistant; put the system prompt in the record's system field"},
				{1, "messages[1].role", "is user but turn 2 should be assistant: turns alternate user, assistant, starting with user"},
				{1, "messages[2].role", "is assistant but turn 3 should be user: turns alternate user, assistant, starting with user"},
			}, nil},
		{"claude starts with assistant", FormatClaudeMessages, `{"messages":[{"role":"assistant","content":"Welcome!"},{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`,
			[]Problem{
				{1, "messages[0].role", "is assistant but turn 1 should be user: turns alternate user, assistant, starting with user"},
				{1, "messages[1].role", "is user but turn 2 should be assistant: turns alternate user, assistant, starting with user"},
				{1, "messages[2].role", "is assistant but turn 3 should be user: turns alternate user, assistant, starting with user"},
			}, nil},
		{"claude ends with user", FormatClaudeMessages, `{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."},{"role":"user","content":"And?"}]}`,
			[]Problem{{1, "messages[2].role", "the last turn must be the assistant's reply"}}, nil},
		{"claude one turn", FormatClaudeMessages, `{"messages":[{"role":"user","content":"Hi"}]}`,
			[]Problem{{1, "messages", "has 1 turn; a record needs a user turn and the assistant's reply"}}, nil},
		{"claude unknown role", FormatClaudeMessages, `{"messages":[{"role":"user","content":"Hi"},{"role":"npc","content":"Well met, traveller."}]}`,
			[]Problem{{1, "messages[1].role", `role must be user or assistant, not "npc"`}}, nil},
		{"converse content as string", FormatBedrockConversation, `{"schemaVersion":"bedrock-conversation-2024","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			[]Problem{{1, "messages[0].content", `must be a list of content blocks like [{"text": "..."}], not a string`}}, nil},
		{"converse block without text", FormatBedrockConversation, `{"messages":[{"role":"user","content":[{}]},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			[]Problem{{1, "messages[0].content[0].text", "missing"}, {1, "messages[0].content", "has no text"}}, nil},
		{"converse empty text", FormatBedrockConversation, `{"messages":[{"role":"user","content":[{"text":""}]},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			[]Problem{{1, "messages[0].content", "has no text"}}, nil},
		{"converse no blocks", FormatBedrockConversation, `{"messages":[{"role":"user","content":[]},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			[]Problem{{1, "messages[0].content", "has no content blocks"}}, nil},
		{"converse system as string", FormatBedrockConversation, `{"schemaVersion":"bedrock-conversation-2024","system":"Be Ada","messages":[{"role":"user","content":[{"text":"Hi"}]},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			[]Problem{{1, "system", `must be a list like [{"text": "..."}], not a string`}}, nil},
		{"converse schemaVersion number", FormatBedrockConversation, `{"schemaVersion":2024,"messages":[{"role":"user","content":[{"text":"Hi"}]},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			[]Problem{{1, "schemaVersion", `must be a string such as "bedrock-conversation-2024", not a number`}}, nil},
		{"converse image is a warning", FormatBedrockConversation, `{"messages":[{"role":"user","content":[{"text":"Who is this?"},{"image":{"format":"png","source":{"s3Location":{"uri":"s3://b/a.png"}}}}]},{"role":"assistant","content":[{"text":"The harbour master."}]}]}`,
			nil, []Problem{{1, "messages[0].content[1].image", "image content is not checked by NPC Studio; Bedrock checks it when the job starts"}}},
		{"converse extra key is a warning", FormatBedrockConversation, `{"toolConfig":{},"messages":[{"role":"user","content":[{"text":"Hi"}]},{"role":"assistant","content":[{"text":"Well met, traveller."}]}]}`,
			nil, []Problem{{1, "toolConfig", `unexpected key "toolConfig": bedrock-conversation records have only schemaVersion, system, messages; Bedrock may reject or ignore it`}}},
		{"not an object", FormatAuto, `[1,2]`,
			[]Problem{{1, "", "a record must be a JSON object {...}, not a list"}}, nil},
		{"no known keys", FormatAuto, `{"question":"Hi","answer":"Well met, traveller."}`,
			[]Problem{{1, "", "not a record of any supported format: expected prompt/completion, input/output, or messages"}}, nil},
		{"other format than given", FormatPromptCompletion, `{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`,
			[]Problem{{1, "", "this line is a claude-messages record, but the file is prompt-completion"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := validate(t, c.line+"\n", Options{Format: c.format})
			if diff := cmp.Diff(nonNilProblems(c.errors), rep.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(nonNilProblems(c.warns), rep.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func nonNilProblems(p []Problem) []Problem {
	if p == nil {
		return []Problem{}
	}
	return p
}

func TestValidateBadInput(t *testing.T) {
	good := `{"prompt":"Where is the inn?","completion":"Past the fish market."}`
	good2 := `{"prompt":"Rooms?","completion":"Two silver a night, friend."}`
	cases := []struct {
		name   string
		input  string
		opts   Options
		errors []Problem
		warns  []Problem
	}{
		{"invalid JSON names the column", good + "\n" + `{"prompt":"Hi","completion":"Well met, traveller.",}` + "\n", Options{},
			[]Problem{{2, "", "invalid JSON at column 52: invalid character '}' looking for beginning of object key string"}}, nil},
		{"column counts characters not bytes", `{"prompt":"héllo wörld","completion" "x"}` + "\n", Options{},
			[]Problem{{1, "", "invalid JSON at column 38: invalid character '\"' after object key"}}, nil},
		{"truncated JSON", `{"prompt":"Hi","completion":"Well` + "\n", Options{},
			[]Problem{{1, "", "invalid JSON at column 33: unexpected end of JSON input"}}, nil},
		{"BOM at the start", "\xEF\xBB\xBF" + good + "\n" + good2 + "\n", Options{},
			[]Problem{{1, "", "the file starts with a UTF-8 byte order mark (BOM); Bedrock expects plain UTF-8 JSON Lines: save the file without a BOM (NPC Studio exports never have one)"}}, nil},
		{"BOM inside the file", good + "\n\xEF\xBB\xBF" + good2 + "\n", Options{},
			[]Problem{{2, "", "line starts with a UTF-8 byte order mark (BOM), often left by joining files; remove it"}}, nil},
		{"CRLF is a warning", good + "\r\n" + good2 + "\r\n", Options{},
			nil, []Problem{{1, "", "2 lines end with CR LF (Windows line endings); Bedrock accepts them, NPC Studio exports use LF"}}},
		{"blank lines", good + "\n\n   \n" + good2 + "\n\n", Options{},
			[]Problem{
				{2, "", "blank line; Bedrock reads every line as a record: remove it"},
				{3, "", "blank line; Bedrock reads every line as a record: remove it"},
				{5, "", "blank line; Bedrock reads every line as a record: remove it"},
			}, nil},
		{"no final newline is fine", good + "\n" + good2, Options{}, nil, nil},
		{"invalid UTF-8 names line and file offsets", good + "\n" + `{"prompt":"caf` + "\xE9" + `","completion":"Past the fish market."}` + "\n", Options{},
			[]Problem{{2, "", "invalid UTF-8 at byte 15 of the line (byte 83 of the file); save the file as UTF-8"}}, nil},
		{"line over the cap", good + "\n" + `{"prompt":"` + strings.Repeat("x", 200) + `","completion":"y"}` + "\n" + good2 + "\n", Options{MaxLineBytes: 100},
			[]Problem{{2, "", "line is longer than 100 bytes; no record can be that long"}}, nil},
		{"empty file", "", Options{},
			[]Problem{{0, "", "the file has no records"}}, nil},
		{"only blank lines", "\n\n", Options{},
			[]Problem{
				{1, "", "blank line; Bedrock reads every line as a record: remove it"},
				{2, "", "blank line; Bedrock reads every line as a record: remove it"},
				{0, "", "the file has no records"},
			}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := validate(t, c.input, c.opts)
			if diff := cmp.Diff(nonNilProblems(c.errors), rep.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(nonNilProblems(c.warns), rep.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateLineOverDefaultCap(t *testing.T) {
	long := `{"prompt":"` + strings.Repeat("x", DefaultMaxLineBytes) + `","completion":"y"}`
	in := long + "\n" + `{"prompt":"Where is the inn?","completion":"Past the fish market."}` + "\n"
	rep := validate(t, in, Options{})
	want := []Problem{{1, "", "line is longer than 10 MB; no record can be that long"}}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if rep.Records != 2 || rep.Stats.Records != 1 {
		t.Fatalf("records %d, counted %d; want 2 and 1", rep.Records, rep.Stats.Records)
	}
}

func TestValidateAutoDetectReportsOtherFormats(t *testing.T) {
	in := "not json\n" +
		`{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}` + "\n" +
		`{"prompt":"Hi","completion":"Well met, traveller."}` + "\n" +
		`{"input":"Hi","output":"Well met, traveller."}` + "\n"
	rep := validate(t, in, Options{})
	want := []Problem{
		{1, "", "invalid JSON at column 2: invalid character 'o' in literal null (expecting 'u')"},
		{3, "", "this line is a prompt-completion record, but the file is claude-messages (detected from line 2)"},
		{4, "", "this line is a input-output record, but the file is claude-messages (detected from line 2)"},
	}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if rep.Format != FormatClaudeMessages {
		t.Fatalf("format %q", rep.Format)
	}
}

func TestValidateFormatAgainstBaseModel(t *testing.T) {
	in := jsonl(t, FormatClaudeMessages, 120, distinct)
	t.Run("detected", func(t *testing.T) {
		rep := validate(t, in, Options{BaseModel: "meta.llama3-2-1b-instruct-v1:0"})
		want := []Problem{{0, "format", "the file is claude-messages (detected from line 1), but Llama 3.2 1B Instruct reads bedrock-conversation"}}
		if diff := cmp.Diff(want, rep.Errors); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
	t.Run("given", func(t *testing.T) {
		rep := validate(t, jsonl(t, FormatPromptCompletion, 120, distinct), Options{Format: FormatPromptCompletion, BaseModel: "amazon.nova-lite-v1:0"})
		want := []Problem{{0, "format", "the file is prompt-completion, but Nova Lite reads bedrock-conversation"}}
		if diff := cmp.Diff(want, rep.Errors); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
	t.Run("titan takes input-output", func(t *testing.T) {
		rep := validate(t, jsonl(t, FormatInputOutput, 5, distinct), Options{BaseModel: "amazon.titan-text-express-v1"})
		if !rep.Valid {
			t.Fatalf("errors:%s", dump(rep.Errors))
		}
	})
}

// TestValidateLimits covers every limit of PRODUCT.md's table (and Nova's from AWS), each on
// both sides of the boundary.
func TestValidateLimits(t *testing.T) {
	withLlama3(t, nil, nil) // the Llama rows are at the estimates; llama3_test.go counts exactly
	type want struct {
		line  int
		field string
		text  string // "" means the file must be valid
		// more allows other errors: an input over 16,000 tokens is also a record over 16,000.
		more bool
	}
	one := func(r Record) (int, func(int) Record) { return 1, func(int) Record { return r } }
	withRecords := func(count int) (int, func(int) Record) { return count, distinct }
	cases := []struct {
		name    string
		model   string
		format  Format
		purpose Purpose
		batch   int
		records func() (int, func(int) Record)
		want    want
	}{
		// Claude 3 Haiku: 32 to 10,000 training records, up to 1,000 validation, 32,000 tokens a record.
		{"claude 31 records", "anthropic.claude-3-haiku-20240307-v1:0", "", "", 0, func() (int, func(int) Record) { return withRecords(31) }, want{0, "", "Claude 3 Haiku needs at least 32 training records", false}},
		{"claude 32 records", "anthropic.claude-3-haiku-20240307-v1:0", "", "", 0, func() (int, func(int) Record) { return withRecords(32) }, want{}},
		{"claude 10,000 records", "anthropic.claude-3-haiku-20240307-v1:0", "", "", 0, func() (int, func(int) Record) { return withRecords(10000) }, want{}},
		{"claude 10,001 records", "anthropic.claude-3-haiku-20240307-v1:0", "", "", 0, func() (int, func(int) Record) { return withRecords(10001) }, want{0, "", "takes at most 10,000 training records", false}},
		{"claude 1,000 validation", "anthropic.claude-3-haiku-20240307-v1:0", "", PurposeValidation, 0, func() (int, func(int) Record) { return withRecords(1000) }, want{}},
		{"claude 1,001 validation", "anthropic.claude-3-haiku-20240307-v1:0", "", PurposeValidation, 0, func() (int, func(int) Record) { return withRecords(1001) }, want{0, "", "takes at most 1,000 validation records", false}},
		{"claude 32,000 tokens", "anthropic.claude-3-haiku-20240307-v1:0", "", PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(16000), tokens(16000))) }, want{}},
		{"claude 32,001 tokens", "anthropic.claude-3-haiku-20240307-v1:0", "", PurposeValidation, 0, func() (int, func(int) Record) { return one(chat(tokens(1), tokens(16000), tokens(16000))) }, want{1, "", "record has 32,001 tokens (estimated at 6 characters a token); Claude 3 Haiku allows 32,000 a record", false}},
		// Llama 3.1: input, output and combined each at most 16,000; 100 to 10,000 records.
		{"llama 3.1 99 records", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, "", 0, func() (int, func(int) Record) { return withRecords(99) }, want{0, "", "Llama 3.1 8B Instruct needs at least 100", false}},
		{"llama 3.1 100 records", "meta.llama3-1-70b-instruct-v1:0", FormatPromptCompletion, "", 0, func() (int, func(int) Record) { return withRecords(100) }, want{}},
		{"llama 3.1 10,001 records", "meta.llama3-1-70b-instruct-v1:0", FormatPromptCompletion, "", 0, func() (int, func(int) Record) { return withRecords(10001) }, want{0, "", "takes at most 10,000", false}},
		{"llama 3.1 input 16,001", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc(tokens(16001), "Well met, traveller.")) }, want{1, "prompt", "input has 16,001 tokens", true}},
		{"llama 3.1 output 16,001", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc("Hi", tokens(16001))) }, want{1, "completion", "output has 16,001 tokens", true}},
		{"llama 3.1 combined 16,001", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc(tokens(8001), tokens(8000))) }, want{1, "", "record has 16,001 tokens", false}},
		{"llama 3.1 combined 16,000", "meta.llama3-1-8b-instruct-v1:0", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc(tokens(8000), tokens(8000))) }, want{}},
		// Llama 3.2 / 3.3: combined at most 16,000 (10,000 for 90B); 100 to 10,000 records.
		{"llama 3.2 1B 16,000", "meta.llama3-2-1b-instruct-v1:0", FormatBedrockConversation, PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(8000), tokens(8000))) }, want{}},
		{"llama 3.2 3B 16,001", "meta.llama3-2-3b-instruct-v1:0", FormatBedrockConversation, PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(8001), tokens(8000))) }, want{1, "", "Llama 3.2 3B Instruct allows 16,000 a record", false}},
		{"llama 3.2 11B 16,001", "meta.llama3-2-11b-instruct-v1:0", FormatBedrockConversation, PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(8001), tokens(8000))) }, want{1, "", "allows 16,000 a record", false}},
		{"llama 3.2 90B 10,000", "meta.llama3-2-90b-instruct-v1:0", FormatBedrockConversation, PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(5000), tokens(5000))) }, want{}},
		{"llama 3.2 90B 10,001", "meta.llama3-2-90b-instruct-v1:0", FormatBedrockConversation, PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(5001), tokens(5000))) }, want{1, "", "Llama 3.2 90B Instruct allows 10,000 a record", false}},
		{"llama 3.3 16,001", "meta.llama3-3-70b-instruct-v1:0", FormatBedrockConversation, PurposeValidation, 0, func() (int, func(int) Record) { return one(chat("", tokens(8001), tokens(8000))) }, want{1, "", "Llama 3.3 70B Instruct allows 16,000 a record", false}},
		{"llama 3.2 99 records", "meta.llama3-2-1b-instruct-v1:0", FormatBedrockConversation, "", 0, func() (int, func(int) Record) { return withRecords(99) }, want{0, "", "needs at least 100", false}},
		{"llama 3.3 10,001 records", "meta.llama3-3-70b-instruct-v1:0", FormatBedrockConversation, "", 0, func() (int, func(int) Record) { return withRecords(10001) }, want{0, "", "takes at most 10,000", false}},
		// Titan Express: 4,096 tokens at batch 1, 2,048 at 2 to 4.
		{"titan express batch 1 4,096", "amazon.titan-text-express-v1", FormatPromptCompletion, PurposeValidation, 1, func() (int, func(int) Record) { return one(pc(tokens(2048), tokens(2048))) }, want{}},
		{"titan express batch 1 4,097", "amazon.titan-text-express-v1", FormatPromptCompletion, PurposeValidation, 1, func() (int, func(int) Record) { return one(pc(tokens(2049), tokens(2048))) }, want{1, "", "Titan Text Express allows 4,096 a record at batch size 1", false}},
		{"titan express batch 2 2,049", "amazon.titan-text-express-v1", FormatPromptCompletion, PurposeValidation, 2, func() (int, func(int) Record) { return one(pc(tokens(1025), tokens(1024))) }, want{1, "", "allows 2,048 a record at batch size 2", false}},
		{"titan express batch 4 2,048", "amazon.titan-text-express-v1", FormatInputOutput, PurposeValidation, 4, func() (int, func(int) Record) { return one(pc(tokens(1024), tokens(1024))) }, want{}},
		// Titan Lite: 4,096 at batch 1 to 2, 2,048 at 3 to 6.
		{"titan lite batch 2 4,096", "amazon.titan-text-lite-v1", FormatPromptCompletion, PurposeValidation, 2, func() (int, func(int) Record) { return one(pc(tokens(2048), tokens(2048))) }, want{}},
		{"titan lite batch 3 2,049", "amazon.titan-text-lite-v1", FormatPromptCompletion, PurposeValidation, 3, func() (int, func(int) Record) { return one(pc(tokens(1025), tokens(1024))) }, want{1, "", "Titan Text Lite allows 2,048 a record at batch size 3", false}},
		{"titan lite batch 6 2,048", "amazon.titan-text-lite-v1", FormatPromptCompletion, PurposeValidation, 6, func() (int, func(int) Record) { return one(pc(tokens(1024), tokens(1024))) }, want{}},
		// Titan Premier: 4,096 at batch 1.
		{"titan premier 4,097", "amazon.titan-text-premier-v1:0", FormatPromptCompletion, PurposeValidation, 1, func() (int, func(int) Record) { return one(pc(tokens(2049), tokens(2048))) }, want{1, "", "Titan Text Premier allows 4,096 a record at batch size 1", false}},
		// Cohere Command: input 4,096, output 2,048; at most 10,000 training and 1,000 validation records.
		{"cohere input 4,097", "cohere.command-text-v14", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc(tokens(4097), "Well met, traveller.")) }, want{1, "prompt", "Cohere Command allows 4,096", false}},
		{"cohere output 2,049", "cohere.command-light-text-v14", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc("Hi", tokens(2049))) }, want{1, "completion", "Cohere Command Light allows 2,048", false}},
		{"cohere in and out at the limits", "cohere.command-text-v14", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return one(pc(tokens(4096), tokens(2048))) }, want{}},
		{"cohere 10,001 training", "cohere.command-text-v14", FormatPromptCompletion, "", 0, func() (int, func(int) Record) { return withRecords(10001) }, want{0, "", "takes at most 10,000 training records", false}},
		{"cohere 1,001 validation", "cohere.command-text-v14", FormatPromptCompletion, PurposeValidation, 0, func() (int, func(int) Record) { return withRecords(1001) }, want{0, "", "takes at most 1,000 validation records", false}},
		// Nova: 8 to 20,000 records.
		{"nova 7 records", "amazon.nova-micro-v1:0", FormatBedrockConversation, "", 0, func() (int, func(int) Record) { return withRecords(7) }, want{0, "", "Nova Micro needs at least 8 training records", false}},
		{"nova 8 records", "amazon.nova-pro-v1:0", FormatBedrockConversation, "", 0, func() (int, func(int) Record) { return withRecords(8) }, want{}},
		{"nova 20,001 records", "amazon.nova-lite-v1:0", FormatBedrockConversation, "", 0, func() (int, func(int) Record) { return withRecords(20001) }, want{0, "", "takes at most 20,000 training records", false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			count, mk := c.records()
			format := c.format
			if format == "" {
				format = FormatClaudeMessages
			}
			rep := validate(t, jsonl(t, format, count, mk), Options{BaseModel: c.model, Purpose: c.purpose, BatchSize: c.batch})
			if c.want.text == "" {
				if !rep.Valid {
					t.Fatalf("want valid, errors:%s", dump(rep.Errors))
				}
				return
			}
			if !hasProblem(rep.Errors, c.want.line, c.want.field, c.want.text) || (rep.ErrorCount != 1 && !c.want.more) {
				t.Fatalf("want one error %d %q %q, got:%s", c.want.line, c.want.field, c.want.text, dump(rep.Errors))
			}
		})
	}
}

func TestValidateBatchSizeOutOfRange(t *testing.T) {
	for _, c := range []struct {
		model string
		batch int
	}{
		{"amazon.titan-text-express-v1", 5},
		{"amazon.titan-text-lite-v1", 7},
		{"amazon.titan-text-premier-v1:0", 2},
	} {
		t.Run(c.model, func(t *testing.T) {
			_, err := Validate(context.Background(), strings.NewReader(""), Options{BaseModel: c.model, BatchSize: c.batch})
			if !errors.Is(err, ErrBatchSize) {
				t.Fatalf("got %v, want ErrBatchSize", err)
			}
		})
	}
}

func TestValidateNovaReservedWords(t *testing.T) {
	for _, w := range novaReserved {
		for _, spelled := range []string{w, strings.ToLower(w), strings.ToUpper(w)} {
			t.Run(spelled, func(t *testing.T) {
				in := jsonl(t, FormatBedrockConversation, 8, func(i int) Record {
					r := distinct(i)
					if i == 3 {
						r.Messages[1].Content = "Aye. " + spelled + " it is."
					}
					if i == 5 {
						r.System = "Rules. " + spelled
					}
					return r
				})
				rep := validate(t, in, Options{BaseModel: "amazon.nova-micro-v1:0:128k"})
				want := []Problem{
					{4, "messages[1].content[0].text", `contains "` + w + `", a reserved keyword for this base model (in any letter case; ` + NovaReservedSource + `); reword it`},
					{6, "system[0].text", `contains "` + w + `", a reserved keyword for this base model (in any letter case; ` + NovaReservedSource + `); reword it`},
				}
				if diff := cmp.Diff(want, rep.Errors); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
			})
		}
	}
	t.Run("other models may use them", func(t *testing.T) {
		in := jsonl(t, FormatBedrockConversation, 100, func(i int) Record {
			r := distinct(i)
			r.Messages[1].Content = "User: hello. Assistant: hi [EOS] " + r.Messages[1].Content
			return r
		})
		if rep := validate(t, in, Options{BaseModel: "meta.llama3-2-1b-instruct-v1:0"}); !rep.Valid {
			t.Fatalf("errors:%s", dump(rep.Errors))
		}
	})
}

func TestValidateWarnings(t *testing.T) {
	t.Run("very short reply", func(t *testing.T) {
		rep := validate(t, `{"prompt":"Are you open?","completion":"Aye."}`+"\n"+`{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"No."}]}`+"\n", Options{Format: FormatAuto})
		want := []Problem{{1, "completion", "the reply is only 4 characters; very short replies teach the model to answer tersely"}}
		if diff := cmp.Diff(want, rep.Warnings); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		rep = validate(t, `{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"No."}]}`+"\n", Options{})
		want = []Problem{{1, "messages[1].content", "the reply is only 3 characters; very short replies teach the model to answer tersely"}}
		if diff := cmp.Diff(want, rep.Warnings); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
	t.Run("duplicates", func(t *testing.T) {
		a := `{"system":"Ada","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`
		aSpaced := `{ "messages": [{"content":"Hi","role":"user"},{"role":"assistant","content":"Well met, traveller."}], "system":"Ada" }`
		b := `{"system":"Bo","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Well met, traveller."}]}`
		rep := validate(t, a+"\n"+b+"\n"+aSpaced+"\n"+a+"\n", Options{})
		want := []Problem{
			{3, "", "duplicate of line 1 (same system prompt and turns)"},
			{4, "", "duplicate of line 1 (same system prompt and turns)"},
		}
		if diff := cmp.Diff(want, rep.Warnings); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		if !rep.Valid {
			t.Fatal("duplicates are not errors")
		}
	})
	t.Run("validation drawn from training", func(t *testing.T) {
		train := jsonl(t, FormatClaudeMessages, 40, distinct)
		val := jsonl(t, FormatClaudeMessages, 3, func(i int) Record { return distinct(i * 10) })
		pr, err := ValidatePair(context.Background(), strings.NewReader(train), strings.NewReader(val), Options{BaseModel: "anthropic.claude-3-haiku-20240307-v1:0"})
		if err != nil {
			t.Fatal(err)
		}
		want := []Problem{
			{1, "", "the same record is in the training set (line 1); a validation set drawn from the training set makes the model look better than it is"},
			{2, "", "the same record is in the training set (line 11); a validation set drawn from the training set makes the model look better than it is"},
			{3, "", "the same record is in the training set (line 21); a validation set drawn from the training set makes the model look better than it is"},
		}
		if diff := cmp.Diff(want, pr.Validation.Warnings); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		if !pr.Valid || len(pr.Training.Warnings) != 0 {
			t.Fatalf("valid=%v training warnings:%s", pr.Valid, dump(pr.Training.Warnings))
		}
	})
}

func TestValidatePair(t *testing.T) {
	ctx := context.Background()
	t.Run("limits on the sum", func(t *testing.T) {
		train := jsonl(t, FormatBedrockConversation, 9000, distinct)
		val := jsonl(t, FormatBedrockConversation, 1001, func(i int) Record { return distinct(i + 100000) })
		pr, err := ValidatePair(ctx, strings.NewReader(train), strings.NewReader(val), Options{BaseModel: "meta.llama3-2-1b-instruct-v1:0"})
		if err != nil {
			t.Fatal(err)
		}
		want := []Problem{{0, "", "training and validation sets have 10,001 records together; Llama 3.2 1B Instruct allows 10,000"}}
		if diff := cmp.Diff(want, pr.Training.Errors); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		if pr.Valid || !pr.Validation.Valid {
			t.Fatalf("pair valid=%v validation valid=%v", pr.Valid, pr.Validation.Valid)
		}
	})
	t.Run("small training file is fine when the sum is", func(t *testing.T) {
		train := jsonl(t, FormatPromptCompletion, 90, distinct)
		val := jsonl(t, FormatPromptCompletion, 10, func(i int) Record { return distinct(i + 1000) })
		pr, err := ValidatePair(ctx, strings.NewReader(train), strings.NewReader(val), Options{BaseModel: "meta.llama3-1-8b-instruct-v1:0"})
		if err != nil || !pr.Valid {
			t.Fatalf("err %v, training:%s validation:%s", err, dump(pr.Training.Errors), dump(pr.Validation.Errors))
		}
	})
	t.Run("validation must have the training format", func(t *testing.T) {
		train := jsonl(t, FormatClaudeMessages, 40, distinct)
		val := jsonl(t, FormatPromptCompletion, 1, distinct)
		pr, err := ValidatePair(ctx, strings.NewReader(train), strings.NewReader(val), Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := []Problem{{1, "", "this line is a prompt-completion record, but the training file is claude-messages"}}
		if diff := cmp.Diff(want, pr.Validation.Errors); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

func TestValidateStats(t *testing.T) {
	// Records of 2, 3, ..., 21 tokens (prompt 1 token + reply i+1 tokens), plus one bad line.
	in := jsonl(t, FormatPromptCompletion, 20, func(i int) Record { return pc("Hi", tokens(i+1)) }) + "oops\n"
	rep := validate(t, in, Options{})
	want := Stats{
		Records: 20,
		Tokens:  TokenStats{Min: 2, Max: 21, Mean: 11.5, P50: 11, P95: 20, Total: 230},
		Longest: []LongRecord{{20, 21}, {19, 20}, {18, 19}, {17, 18}, {16, 17}, {15, 16}, {14, 15}, {13, 14}, {12, 13}, {11, 12}},
		Bytes:   int64(len(in)),
	}
	if diff := cmp.Diff(want, rep.Stats); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if rep.Records != 21 {
		t.Fatalf("records %d, want 21 (every non-blank line)", rep.Records)
	}
}

func TestHistogramPercentiles(t *testing.T) {
	var h histogram
	for v := 1; v <= 100000; v++ {
		h.add(v)
	}
	for _, c := range []struct {
		p    float64
		want int
	}{{0.5, 50000}, {0.95, 95000}, {1, 100000}} {
		got := h.percentile(c.p)
		if d := float64(got-c.want) / float64(c.want); d > 0.002 || d < -0.002 {
			t.Errorf("p%.0f = %d, want %d within 0.2%%", c.p*100, got, c.want)
		}
	}
	for v := 0; v < 1<<22; v += 997 {
		if low := histLow(histBucket(v)); low > v || float64(v-low) > float64(v)*0.002 {
			t.Fatalf("bucket of %d starts at %d", v, low)
		}
	}
}

func TestValidateCapsProblems(t *testing.T) {
	in := strings.Repeat("not json\n", 5000)
	rep := validate(t, in, Options{MaxProblems: 10})
	if len(rep.Errors) != 10 || rep.ErrorCount != 5000 || !rep.Truncated {
		t.Fatalf("kept %d of %d errors, truncated %v", len(rep.Errors), rep.ErrorCount, rep.Truncated)
	}
	if rep.Errors[9].Line != 10 {
		t.Fatalf("kept errors should be the first ones, got line %d", rep.Errors[9].Line)
	}
}

func TestValidateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Validate(ctx, strings.NewReader(strings.Repeat("{}\n", 1000)), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestValidateOptionErrors(t *testing.T) {
	for _, c := range []struct {
		opts Options
		want error
	}{
		{Options{Format: "jsonl"}, ErrUnknownFormat},
		{Options{BaseModel: "openai.gpt-4"}, ErrUnknownBaseModel},
		{Options{Purpose: "testing"}, ErrInvalidOption},
	} {
		if _, err := Validate(context.Background(), strings.NewReader(""), c.opts); !errors.Is(err, c.want) {
			t.Errorf("%+v: got %v, want %v", c.opts, err, c.want)
		}
	}
}

func TestReportJSONShape(t *testing.T) {
	rep := validate(t, `{"prompt":"Hi","completion":"Well met, traveller."}`+"\n", Options{})
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	json.Unmarshal(raw, &top)
	keys := func(m map[string]json.RawMessage) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	if diff := cmp.Diff([]string{"errorCount", "errors", "format", "records", "stats", "truncated", "valid", "warningCount", "warnings"}, keys(top)); diff != "" {
		t.Fatalf("report keys (-want +got):\n%s", diff)
	}
	var stats map[string]json.RawMessage
	json.Unmarshal(top["stats"], &stats)
	if diff := cmp.Diff([]string{"bytes", "longest", "records", "tokens"}, keys(stats)); diff != "" {
		t.Fatalf("stats keys (-want +got):\n%s", diff)
	}
	var tok map[string]json.RawMessage
	json.Unmarshal(stats["tokens"], &tok)
	if diff := cmp.Diff([]string{"max", "mean", "min", "p50", "p95", "total"}, keys(tok)); diff != "" {
		t.Fatalf("tokens keys (-want +got):\n%s", diff)
	}
	if string(top["errors"]) != "[]" || !strings.Contains(string(stats["longest"]), `"line":1`) {
		t.Fatalf("errors %s, longest %s", top["errors"], stats["longest"])
	}
}

// TestValidateGolden validates each file under testdata/dataset/files and compares the
// report with its golden file; it also checks validation leaves every file unchanged.
func TestValidateGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "files", "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".jsonl")
		t.Run(name, func(t *testing.T) {
			before := fileHash(t, path)
			info, _ := os.Stat(path)
			opts := Options{}
			if strings.HasPrefix(name, "nova") {
				opts.BaseModel = "amazon.nova-micro-v1:0"
			}
			rep, err := ValidateFile(context.Background(), path, opts)
			if err != nil {
				t.Fatal(err)
			}
			if after := fileHash(t, path); after != before {
				t.Fatal("validation changed the file")
			}
			if info2, _ := os.Stat(path); !info2.ModTime().Equal(info.ModTime()) {
				t.Fatal("validation touched the file")
			}
			got, _ := json.MarshalIndent(rep, "", "  ")
			golden := filepath.Join(testdata, "golden", name+".report.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(strings.TrimSpace(string(want)), string(got)); diff != "" {
				t.Fatalf("report differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestValidateBoundedMemory streams 300 MB of distinct records through Validate and checks the
// heap stays small. The 2 GB run is TestValidateHugeFile (set NPCSTUDIO_BIG_TESTS=1).
func TestValidateBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 300 MB")
	}
	checkBoundedMemory(t, 300<<20)
}

func TestValidateHugeFile(t *testing.T) {
	if os.Getenv("NPCSTUDIO_BIG_TESTS") == "" {
		t.Skip("set NPCSTUDIO_BIG_TESTS=1 to stream 2 GB")
	}
	checkBoundedMemory(t, 2<<30)
}

func checkBoundedMemory(t *testing.T, size int64) {
	gen := newRecordStream(size)
	peak, rep := validateMeasured(t, gen, Options{BaseModel: "anthropic.claude-3-haiku-20240307-v1:0"})
	t.Logf("%d MB, %d records: peak heap in use %.1f MB", rep.Stats.Bytes>>20, rep.Records, float64(peak)/(1<<20))
	if rep.Stats.Bytes != gen.written || rep.Records != gen.lines {
		t.Fatalf("read %d bytes and %d records, wrote %d and %d", rep.Stats.Bytes, rep.Records, gen.written, gen.lines)
	}
	if peak > 64<<20 {
		t.Fatalf("heap in use reached %d MB", peak>>20)
	}
}

// validateMeasured validates r, sampling the heap in use about every 32 MB read.
func validateMeasured(t testing.TB, r io.Reader, opts Options) (uint64, Report) {
	var peak uint64
	var ms runtime.MemStats
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	calls := 0
	opts.OnProgress = func(Progress) {
		if calls++; calls%32 == 0 {
			sample()
		}
	}
	rep, err := Validate(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	sample()
	return peak, rep
}

// recordStream generates distinct claude-messages lines (about 700 bytes each) up to a size,
// without holding more than one line.
type recordStream struct {
	size, written int64
	lines         int
	pending       []byte
	tmpl          [3]string
}

func newRecordStream(size int64) *recordStream {
	return &recordStream{size: size, tmpl: [3]string{
		`{"system":"You are Ada, the innkeeper of the Salted Gull in the port of Valen. Speak plainly, in short sentences.","messages":[{"role":"user","content":"Where can I find the old lighthouse keeper? I have been looking all day, question `,
		`."},{"role":"assistant","content":"Down by the north pier, past the fish market; mind the gulls. He drinks at the Gull most nights and pays in old coin. Ask for Tomas, and do not mention the storm of `,
		`. He lost a brother to it and still keeps the lamp lit for him."}]}` + "\n",
	}}
}

func (g *recordStream) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(g.pending) == 0 {
			num := strconv.Itoa(g.lines)
			line := g.tmpl[0] + num + g.tmpl[1] + num + g.tmpl[2]
			if g.written+int64(len(line)) > g.size {
				break
			}
			g.pending = []byte(line)
			g.written += int64(len(line))
			g.lines++
		}
		c := copy(p[n:], g.pending)
		g.pending = g.pending[c:]
		n += c
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// wordTokenizer stands in for a model's real tokenizer: one token a word.
type wordTokenizer struct{}

func (wordTokenizer) CountTokens(s string) int { return len(strings.Fields(s)) }

func TestValidateWithATokenizer(t *testing.T) {
	long := strings.Repeat("word ", 16001)
	in := jsonl(t, FormatPromptCompletion, 1, func(int) Record { return pc("Hi there", long) })
	rep := validate(t, in, Options{BaseModel: "meta.llama3-1-8b-instruct-v1:0", Purpose: PurposeValidation, Tokenizer: wordTokenizer{}})
	want := []Problem{
		{1, "completion", "output has 16,001 tokens; Llama 3.1 8B Instruct allows 16,000"},
		{1, "", "record has 16,003 tokens; Llama 3.1 8B Instruct allows 16,000 a record"},
	}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if rep.Stats.Tokens.Max != 16003 {
		t.Fatalf("stats %+v", rep.Stats.Tokens)
	}
}

// TestValidateFileSizeLimits checks each file size limit at its boundary. Files of 1 to 10 GB
// are too slow for a unit test, so the byte count is set on the validator directly; the
// 100 MB limit is also checked end to end below.
func TestValidateFileSizeLimits(t *testing.T) {
	cases := []struct {
		model   string
		purpose Purpose
		limit   int64
		text    string
	}{
		{"anthropic.claude-3-haiku-20240307-v1:0", PurposeTraining, 10 << 30, "Claude 3 Haiku takes training files up to 10 GB"},
		{"anthropic.claude-3-haiku-20240307-v1:0", PurposeValidation, 1 << 30, "Claude 3 Haiku takes validation files up to 1 GB"},
		{"amazon.titan-text-express-v1", PurposeTraining, 1 << 30, "Titan Text Express takes training files up to 1 GB"},
		{"amazon.titan-text-express-v1", PurposeValidation, 100 << 20, "Titan Text Express takes validation files up to 100 MB"},
		{"amazon.titan-text-lite-v1", PurposeTraining, 1 << 30, "Titan Text Lite takes training files up to 1 GB"},
		{"amazon.titan-text-lite-v1", PurposeValidation, 100 << 20, "Titan Text Lite takes validation files up to 100 MB"},
		{"amazon.titan-text-premier-v1:0", PurposeTraining, 1 << 30, "Titan Text Premier takes training files up to 1 GB"},
		{"amazon.titan-text-premier-v1:0", PurposeValidation, 100 << 20, "Titan Text Premier takes validation files up to 100 MB"},
	}
	for _, c := range cases {
		t.Run(c.model+"/"+string(c.purpose), func(t *testing.T) {
			for _, size := range []int64{c.limit, c.limit + 1} {
				v, err := newValidator(Options{BaseModel: c.model}, c.purpose, false)
				if err != nil {
					t.Fatal(err)
				}
				v.records, v.bytes = 100, size
				v.finish()
				rep := v.report()
				if over := size > c.limit; over != hasProblem(rep.Errors, 0, "", c.text) || rep.ErrorCount != boolCount(over) {
					t.Fatalf("%d bytes:%s", size, dump(rep.Errors))
				}
			}
		})
	}
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestValidateTitanValidationFileOver100MB(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 101 MB")
	}
	gen := newRecordStream(101 << 20)
	gen.tmpl = [3]string{`{"prompt":"Where can I find the old lighthouse keeper? Question `, `.","completion":"Down by the north pier, past the fish market. Storm `, `."}` + "\n"}
	rep, err := Validate(context.Background(), gen, Options{BaseModel: "amazon.titan-text-express-v1", Purpose: PurposeValidation})
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{{0, "", "the file is 101.0 MB; Titan Text Express takes validation files up to 100 MB"}}
	if diff := cmp.Diff(want, rep.Errors); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}
