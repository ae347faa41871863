package lore

import (
	"encoding/json"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"regexp"
	"sort"
	"strings"
)

// Lorebook is a Character Card V2 character_book, or one a writer makes: entries that
// enter the prompt when their keywords appear in the recent messages. Field names follow
// the CCv2 spec; SillyTavern's extensions that the activation honours are typed too.
type Lorebook struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// ScanDepth is how many of the most recent messages are scanned for keys (default 2).
	ScanDepth int `json:"scan_depth,omitempty"`
	// TokenBudget bounds the tokens of the entries inserted (0: no bound).
	TokenBudget int `json:"token_budget,omitempty"`
	// RecursiveScanning lets the content of fired entries trigger more entries.
	RecursiveScanning bool `json:"recursive_scanning,omitempty"`
	// CaseSensitive and MatchWholeWords are the defaults for entries that do not say.
	CaseSensitive   bool            `json:"case_sensitive,omitempty"`
	MatchWholeWords bool            `json:"match_whole_words,omitempty"`
	Entries         []LorebookEntry `json:"entries"`
}

// SelectiveLogic is how secondary keys combine with a matched primary key
// (SillyTavern's extensions.selectiveLogic numbering).
type SelectiveLogic int

const (
	AndAny SelectiveLogic = 0 // fires when any secondary key is present
	NotAll SelectiveLogic = 1 // fires unless every secondary key is present
	NotAny SelectiveLogic = 2 // fires when no secondary key is present
	AndAll SelectiveLogic = 3 // fires when every secondary key is present
)

func (s SelectiveLogic) String() string {
	switch s {
	case AndAny:
		return "AND ANY"
	case NotAll:
		return "NOT ALL"
	case NotAny:
		return "NOT ANY"
	case AndAll:
		return "AND ALL"
	}
	return fmt.Sprintf("logic %d", int(s))
}

// LorebookEntry is one entry of a lorebook.
type LorebookEntry struct {
	Keys          []string `json:"keys"`
	SecondaryKeys []string `json:"secondary_keys,omitempty"`
	Content       string   `json:"content"`
	Enabled       bool     `json:"enabled"`
	// InsertionOrder: entries with a higher number are inserted later (closer to the end).
	InsertionOrder int `json:"insertion_order"`
	// CaseSensitive, when nil, takes the lorebook's default.
	CaseSensitive *bool `json:"case_sensitive,omitempty"`
	// Constant entries are always inserted (budget permitting).
	Constant bool   `json:"constant,omitempty"`
	Name     string `json:"name,omitempty"`
	// Priority: when the token budget is exceeded, entries with a lower priority are cut first.
	Priority int    `json:"priority,omitempty"`
	ID       int    `json:"id,omitempty"`
	Comment  string `json:"comment,omitempty"`
	// Selective: the entry also needs its secondary keys, combined by SelectiveLogic.
	Selective      bool           `json:"selective,omitempty"`
	SelectiveLogic SelectiveLogic `json:"selective_logic,omitempty"`
	// Position is "before_char" or "after_char".
	Position string `json:"position,omitempty"`
	// MatchWholeWords, when nil, takes the lorebook's default.
	MatchWholeWords *bool `json:"match_whole_words,omitempty"`
	// UseRegex: every key is a regular expression (keys written /pattern/flags always are).
	UseRegex bool `json:"use_regex,omitempty"`
	// ExcludeRecursion: only the messages can trigger the entry, not other entries' content.
	ExcludeRecursion bool `json:"exclude_recursion,omitempty"`
	// PreventRecursion: the entry's content does not trigger other entries.
	PreventRecursion bool `json:"prevent_recursion,omitempty"`
	// Extensions are the entry's settings cards have no field for (a card entry's
	// extensions; SillyTavern's probability, depth, group... for a world file's entry),
	// under the names SillyTavern gives them in a card. Activation does not use them.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty"`
}

// DefaultScanDepth is how many recent messages are scanned when the lorebook does not say.
const DefaultScanDepth = 2

// maxRecursion bounds recursive scanning.
const maxRecursion = 10

// KeyMatch is a key that matched, and where.
type KeyMatch struct {
	Key string `json:"key"`
	// Text is the text the key matched, as written in the message or entry.
	Text string `json:"text"`
	// Message is the message it was found in: 0 is the newest scanned; -1 when it was
	// found in the content of another entry (recursive scanning).
	Message int `json:"message"`
	// Entry is the index of the entry whose content matched (Message -1).
	Entry int `json:"entry,omitempty"`
}

