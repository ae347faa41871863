package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
)

// loreRetriever grounds chat's RAG mode in the lore library: the persona's lorebook entries
// that fire on the recent messages, and the chunks of its knowledge boundary that answer
// the player's line within the token budget. What it did is kept with the reply's prompt
// (a LoreTurn) for the activation debugger.
type loreRetriever struct{ a *App }

var _ chat.TurnRetriever = (*loreRetriever)(nil)

// Retrieve answers a caller that knows only the line: no lorebook, the line as the only message.
func (r *loreRetriever) Retrieve(ctx context.Context, collections []string, query string, budget int) (chat.Retrieval, error) {
	return r.RetrieveTurn(ctx, chat.LoreTurn{Collections: collections, Query: query, TokenBudget: budget, Recent: []string{query}})
}

// LoreTurn is what the lore library did for one chat turn.
type LoreTurn struct {
	V       int    `json:"v"`
	Persona string `json:"persona"`
	// Collections is the persona's knowledge boundary; AllLore says it has none, so the
	// whole library was searched.
	Collections []string `json:"collections"`
	AllLore     bool     `json:"allLore"`
	// Notes say what the writer should know about this turn's lore.
	Notes []string       `json:"notes"`
	Trace lore.TurnTrace `json:"trace"`
	// Passages are the chunks the prompt carried, with the citation the model cites each by
	// and the exact chunk (id and byte offsets) it points at.
	Passages []lore.Passage `json:"passages"`
	// EntryCitations are the citations of the lorebook entries the prompt carried, in the
	// order of Trace.Lorebook.Fired.
	EntryCitations []string `json:"entryCitations,omitempty"`
}

// RetrieveTurn activates the persona's lorebook on the recent messages and retrieves the
// chunks of its collections (all lore when it has none) that fit the budget.
func (r *loreRetriever) RetrieveTurn(ctx context.Context, t chat.LoreTurn) (chat.Retrieval, error) {
	lib, err := r.a.library()
	if err != nil {
		return chat.Retrieval{}, err
	}
	name := cmp.Or(t.Persona.DisplayName(), "the persona")
	turn := LoreTurn{V: 1, Persona: t.Persona.Name, Collections: t.Collections, AllLore: len(t.Collections) == 0, Notes: []string{}, Passages: []lore.Passage{}}
	if turn.AllLore {
		turn.Notes = append(turn.Notes, fmt.Sprintf("%s has no knowledge boundary (no lore collections set): lore was retrieved from the whole library. Set the persona's lore collections to limit what it knows.", name))
	}
	var book lore.Lorebook
	if t.Persona.Lorebook != nil && len(t.Persona.Lorebook.Entries) > 0 {
		book = lorebookOf(t.Persona.Lorebook)
		act := lore.Activate(book, t.Recent)
		turn.Trace.Lorebook = &act
	}
	st, err := r.a.store()
	if err != nil {
		return chat.Retrieval{}, err
	}
	rag, err := loreRAG(st)
	if err != nil {
		return chat.Retrieval{}, err
	}
	got, err := lore.Retriever{Source: lib}.Retrieve(ctx, lore.RetrieveRequest{Query: t.Query, Collections: t.Collections, TokenBudget: t.TokenBudget, MinRelevance: rag.MinRelevance})
	if err != nil {
		return chat.Retrieval{}, err
	}
	turn.Trace.Retrieval = &got.Trace
	if note := got.Trace.FloorNote(); note != "" {
		turn.Notes = append(turn.Notes, note)
	}

	out := chat.Retrieval{}
	n := 0
	for _, p := range got.Passages {
		n++
		p.Citation = strconv.Itoa(n)
		turn.Passages = append(turn.Passages, p)
		out.Passages = append(out.Passages, chat.Passage{Citation: p.Citation, Collection: p.Collection, Doc: p.Doc, Chunk: p.Chunk,
			Score: p.Score, Text: p.Text, ChunkID: p.ChunkID, Start: p.Start, End: p.End, Source: p.Source()})
	}
	if act := turn.Trace.Lorebook; act != nil {
		bookName := cmp.Or(book.Name, name+"'s lorebook")
		for _, f := range act.Fired {
			n++
			c := strconv.Itoa(n)
			turn.EntryCitations = append(turn.EntryCitations, c)
			entry := cmp.Or(f.Name, f.Comment, fmt.Sprintf("entry %d", f.Index+1))
			out.Passages = append(out.Passages, chat.Passage{Citation: c, Doc: "lorebook: " + bookName, Chunk: f.Index, Text: f.Content,
				Source: bookName + " > " + entry})
		}
	}
	out.Trace = traceLines(turn)
	if out.Detail, err = json.Marshal(turn); err != nil {
		return chat.Retrieval{}, err
	}
	return out, nil
}

