package app

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// ChatService is chatting with an NPC: chats kept as trees (swipes, branches), replies
// streamed as operations, compare runs side by side with verdicts, and saving an exchange
// as training data.
type ChatService struct {
	a *App

	mu        sync.Mutex
	retriever chat.Retriever
	// llm are the model client options (tests shorten retries and timeouts).
	llm llm.Options
}

// Kinds of the chat operations, as their events report them.
const (
	OpChatSend    = "chat.send"
	OpChatCompare = "chat.compare"
)

// streamBatchEvery is how often streamed tokens cross to the window (STYLE.md: 30-50 ms).
const streamBatchEvery = 40 * time.Millisecond

// SetLoreRetriever plugs the lore library into RAG mode. Until it is called, RAG mode says
// that the library is not set up and answers without lore.
func (a *App) SetLoreRetriever(r chat.Retriever) {
	a.Chat.mu.Lock()
	defer a.Chat.mu.Unlock()
	a.Chat.retriever = r
}

// runner builds a Runner over the open workspace. timeoutSeconds, when set, is how long a
// reply may stay silent (before the first token and between two).
func (s *ChatService) runner(timeoutSeconds int) (*chat.Runner, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	r := &chat.Runner{Chats: chat.NewRepository(st), Personas: persona.NewRepository(st),
		Providers: provider.NewRegistry(st, s.a.secrets), Retriever: s.retriever, LLM: s.llm}
	s.mu.Unlock()
	if timeoutSeconds < 0 {
		return nil, fault.Invalid("timeoutSeconds", "must not be negative")
	}
	if timeoutSeconds > 0 {
		r.LLM.IdleTimeout = time.Duration(timeoutSeconds) * time.Second
	}
	return r, nil
}

func (s *ChatService) repo() (*chat.Repository, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return chat.NewRepository(st), nil
}

// ModeOption is a mode as the window's picker offers it.
type ModeOption struct {
	ID     chat.Mode `json:"id"`
	Label  string    `json:"label"`
	Detail string    `json:"detail"`
}

// ChatSetup is what the chat window needs to know before a chat starts.
type ChatSetup struct {
	Modes []ModeOption `json:"modes"`
	// LoreReady says a lore library answers RAG mode; when false, NoLoreNote says so.
	LoreReady    bool   `json:"loreReady"`
	NoLoreNote   string `json:"noLoreNote"`
	NPCAPINotice string `json:"npcapiNotice"`
	// BatchMs is how often streamed tokens arrive.
	BatchMs    int `json:"batchMs"`
	MinCompare int `json:"minCompare"`
	MaxCompare int `json:"maxCompare"`
}

// Setup returns the modes, whether the lore library is plugged in, and the compare limits.
func (s *ChatService) Setup() (out ChatSetup, err error) {
	defer guard(s.a.log, &err)
	s.mu.Lock()
	ready := s.retriever != nil
	s.mu.Unlock()
	return ChatSetup{
		Modes: []ModeOption{
			{chat.ModeBase, "Base", "a foundation model with the persona"},
			{chat.ModeFineTuned, "Fine-tuned", "a custom model (pick its model id or ARN) with the persona"},
			{chat.ModeRAG, "RAG", "the persona plus lore retrieved for the line, with citations"},
		},
		LoreReady: ready, NoLoreNote: chat.NoLoreNote, NPCAPINotice: chat.NPCAPINotice,
		BatchMs: int(streamBatchEvery / time.Millisecond), MinCompare: chat.MinColumns, MaxCompare: chat.MaxColumns,
	}, nil
}

// ChatRef names one chat.
type ChatRef struct {
	ID string `json:"id"`
}

// CreateChatRequest starts a chat with a persona (id or name), opening with its greeting.
type CreateChatRequest struct {
	PersonaRef string      `json:"personaRef"`
	Config     chat.Config `json:"config"`
}

// SendRequest sends the player's line in a chat. The window picks OpID and follows
// "op:<OpID>": "data" events carry a ChatStream every ~40 ms, "done" the chat.Result.
type SendRequest struct {
	OpID    string      `json:"opId"`
	ChatID  string      `json:"chatId"`
	Message string      `json:"message"`
	Config  chat.Config `json:"config"`
	// TimeoutSeconds is how long the model may stay silent; 0 means 2 minutes.
	TimeoutSeconds int `json:"timeoutSeconds,omitempty"`
}

