package batch

import (
	"fmt"
	"strings"
)

// CheckLine returns the constraints text misses: more words than allowed, lore it
// must mention and does not (compared without letter case).
func CheckLine(text string, c Constraints) []Flag {
	var out []Flag
	if n := len(strings.Fields(text)); c.MaxWords > 0 && n > c.MaxWords {
		out = append(out, Flag{Kind: FlagTooLong, Detail: fmt.Sprintf("%d words, more than %d", n, c.MaxWords)})
	}
	lower := strings.ToLower(text)
	for _, m := range c.MustMention {
		if !strings.Contains(lower, strings.ToLower(m)) {
			out = append(out, Flag{Kind: FlagLoreMissing, Detail: fmt.Sprintf("does not mention %q", m)})
		}
	}
	return out
}

// Prompt is what the persona is asked for one line: the scene, the beat's direction,
// the constraints, and the player's line when the beat answers one.
func Prompt(sc Scene, b Beat, variant int) string {
	var s strings.Builder
	s.WriteString("[Scene")
	if sc.Setting != "" {
		s.WriteString(": " + sc.Setting)
	}
	s.WriteString("]\n")
	if b.Direction != "" {
		s.WriteString("[Direction: " + b.Direction + "]\n")
	}
	c := b.Constraints
	if len(c.Tone) > 0 {
		s.WriteString("[Tone: " + strings.Join(c.Tone, ", ") + "]\n")
	}
	if c.MaxWords > 0 {
		fmt.Fprintf(&s, "[At most %d words.]\n", c.MaxWords)
	}
	if len(c.MustMention) > 0 {
		s.WriteString("[Mention: " + strings.Join(c.MustMention, ", ") + "]\n")
	}
	if b.Variants > 1 {
		fmt.Fprintf(&s, "[Take %d of %d: word it your own way.]\n", variant, b.Variants)
	}
	if b.Player != "" {
		s.WriteString(b.Player)
	} else {
		s.WriteString("[Say your line, in character, as spoken dialogue only.]")
	}
	return s.String()
}
