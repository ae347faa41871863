package batch_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
)

// loreStub is a lore library with one passage; it records the queries it gets.
type loreStub struct {
	mu      sync.Mutex
	queries []string
}

func (l *loreStub) Retrieve(_ context.Context, collections []string, query string, _ int) (chat.Retrieval, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, query)
	return chat.Retrieval{Passages: []chat.Passage{{Doc: "harbour-log", Chunk: 2, Score: 0.9,
		Text: "The lighthouse oil store was found empty on the night Bren Harrow kept the watch."}}}, nil
}

func TestRAGLinesAreGroundedLikeChat(t *testing.T) {
	e := newEnv(t)
	lore := &loreStub{}
	e.runner.Writer.(*chat.Runner).Retriever = lore
	run := e.create(t, e.example(t))
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 1}); err != nil {
		t.Fatal(err)
	}
	// Only pier_night is in RAG mode: two lines, two searches.
	if len(lore.queries) != 2 {
		t.Fatalf("%d lore searches, want 2", len(lore.queries))
	}
	grounded := 0
	for _, r := range e.fake.ChatRequests() {
		body := fmt.Sprint(r["messages"])
		if strings.Contains(body, "oil store was found empty") {
			grounded++
			if !strings.Contains(body, "pier") {
				t.Errorf("lore went into a request of another scene: %s", body)
			}
		}
	}
	if grounded != 2 {
		t.Errorf("%d requests carry the lore, want 2", grounded)
	}
	for _, l := range e.lines(t, run.ID) {
		cited := len(l.Citations) > 0
		if cited != (l.Scene == "pier_night") || l.Mode != map[bool]string{true: "rag", false: "base"}[l.Scene == "pier_night"] {
			t.Errorf("line %s: mode %s, citations %v", l.ID, l.Mode, l.Citations)
		}
	}
}
