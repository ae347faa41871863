// Package prose holds the small text rules every area shares: how many tokens a text is
// estimated to take in a prompt, and how a count reads to a writer.
package prose

import (
	"strconv"
	"unicode/utf8"
)

// CharsPerToken is the prompt token estimate's ratio: about four characters a token, the
// usual figure for English prose with the BPE tokenizers of Claude, Llama 3 and GPT models.
// It counts characters (runes), not bytes, so accented text is not over-counted. (Tuning
// datasets use Bedrock's own quota figure instead; see dataset.CharsPerToken.)
const CharsPerToken = 4

// EstimateTokens estimates how many tokens text takes: its characters divided by
// CharsPerToken, rounded up. Real counts differ by model and language; use it to compare
// and to budget, not to bill.
func EstimateTokens(text string) int {
	n := utf8.RuneCountInString(text)
	return (n + CharsPerToken - 1) / CharsPerToken
}

// Count says "1 record" or "3 records".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// Size says how big n bytes is, as a writer reads it: "512 bytes", "3.2 KB", "1.5 MB", "2.0 GB".
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
