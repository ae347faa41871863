package evals

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// Judge asks a model to grade an answer: system and user are the judge's prompt; it
// returns the judge's reply as it came.
type Judge interface {
	Grade(ctx context.Context, system, user string) (string, error)
}

// JudgeSystem is the judge's instructions; its reply format is strict (see ParseVerdict).
const JudgeSystem = `You grade one answer a game character (an NPC) gave to a player, against a rubric.
Reply with one JSON object and nothing else, exactly of this form:
{"pass": true or false, "score": a number from 0 to 1, "reason": "one or two sentences on why"}`

// JudgePrompt is what the judge is shown.
func JudgePrompt(personaName, message, answer, rubric string) string {
	return fmt.Sprintf("Character: %s\n\nThe player said:\n%s\n\nThe character answered:\n%s\n\nRubric:\n%s\n",
		personaName, message, answer, rubric)
}

// Verdict is a judge's reply.
type Verdict struct {
	Pass   bool    `json:"pass"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

// ParseVerdict reads a judge's reply: one JSON object {"pass","score","reason"}, all
// three present, score within 0..1, no other keys; a Markdown code fence around it is
// allowed. Anything else is an error saying what is wrong.
func ParseVerdict(reply string) (Verdict, error) {
	s := strings.TrimSpace(reply)
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "```json"), "```")
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "```"))
	}
	if s == "" {
		return Verdict{}, errors.New("the judge replied with nothing")
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	if err := dec.Decode(&raw); err != nil {
		return Verdict{}, fmt.Errorf("the judge's reply is not a JSON object: %v", err)
	}
	if dec.More() {
		return Verdict{}, errors.New("the judge's reply has text after the JSON object")
	}
	var v Verdict
	for _, k := range []string{"pass", "score", "reason"} {
		if _, ok := raw[k]; !ok {
			return Verdict{}, fmt.Errorf("the judge's reply has no %q", k)
		}
	}
	for k := range raw {
		if k != "pass" && k != "score" && k != "reason" {
			return Verdict{}, fmt.Errorf("the judge's reply has an unexpected key %q", k)
		}
	}
	if err := json.Unmarshal(raw["pass"], &v.Pass); err != nil {
		return Verdict{}, fmt.Errorf("the judge's \"pass\" is not true or false: %s", raw["pass"])
	}
	if err := json.Unmarshal(raw["score"], &v.Score); err != nil || v.Score < 0 || v.Score > 1 {
		return Verdict{}, fmt.Errorf("the judge's \"score\" is not a number from 0 to 1: %s", raw["score"])
	}
	if err := json.Unmarshal(raw["reason"], &v.Reason); err != nil || strings.TrimSpace(v.Reason) == "" {
		return Verdict{}, errors.New("the judge's \"reason\" is missing or not text")
	}
	return v, nil
}

func (c Checker) rubric(ctx context.Context, a Assertion, personaName, message, answer string, o Outcome) Outcome {
	if c.Judge == nil {
		o.Outcome, o.Reason = OutcomeError, "no judge chosen: pick a judge provider to grade rubrics"
		return o
	}
	reply, err := c.Judge.Grade(ctx, JudgeSystem, JudgePrompt(personaName, message, answer, a.Value))
	if len(reply) > MaxText {
		reply = reply[:MaxText]
	}
	o.Judge = reply
	if err != nil {
		o.Outcome, o.Reason = OutcomeError, "the judge could not be asked: "+err.Error()
		return o
	}
	v, err := ParseVerdict(reply)
	if err != nil {
		o.Outcome, o.Reason = OutcomeError, err.Error()
		return o
	}
	score := v.Score
	o.Score = &score
	o.Reason = v.Reason
	pass := v.Pass
	if a.Threshold != nil && score < *a.Threshold {
		pass = false
		o.Reason = fmt.Sprintf("%s (score %.2f under the threshold %.2f)", v.Reason, score, *a.Threshold)
	}
	o.Outcome = OutcomeFail
	if pass {
		o.Outcome = OutcomePass
	}
	return o
}

// ProviderJudge is a Judge that asks a configured provider's model directly, without
// any persona.
type ProviderJudge struct {
	Providers chat.Providers
	Config    chat.Config
	LLM       llm.Options
	// NewProvider makes the model client; nil means llm.New.
	NewProvider func(p provider.Provider, apiKey string, o llm.Options) (llm.Provider, error)
}

// Grade implements Judge.
func (j *ProviderJudge) Grade(ctx context.Context, system, user string) (string, error) {
	p, err := j.Providers.Get(j.Config.Provider)
	if err != nil {
		return "", fmt.Errorf("judge: %w", err)
	}
	key, err := j.Providers.APIKey(p)
	if err != nil {
		return "", err
	}
	newProvider := j.NewProvider
	if newProvider == nil {
		newProvider = llm.New
	}
	lp, err := newProvider(p, key, j.LLM)
	if err != nil {
		return "", err
	}
	t := float32(0)
	res, err := lp.Chat(ctx, llm.Request{System: system, Model: j.Config.Model, MaxTokens: 400, Temperature: &t,
		Messages: []llm.Message{{Role: llm.RoleUser, Text: user}}}, nil)
	if err != nil {
		return res.Text, err
	}
	return res.Text, nil
}
