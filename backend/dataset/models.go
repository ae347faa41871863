package dataset

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Limits are what Bedrock enforces on a fine-tuning dataset for one base model.
// A zero value means no limit is known. Token figures count the estimated tokens of a
// record (see Tokenizer; Llama 3's are counted exactly when its tokenizer is installed, see
// llamaCounter); "input" is the system prompt and user turns, "output" the assistant turns.
type Limits struct {
	MinTrainingRecords   int `json:"minTrainingRecords"`
	MaxTrainingRecords   int `json:"maxTrainingRecords"`
	MaxValidationRecords int `json:"maxValidationRecords"`
	// MinTotalRecords and MaxTotalRecords bound training plus validation records together.
	MinTotalRecords int `json:"minTotalRecords"`
	MaxTotalRecords int `json:"maxTotalRecords"`

	MaxRecordTokens int `json:"maxRecordTokens"`
	MaxInputTokens  int `json:"maxInputTokens"`
	MaxOutputTokens int `json:"maxOutputTokens"`
	// BatchTokens replaces MaxRecordTokens for models whose limit depends on the batch size
	// (Titan). Entries are in increasing MaxBatch order; a batch size above the last is not
	// accepted by the model.
	BatchTokens []BatchTokens `json:"batchTokens"`

	MaxTrainingBytes   int64 `json:"maxTrainingBytes"`
	MaxValidationBytes int64 `json:"maxValidationBytes"`

	// ReservedWords may not appear in any text (compared case-insensitively).
	ReservedWords []string `json:"reservedWords"`
}

// BatchTokens is the per-record token limit for batch sizes up to MaxBatch.
type BatchTokens struct {
	MaxBatch int `json:"maxBatch"`
	Tokens   int `json:"tokens"`
}

// BaseModel is a Bedrock foundation model that can be fine-tuned, with the record formats it
// reads (the first is the one Bedrock documents for it) and its limits.
type BaseModel struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Formats []Format `json:"formats"`
	Limits  Limits   `json:"limits"`
}

// Allows reports whether the model reads records in format f.
func (m BaseModel) Allows(f Format) bool {
	for _, g := range m.Formats {
		if g == f {
			return true
		}
	}
	return false
}

// RecordTokenLimit is the per-record token limit at the given batch size (1 when zero).
func (m BaseModel) RecordTokenLimit(batchSize int) (int, error) {
	if batchSize <= 0 {
		batchSize = 1
	}
	if len(m.Limits.BatchTokens) == 0 {
		return m.Limits.MaxRecordTokens, nil
	}
	for _, b := range m.Limits.BatchTokens {
		if batchSize <= b.MaxBatch {
			return b.Tokens, nil
		}
	}
	return 0, fmt.Errorf("%w: %s takes a batch size of 1 to %d, not %d",
		ErrBatchSize, m.Name, m.Limits.BatchTokens[len(m.Limits.BatchTokens)-1].MaxBatch, batchSize)
}

// ErrUnknownBaseModel is returned for a model id that is not in BaseModels.
var ErrUnknownBaseModel = errors.New("unknown base model")

// ErrBatchSize is returned for a batch size the base model does not take.
var ErrBatchSize = errors.New("unsupported batch size")

const (
	gb = int64(1) << 30
	mb = int64(1) << 20
)

// novaReserved are the Nova keywords that fail a training job anywhere in a prompt.
// https://docs.aws.amazon.com/nova/latest/userguide/fine-tune-prepare-data-understanding.html
// AWS's own validator (aws-samples/amazon-nova-samples, customization/bedrock-finetuning/
// understanding/dataset_validation) compares them case-insensitively and in every text, so we do too.
var novaReserved = []string{"User:", "Bot:", "Assistant:", "System:", "<image>", "<video>", "[EOS]"}

