package dataset

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Loss lists what a conversion dropped or changed, in words a writer reads; empty means lossless.
type Loss []string

// Lossy reports whether anything was lost.
func (l Loss) Lossy() bool { return len(l) > 0 }

// ErrNotConvertible is returned for a record that has no shape in the target format
// (for example a conversation that does not end with the assistant's reply, to prompt/completion).
var ErrNotConvertible = errors.New("record cannot be converted")

// Convert rewrites rec in format to.
//
// Lossless: prompt/completion <-> input/output; any single-turn record without a system prompt
// to either message format; claude-messages <-> bedrock-conversation (text only).
// Lossy, and said so in the Loss:
//   - to prompt/completion or input/output, a system prompt is dropped (neither format has one,
//     nor does the guidance's deployed endpoint send one);
//   - to those formats, a conversation of more than one exchange is flattened: the earlier turns
//     become the prompt, labelled "User:" and "Assistant:", and the last reply the completion.
func Convert(rec Record, to Format) (Record, Loss, error) {
	switch to {
	case FormatClaudeMessages, FormatBedrockConversation:
		out := Record{Format: to, System: rec.System, Messages: append([]Message(nil), rec.Messages...)}
		if to == rec.Format {
			out.SchemaVersion = rec.SchemaVersion
		}
		return out, nil, nil
	case FormatPromptCompletion, FormatInputOutput:
	default:
		return Record{}, nil, fmt.Errorf("convert record: %w %q", ErrUnknownFormat, to)
	}
	n := len(rec.Messages)
	if n < 2 || rec.Messages[n-1].Role != RoleAssistant {
		return Record{}, nil, fmt.Errorf("%w to %s: it must end with the assistant's reply after at least one user turn", ErrNotConvertible, to)
	}
	var loss Loss
	if rec.System != "" {
		loss = append(loss, fmt.Sprintf("system prompt dropped (%d characters): %s records have none", utf8.RuneCountInString(rec.System), to))
	}
	earlier := rec.Messages[:n-1]
	prompt := earlier[0].Content
	if len(earlier) > 1 || earlier[0].Role != RoleUser {
		var b strings.Builder
		for i, m := range earlier {
			if i > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(roleLabel(m.Role))
			b.WriteString(": ")
			b.WriteString(m.Content)
		}
		prompt = b.String()
		loss = append(loss, fmt.Sprintf("%d turns flattened into one prompt with User:/Assistant: labels", len(earlier)))
	}
	out := Record{Format: to, Messages: []Message{
		{Role: RoleUser, Content: prompt},
		{Role: RoleAssistant, Content: rec.Messages[n-1].Content},
	}}
	return out, loss, nil
}

func roleLabel(role string) string {
	switch role {
	case RoleUser:
		return "User"
	case RoleAssistant:
		return "Assistant"
	}
	if role == "" {
		return "Unknown"
	}
	r, size := utf8.DecodeRuneInString(role)
	return string(unicode.ToUpper(r)) + role[size:]
}
