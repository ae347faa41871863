package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/spf13/cobra"
)

// errStreamed is returned by a streaming command whose error line is already in its --json
// stream: Run exits 1 without printing it again.
var errStreamed = errors.New("reported in the stream")

type streamedError struct{ err error }

func (e *streamedError) Error() string   { return e.err.Error() }
func (e *streamedError) Unwrap() []error { return []error{e.err, errStreamed} }

// chatLine is one line of `chat --json`: type is token, citation, done or error.
type chatLine struct {
	Type     string         `json:"type"`
	Column   *int           `json:"column,omitempty"`
	Text     string         `json:"text,omitempty"`
	Citation *chat.Citation `json:"citation,omitempty"`
	ChatID   string         `json:"chatId,omitempty"`
	User     *chat.Message  `json:"user,omitempty"`
	Reply    *chat.Message  `json:"reply,omitempty"`
	Run      *chat.Run      `json:"run,omitempty"`
	Error    *app.AppError  `json:"error,omitempty"`
}

// chatFlags are the configuration flags of chat and chat compare.
type chatFlags struct {
	providers, models, modes []string
	message                  string
	timeout                  time.Duration
}

func (f *chatFlags) timeoutSeconds() int {
	if f.timeout <= 0 {
		return 0
	}
	return int(math.Ceil(f.timeout.Seconds()))
}