// traceLines sums a turn up for the prompt's trace (the command line prints it).
func traceLines(t LoreTurn) []string {
	lines := append([]string{}, t.Notes...)
	if t.AllLore {
		lines = append(lines, "boundary: none (all lore)")
	} else {
		lines = append(lines, "boundary: "+strings.Join(t.Collections, ", "))
	}
	if a := t.Trace.Lorebook; a != nil {
		var fired []string
		for _, f := range a.Fired {
			var on []string
			for _, k := range f.Keys {
				on = append(on, strconv.Quote(k.Text))
			}
			if f.Constant {
				on = append(on, "constant")
			}
			fired = append(fired, fmt.Sprintf("%s on %s", cmp.Or(f.Name, f.Comment, fmt.Sprintf("entry %d", f.Index+1)), strings.Join(on, ", ")))
		}
		line := fmt.Sprintf("lorebook: %d fired", len(a.Fired))
		if len(fired) > 0 {
			line += " (" + strings.Join(fired, "; ") + ")"
		}
		if len(a.Cut) > 0 {
			line += fmt.Sprintf(", %d cut by the budget", len(a.Cut))
		}
		lines = append(lines, line)
	}
	if r := t.Trace.Retrieval; r != nil {
		used := 0
		for _, c := range r.Candidates {
			if c.Used {
				used++
			}
		}
		line := fmt.Sprintf("search: %s, %d found, %d used (%d of %d tokens)", r.Mode, len(r.Candidates), used, r.TokensUsed, r.TokenBudget)
		if r.BelowFloor > 0 {
			line += fmt.Sprintf(", %d under the relevance floor %.2f", r.BelowFloor, r.MinRelevance)
		}
		if r.Notice != "" {
			line += "; " + r.Notice
		}
		lines = append(lines, line)
		for _, c := range r.Candidates {
			mark := "used"
			if !c.Used {
				mark = "cut: " + c.Reason
			}
			lines = append(lines, fmt.Sprintf("  %s #%d  score %.4f  %d tokens  %s", c.Doc, c.Chunk, c.Score, c.Tokens, mark))
		}
	}
	return lines
}

// lorebookOf is a persona's lorebook (a card's character_book) as lore activates it, with
// the SillyTavern extensions activation honours.
func lorebookOf(b *persona.Lorebook) lore.Lorebook {
	out := lore.Lorebook{Name: b.Name, Description: b.Description, ScanDepth: b.ScanDepth, TokenBudget: b.TokenBudget, RecursiveScanning: b.RecursiveScanning}
	extBool(b.Extensions, "case_sensitive", &out.CaseSensitive)
	extBool(b.Extensions, "match_whole_words", &out.MatchWholeWords)
	for _, e := range b.Entries {
		le := lore.LorebookEntry{Keys: e.Keys, SecondaryKeys: e.SecondaryKeys, Content: e.Content, Enabled: e.Enabled, InsertionOrder: e.InsertionOrder,
			CaseSensitive: e.CaseSensitive, Constant: e.Constant, Name: e.Name, Priority: e.Priority, ID: e.ID, Comment: e.Comment,
			Selective: e.Selective, Position: e.Position, UseRegex: e.UseRegex}
		var logic int
		if raw, ok := e.Extensions["selectiveLogic"]; ok && json.Unmarshal(raw, &logic) == nil {
			le.SelectiveLogic = lore.SelectiveLogic(logic)
		}
		var b bool
		if extBool(e.Extensions, "match_whole_words", &b) {
			le.MatchWholeWords = &b
		}
		if le.CaseSensitive == nil {
			var cs bool
			if extBool(e.Extensions, "case_sensitive", &cs) {
				le.CaseSensitive = &cs
			}
		}
		extBool(e.Extensions, "exclude_recursion", &le.ExcludeRecursion)
		extBool(e.Extensions, "prevent_recursion", &le.PreventRecursion)
		out.Entries = append(out.Entries, le)
	}
	return out
}

// extBool reads a boolean extension; null or absent leaves v and reports false.
func extBool(ext map[string]json.RawMessage, key string, v *bool) bool {
	raw, ok := ext[key]
	if !ok {
		return false
	}
	var b *bool
	if json.Unmarshal(raw, &b) != nil || b == nil {
		return false
	}
	*v = *b
	return true
}

