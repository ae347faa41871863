package chat

import (
	"context"
	"fmt"

	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/prose"
)

// LineReply is one reply made outside any chat: a batch script line, a test suite's
// answer.
type LineReply struct {
	Text       string     `json:"text"`
	Provider   string     `json:"provider"`
	Model      string     `json:"model"`
	Mode       Mode       `json:"mode"`
	StopReason string     `json:"stopReason,omitempty"`
	Usage      *Usage     `json:"usage,omitempty"`
	CostUSD    *float64   `json:"costUsd,omitempty"`
	Citations  []Citation `json:"citations,omitempty"`
	// LoreNote says why a RAG reply has no lore, when it has none.
	LoreNote string `json:"loreNote,omitempty"`
	Attempts int    `json:"attempts"`
}

// Line asks cfg for personaRef's reply to text, with no chat kept: the same prompt
// rendering, lore retrieval (RAG) and provider a chat reply goes through, without its
// history. A reply cut midway is an error: a line is whole or it is not kept.
func (r *Runner) Line(ctx context.Context, personaRef, text string, cfg Config) (LineReply, error) {
	return r.LineAfter(ctx, personaRef, nil, text, cfg)
}

// LineAfter is Line with earlier turns (a scripted conversation, as a multi-turn test
// case has) rendered as the chat history before text.
func (r *Runner) LineAfter(ctx context.Context, personaRef string, history []Turn, text string, cfg Config) (LineReply, error) {
	out := LineReply{Provider: cfg.Provider, Mode: cfg.Mode}
	if err := cfg.Validate("config"); err != nil {
		return out, err
	}
	pv, err := r.Personas.Get(personaRef)
	if err != nil {
		return out, err
	}
	p, err := r.Providers.Get(cfg.Provider)
	if err != nil {
		return out, fmt.Errorf("%w: add it in Settings or with `npcstudio provider add`", err)
	}
	key, err := r.Providers.APIKey(p)
	if err != nil {
		return out, err
	}
	newProvider := r.NewProvider
	if newProvider == nil {
		newProvider = llm.New
	}
	lp, err := newProvider(p, key, r.LLM)
	if err != nil {
		return out, err
	}
	var hist []Message
	for _, t := range history {
		hist = append(hist, Message{Role: t.Role, Text: t.Text})
	}
	var reply Message
	prompt, req, err := r.prepare(ctx, pv, p, cfg, hist, text, &reply, func(Event) error { return nil })
	if err != nil {
		return out, err
	}
	res, err := lp.Chat(ctx, req, nil)
	if err != nil {
		return out, err
	}
	out.Text, out.Model, out.StopReason, out.Attempts = res.Text, res.Model, res.StopReason, res.Attempts
	out.Citations, out.LoreNote = reply.Citations, reply.LoreNote
	if res.Usage != nil {
		out.Usage = &Usage{InputTokens: res.Usage.InputTokens, OutputTokens: res.Usage.OutputTokens}
	} else if res.Text != "" {
		out.Usage = &Usage{InputTokens: prompt.Tokens, OutputTokens: prose.EstimateTokens(res.Text), Estimated: true}
	}
	if usd, ok := EstimateCost(out.Model, out.Usage); ok {
		out.CostUSD = &usd
	}
	return out, nil
}