// configs pairs the n-th --provider with the n-th --model and --mode; a single --model or
// --mode applies to every provider.
func (f *chatFlags) configs() ([]chat.Config, error) {
	pick := func(name string, vals []string, i int) (string, error) {
		switch len(vals) {
		case 0:
			return "", nil
		case 1:
			return vals[0], nil
		case len(f.providers):
			return vals[i], nil
		}
		return "", usagef("give one --%s for all providers or one per --provider (%d given for %d providers)", name, len(vals), len(f.providers))
	}
	var out []chat.Config
	for i, p := range f.providers {
		model, err := pick("model", f.models, i)
		if err != nil {
			return nil, err
		}
		mode, err := pick("mode", f.modes, i)
		if err != nil {
			return nil, err
		}
		out = append(out, chat.Config{Provider: p, Model: model, Mode: chat.Mode(cmpOr(mode, string(chat.ModeBase)))})
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func chatCmd(env *Env) *cobra.Command {
	var f chatFlags
	var chatID string
	c := &cobra.Command{
		Use:   "chat PERSONA --provider NAME --message M [--mode base|finetuned|rag] [--model ID]",
		Short: "Chat with an NPC: stream a reply, compare models side by side, keep verdicts",
		Long: `Sends the player's line to a model as the persona and streams the reply to standard output.
Without --chat a new chat is started (opening with the persona's greeting); the chat, the line
and the reply are kept in the workspace. With --json every line is a JSON object whose type is
token, citation, done or error. Ctrl-C stops the reply and keeps the part received.

Modes: base (a foundation model with the persona), finetuned (a custom model: give its model
id or ARN with --model, or use a provider set up for it), rag (the persona plus lore retrieved
for the line, with citations). The deployed NPC API keeps its persona server-side and takes
only the player's line.`,
		Example: `  npcstudio chat "Mira Saltwhistle" --provider local --message "Can you mend this anchor?"
  npcstudio chat "Mira Saltwhistle" --provider bedrock --mode finetuned --model arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc --message Hi
  npcstudio chat "Mira Saltwhistle" --chat c1a2b3c4d5e6 --provider local --mode rag --message "Who keeps the light?" --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(f.message) == "" {
				return usagef("--message is required: the player's line")
			}
			if len(f.providers) != 1 {
				return usagef("give one --provider (use `chat compare` for several)")
			}
			cfgs, err := f.configs()
			if err != nil {
				return err
			}
			if err := cfgs[0].Validate("config"); err != nil {
				return err
			}
			svc := env.App().Chat
			if chatID == "" {
				v, err := svc.Create(app.CreateChatRequest{PersonaRef: args[0], Config: cfgs[0]})
				if err != nil {
					return err
				}
				chatID = v.Chat.ID
			}
			return env.streamChat(cmd, false, func(opID string) (string, error) {
				return svc.Send(app.SendRequest{OpID: opID, ChatID: chatID, Message: f.message, Config: cfgs[0], TimeoutSeconds: f.timeoutSeconds()})
			})
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&f.providers, "provider", nil, "provider name (npcstudio provider list)")
	fl.StringArrayVar(&f.models, "model", nil, "model id or ARN replacing the provider's (for the deployed API: text or rag)")
	fl.StringArrayVar(&f.modes, "mode", nil, "base, finetuned or rag (default base)")
	fl.StringVar(&f.message, "message", "", "the player's line")
	fl.StringVar(&chatID, "chat", "", "continue this chat (its id) instead of starting one")
	fl.DurationVar(&f.timeout, "timeout", 0, "how long the model may stay silent before giving up (default 2m)")
	c.AddCommand(chatCompareCmd(env), chatRegenerateCmd(env), chatListCmd(env), chatShowCmd(env),
		chatVerdictCmd(env), chatVerdictsCmd(env), chatSaveTrainingCmd(env))
	return c
}

func chatCompareCmd(env *Env) *cobra.Command {
	var f chatFlags
	c := &cobra.Command{
		Use:   "compare PERSONA --message M --provider A --provider B [--mode ...] [--model ...]",
		Short: "Send one line to two to four configurations at once and show the answers side by side",
		Long: `Each --provider is a column; the n-th --mode and --model belong to the n-th --provider, and a
single --mode or --model applies to all. With --json, token and citation lines carry their
column (0-based). Mark the better answer with ` + "`npcstudio chat verdict RUN --winner N`" + `.`,
		Example: `  npcstudio chat compare "Mira Saltwhistle" --message "Who keeps the light?" --provider local --provider local --provider bedrock --mode base --mode rag --mode finetuned`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(f.message) == "" {
				return usagef("--message is required: the player's line")
			}
			if n := len(f.providers); n < chat.MinColumns || n > chat.MaxColumns {
				return usagef("give %d to %d --provider flags, one a column (%d given)", chat.MinColumns, chat.MaxColumns, n)
			}
			cfgs, err := f.configs()
			if err != nil {
				return err
			}
			return env.streamChat(cmd, true, func(opID string) (string, error) {
				return env.App().Chat.Compare(app.CompareRequest{OpID: opID, PersonaRef: args[0], Message: f.message, Configs: cfgs, TimeoutSeconds: f.timeoutSeconds()})
			})
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&f.providers, "provider", nil, "provider of a column (repeat: 2 to 4)")
	fl.StringArrayVar(&f.models, "model", nil, "model of a column, or of all when given once")
	fl.StringArrayVar(&f.modes, "mode", nil, "mode of a column, or of all when given once: base, finetuned or rag")
	fl.StringVar(&f.message, "message", "", "the player's line")
	fl.DurationVar(&f.timeout, "timeout", 0, "how long a model may stay silent before giving up (default 2m)")
	return c
}

func chatRegenerateCmd(env *Env) *cobra.Command {
	var f chatFlags
	c := &cobra.Command{
		Use:   "regenerate CHAT [MESSAGE]",
		Short: "Ask again for a reply (the last one by default); earlier answers are kept as swipes",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc := env.App().Chat
			msg := ""
			if len(args) == 2 {
				msg = args[1]
			} else {
				v, err := svc.Get(app.ChatRef{ID: args[0]})
				if err != nil {
					return err
				}
				if len(v.Path) == 0 {
					return usagef("chat %s has no message to answer", args[0])
				}
				msg = v.Path[len(v.Path)-1]
			}
			var cfg chat.Config
			if len(f.providers) > 0 {
				cfgs, err := f.configs()
				if err != nil {
					return err
				}
				cfg = cfgs[0]
			}
			return env.streamChat(cmd, false, func(opID string) (string, error) {
				return svc.Regenerate(app.RegenerateRequest{OpID: opID, ChatID: args[0], MessageID: msg, Config: cfg, TimeoutSeconds: f.timeoutSeconds()})
			})
		},
	}
	fl := c.Flags()
	fl.StringArrayVar(&f.providers, "provider", nil, "another provider (default: the one that made the reply)")
	fl.StringArrayVar(&f.models, "model", nil, "model id replacing the provider's")
	fl.StringArrayVar(&f.modes, "mode", nil, "base, finetuned or rag")
	fl.DurationVar(&f.timeout, "timeout", 0, "how long the model may stay silent before giving up (default 2m)")
	return c
}

// streamChat runs a chat operation as the window does: it subscribes, starts it, prints
// what streams, and waits for done or error. Interrupting the command stops the reply; the
// part received is kept.
func (e *Env) streamChat(cmd *cobra.Command, compare bool, start func(opID string) (string, error)) error {
	a := e.App()
	p := &chatPrinter{env: e, id: fmt.Sprintf("cli-%d", time.Now().UnixNano()), compare: compare, done: make(chan app.OpEvent, 1)}
	a.SetEmitter(p)
	if _, err := start(p.id); err != nil {
		return err
	}
	interrupted := cmd.Context().Done()
	for {
		select {
		case ev := <-p.done:
			return p.finish(ev)
		case <-interrupted:
			a.Operations.Cancel(app.CancelRequest{ID: p.id})
			interrupted = nil
		}
	}
}

// chatPrinter receives one chat operation's events and prints them as they come.
type chatPrinter struct {
	env     *Env
	id      string
	compare bool
	once    sync.Once
	done    chan app.OpEvent

	mu      sync.Mutex
	printed bool // text went to stdout
	notes   []string
}

func (p *chatPrinter) Emit(_ string, data any) {
	ev, ok := data.(app.OpEvent)
	if !ok || ev.Op != p.id {
		return
	}
	switch ev.Type {
	case "data":
		if cs, ok := ev.Data.(app.ChatStream); ok {
			p.stream(cs)
		}
	case "done", "error":
		p.once.Do(func() { p.done <- ev })
	}
}

func (p *chatPrinter) stream(cs app.ChatStream) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, part := range cs.Parts {
		for _, n := range part.Notices {
			if !containsString(p.notes, n) {
				p.notes = append(p.notes, n)
				fmt.Fprintf(p.env.Stderr, "note: %s\n", n)
			}
		}
		col := part.Column
		if p.env.json {
			for i := range part.Citations {
				p.env.printLine(chatLine{Type: "citation", Column: p.column(col), Citation: &part.Citations[i]}, nil)
			}
			if part.Text != "" {
				p.env.printLine(chatLine{Type: "token", Column: p.column(col), Text: part.Text}, nil)
			}
			continue
		}
		// A chat's reply streams; the columns of a compare are shown whole at the end.
		if part.Text != "" && !p.compare {
			io.WriteString(p.env.Stdout, part.Text)
			p.printed = true
		}
	}
}

// column is a token's column in --json lines: set for a compare, left out for a chat.
func (p *chatPrinter) column(col int) *int {
	if !p.compare {
		return nil
	}
	return &col
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// finish prints the end of the operation and returns the command's error.
func (p *chatPrinter) finish(ev app.OpEvent) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.env
	if ev.Type == "error" {
		if ev.Error == nil {
			ev.Error = &app.AppError{Code: "error", Message: "the chat failed"}
		}
		if p.printed {
			fmt.Fprintln(e.Stdout)
		}
		if e.json {
			e.printLine(chatLine{Type: "error", Error: ev.Error}, nil)
			return &streamedError{&shapedError{*ev.Error}}
		}
		return &shapedError{*ev.Error}
	}
	switch res := ev.Data.(type) {
	case chat.Result:
		return p.finishChat(res)
	case chat.Run:
		return p.finishCompare(res)
	}
	return fmt.Errorf("unexpected result %T", ev.Data)
}

func (p *chatPrinter) finishChat(res chat.Result) error {
	e := p.env
	r := res.Reply
	if e.json {
		e.printLine(chatLine{Type: "done", ChatID: res.ChatID, User: &res.User, Reply: r}, nil)
	} else {
		if p.printed {
			fmt.Fprintln(e.Stdout)
		}
		if r != nil {
			printCitations(e.Stdout, r.Citations)
			fmt.Fprintf(e.Stderr, "— %s · chat %s\n", replyFacts(r), res.ChatID)
		}
	}
	var failure error
	switch {
	case r == nil:
		failure = fmt.Errorf("no reply; the player's line is kept in chat %s", res.ChatID)
	case r.Stopped:
		failure = fmt.Errorf("stopped: the part received is kept in chat %s", res.ChatID)
	case r.Cut:
		failure = fmt.Errorf("%s: the part received is kept in chat %s; retry with `npcstudio chat regenerate %s`", r.Error, res.ChatID, res.ChatID)
	}
	if failure != nil && e.json {
		return &streamedError{failure}
	}
	return failure
}

func (p *chatPrinter) finishCompare(run chat.Run) error {
	e := p.env
	if e.json {
		e.printLine(chatLine{Type: "done", Run: &run}, nil)
		return nil
	}
	for i, col := range run.Columns {
		fmt.Fprintf(e.Stdout, "[%d] %s\n", i+1, col.Config.Label())
		switch a := col.Answer; {
		case a != nil:
			fmt.Fprintln(e.Stdout, a.Text)
			printCitations(e.Stdout, a.Citations)
			if a.Cut {
				fmt.Fprintf(e.Stdout, "(cut: %s)\n", a.Error)
			}
			fmt.Fprintf(e.Stdout, "— %s\n\n", replyFacts(a))
		default:
			fmt.Fprintf(e.Stdout, "(no answer: %s)\n\n", col.Error)
		}
	}
	fmt.Fprintf(e.Stdout, "compare %s: mark the better answer with `npcstudio chat verdict %s --winner N --note \"why\"`\n", run.ID, run.ID)
	return nil
}

func printCitations(w io.Writer, cs []chat.Citation) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintln(w, "Sources:")
	for _, c := range cs {
		fmt.Fprintf(w, "  [%s] %s #%d (score %.2f)\n", c.ID, c.Doc, c.Chunk, c.Score)
	}
}

// replyFacts says what made a reply and how it came: provider, model, mode, template,
// latency, tokens and cost.
func replyFacts(m *chat.Message) string {
	parts := []string{chat.Config{Provider: m.Provider, Model: m.Model, Mode: m.Mode}.Label()}
	if m.TemplateID != "" {
		parts = append(parts, fmt.Sprintf("template %s v%d", m.TemplateID, m.TemplateVersion))
	}
	if m.FirstTokenMs > 0 {
		parts = append(parts, fmt.Sprintf("%d ms to first token", m.FirstTokenMs))
	}
	if u := m.Usage; u != nil {
		approx := ""
		if u.Estimated {
			approx = "≈"
		}
		parts = append(parts, fmt.Sprintf("%s%d in / %s%d out tokens", approx, u.InputTokens, approx, u.OutputTokens))
	}
	if m.CostUSD != nil {
		parts = append(parts, fmt.Sprintf("≈ $%.6f", *m.CostUSD))
	}
	return strings.Join(parts, " · ")
}

func chatListCmd(env *Env) *cobra.Command {
	var opt chat.ListOptions
	c := &cobra.Command{
		Use:   "list [--persona ID]",
		Short: "List chats, most recent first",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if opt.Limit == 0 {
				opt.Limit = chat.MaxPageSize
			}
			page, err := env.App().Chat.List(opt)
			if err != nil {
				return err
			}
			return env.print(page, func(w io.Writer) {
				if len(page.Items) == 0 {
					fmt.Fprintln(w, "no chats yet: npcstudio chat PERSONA --provider NAME --message TEXT")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "CHAT\tPERSONA\tTITLE\tMESSAGES\tUPDATED\tLAST LINE")
				for _, s := range page.Items {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", s.ID, s.PersonaName, s.Title, s.Messages, s.UpdatedAt, lastLine(s))
				}
				tw.Flush()
			})
		},
	}
	c.Flags().StringVar(&opt.PersonaID, "persona", "", "only this persona's chats (its id)")
	c.Flags().BoolVar(&opt.WithCompare, "with-compare", false, "include the chats of compare columns")
	return c
}

