package batch

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/fault"
)

// Export formats.
const (
	FormatYarn  = "yarn"
	FormatCSV   = "csv" // Yarn Spinner's localisation strings table
	FormatVO    = "vo"  // the voice-over script
	FormatJSONL = "jsonl"
)

// Formats are every export format, in the order they are written.
var Formats = []string{FormatYarn, FormatCSV, FormatVO, FormatJSONL}

// StringsHeader is the header of Yarn Spinner's localisation strings CSV.
var StringsHeader = []string{"language", "id", "text", "file", "node", "lineNumber", "lock", "comment"}

// VOHeader is the header of the voice-over script.
var VOHeader = []string{"id", "character", "text", "direction", "scene"}

// ExportOptions say what to export and where.
type ExportOptions struct {
	Dir     string
	Formats []string
	// All exports every line that has text; otherwise, once any line has been reviewed,
	// only accepted lines.
	All bool
	// Name is the base of the file names; empty means the spec file's name.
	Name string
	// Language is the strings table's language; empty means "en".
	Language string
}

// ExportResult lists what was written.
type ExportResult struct {
	Files []string `json:"files"`
	Lines int      `json:"lines"`
	// Reviewed says whether only accepted lines were exported.
	Reviewed bool `json:"reviewed"`
}

// langTag is a BCP 47 language tag as the strings table's language column takes it.
var langTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// Selected returns the lines an export takes: every line with text, or, once any line
// has been reviewed (and all is false), only the accepted ones.
func Selected(lines []Line, all bool) ([]Line, bool) {
	reviewed := !all && slices.ContainsFunc(lines, func(l Line) bool { return l.Review != ReviewNone })
	var out []Line
	for _, l := range lines {
		if l.Status != LineDone || (reviewed && l.Review != ReviewAccepted) {
			continue
		}
		out = append(out, l)
	}
	return out, reviewed
}

// Lock is the strings table's lock of a line, as Yarn Spinner computes it: the first
// eight hexadecimal digits (lower case) of the SHA-256 of the line's text in UTF-8. A
// translation whose lock differs from the source's is out of date.
func Lock(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])[:8]
}

// yarnEscape escapes the characters Yarn Spinner reserves in a line's text.
func yarnEscape(s string, speaker bool) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\<>{}#/[]`, r) || (speaker && r == ':') {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// yarnLine is one line as a Yarn script has it, with where it landed.
type yarnLine struct {
	Line
	number int
}

// yarnScript renders the lines as a Yarn script (one node per scene, in spec order)
// and says on which line of the file each landed.
func yarnScript(spec Spec, lines []Line) (string, []yarnLine) {
	var b strings.Builder
	var placed []yarnLine
	n := 0
	put := func(s string) {
		b.WriteString(s)
		b.WriteByte('\n')
		n++
	}
	for _, sc := range spec.Scenes {
		var in []Line
		for _, l := range lines {
			if l.Scene == sc.ID {
				in = append(in, l)
			}
		}
		if len(in) == 0 {
			continue
		}
		put("title: " + sc.ID)
		put("---")
		for _, l := range in {
			put(fmt.Sprintf("%s: %s #line:%s", yarnEscape(l.Persona, true), yarnEscape(l.Text, false), l.ID))
			placed = append(placed, yarnLine{Line: l, number: n})
		}
		put("===")
	}
	return b.String(), placed
}

// Export writes the chosen lines of a run in the formats asked for. Files are written
// whole or not at all.
func Export(run Run, lines []Line, opt ExportOptions) (ExportResult, error) {
	formats := opt.Formats
	if len(formats) == 0 {
		formats = Formats
	}
	for _, f := range formats {
		if !slices.Contains(Formats, f) {
			return ExportResult{}, fault.Invalid("format", "%q is not an export format (%s)", f, strings.Join(Formats, ", "))
		}
	}
	if opt.Dir == "" {
		return ExportResult{}, fault.Invalid("out", "say which folder to export to")
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return ExportResult{}, fmt.Errorf("export batch run %s: %w", run.ID, err)
	}
	name := opt.Name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(run.SpecFile), filepath.Ext(run.SpecFile))
	}
	if name == "" || name == "." {
		name = run.ID
	}
	lang := opt.Language
	if lang == "" {
		lang = "en"
	}
	if !langTag.MatchString(lang) {
		return ExportResult{}, fault.Invalid("language", "%q is not a language tag (en, de, pt-BR)", lang)
	}
	sel, reviewed := Selected(lines, opt.All)
	res := ExportResult{Lines: len(sel), Reviewed: reviewed}
	yarnFile := name + ".yarn"
	script, placed := yarnScript(run.Spec, sel)
	write := func(file string, fn func(w io.Writer) error) error {
		path := filepath.Join(opt.Dir, file)
		if err := atomicfile.Write(path, 0o644, fn); err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		res.Files = append(res.Files, path)
		return nil
	}
	for _, f := range formats {
		var err error
		switch f {
		case FormatYarn:
			err = write(yarnFile, func(w io.Writer) error { _, err := io.WriteString(w, script); return err })
		case FormatCSV:
			err = write(name+"-strings.csv", func(w io.Writer) error { return writeStrings(w, lang, yarnFile, placed) })
		case FormatVO:
			err = write(name+"-vo.csv", func(w io.Writer) error { return writeVO(w, sel) })
		case FormatJSONL:
			err = write(name+".jsonl", func(w io.Writer) error { return writeJSONL(w, sel) })
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func writeStrings(w io.Writer, lang, file string, placed []yarnLine) error {
	c := csv.NewWriter(w)
	c.Write(StringsHeader)
	for _, l := range placed {
		text := l.Persona + ": " + l.Text
		c.Write([]string{lang, "line:" + l.ID, text, file, l.Scene, fmt.Sprint(l.number), Lock(text), l.Note})
	}
	c.Flush()
	return c.Error()
}

func writeVO(w io.Writer, lines []Line) error {
	c := csv.NewWriter(w)
	c.Write(VOHeader)
	for _, l := range lines {
		dir := l.Direction
		if l.Note != "" {
			dir = strings.TrimSpace(dir + " Note: " + l.Note)
		}
		c.Write([]string{l.ID, l.Persona, l.Text, dir, l.Scene})
	}
	c.Flush()
	return c.Error()
}

// JSONLine is one line of the JSONL export.
type JSONLine struct {
	ID        string `json:"id"`
	Scene     string `json:"scene"`
	Persona   string `json:"persona"`
	Beat      string `json:"beat"`
	Variant   int    `json:"variant"`
	Text      string `json:"text"`
	Direction string `json:"direction,omitempty"`
	Player    string `json:"player,omitempty"`
	Review    string `json:"review,omitempty"`
	Note      string `json:"note,omitempty"`
	Flags     []Flag `json:"flags,omitempty"`
	Edited    bool   `json:"edited,omitempty"`
	Provider  string `json:"provider,omitempty"`
	Model     string `json:"model,omitempty"`
	Mode      string `json:"mode,omitempty"`
}

func writeJSONL(w io.Writer, lines []Line) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, l := range lines {
		if err := enc.Encode(JSONLine{ID: l.ID, Scene: l.Scene, Persona: l.Persona, Beat: l.Beat, Variant: l.Variant, Text: l.Text,
			Direction: l.Direction, Player: l.Player, Review: l.Review, Note: l.Note, Flags: l.Flags, Edited: l.Edited,
			Provider: l.Provider, Model: l.Model, Mode: l.Mode}); err != nil {
			return err
		}
	}
	return bw.Flush()
}