// FiredEntry is an entry that activated.
type FiredEntry struct {
	// Index is the entry's position in Lorebook.Entries.
	Index          int    `json:"index"`
	ID             int    `json:"id,omitempty"`
	Name           string `json:"name,omitempty"`
	Comment        string `json:"comment,omitempty"`
	Content        string `json:"content"`
	Position       string `json:"position,omitempty"`
	InsertionOrder int    `json:"insertionOrder"`
	Priority       int    `json:"priority"`
	Constant       bool   `json:"constant,omitempty"`
	// Keys are the primary keys that matched; Secondary the secondary keys that matched.
	Keys      []KeyMatch `json:"keys,omitempty"`
	Secondary []KeyMatch `json:"secondary,omitempty"`
	// Logic is the selective logic applied, when the entry is selective.
	Logic string `json:"logic,omitempty"`
	// Recursion is 0 for entries triggered by messages, n for entries triggered at the
	// n-th recursive pass.
	Recursion int `json:"recursion"`
	Tokens    int `json:"tokens"`
}

// CutEntry is an entry that fired but did not fit the token budget.
type CutEntry struct {
	FiredEntry
	Reason string `json:"reason"`
}

// Activation is what a lorebook does for one chat turn: the entries inserted, in
// insertion order, and those the budget cut.
type Activation struct {
	Fired       []FiredEntry `json:"fired"`
	Cut         []CutEntry   `json:"cut"`
	TokensUsed  int          `json:"tokensUsed"`
	TokenBudget int          `json:"tokenBudget"`
	// Scanned is how many messages were scanned.
	Scanned int `json:"scanned"`
	// Errors are keys that could not be used (a bad regular expression), by entry.
	Errors []string `json:"errors,omitempty"`
}

// Text is the content of the fired entries at a position ("before_char", "after_char";
// "" takes entries without a position), one entry a paragraph.
func (a Activation) Text(position string) string {
	var parts []string
	for _, f := range a.Fired {
		if f.Position == position {
			parts = append(parts, f.Content)
		}
	}
	return strings.Join(parts, "\n")
}

// Activate scans the most recent messages (oldest first in the slice, as a chat log) for
// the lorebook's keys and returns the entries that fire, as SillyTavern does for
// Character Card V2 books: constant entries always fire; an entry fires when one of its
// keys is present and, when selective, its secondary keys satisfy its logic; with
// recursive scanning, fired entries' content is scanned too. Entries are then kept by
// priority (higher first; then higher insertion order) while they fit the token budget,
// and returned in insertion order.
func Activate(book Lorebook, messages []string) Activation {
	depth := book.ScanDepth
	if depth <= 0 {
		depth = DefaultScanDepth
	}
	depth = min(depth, len(messages))
	scanned := make([]string, depth) // newest first
	for i := range depth {
		scanned[i] = messages[len(messages)-1-i]
	}
	act := Activation{TokenBudget: book.TokenBudget, Scanned: depth, Fired: []FiredEntry{}, Cut: []CutEntry{}}
	m := matcher{cache: map[string]*regexp.Regexp{}}

	fired := map[int]*FiredEntry{}
	var order []int
	fire := func(i int, f *FiredEntry) {
		e := book.Entries[i]
		f.Index, f.ID, f.Name, f.Comment, f.Content = i, e.ID, e.Name, e.Comment, e.Content
		f.Position, f.InsertionOrder, f.Priority, f.Constant = e.Position, e.InsertionOrder, e.Priority, e.Constant
		f.Tokens = prose.EstimateTokens(e.Content)
		fired[i] = f
		order = append(order, i)
	}
	// texts to scan: messages first, then (recursively) the content of fired entries.
	type scanText struct {
		text    string
		message int
		entry   int
	}
	var texts []scanText
	for i, s := range scanned {
		texts = append(texts, scanText{text: s, message: i})
	}
	for i, e := range book.Entries {
		if e.Enabled && e.Constant {
			fire(i, &FiredEntry{})
		}
	}
	for pass := 0; pass <= maxRecursion; pass++ {
		var newly []int
		for i, e := range book.Entries {
			if !e.Enabled || fired[i] != nil || (pass > 0 && e.ExcludeRecursion) {
				continue
			}
			opts := keyOpts{
				caseSensitive: book.CaseSensitive,
				wholeWords:    book.MatchWholeWords,
				regex:         e.UseRegex,
			}
			if e.CaseSensitive != nil {
				opts.caseSensitive = *e.CaseSensitive
			}
			if e.MatchWholeWords != nil {
				opts.wholeWords = *e.MatchWholeWords
			}
			find := func(key string) (KeyMatch, bool) {
				for _, t := range texts {
					got, ok, err := m.match(t.text, key, opts)
					if err != nil {
						act.Errors = append(act.Errors, fmt.Sprintf("entry %d key %q: %v", i, key, err))
						return KeyMatch{}, false
					}
					if ok {
						km := KeyMatch{Key: key, Text: got, Message: t.message}
						if t.message < 0 {
							km.Entry = t.entry
						}
						return km, true
					}
				}
				return KeyMatch{}, false
			}
			var keys []KeyMatch
			for _, k := range e.Keys {
				if km, ok := find(k); ok {
					keys = append(keys, km)
				}
			}
			if len(keys) == 0 {
				continue
			}
			f := &FiredEntry{Keys: keys, Recursion: pass}
			if e.Selective && len(nonEmpty(e.SecondaryKeys)) > 0 {
				secondary := nonEmpty(e.SecondaryKeys)
				for _, k := range secondary {
					if km, ok := find(k); ok {
						f.Secondary = append(f.Secondary, km)
					}
				}
				n, all := len(f.Secondary), len(secondary)
				var ok bool
				switch e.SelectiveLogic {
				case NotAll:
					ok = n < all
				case NotAny:
					ok = n == 0
				case AndAll:
					ok = n == all
				default:
					ok = n > 0
				}
				if !ok {
					continue
				}
				f.Logic = e.SelectiveLogic.String()
			}
			fire(i, f)
			newly = append(newly, i)
		}
		if !book.RecursiveScanning || len(newly) == 0 {
			break
		}
		texts = texts[:0]
		for _, i := range newly {
			if !book.Entries[i].PreventRecursion {
				texts = append(texts, scanText{text: book.Entries[i].Content, message: -1, entry: i})
			}
		}
		if pass == 0 {
			// Constant entries' content counts for the first recursive pass too.
			for _, i := range order {
				if fired[i].Constant && !book.Entries[i].PreventRecursion {
					texts = append(texts, scanText{text: book.Entries[i].Content, message: -1, entry: i})
				}
			}
		}
		if len(texts) == 0 {
			break
		}
	}

	// The budget keeps higher priorities first.
	byPriority := append([]int(nil), order...)
	sort.SliceStable(byPriority, func(a, b int) bool {
		x, y := fired[byPriority[a]], fired[byPriority[b]]
		if x.Priority != y.Priority {
			return x.Priority > y.Priority
		}
		if x.InsertionOrder != y.InsertionOrder {
			return x.InsertionOrder > y.InsertionOrder
		}
		return x.Index < y.Index
	})
	kept := map[int]bool{}
	for _, i := range byPriority {
		f := fired[i]
		if book.TokenBudget > 0 && act.TokensUsed+f.Tokens > book.TokenBudget {
			act.Cut = append(act.Cut, CutEntry{FiredEntry: *f, Reason: fmt.Sprintf("over the token budget: needs %d tokens, %d of %d left",
				f.Tokens, book.TokenBudget-act.TokensUsed, book.TokenBudget)})
			continue
		}
		act.TokensUsed += f.Tokens
		kept[i] = true
	}
	for _, i := range order {
		if kept[i] {
			act.Fired = append(act.Fired, *fired[i])
		}
	}
	sort.SliceStable(act.Fired, func(a, b int) bool {
		if act.Fired[a].InsertionOrder != act.Fired[b].InsertionOrder {
			return act.Fired[a].InsertionOrder < act.Fired[b].InsertionOrder
		}
		return act.Fired[a].Index < act.Fired[b].Index
	})
	return act
}