// lastLine is a chat's last line as the window's chat list shows it: the player's marked
// "You:".
func lastLine(s chat.Summary) string {
	if s.LastRole == "user" && s.LastLine != "" {
		return "You: " + s.LastLine
	}
	return s.LastLine
}

func chatShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "show CHAT",
		Short: "Show a chat's active path, with swipes and what made each reply",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			v, err := env.App().Chat.Get(app.ChatRef{ID: args[0]})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) {
				byID := map[string]chat.Message{}
				siblings := map[string]int{}
				for _, m := range v.Messages {
					byID[m.ID] = m
					siblings[m.ParentID]++
				}
				fmt.Fprintf(w, "chat %s with %s\n\n", v.Chat.ID, v.Chat.PersonaName)
				for _, id := range v.Path {
					m := byID[id]
					who := "player"
					if m.Role == chat.RoleAssistant {
						who = v.Chat.PersonaName
					}
					swipes := ""
					if n := siblings[m.ParentID]; n > 1 {
						swipes = fmt.Sprintf(" (1 of %d alternatives)", n)
					}
					fmt.Fprintf(w, "%s %s%s:\n%s\n", m.ID, who, swipes, m.Text)
					if m.Role == chat.RoleAssistant && m.Provider != "" {
						fmt.Fprintf(w, "  — %s\n", replyFacts(&m))
					}
					fmt.Fprintln(w)
				}
			})
		},
	}
}

