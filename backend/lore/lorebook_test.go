package lore

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func firedNames(a Activation) []string {
	out := []string{}
	for _, f := range a.Fired {
		out = append(out, f.Name)
	}
	return out
}

func TestActivate(t *testing.T) {
	entry := func(name string, keys ...string) LorebookEntry {
		return LorebookEntry{Name: name, Keys: keys, Content: name + " lore.", Enabled: true}
	}
	tests := []struct {
		name     string
		book     Lorebook
		messages []string
		want     []string
	}{
		{"a key fires its entry", Lorebook{Entries: []LorebookEntry{entry("crown", "crown"), entry("vent", "vent")}},
			[]string{"Tell me about the Crown."}, []string{"crown"}},
		{"case-insensitive by default", Lorebook{Entries: []LorebookEntry{entry("reeve", "REEVE")}},
			[]string{"where is the reeve"}, []string{"reeve"}},
		{"case-sensitive entry", Lorebook{Entries: []LorebookEntry{func() LorebookEntry { e := entry("reeve", "Reeve"); e.CaseSensitive = yes(); return e }()}},
			[]string{"where is the reeve"}, []string{}},
		{"substring without whole words", Lorebook{Entries: []LorebookEntry{entry("ash", "ash")}},
			[]string{"Welcome to Ashfall"}, []string{"ash"}},
		{"whole words", Lorebook{MatchWholeWords: true, Entries: []LorebookEntry{entry("ash", "ash"), entry("fall", "ashfall")}},
			[]string{"Welcome to Ashfall!"}, []string{"fall"}},
		{"entry overrides whole words", Lorebook{MatchWholeWords: true, Entries: []LorebookEntry{func() LorebookEntry { e := entry("ash", "ash"); e.MatchWholeWords = no(); return e }()}},
			[]string{"Welcome to Ashfall"}, []string{"ash"}},
		{"a key of several words matches as written", Lorebook{MatchWholeWords: true, Entries: []LorebookEntry{entry("court", "ember court")}},
			[]string{"the Ember Courtyard"}, []string{"court"}},
		{"regex key", Lorebook{Entries: []LorebookEntry{entry("year", `/\b8\d\d\b/`)}},
			[]string{"it was in 812"}, []string{"year"}},
		{"disabled entry", Lorebook{Entries: []LorebookEntry{func() LorebookEntry { e := entry("crown", "crown"); e.Enabled = false; return e }()}},
			[]string{"crown"}, []string{}},
		{"constant entry", Lorebook{Entries: []LorebookEntry{func() LorebookEntry { e := entry("always"); e.Constant = true; return e }()}},
			[]string{"hello"}, []string{"always"}},
		{"scan depth: older messages are not scanned", Lorebook{ScanDepth: 1, Entries: []LorebookEntry{entry("crown", "crown"), entry("vent", "vent")}},
			[]string{"the crown", "the vent"}, []string{"vent"}},
		{"default scan depth is two", Lorebook{Entries: []LorebookEntry{entry("a", "alpha"), entry("b", "beta"), entry("c", "gamma")}},
			[]string{"alpha", "beta", "gamma"}, []string{"b", "c"}},
		{"insertion order", Lorebook{Entries: []LorebookEntry{
			func() LorebookEntry { e := entry("late", "x"); e.InsertionOrder = 10; return e }(),
			func() LorebookEntry { e := entry("early", "x"); e.InsertionOrder = 1; return e }(),
		}}, []string{"x"}, []string{"early", "late"}},
		{"recursion off", Lorebook{Entries: []LorebookEntry{
			{Name: "queen", Keys: []string{"queen"}, Content: "The queen wears the Glass Crown.", Enabled: true},
			entry("crown", "glass crown"),
		}}, []string{"the queen"}, []string{"queen"}},
		{"recursion on", Lorebook{RecursiveScanning: true, Entries: []LorebookEntry{
			{Name: "queen", Keys: []string{"queen"}, Content: "The queen wears the Glass Crown.", Enabled: true},
			entry("crown", "glass crown"),
		}}, []string{"the queen"}, []string{"queen", "crown"}},
		{"recursion: excluded entry", Lorebook{RecursiveScanning: true, Entries: []LorebookEntry{
			{Name: "queen", Keys: []string{"queen"}, Content: "The queen wears the Glass Crown.", Enabled: true},
			func() LorebookEntry { e := entry("crown", "glass crown"); e.ExcludeRecursion = true; return e }(),
		}}, []string{"the queen"}, []string{"queen"}},
		{"recursion: prevented entry", Lorebook{RecursiveScanning: true, Entries: []LorebookEntry{
			{Name: "queen", Keys: []string{"queen"}, Content: "The queen wears the Glass Crown.", Enabled: true, PreventRecursion: true},
			entry("crown", "glass crown"),
		}}, []string{"the queen"}, []string{"queen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := firedNames(Activate(tt.book, tt.messages))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestSelectiveLogic(t *testing.T) {
	// Primary key "smith"; secondary keys "crown" and "court".
	tests := []struct {
		logic   SelectiveLogic
		message string
		fires   bool
	}{
		{AndAny, "the smith and the crown", true},
		{AndAny, "the smith alone", false},
		{AndAll, "the smith, the crown, the court", true},
		{AndAll, "the smith and the crown", false},
		{NotAny, "the smith alone", true},
		{NotAny, "the smith and the court", false},
		{NotAll, "the smith and the court", true},
		{NotAll, "the smith, the crown, the court", false},
		{AndAny, "the crown and the court, no one else", false}, // no primary key
	}
	for _, tt := range tests {
		t.Run(tt.logic.String()+"/"+tt.message, func(t *testing.T) {
			book := Lorebook{Entries: []LorebookEntry{{Name: "oren", Keys: []string{"smith"}, SecondaryKeys: []string{"crown", "court"},
				Selective: true, SelectiveLogic: tt.logic, Content: "Oren.", Enabled: true}}}
			a := Activate(book, []string{tt.message})
			if (len(a.Fired) == 1) != tt.fires {
				t.Errorf("fired %v, want %v", len(a.Fired) == 1, tt.fires)
			}
		})
	}
}

func TestActivationTraceAndBudget(t *testing.T) {
	book := Lorebook{TokenBudget: 30, Entries: []LorebookEntry{
		{ID: 1, Name: "crown", Keys: []string{"crown", "circlet"}, Content: strings.Repeat("c", 40), Enabled: true, Priority: 5, InsertionOrder: 2, Position: "after_char"},
		{ID: 2, Name: "smith", Keys: []string{"smith"}, Content: strings.Repeat("s", 60), Enabled: true, Priority: 10, InsertionOrder: 1},
		{ID: 3, Name: "court", Keys: []string{"court"}, Content: strings.Repeat("x", 80), Enabled: true, Priority: 1, InsertionOrder: 3},
		{ID: 4, Name: "vent", Keys: []string{"vent"}, Content: "v", Enabled: true, Constant: true, InsertionOrder: 0},
	}}
	a := Activate(book, []string{"Who is the Smith of the Ember Court?", "He made the queen's Circlet."})
	// Tokens: crown 10, smith 15, court 20, vent 1. Budget 30 by priority: smith 15, crown 10,
	// court (priority 1, 20) does not fit in the 5 left and is cut; vent (priority 0) 1 = 26.
	if diff := cmp.Diff([]string{"vent", "smith", "crown"}, firedNames(a)); diff != "" {
		t.Error(diff)
	}
	if a.TokensUsed != 26 || len(a.Cut) != 1 || a.Cut[0].Name != "court" || a.Cut[0].Reason != "over the token budget: needs 20 tokens, 5 of 30 left" {
		t.Errorf("budget: used %d, cut %+v", a.TokensUsed, a.Cut)
	}
	crown := a.Fired[2]
	want := []KeyMatch{{Key: "circlet", Text: "Circlet", Message: 0}}
	if diff := cmp.Diff(want, crown.Keys); diff != "" {
		t.Errorf("crown matched on: %s", diff)
	}
	smith := a.Fired[1]
	if diff := cmp.Diff([]KeyMatch{{Key: "smith", Text: "Smith", Message: 1}}, smith.Keys); diff != "" {
		t.Errorf("smith matched on: %s", diff)
	}
	if a.Text("after_char") != strings.Repeat("c", 40) || a.Scanned != 2 {
		t.Errorf("after_char text %q, scanned %d", a.Text("after_char"), a.Scanned)
	}
	// The trace is plain JSON for the debugger.
	if _, err := json.Marshal(TurnTrace{Lorebook: &a}); err != nil {
		t.Fatal(err)
	}
	bad := Activate(Lorebook{Entries: []LorebookEntry{{Name: "bad", Keys: []string{"/(unclosed/"}, Content: "x", Enabled: true}}}, []string{"(unclosed"})
	if len(bad.Fired) != 0 || len(bad.Errors) != 1 {
		t.Errorf("bad regex: %+v", bad)
	}
}

// TestLorebookJSON reads a character_book as cards carry it.
func TestLorebookJSON(t *testing.T) {
	raw := `{"name":"Ashfall","scan_depth":3,"token_budget":500,"recursive_scanning":true,"extensions":{},
	"entries":[{"keys":["reeve"],"secondary_keys":["sister"],"content":"Hollis Drane.","extensions":{},"enabled":true,
	"insertion_order":100,"case_sensitive":false,"constant":false,"name":"Reeve","priority":10,"id":7,"comment":"",
	"selective":true,"selective_logic":2,"position":"before_char"}]}`
	var b Lorebook
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		t.Fatal(err)
	}
	e := b.Entries[0]
	if b.ScanDepth != 3 || b.TokenBudget != 500 || !b.RecursiveScanning || e.SelectiveLogic != NotAny || e.ID != 7 || e.CaseSensitive == nil || e.Position != "before_char" {
		t.Errorf("%+v", b)
	}
}
