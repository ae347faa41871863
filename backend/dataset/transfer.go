package dataset

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/prose"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Import file kinds.
const (
	KindJSONL = "jsonl"
	KindCSV   = "csv"
)

// ImportRequest appends the records of a file to a dataset as one new version.
type ImportRequest struct {
	DatasetID   string `json:"datasetId"`
	BaseVersion int    `json:"baseVersion"`
	Path        string `json:"path"`
	// Kind is "jsonl" or "csv"; "" decides by extension (.csv is CSV, anything else JSON Lines).
	Kind string `json:"kind"`
	// Format of JSON Lines records; "" or auto reads each line in the format it has.
	Format Format `json:"format"`
	// Columns maps CSV header names to record fields; empty ones are guessed from the header.
	Columns CSVColumns `json:"columns"`
	// Tags are added to every imported record.
	Tags []string `json:"tags"`
	// OnProgress, if set, is called as the file is read, with the bytes read so far.
	OnProgress func(Progress) `json:"-"`
}

// CSVColumns names the CSV columns (by header) that hold each field. A CSV row is one exchange:
// a prompt and its completion, with an optional system prompt and tags separated by commas or
// semicolons. Records take the dataset's format.
type CSVColumns struct {
	System     string `json:"system"`
	Prompt     string `json:"prompt"`
	Completion string `json:"completion"`
	Tags       string `json:"tags"`
}

// ImportResult says what was imported. Errors are lines that were skipped; Warnings are lines
// imported with a note. Problems in imported records (an empty reply, turns out of order) are
// not listed here: validating the version reports them.
type ImportResult struct {
	Version      Version   `json:"version"`
	Imported     int       `json:"imported"`
	Skipped      int       `json:"skipped"`
	Errors       []Problem `json:"errors"`
	Warnings     []Problem `json:"warnings"`
	ErrorCount   int       `json:"errorCount"`
	WarningCount int       `json:"warningCount"`
	Truncated    bool      `json:"truncated"`
}

// Import reads a JSON Lines or CSV file into the dataset. The file is only read.
func (r *Repository) Import(ctx context.Context, req ImportRequest) (ImportResult, error) {
	ds, err := r.GetDataset(ctx, req.DatasetID)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	f, err := os.Open(req.Path)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	var src io.Reader = f
	if req.OnProgress != nil {
		src = &progressReader{r: f, fn: req.OnProgress}
	}
	kind := req.Kind
	if kind == "" {
		kind = KindJSONL
		if strings.EqualFold(filepath.Ext(req.Path), ".csv") {
			kind = KindCSV
		}
	}
	rep := newProblems(0)
	room := MaxDatasetRecords - ds.Records
	var docs []recordDoc
	name := filepath.Base(req.Path)
	switch kind {
	case KindJSONL:
		docs, err = readJSONL(ctx, src, req.Format, name, room, rep)
	case KindCSV:
		docs, err = readCSV(ctx, src, req.Columns, ds.Format, name, room, rep)
	default:
		err = &Problem{Field: "kind", Message: fmt.Sprintf("%q is neither jsonl nor csv", req.Kind)}
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", req.Path, err)
	}
	if len(docs) == 0 {
		// No version is made: a version with nothing new would look like a success.
		return ImportResult{}, &NothingImportedError{File: name, Skipped: rep.errorCount, Problems: rep.errors}
	}
	tags := normalizeTags(req.Tags)
	v, err := r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
		for _, d := range docs {
			d.Tags = normalizeTags(append(d.Tags, tags...))
			h, err := c.put(d)
			if err != nil {
				return "", err
			}
			c.entries = append(c.entries, entry{ID: c.newID(), Hash: h})
		}
		return fmt.Sprintf("import %s from %s", prose.Count(len(docs), "record"), name), nil
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", req.Path, err)
	}
	return ImportResult{
		Version: v, Imported: len(docs), Skipped: rep.errorCount,
		Errors: rep.errors, Warnings: rep.warnings, ErrorCount: rep.errorCount, WarningCount: rep.warningCount,
		Truncated: rep.truncated(),
	}, nil
}

// ErrNothingImported is what a NothingImportedError is.
var ErrNothingImported = errors.New("nothing imported")

