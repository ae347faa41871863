package dataset

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"
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