// RegenerateRequest asks for another reply to a message (see chat.Runner.Regenerate). An
// empty Config means the configuration that made the reply.
type RegenerateRequest struct {
	OpID           string      `json:"opId"`
	ChatID         string      `json:"chatId"`
	MessageID      string      `json:"messageId"`
	Config         chat.Config `json:"config"`
	TimeoutSeconds int         `json:"timeoutSeconds,omitempty"`
}

// EditRequest branches a chat at a message with new text.
type EditRequest struct {
	ChatID    string `json:"chatId"`
	MessageID string `json:"messageId"`
	Text      string `json:"text"`
}

// EditResult is the chat after an edit and the message the edit made.
type EditResult struct {
	Chat    chat.View    `json:"chat"`
	Message chat.Message `json:"message"`
}

// SelectSwipeRequest makes a message the active one among its siblings.
type SelectSwipeRequest struct {
	ChatID    string `json:"chatId"`
	MessageID string `json:"messageId"`
}

// CompareRequest sends one player line to two to four configurations at once. It is one
// operation: its "data" events carry every column's tokens (StreamPart.Column), "done" the
// chat.Run; cancelling it stops every column.
type CompareRequest struct {
	OpID           string        `json:"opId"`
	PersonaRef     string        `json:"personaRef"`
	Message        string        `json:"message"`
	Configs        []chat.Config `json:"configs"`
	TimeoutSeconds int           `json:"timeoutSeconds,omitempty"`
}

// RunRef names a compare run.
type RunRef struct {
	ID string `json:"id"`
}

// VerdictRequest marks the better column of a compare run, and why.
type VerdictRequest struct {
	RunID  string `json:"runId"`
	Winner int    `json:"winner"`
	Note   string `json:"note"`
}

// TrainingDataRequest saves a reply, with the writer's correction when given, as a record of
// a tuning dataset, with the full rendered prompt it answered.
type TrainingDataRequest struct {
	ChatID    string `json:"chatId"`
	MessageID string `json:"messageId"`
	// CorrectedReply, when not blank, is trained on instead of the model's reply.
	CorrectedReply string   `json:"correctedReply"`
	DatasetID      string   `json:"datasetId"`
	Tags           []string `json:"tags"`
}

// SavedTrainingData is the record made and what was left out to make it.
type SavedTrainingData struct {
	Added   AddedRecord `json:"added"`
	Dropped string      `json:"dropped,omitempty"`
}

// ChatStream is the data of a chat operation's "data" events: what arrived since the last
// event, one part per column (a chat has column 0 only).
type ChatStream struct {
	Parts []StreamPart `json:"parts"`
}

// StreamPart is what one column streamed in one batch.
type StreamPart struct {
	Column    int             `json:"column"`
	Text      string          `json:"text,omitempty"`
	Citations []chat.Citation `json:"citations,omitempty"`
	Notices   []string        `json:"notices,omitempty"`
}

// List returns a page of chats, most recently used first.
func (s *ChatService) List(req chat.ListOptions) (out chat.Page, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.List(req)
}

// Get returns a whole chat: every message of its tree and the active path.
func (s *ChatService) Get(req ChatRef) (out chat.View, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Get(req.ID)
}

// Create starts a chat with a persona.
func (s *ChatService) Create(req CreateChatRequest) (out chat.View, err error) {
	defer guard(s.a.log, &err)
	r, err := s.runner(0)
	if err != nil {
		return out, err
	}
	if strings.TrimSpace(req.PersonaRef) == "" {
		return out, fault.Invalid("personaRef", "pick a persona to chat with")
	}
	pv, err := r.Personas.Get(req.PersonaRef)
	if err != nil {
		return out, err
	}
	out, err = r.Chats.Create(r.NewChat(pv, req.Config))
	if err == nil {
		s.a.log.Info("chat started", "chat", out.Chat.ID, "persona", pv.PersonaID)
	}
	return out, err
}

// Delete removes a chat with all its messages.
func (s *ChatService) Delete(req ChatRef) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return err
	}
	return r.Delete(req.ID)
}

