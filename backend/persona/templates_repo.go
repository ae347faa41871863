package persona

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/store"
)

// TemplateSummary is a template as lists show it.
type TemplateSummary struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Builtin     bool   `json:"builtin,omitempty"`
	Version     int    `json:"version"`
	CreatedAt   string `json:"createdAt,omitempty"`
	UpdatedAt   string `json:"updatedAt,omitempty"`
	UpdatedBy   string `json:"updatedBy,omitempty"`
}

type templateHead struct {
	V int `json:"v"`
	TemplateSummary
}

// TemplateVersion is one saved version of a shared template.
type TemplateVersion struct {
	V          int      `json:"v"`
	TemplateID string   `json:"templateId"`
	N          int      `json:"n"`
	Author     string   `json:"author"`
	SavedAt    string   `json:"savedAt"`
	Note       string   `json:"note,omitempty"`
	Template   Template `json:"template"`
}

// builtinAuthor is the author of the starting templates.
const builtinAuthor = "NPC Studio"

// CreateTemplate stores t as a new shared template (version 1) with a new id.
func (r *Repository) CreateTemplate(t Template, author string) (TemplateVersion, error) {
	t.Builtin = false
	if err := ValidateTemplate(t); err != nil {
		return TemplateVersion{}, err
	}
	var out TemplateVersion
	err := r.st.Update(func(tx *bolt.Tx) error {
		id, err := newID(tx, BucketTemplates, t.Name, "template")
		if err != nil {
			return err
		}
		t.ID = id
		now := r.timestamp()
		out = TemplateVersion{V: recordVersion, TemplateID: id, N: 1, Author: author, SavedAt: now, Template: t}
		if err := store.PutJSON(tx, BucketTemplateVersions, versionKey(id, 1), out); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketTemplates, id, templateHead{V: recordVersion, TemplateSummary: templateSummary(t, 1, now, now, author)})
	})
	if err != nil {
		return TemplateVersion{}, fmt.Errorf("create template %q: %w", t.Name, err)
	}
	return out, nil
}

func templateSummary(t Template, n int, created, updated, by string) TemplateSummary {
	return TemplateSummary{ID: t.ID, Name: t.Name, Description: t.Description, Builtin: t.Builtin,
		Version: n, CreatedAt: created, UpdatedAt: updated, UpdatedBy: by}
}

// Template returns the current version of a shared or built-in template.
func (r *Repository) Template(id string) (TemplateVersion, error) {
	if t, ok := Starter(id); ok {
		return TemplateVersion{V: recordVersion, TemplateID: id, N: 1, Author: builtinAuthor, Template: t}, nil
	}
	var out TemplateVersion
	err := r.st.View(func(tx *bolt.Tx) error {
		var h templateHead
		if err := store.GetJSON(tx, BucketTemplates, id, &h); err != nil {
			return err
		}
		return store.GetJSON(tx, BucketTemplateVersions, versionKey(id, h.Version), &out)
	})
	if err != nil {
		return TemplateVersion{}, fmt.Errorf("get template %q: %w", id, err)
	}
	return out, nil
}

// ListTemplates lists the built-in templates, then the shared ones by name.
func (r *Repository) ListTemplates() ([]TemplateSummary, error) {
	var out []TemplateSummary
	for _, t := range Starters() {
		out = append(out, templateSummary(t, 1, "", "", builtinAuthor))
	}
	var shared []TemplateSummary
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketTemplates, "", func(_ string, h templateHead) error {
			shared = append(shared, h.TemplateSummary)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	slices.SortFunc(shared, func(a, b TemplateSummary) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return append(out, shared...), nil
}

// SaveTemplate appends t as the template's next version. Built-in templates are read-only
// (ErrReadOnly); saving a template equal to the current version changes nothing.
func (r *Repository) SaveTemplate(t Template, author string) (TemplateVersion, error) {
	return r.saveTemplate(t, author, "")
}

func (r *Repository) saveTemplate(t Template, author, note string) (TemplateVersion, error) {
	if _, ok := Starter(t.ID); ok {
		return TemplateVersion{}, fmt.Errorf("save template %q: %w", t.ID, ErrReadOnly)
	}
	t.Builtin = false
	if err := ValidateTemplate(t); err != nil {
		return TemplateVersion{}, err
	}
	var out TemplateVersion
	err := r.st.Update(func(tx *bolt.Tx) error {
		var h templateHead
		if err := store.GetJSON(tx, BucketTemplates, t.ID, &h); err != nil {
			return err
		}
		var cur TemplateVersion
		if err := store.GetJSON(tx, BucketTemplateVersions, versionKey(t.ID, h.Version), &cur); err != nil {
			return err
		}
		if ja, jb := mustJSON(cur.Template), mustJSON(t); ja == jb {
			out = cur
			return nil
		}
		n, now := h.Version+1, r.timestamp()
		out = TemplateVersion{V: recordVersion, TemplateID: t.ID, N: n, Author: author, SavedAt: now, Note: note, Template: t}
		if err := store.PutJSON(tx, BucketTemplateVersions, versionKey(t.ID, n), out); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketTemplates, t.ID, templateHead{V: recordVersion, TemplateSummary: templateSummary(t, n, h.CreatedAt, now, author)})
	})
	if err != nil {
		return TemplateVersion{}, fmt.Errorf("save template %q: %w", t.ID, err)
	}
	return out, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("unencodable: %v", err)
	}
	return string(b)
}

