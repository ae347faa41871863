package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// chatApp is a workspace with Mira and provider "local" on an OpenAI-compatible fake.
func chatApp(t *testing.T) (*App, *recorder, *openaifake.Server, chat.View) {
	t.Helper()
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	a.Chat.llm = llm.Options{Retry: llm.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Second}, IdleTimeout: 5 * time.Second}
	fake := openaifake.New("llama3.1:8b")
	t.Cleanup(fake.Close)
	if _, err := a.Providers.Add(AddProviderRequest{Provider: provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Personas.Create(CreatePersonaRequest{FromFile: filepath.Join("..", "testdata", "persona", "personas", "mira.json")}); err != nil {
		t.Fatal(err)
	}
	v, err := a.Chat.Create(CreateChatRequest{PersonaRef: "Mira Saltwhistle"})
	if err != nil {
		t.Fatal(err)
	}
	return a, rec, fake, v
}

// opEnd waits for an operation's done or error and returns all its events.
func opEnd(t *testing.T, rec *recorder, id string) []OpEvent {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if evs := rec.of(id); len(evs) > 0 && (evs[len(evs)-1].Type == "done" || evs[len(evs)-1].Type == "error") {
			return evs
		}
	}
	t.Fatalf("operation %s never ended", id)
	return nil
}

// streamed joins the text of a column's data events and counts the events.
func streamed(evs []OpEvent, col int) (string, int) {
	var b strings.Builder
	n := 0
	for _, e := range evs {
		if e.Type != "data" {
			continue
		}
		n++
		for _, p := range e.Data.(ChatStream).Parts {
			if p.Column == col {
				b.WriteString(p.Text)
			}
		}
	}
	return b.String(), n
}

func TestChatSendStreamsInBatchesAndSavesTheReply(t *testing.T) {
	a, rec, fake, v := chatApp(t)
	tokens := make([]string, 40)
	for i := range tokens {
		tokens[i] = " word"
	}
	fake.Script(openaifake.Reply{Tokens: tokens, TokenDelay: 3 * time.Millisecond})
	id, err := a.Chat.Send(SendRequest{OpID: "send-1", ChatID: v.Chat.ID, Message: "Talk to me.", Config: chat.Config{Provider: "local", Mode: chat.ModeBase}})
	if err != nil || id != "send-1" {
		t.Fatalf("%q %v", id, err)
	}
	evs := opEnd(t, rec, id)
	last := evs[len(evs)-1]
	if last.Type != "done" || last.Kind != OpChatSend {
		t.Fatalf("ended with %+v", last)
	}
	res := last.Data.(chat.Result)
	text, batches := streamed(evs, 0)
	if res.Reply == nil || text != res.Reply.Text || text != strings.Repeat(" word", 40) {
		t.Fatalf("streamed %q, saved %+v", text, res.Reply)
	}
	// About 120 ms of tokens arrive in a few batches, not one event a token.
	if batches < 2 || batches > 10 {
		t.Errorf("%d data events for 40 tokens", batches)
	}
	got, _ := a.Chat.Get(ChatRef{ID: v.Chat.ID})
	if got.Path[len(got.Path)-1] != res.Reply.ID || got.Messages[1].Text != "Talk to me." {
		t.Errorf("chat after send: %+v", got)
	}

	t.Run("bad input is refused before anything starts", func(t *testing.T) {
		for _, req := range []SendRequest{
			{ChatID: v.Chat.ID, Message: " ", Config: chat.Config{Provider: "local", Mode: chat.ModeBase}},
			{ChatID: v.Chat.ID, Message: "Hi", Config: chat.Config{Provider: "local", Mode: "loud"}},
			{ChatID: v.Chat.ID, Message: "Hi", Config: chat.Config{Mode: chat.ModeBase}},
		} {
			if _, err := a.Chat.Send(req); FormatError(err).Code != "invalid" {
				t.Errorf("%+v: %v", req, err)
			}
		}
	})
}