func nonEmpty(keys []string) []string {
	var out []string
	for _, k := range keys {
		if strings.TrimSpace(k) != "" {
			out = append(out, k)
		}
	}
	return out
}

type keyOpts struct {
	caseSensitive, wholeWords, regex bool
}

type matcher struct {
	cache map[string]*regexp.Regexp
}

// slashRegex is SillyTavern's way to write a regular expression key: /pattern/flags.
var slashRegex = regexp.MustCompile(`^/(.+)/([a-z]*)$`)

// match finds key in text and returns the text it matched.
func (m *matcher) match(text, key string, o keyOpts) (string, bool, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", false, nil
	}
	var pattern string
	if sm := slashRegex.FindStringSubmatch(key); sm != nil || o.regex {
		pattern = key
		flags := ""
		if sm != nil {
			pattern = sm[1]
			for _, f := range sm[2] {
				if f == 'i' || f == 's' || f == 'm' {
					flags += string(f)
				}
			}
		} else if !o.caseSensitive {
			flags = "i"
		}
		if flags != "" {
			pattern = "(?" + flags + ")" + pattern
		}
	} else {
		q := regexp.QuoteMeta(key)
		if o.wholeWords && !strings.ContainsAny(key, " \t") {
			// A key of one word matches whole words only; keys of several words match as
			// written (SillyTavern's rule).
			q = `(?:^|[^\p{L}\p{N}_])(` + q + `)(?:$|[^\p{L}\p{N}_])`
		}
		if !o.caseSensitive {
			q = "(?i)" + q
		}
		pattern = q
	}
	re, ok := m.cache[pattern]
	if !ok {
		var err error
		if re, err = regexp.Compile(pattern); err != nil {
			m.cache[pattern] = nil
			return "", false, err
		}
		m.cache[pattern] = re
	}
	if re == nil {
		return "", false, nil
	}
	loc := re.FindStringSubmatchIndex(text)
	if loc == nil {
		return "", false, nil
	}
	if len(loc) >= 4 && loc[2] >= 0 {
		return text[loc[2]:loc[3]], true, nil
	}
	return text[loc[0]:loc[1]], true, nil
}
