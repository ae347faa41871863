package dataset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Purpose says which file of a tuning job is validated: record and size limits differ.
type Purpose string

const (
	PurposeTraining   Purpose = "training"
	PurposeValidation Purpose = "validation"
)

// Options configure Validate.
type Options struct {
	// Format of the records; "" or FormatAuto detects it from the first valid record.
	Format Format
	// BaseModel is a Bedrock base model id (see BaseModels); "" checks the format only.
	BaseModel string
	// Purpose is training (the default) or validation.
	Purpose Purpose
	// BatchSize decides the token limit for models whose limit depends on it (Titan); 0 means 1.
	BatchSize int
	// Tokenizer counts tokens; nil estimates them at 6 characters a token, as Bedrock does,
	// except for Llama 3.x models when Llama 3's tokenizer is installed (llama3.SearchPaths):
	// their records are then counted exactly, chat format included (see llamaCounter).
	Tokenizer Tokenizer
	// MaxProblems caps the errors, and separately the warnings, kept in the report (all are
	// counted); 0 means DefaultMaxProblems.
	MaxProblems int
	// MaxLineBytes caps one line; 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// MinReplyChars is the reply length under which a warning says it is very short; 0 means 12.
	MinReplyChars int
	// MaxTrackedRecords caps how many records duplicate detection remembers; 0 means
	// DefaultMaxTrackedRecords. Each costs 24 to 48 bytes of heap (an 8-byte hash and a 4-byte
	// line number in a Go map, which doubles as it grows): 12 MB at the default.
	MaxTrackedRecords int
	// OnProgress, if set, is called about every megabyte read.
	OnProgress func(Progress)
}

// DefaultMaxTrackedRecords is over ten times the largest Bedrock record limit (20,000), so
// duplicates are found in every file with a record limit, while memory stays flat however
// big the file: past the cap, records are still validated, only not compared.
const DefaultMaxTrackedRecords = 250_000

// Progress is how far a validation has read.
type Progress struct {
	Bytes int64 `json:"bytes"`
	Lines int   `json:"lines"`
}

// Report is the result of validating one file. It is what `dataset validate --json` prints.
type Report struct {
	Valid bool `json:"valid"`
	// Format is the records' format, given or detected ("" if no record showed one).
	Format Format `json:"format"`
	// Records counts the lines meant as records: every line but blank ones, as Bedrock counts.
	Records int `json:"records"`
	// Errors make Bedrock reject the file; Warnings are accepted but worth a writer's look.
	// Each list keeps the first Options.MaxProblems; the counts are of all of them.
	Errors       []Problem `json:"errors"`
	Warnings     []Problem `json:"warnings"`
	ErrorCount   int       `json:"errorCount"`
	WarningCount int       `json:"warningCount"`
	Truncated    bool      `json:"truncated"`
	Stats        Stats     `json:"stats"`
}

// PairReport is the result of validating a training file and its validation file together.
type PairReport struct {
	Valid      bool    `json:"valid"`
	Training   Report  `json:"training"`
	Validation *Report `json:"validation,omitempty"`
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ErrInvalidOption is returned for an option value Validate does not know.
var ErrInvalidOption = errors.New("invalid validation option")

// Validate reads a JSON Lines tuning file from r and reports every problem Bedrock would reject
// it for, line by line, plus warnings. It reads in bounded memory whatever the file size. The
// error is for bad options, a failed read or a cancelled ctx, never for a bad dataset.
//
// Decisions where Bedrock's documents are silent, taken so a file that passes here passes there:
//   - A UTF-8 byte order mark is an error. Bedrock documents "each line is a JSON object"; JSON
//     text must not start with a BOM (RFC 8259 §8.1) and AWS's own dataset validator, reading
//     with Python's json module, rejects one. The rest of the line is still checked.
//   - A blank line is an error: Bedrock reads every line as a record. A final newline is not a
//     blank line.
//   - CRLF line endings are a warning: JSON parsers take the CR as whitespace.
//   - Invalid UTF-8 is an error naming the byte offset in the line and in the file.
func Validate(ctx context.Context, r io.Reader, opts Options) (Report, error) {
	v, err := newValidator(opts, opts.Purpose, false)
	if err != nil {
		return Report{}, err
	}
	if err := v.run(ctx, r); err != nil {
		return Report{}, err
	}
	return v.report(), nil
}

// Check reports options Validate would refuse (an unknown format or base model, a batch size
// the model does not take), so a caller can refuse them before reading any file.
func (o Options) Check() error {
	_, err := newValidator(o, o.Purpose, false)
	return err
}

// ValidateFile validates the file at path. It opens the file read-only and never changes it.
func ValidateFile(ctx context.Context, path string, opts Options) (Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return Report{}, fmt.Errorf("validate dataset: %w", err)
	}
	defer f.Close()
	rep, err := Validate(ctx, f, opts)
	if err != nil {
		return Report{}, fmt.Errorf("validate %s: %w", path, err)
	}
	return rep, nil
}