func chatVerdictCmd(env *Env) *cobra.Command {
	var winner int
	var note string
	c := &cobra.Command{
		Use:   "verdict RUN --winner N [--note WHY]",
		Short: "Mark the better answer of a compare run (columns are numbered from 1)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if winner < 1 {
				return usagef("--winner is required: the number of the better column, from 1")
			}
			run, err := env.App().Chat.SaveVerdict(app.VerdictRequest{RunID: args[0], Winner: winner - 1, Note: note})
			if err != nil {
				return err
			}
			return env.print(run, func(w io.Writer) {
				fmt.Fprintf(w, "verdict on %s: column %d (%s) is better\n", run.ID, winner, run.Columns[winner-1].Config.Label())
			})
		},
	}
	c.Flags().IntVar(&winner, "winner", 0, "the better column, from 1")
	c.Flags().StringVar(&note, "note", "", "why it is better")
	return c
}

func chatVerdictsCmd(env *Env) *cobra.Command {
	var opt chat.RunListOptions
	c := &cobra.Command{
		Use:   "verdicts",
		Short: "List the compare runs with a verdict, newest first",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if opt.Limit == 0 {
				opt.Limit = chat.MaxPageSize
			}
			page, err := env.App().Chat.ListVerdicts(opt)
			if err != nil {
				return err
			}
			return env.print(page, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "RUN\tPERSONA\tLINE\tWINNER\tNOTE\tBY\tAT")
				for _, r := range page.Items {
					v := r.Verdict
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d: %s\t%s\t%s\t%s\n", r.ID, r.PersonaName, title(r.Message), v.Winner+1,
						r.Columns[v.Winner].Config.Label(), title(v.Note), v.Author, v.At)
				}
				tw.Flush()
			})
		},
	}
	c.Flags().StringVar(&opt.PersonaID, "persona", "", "only this persona's runs (its id)")
	return c
}

