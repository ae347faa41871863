package dataset

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookupBaseModel(t *testing.T) {
	cases := map[string]string{
		"anthropic.claude-3-haiku-20240307-v1:0":                                     "anthropic.claude-3-haiku-20240307-v1:0",
		"anthropic.claude-3-haiku-20240307-v1:0:200k":                                "anthropic.claude-3-haiku-20240307-v1:0",
		"amazon.nova-micro-v1:0:128k":                                                "amazon.nova-micro-v1:0",
		"amazon.nova-pro-v1:0:300k":                                                  "amazon.nova-pro-v1:0",
		"amazon.nova-2-lite-v1:0:256k":                                               "amazon.nova-2-lite-v1:0",
		"amazon.titan-text-express-v1:0:8k":                                          "amazon.titan-text-express-v1",
		"amazon.titan-text-premier-v1:0:32k":                                         "amazon.titan-text-premier-v1:0",
		"amazon.titan-tg1-large":                                                     "amazon.titan-tg1-large",
		"cohere.command-light-text-v14:7:4k":                                         "cohere.command-light-text-v14",
		"meta.llama3-2-90b-instruct-v1:0:128k":                                       "meta.llama3-2-90b-instruct-v1:0",
		"arn:aws:bedrock:us-west-2::foundation-model/meta.llama3-1-8b-instruct-v1:0": "meta.llama3-1-8b-instruct-v1:0",
		" Meta.Llama3-3-70b-Instruct-v1:0 ":                                          "meta.llama3-3-70b-instruct-v1:0",
	}
	for id, want := range cases {
		m, err := LookupBaseModel(id)
		if err != nil || m.ID != want {
			t.Errorf("%q: got %q, %v; want %q", id, m.ID, err, want)
		}
	}
	for _, id := range []string{"", "anthropic.claude-3-sonnet-20240229-v1:0", "amazon.nova-premier-v1:0"} {
		if _, err := LookupBaseModel(id); !errors.Is(err, ErrUnknownBaseModel) {
			t.Errorf("%q: got %v", id, err)
		}
	}
}

// TestBaseModelTable pins the table to PRODUCT.md, so a change to a limit is a visible decision.
func TestBaseModelTable(t *testing.T) {
	type row struct {
		formats []Format
		limits  Limits
	}
	llama31 := Limits{MinTotalRecords: 100, MaxTotalRecords: 10000, MaxRecordTokens: 16000, MaxInputTokens: 16000, MaxOutputTokens: 16000}
	llama32 := Limits{MinTotalRecords: 100, MaxTotalRecords: 10000, MaxRecordTokens: 16000}
	nova := Limits{MinTrainingRecords: 8, MaxTrainingRecords: 20000, ReservedWords: []string{"User:", "Bot:", "Assistant:", "System:", "<image>", "<video>", "[EOS]"}}
	cohere := Limits{MaxTrainingRecords: 10000, MaxValidationRecords: 1000, MaxInputTokens: 4096, MaxOutputTokens: 2048}
	titan := func(b ...BatchTokens) Limits {
		return Limits{BatchTokens: b, MaxTrainingBytes: 1 << 30, MaxValidationBytes: 100 << 20}
	}
	pcio := []Format{FormatPromptCompletion, FormatInputOutput}
	conv := []Format{FormatBedrockConversation}
	want := map[string]row{
		"anthropic.claude-3-haiku-20240307-v1:0": {[]Format{FormatClaudeMessages}, Limits{MinTrainingRecords: 32, MaxTrainingRecords: 10000,
			MaxValidationRecords: 1000, MaxRecordTokens: 32000, MaxTrainingBytes: 10 << 30, MaxValidationBytes: 1 << 30}},
		"meta.llama3-1-8b-instruct-v1:0":  {[]Format{FormatPromptCompletion}, llama31},
		"meta.llama3-1-70b-instruct-v1:0": {[]Format{FormatPromptCompletion}, llama31},
		"meta.llama3-2-1b-instruct-v1:0":  {conv, llama32},
		"meta.llama3-2-3b-instruct-v1:0":  {conv, llama32},
		"meta.llama3-2-11b-instruct-v1:0": {conv, llama32},
		"meta.llama3-2-90b-instruct-v1:0": {conv, Limits{MinTotalRecords: 100, MaxTotalRecords: 10000, MaxRecordTokens: 10000}},
		"meta.llama3-3-70b-instruct-v1:0": {conv, llama32},
		"amazon.nova-micro-v1:0":          {conv, nova},
		"amazon.nova-lite-v1:0":           {conv, nova},
		"amazon.nova-pro-v1:0":            {conv, nova},
		"amazon.nova-2-lite-v1:0":         {conv, nova},
		"amazon.titan-text-express-v1":    {pcio, titan(BatchTokens{1, 4096}, BatchTokens{4, 2048})},
		"amazon.titan-text-lite-v1":       {pcio, titan(BatchTokens{2, 4096}, BatchTokens{6, 2048})},
		"amazon.titan-text-premier-v1:0":  {pcio, titan(BatchTokens{1, 4096})},
		"amazon.titan-tg1-large":          {pcio, titan(BatchTokens{1, 4096})},
		"cohere.command-text-v14":         {[]Format{FormatPromptCompletion}, cohere},
		"cohere.command-light-text-v14":   {[]Format{FormatPromptCompletion}, cohere},
	}
	got := map[string]row{}
	for _, m := range BaseModels() {
		got[m.ID] = row{m.Formats, m.Limits}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Fatalf("base model table (-want +got):\n%s", diff)
	}
}

func TestBaseModelsIsACopy(t *testing.T) {
	ms := BaseModels()
	ms[0].Formats[0] = "changed"
	ms[0].Limits.MaxRecordTokens = 1
	if m, _ := LookupBaseModel(ms[0].ID); m.Formats[0] == "changed" || m.Limits.MaxRecordTokens == 1 {
		t.Fatal("changing the returned table changed the package's")
	}
}

func TestRecordTokenLimit(t *testing.T) {
	lite, _ := LookupBaseModel("amazon.titan-text-lite-v1")
	for batch, want := range map[int]int{0: 4096, 1: 4096, 2: 4096, 3: 2048, 6: 2048} {
		if got, err := lite.RecordTokenLimit(batch); err != nil || got != want {
			t.Errorf("batch %d: %d, %v; want %d", batch, got, err, want)
		}
	}
	if _, err := lite.RecordTokenLimit(7); !errors.Is(err, ErrBatchSize) {
		t.Errorf("batch 7: %v", err)
	}
	claude, _ := LookupBaseModel("anthropic.claude-3-haiku-20240307-v1:0")
	if got, _ := claude.RecordTokenLimit(64); got != 32000 {
		t.Errorf("claude at batch 64: %d", got)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": FormatAuto, "auto": FormatAuto, "Claude-Messages": FormatClaudeMessages, "input-output": FormatInputOutput} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("%q: %q, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("converse"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("converse: %v", err)
	}
}

func TestCharEstimator(t *testing.T) {
	for text, want := range map[string]int{"": 0, "a": 1, "abcdef": 1, "abcdefg": 2, "宿屋はどこですか": 2} {
		if got := (CharEstimator{}).CountTokens(text); got != want {
			t.Errorf("%q: %d, want %d", text, got, want)
		}
	}
}