// NothingImportedError says that a file gave no record: every line was skipped, or it had
// none. It names the file and the first skipped lines with their reasons, never their text.
type NothingImportedError struct {
	File     string    `json:"file"`
	Skipped  int       `json:"skipped"`
	Problems []Problem `json:"problems"`
}

func (e *NothingImportedError) Error() string {
	if e.Skipped == 0 {
		return fmt.Sprintf("%s: nothing imported: the file has no records", prose.Name(e.File))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: nothing imported: %s skipped", prose.Name(e.File), prose.Count(e.Skipped, "line"))
	for i, p := range e.Problems {
		if i == 3 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(p.Error())
	}
	return b.String()
}

func (e *NothingImportedError) Unwrap() error     { return ErrNothingImported }
func (e *NothingImportedError) ErrorCode() string { return "nothing_imported" }
func (e *NothingImportedError) ErrorLine() int {
	if len(e.Problems) > 0 {
		return e.Problems[0].Line
	}
	return 0
}

// progressReader reports the bytes read through it.
type progressReader struct {
	r  io.Reader
	n  int64
	fn func(Progress)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n += int64(n)
		p.fn(Progress{Bytes: p.n})
	}
	return n, err
}

func tooMany() error {
	return fmt.Errorf("%w: a dataset holds at most %s records; validate bigger files with dataset validate", ErrTooManyRecords, count(MaxDatasetRecords))
}

func readJSONL(ctx context.Context, r io.Reader, format Format, name string, room int, rep *problems) ([]recordDoc, error) {
	want, err := ParseFormat(string(format))
	if err != nil {
		return nil, &Problem{Field: "format", Message: err.Error()}
	}
	lr := newLineReader(r, DefaultMaxLineBytes)
	scratch := newProblems(0)
	dec := decoder{rep: scratch, noteJoins: true}
	parser := newLineParser(false)
	var docs []recordDoc
	for n := 1; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line, _, long, err := lr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read line %d: %w", n, err)
		}
		if long {
			rep.errorf(n, "", "skipped: line is longer than %s", sizeString(DefaultMaxLineBytes))
			continue
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.HasPrefix(line, utf8BOM) {
			line = line[len(utf8BOM):]
			rep.warnf(n, "", "byte order mark removed")
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			rep.errorf(n, "", "skipped: invalid UTF-8 at byte %d of the line", invalidUTF8At(line)+1)
			continue
		}
		if t := bytes.TrimLeft(line, " \t"); t[0] != '{' {
			// Not even the start of a record: say so without quoting any of it, as the file
			// may be anything (a key file, someone's notes).
			rep.errorf(n, "", "skipped: not a JSON object (a JSON Lines record is one {...} per line)")
			continue
		}
		val, err := parser.parse(line)
		if err != nil {
			rep.errorf(n, "", "skipped: %s", syntaxProblem(line, err))
			continue
		}
		obj := &val
		if obj.kind != kindObject {
			rep.errorf(n, "", "skipped: a record must be a JSON object, not %s", jsonType(obj))
			continue
		}
		if why := notSupervised(obj); why != "" {
			rep.errorf(n, "", "skipped: %s", why)
			continue
		}
		f := classify(obj)
		if f == "" {
			rep.errorf(n, "", "skipped: not a record of any supported format: expected prompt/completion, input/output, or messages")
			continue
		}
		if want != FormatAuto && f != want {
			rep.warnf(n, "", "read as %s, not %s: that is the shape of this line", f, want)
		}
		*scratch = problems{max: scratch.max, errors: scratch.errors[:0], warnings: scratch.warnings[:0]}
		rec, ok := dec.record(n, obj, f)
		for _, w := range scratch.warnings {
			rep.warnf(w.Line, w.Field, "%s", w.Message)
		}
		if !ok {
			for _, e := range scratch.errors {
				rep.errorf(e.Line, e.Field, "skipped: %s", e.Message)
			}
			continue
		}
		if len(docs) == room {
			return nil, tooMany()
		}
		docs = append(docs, recordDoc{Record: rec, Source: name + " line " + strconv.Itoa(n)})
	}
	return docs, nil
}

