package evals

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/npcstudio/npcstudio/backend/lore"
)

// Outcomes of an assertion. An error is neither a pass nor a fail: the check could not
// be made (no embedder, a judge reply that cannot be read); the case does not pass.
const (
	OutcomePass  = "pass"
	OutcomeFail  = "fail"
	OutcomeError = "error"
)

// NoEmbedder is the reason a similar assertion gives when no embedder is configured.
const NoEmbedder = "no embedder configured: set one in Lore settings (or `npcstudio lore embedder`) to check similarity"

// Outcome is what one assertion said about one answer.
type Outcome struct {
	Type    string   `json:"type"`
	Value   string   `json:"value,omitempty"`
	Outcome string   `json:"outcome"`
	Score   *float64 `json:"score,omitempty"`
	// Reason says why, in words: the phrase found or missing, the similarity, the
	// judge's reasoning, what went wrong.
	Reason string `json:"reason"`
	// Judge is the judge's raw reply (llm-rubric), kept as it came, cut at MaxText.
	Judge string `json:"judge,omitempty"`
}

// Checker checks answers; Embedder and Judge may be nil (their assertions then end in
// an error outcome that says so).
type Checker struct {
	Embedder lore.Embedder
	Judge    Judge
}

// Check runs one assertion on answer to message (asked of personaName).
func (c Checker) Check(ctx context.Context, a Assertion, personaName, message, answer string) Outcome {
	o := Outcome{Type: a.Type, Value: a.Value}
	if o.Value == "" && len(a.Values) > 0 {
		o.Value = strings.Join(a.Values, "; ")
	}
	set := func(pass bool, format string, args ...any) Outcome {
		o.Outcome = OutcomeFail
		if pass {
			o.Outcome = OutcomePass
		}
		o.Reason = fmt.Sprintf(format, args...)
		return o
	}
	lower := strings.ToLower(answer)
	switch a.Type {
	case Contains:
		return set(strings.Contains(answer, a.Value), "%s %q", map[bool]string{true: "contains", false: "does not contain"}[strings.Contains(answer, a.Value)], a.Value)
	case IContains:
		ok := strings.Contains(lower, strings.ToLower(a.Value))
		return set(ok, "%s %q (any case)", map[bool]string{true: "contains", false: "does not contain"}[ok], a.Value)
	case NotContains:
		ok := !strings.Contains(answer, a.Value)
		return set(ok, "%s %q", map[bool]string{true: "does not contain", false: "contains"}[ok], a.Value)
	case NotIContains:
		ok := !strings.Contains(lower, strings.ToLower(a.Value))
		return set(ok, "%s %q (any case)", map[bool]string{true: "does not contain", false: "contains"}[ok], a.Value)
	case Regex:
		re, err := regexp.Compile(a.Value)
		if err != nil {
			o.Outcome, o.Reason = OutcomeError, "not a regular expression: "+err.Error()
			return o
		}
		if m := re.FindString(answer); re.MatchString(answer) {
			return set(true, "matches /%s/ at %q", a.Value, m)
		}
		return set(false, "does not match /%s/", a.Value)
	case Words:
		n := len(strings.Fields(answer))
		ok := n >= a.Min && (a.Max == 0 || n <= a.Max)
		bounds := fmt.Sprintf("at least %d", a.Min)
		if a.Max > 0 {
			bounds = fmt.Sprintf("%d to %d", a.Min, a.Max)
		}
		return set(ok, "%d words; wanted %s", n, bounds)
	case InCharacter:
		for _, p := range append(append([]string{}, OutOfCharacter...), a.Values...) {
			if p != "" && strings.Contains(lower, strings.ToLower(p)) {
				return set(false, "out of character: says %q", p)
			}
		}
		return set(true, "stays in character")
	case MentionsLore:
		var missing []string
		for _, f := range a.Values {
			if !strings.Contains(lower, strings.ToLower(f)) {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return set(false, "does not mention %s", quoteAll(missing))
		}
		return set(true, "mentions %s", quoteAll(a.Values))
	case AvoidsLore:
		var found []string
		for _, f := range a.Values {
			if strings.Contains(lower, strings.ToLower(f)) {
				found = append(found, f)
			}
		}
		if len(found) > 0 {
			return set(false, "mentions %s, which it should avoid", quoteAll(found))
		}
		return set(true, "avoids %s", quoteAll(a.Values))
	case Similar:
		return c.similar(ctx, a, answer, o)
	case LLMRubric:
		return c.rubric(ctx, a, personaName, message, answer, o)
	}
	o.Outcome, o.Reason = OutcomeError, fmt.Sprintf("unknown assertion type %q", a.Type)
	return o
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func (c Checker) similar(ctx context.Context, a Assertion, answer string, o Outcome) Outcome {
	if c.Embedder == nil {
		o.Outcome, o.Reason = OutcomeError, NoEmbedder
		return o
	}
	want := DefaultSimilar
	if a.Threshold != nil {
		want = *a.Threshold
	}
	vecs, err := c.Embedder.Embed(ctx, []string{answer, a.Value})
	if err != nil {
		o.Outcome, o.Reason = OutcomeError, "embedding the answer: "+err.Error()
		return o
	}
	if len(vecs) != 2 || len(vecs[0]) == 0 || len(vecs[0]) != len(vecs[1]) {
		o.Outcome, o.Reason = OutcomeError, "the embedder returned vectors that cannot be compared"
		return o
	}
	s := cosine(vecs[0], vecs[1])
	o.Score = &s
	o.Outcome = OutcomeFail
	if s >= want {
		o.Outcome = OutcomePass
	}
	o.Reason = fmt.Sprintf("similarity %.3f to the reference (threshold %.2f, embedder %s)", s, want, c.Embedder.ID())
	return o
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / (math.Sqrt(na) * math.Sqrt(nb))
}
