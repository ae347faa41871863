package dataset

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Format is the JSON shape of one record of a tuning file.
type Format string

const (
	// FormatAuto detects the format from the first valid record of a file.
	FormatAuto Format = "auto"
	// FormatPromptCompletion is {"prompt": ..., "completion": ...} (Titan, Cohere, Llama 3.1).
	FormatPromptCompletion Format = "prompt-completion"
	// FormatClaudeMessages is {"system": ..., "messages": [{"role", "content"}]} (Claude 3 Haiku).
	FormatClaudeMessages Format = "claude-messages"
	// FormatBedrockConversation is the Converse-shaped bedrock-conversation-2024 schema (Llama 3.2/3.3, Nova).
	FormatBedrockConversation Format = "bedrock-conversation"
	// FormatInputOutput is {"input": ..., "output": ...}, read by the guidance's tuning pipeline.
	FormatInputOutput Format = "input-output"
)

// ConversationSchemaVersion is written into every bedrock-conversation record.
const ConversationSchemaVersion = "bedrock-conversation-2024"

// Roles of a message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Formats lists the concrete record formats, in the order the UI offers them.
var Formats = []Format{FormatPromptCompletion, FormatClaudeMessages, FormatBedrockConversation, FormatInputOutput}

// ErrUnknownFormat is returned for a format id that is not one of Formats (or auto).
var ErrUnknownFormat = errors.New("unknown dataset format")

// ParseFormat reads a format id; "" and "auto" mean FormatAuto.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.TrimSpace(strings.ToLower(s))); f {
	case "", FormatAuto:
		return FormatAuto, nil
	case FormatPromptCompletion, FormatClaudeMessages, FormatBedrockConversation, FormatInputOutput:
		return f, nil
	}
	return "", fmt.Errorf("%w %q (want auto, %s)", ErrUnknownFormat, s, formatList())
}

func formatList() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// singleTurn reports whether the format holds exactly one prompt and one reply and no system prompt.
func (f Format) singleTurn() bool {
	return f == FormatPromptCompletion || f == FormatInputOutput
}

// pairKeys are the two keys of a single-turn format.
func (f Format) pairKeys() (in, out string) {
	if f == FormatInputOutput {
		return "input", "output"
	}
	return "prompt", "completion"
}

// Message is one turn of a conversation.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Record is one training example in a format-independent shape: a system prompt and turns.
// A prompt/completion (or input/output) record is one user turn and one assistant turn.
// Format is the format the record was read in, or converted to; records made in the app
// (chat, grid) carry their dataset's format.
type Record struct {
	Format   Format    `json:"format"`
	System   string    `json:"system"`
	Messages []Message `json:"messages"`
	// SchemaVersion is a bedrock-conversation record's schemaVersion as it was read (AWS's
	// Nova tool-use set uses "tooluse-dataset-2024"); export writes it back unchanged, and
	// ConversationSchemaVersion when it is empty.
	SchemaVersion string `json:"schemaVersion,omitempty"`
}

// Equal reports whether two records hold the same text (formats aside).
func (r Record) Equal(o Record) bool {
	if r.System != o.System || len(r.Messages) != len(o.Messages) {
		return false
	}
	for i := range r.Messages {
		if r.Messages[i] != o.Messages[i] {
			return false
		}
	}
	return true
}

// Reply is the content of the final assistant turn ("" if the record does not end with one).
func (r Record) Reply() string {
	if n := len(r.Messages); n > 0 && r.Messages[n-1].Role == RoleAssistant {
		return r.Messages[n-1].Content
	}
	return ""
}

// ErrNotRepresentable is returned by Marshal for a record its format cannot hold; Convert it first.
var ErrNotRepresentable = errors.New("record cannot be written in this format")

type claudeLine struct {
	System   string    `json:"system,omitempty"`
	Messages []Message `json:"messages"`
}

type textBlock struct {
	Text string `json:"text"`
}

type converseMessage struct {
	Role    string      `json:"role"`
	Content []textBlock `json:"content"`
}

type converseLine struct {
	SchemaVersion string            `json:"schemaVersion"`
	System        []textBlock       `json:"system,omitempty"`
	Messages      []converseMessage `json:"messages"`
}

// Marshal writes rec as one JSON line (without the newline) in rec.Format.
// Text is written as is: no HTML escaping, so "<video>" stays readable in the file.
func Marshal(rec Record) ([]byte, error) {
	var v any
	switch rec.Format {
	case FormatPromptCompletion, FormatInputOutput:
		if rec.System != "" || len(rec.Messages) != 2 || rec.Messages[0].Role != RoleUser || rec.Messages[1].Role != RoleAssistant {
			return nil, fmt.Errorf("%s needs one user and one assistant turn and no system prompt: %w", rec.Format, ErrNotRepresentable)
		}
		// Written by hand so the keys keep Bedrock's documented order for either key pair.
		in, out := rec.Format.pairKeys()
		var buf bytes.Buffer
		buf.WriteString(`{"` + in + `":`)
		if err := encodeInto(&buf, rec.Messages[0].Content); err != nil {
			return nil, err
		}
		buf.WriteString(`,"` + out + `":`)
		if err := encodeInto(&buf, rec.Messages[1].Content); err != nil {
			return nil, err
		}
		buf.WriteByte('}')
		return buf.Bytes(), nil
	case FormatClaudeMessages:
		v = claudeLine{System: rec.System, Messages: nonNil(rec.Messages)}
	case FormatBedrockConversation:
		line := converseLine{SchemaVersion: cmp.Or(rec.SchemaVersion, ConversationSchemaVersion), Messages: make([]converseMessage, len(rec.Messages))}
		if rec.System != "" {
			line.System = []textBlock{{Text: rec.System}}
		}
		for i, m := range rec.Messages {
			line.Messages[i] = converseMessage{Role: m.Role, Content: []textBlock{{Text: m.Content}}}
		}
		v = line
	default:
		return nil, fmt.Errorf("marshal record: %w %q", ErrUnknownFormat, rec.Format)
	}
	var buf bytes.Buffer
	if err := encodeInto(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func nonNil(m []Message) []Message {
	if m == nil {
		return []Message{}
	}
	return m
}

func encodeInto(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	buf.Truncate(buf.Len() - 1) // Encode appends a newline
	return nil
}