// TemplateHistory lists a shared template's versions, newest first.
func (r *Repository) TemplateHistory(id string) ([]VersionInfo, error) {
	var out []VersionInfo
	err := r.st.View(func(tx *bolt.Tx) error {
		var h templateHead
		if err := store.GetJSON(tx, BucketTemplates, id, &h); err != nil {
			return err
		}
		return store.ForEachJSON(tx, BucketTemplateVersions, id+"/", func(_ string, v TemplateVersion) error {
			out = append(out, VersionInfo{N: v.N, Author: v.Author, SavedAt: v.SavedAt, Note: v.Note, Name: v.Template.Name})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("history of template %q: %w", id, err)
	}
	slices.Reverse(out)
	return out, nil
}

// TemplateAt returns version n of a shared template.
func (r *Repository) TemplateAt(id string, n int) (TemplateVersion, error) {
	var out TemplateVersion
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.GetJSON(tx, BucketTemplateVersions, versionKey(id, n), &out)
	})
	if err != nil {
		return TemplateVersion{}, fmt.Errorf("template %q version %d: %w", id, n, err)
	}
	return out, nil
}

// RestoreTemplate makes a new current version equal to version n (nothing changes when the
// current version already is).
func (r *Repository) RestoreTemplate(id string, n int, author string) (TemplateVersion, error) {
	v, err := r.TemplateAt(id, n)
	if err != nil {
		return TemplateVersion{}, err
	}
	return r.saveTemplate(v.Template, author, fmt.Sprintf("restored from version %d", n))
}

// DeleteTemplate removes a shared template and its versions. A template that a persona's
// current version uses is not deleted (ErrInUse).
func (r *Repository) DeleteTemplate(id string) error {
	if _, ok := Starter(id); ok {
		return fmt.Errorf("delete template %q: %w", id, ErrReadOnly)
	}
	err := r.st.Update(func(tx *bolt.Tx) error {
		var users []string
		err := store.ForEachJSON(tx, BucketPersonas, "", func(_ string, h personaHead) error {
			if h.TemplateID == id {
				users = append(users, h.Name)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return fmt.Errorf("%w by %s", ErrInUse, strings.Join(users, ", "))
		}
		if err := store.Delete(tx, BucketTemplates, id); err != nil {
			return err
		}
		return deletePrefix(tx, BucketTemplateVersions, id+"/")
	})
	if err != nil {
		return fmt.Errorf("delete template %q: %w", id, err)
	}
	return nil
}

// ResolveTemplate returns the template p renders with: its own template, else the shared or
// built-in template it names, else the default one.
func (r *Repository) ResolveTemplate(p Persona) (Template, error) {
	if p.Template != nil {
		t := *p.Template
		t.ID = cmpOr(t.ID, "own")
		t.Name = cmpOr(t.Name, p.Name+" template")
		return t, nil
	}
	v, err := r.Template(cmpOr(p.TemplateID, TemplateDefault))
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Template{}, fmt.Errorf("persona %q uses template %q: %w", p.Name, p.TemplateID, err)
		}
		return Template{}, err
	}
	return v.Template, nil
}
