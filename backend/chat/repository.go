package chat

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// ErrNotFound is returned when a chat, message or run does not exist. It is the store's
// sentinel, so errors.Is works with either.
var ErrNotFound = store.ErrNotFound

// Repository keeps chats, their messages and rendered prompts, and compare runs in the
// workspace store.
type Repository struct {
	st  *store.Store
	now func() time.Time
}

// NewRepository uses st, which must have been opened with Buckets.
func NewRepository(st *store.Store) *Repository {
	return &Repository{st: st, now: time.Now}
}

// timestamp is RFC 3339 with milliseconds, so that messages made in one second keep their order.
func (r *Repository) timestamp() string { return r.now().UTC().Format("2006-01-02T15:04:05.000Z07:00") }

func newID(prefix string) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// NewChat is a chat to start.
type NewChat struct {
	PersonaID   string
	PersonaName string
	// Greeting, when set, opens the chat as the persona's first line.
	Greeting     string
	Config       Config
	CompareRunID string
}

// Create starts a chat.
func (r *Repository) Create(nc NewChat) (View, error) {
	var c Chat
	err := r.st.Update(func(tx *bolt.Tx) error {
		var err error
		c, err = r.create(tx, nc)
		return err
	})
	if err != nil {
		return View{}, fmt.Errorf("start chat with %s: %w", nc.PersonaName, err)
	}
	return r.Get(c.ID)
}

func (r *Repository) create(tx *bolt.Tx, nc NewChat) (Chat, error) {
	now := r.timestamp()
	c := Chat{V: recordVersion, ID: newID("c"), PersonaID: nc.PersonaID, PersonaName: nc.PersonaName, Config: nc.Config,
		Active: map[string]string{}, CompareRunID: nc.CompareRunID, NextSeq: 1, CreatedAt: now, UpdatedAt: now}
	if g := strings.TrimSpace(nc.Greeting); g != "" {
		if _, err := r.add(tx, &c, Message{Role: RoleAssistant, Text: g, Greeting: true}, nil); err != nil {
			return c, err
		}
	}
	return c, store.PutJSON(tx, BucketChats, c.ID, c)
}

func getChat(tx *bolt.Tx, id string) (Chat, error) {
	var c Chat
	if strings.TrimSpace(id) == "" {
		return c, fault.Invalid("chatId", "name a chat")
	}
	if err := store.GetJSON(tx, BucketChats, id, &c); err != nil {
		return c, fmt.Errorf("chat %q: %w", id, err)
	}
	if c.Active == nil {
		c.Active = map[string]string{}
	}
	return c, nil
}

func loadMessages(tx *bolt.Tx, chatID string) ([]Message, error) {
	msgs := []Message{}
	err := store.ForEachJSON(tx, BucketMessages, chatID+"/", func(_ string, m Message) error {
		msgs = append(msgs, m)
		return nil
	})
	return msgs, err
}

func getMessage(tx *bolt.Tx, chatID, id string) (Message, error) {
	var m Message
	if err := store.GetJSON(tx, BucketMessages, msgKey(chatID, id), &m); err != nil {
		return m, fmt.Errorf("message %s of chat %s: %w", id, chatID, err)
	}
	return m, nil
}

func view(tx *bolt.Tx, id string) (View, error) {
	c, err := getChat(tx, id)
	if err != nil {
		return View{}, err
	}
	msgs, err := loadMessages(tx, id)
	if err != nil {
		return View{}, err
	}
	return View{Chat: c, Messages: msgs, Path: ActivePath(msgs, c.Active)}, nil
}

// Get returns a whole chat.
func (r *Repository) Get(id string) (View, error) {
	var v View
	err := r.st.View(func(tx *bolt.Tx) error {
		var err error
		v, err = view(tx, id)
		return err
	})
	return v, err
}

// add stores m as the next message of c (id, time and v filled in), makes it the active
// child of its parent, and stores p beside it. The caller stores c.
func (r *Repository) add(tx *bolt.Tx, c *Chat, m Message, p *Prompt) (Message, error) {
	m.V, m.ID, m.Created = recordVersion, msgID(c.NextSeq), r.timestamp()
	c.NextSeq++
	c.Messages++
	c.Active[m.ParentID] = m.ID
	c.UpdatedAt = m.Created
	if c.Title == "" && m.Role == RoleUser {
		c.Title = title(m.Text)
	}
	if err := store.PutJSON(tx, BucketMessages, msgKey(c.ID, m.ID), m); err != nil {
		return m, err
	}
	if p != nil {
		p.V = recordVersion
		if err := store.PutJSON(tx, BucketPrompts, msgKey(c.ID, m.ID), p); err != nil {
			return m, err
		}
	}
	return m, nil
}