// Record counts for Nova are not in PRODUCT.md: 8 to 20,000 samples is the bound applied by
// AWS's Nova dataset validator (MODEL_TO_NUM_SAMPLES_MAP), linked from
// https://docs.aws.amazon.com/nova/latest/nova2-userguide/nova-data-preparation.html
func novaLimits() Limits {
	return Limits{MinTrainingRecords: 8, MaxTrainingRecords: 20000, ReservedWords: novaReserved}
}

func llama31Limits() Limits {
	return Limits{MinTotalRecords: 100, MaxTotalRecords: 10000, MaxRecordTokens: 16000, MaxInputTokens: 16000, MaxOutputTokens: 16000}
}

func llama32Limits(tokens int) Limits {
	return Limits{MinTotalRecords: 100, MaxTotalRecords: 10000, MaxRecordTokens: tokens}
}

func titanLimits(batch ...BatchTokens) Limits {
	return Limits{BatchTokens: batch, MaxTrainingBytes: 1 * gb, MaxValidationBytes: 100 * mb}
}

func cohereLimits() Limits {
	return Limits{MaxTrainingRecords: 10000, MaxValidationRecords: 1000, MaxInputTokens: 4096, MaxOutputTokens: 2048}
}

// baseModels is the one table of fine-tunable models (PRODUCT.md, "Bedrock fine-tuning datasets").
// Titan models also take input/output: the guidance's tuning pipeline reads that shape and turns it
// into prompt/completion before the Bedrock job starts, so Titan's limits apply to it unchanged.
var baseModels = []BaseModel{
	{ID: "anthropic.claude-3-haiku-20240307-v1:0", Name: "Claude 3 Haiku", Formats: []Format{FormatClaudeMessages},
		Limits: Limits{MinTrainingRecords: 32, MaxTrainingRecords: 10000, MaxValidationRecords: 1000,
			MaxRecordTokens: 32000, MaxTrainingBytes: 10 * gb, MaxValidationBytes: 1 * gb}},
	{ID: "meta.llama3-1-8b-instruct-v1:0", Name: "Llama 3.1 8B Instruct", Formats: []Format{FormatPromptCompletion}, Limits: llama31Limits()},
	{ID: "meta.llama3-1-70b-instruct-v1:0", Name: "Llama 3.1 70B Instruct", Formats: []Format{FormatPromptCompletion}, Limits: llama31Limits()},
	{ID: "meta.llama3-2-1b-instruct-v1:0", Name: "Llama 3.2 1B Instruct", Formats: []Format{FormatBedrockConversation}, Limits: llama32Limits(16000)},
	{ID: "meta.llama3-2-3b-instruct-v1:0", Name: "Llama 3.2 3B Instruct", Formats: []Format{FormatBedrockConversation}, Limits: llama32Limits(16000)},
	{ID: "meta.llama3-2-11b-instruct-v1:0", Name: "Llama 3.2 11B Instruct", Formats: []Format{FormatBedrockConversation}, Limits: llama32Limits(16000)},
	{ID: "meta.llama3-2-90b-instruct-v1:0", Name: "Llama 3.2 90B Instruct", Formats: []Format{FormatBedrockConversation}, Limits: llama32Limits(10000)},
	{ID: "meta.llama3-3-70b-instruct-v1:0", Name: "Llama 3.3 70B Instruct", Formats: []Format{FormatBedrockConversation}, Limits: llama32Limits(16000)},
	{ID: "amazon.nova-micro-v1:0", Name: "Nova Micro", Formats: []Format{FormatBedrockConversation}, Limits: novaLimits()},
	{ID: "amazon.nova-lite-v1:0", Name: "Nova Lite", Formats: []Format{FormatBedrockConversation}, Limits: novaLimits()},
	{ID: "amazon.nova-pro-v1:0", Name: "Nova Pro", Formats: []Format{FormatBedrockConversation}, Limits: novaLimits()},
	// Nova 2 supervised data is Nova 1's Converse format (optionally with reasoning content):
	// https://docs.aws.amazon.com/bedrock/latest/userguide/nova-2-sft-data-prep.html. The
	// customization API names it with its context window, amazon.nova-2-lite-v1:0:256k.
	{ID: "amazon.nova-2-lite-v1:0", Name: "Nova 2 Lite", Formats: []Format{FormatBedrockConversation}, Limits: novaLimits()},
	{ID: "amazon.titan-text-express-v1", Name: "Titan Text Express", Formats: []Format{FormatPromptCompletion, FormatInputOutput},
		Limits: titanLimits(BatchTokens{MaxBatch: 1, Tokens: 4096}, BatchTokens{MaxBatch: 4, Tokens: 2048})},
	{ID: "amazon.titan-text-lite-v1", Name: "Titan Text Lite", Formats: []Format{FormatPromptCompletion, FormatInputOutput},
		Limits: titanLimits(BatchTokens{MaxBatch: 2, Tokens: 4096}, BatchTokens{MaxBatch: 6, Tokens: 2048})},
	{ID: "amazon.titan-text-premier-v1:0", Name: "Titan Text Premier", Formats: []Format{FormatPromptCompletion, FormatInputOutput},
		Limits: titanLimits(BatchTokens{MaxBatch: 1, Tokens: 4096})},
	// The legacy Titan Text Large id; no limits of its own are documented, so Premier's apply.
	{ID: "amazon.titan-tg1-large", Name: "Titan Text Large", Formats: []Format{FormatPromptCompletion, FormatInputOutput},
		Limits: titanLimits(BatchTokens{MaxBatch: 1, Tokens: 4096})},
	{ID: "cohere.command-text-v14", Name: "Cohere Command", Formats: []Format{FormatPromptCompletion}, Limits: cohereLimits()},
	{ID: "cohere.command-light-text-v14", Name: "Cohere Command Light", Formats: []Format{FormatPromptCompletion}, Limits: cohereLimits()},
}

