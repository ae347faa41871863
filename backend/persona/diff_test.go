package persona

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiffWords(t *testing.T) {
	tests := []struct {
		name          string
		before, after string
		want          []Segment
	}{
		{"equal", "same text", "same text", []Segment{{OpEqual, "same text"}}},
		{"both empty", "", "", []Segment{}},
		{"added", "", "new words", []Segment{{OpInsert, "new words"}}},
		{"removed", "old words", "", []Segment{{OpDelete, "old words"}}},
		{"one word", "Gruff, loyal and curious.", "Gruff, loyal and kind.", []Segment{
			{OpEqual, "Gruff, loyal and "}, {OpDelete, "curious"}, {OpInsert, "kind"}, {OpEqual, "."},
		}},
		{"whole words, not letters", "the cat sat", "the car sat", []Segment{
			{OpEqual, "the "}, {OpDelete, "cat"}, {OpInsert, "car"}, {OpEqual, " sat"},
		}},
		{"inserted word", "a blue door", "a big blue door", []Segment{
			{OpEqual, "a "}, {OpInsert, "big "}, {OpEqual, "blue door"},
		}},
		{"apostrophes stay in words", "don't go", "won't go", []Segment{
			{OpDelete, "don't"}, {OpInsert, "won't"}, {OpEqual, " go"},
		}},
		{"non-latin", "Élodie aime le café", "Élodie aime le thé", []Segment{
			{OpEqual, "Élodie aime le "}, {OpDelete, "café"}, {OpInsert, "thé"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, DiffWords(tt.before, tt.after)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	base := func() Persona {
		return Persona{
			ID: "mira-1", Name: "Mira", Personality: "gruff and curious",
			Goals:         []string{"find the oil", "keep the forge"},
			Relationships: []Relationship{{Name: "Bren", Kind: "keeper"}},
			Lorebook:      &Lorebook{Entries: []LoreEntry{{Keys: []string{"oil"}, Content: "The oil is gone.", Enabled: true}}},
		}
	}
	tests := []struct {
		name string
		edit func(*Persona)
		want []FieldDiff
	}{
		{"no change", func(*Persona) {}, nil},
		{"id and avatar bytes are not compared", func(p *Persona) { p.ID, p.Avatar = "other", []byte("x") }, nil},
		{"changed text", func(p *Persona) { p.Personality = "gruff and kind" }, []FieldDiff{{
			Field: "personality", Change: ChangeChanged, Before: "gruff and curious", After: "gruff and kind",
			Segments: []Segment{{OpEqual, "gruff and "}, {OpDelete, "curious"}, {OpInsert, "kind"}},
		}}},
		{"added field", func(p *Persona) { p.SafetyNotes = "No gore." }, []FieldDiff{{
			Field: "safetyNotes", Change: ChangeAdded, After: "No gore.", Segments: []Segment{{OpInsert, "No gore."}},
		}}},
		{"removed field", func(p *Persona) { p.Personality = "" }, []FieldDiff{{
			Field: "personality", Change: ChangeRemoved, Before: "gruff and curious", Segments: []Segment{{OpDelete, "gruff and curious"}},
		}}},
		{"string list as lines", func(p *Persona) { p.Goals = []string{"find the oil", "pay the rent", "keep the forge"} }, []FieldDiff{{
			Field: "goals", Change: ChangeChanged, Before: "find the oil\nkeep the forge", After: "find the oil\npay the rent\nkeep the forge",
			Segments: []Segment{{OpEqual, "find the oil\n"}, {OpInsert, "pay the rent\n"}, {OpEqual, "keep the forge"}},
		}}},
		{"nested objects by path", func(p *Persona) {
			p.Relationships[0].Notes = "suspect"
			p.Lorebook.Entries[0].Content = "The oil is stolen."
		}, []FieldDiff{
			{Field: "relationships[0].notes", Change: ChangeAdded, After: "suspect", Segments: []Segment{{OpInsert, "suspect"}}},
			{Field: "lorebook.entries[0].content", Change: ChangeChanged, Before: "The oil is gone.", After: "The oil is stolen.",
				Segments: []Segment{{OpEqual, "The oil is "}, {OpDelete, "gone"}, {OpInsert, "stolen"}, {OpEqual, "."}}},
		}},
		{"non-text values", func(p *Persona) { p.Lorebook.Entries[0].Enabled = false }, []FieldDiff{{
			Field: "lorebook.entries[0].enabled", Change: ChangeChanged, Before: "true", After: "false",
			Segments: []Segment{{OpDelete, "true"}, {OpInsert, "false"}},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := base(), base()
			tt.edit(&b)
			if diff := cmp.Diff(tt.want, Diff(a, b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