// title shortens a first line to about 60 characters at a word boundary.
func title(s string) string { return shorten(s, 60) }

// shorten puts s on one line and cuts it to about n characters at a word boundary.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := string([]rune(s)[:n])
	if i := strings.LastIndexByte(r, ' '); i > n/2 {
		return r[:i] + "…"
	}
	return r + "…"
}

// AddUser saves the player's line at the end of the active path, and remembers cfg as the
// chat's configuration. It is saved in its own transaction, before any model is called.
func (r *Repository) AddUser(chatID, text string, cfg Config) (Message, error) {
	if err := checkText("message", text); err != nil {
		return Message{}, err
	}
	var out Message
	err := r.st.Update(func(tx *bolt.Tx) error {
		c, err := getChat(tx, chatID)
		if err != nil {
			return err
		}
		msgs, err := loadMessages(tx, chatID)
		if err != nil {
			return err
		}
		parent := ""
		if path := ActivePath(msgs, c.Active); len(path) > 0 {
			parent = path[len(path)-1]
		}
		if cfg.Provider != "" {
			c.Config = cfg
		}
		if out, err = r.add(tx, &c, Message{ParentID: parent, Role: RoleUser, Text: text}, nil); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketChats, c.ID, c)
	})
	if err != nil {
		return Message{}, fmt.Errorf("save the player's message: %w", err)
	}
	return out, nil
}

// AddReply saves a reply (m.ParentID names the player's message it answers) with the prompt
// that made it, as the active child of that message.
func (r *Repository) AddReply(chatID string, m Message, p *Prompt) (Message, error) {
	m.Role = RoleAssistant
	var out Message
	err := r.st.Update(func(tx *bolt.Tx) error {
		c, err := getChat(tx, chatID)
		if err != nil {
			return err
		}
		if _, err := getMessage(tx, chatID, m.ParentID); err != nil {
			return err
		}
		if out, err = r.add(tx, &c, m, p); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketChats, c.ID, c)
	})
	if err != nil {
		return Message{}, fmt.Errorf("save the reply: %w", err)
	}
	return out, nil
}

// Message returns one message of a chat.
func (r *Repository) Message(chatID, id string) (Message, error) {
	var m Message
	err := r.st.View(func(tx *bolt.Tx) error {
		var err error
		m, err = getMessage(tx, chatID, id)
		return err
	})
	return m, err
}

// Edit branches the chat at a message: it adds a sibling with the edited text and makes it
// active. The original message, and everything after it, stay as they were on their branch.
// An edited reply keeps what made the original (provider, model, mode, template) and
// names it in EditedFrom.
func (r *Repository) Edit(chatID, id, text string) (View, Message, error) {
	if err := checkText("text", text); err != nil {
		return View{}, Message{}, err
	}
	var out Message
	var v View
	err := r.st.Update(func(tx *bolt.Tx) error {
		c, err := getChat(tx, chatID)
		if err != nil {
			return err
		}
		orig, err := getMessage(tx, chatID, id)
		if err != nil {
			return err
		}
		m := Message{ParentID: orig.ParentID, Role: orig.Role, Text: text, EditedFrom: orig.ID, Greeting: orig.Greeting}
		if orig.Role == RoleAssistant {
			m.Provider, m.ProviderKind, m.Model, m.Mode, m.Family = orig.Provider, orig.ProviderKind, orig.Model, orig.Mode, orig.Family
			m.TemplateID, m.TemplateVersion, m.PersonaVersion = orig.TemplateID, orig.TemplateVersion, orig.PersonaVersion
			m.Citations = orig.Citations
		}
		if out, err = r.add(tx, &c, m, nil); err != nil {
			return err
		}
		if err := store.PutJSON(tx, BucketChats, c.ID, c); err != nil {
			return err
		}
		v, err = view(tx, chatID)
		return err
	})
	if err != nil {
		return View{}, Message{}, fmt.Errorf("edit message %s: %w", id, err)
	}
	return v, out, nil
}

