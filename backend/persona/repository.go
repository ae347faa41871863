package persona

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/store"
)

// Buckets this package owns (see doc.go for their keys); pass them to store.Open.
const (
	BucketPersonas         = "personas"
	BucketPersonaVersions  = "persona_versions"
	BucketAvatars          = "persona_avatars"
	BucketTemplates        = "templates"
	BucketTemplateVersions = "template_versions"
)

// Buckets lists the buckets for store.Options.Buckets.
var Buckets = []string{BucketPersonas, BucketPersonaVersions, BucketAvatars, BucketTemplates, BucketTemplateVersions}

// recordVersion is the "v" of every value this package stores.
const recordVersion = 1

// PersonaSummary is a persona as lists show it.
type PersonaSummary struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Nickname   string   `json:"nickname,omitempty"`
	Role       string   `json:"role,omitempty"`
	Tags       []string `json:"tags,omitempty"`
	TemplateID string   `json:"templateId,omitempty"`
	AvatarID   string   `json:"avatarId,omitempty"`
	// Version is the current version number.
	Version   int    `json:"version"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
	UpdatedBy string `json:"updatedBy"`
}

// personaHead is the value in the personas bucket.
type personaHead struct {
	V int `json:"v"`
	PersonaSummary
}

// PersonaVersion is one saved version of a persona.
type PersonaVersion struct {
	V         int    `json:"v"`
	PersonaID string `json:"personaId"`
	N         int    `json:"n"`
	Author    string `json:"author"`
	SavedAt   string `json:"savedAt"`
	// Note says where a version came from when it was not an edit: "restored from version 3".
	Note    string  `json:"note,omitempty"`
	Persona Persona `json:"persona"`
}

// VersionInfo is a line of a history.
type VersionInfo struct {
	N       int    `json:"n"`
	Author  string `json:"author"`
	SavedAt string `json:"savedAt"`
	Note    string `json:"note,omitempty"`
	// Name is the persona's or template's name in that version.
	Name string `json:"name"`
}

// ListOptions selects a page of personas.
type ListOptions struct {
	// Query matches, ignoring case, part of the name, nickname, role, a tag or the id.
	Query  string `json:"query,omitempty"`
	Offset int    `json:"offset,omitempty"`
	// Limit defaults to DefaultPageSize and is at most MaxPageSize.
	Limit int `json:"limit,omitempty"`
}

// PersonaPage is one page of a list, sorted by name.
type PersonaPage struct {
	Items []PersonaSummary `json:"items"`
	// Total counts every persona matching the query.
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Page sizes for List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Repository keeps personas, their versions and avatars, and shared templates, in the
// workspace store.
type Repository struct {
	st  *store.Store
	now func() time.Time
}

// NewRepository uses st, which must have been opened with Buckets.
func NewRepository(st *store.Store) *Repository {
	return &Repository{st: st, now: time.Now}
}

func (r *Repository) timestamp() string { return r.now().UTC().Format(time.RFC3339) }

func versionKey(id string, n int) string { return fmt.Sprintf("%s/%08d", id, n) }

// Create stores p as a new persona (version 1) with a new id, and its avatar if it has one.
func (r *Repository) Create(p Persona, author string) (PersonaVersion, error) {
	return r.create(p, author, "")
}

func (r *Repository) create(p Persona, author, note string) (PersonaVersion, error) {
	if err := r.validate(&p); err != nil {
		return PersonaVersion{}, err
	}
	var out PersonaVersion
	err := r.st.Update(func(tx *bolt.Tx) error {
		id, err := newID(tx, BucketPersonas, p.Name, "persona")
		if err != nil {
			return err
		}
		p.ID = id
		if err := putAvatar(tx, &p); err != nil {
			return err
		}
		now := r.timestamp()
		out = PersonaVersion{V: recordVersion, PersonaID: id, N: 1, Author: author, SavedAt: now, Note: note, Persona: p}
		if err := store.PutJSON(tx, BucketPersonaVersions, versionKey(id, 1), out); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketPersonas, id, personaHead{V: recordVersion, PersonaSummary: summary(p, 1, now, now, author)})
	})
	if err != nil {
		return PersonaVersion{}, fmt.Errorf("create persona %q: %w", p.Name, err)
	}
	out.Persona.Avatar = nil
	return out, nil
}

func summary(p Persona, n int, created, updated, by string) PersonaSummary {
	return PersonaSummary{
		ID: p.ID, Name: p.Name, Nickname: p.Nickname, Role: p.Role, Tags: p.Tags,
		TemplateID: p.TemplateID, AvatarID: p.AvatarID,
		Version: n, CreatedAt: created, UpdatedAt: updated, UpdatedBy: by,
	}
}

// validate checks p, its own template (by rendering it) and the shared template it names.
func (r *Repository) validate(p *Persona) error {
	p.Name = strings.TrimSpace(p.Name)
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Template != nil {
		t := *p.Template
		t.Name = cmpOr(t.Name, p.Name+" template")
		if err := ValidateTemplate(t); err != nil {
			return err
		}
	}
	if p.TemplateID != "" {
		if _, ok := Starter(p.TemplateID); !ok {
			err := r.st.View(func(tx *bolt.Tx) error {
				var h templateHead
				return store.GetJSON(tx, BucketTemplates, p.TemplateID, &h)
			})
			if errors.Is(err, ErrNotFound) {
				return &ValidationError{Field: "templateId", Reason: fmt.Sprintf("no template %q", p.TemplateID)}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// putAvatar stores p.Avatar (a PNG) under the persona and sets p.AvatarID to its hash.
func putAvatar(tx *bolt.Tx, p *Persona) error {
	if len(p.Avatar) == 0 {
		return nil
	}
	if !bytes.HasPrefix(p.Avatar, pngSignature) {
		return &ValidationError{Field: "avatar", Reason: "must be a PNG image"}
	}
	if len(p.Avatar) > MaxCardSize {
		return &ValidationError{Field: "avatar", Reason: fmt.Sprintf("over %d MB", MaxCardSize>>20)}
	}
	sum := sha256.Sum256(p.Avatar)
	p.AvatarID = hex.EncodeToString(sum[:])
	b := tx.Bucket([]byte(BucketAvatars))
	if b == nil {
		return fmt.Errorf("bucket %s missing from workspace", BucketAvatars)
	}
	key := []byte(p.ID + "/" + p.AvatarID)
	if b.Get(key) != nil {
		return nil
	}
	return b.Put(key, p.Avatar)
}

// Avatar returns the PNG stored for a persona under avatarID (Persona.AvatarID).
func (r *Repository) Avatar(personaID, avatarID string) ([]byte, error) {
	var out []byte
	err := r.st.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(BucketAvatars))
		if b == nil {
			return fmt.Errorf("bucket %s missing from workspace", BucketAvatars)
		}
		v := b.Get([]byte(personaID + "/" + avatarID))
		if v == nil {
			return fmt.Errorf("avatar %s of persona %s: %w", avatarID, personaID, ErrNotFound)
		}
		out = bytes.Clone(v)
		return nil
	})
	return out, err
}

// Get returns the current version of the persona with this id or, failing that, this name
// (ignoring case). A name shared by several personas gives ErrAmbiguousName.
func (r *Repository) Get(ref string) (PersonaVersion, error) {
	ref = strings.TrimSpace(ref)
	var out PersonaVersion
	err := r.st.View(func(tx *bolt.Tx) error {
		h, err := findPersona(tx, ref)
		if err != nil {
			return err
		}
		return store.GetJSON(tx, BucketPersonaVersions, versionKey(h.ID, h.Version), &out)
	})
	if err != nil {
		return PersonaVersion{}, fmt.Errorf("get persona %q: %w", ref, err)
	}
	return out, nil
}

func findPersona(tx *bolt.Tx, ref string) (personaHead, error) {
	var h personaHead
	err := store.GetJSON(tx, BucketPersonas, ref, &h)
	if !errors.Is(err, ErrNotFound) {
		return h, err
	}
	var found []personaHead
	err = store.ForEachJSON(tx, BucketPersonas, "", func(_ string, v personaHead) error {
		if strings.EqualFold(v.Name, ref) {
			found = append(found, v)
		}
		return nil
	})
	switch {
	case err != nil:
		return h, err
	case len(found) == 0:
		return h, ErrNotFound
	case len(found) > 1:
		ids := make([]string, len(found))
		for i, f := range found {
			ids[i] = f.ID
		}
		return h, fmt.Errorf("%w (%s)", ErrAmbiguousName, strings.Join(ids, ", "))
	}
	return found[0], nil
}

// List returns a page of personas matching opt.Query, sorted by name.
func (r *Repository) List(opt ListOptions) (PersonaPage, error) {
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	offset := max(opt.Offset, 0)
	q := strings.ToLower(strings.TrimSpace(opt.Query))
	var all []PersonaSummary
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketPersonas, "", func(_ string, h personaHead) error {
			if q == "" || matches(h.PersonaSummary, q) {
				all = append(all, h.PersonaSummary)
			}
			return nil
		})
	})
	if err != nil {
		return PersonaPage{}, fmt.Errorf("list personas: %w", err)
	}
	slices.SortFunc(all, func(a, b PersonaSummary) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	page := PersonaPage{Items: []PersonaSummary{}, Total: len(all), Offset: offset, Limit: limit}
	if offset < len(all) {
		page.Items = all[offset:min(offset+limit, len(all))]
	}
	return page, nil
}

func matches(s PersonaSummary, q string) bool {
	for _, f := range append([]string{s.Name, s.Nickname, s.Role, s.ID}, s.Tags...) {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}

// Save appends p as the persona's next version and makes it current. Saving a persona equal
// to the current version changes nothing and returns the current version.
func (r *Repository) Save(p Persona, author string) (PersonaVersion, error) {
	return r.save(p, author, "")
}

func (r *Repository) save(p Persona, author, note string) (PersonaVersion, error) {
	if err := r.validate(&p); err != nil {
		return PersonaVersion{}, err
	}
	var out PersonaVersion
	err := r.st.Update(func(tx *bolt.Tx) error {
		var h personaHead
		if err := store.GetJSON(tx, BucketPersonas, p.ID, &h); err != nil {
			return err
		}
		if err := putAvatar(tx, &p); err != nil {
			return err
		}
		var cur PersonaVersion
		if err := store.GetJSON(tx, BucketPersonaVersions, versionKey(p.ID, h.Version), &cur); err != nil {
			return err
		}
		if samePersona(cur.Persona, p) {
			out = cur
			return nil
		}
		n, now := h.Version+1, r.timestamp()
		out = PersonaVersion{V: recordVersion, PersonaID: p.ID, N: n, Author: author, SavedAt: now, Note: note, Persona: p}
		if err := store.PutJSON(tx, BucketPersonaVersions, versionKey(p.ID, n), out); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketPersonas, p.ID, personaHead{V: recordVersion, PersonaSummary: summary(p, n, h.CreatedAt, now, author)})
	})
	if err != nil {
		return PersonaVersion{}, fmt.Errorf("save persona %q: %w", p.ID, err)
	}
	out.Persona.Avatar = nil
	return out, nil
}

func samePersona(a, b Persona) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// History lists a persona's versions, newest first.
func (r *Repository) History(id string) ([]VersionInfo, error) {
	var out []VersionInfo
	err := r.st.View(func(tx *bolt.Tx) error {
		var h personaHead
		if err := store.GetJSON(tx, BucketPersonas, id, &h); err != nil {
			return err
		}
		return store.ForEachJSON(tx, BucketPersonaVersions, id+"/", func(_ string, v PersonaVersion) error {
			out = append(out, VersionInfo{N: v.N, Author: v.Author, SavedAt: v.SavedAt, Note: v.Note, Name: v.Persona.Name})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("history of persona %q: %w", id, err)
	}
	slices.Reverse(out)
	return out, nil
}

// Version returns version n of a persona.
func (r *Repository) Version(id string, n int) (PersonaVersion, error) {
	var out PersonaVersion
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.GetJSON(tx, BucketPersonaVersions, versionKey(id, n), &out)
	})
	if err != nil {
		return PersonaVersion{}, fmt.Errorf("persona %q version %d: %w", id, n, err)
	}
	return out, nil
}

// Restore makes a new current version equal to version n (nothing changes when the current
// version already is).
func (r *Repository) Restore(id string, n int, author string) (PersonaVersion, error) {
	v, err := r.Version(id, n)
	if err != nil {
		return PersonaVersion{}, err
	}
	return r.save(v.Persona, author, fmt.Sprintf("restored from version %d", n))
}

// SaveAsNew copies version n of a persona (0 means the current one), avatar included, into a
// new persona called name ("<name> (copy)" when empty).
func (r *Repository) SaveAsNew(id string, n int, name, author string) (PersonaVersion, error) {
	var v PersonaVersion
	var err error
	if n == 0 {
		v, err = r.Get(id)
	} else {
		v, err = r.Version(id, n)
	}
	if err != nil {
		return PersonaVersion{}, err
	}
	p := v.Persona
	if p.AvatarID != "" {
		if p.Avatar, err = r.Avatar(id, p.AvatarID); err != nil {
			return PersonaVersion{}, err
		}
	}
	p.Name = cmpOr(strings.TrimSpace(name), p.Name+" (copy)")
	return r.create(p, author, fmt.Sprintf("copied from %s version %d", id, v.N))
}

// Delete removes a persona with all its versions and avatars.
func (r *Repository) Delete(id string) error {
	err := r.st.Update(func(tx *bolt.Tx) error {
		if err := store.Delete(tx, BucketPersonas, id); err != nil {
			return err
		}
		for _, b := range []string{BucketPersonaVersions, BucketAvatars} {
			if err := deletePrefix(tx, b, id+"/"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete persona %q: %w", id, err)
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
	for k, _ := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// newID makes a stable, readable id: the name as a slug and four random characters
// ("mira-the-smith-k3x9"), unique in bucket.
func newID(tx *bolt.Tx, bucket, name, fallback string) (string, error) {
	base := slug(name)
	if base == "" {
		base = fallback
	}
	b := tx.Bucket([]byte(bucket))
	if b == nil {
		return "", fmt.Errorf("bucket %s missing from workspace", bucket)
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	for range 100 {
		var rnd [4]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return "", err
		}
		for i := range rnd {
			rnd[i] = alphabet[int(rnd[i])%len(alphabet)]
		}
		id := base + "-" + string(rnd[:])
		if b.Get([]byte(id)) == nil {
			return id, nil
		}
	}
	return "", errors.New("no free id after 100 tries")
}

func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 32 {
			break
		}
	}
	return b.String()
}
