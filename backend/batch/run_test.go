package batch_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

// manyLines is a spec of n lines for Ada: scenes of five beats, one variant each.
func manyLines(t testing.TB, n int) batch.Spec {
	t.Helper()
	var b strings.Builder
	b.WriteString("defaults: {model: {provider: local}}\nscenes:\n")
	for i := 0; i < n; i += 5 {
		fmt.Fprintf(&b, "  - id: s%d\n    personas: [Ada]\n    beats:\n", i/5)
		for j := i; j < min(i+5, n); j++ {
			fmt.Fprintf(&b, "      - {id: b%d, direction: \"Line %d.\"}\n", j, j)
		}
	}
	s, err := batch.ParseSpec("many.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func reply(text string) openaifake.Reply { return openaifake.Reply{Tokens: []string{text}} }

func TestRunWritesEveryLineThroughTheChatPrompt(t *testing.T) {
	e := newEnv(t)
	run := e.create(t, e.example(t))
	var seen []batch.Progress
	got, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 2, OnProgress: func(p batch.Progress) { seen = append(seen, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if got.Done != 6 || got.Pending != 0 || got.Failed != 0 || len(seen) != 6 || got.OutputTokens == 0 {
		t.Fatalf("progress = %+v after %d reports", got, len(seen))
	}
	if e.chatRequests() != 6 {
		t.Errorf("%d requests, want 6", e.chatRequests())
	}
	// The request carries the persona's rendered system prompt and the scene and beat.
	var warned bool
	for _, r := range e.fake.ChatRequests() {
		body := fmt.Sprint(r["messages"])
		if strings.Contains(body, "lighthouse oil was stolen") {
			warned = true
			if !strings.Contains(body, "Saltwhistle") || !strings.Contains(body, "Mention: oil, Bren") || !strings.Contains(body, "At most 30 words") {
				t.Errorf("warn request lacks the persona or constraints: %s", body)
			}
		}
	}
	if !warned {
		t.Error("no request for beat warn")
	}
	for _, l := range e.lines(t, run.ID) {
		if l.Status != batch.LineDone || l.Text != "Well met, traveller." || l.Generations != 1 {
			t.Errorf("line %s = %+v", l.ID, l)
		}
	}
	st, err := e.repo.Status(run.ID)
	if err != nil || st.Status != batch.RunDone {
		t.Fatalf("status = %+v, %v", st, err)
	}
}

func TestResumeAfterCancelWritesNoLineTwice(t *testing.T) {
	e := newEnv(t)
	spec := manyLines(t, 12)
	run := e.create(t, spec)
	ctx, cancel := context.WithCancel(context.Background())
	// One worker, cancelled as it starts its fifth line, before that line's request: the
	// four lines answered are kept (the run waits for their commit), nothing is in flight.
	w := e.runner.Writer
	n := 0
	e.runner.Writer = writerFunc(func(ctx context.Context, persona, text string, cfg chat.Config) (chat.LineReply, error) {
		if n++; n == 5 {
			cancel()
			return chat.LineReply{}, ctx.Err()
		}
		return w.Line(ctx, persona, text, cfg)
	})
	_, err := e.runner.Run(ctx, run.ID, batch.Options{Concurrency: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	st, _ := e.repo.Status(run.ID)
	if st.Done != 4 || st.Pending != 8 || st.Status != batch.RunPending {
		t.Fatalf("after cancel: %+v", st)
	}
	e.runner.Writer = w
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 3}); err != nil {
		t.Fatal(err)
	}
	if got := e.chatRequests(); got != 12 {
		t.Errorf("%d requests for 12 lines: some line was written twice or not at all", got)
	}
	for _, l := range e.lines(t, run.ID) {
		if l.Status != batch.LineDone || l.Generations != 1 {
			t.Errorf("line %s: status %s, written %d times", l.ID, l.Status, l.Generations)
		}
	}
	// Resuming a finished run asks for nothing.
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{}); err != nil {
		t.Fatal(err)
	}
	if got := e.chatRequests(); got != 12 {
		t.Errorf("a finished run sent %d more requests", got-12)
	}
}

func TestResumeAfterCancelMidFlight(t *testing.T) {
	e := newEnv(t)
	e.fake.Default = openaifake.Reply{Tokens: openaifake.DefaultTokens, Latency: 20 * time.Millisecond}
	run := e.create(t, manyLines(t, 20))
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	_, err := e.runner.Run(ctx, run.ID, batch.Options{Concurrency: 4, OnProgress: func(batch.Progress) {
		if n.Add(1) == 5 {
			cancel() // other lines are in flight: they are dropped, not kept half-done
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 4}); err != nil {
		t.Fatal(err)
	}
	for _, l := range e.lines(t, run.ID) {
		if l.Status != batch.LineDone || l.Generations != 1 {
			t.Errorf("line %s: status %s, kept %d times", l.ID, l.Status, l.Generations)
		}
	}
}

func TestThrottledRunCompletesEveryLineOnce(t *testing.T) {
	e := newEnv(t)
	const lines = 60
	// Every fifth request is answered 429 with Retry-After: 20% of the first 100.
	var script []openaifake.Reply
	for i := 1; i <= 100; i++ {
		if i%5 == 0 {
			script = append(script, openaifake.Reply{Status: 429, RetryAfter: "2"})
		} else {
			script = append(script, openaifake.Reply{Tokens: openaifake.DefaultTokens})
		}
	}
	e.fake.Script(script...)
	run := e.create(t, manyLines(t, lines))
	start := e.clock.Now()
	got, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	if got.Done != lines || got.Failed != 0 || got.Throttled == 0 {
		t.Fatalf("progress = %+v", got)
	}
	// Every request is either a 429 or a kept line: lines + 429s, and no line twice.
	reqs := e.chatRequests()
	if want := lines + got.Throttled; reqs != want {
		t.Errorf("%d requests, want %d lines + %d throttled", reqs, lines, got.Throttled)
	}
	if got.Throttled < (reqs/5)-1 {
		t.Errorf("throttled %d of %d requests, want every fifth", got.Throttled, reqs)
	}
	for _, l := range e.lines(t, run.ID) {
		if l.Status != batch.LineDone || l.Generations != 1 {
			t.Errorf("line %s: status %s, written %d times", l.ID, l.Status, l.Generations)
		}
	}
	// Retry-After was honoured: the (fake) clock moved on by at least one wait.
	if waited := e.clock.Now().Sub(start); waited < 2*time.Second {
		t.Errorf("the run waited %s, less than one Retry-After", waited)
	}
}

func TestProviderErrorsMarkLinesFailedAndResumeRetriesThem(t *testing.T) {
	e := newEnv(t)
	run := e.create(t, manyLines(t, 4))
	// Line 2 fails all three attempts; a 400 on line 3 is not worth retrying.
	e.fake.Script(reply("one"), openaifake.Reply{Status: 500}, openaifake.Reply{Status: 500}, openaifake.Reply{Status: 500},
		openaifake.Reply{Status: 400}, reply("four"))
	got, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got.Done != 2 || got.Failed != 2 {
		t.Fatalf("progress = %+v", got)
	}
	ls := e.lines(t, run.ID)
	if ls[1].Status != batch.LineFailed || ls[1].Attempts != 3 || !strings.Contains(ls[1].Error, "server failed") || ls[1].ErrorCode != "unavailable" {
		t.Errorf("line 2 = %+v", ls[1])
	}
	if ls[2].Status != batch.LineFailed || ls[2].Attempts != 1 {
		t.Errorf("line 3 = %+v", ls[2])
	}
	if e.chatRequests() != 6 {
		t.Errorf("%d requests, want 6", e.chatRequests())
	}
	got, err = e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got.Done != 4 || got.Failed != 0 || e.chatRequests() != 8 {
		t.Fatalf("after resume: %+v, %d requests", got, e.chatRequests())
	}
}

// countingWriter tracks how many lines are being written at once.
type countingWriter struct {
	batch.Writer
	mu       sync.Mutex
	now, max int
}

func (w *countingWriter) Line(ctx context.Context, persona, text string, cfg chat.Config) (chat.LineReply, error) {
	w.mu.Lock()
	w.now++
	w.max = max(w.max, w.now)
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.now--
		w.mu.Unlock()
	}()
	return w.Writer.Line(ctx, persona, text, cfg)
}

func TestRunNeverExceedsItsConcurrency(t *testing.T) {
	e := newEnv(t)
	e.fake.Default = openaifake.Reply{Tokens: openaifake.DefaultTokens, Latency: 5 * time.Millisecond}
	cw := &countingWriter{Writer: e.runner.Writer}
	e.runner.Writer = cw
	run := e.create(t, manyLines(t, 30))
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 3}); err != nil {
		t.Fatal(err)
	}
	if cw.max > 3 {
		t.Errorf("%d lines written at once, more than 3", cw.max)
	}
}

// writerFunc is a Writer made of a function.
type writerFunc func(ctx context.Context, persona, text string, cfg chat.Config) (chat.LineReply, error)

func (f writerFunc) Line(ctx context.Context, persona, text string, cfg chat.Config) (chat.LineReply, error) {
	return f(ctx, persona, text, cfg)
}

// A worker hands a finished line to the commit and writes its next line at once: it
// does not wait for the workspace to keep the line (nor for the progress report), so
// lines finishing together do not queue for one sync each. A line is reported only
// once it is kept.
func TestNextLineDoesNotWaitForTheCommit(t *testing.T) {
	e := newEnv(t)
	run := e.create(t, manyLines(t, 4))
	// The first report blocks, and with it the commit of every later line, until the
	// fake has the second line's request.
	var reports []string
	var problems []string
	_, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 1, OnProgress: func(p batch.Progress) {
		if l, err := e.repo.Line(run.ID, p.Line.ID); err != nil || l.Status != batch.LineDone {
			problems = append(problems, fmt.Sprintf("line %s reported before it was kept: %+v, %v", p.Line.ID, l, err))
		}
		reports = append(reports, p.Line.ID)
		if len(reports) > 1 {
			return
		}
		for deadline := time.Now().Add(10 * time.Second); e.chatRequests() < 2; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				problems = append(problems, "the second line waited for the first one's commit and report")
				return
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if len(reports) != 4 || e.chatRequests() != 4 {
		t.Fatalf("%d reports, %d requests for 4 lines", len(reports), e.chatRequests())
	}
	for _, l := range e.lines(t, run.ID) {
		if l.Status != batch.LineDone || l.Generations != 1 {
			t.Errorf("line %s: status %s, written %d times", l.ID, l.Status, l.Generations)
		}
	}
}

// Nothing throttled, a run has its whole concurrency in flight from the start: each of
// the first lines waits for the others to be under way too.
func TestRunStartsWithItsWholeConcurrency(t *testing.T) {
	const conc = 16
	e := newEnv(t)
	run := e.create(t, manyLines(t, 2*conc))
	w := e.runner.Writer
	var mu sync.Mutex
	started := 0
	all := make(chan struct{})
	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.runner.Writer = writerFunc(func(ctx context.Context, persona, text string, cfg chat.Config) (chat.LineReply, error) {
		mu.Lock()
		if started++; started == conc {
			close(all)
		}
		first := started <= conc
		mu.Unlock()
		if first {
			select {
			case <-all:
			case <-wait.Done():
				return chat.LineReply{}, errors.New("the first lines were not all under way at once")
			}
		}
		return w.Line(ctx, persona, text, cfg)
	})
	got, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: conc})
	if err != nil {
		t.Fatal(err)
	}
	if got.Done != 2*conc || got.Failed != 0 {
		for _, l := range e.lines(t, run.ID) {
			if l.Error != "" {
				t.Fatalf("line %s: %s", l.ID, l.Error)
			}
		}
		t.Fatalf("progress = %+v", got)
	}
}