// Send saves the player's line, then streams the reply as operation events; it returns the
// operation id at once. Stop is OperationService.Cancel: the part received is kept, marked
// stopped.
func (s *ChatService) Send(req SendRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.runner(req.TimeoutSeconds)
	if err != nil {
		return "", err
	}
	if err := req.Config.Validate("config"); err != nil {
		return "", err
	}
	if strings.TrimSpace(req.Message) == "" {
		return "", fault.Invalid("message", "the message is empty")
	}
	return s.a.ops.Start(req.OpID, OpChatSend, func(ctx context.Context, op *Op) (any, error) {
		b := newStreamBatcher(streamBatchEvery, func(cs ChatStream) { op.Data(cs) }, s.a.log)
		res, err := r.Send(ctx, req.ChatID, req.Message, req.Config, func(ev chat.Event) error { b.add(0, ev); return nil })
		b.close()
		s.logReply("chat reply", req.ChatID, req.Config, res, err)
		return res, err
	})
}

// Regenerate streams another reply to a message, kept beside the earlier ones as a swipe.
func (s *ChatService) Regenerate(req RegenerateRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.runner(req.TimeoutSeconds)
	if err != nil {
		return "", err
	}
	if req.Config.Provider != "" {
		if err := req.Config.Validate("config"); err != nil {
			return "", err
		}
	}
	return s.a.ops.Start(req.OpID, OpChatSend, func(ctx context.Context, op *Op) (any, error) {
		b := newStreamBatcher(streamBatchEvery, func(cs ChatStream) { op.Data(cs) }, s.a.log)
		res, err := r.Regenerate(ctx, req.ChatID, req.MessageID, req.Config, func(ev chat.Event) error { b.add(0, ev); return nil })
		b.close()
		s.logReply("chat regenerated", req.ChatID, req.Config, res, err)
		return res, err
	})
}

func (s *ChatService) logReply(what, chatID string, cfg chat.Config, res chat.Result, err error) {
	switch {
	case err != nil:
		s.a.log.Warn(what+" failed", "chat", chatID, "provider", cfg.Provider, "mode", cfg.Mode, "code", FormatError(err).Code)
	case res.Reply != nil:
		m := res.Reply
		s.a.log.Info(what, "chat", chatID, "provider", m.Provider, "model", m.Model, "mode", m.Mode,
			"first_token_ms", m.FirstTokenMs, "total_ms", m.TotalMs, "cut", m.Cut, "stopped", m.Stopped)
	}
}

// Edit branches the chat at a message: a sibling with the new text becomes active.
func (s *ChatService) Edit(req EditRequest) (out EditResult, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	out.Chat, out.Message, err = r.Edit(req.ChatID, req.MessageID, req.Text)
	return out, err
}

// SelectSwipe makes a message the active one among its siblings (another answer, another branch).
func (s *ChatService) SelectSwipe(req SelectSwipeRequest) (out chat.View, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Select(req.ChatID, req.MessageID)
}

// Compare sends one player line to two to four configurations at once and streams every
// column through one operation; it returns the operation id at once.
//
// One operation rather than one per column: the window follows and stops the run as one
// thing, and the batcher sends every column's tokens in one event per tick, so four columns
// cost the bridge 25 events a second, not 100.
func (s *ChatService) Compare(req CompareRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.runner(req.TimeoutSeconds)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(req.Message) == "" {
		return "", fault.Invalid("message", "the message is empty")
	}
	if n := len(req.Configs); n < chat.MinColumns || n > chat.MaxColumns {
		return "", fault.Invalid("configs", "compare takes %d to %d configurations, not %d", chat.MinColumns, chat.MaxColumns, n)
	}
	for i, c := range req.Configs {
		if err := c.Validate(fmt.Sprintf("configs[%d]", i)); err != nil {
			return "", err
		}
	}
	return s.a.ops.Start(req.OpID, OpChatCompare, func(ctx context.Context, op *Op) (any, error) {
		b := newStreamBatcher(streamBatchEvery, func(cs ChatStream) { op.Data(cs) }, s.a.log)
		run, err := r.Compare(ctx, req.PersonaRef, req.Message, req.Configs, func(col int, ev chat.Event) error { b.add(col, ev); return nil })
		b.close()
		if err == nil {
			s.a.log.Info("compare run", "run", run.ID, "columns", len(run.Columns))
		}
		return run, err
	})
}

// GetRun returns a compare run with its answers.
func (s *ChatService) GetRun(req RunRef) (out chat.Run, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Run(req.ID)
}

