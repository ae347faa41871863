package persona

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/store"
)

func openRepo(t testing.TB) *Repository {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{Buckets: Buckets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := NewRepository(st)
	clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	r.now = func() time.Time {
		clock = clock.Add(time.Minute)
		return clock
	}
	return r
}

func mustCreate(t testing.TB, r *Repository, p Persona) PersonaVersion {
	t.Helper()
	v, err := r.Create(p, "ana")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCreateAndGet(t *testing.T) {
	r := openRepo(t)
	v := mustCreate(t, r, loadPersona(t, "mira"))
	if !strings.HasPrefix(v.PersonaID, "mira-saltwhistle-") || len(v.PersonaID) != len("mira-saltwhistle-")+4 {
		t.Errorf("id = %q", v.PersonaID)
	}
	if v.N != 1 || v.Author != "ana" || v.SavedAt != "2025-03-01T09:01:00Z" || v.Persona.ID != v.PersonaID {
		t.Errorf("version = %+v", v)
	}
	for _, ref := range []string{v.PersonaID, "Mira Saltwhistle", "  mira saltwhistle "} {
		got, err := r.Get(ref)
		if err != nil {
			t.Fatalf("Get(%q): %v", ref, err)
		}
		if diff := cmp.Diff(v, got); diff != "" {
			t.Errorf("Get(%q) (-want +got):\n%s", ref, diff)
		}
	}
	if _, err := r.Get("nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(nobody) = %v, want ErrNotFound", err)
	}
	mustCreate(t, r, Persona{Name: "mira saltwhistle"})
	if _, err := r.Get("Mira Saltwhistle"); !errors.Is(err, ErrAmbiguousName) {
		t.Errorf("Get of a shared name = %v, want ErrAmbiguousName", err)
	}
}

func TestCreateRejects(t *testing.T) {
	r := openRepo(t)
	tests := []struct {
		name  string
		p     Persona
		field string
	}{
		{"no name", Persona{Name: "  "}, "name"},
		{"long name", Persona{Name: strings.Repeat("x", MaxNameLen+1)}, "name"},
		{"unknown template", Persona{Name: "M", TemplateID: "nope"}, "templateId"},
		{"avatar not PNG", Persona{Name: "M", Avatar: []byte("GIF89a")}, "avatar"},
		{"nameless relationship", Persona{Name: "M", Relationships: []Relationship{{Kind: "friend"}}}, "relationships[0].name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Create(tt.p, "ana")
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("got %v, want a ValidationError on %s", err, tt.field)
			}
		})
	}
	t.Run("own template that does not render", func(t *testing.T) {
		_, err := r.Create(Persona{Name: "M", Template: &Template{System: "{{.Persona.Mood}}"}}, "ana")
		var te *TemplateError
		if !errors.As(err, &te) || te.Template != "M template" {
			t.Fatalf("got %v, want a TemplateError", err)
		}
	})
}

func TestVersions(t *testing.T) {
	r := openRepo(t)
	v1 := mustCreate(t, r, loadPersona(t, "mira"))
	id := v1.PersonaID

	p := v1.Persona
	p.Personality = "Gruff, loyal and kind."
	v2, err := r.Save(p, "ben")
	if err != nil {
		t.Fatal(err)
	}
	if v2.N != 2 || v2.Author != "ben" {
		t.Errorf("v2 = %d by %s", v2.N, v2.Author)
	}
	again, err := r.Save(p, "ben")
	if err != nil || again.N != 2 {
		t.Errorf("saving an unchanged persona made version %d (%v)", again.N, err)
	}

	restored, err := r.Restore(id, 1, "cleo")
	if err != nil {
		t.Fatal(err)
	}
	if restored.N != 3 || restored.Note != "restored from version 1" {
		t.Errorf("restore = %d %q", restored.N, restored.Note)
	}
	if diff := cmp.Diff(v1.Persona, restored.Persona); diff != "" {
		t.Errorf("restored persona (-v1 +v3):\n%s", diff)
	}

	hist, err := r.History(id)
	if err != nil {
		t.Fatal(err)
	}
	want := []VersionInfo{
		{N: 3, Author: "cleo", SavedAt: "2025-03-01T09:03:00Z", Note: "restored from version 1", Name: "Mira Saltwhistle"},
		{N: 2, Author: "ben", SavedAt: "2025-03-01T09:02:00Z", Name: "Mira Saltwhistle"},
		{N: 1, Author: "ana", SavedAt: "2025-03-01T09:01:00Z", Name: "Mira Saltwhistle"},
	}
	if diff := cmp.Diff(want, hist); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	got2, err := r.Version(id, 2)
	if err != nil {
		t.Fatal(err)
	}
	diffs := Diff(v1.Persona, got2.Persona)
	if len(diffs) != 1 || diffs[0].Field != "personality" {
		t.Errorf("diff v1..v2 = %+v", diffs)
	}
	if _, err := r.Version(id, 9); !errors.Is(err, ErrNotFound) {
		t.Errorf("Version(9) = %v", err)
	}
	cur, _ := r.Get(id)
	if cur.N != 3 {
		t.Errorf("current version %d, want 3", cur.N)
	}
	if _, err := r.Save(Persona{ID: "ghost-0000", Name: "Ghost"}, "ana"); !errors.Is(err, ErrNotFound) {
		t.Errorf("save of an unknown id = %v", err)
	}
}

