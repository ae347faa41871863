package persona

import (
	"regexp"
	"strings"
)

// A card's example dialogue (mes_example) holds sample exchanges, each opened by a <START>
// line. <START> is a marker for the front end, not text for the model: SillyTavern splits
// the examples at it (in any case), and puts its example separator at the head of each
// block instead. Render does the same, so no <START> reaches a prompt.

var startMarker = regexp.MustCompile(`(?i)<START>`)

// ExampleBlocks splits a card's example dialogue into its exchanges at <START> markers. Text
// before the first marker is an exchange of its own (SillyTavern reads such a card as if it
// began with <START>); blank exchanges are dropped.
func ExampleBlocks(s string) []string {
	var out []string
	for _, b := range startMarker.Split(s, -1) {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}

// ExampleSeparator is the head of each example exchange in a prompt for family f: SillyTavern's
// "[Example Chat]" for chat APIs (it opens each exchange there), its default example separator
// "***" for the text-completion families.
func ExampleSeparator(f Family) string {
	switch f {
	case FamilyTitanText, FamilyLlama3:
		return "***"
	}
	return "[Example Chat]"
}

// exampleDialogue is the examples as a template shows them: each exchange under its separator.
func exampleDialogue(blocks []string, f Family) string {
	if len(blocks) == 0 {
		return ""
	}
	sep := ExampleSeparator(f)
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		parts[i] = sep + "\n" + b
	}
	return strings.Join(parts, "\n")
}
