package chat_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

func TestLineRendersThePersonaAndKeepsNoChat(t *testing.T) {
	e := newEnv(t)
	got, err := e.runner.Line(context.Background(), "Mira Saltwhistle", "Can you mend this anchor?", chat.Config{Provider: "local", Mode: chat.ModeBase})
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "Well met, traveller." || got.Model != "llama3.1:8b" || got.Usage == nil || got.Provider != "local" {
		t.Fatalf("line = %+v", got)
	}
	reqs := e.fake.ChatRequests()
	if len(reqs) != 1 || !strings.Contains(fmt.Sprint(reqs[0]["messages"]), "You are Mira Saltwhistle") {
		t.Fatalf("requests: %v", reqs)
	}
	if page, err := e.chats.List(chat.ListOptions{WithCompare: true}); err != nil || page.Total != 0 {
		t.Fatalf("a line left chats behind: %+v, %v", page, err)
	}
	// An answer cut midway is no line.
	e.fake.Script(openaifake.Reply{Tokens: []string{"The", " tide"}, Cut: true, CutAfter: 1})
	if _, err := e.runner.Line(context.Background(), "Mira Saltwhistle", "Again?", chat.Config{Provider: "local", Mode: chat.ModeBase}); err == nil {
		t.Error("a cut answer was returned as a line")
	}
	if _, err := e.runner.Line(context.Background(), "Nobody", "Hi", chat.Config{Provider: "local", Mode: chat.ModeBase}); err == nil {
		t.Error("a missing persona wrote a line")
	}
}
