package dataset

import (
	"context"
	"fmt"
	"strings"
)

// ChatExample is an exchange from the chat, saved as training data: the full rendered system
// prompt the model saw, the turns, and the reply to train on.
type ChatExample struct {
	DatasetID   string `json:"datasetId"`
	BaseVersion int    `json:"baseVersion"`
	// System is the rendered system prompt (persona, lore, instructions), exactly as sent.
	System string `json:"system"`
	// Messages are the turns up to the reply, oldest first. If the last is the model's reply,
	// Reply (when given) replaces it.
	Messages []Message `json:"messages"`
	// Reply is the reply to train on: the writer's corrected version of the model's answer.
	Reply string   `json:"reply"`
	Tags  []string `json:"tags"`
	// Source says where the exchange came from (persona, model, time); it is kept with the record.
	Source string `json:"source"`
}

// AddFromChat adds a chat exchange to a dataset as a new record (and version). The record keeps
// every turn and the system prompt; exporting it to a single-turn format says what that loses.
func (r *Repository) AddFromChat(ctx context.Context, ex ChatExample) (RecordView, Version, error) {
	msgs := append([]Message(nil), ex.Messages...)
	reply := strings.TrimSpace(ex.Reply)
	if n := len(msgs); reply != "" && n > 0 && msgs[n-1].Role == RoleAssistant {
		msgs[n-1].Content = ex.Reply
	} else if reply != "" {
		msgs = append(msgs, Message{Role: RoleAssistant, Content: ex.Reply})
	}
	if err := checkChat(msgs); err != nil {
		return RecordView{}, Version{}, fmt.Errorf("save chat as training data: %w", err)
	}
	source := ex.Source
	if source == "" {
		source = "chat"
	}
	return r.AddRecord(ctx, AddRecordRequest{
		DatasetID: ex.DatasetID, BaseVersion: ex.BaseVersion,
		Record: Record{System: ex.System, Messages: msgs}, Tags: ex.Tags, Source: source,
	})
}

func checkChat(msgs []Message) error {
	if len(msgs) == 0 || msgs[len(msgs)-1].Role != RoleAssistant || strings.TrimSpace(msgs[len(msgs)-1].Content) == "" {
		return &Problem{Field: "reply", Message: "a training example needs the reply to train on"}
	}
	for i, m := range msgs {
		if m.Role != RoleUser && m.Role != RoleAssistant {
			return &Problem{Field: at("messages", i) + ".role", Message: fmt.Sprintf("role must be user or assistant, not %q", m.Role)}
		}
	}
	if msgs[0].Role != RoleUser {
		return &Problem{Field: "messages[0].role", Message: "the exchange must start with the player's (user) turn: Bedrock records cannot open with the NPC's line (drop the greeting or put it in the system prompt)"}
	}
	return nil
}