// Select makes a message the active one among its siblings: a swipe to another answer, or
// a switch to another branch.
func (r *Repository) Select(chatID, id string) (View, error) {
	var v View
	err := r.st.Update(func(tx *bolt.Tx) error {
		c, err := getChat(tx, chatID)
		if err != nil {
			return err
		}
		m, err := getMessage(tx, chatID, id)
		if err != nil {
			return err
		}
		c.Active[m.ParentID] = m.ID
		if err := store.PutJSON(tx, BucketChats, c.ID, c); err != nil {
			return err
		}
		v, err = view(tx, chatID)
		return err
	})
	if err != nil {
		return View{}, fmt.Errorf("select message %s: %w", id, err)
	}
	return v, nil
}

// ListOptions selects a page of chats.
type ListOptions struct {
	// PersonaID, when set, lists that persona's chats only.
	PersonaID string `json:"personaId,omitempty"`
	// WithCompare includes the chats that are columns of compare runs.
	WithCompare bool `json:"withCompare,omitempty"`
	Offset      int  `json:"offset,omitempty"`
	Limit       int  `json:"limit,omitempty"`
}

// List returns a page of chats, most recently used first.
func (r *Repository) List(opt ListOptions) (Page, error) {
	var page Page
	err := r.st.View(func(tx *bolt.Tx) error {
		var all []Chat
		err := store.ForEachJSON(tx, BucketChats, "", func(_ string, c Chat) error {
			if (opt.PersonaID == "" || c.PersonaID == opt.PersonaID) && (opt.WithCompare || c.CompareRunID == "") {
				all = append(all, c)
			}
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(all, func(a, b Chat) int { return cmp.Or(cmp.Compare(b.UpdatedAt, a.UpdatedAt), cmp.Compare(a.ID, b.ID)) })
		from, to, limit := pageBounds(opt.Offset, opt.Limit, len(all))
		page = Page{Items: make([]Summary, 0, to-from), Total: len(all), Offset: from, Limit: limit}
		// Only the chats on the page read their last message.
		for _, c := range all[from:to] {
			s := c.summary()
			if m, ok := lastMessage(tx, c); ok {
				s.LastLine, s.LastRole = shorten(m.Text, 80), m.Role
			}
			page.Items = append(page.Items, s)
		}
		return nil
	})
	if err != nil {
		return Page{}, err
	}
	return page, nil
}

// lastMessage is the end of c's active path. Every message added marks itself the active
// child of its parent, so following the marks from the start reaches it without reading the
// chat's other messages; a chat whose marks lead nowhere is read whole.
func lastMessage(tx *bolt.Tx, c Chat) (Message, bool) {
	last, parent := "", ""
	for range c.Messages + 1 {
		next, ok := c.Active[parent]
		if !ok {
			break
		}
		last, parent = next, next
	}
	if last != "" {
		if m, err := getMessage(tx, c.ID, last); err == nil {
			return m, true
		}
	}
	msgs, err := loadMessages(tx, c.ID)
	if err != nil {
		return Message{}, false
	}
	path := ActivePath(msgs, c.Active)
	if len(path) == 0 {
		return Message{}, false
	}
	id := path[len(path)-1]
	for _, m := range msgs {
		if m.ID == id {
			return m, true
		}
	}
	return Message{}, false
}

// Delete removes a chat with its messages and prompts. A compare run whose column it was
// keeps its verdict; the column shows no answer.
func (r *Repository) Delete(id string) error {
	err := r.st.Update(func(tx *bolt.Tx) error {
		if _, err := getChat(tx, id); err != nil {
			return err
		}
		for _, b := range []string{BucketMessages, BucketPrompts} {
			if err := deletePrefix(tx, b, id+"/"); err != nil {
				return err
			}
		}
		return store.Delete(tx, BucketChats, id)
	})
	if err != nil {
		return fmt.Errorf("delete chat %s: %w", id, err)
	}
	return nil
}

func deletePrefix(tx *bolt.Tx, bucket, prefix string) error {
	b := tx.Bucket([]byte(bucket))
	if b == nil {
		return fmt.Errorf("bucket %s missing from workspace", bucket)
	}
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Prompt returns the rendered request a reply answered; an edited reply has its original's.
func (r *Repository) Prompt(chatID, id string) (Prompt, error) {
	var p Prompt
	err := r.st.View(func(tx *bolt.Tx) error {
		cur := id
		for range 100 { // edits of edits, bounded
			m, err := getMessage(tx, chatID, cur)
			if err != nil {
				return err
			}
			err = store.GetJSON(tx, BucketPrompts, msgKey(chatID, cur), &p)
			if err == nil || !errors.Is(err, ErrNotFound) || m.EditedFrom == "" {
				return err
			}
			cur = m.EditedFrom
		}
		return ErrNotFound
	})
	if errors.Is(err, ErrNotFound) {
		return p, fmt.Errorf("message %s of chat %s has no recorded prompt (only model replies have one): %w", id, chatID, err)
	}
	return p, err
}

// Exchange is a reply with the prompt it answered, ready to become a training record.
type Exchange struct {
	System   string `json:"system"`
	Messages []Turn `json:"messages"`
	// Reply is the reply's text (an edited reply's edited text).
	Reply  string `json:"reply"`
	Source string `json:"source"`
	// Dropped says what was left out for a record to start with the player's turn.
	Dropped string `json:"dropped,omitempty"`
}

// Exchange returns the reply id and the rendered prompt it answered. Training records start
// with the player's turn, so an opening NPC line (a greeting) is left out and Dropped says so.
func (r *Repository) Exchange(chatID, id string) (Exchange, error) {
	v, err := r.Get(chatID)
	if err != nil {
		return Exchange{}, err
	}
	var m *Message
	for i := range v.Messages {
		if v.Messages[i].ID == id {
			m = &v.Messages[i]
		}
	}
	if m == nil {
		return Exchange{}, fmt.Errorf("message %s of chat %s: %w", id, chatID, ErrNotFound)
	}
	if m.Role != RoleAssistant || m.Greeting {
		return Exchange{}, fault.Invalid("messageId", "pick a reply of the model: training data is a prompt and the reply to it")
	}
	p, err := r.Prompt(chatID, id)
	if err != nil {
		return Exchange{}, err
	}
	ex := Exchange{System: p.System, Reply: m.Text}
	turns := p.Messages
	for len(turns) > 0 && turns[0].Role != RoleUser {
		ex.Dropped = "the persona's opening line (training records start with the player's turn)"
		turns = turns[1:]
	}
	ex.Messages = append([]Turn{}, turns...)
	ex.Source = fmt.Sprintf("chat %s/%s: %s", chatID, id, v.Chat.PersonaName)
	if m.PersonaVersion > 0 {
		ex.Source += fmt.Sprintf(" v%d", m.PersonaVersion)
	}
	ex.Source += " · " + Config{Provider: m.Provider, Model: m.Model, Mode: m.Mode}.Label()
	if m.TemplateID != "" {
		ex.Source += fmt.Sprintf(" · template %s v%d", m.TemplateID, m.TemplateVersion)
	}
	return ex, nil
}

// CreateRun saves a compare run and, for each configuration, a chat holding the player's
// line, in one transaction: the line is kept before any model is called.
func (r *Repository) CreateRun(nc NewChat, text string, cfgs []Config) (Run, error) {
	if err := checkText("message", text); err != nil {
		return Run{}, err
	}
	if len(cfgs) < MinColumns || len(cfgs) > MaxColumns {
		return Run{}, fault.Invalid("configs", "compare takes %d to %d configurations, not %d", MinColumns, MaxColumns, len(cfgs))
	}
	for i, c := range cfgs {
		if err := c.Validate(fmt.Sprintf("configs[%d]", i)); err != nil {
			return Run{}, err
		}
	}
	now := r.timestamp()
	run := Run{V: recordVersion, ID: newID("r"), PersonaID: nc.PersonaID, PersonaName: nc.PersonaName, Message: text, CreatedAt: now, UpdatedAt: now}
	err := r.st.Update(func(tx *bolt.Tx) error {
		for _, cfg := range cfgs {
			col := nc
			col.Config, col.CompareRunID = cfg, run.ID
			c, err := r.create(tx, col)
			if err != nil {
				return err
			}
			parent := ""
			if g, ok := c.Active[""]; ok {
				parent = g
			}
			u, err := r.add(tx, &c, Message{ParentID: parent, Role: RoleUser, Text: text}, nil)
			if err != nil {
				return err
			}
			if err := store.PutJSON(tx, BucketChats, c.ID, c); err != nil {
				return err
			}
			run.Columns = append(run.Columns, Column{Config: cfg, ChatID: c.ID, UserMessageID: u.ID})
		}
		return store.PutJSON(tx, BucketRuns, run.ID, run)
	})
	if err != nil {
		return Run{}, fmt.Errorf("start compare: %w", err)
	}
	return run, nil
}

// FinishColumn records what a column answered, or why it did not.
func (r *Repository) FinishColumn(runID string, col int, answerID, errMsg, errCode string) error {
	return r.st.Update(func(tx *bolt.Tx) error {
		var run Run
		if err := store.GetJSON(tx, BucketRuns, runID, &run); err != nil {
			return err
		}
		if col < 0 || col >= len(run.Columns) {
			return fmt.Errorf("compare %s has no column %d", runID, col)
		}
		c := &run.Columns[col]
		c.AnswerID, c.Error, c.ErrorCode = answerID, errMsg, errCode
		run.UpdatedAt = r.timestamp()
		return store.PutJSON(tx, BucketRuns, runID, run)
	})
}

// fill puts each column's answer into the run.
func fill(tx *bolt.Tx, run *Run) {
	for i := range run.Columns {
		c := &run.Columns[i]
		if c.AnswerID == "" {
			continue
		}
		if m, err := getMessage(tx, c.ChatID, c.AnswerID); err == nil {
			c.Answer = &m
		}
	}
}

// Run returns a compare run with its answers.
func (r *Repository) Run(id string) (Run, error) {
	var run Run
	err := r.st.View(func(tx *bolt.Tx) error {
		if err := store.GetJSON(tx, BucketRuns, id, &run); err != nil {
			return err
		}
		fill(tx, &run)
		return nil
	})
	if err != nil {
		return Run{}, fmt.Errorf("compare %q: %w", id, err)
	}
	return run, nil
}

// MaxNoteLen bounds a verdict's note, in characters.
const MaxNoteLen = 4000

// SaveVerdict records which column answered better and why. Saving again replaces it.
func (r *Repository) SaveVerdict(runID string, winner int, note, author string) (Run, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNoteLen {
		return Run{}, fault.Invalid("note", "longer than %d characters", MaxNoteLen)
	}
	var run Run
	err := r.st.Update(func(tx *bolt.Tx) error {
		if err := store.GetJSON(tx, BucketRuns, runID, &run); err != nil {
			return err
		}
		if winner < 0 || winner >= len(run.Columns) {
			return fault.Invalid("winner", "pick one of the %d columns", len(run.Columns))
		}
		now := r.timestamp()
		run.Verdict = &Verdict{Winner: winner, Note: note, Author: author, At: now}
		run.UpdatedAt = now
		if err := store.PutJSON(tx, BucketRuns, runID, run); err != nil {
			return err
		}
		fill(tx, &run)
		return nil
	})
	if err != nil {
		return Run{}, fmt.Errorf("save verdict on compare %s: %w", runID, err)
	}
	return run, nil
}

// RunListOptions selects a page of compare runs.
type RunListOptions struct {
	// Judged lists only runs with a verdict.
	Judged    bool   `json:"judged,omitempty"`
	PersonaID string `json:"personaId,omitempty"`
	Offset    int    `json:"offset,omitempty"`
	Limit     int    `json:"limit,omitempty"`
}

// ListRuns returns a page of compare runs with their answers, newest first.
func (r *Repository) ListRuns(opt RunListOptions) (RunPage, error) {
	var out RunPage
	err := r.st.View(func(tx *bolt.Tx) error {
		var all []Run
		err := store.ForEachJSON(tx, BucketRuns, "", func(_ string, run Run) error {
			if (!opt.Judged || run.Verdict != nil) && (opt.PersonaID == "" || run.PersonaID == opt.PersonaID) {
				all = append(all, run)
			}
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(all, func(a, b Run) int { return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(a.ID, b.ID)) })
		from, to, limit := pageBounds(opt.Offset, opt.Limit, len(all))
		out = RunPage{Items: append([]Run{}, all[from:to]...), Total: len(all), Offset: from, Limit: limit}
		for i := range out.Items {
			fill(tx, &out.Items[i])
		}
		return nil
	})
	return out, err
}