func TestChatStopKeepsThePartReceived(t *testing.T) {
	a, rec, fake, v := chatApp(t)
	fake.Script(openaifake.Reply{Tokens: []string{"Slow", " and", " steady", " wins"}, TokenDelay: 400 * time.Millisecond})
	id, err := a.Chat.Send(SendRequest{OpID: "send-stop", ChatID: v.Chat.ID, Message: "Go on.", Config: chat.Config{Provider: "local", Mode: chat.ModeBase}})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if text, _ := streamed(rec.of(id), 0); text != "" {
			break
		}
	}
	if ok, _ := a.Operations.Cancel(CancelRequest{ID: id}); !ok {
		t.Fatal("not running")
	}
	evs := opEnd(t, rec, id)
	res := evs[len(evs)-1].Data.(chat.Result)
	if res.Reply == nil || !res.Reply.Stopped || res.Reply.Text != "Slow" {
		t.Fatalf("stopped reply %+v", res.Reply)
	}

	// Regenerate makes a sibling answer (a swipe) and keeps the stopped one.
	id, err = a.Chat.Regenerate(RegenerateRequest{OpID: "regen", ChatID: v.Chat.ID, MessageID: res.Reply.ID})
	if err != nil {
		t.Fatal(err)
	}
	evs = opEnd(t, rec, id)
	again := evs[len(evs)-1].Data.(chat.Result)
	if again.Reply == nil || again.Reply.ParentID != res.Reply.ParentID || again.Reply.Text != "Well met, traveller." {
		t.Fatalf("regenerated %+v", again.Reply)
	}
	back, err := a.Chat.SelectSwipe(SelectSwipeRequest{ChatID: v.Chat.ID, MessageID: res.Reply.ID})
	if err != nil || back.Path[len(back.Path)-1] != res.Reply.ID {
		t.Errorf("swipe back: %v %v", back.Path, err)
	}
}

