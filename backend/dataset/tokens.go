package dataset

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/npcstudio/npcstudio/backend/llama3"
)

// Tokenizer counts the tokens of a text. Validation uses CharEstimator unless a real
// tokenizer for the base model is given in Options.
type Tokenizer interface {
	CountTokens(text string) int
}

// CharsPerToken is Bedrock's own estimate for its dataset quotas ("token quota x 6").
const CharsPerToken = 6

// CharEstimator estimates tokens as characters (Unicode code points) / 6, rounded up.
type CharEstimator struct{}

// CountTokens implements Tokenizer.
func (CharEstimator) CountTokens(text string) int {
	return (utf8.RuneCountInString(text) + CharsPerToken - 1) / CharsPerToken
}

// recordTokens counts input (system prompt and user turns) and output (assistant turns).
func recordTokens(tok Tokenizer, rec Record) (in, out int) {
	if rec.System != "" {
		in = tok.CountTokens(rec.System)
	}
	for _, m := range rec.Messages {
		if m.Role == RoleAssistant {
			out += tok.CountTokens(m.Content)
		} else {
			in += tok.CountTokens(m.Content)
		}
	}
	return in, out
}

// estimateTokens is recordTokens at CharsPerToken (in, out) and at 3 characters a token
// (in3, out3), as AWS's Claude 3 Haiku data validator counts: the upper estimate where no
// tokenizer is at hand. Each text is counted once.
func estimateTokens(rec Record) (in, out, in3, out3 int) {
	if rec.System != "" {
		c := runeCount(rec.System)
		in, in3 = (c+CharsPerToken-1)/CharsPerToken, (c+2)/3
	}
	for _, m := range rec.Messages {
		c := runeCount(m.Content)
		t, t3 := (c+CharsPerToken-1)/CharsPerToken, (c+2)/3
		if m.Role == RoleAssistant {
			out, out3 = out+t, out3+t3
		} else {
			in, in3 = in+t, in3+t3
		}
	}
	return in, out, in3, out3
}

// findLlama3 finds Llama 3's tokenizer: nil when it is not installed. Tests replace it.
var findLlama3 = llama3.Default

// isLlama3 reports whether a base model uses Llama 3's tokenizer (Llama 3.1, 3.2 and 3.3).
func isLlama3(modelID string) bool { return strings.HasPrefix(modelID, "meta.llama3") }

// llamaCounter counts a record's tokens exactly as Llama 3 reads it, laid out in Meta's chat
// format (llama_models/llama3/chat_format.py): <|begin_of_text|>, then for the system prompt
// and each turn <|start_header_id|>role<|end_header_id|>\n\n, the text, <|eot_id|>. Input is
// <|begin_of_text|>, the system prompt and user turns with their markers, and the header of each
// assistant turn (the prompt a reply is generated from); output is each assistant turn's text
// and its <|eot_id|>. A prompt/completion record is one user turn and one assistant turn.
// Text that spells a special token is counted as text, as Meta's tokenizer encodes it by
// default. Where Bedrock is silent on the layout, each choice counts more tokens, not fewer.
type llamaCounter struct {
	tok                     *llama3.Tokenizer
	counter                 *llama3.Counter // one validator's: it remembers merged words
	system, user, assistant int             // header tokens of each role
}

func newLlamaCounter(tok *llama3.Tokenizer) *llamaCounter {
	return &llamaCounter{tok: tok, counter: tok.NewCounter(),
		system: tok.HeaderTokens("system"), user: tok.HeaderTokens(RoleUser), assistant: tok.HeaderTokens(RoleAssistant)}
}

func (c *llamaCounter) header(role string) int {
	switch role {
	case "system":
		return c.system
	case RoleUser:
		return c.user
	case RoleAssistant:
		return c.assistant
	}
	return c.tok.HeaderTokens(role)
}

// llamaLayout adds the chat format's tokens to the text's (textTokens) for the record;
// header gives the tokens before a message of a role.
func llamaLayout(rec Record, textTokens func(string) int, header func(role string) int) (in, out int) {
	in = 1 // <|begin_of_text|>
	if rec.System != "" {
		in += header("system") + textTokens(rec.System) + 1
	}
	for _, m := range rec.Messages {
		if m.Role == RoleAssistant {
			in += header(m.Role)
			out += textTokens(m.Content) + 1
		} else {
			in += header(m.Role) + textTokens(m.Content) + 1
		}
	}
	return in, out
}

// count is the record's exact input and output tokens.
func (c *llamaCounter) count(rec Record) (in, out int) {
	return llamaLayout(rec, c.counter.Count, c.header)
}

// llamaBound is at least llamaCounter.count without a tokenizer: a token is at least one byte
// of text, and a header's tokens are at most its 2 markers, the role's bytes and 2 for "\n\n".
func llamaBound(rec Record) (in, out int) {
	return llamaLayout(rec, func(s string) int { return len(s) }, func(role string) int { return 4 + len(role) })
}

// NovaReservedSource names the document that reserves Amazon Nova's keywords.
const NovaReservedSource = "reserved by the Amazon Nova User Guide, Preparing data for fine-tuning Understanding models: " +
	"https://docs.aws.amazon.com/nova/latest/userguide/fine-tune-prepare-data-understanding.html"

// runeCount is utf8.RuneCountInString, eight bytes at a time: the bytes of s that do not
// continue a sequence (10xxxxxx), where s is valid UTF-8; otherwise it falls back.
func runeCount(s string) int {
	const hi = 0x8080808080808080
	n, cont := len(s), 0
	i := 0
	for ; i+8 <= n; i += 8 {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		if w&hi == 0 {
			continue
		}
		cont += bits.OnesCount64(w & ^(w << 1) & hi)
	}
	for ; i < n; i++ {
		if s[i]&0xC0 == 0x80 {
			cont++
		}
	}
	if cont > 0 && !utf8.ValidString(s) {
		return utf8.RuneCountInString(s)
	}
	return n - cont
}