// LoreTurnRequest names a reply of a chat.
type LoreTurnRequest struct {
	ChatID    string `json:"chatId"`
	MessageID string `json:"messageId"`
}

// LoreTurnView is what the activation debugger shows for one reply.
type LoreTurnView struct {
	ChatID         string    `json:"chatId"`
	MessageID      string    `json:"messageId"`
	Mode           chat.Mode `json:"mode"`
	Persona        string    `json:"persona"`
	PersonaVersion int       `json:"personaVersion"`
	// Line is the player's line the reply answered.
	Line string `json:"line"`
	// Recorded says the turn's lore was recorded when the reply was made (RAG mode with the
	// library). Otherwise nothing was retrieved, and Turn.Trace.Lorebook is what the
	// persona's lorebook fires on these messages now, shown for reference.
	Recorded bool     `json:"recorded"`
	Turn     LoreTurn `json:"turn"`
	// Citations are the reply's citations as the chat shows them.
	Citations []chat.Citation `json:"citations"`
}

// Turn opens the activation debugger on a reply: which lorebook entries fired and on which
// words, which chunks were retrieved with their scores, and what the budgets cut.
func (s *LoreService) Turn(req LoreTurnRequest) (out LoreTurnView, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	chats := chat.NewRepository(st)
	v, err := chats.Get(req.ChatID)
	if err != nil {
		return out, err
	}
	byID := map[string]chat.Message{}
	for _, m := range v.Messages {
		byID[m.ID] = m
	}
	m, ok := byID[req.MessageID]
	if !ok {
		return out, fmt.Errorf("message %s of chat %s: %w", req.MessageID, req.ChatID, fault.ErrNotFound)
	}
	if m.Role != chat.RoleAssistant || m.Greeting {
		return out, fault.Invalid("messageId", "pick a reply of the model: only replies have lore")
	}
	out = LoreTurnView{ChatID: req.ChatID, MessageID: m.ID, Mode: m.Mode, Persona: v.Chat.PersonaName, PersonaVersion: m.PersonaVersion, Citations: m.Citations}
	if out.Citations == nil {
		out.Citations = []chat.Citation{}
	}
	// The conversation the reply answered, oldest first, ending with the player's line.
	var recent []string
	for id, n := m.ParentID, 0; id != "" && n < 10000; n++ {
		pm, ok := byID[id]
		if !ok {
			break
		}
		recent = append([]string{pm.Text}, recent...)
		id = pm.ParentID
	}
	if len(recent) > 0 {
		out.Line = recent[len(recent)-1]
	}
	if p, err := chats.Prompt(req.ChatID, m.ID); err == nil && len(p.Lore) > 0 {
		if err := json.Unmarshal(p.Lore, &out.Turn); err != nil {
			return out, fmt.Errorf("read the lore of this turn: %w", err)
		}
		out.Recorded = true
		return out, nil
	} else if err != nil && !errors.Is(err, fault.ErrNotFound) && !errors.Is(err, chat.ErrNotFound) {
		return out, err
	}
	// No record: a reply in base or fine-tuned mode, or one made before the library held lore.
	out.Turn = LoreTurn{V: 1, Persona: v.Chat.PersonaName, Notes: []string{}, Passages: []lore.Passage{}}
	switch {
	case m.Mode != chat.ModeRAG:
		out.Turn.Notes = append(out.Turn.Notes, fmt.Sprintf("This reply was made in %s mode: no lore went into its prompt.", cmp.Or(string(m.Mode), "base")))
	case m.LoreNote != "":
		out.Turn.Notes = append(out.Turn.Notes, "No lore was retrieved for this reply: "+m.LoreNote+".")
	default:
		out.Turn.Notes = append(out.Turn.Notes, "No lore trace was recorded for this reply.")
	}
	pv, err := persona.NewRepository(st).Version(v.Chat.PersonaID, m.PersonaVersion)
	if err != nil {
		pv, err = persona.NewRepository(st).Get(v.Chat.PersonaID)
	}
	if err == nil {
		out.Turn.Collections = pv.Persona.Knowledge.LoreCollections
		out.Turn.AllLore = len(out.Turn.Collections) == 0
		if pv.Persona.Lorebook != nil && len(pv.Persona.Lorebook.Entries) > 0 {
			act := lore.Activate(lorebookOf(pv.Persona.Lorebook), recent)
			out.Turn.Trace.Lorebook = &act
			out.Turn.Notes = append(out.Turn.Notes, fmt.Sprintf("The lorebook below is what %s's lorebook (version %d) fires on these messages, for reference.", v.Chat.PersonaName, pv.N))
		}
	}
	return out, nil
}