// SaveVerdict records which column answered better and why, signed by the writer.
func (s *ChatService) SaveVerdict(req VerdictRequest) (out chat.Run, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	out, err = r.SaveVerdict(req.RunID, req.Winner, req.Note, s.a.author())
	if err == nil {
		s.a.log.Info("verdict saved", "run", req.RunID, "winner", req.Winner)
	}
	return out, err
}

// ListRuns returns a page of compare runs, newest first (Judged: only those with a verdict).
func (s *ChatService) ListRuns(req chat.RunListOptions) (out chat.RunPage, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.ListRuns(req)
}

// ListVerdicts returns a page of the compare runs the writer judged, newest first.
func (s *ChatService) ListVerdicts(req chat.RunListOptions) (out chat.RunPage, err error) {
	req.Judged = true
	return s.ListRuns(req)
}

// SaveAsTrainingData adds a reply, or the writer's correction of it, to a tuning dataset
// as a record with the full rendered prompt (system and turns) it answered.
func (s *ChatService) SaveAsTrainingData(req TrainingDataRequest) (out SavedTrainingData, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	if strings.TrimSpace(req.DatasetID) == "" {
		return out, fault.Invalid("datasetId", "pick the dataset to add the record to")
	}
	ex, err := r.Exchange(req.ChatID, req.MessageID)
	if err != nil {
		return out, err
	}
	reply := ex.Reply
	if strings.TrimSpace(req.CorrectedReply) != "" {
		reply = req.CorrectedReply
	}
	msgs := make([]dataset.Message, len(ex.Messages))
	for i, m := range ex.Messages {
		msgs[i] = dataset.Message{Role: m.Role, Content: m.Text}
	}
	out.Added, err = s.a.Datasets.AddFromChat(dataset.ChatExample{DatasetID: req.DatasetID, System: ex.System, Messages: msgs,
		Reply: reply, Tags: req.Tags, Source: ex.Source})
	out.Dropped = ex.Dropped
	if err == nil {
		s.a.log.Info("chat saved as training data", "chat", req.ChatID, "message", req.MessageID, "dataset", req.DatasetID,
			"corrected", reply != ex.Reply)
	}
	return out, err
}

// streamBatcher gathers what replies stream and hands it on every few tens of
// milliseconds, so the window renders at frame rate however fast tokens come.
type streamBatcher struct {
	emit func(ChatStream)
	log  interface{ Error(string, ...any) }

	flushMu sync.Mutex // keeps batches in order: the ticker's and close's
	mu      sync.Mutex
	pending []StreamPart
	stop    chan struct{}
	stopped chan struct{}
}

func newStreamBatcher(every time.Duration, emit func(ChatStream), log interface{ Error(string, ...any) }) *streamBatcher {
	b := &streamBatcher{emit: emit, log: log, stop: make(chan struct{}), stopped: make(chan struct{})}
	go b.loop(every)
	return b
}

func (b *streamBatcher) loop(every time.Duration) {
	defer close(b.stopped)
	defer func() {
		if r := recover(); r != nil {
			buf := make([]byte, 8<<10)
			b.log.Error("panic in chat stream", "panic", fmt.Sprint(r), "stack", string(buf[:runtime.Stack(buf, false)]))
		}
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.flush()
		case <-b.stop:
			return
		}
	}
}

// add merges ev into the pending part of its column.
func (b *streamBatcher) add(col int, ev chat.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var p *StreamPart
	for i := range b.pending {
		if b.pending[i].Column == col {
			p = &b.pending[i]
		}
	}
	if p == nil {
		b.pending = append(b.pending, StreamPart{Column: col})
		p = &b.pending[len(b.pending)-1]
	}
	switch ev.Type {
	case chat.EventToken:
		p.Text += ev.Text
	case chat.EventCitation:
		if ev.Citation != nil {
			p.Citations = append(p.Citations, *ev.Citation)
		}
	case chat.EventNotice:
		p.Notices = append(p.Notices, ev.Text)
	}
}

func (b *streamBatcher) flush() {
	b.flushMu.Lock()
	defer b.flushMu.Unlock()
	b.mu.Lock()
	parts := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(parts) > 0 {
		b.emit(ChatStream{Parts: parts})
	}
}

// close stops the ticker and sends what is left, before the operation reports done.
func (b *streamBatcher) close() {
	close(b.stop)
	<-b.stopped
	b.flush()
}