var csvGuesses = map[string][]string{
	"system":     {"system", "system prompt", "system_prompt", "systemprompt"},
	"prompt":     {"prompt", "input", "user", "question", "player", "line"},
	"completion": {"completion", "output", "assistant", "answer", "response", "reply", "npc"},
	"tags":       {"tags", "tag"},
}

// csvColumn finds the index of a column: the one named by the mapping, or a guess by header.
func csvColumn(header []string, named, field string, required bool) (int, error) {
	if named != "" {
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(named)) {
				return i, nil
			}
		}
		return -1, &Problem{Line: 1, Field: "columns." + field, Message: fmt.Sprintf("the header has no column %q (it has %s)", named, headerNames(header))}
	}
	for _, g := range csvGuesses[field] {
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), g) {
				return i, nil
			}
		}
	}
	if required {
		return -1, &Problem{Line: 1, Field: "columns." + field, Message: fmt.Sprintf("no %s column: name one (the header has %s)", field, headerNames(header))}
	}
	return -1, nil
}

// headerNames describes a CSV header for a message. Only cells that look like column names
// are quoted: the first line of a file that is no CSV at all (a password file, a key) is
// described by its count of cells, never shown.
func headerNames(header []string) string {
	var names []string
	for _, h := range header {
		if !looksLikeColumnName(h) {
			if len(header) == 1 {
				return "1 cell, not a column name"
			}
			return fmt.Sprintf("%s, not all of them column names", prose.Count(len(header), "cell"))
		}
		names = append(names, strings.TrimSpace(h))
	}
	if len(names) > 12 {
		names = append(names[:12], "…")
	}
	return strings.Join(names, ", ")
}

func looksLikeColumnName(h string) bool {
	h = strings.TrimSpace(h)
	if h == "" || utf8.RuneCountInString(h) > 40 {
		return false
	}
	for _, r := range h {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" _-.()#", r) {
			return false
		}
	}
	return true
}