// LoreLorebookRequest tries a persona's lorebook on messages, without a chat.
type LoreLorebookRequest struct {
	PersonaRef string `json:"personaRef"`
	// Messages are the conversation, oldest first, ending with the newest line.
	Messages []string `json:"messages"`
}

// TryLorebook shows which of a persona's lorebook entries fire on messages, on which words,
// and what the token budget cuts.
func (s *LoreService) TryLorebook(req LoreLorebookRequest) (out lore.Activation, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	pv, err := persona.NewRepository(st).Get(req.PersonaRef)
	if err != nil {
		return out, err
	}
	if pv.Persona.Lorebook == nil || len(pv.Persona.Lorebook.Entries) == 0 {
		return out, fault.Invalid("personaRef", "%s has no lorebook entries", pv.Persona.Name)
	}
	return lore.Activate(lorebookOf(pv.Persona.Lorebook), req.Messages), nil
}

// LorebookRequest names the persona whose lorebook to read.
type LorebookRequest struct {
	PersonaRef string `json:"personaRef"`
}

// LorebookView is a persona's lorebook as the editor shows it.
type LorebookView struct {
	PersonaID string `json:"personaId"`
	Persona   string `json:"persona"`
	// Version is the persona version the lorebook is from.
	Version  int              `json:"version"`
	Lorebook persona.Lorebook `json:"lorebook"`
}

// Lorebook returns a persona's lorebook (an empty one when it has none).
func (s *LoreService) Lorebook(req LorebookRequest) (out LorebookView, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	pv, err := persona.NewRepository(st).Get(req.PersonaRef)
	if err != nil {
		return out, err
	}
	return lorebookView(pv), nil
}

func lorebookView(pv persona.PersonaVersion) LorebookView {
	out := LorebookView{PersonaID: pv.PersonaID, Persona: pv.Persona.Name, Version: pv.N, Lorebook: persona.Lorebook{Entries: []persona.LoreEntry{}}}
	if pv.Persona.Lorebook != nil {
		out.Lorebook = *pv.Persona.Lorebook
		if out.Lorebook.Entries == nil {
			out.Lorebook.Entries = []persona.LoreEntry{}
		}
	}
	return out
}

// SaveLorebookRequest saves a lorebook a writer made or edited with its persona.
type SaveLorebookRequest struct {
	PersonaRef string           `json:"personaRef"`
	Lorebook   persona.Lorebook `json:"lorebook"`
}

// SaveLorebook keeps a lorebook as the persona's next version, signed by the writer, so its
// history and diffs show the change; a card export writes it as the character_book.
func (s *LoreService) SaveLorebook(req SaveLorebookRequest) (out LorebookView, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	book := req.Lorebook
	if book.ScanDepth < 0 || book.TokenBudget < 0 {
		return out, fault.Invalid("lorebook", "scan depth and token budget must not be negative")
	}
	for i := range book.Entries {
		e := &book.Entries[i]
		var keys []string
		for _, k := range e.Keys {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
		e.Keys = keys
		if e.Keys == nil {
			e.Keys = []string{}
		}
		if strings.TrimSpace(e.Content) == "" {
			return out, fault.Invalid(fmt.Sprintf("entries[%d].content", i), "entry %d has no content", i+1)
		}
		if len(e.Keys) == 0 && !e.Constant {
			return out, fault.Invalid(fmt.Sprintf("entries[%d].keys", i), "entry %d has no keys: give the words that trigger it, or make it constant", i+1)
		}
		if e.Position != "" && e.Position != "before_char" && e.Position != "after_char" {
			return out, fault.Invalid(fmt.Sprintf("entries[%d].position", i), "position is before_char or after_char")
		}
	}
	repo := persona.NewRepository(st)
	cur, err := repo.Get(req.PersonaRef)
	if err != nil {
		return out, err
	}
	p := cur.Persona
	if len(book.Entries) == 0 && book.Name == "" && book.Description == "" {
		p.Lorebook = nil
	} else {
		p.Lorebook = &book
	}
	pv, err := repo.Save(p, s.a.author())
	if err != nil {
		return out, err
	}
	s.a.log.Info("lorebook saved", "persona", pv.PersonaID, "version", pv.N, "entries", len(book.Entries))
	return lorebookView(pv), nil
}
