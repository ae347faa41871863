package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/npcstudio/npcstudio/app"
)

// runOp runs a long operation as the window does: it subscribes to the operation's events,
// starts it, and waits for done or error. Interrupting the command cancels the operation.
func (e *Env) runOp(cmd *cobra.Command, start func(opID string) (string, error)) (any, error) {
	return e.runOpWithProgress(cmd, nil, start)
}

// runOpWithProgress is runOp that also passes the data of the operation's progress events
// to progress (when not nil), one at a time.
func (e *Env) runOpWithProgress(cmd *cobra.Command, progress func(any), start func(opID string) (string, error)) (any, error) {
	a := e.App()
	w := &opWaiter{done: make(chan app.OpEvent, 1), progress: progress}
	w.id = fmt.Sprintf("cli-%d", time.Now().UnixNano())
	a.SetEmitter(w)
	if _, err := start(w.id); err != nil {
		return nil, err
	}
	interrupted := cmd.Context().Done()
	for {
		select {
		case ev := <-w.done:
			if ev.Type == "error" && ev.Error != nil {
				return nil, &shapedError{*ev.Error}
			}
			return ev.Data, nil
		case <-interrupted:
			// Cancelled, the operation still ends with an error event: wait for it.
			a.Operations.Cancel(app.CancelRequest{ID: w.id})
			interrupted = nil
		}
	}
}

// opWaiter receives the events of one operation and keeps its last one.
type opWaiter struct {
	id   string
	once sync.Once
	done chan app.OpEvent
	// progress, if set, receives the operation's progress reports.
	progress func(any)
	mu       sync.Mutex
}

func (w *opWaiter) Emit(_ string, data any) {
	ev, ok := data.(app.OpEvent)
	if ok && ev.Op == w.id && ev.Type == "progress" && w.progress != nil {
		w.mu.Lock()
		w.progress(ev.Data)
		w.mu.Unlock()
		return
	}
	if !ok || ev.Op != w.id || (ev.Type != "done" && ev.Type != "error") {
		return
	}
	w.once.Do(func() { w.done <- ev })
}

// progressBar draws an operation's progress on one line of standard error when it is a
// terminal (and never with --json).
type progressBar struct {
	w     io.Writer
	drawn bool
}

func newProgressBar(env *Env) *progressBar {
	if env.json || !env.stderrIsTerminal() {
		return &progressBar{}
	}
	return &progressBar{w: env.Stderr}
}

// show draws one frame over the last.
func (b *progressBar) show(frame string) {
	if b.w == nil {
		return
	}
	fmt.Fprintf(b.w, "\r\033[K%s", frame)
	b.drawn = true
}

// end leaves the last frame on its own line.
func (b *progressBar) end() {
	if b.w != nil && b.drawn {
		fmt.Fprintln(b.w)
	}
}

// gauge is the bar of a frame: done of total, filled in.
func gauge(done, total int64) string {
	const width = 24
	filled := int64(0)
	if total > 0 {
		filled = min(done*width/total, width)
	}
	return "[" + strings.Repeat("#", int(filled)) + strings.Repeat("-", int(width-filled)) + "]"
}