// ValidatePair validates a training file and a validation file for the same job: each against
// its own limits, both against the limits on their sum, and it warns about validation records
// that are also in the training file. opts.Purpose is ignored.
func ValidatePair(ctx context.Context, training, validation io.Reader, opts Options) (PairReport, error) {
	tv, err := newValidator(opts, PurposeTraining, true)
	if err != nil {
		return PairReport{}, err
	}
	if err := tv.run(ctx, training); err != nil {
		return PairReport{}, fmt.Errorf("training file: %w", err)
	}
	vv, _ := newValidator(opts, PurposeValidation, true)
	vv.seed = tv.seed
	vv.training = tv.seen
	if vv.format == FormatAuto && tv.format != FormatAuto {
		vv.format, vv.formatLine, vv.formatFromTraining = tv.format, tv.formatLine, true
	}
	if err := vv.run(ctx, validation); err != nil {
		return PairReport{}, fmt.Errorf("validation file: %w", err)
	}
	checkPairTotals(tv, vv)
	tr, vr := tv.report(), vv.report()
	return PairReport{Valid: tr.Valid && vr.Valid, Training: tr, Validation: &vr}, nil
}

// checkPairTotals checks the limits on training and validation records together.
func checkPairTotals(tv, vv *validator) {
	lim := tv.limits()
	if lim == nil {
		return
	}
	total := tv.records + vv.records
	if lim.MaxTotalRecords > 0 && total > lim.MaxTotalRecords {
		tv.rep.errorf(0, "", "training and validation sets have %s records together; %s allows %s",
			count(int64(total)), tv.model.Name, count(int64(lim.MaxTotalRecords)))
	}
	if lim.MinTotalRecords > 0 && total < lim.MinTotalRecords {
		tv.rep.errorf(0, "", "training and validation sets have %s records together; %s needs at least %s",
			count(int64(total)), tv.model.Name, count(int64(lim.MinTotalRecords)))
	}
}

// ValidatePairFiles is ValidatePair on two files, opened read-only.
func ValidatePairFiles(ctx context.Context, trainingPath, validationPath string, opts Options) (PairReport, error) {
	t, err := os.Open(trainingPath)
	if err != nil {
		return PairReport{}, fmt.Errorf("validate dataset: %w", err)
	}
	defer t.Close()
	v, err := os.Open(validationPath)
	if err != nil {
		return PairReport{}, fmt.Errorf("validate dataset: %w", err)
	}
	defer v.Close()
	return ValidatePair(ctx, t, v, opts)
}

// validator holds the state of one pass over one file.
type validator struct {
	opts       Options
	purpose    Purpose
	inPair     bool
	model      *BaseModel
	tokenLimit int
	tok        Tokenizer
	estimated  bool
	// isLlama: the model reads Llama 3's tokens and no tokenizer was given. The tokenizer is
	// looked for (lookedForLlama) when the first record long enough to need it comes: llama
	// then counts exactly, or noLlama says why it cannot.
	isLlama, lookedForLlama bool
	llama                   *llamaCounter
	noLlama                 string
	minReply                int
	maxTracked              int
	maxLine                 int

	rep    *problems
	dec    decoder
	parser *lineParser

	format             Format
	formatLine         int // line the format was detected on (0 when given)
	formatFromTraining bool

	seed     maphash.Seed
	seen     map[uint64]int32 // record content hash -> first line
	training map[uint64]int32 // the training file's records, when validating a validation file

	records   int
	bytes     int64
	crlf      int
	firstCRLF int
	stats     statsBuilder
}