// BaseModels returns the fine-tunable base models (a copy; callers may modify it).
func BaseModels() []BaseModel {
	out := make([]BaseModel, len(baseModels))
	for i, m := range baseModels {
		out[i] = m.clone()
	}
	return out
}

func (m BaseModel) clone() BaseModel {
	m.Formats = append([]Format(nil), m.Formats...)
	m.Limits.BatchTokens = append([]BatchTokens(nil), m.Limits.BatchTokens...)
	m.Limits.ReservedWords = append([]string(nil), m.Limits.ReservedWords...)
	return m
}

// contextSuffix is the ":128k"-style context window Bedrock appends to ids in the
// customization API (https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-supported.html
// lists amazon.nova-micro-v1:0:128k, amazon.titan-text-express-v1:0:8k, ...).
var contextSuffix = regexp.MustCompile(`:\d+k$`)

// LookupBaseModel finds a base model by its id. It also accepts a foundation-model ARN and the
// customization ids with a context window suffix ("anthropic.claude-3-haiku-20240307-v1:0:200k").
func LookupBaseModel(id string) (BaseModel, error) {
	want := strings.ToLower(strings.TrimSpace(id))
	if i := strings.LastIndex(want, "/"); i >= 0 && strings.HasPrefix(want, "arn:") {
		want = want[i+1:]
	}
	candidates := []string{want}
	if s := contextSuffix.ReplaceAllString(want, ""); s != want {
		candidates = append(candidates, s)
		// amazon.titan-text-express-v1:0:8k names amazon.titan-text-express-v1.
		if i := strings.LastIndex(s, ":"); i >= 0 {
			candidates = append(candidates, s[:i])
		}
	}
	for _, c := range candidates {
		for _, m := range baseModels {
			if m.ID == c {
				return m.clone(), nil
			}
		}
	}
	return BaseModel{}, fmt.Errorf("%w %q", ErrUnknownBaseModel, id)
}
