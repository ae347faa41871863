package lore

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/store"
)

// World Info files are lorebooks made outside a character card: SillyTavern's standalone
// world files ({"entries": {"0": {"uid", "key", "keysecondary", ...}}}, sometimes with a
// name, description and scan settings at the top) and Character Card V3's standalone
// lorebook ({"spec": "lorebook_v3", "data": {...}}). The library keeps each one as it was
// imported, byte for byte, so that every field, known or not, exports unchanged; its
// entries are read into a Lorebook for activation and for attaching to personas.

// BucketBooks holds the lorebooks of the library: key book id, value a bookDoc.
const BucketBooks = "lore_books"

// Book formats.
const (
	BookSTWorld    = "st-world"
	BookLorebookV3 = "lorebook_v3"
)

// MaxBookSize bounds a World Info file.
const MaxBookSize = 20 << 20

// Book is a lorebook in the library.
type Book struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// File is the imported file's name, unique among the library's books.
	File   string `json:"file"`
	Source string `json:"source"`
	// Format is st-world or lorebook_v3.
	Format  string `json:"format"`
	Entries int    `json:"entries"`
	AddedAt string `json:"addedAt"`
}

type bookDoc struct {
	V    int  `json:"v"`
	Book Book `json:"book"`
	// Raw is the file as imported, byte for byte (a RawMessage would be compacted).
	Raw []byte `json:"raw"`
}

// WorldFileError is a file that is not a World Info file, or a malformed one.
type WorldFileError struct {
	File   string
	Field  string
	Reason string
}

func (e *WorldFileError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Reason)
	}
	return e.File + ": " + e.Reason
}

// WorldFileKind tells whether data is a World Info file: st-world, lorebook_v3 or "".
// A character card (spec chara_card_*, or a data object) is not one.
func WorldFileKind(data []byte) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &top) != nil || top == nil {
		return ""
	}
	var spec string
	if raw, ok := top["spec"]; ok {
		json.Unmarshal(raw, &spec)
		if spec == BookLorebookV3 {
			return BookLorebookV3
		}
		return ""
	}
	if raw, ok := top["entries"]; ok && jsonObject(raw) {
		return BookSTWorld
	}
	return ""
}

func jsonObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// ParseWorldFile reads a World Info file into a Lorebook. name is the file name used in errors.
func ParseWorldFile(name string, data []byte) (Lorebook, string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	kind := WorldFileKind(data)
	fail := func(field, reason string) error { return &WorldFileError{File: name, Field: field, Reason: reason} }
	switch kind {
	case BookSTWorld:
		var w struct {
			Name              string                     `json:"name"`
			Description       string                     `json:"description"`
			ScanDepth         *int                       `json:"scanDepth"`
			TokenBudget       *int                       `json:"tokenBudget"`
			RecursiveScanning bool                       `json:"recursiveScanning"`
			Entries           map[string]json.RawMessage `json:"entries"`
		}
		if err := json.Unmarshal(data, &w); err != nil {
			return Lorebook{}, "", fail("", "not a SillyTavern world file: "+err.Error())
		}
		book := Lorebook{Name: w.Name, Description: w.Description, RecursiveScanning: w.RecursiveScanning, Entries: []LorebookEntry{}}
		if w.ScanDepth != nil {
			book.ScanDepth = *w.ScanDepth
		}
		if w.TokenBudget != nil {
			book.TokenBudget = *w.TokenBudget
		}
		keys := make([]string, 0, len(w.Entries))
		for k := range w.Entries {
			keys = append(keys, k)
		}
		// SillyTavern numbers entries "0", "1", ...: keep that order.
		sort.Slice(keys, func(i, j int) bool {
			a, ea := strconv.Atoi(keys[i])
			b, eb := strconv.Atoi(keys[j])
			if ea == nil && eb == nil {
				return a < b
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			e, err := stEntry(w.Entries[k])
			if err != nil {
				return Lorebook{}, "", fail("entries."+k, err.Error())
			}
			book.Entries = append(book.Entries, e)
		}
		return book, kind, nil
	case BookLorebookV3:
		var w struct {
			Data *struct {
				Name              string            `json:"name"`
				Description       string            `json:"description"`
				ScanDepth         int               `json:"scan_depth"`
				TokenBudget       int               `json:"token_budget"`
				RecursiveScanning bool              `json:"recursive_scanning"`
				Entries           []json.RawMessage `json:"entries"`
			} `json:"data"`
		}
		if err := json.Unmarshal(data, &w); err != nil {
			return Lorebook{}, "", fail("", "not a lorebook_v3 file: "+err.Error())
		}
		if w.Data == nil {
			return Lorebook{}, "", fail("data", "missing: a lorebook_v3 file keeps its book in data")
		}
		book := Lorebook{Name: w.Data.Name, Description: w.Data.Description, ScanDepth: w.Data.ScanDepth,
			TokenBudget: w.Data.TokenBudget, RecursiveScanning: w.Data.RecursiveScanning, Entries: []LorebookEntry{}}
		for i, raw := range w.Data.Entries {
			// Card tools write ids as numbers or strings; only a number is kept as the id.
			var e struct {
				LorebookEntry
				ID json.RawMessage `json:"id"`
			}
			if err := json.Unmarshal(raw, &e); err != nil {
				return Lorebook{}, "", fail(fmt.Sprintf("data.entries[%d]", i), err.Error())
			}
			json.Unmarshal(e.ID, &e.LorebookEntry.ID)
			e.LorebookEntry.Keys = nonNilStrings(e.LorebookEntry.Keys)
			book.Entries = append(book.Entries, e.LorebookEntry)
		}
		return book, kind, nil
	}
	return Lorebook{}, "", fail("", `not a World Info file: expected SillyTavern's {"entries": {...}} or {"spec": "lorebook_v3", "data": {...}}`)
}

// stEntry reads one entry of a SillyTavern world file.
func stEntry(raw json.RawMessage) (LorebookEntry, error) {
	var s struct {
		UID              json.RawMessage `json:"uid"`
		Key              []string        `json:"key"`
		KeySecondary     []string        `json:"keysecondary"`
		Comment          string          `json:"comment"`
		Content          string          `json:"content"`
		Constant         bool            `json:"constant"`
		Selective        bool            `json:"selective"`
		SelectiveLogic   int             `json:"selectiveLogic"`
		Order            int             `json:"order"`
		Position         int             `json:"position"`
		Disable          bool            `json:"disable"`
		CaseSensitive    *bool           `json:"caseSensitive"`
		MatchWholeWords  *bool           `json:"matchWholeWords"`
		ExcludeRecursion bool            `json:"excludeRecursion"`
		PreventRecursion bool            `json:"preventRecursion"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return LorebookEntry{}, err
	}
	e := LorebookEntry{
		Keys: nonNilStrings(s.Key), SecondaryKeys: s.KeySecondary, Content: s.Content, Enabled: !s.Disable,
		InsertionOrder: s.Order, CaseSensitive: s.CaseSensitive, Constant: s.Constant, Comment: s.Comment,
		Selective: s.Selective, SelectiveLogic: SelectiveLogic(s.SelectiveLogic), MatchWholeWords: s.MatchWholeWords,
		ExcludeRecursion: s.ExcludeRecursion, PreventRecursion: s.PreventRecursion, Position: stPosition(s.Position),
	}
	var uid string
	if json.Unmarshal(s.UID, &uid) != nil {
		uid = string(s.UID)
	}
	e.ID, _ = strconv.Atoi(uid)
	// Everything else goes into the entry's extensions, as SillyTavern names it in a card,
	// so that a persona given this book keeps every setting.
	var all map[string]json.RawMessage
	json.Unmarshal(raw, &all)
	for k, v := range all {
		switch k {
		case "uid", "key", "keysecondary", "comment", "content", "constant", "selective", "order", "disable":
			continue
		}
		if e.Extensions == nil {
			e.Extensions = map[string]json.RawMessage{}
		}
		e.Extensions[cmp.Or(stCardNames[k], k)] = v
	}
	return e, nil
}

// stCardNames are the world file entry keys SillyTavern renames when it puts an entry in a
// card's character_book extensions (the others keep their name).
var stCardNames = map[string]string{
	"excludeRecursion": "exclude_recursion", "preventRecursion": "prevent_recursion", "delayUntilRecursion": "delay_until_recursion",
	"displayIndex": "display_index", "groupOverride": "group_override", "groupWeight": "group_weight", "scanDepth": "scan_depth",
	"matchWholeWords": "match_whole_words", "useGroupScoring": "use_group_scoring", "caseSensitive": "case_sensitive",
	"automationId": "automation_id",
}

// stPosition is SillyTavern's world info position as a character card names it; the
// positions cards have no name for (author's note, at depth...) are "".
func stPosition(p int) string {
	switch p {
	case 0:
		return "before_char"
	case 1:
		return "after_char"
	}
	return ""
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// AddBook imports a World Info file into the library, or replaces the book of the same
// file name.
func (l *Library) AddBook(path string) (Book, error) {
	l.write.Lock()
	defer l.write.Unlock()
	return l.addBook(path)
}

func (l *Library) addBook(path string) (Book, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return Book{}, &FileError{Path: path, Reason: "cannot read it", Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxBookSize+1))
	if err != nil {
		return Book{}, &FileError{Path: path, Reason: "cannot read it", Err: err}
	}
	if len(data) > MaxBookSize {
		return Book{}, &FileError{Path: path, Reason: fmt.Sprintf("over the %d MB limit for a World Info file", MaxBookSize>>20)}
	}
	lb, kind, err := ParseWorldFile(name, data)
	if err != nil {
		return Book{}, &FileError{Path: path, Reason: err.(*WorldFileError).Reason + fieldSuffix(err.(*WorldFileError).Field)}
	}
	book := Book{Name: lb.Name, File: name, Source: path, Format: kind, Entries: len(lb.Entries), AddedAt: time.Now().UTC().Format(time.RFC3339)}
	if book.Name == "" {
		book.Name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	err = l.st.Update(func(tx *bolt.Tx) error {
		id := ""
		store.ForEachJSON(tx, BucketBooks, "", func(key string, d bookDoc) error {
			if d.Book.File == name {
				id = d.Book.ID
			}
			return nil
		})
		if id == "" {
			for {
				id = newDocID(name)
				var d bookDoc
				if err := store.GetJSON(tx, BucketBooks, id, &d); errors.Is(err, store.ErrNotFound) {
					break
				}
			}
		}
		book.ID = id
		return store.PutJSON(tx, BucketBooks, id, bookDoc{V: 1, Book: book, Raw: data})
	})
	if err != nil {
		return Book{}, &storeError{fmt.Errorf("save lorebook %s: %w", name, err)}
	}
	return book, nil
}

func fieldSuffix(field string) string {
	if field == "" {
		return ""
	}
	return " (at " + field + ")"
}

// Books lists the library's lorebooks by file name.
func (l *Library) Books() ([]Book, error) {
	out := []Book{}
	err := l.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketBooks, "", func(_ string, d bookDoc) error {
			out = append(out, d.Book)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Book) int { return strings.Compare(a.File, b.File) })
	return out, err
}

// ErrBookNotFound is a lorebook reference that names no book.
var ErrBookNotFound = errors.New("lorebook not found")

func (l *Library) bookDoc(ref string) (bookDoc, error) {
	var found *bookDoc
	err := l.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketBooks, "", func(_ string, d bookDoc) error {
			if found == nil && (d.Book.ID == ref || d.Book.File == ref || d.Book.Name == ref) {
				found = &d
			}
			return nil
		})
	})
	if err != nil {
		return bookDoc{}, err
	}
	if found == nil {
		return bookDoc{}, fmt.Errorf("%w: %q", ErrBookNotFound, ref)
	}
	return *found, nil
}

// Book returns a lorebook (by id, file name or name) and its entries.
func (l *Library) Book(ref string) (Book, Lorebook, error) {
	d, err := l.bookDoc(ref)
	if err != nil {
		return Book{}, Lorebook{}, err
	}
	lb, _, err := ParseWorldFile(d.Book.File, d.Raw)
	return d.Book, lb, err
}

// BookFile returns a lorebook's file exactly as it was imported.
func (l *Library) BookFile(ref string) (Book, []byte, error) {
	d, err := l.bookDoc(ref)
	return d.Book, d.Raw, err
}

// RemoveBook deletes a lorebook from the library.
func (l *Library) RemoveBook(ref string) error {
	l.write.Lock()
	defer l.write.Unlock()
	d, err := l.bookDoc(ref)
	if err != nil {
		return err
	}
	return l.st.Update(func(tx *bolt.Tx) error { return store.Delete(tx, BucketBooks, d.Book.ID) })
}

// worldFiles takes the World Info files out of the files an import skipped (they have no
// lore extension): a folder import adds them as lorebooks instead of passing them over. A
// .json file named on its own (in paths) that is not one is a problem, not a skipped file.
func worldFiles(paths, skipped []string) (books, rest []string, problems []FileProblem) {
	named := map[string]bool{}
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			named[abs] = true
		}
	}
	for _, p := range skipped {
		if !strings.EqualFold(filepath.Ext(p), ".json") || strings.HasPrefix(filepath.Base(p), ".") {
			rest = append(rest, p)
			continue
		}
		data, err := readHead(p, MaxBookSize)
		if err == nil && WorldFileKind(data) != "" {
			books = append(books, p)
			continue
		}
		if named[p] {
			problems = append(problems, problem(&FileError{Path: p, Reason: "not lore: a .json file is imported only when it is a World Info file " +
				`(SillyTavern's {"entries": {...}} or a lorebook_v3); lore takes .txt, .md, .pdf and .docx`}))
			continue
		}
		rest = append(rest, p)
	}
	return books, rest, problems
}

func readHead(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// addBooks imports the World Info files of an import into rep.Books (or rep.Failed).
func (l *Library) addBooks(paths []string, rep *AddReport) error {
	for _, p := range paths {
		b, err := l.addBook(p)
		if isFatal(err) {
			return err
		}
		if err != nil {
			rep.Failed = append(rep.Failed, problem(err))
			continue
		}
		rep.Books = append(rep.Books, b)
	}
	return nil
}