func newValidator(opts Options, purpose Purpose, inPair bool) (*validator, error) {
	f, err := ParseFormat(string(opts.Format))
	if err != nil {
		return nil, err
	}
	if purpose == "" {
		purpose = PurposeTraining
	}
	if purpose != PurposeTraining && purpose != PurposeValidation {
		return nil, fmt.Errorf("%w: purpose %q is neither training nor validation", ErrInvalidOption, purpose)
	}
	v := &validator{
		opts: opts, purpose: purpose, inPair: inPair, format: f,
		tok: opts.Tokenizer, minReply: opts.MinReplyChars, maxTracked: opts.MaxTrackedRecords,
		rep: newProblems(opts.MaxProblems), seed: maphash.MakeSeed(), seen: map[uint64]int32{},
		parser: newLineParser(true),
	}
	if v.tok == nil {
		v.tok, v.estimated = CharEstimator{}, true
	}
	if v.minReply <= 0 {
		v.minReply = 12
	}
	if v.maxTracked <= 0 {
		v.maxTracked = DefaultMaxTrackedRecords
	}
	if v.maxLine = opts.MaxLineBytes; v.maxLine <= 0 {
		v.maxLine = DefaultMaxLineBytes
	}
	v.dec.rep = v.rep
	if opts.BaseModel != "" {
		m, err := LookupBaseModel(opts.BaseModel)
		if err != nil {
			return nil, err
		}
		if v.tokenLimit, err = m.RecordTokenLimit(opts.BatchSize); err != nil {
			return nil, err
		}
		v.model = &m
		v.isLlama = v.estimated && isLlama3(m.ID)
		v.dec.reserved = m.Limits.ReservedWords
		if strings.HasPrefix(m.ID, "amazon.nova-") {
			v.dec.reservedDoc = NovaReservedSource
			v.dec.media, v.dec.micro = true, strings.HasPrefix(m.ID, "amazon.nova-micro")
		}
		if f != FormatAuto {
			v.checkFormatAllowed()
		}
	}
	return v, nil
}

func (v *validator) limits() *Limits {
	if v.model == nil {
		return nil
	}
	return &v.model.Limits
}

func (v *validator) checkFormatAllowed() {
	if v.model == nil || v.model.Allows(v.format) {
		return
	}
	from := ""
	if v.formatLine > 0 {
		from = fmt.Sprintf(" (detected from line %d)", v.formatLine)
	}
	v.rep.errorf(0, "format", "the file is %s%s, but %s reads %s", v.format, from, v.model.Name, v.model.Formats[0])
}

func (v *validator) run(ctx context.Context, r io.Reader) error {
	lr := newLineReader(r, v.maxLine)
	var lastProgress int64
	n := 1
	for ; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, size, long, err := lr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read line %d: %w", n, err)
		}
		v.line(n, line, long, v.bytes)
		v.bytes += size
		if v.opts.OnProgress != nil && v.bytes-lastProgress >= 1<<20 {
			lastProgress = v.bytes
			v.opts.OnProgress(Progress{Bytes: v.bytes, Lines: n})
		}
	}
	v.finish()
	if v.opts.OnProgress != nil {
		v.opts.OnProgress(Progress{Bytes: v.bytes, Lines: n - 1})
	}
	return nil
}