func TestSaveAsNewAndDelete(t *testing.T) {
	r := openRepo(t)
	card := importFile(t, "cards/mira_v2.png")
	v1 := mustCreate(t, r, card.Persona)
	if v1.Persona.AvatarID == "" || v1.Persona.Avatar != nil {
		t.Fatalf("avatar id %q, bytes %d", v1.Persona.AvatarID, len(v1.Persona.Avatar))
	}
	p := v1.Persona
	p.Scenario = "Winter."
	if _, err := r.Save(p, "ana"); err != nil {
		t.Fatal(err)
	}

	cp, err := r.SaveAsNew(v1.PersonaID, 1, "", "ben")
	if err != nil {
		t.Fatal(err)
	}
	if cp.PersonaID == v1.PersonaID || cp.N != 1 || cp.Persona.Name != "Mira Saltwhistle (copy)" {
		t.Errorf("copy = %s v%d %q", cp.PersonaID, cp.N, cp.Persona.Name)
	}
	if cp.Persona.Scenario == "Winter." || cp.Note != fmt.Sprintf("copied from %s version 1", v1.PersonaID) {
		t.Errorf("copy is not of version 1: %q, %q", cp.Persona.Scenario, cp.Note)
	}
	img, err := r.Avatar(cp.PersonaID, cp.Persona.AvatarID)
	if err != nil || !bytes.Equal(img, card.Persona.Avatar) {
		t.Fatalf("copied avatar: %v", err)
	}

	// The stored persona exports the card it was imported from, avatar included.
	stored, _ := r.Get(v1.PersonaID)
	sp := stored.Persona
	if sp.Avatar, err = r.Avatar(sp.ID, sp.AvatarID); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := ExportCard(sp, CardV2, true, &out); err != nil {
		t.Fatal(err)
	}
	back, err := ImportCard("out.png", &out)
	if err != nil || back.Persona.Scenario != "Winter." || !bytes.Equal(back.Persona.Avatar, card.Persona.Avatar) {
		t.Errorf("export of stored persona: %v", err)
	}

	if err := r.Delete(v1.PersonaID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Get(v1.PersonaID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if _, err := r.Version(v1.PersonaID, 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("versions survive delete: %v", err)
	}
	if _, err := r.Avatar(v1.PersonaID, v1.Persona.AvatarID); !errors.Is(err, ErrNotFound) {
		t.Errorf("avatar survives delete: %v", err)
	}
	if _, err := r.Avatar(cp.PersonaID, cp.Persona.AvatarID); err != nil {
		t.Errorf("copy lost its avatar: %v", err)
	}
	if err := r.Delete(v1.PersonaID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete = %v", err)
	}
}

func TestList(t *testing.T) {
	r := openRepo(t)
	for i := range 25 {
		p := Persona{Name: fmt.Sprintf("Guard %02d", i), Role: "gate guard"}
		if i%5 == 0 {
			p.Role, p.Tags = "captain", []string{"Officer"}
		}
		mustCreate(t, r, p)
	}
	mustCreate(t, r, Persona{Name: "alma", Nickname: "The Seer"})
	tests := []struct {
		name      string
		opt       ListOptions
		total     int
		names     []string
		wantLimit int
	}{
		{"first page", ListOptions{Limit: 3}, 26, []string{"alma", "Guard 00", "Guard 01"}, 3},
		{"second page", ListOptions{Offset: 3, Limit: 3}, 26, []string{"Guard 02", "Guard 03", "Guard 04"}, 3},
		{"past the end", ListOptions{Offset: 30}, 26, []string{}, DefaultPageSize},
		{"by tag, any case", ListOptions{Query: "officer"}, 5, []string{"Guard 00", "Guard 05", "Guard 10", "Guard 15", "Guard 20"}, DefaultPageSize},
		{"by nickname", ListOptions{Query: "seer"}, 1, []string{"alma"}, DefaultPageSize},
		{"by role, paged", ListOptions{Query: "Gate", Offset: 18, Limit: 100}, 20, []string{"Guard 23", "Guard 24"}, 100},
		{"limit capped", ListOptions{Limit: 100000, Query: "zzz"}, 0, []string{}, MaxPageSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := r.List(tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			names := []string{}
			for _, it := range page.Items {
				names = append(names, it.Name)
			}
			if page.Total != tt.total || page.Limit != tt.wantLimit {
				t.Errorf("total %d limit %d, want %d %d", page.Total, page.Limit, tt.total, tt.wantLimit)
			}
			if diff := cmp.Diff(tt.names, names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	r := openRepo(t)
	list, err := r.ListTemplates()
	if err != nil || len(list) != 3 || !list[0].Builtin {
		t.Fatalf("starters listed: %v %v", list, err)
	}
	if _, err := r.CreateTemplate(Template{Name: "Broken", System: "{{.Nope}}"}, "ana"); err == nil {
		t.Error("a template with a missing field was saved")
	}
	v1, err := r.CreateTemplate(Template{Name: "Terse", System: "You are {{char}}. Be brief."}, "ana")
	if err != nil {
		t.Fatal(err)
	}
	id := v1.TemplateID
	tpl := v1.Template
	tpl.System = "You are {{char}}. Be very brief."
	v2, err := r.SaveTemplate(tpl, "ben")
	if err != nil || v2.N != 2 {
		t.Fatalf("save: %v, n=%d", err, v2.N)
	}
	if same, _ := r.SaveTemplate(tpl, "ben"); same.N != 2 {
		t.Errorf("unchanged save made version %d", same.N)
	}
	hist, err := r.TemplateHistory(id)
	if err != nil || len(hist) != 2 || hist[0].N != 2 {
		t.Errorf("history = %+v, %v", hist, err)
	}
	v3, err := r.RestoreTemplate(id, 1, "cleo")
	if err != nil || v3.N != 3 || v3.Template.System != v1.Template.System {
		t.Errorf("restore = %+v, %v", v3, err)
	}
	if at, err := r.TemplateAt(id, 2); err != nil || at.Template.System != tpl.System {
		t.Errorf("TemplateAt(2) = %+v, %v", at, err)
	}

	p := mustCreate(t, r, Persona{Name: "Mira", TemplateID: id})
	got, err := r.ResolveTemplate(p.Persona)
	if err != nil || got.System != v1.Template.System {
		t.Errorf("resolve shared = %+v, %v", got, err)
	}
	if err := r.DeleteTemplate(id); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "Mira") {
		t.Errorf("delete of a used template = %v", err)
	}
	own := p.Persona
	own.TemplateID = ""
	own.Template = &Template{System: "Own: {{char}}"}
	if _, err := r.Save(own, "ana"); err != nil {
		t.Fatal(err)
	}
	got, err = r.ResolveTemplate(own)
	if err != nil || got.System != "Own: {{char}}" || got.ID != "own" {
		t.Errorf("resolve own = %+v, %v", got, err)
	}
	if err := r.DeleteTemplate(id); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Template(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("template after delete: %v", err)
	}

	def, err := r.ResolveTemplate(Persona{Name: "X"})
	if err != nil || def.ID != TemplateDefault {
		t.Errorf("default = %v, %v", def.ID, err)
	}
	if _, err := r.SaveTemplate(def, "ana"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("saving a starter = %v", err)
	}
	if err := r.DeleteTemplate(TemplateAdaRAG); !errors.Is(err, ErrReadOnly) {
		t.Errorf("deleting a starter = %v", err)
	}
}

// An imported card stored and read back still exports the original card.
func TestStoredCardRoundTrip(t *testing.T) {
	r := openRepo(t)
	v := mustCreate(t, r, importFile(t, "cards/mira_v2.json").Persona)
	got, err := r.Get(v.PersonaID)
	if err != nil {
		t.Fatal(err)
	}
	out := export(t, got.Persona, CardV2, false)
	if diff := cmp.Diff(jsonValue(t, readFile(t, "cards/mira_v2.json")), jsonValue(t, out)); diff != "" {
		t.Errorf("(-original +exported):\n%s", diff)
	}
}