func title(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

func chatSaveTrainingCmd(env *Env) *cobra.Command {
	var req app.TrainingDataRequest
	c := &cobra.Command{
		Use:   "save-training CHAT MESSAGE --dataset ID [--reply CORRECTED]",
		Short: "Add a reply (or your corrected reply) to a tuning dataset with the full rendered prompt",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			if req.DatasetID == "" {
				return usagef("--dataset is required: the dataset id (npcstudio dataset list)")
			}
			req.ChatID, req.MessageID = args[0], args[1]
			out, err := env.App().Chat.SaveAsTrainingData(req)
			if err != nil {
				return err
			}
			return env.print(out, func(w io.Writer) {
				fmt.Fprintf(w, "added record %s to dataset %s (version %d)\n", out.Added.Record.ID, req.DatasetID, out.Added.Version.Number)
				if out.Dropped != "" {
					fmt.Fprintf(w, "left out: %s\n", out.Dropped)
				}
			})
		},
	}
	c.Flags().StringVar(&req.DatasetID, "dataset", "", "dataset id")
	c.Flags().StringVar(&req.CorrectedReply, "reply", "", "the corrected reply to train on instead of the model's")
	c.Flags().StringArrayVar(&req.Tags, "tag", nil, "tag the record (repeat)")
	return c
}