func readCSV(ctx context.Context, r io.Reader, cols CSVColumns, format Format, name string, room int, rep *problems) ([]recordDoc, error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3) // spreadsheets write a BOM before CSV; it is not part of the first header
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Problem{Line: 1, Message: "the file is empty; a CSV import needs a header row"}
	}
	if err != nil {
		return nil, csvProblem(err)
	}
	header = append([]string(nil), header...)
	sys, err := csvColumn(header, cols.System, "system", false)
	if err != nil {
		return nil, err
	}
	prompt, err := csvColumn(header, cols.Prompt, "prompt", true)
	if err != nil {
		return nil, err
	}
	completion, err := csvColumn(header, cols.Completion, "completion", true)
	if err != nil {
		return nil, err
	}
	tags, err := csvColumn(header, cols.Tags, "tags", false)
	if err != nil {
		return nil, err
	}
	if format == "" {
		format = FormatPromptCompletion
	}
	var docs []recordDoc
	for i := 0; ; i++ {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, fmt.Errorf("read CSV: %w", err)
			}
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				rep.errorf(pe.StartLine, "", "skipped: the row has %d fields, the header has %d", len(row), len(header))
			} else {
				rep.errorf(pe.StartLine, "", "skipped: %v (column %d of line %d)", pe.Err, pe.Column, pe.Line)
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		bad := -1
		for k, v := range row {
			if !utf8.ValidString(v) {
				bad = k
				break
			}
		}
		if bad >= 0 {
			rep.errorf(line, header[bad], "skipped: invalid UTF-8; save the file as UTF-8")
			continue
		}
		rec := Record{Format: format, Messages: []Message{
			{Role: RoleUser, Content: row[prompt]},
			{Role: RoleAssistant, Content: row[completion]},
		}}
		if sys >= 0 {
			rec.System = row[sys]
		}
		d := recordDoc{Record: rec, Source: name + " line " + strconv.Itoa(line)}
		if tags >= 0 {
			d.Tags = normalizeTags(strings.FieldsFunc(row[tags], func(r rune) bool { return r == ',' || r == ';' }))
		}
		if len(docs) == room {
			return nil, tooMany()
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func csvProblem(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Problem{Line: pe.StartLine, Message: fmt.Sprintf("%v (column %d)", pe.Err, pe.Column)}
	}
	return err
}

// ExportRequest writes a version as JSON Lines in the target format.
type ExportRequest struct {
	DatasetID string `json:"datasetId"`
	// Version 0 is the latest.
	Version int `json:"version"`
	// Format is the record format to write; "" is the dataset's.
	Format Format `json:"format"`
	// Path receives the training records (every record without Split).
	Path string `json:"path"`
	// ValidationPath receives the validation records; it is required with Split.
	ValidationPath string        `json:"validationPath"`
	Split          *SplitOptions `json:"split"`
	// AllowLossy writes records whose conversion loses content (listed in the result);
	// without it such an export fails with ErrLossy and writes nothing.
	AllowLossy bool `json:"allowLossy"`
	// OnProgress, if set, is called every 512 records written, with the records and bytes so far.
	OnProgress func(Progress) `json:"-"`
}

// ExportedFile is one written file.
type ExportedFile struct {
	Path    string `json:"path"`
	Records int    `json:"records"`
	Bytes   int64  `json:"bytes"`
}

// ExportResult says what was written.
type ExportResult struct {
	Format     Format        `json:"format"`
	Training   ExportedFile  `json:"training"`
	Validation *ExportedFile `json:"validation,omitempty"`
	// Lossy counts records converted with a loss; Losses lists the first 100, by version line.
	Lossy  int       `json:"lossy"`
	Losses []Problem `json:"losses"`
}

// Export writes a version as JSON Lines (UTF-8, no BOM, LF), each file atomically: it is
// written beside its final path and renamed into place, so a reader never sees half a file.
func (r *Repository) Export(ctx context.Context, req ExportRequest) (ExportResult, error) {
	if req.Path == "" {
		return ExportResult{}, fmt.Errorf("export: %w", &Problem{Field: "path", Message: "no file to write"})
	}
	if req.Split != nil && req.ValidationPath == "" {
		return ExportResult{}, fmt.Errorf("export: %w", &Problem{Field: "validationPath", Message: "a split needs a validation file"})
	}
	var res ExportResult
	err := r.st.View(func(tx *bolt.Tx) error {
		ds, _, entries, err := r.readVersion(tx, req.DatasetID, req.Version)
		if err != nil {
			return err
		}
		format := ds.Format
		if req.Format != "" {
			if format, err = ParseFormat(string(req.Format)); err != nil || format == FormatAuto {
				return &Problem{Field: "format", Message: fmt.Sprintf("%q is not a record format", req.Format)}
			}
		}
		res = ExportResult{Format: format, Losses: []Problem{}}
		train := make([]int, len(entries))
		for i := range train {
			train[i] = i
		}
		var val []int
		if req.Split != nil {
			if train, val, err = SplitIndexes(entryIDs(entries), *req.Split); err != nil {
				return err
			}
		}
		// Convert everything once before writing, so a refused export leaves no file.
		for i, e := range entries {
			if i%512 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			d, err := r.loadRecord(tx, ds.ID, e)
			if err != nil {
				return err
			}
			_, loss, err := Convert(d.Record, format)
			if err != nil {
				return &Problem{Line: i + 1, Message: fmt.Sprintf("record %s: %v", e.ID, err)}
			}
			if loss.Lossy() {
				res.Lossy++
				if len(res.Losses) < 100 {
					res.Losses = append(res.Losses, Problem{Line: i + 1, Message: strings.Join(loss, "; ")})
				}
			}
		}
		if res.Lossy > 0 && !req.AllowLossy {
			return fmt.Errorf("%w: %d records (first at line %d: %s)", ErrLossy, res.Lossy, res.Losses[0].Line, res.Losses[0].Message)
		}
		// written and writtenBytes are what earlier files took, for progress across both files.
		var written int
		var writtenBytes int64
		write := func(path string, idx []int) (ExportedFile, error) {
			out := ExportedFile{Path: path, Records: len(idx)}
			err := writeAtomic(path, func(w io.Writer) error {
				bw := bufio.NewWriterSize(w, 256<<10)
				for k, i := range idx {
					if k%512 == 0 {
						if err := ctx.Err(); err != nil {
							return err
						}
						if req.OnProgress != nil {
							req.OnProgress(Progress{Lines: written + k, Bytes: writtenBytes + out.Bytes})
						}
					}
					d, err := r.loadRecord(tx, ds.ID, entries[i])
					if err != nil {
						return err
					}
					conv, _, err := Convert(d.Record, format)
					if err != nil {
						return err
					}
					line, err := Marshal(conv)
					if err != nil {
						return err
					}
					line = append(line, '\n')
					if _, err := bw.Write(line); err != nil {
						return err
					}
					out.Bytes += int64(len(line))
				}
				return bw.Flush()
			})
			return out, err
		}
		if res.Training, err = write(req.Path, train); err != nil {
			return err
		}
		written, writtenBytes = len(train), res.Training.Bytes
		if req.Split != nil {
			vf, err := write(req.ValidationPath, val)
			if err != nil {
				return err
			}
			res.Validation = &vf
		}
		return nil
	})
	if err != nil {
		return ExportResult{}, fmt.Errorf("export dataset %s: %w", req.DatasetID, err)
	}
	return res, nil
}

// writeAtomic writes a file a writer asked for (readable by other tools) in one step.
func writeAtomic(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, 0o644, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ValidateVersionRequest validates a version as it would be exported for its base model.
type ValidateVersionRequest struct {
	DatasetID string `json:"datasetId"`
	// Version 0 is the latest.
	Version int `json:"version"`
	// Split, when set, validates the training and validation sets Export would write.
	Split     *SplitOptions `json:"split"`
	BatchSize int           `json:"batchSize"`
	// OnProgress, if set, is called every 512 records, with the records validated so far.
	OnProgress func(Progress) `json:"-"`
}

// ValidateVersion validates the records of a version in the dataset's format against its base
// model, as Validate would the exported files. Lines in the report are version lines (the
// grid's), in both sets, so the UI can jump to them; records whose conversion loses content
// get a warning saying what.
func (r *Repository) ValidateVersion(ctx context.Context, req ValidateVersionRequest) (PairReport, error) {
	var out PairReport
	err := r.st.View(func(tx *bolt.Tx) error {
		ds, _, entries, err := r.readVersion(tx, req.DatasetID, req.Version)
		if err != nil {
			return err
		}
		opts := Options{Format: ds.Format, BaseModel: ds.BaseModel, BatchSize: req.BatchSize}
		tv, err := newValidator(opts, PurposeTraining, req.Split != nil)
		if err != nil {
			return err
		}
		train := make([]int, len(entries))
		for i := range train {
			train[i] = i
		}
		var val []int
		if req.Split != nil {
			if train, val, err = SplitIndexes(entryIDs(entries), *req.Split); err != nil {
				return err
			}
		}
		done := 0
		feed := func(v *validator, idx []int) error {
			for k, i := range idx {
				if k%512 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
					if req.OnProgress != nil {
						req.OnProgress(Progress{Lines: done + k, Bytes: v.bytes})
					}
				}
				d, err := r.loadRecord(tx, ds.ID, entries[i])
				if err != nil {
					return err
				}
				line := i + 1
				conv, loss, err := Convert(d.Record, ds.Format)
				if err != nil {
					v.records++
					v.rep.errorf(line, "", "%v", err)
					continue
				}
				for _, l := range loss {
					v.rep.warnf(line, "", "written as %s, this record loses content: %s", ds.Format, l)
				}
				raw, err := Marshal(conv)
				if err != nil {
					return err
				}
				v.line(line, raw, false, v.bytes)
				v.bytes += int64(len(raw)) + 1
			}
			v.finish()
			done += len(idx)
			return nil
		}
		if err := feed(tv, train); err != nil {
			return err
		}
		if req.Split == nil {
			tr := tv.report()
			out = PairReport{Valid: tr.Valid, Training: tr}
			return nil
		}
		vv, _ := newValidator(opts, PurposeValidation, true)
		vv.seed, vv.training = tv.seed, tv.seen
		if err := feed(vv, val); err != nil {
			return err
		}
		checkPairTotals(tv, vv)
		tr, vr := tv.report(), vv.report()
		out = PairReport{Valid: tr.Valid && vr.Valid, Training: tr, Validation: &vr}
		return nil
	})
	if err != nil {
		return PairReport{}, fmt.Errorf("validate dataset %s: %w", req.DatasetID, err)
	}
	return out, nil
}