// line checks one line; offset is where it starts in the file.
func (v *validator) line(n int, line []byte, long bool, offset int64) {
	if long {
		v.records++
		v.rep.errorf(n, "", "line is longer than %s; no record can be that long", sizeString(int64(v.maxLine)))
		return
	}
	if k := len(line); k > 0 && line[k-1] == '\r' {
		line = line[:k-1]
		if v.crlf == 0 {
			v.firstCRLF = n
		}
		v.crlf++
	}
	if bytes.HasPrefix(line, utf8BOM) {
		if n == 1 {
			v.rep.errorf(1, "", "the file starts with a UTF-8 byte order mark (BOM); Bedrock expects plain UTF-8 JSON Lines: save the file without a BOM (NPC Studio exports never have one)")
		} else {
			v.rep.errorf(n, "", "line starts with a UTF-8 byte order mark (BOM), often left by joining files; remove it")
		}
		line = line[len(utf8BOM):]
		offset += int64(len(utf8BOM))
	}
	if len(bytes.TrimSpace(line)) == 0 {
		v.rep.errorf(n, "", "blank line; Bedrock reads every line as a record: remove it")
		return
	}
	v.records++
	if !utf8.Valid(line) {
		at := invalidUTF8At(line)
		v.rep.errorf(n, "", "invalid UTF-8 at byte %d of the line (byte %d of the file); save the file as UTF-8", at+1, offset+int64(at)+1)
	}
	val, err := v.parser.parse(line)
	if err != nil {
		v.rep.errorf(n, "", "%s", syntaxProblem(line, err))
		return
	}
	obj := &val
	if obj.kind != kindObject {
		v.rep.errorf(n, "", "a record must be a JSON object {...}, not %s", jsonType(obj))
		return
	}
	if why := notSupervised(obj); why != "" {
		v.rep.errorf(n, "", "%s", why)
		return
	}
	lf := classify(obj)
	switch {
	case v.format == FormatAuto && lf == "":
		v.rep.errorf(n, "", "not a record of any supported format: expected prompt/completion, input/output, or messages")
		return
	case v.format == FormatAuto:
		v.format, v.formatLine = lf, n
		v.checkFormatAllowed()
	case lf != "" && lf != v.format:
		switch {
		case v.formatFromTraining:
			v.rep.errorf(n, "", "this line is a %s record, but the training file is %s", lf, v.format)
		case v.formatLine > 0:
			v.rep.errorf(n, "", "this line is a %s record, but the file is %s (detected from line %d)", lf, v.format, v.formatLine)
		default:
			v.rep.errorf(n, "", "this line is a %s record, but the file is %s", lf, v.format)
		}
		return
	}
	rec, ok := v.dec.record(n, obj, v.format)
	if !ok {
		return
	}
	if !v.format.singleTurn() {
		checkTurns(v.rep, n, rec)
	}
	v.checkRecord(n, rec)
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func (v *validator) checkRecord(n int, rec Record) {
	var in, out, in3, out3 int
	if v.estimated {
		in, out, in3, out3 = estimateTokens(rec)
	} else {
		in, out = recordTokens(v.tok, rec)
	}
	total := in + out
	if lim := v.limits(); lim != nil {
		total = v.checkTokens(n, lim, rec, in, out, in3, out3)
	}
	// With Llama 3's tokenizer only records near a limit are counted (counting all would slow
	// validation several times over): the statistics take their exact counts, so the longest
	// records agree with the errors, and the estimates of the rest.
	v.stats.add(n, total)
	// A reply of 4 bytes a character or more is long enough without counting (UTF-8 takes
	// at most 4 bytes a character).
	if reply := rec.Reply(); reply != "" && len(reply) < 4*v.minReply {
		if c := utf8.RuneCountInString(reply); c < v.minReply {
			field := at("messages", len(rec.Messages)-1) + ".content"
			if v.format.singleTurn() {
				_, field = v.format.pairKeys()
			}
			v.rep.warnf(n, field, "the reply is only %d characters; very short replies teach the model to answer tersely", c)
		}
	}
	h := contentHash(v.seed, rec)
	if first, ok := v.seen[h]; ok {
		v.rep.warnf(n, "", "duplicate of line %d (same system prompt and turns)", first)
	} else if len(v.seen) < v.maxTracked {
		v.seen[h] = int32(n)
	}
	if first, ok := v.training[h]; ok {
		v.rep.warnf(n, "", "the same record is in the training set (line %d); a validation set drawn from the training set makes the model look better than it is", first)
	}
}

// checkTokens checks a record's tokens against the model's limits. Without the model's
// tokenizer a count is an estimate: an error only when the record is over even at the
// generous 6 characters a token, a warning with both estimates when it is over at the strict
// 3 a token (as AWS's Claude 3 Haiku validator counts). With Llama 3's tokenizer the count is
// exact, and made only for a record whose bytes could reach a limit. It returns the record's
// tokens: the exact count when one was made, else in + out.
func (v *validator) checkTokens(n int, lim *Limits, rec Record, in, out, in3, out3 int) int {
	estimated, how, note := v.estimated, "", ""
	if v.isLlama {
		// The bound is at least both the count and the estimates (3 characters are 3 bytes or
		// more), so a record within it is within every limit whichever counts.
		over := func(got, limit int) bool { return limit > 0 && got > limit }
		bi, bo := llamaBound(rec)
		if !over(bi, lim.MaxInputTokens) && !over(bo, lim.MaxOutputTokens) && !over(bi+bo, v.tokenLimit) {
			return in + out
		}
		v.findLlama()
	}
	if v.llama != nil {
		in, out = v.llama.count(rec)
		estimated, how = false, " (counted with Llama 3's tokenizer, chat format included)"
	} else if estimated {
		how = " (estimated at 6 characters a token)"
		if v.noLlama != "" {
			how = " (estimated at 6 characters a token: " + v.noLlama + ")"
			note = "; " + v.noLlama
		}
	}
	inField, outField := "", ""
	if v.format.singleTurn() {
		inField, outField = v.format.pairKeys()
	}
	check := func(field, what string, got, strict, limit int, suffix string) {
		switch {
		case limit <= 0:
		case got > limit:
			v.rep.errorf(n, field, "%s has %s tokens%s; %s allows %s%s", what, count(int64(got)), how, v.model.Name, count(int64(limit)), suffix)
		case estimated && strict > limit:
			v.rep.warnf(n, field, "%s may be over the limit: %s tokens at 6 characters a token, %s at 3 (as AWS's validator counts); %s allows %s%s%s",
				what, count(int64(got)), count(int64(strict)), v.model.Name, count(int64(limit)), suffix, note)
		}
	}
	check(inField, "input", in, in3, lim.MaxInputTokens, "")
	check(outField, "output", out, out3, lim.MaxOutputTokens, "")
	batch := ""
	if len(lim.BatchTokens) > 0 {
		batch = fmt.Sprintf(" at batch size %d", max(v.opts.BatchSize, 1))
	}
	check("", "record", in+out, in3+out3, v.tokenLimit, " a record"+batch)
	return in + out
}

// findLlama looks for Llama 3's tokenizer once per validator (and loads it once per process).
func (v *validator) findLlama() {
	if v.lookedForLlama {
		return
	}
	v.lookedForLlama = true
	switch tok, err := findLlama3(); {
	case err != nil:
		v.noLlama = "Llama 3's tokenizer could not be read: " + err.Error()
	case tok == nil:
		v.noLlama = "Llama 3's tokenizer is not installed"
	default:
		v.llama = newLlamaCounter(tok)
	}
}

// contentHash is an 8-byte hash of what a record says (system prompt, roles and texts).
func contentHash(seed maphash.Seed, rec Record) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(rec.System)
	for _, m := range rec.Messages {
		h.WriteByte(0)
		h.WriteString(m.Role)
		h.WriteByte(0)
		h.WriteString(m.Content)
	}
	return h.Sum64()
}

