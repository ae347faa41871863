package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// Emitter delivers an event to the window.
type Emitter interface {
	Emit(name string, data any)
}

type noEmitter struct{}

func (noEmitter) Emit(string, any) {}

// OpEvent is what an operation reports on its event "op:<id>". Type is one of
// "progress", "data", "done" or "error"; done and error are always the last event.
type OpEvent struct {
	Op    string    `json:"op"`
	Kind  string    `json:"kind"`
	Type  string    `json:"type"`
	Data  any       `json:"data,omitempty"`
	Error *AppError `json:"error,omitempty"`
}

// OpEventName is the event an operation's reports arrive on.
func OpEventName(id string) string { return "op:" + id }

// Operations is the registry of running long work, each with its own context.
type Operations struct {
	base   context.Context
	cancel context.CancelFunc
	log    *slog.Logger

	mu      sync.Mutex
	emitter Emitter
	running map[string]opEntry
	// paused, while not empty, is why Start refuses new work (see stopAll).
	paused []string
	// wait bounds stopAll's wait (stopWait; tests shorten it).
	wait time.Duration
	// waiting, when set (tests), is called when stopAll has cancelled everything and
	// starts to wait.
	waiting func()
}

type opEntry struct {
	kind   string
	cancel context.CancelFunc
	// done is closed when the work has returned.
	done chan struct{}
}

func newOperations(log *slog.Logger) *Operations {
	ctx, cancel := context.WithCancel(context.Background())
	return &Operations{base: ctx, cancel: cancel, log: log, emitter: noEmitter{}, running: map[string]opEntry{}, wait: stopWait}
}

func (o *Operations) setEmitter(e Emitter) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.emitter = e
}

func (o *Operations) emit(ev OpEvent) {
	o.mu.Lock()
	e := o.emitter
	o.mu.Unlock()
	e.Emit(OpEventName(ev.Op), ev)
}

// progressEvery is the least time between two progress events of one operation
// (STYLE.md: at most every 100 ms); the window merges what arrives at frame rate.
const progressEvery = 100 * time.Millisecond

// Op is handed to the work so it can report.
type Op struct {
	ID   string
	Kind string
	o    *Operations

	mu           sync.Mutex
	lastProgress time.Time
}

// Progress reports how far the work has come. It may be called as often as the work likes:
// a report within progressEvery of the last one sent is dropped, and done follows the last.
func (op *Op) Progress(data any) {
	op.mu.Lock()
	now := time.Now()
	due := now.Sub(op.lastProgress) >= progressEvery
	if due {
		op.lastProgress = now
	}
	op.mu.Unlock()
	if due {
		op.o.emit(OpEvent{Op: op.ID, Kind: op.Kind, Type: "progress", Data: data})
	}
}

// Data reports a piece of the result (a batch of tokens, a row).
func (op *Op) Data(data any) { op.o.emit(OpEvent{Op: op.ID, Kind: op.Kind, Type: "data", Data: data}) }