func TestChatProviderThatNeverAnswersTimesOut(t *testing.T) {
	a, rec, fake, v := chatApp(t)
	fake.Script(openaifake.Reply{Hang: true})
	id, err := a.Chat.Send(SendRequest{ChatID: v.Chat.ID, Message: "Hello?", Config: chat.Config{Provider: "local", Mode: chat.ModeBase}, TimeoutSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	evs := opEnd(t, rec, id)
	last := evs[len(evs)-1]
	if last.Type != "error" || last.Error.Code != "timeout" || !strings.Contains(last.Error.Message, "no answer within 1s") {
		t.Fatalf("ended with %+v %+v", last, last.Error)
	}
	got, _ := a.Chat.Get(ChatRef{ID: v.Chat.ID})
	if got.Messages[len(got.Messages)-1].Text != "Hello?" {
		t.Errorf("the player's line is lost: %+v", got.Messages)
	}
}

func TestChatCompareStreamsColumnsAndKeepsVerdicts(t *testing.T) {
	a, rec, fake, _ := chatApp(t)
	fake.Default = openaifake.Reply{Tokens: []string{"Aye", ",", " landfolk", "."}, TokenDelay: 10 * time.Millisecond}
	a.SetLoreRetriever(retrieverFunc(func(context.Context, []string, string, int) (chat.Retrieval, error) {
		return chat.Retrieval{Passages: []chat.Passage{{Doc: "harbour.md", Chunk: 1, Score: 0.8, Text: "The harbour freezes in Frostmonth."}}}, nil
	}))
	if s, _ := a.Chat.Setup(); !s.LoreReady || len(s.Modes) != 3 || s.BatchMs != 40 {
		t.Errorf("setup %+v", s)
	}
	cfgs := []chat.Config{{Provider: "local", Mode: chat.ModeBase}, {Provider: "local", Mode: chat.ModeFineTuned}, {Provider: "local", Mode: chat.ModeRAG}}
	if _, err := a.Chat.Compare(CompareRequest{PersonaRef: "Mira Saltwhistle", Message: "Hi", Configs: cfgs[:1]}); FormatError(err).Field != "configs" {
		t.Errorf("one column: %v", err)
	}
	id, err := a.Chat.Compare(CompareRequest{OpID: "cmp", PersonaRef: "Mira Saltwhistle", Message: "Is the harbour safe?", Configs: cfgs})
	if err != nil {
		t.Fatal(err)
	}
	evs := opEnd(t, rec, id)
	if last := evs[len(evs)-1]; last.Type != "done" {
		t.Fatalf("compare ended with %+v", last.Error)
	}
	run := evs[len(evs)-1].Data.(chat.Run)
	for i := range 3 {
		text, _ := streamed(evs, i)
		if text != "Aye, landfolk." || run.Columns[i].Answer == nil || run.Columns[i].Answer.Text != text {
			t.Errorf("column %d streamed %q, answered %+v", i, text, run.Columns[i].Answer)
		}
	}
	var cited bool
	for _, e := range evs {
		if e.Type == "data" {
			for _, p := range e.Data.(ChatStream).Parts {
				cited = cited || (p.Column == 2 && len(p.Citations) == 1 && p.Citations[0].Doc == "harbour.md")
			}
		}
	}
	if !cited || len(run.Columns[2].Answer.Citations) != 1 {
		t.Errorf("the RAG column's citation did not stream or was not kept")
	}
	if _, err := a.Settings.Save(Settings{Author: "Ana Writer"}); err != nil {
		t.Fatal(err)
	}
	judged, err := a.Chat.SaveVerdict(VerdictRequest{RunID: run.ID, Winner: 2, Note: "Knows the harbour."})
	if err != nil || judged.Verdict.Author != "Ana Writer" {
		t.Fatalf("%+v %v", judged.Verdict, err)
	}
	page, err := a.Chat.ListVerdicts(chat.RunListOptions{})
	if err != nil || page.Total != 1 || page.Items[0].Verdict.Note != "Knows the harbour." {
		t.Fatalf("verdicts %+v %v", page, err)
	}

	// An answer from a column becomes training data with the prompt it answered.
	ds, err := a.Datasets.Create(dataset.CreateDatasetRequest{Name: "Mira lines", BaseModel: "anthropic.claude-3-haiku-20240307-v1:0"})
	if err != nil {
		t.Fatal(err)
	}
	col := run.Columns[2]
	saved, err := a.Chat.SaveAsTrainingData(TrainingDataRequest{ChatID: col.ChatID, MessageID: col.AnswerID, DatasetID: ds.ID,
		CorrectedReply: "Aye, landfolk, till Frostmonth freezes it.", Tags: []string{"harbour"}})
	if err != nil {
		t.Fatal(err)
	}
	r := saved.Added.Record
	if r.Record.System == "" || !strings.Contains(r.Record.System, "The harbour freezes in Frostmonth.") || !strings.Contains(r.Record.System, "You are Mira Saltwhistle") {
		t.Errorf("record system %q", r.Record.System)
	}
	msgs := r.Record.Messages
	if len(msgs) < 2 || msgs[0].Role != "user" || msgs[len(msgs)-1].Content != "Aye, landfolk, till Frostmonth freezes it." ||
		!strings.HasPrefix(msgs[len(msgs)-2].Content, "Is the harbour safe?") || !strings.Contains(r.Source, col.ChatID) {
		t.Errorf("record %+v", r)
	}
	if _, err := a.Chat.SaveAsTrainingData(TrainingDataRequest{ChatID: col.ChatID, MessageID: col.UserMessageID, DatasetID: ds.ID}); FormatError(err).Code != "invalid" {
		t.Errorf("a player's line as training data: %v", err)
	}
}

type retrieverFunc func(ctx context.Context, collections []string, query string, budget int) (chat.Retrieval, error)

func (f retrieverFunc) Retrieve(ctx context.Context, collections []string, query string, budget int) (chat.Retrieval, error) {
	return f(ctx, collections, query, budget)
}

func TestStreamBatcherKeepsColumnsApartAndOrder(t *testing.T) {
	var got []ChatStream
	b := newStreamBatcher(time.Hour, func(cs ChatStream) { got = append(got, cs) }, discard())
	b.add(1, chat.Event{Type: chat.EventToken, Text: "a"})
	b.add(0, chat.Event{Type: chat.EventNotice, Text: "no lore"})
	b.add(1, chat.Event{Type: chat.EventToken, Text: "b"})
	b.add(0, chat.Event{Type: chat.EventCitation, Citation: &chat.Citation{ID: "1"}})
	b.close()
	if len(got) != 1 || len(got[0].Parts) != 2 {
		t.Fatalf("%+v", got)
	}
	p1, p0 := got[0].Parts[0], got[0].Parts[1]
	if p1.Column != 1 || p1.Text != "ab" || p0.Column != 0 || p0.Notices[0] != "no lore" || p0.Citations[0].ID != "1" {
		t.Errorf("%+v", got[0].Parts)
	}
}