func (v *validator) finish() {
	if v.records == 0 {
		v.rep.errorf(0, "", "the file has no records")
	}
	if v.crlf > 0 {
		v.rep.warnf(v.firstCRLF, "", "%s lines end with CR LF (Windows line endings); Bedrock accepts them, NPC Studio exports use LF", count(int64(v.crlf)))
	}
	if len(v.seen) >= v.maxTracked && v.records > v.maxTracked {
		v.rep.warnf(0, "", "duplicates were looked for in the first %s records only", count(int64(v.maxTracked)))
	}
	lim := v.limits()
	if lim == nil {
		return
	}
	name := v.model.Name
	recs := int64(v.records)
	switch v.purpose {
	case PurposeTraining:
		if lim.MinTrainingRecords > 0 && v.records < lim.MinTrainingRecords {
			v.rep.errorf(0, "", "the file has %s records; %s needs at least %s training records", count(recs), name, count(int64(lim.MinTrainingRecords)))
		}
		if lim.MaxTrainingRecords > 0 && v.records > lim.MaxTrainingRecords {
			v.rep.errorf(0, "", "the file has %s records; %s takes at most %s training records", count(recs), name, count(int64(lim.MaxTrainingRecords)))
		}
		if !v.inPair && lim.MinTotalRecords > 0 && v.records < lim.MinTotalRecords {
			v.rep.errorf(0, "", "the file has %s records; %s needs at least %s", count(recs), name, count(int64(lim.MinTotalRecords)))
		}
		if !v.inPair && lim.MaxTotalRecords > 0 && v.records > lim.MaxTotalRecords {
			v.rep.errorf(0, "", "the file has %s records; %s takes at most %s", count(recs), name, count(int64(lim.MaxTotalRecords)))
		}
		if lim.MaxTrainingBytes > 0 && v.bytes > lim.MaxTrainingBytes {
			v.rep.errorf(0, "", "the file is %s; %s takes training files up to %s", sizeString(v.bytes), name, sizeString(lim.MaxTrainingBytes))
		}
	case PurposeValidation:
		if lim.MaxValidationRecords > 0 && v.records > lim.MaxValidationRecords {
			v.rep.errorf(0, "", "the file has %s records; %s takes at most %s validation records", count(recs), name, count(int64(lim.MaxValidationRecords)))
		}
		if lim.MaxValidationBytes > 0 && v.bytes > lim.MaxValidationBytes {
			v.rep.errorf(0, "", "the file is %s; %s takes validation files up to %s", sizeString(v.bytes), name, sizeString(lim.MaxValidationBytes))
		}
	}
}

func (v *validator) report() Report {
	f := v.format
	if f == FormatAuto {
		f = ""
	}
	return Report{
		Valid: v.rep.errorCount == 0, Format: f, Records: v.records,
		Errors: v.rep.errors, Warnings: v.rep.warnings,
		ErrorCount: v.rep.errorCount, WarningCount: v.rep.warningCount, Truncated: v.rep.truncated(),
		Stats: v.stats.stats(v.bytes),
	}
}
