package app

import (
	"encoding/json"
	"errors"
	"io"
	"maps"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
)

// LoreBookRequest names a World Info file to import.
type LoreBookRequest struct {
	Path string `json:"path"`
}

// LoreBookRef names a lorebook of the library by id, file name or name.
type LoreBookRef struct {
	Book string `json:"book"`
}

// LoreBookExportRequest writes a lorebook to Path.
type LoreBookExportRequest struct {
	Book string `json:"book"`
	Path string `json:"path"`
}

// LoreBookAttachRequest gives a persona a lorebook of the library as its character book.
type LoreBookAttachRequest struct {
	Book    string `json:"book"`
	Persona string `json:"persona"`
}

// ImportBook imports a World Info file (SillyTavern's world file or a lorebook_v3) into
// the lore library as a lorebook; a book of the same file name is replaced.
func (s *LoreService) ImportBook(req LoreBookRequest) (out lore.Book, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return out, err
	}
	if req.Path == "" {
		return out, fault.Invalid("path", "give the World Info file to import")
	}
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	out, err = lib.AddBook(req.Path)
	if err == nil {
		s.a.log.Info("lorebook imported", "id", out.ID, "format", out.Format, "entries", out.Entries)
	}
	return out, err
}

// Books lists the lorebooks of the library.
func (s *LoreService) Books() (out []lore.Book, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return nil, err
	}
	return lib.Books()
}

// ExportBook writes a lorebook to Path exactly as it was imported: every field, known or
// not. The file is replaced only once it is whole.
func (s *LoreService) ExportBook(req LoreBookExportRequest) (out lore.Book, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return out, err
	}
	if req.Path == "" {
		return out, fault.Invalid("path", "give the file to write")
	}
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	book, data, err := lib.BookFile(req.Book)
	if err != nil {
		return out, bookErr(err)
	}
	if err := atomicfile.Write(req.Path, 0o644, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return out, fileError(req.Path, err)
	}
	return book, nil
}

// RemoveBook deletes a lorebook from the library; personas it was attached to keep their copy.
func (s *LoreService) RemoveBook(req LoreBookRef) (err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return err
	}
	return bookErr(lib.RemoveBook(req.Book))
}

// AttachBook saves a new version of a persona with the lorebook as its character book
// (replacing the one it had), in the Character Card form SillyTavern gives world files.
func (s *LoreService) AttachBook(req LoreBookAttachRequest) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	_, lb, err := lib.Book(req.Book)
	if err != nil {
		return out, bookErr(err)
	}
	r, err := s.a.Personas.repo()
	if err != nil {
		return out, err
	}
	cur, err := r.Get(req.Persona)
	if err != nil {
		return out, err
	}
	p := cur.Persona
	p.Lorebook = characterBook(lb)
	return r.Save(p, s.a.author())
}

func bookErr(err error) error {
	if errors.Is(err, lore.ErrBookNotFound) {
		return fault.Invalid("book", "%s: see npcstudio lore book list", err)
	}
	return err
}

// characterBook is a lorebook as a card's character_book; the SillyTavern entry settings
// cards have no field for go in the entry's extensions under SillyTavern's names, where
// lorebookOf reads them back.
func characterBook(lb lore.Lorebook) *persona.Lorebook {
	out := &persona.Lorebook{Name: lb.Name, Description: lb.Description, ScanDepth: lb.ScanDepth, TokenBudget: lb.TokenBudget,
		RecursiveScanning: lb.RecursiveScanning, Entries: []persona.LoreEntry{}}
	for _, e := range lb.Entries {
		pe := persona.LoreEntry{Keys: e.Keys, SecondaryKeys: e.SecondaryKeys, Content: e.Content, Enabled: e.Enabled,
			InsertionOrder: e.InsertionOrder, CaseSensitive: e.CaseSensitive, Constant: e.Constant, Name: e.Name,
			Priority: e.Priority, ID: e.ID, Comment: e.Comment, Selective: e.Selective, Position: e.Position, UseRegex: e.UseRegex}
		ext := maps.Clone(e.Extensions)
		if ext == nil {
			ext = map[string]json.RawMessage{}
		}
		put := func(key string, v any) {
			if raw, err := json.Marshal(v); err == nil {
				ext[key] = raw
			}
		}
		if _, ok := ext["selectiveLogic"]; !ok && e.SelectiveLogic != lore.AndAny {
			put("selectiveLogic", int(e.SelectiveLogic))
		}
		if _, ok := ext["match_whole_words"]; !ok && e.MatchWholeWords != nil {
			put("match_whole_words", *e.MatchWholeWords)
		}
		if _, ok := ext["exclude_recursion"]; !ok && e.ExcludeRecursion {
			put("exclude_recursion", true)
		}
		if _, ok := ext["prevent_recursion"]; !ok && e.PreventRecursion {
			put("prevent_recursion", true)
		}
		if len(ext) > 0 {
			pe.Extensions = ext
		}
		out.Entries = append(out.Entries, pe)
	}
	return out
}