// Start runs fn in its own goroutine and returns its id at once. So that the window misses
// no event, it picks the id itself (opID), subscribes to OpEventName(opID), then starts the
// work; an empty opID gets a fresh one. An opID of an operation still running is refused:
// taking it over would leave the first one impossible to stop.
func (o *Operations) Start(opID, kind string, fn func(ctx context.Context, op *Op) (any, error)) (string, error) {
	id := opID
	if id == "" {
		id = newID()
	}
	o.mu.Lock()
	if len(o.paused) > 0 {
		why := o.paused[len(o.paused)-1]
		o.mu.Unlock()
		return "", &busyError{why: why}
	}
	if e, ok := o.running[id]; ok {
		o.mu.Unlock()
		return "", fault.Invalid("opId", "operation %s (%s) is still running: give a new id, or wait for it to end", id, e.kind)
	}
	ctx, cancel := context.WithCancel(o.base)
	done := make(chan struct{})
	o.running[id] = opEntry{kind: kind, cancel: cancel, done: done}
	o.mu.Unlock()
	op := &Op{ID: id, Kind: kind, o: o}
	go func() {
		var (
			result any
			err    error
		)
		// Closed last, so that whoever waits for the work (stopAll) also has its last event.
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				buf := make([]byte, 8<<10)
				buf = buf[:runtime.Stack(buf, false)]
				o.log.Error("panic in operation", "kind", kind, "op", id, "panic", fmt.Sprint(r), "stack", string(buf))
				err = fmt.Errorf("internal error: %v (details are in the log)", r)
			}
			cancel()
			o.mu.Lock()
			delete(o.running, id)
			o.mu.Unlock()
			if err != nil {
				if ctx.Err() != nil && err == ctx.Err() {
					err = fmt.Errorf("%s cancelled", kind)
				}
				shaped := FormatError(err)
				o.emit(OpEvent{Op: id, Kind: kind, Type: "error", Error: &shaped})
				return
			}
			o.emit(OpEvent{Op: id, Kind: kind, Type: "done", Data: result})
		}()
		result, err = fn(ctx, op)
	}()
	return id, nil
}

// Cancel stops the operation; it reports "error" with a cancelled message when it has stopped.
func (o *Operations) Cancel(id string) bool {
	o.mu.Lock()
	e, ok := o.running[id]
	o.mu.Unlock()
	if ok {
		e.cancel()
	}
	return ok
}

func (o *Operations) cancelAll() { o.cancel() }

// stopWait bounds how long closing, exporting or importing the workspace waits for the
// running operations to return once cancelled.
const stopWait = 10 * time.Second

// stopAll cancels every running operation and waits until each has returned, or until
// stopWait has passed. Until resume is called, Start refuses new work, saying why. Its
// error names the operations that had not returned in time ("lore.reindex 3f2a…").
//
// The workspace may only close once the work using it has returned: a cancelled chat
// reply is still to be saved, a reindex still to close its index.
func (o *Operations) stopAll(why string) (resume func(), err error) {
	o.mu.Lock()
	o.paused = append(o.paused, why)
	entries := make(map[string]opEntry, len(o.running))
	for id, e := range o.running {
		entries[id] = e
		e.cancel()
	}
	waiting, wait := o.waiting, o.wait
	o.mu.Unlock()
	var once sync.Once
	resume = func() {
		once.Do(func() {
			o.mu.Lock()
			defer o.mu.Unlock()
			if i := slices.Index(o.paused, why); i >= 0 {
				o.paused = slices.Delete(o.paused, i, i+1)
			}
		})
	}
	if waiting != nil {
		waiting()
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	expired := false
	var stuck []string
	for id, e := range entries {
		if !expired {
			select {
			case <-e.done:
				continue
			case <-deadline.C:
				expired = true
			}
		}
		select {
		case <-e.done:
		default:
			stuck = append(stuck, e.kind+" "+id)
		}
	}
	if len(stuck) == 0 {
		return resume, nil
	}
	slices.Sort(stuck)
	o.log.Error("operations did not stop in time", "why", why, "wait", wait, "operations", stuck)
	return resume, fmt.Errorf("operations still running %v after they were cancelled: %s", wait, strings.Join(stuck, ", "))
}

// busyError refuses new work while the workspace is closing, exported or imported.
type busyError struct{ why string }

func (e *busyError) Error() string     { return e.why + ": start it again when that is done" }
func (e *busyError) ErrorCode() string { return "busy" }

func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// OperationService lets the window cancel long work.
type OperationService struct{ a *App }

// CancelRequest names the operation to stop.
type CancelRequest struct {
	ID string `json:"id"`
}

// Cancel stops a running operation. It reports whether one was running.
func (s *OperationService) Cancel(req CancelRequest) (ok bool, err error) {
	defer guard(s.a.log, &err)
	return s.a.ops.Cancel(req.ID), nil
}
