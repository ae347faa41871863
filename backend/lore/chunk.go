package lore

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// Strategy is how a document is cut into chunks.
type Strategy string

const (
	// Paragraphs (the default) keeps headings with their section and paragraphs whole,
	// up to the size limit; a longer paragraph is cut between sentences. A heading starts a
	// new chunk once the chunk holds at least half the size: shorter sections share a chunk
	// with the sections after them, which finds them better (see sectionShare).
	Paragraphs Strategy = "paragraphs"
	// Fixed cuts windows of a fixed size, overlapping by Overlap, ending at a space when one
	// is near the end of the window.
	Fixed Strategy = "fixed"
	// Cloud is the team's hydration job's own rule (LangChain's RecursiveCharacterTextSplitter,
	// 1,024 characters, no overlap), so a writer sees exactly what the cloud will index.
	Cloud Strategy = "cloud"
)

// Unit is what Size and Overlap count.
type Unit string

const (
	Chars  Unit = "chars"
	Tokens Unit = "tokens" // estimated, four characters a token
)

// ChunkOptions chooses a strategy and its parameters. Zero values take the defaults.
type ChunkOptions struct {
	Strategy Strategy `json:"strategy"`
	// Size is the most a chunk holds (Paragraphs, Fixed), in Unit.
	Size int `json:"size,omitempty"`
	// Overlap is how much of a Fixed window repeats in the next one, in Unit.
	Overlap int  `json:"overlap,omitempty"`
	Unit    Unit `json:"unit,omitempty"`
}

// Defaults and limits of chunking.
const (
	DefaultParagraphSize = 1200 // characters
	DefaultFixedSize     = 1000
	DefaultFixedOverlap  = 100
	CloudChunkSize       = 1024
	MinChunkSize         = 50
	MaxChunkSize         = 20000
	// MaxCloudDocument bounds a document chunked with the cloud rule, which (as the cloud job
	// itself) needs the whole text in memory.
	MaxCloudDocument = 64 << 20
)

// Normalize fills in defaults and checks the parameters.
func (o ChunkOptions) Normalize() (ChunkOptions, error) {
	if o.Strategy == "" {
		o.Strategy = Paragraphs
	}
	if o.Unit == "" {
		o.Unit = Chars
	}
	if o.Unit != Chars && o.Unit != Tokens {
		return o, fault.Invalid("unit", "unknown unit %q: use chars or tokens", o.Unit)
	}
	switch o.Strategy {
	case Paragraphs:
		if o.Size == 0 {
			o.Size = DefaultParagraphSize
			if o.Unit == Tokens {
				o.Size /= 4
			}
		}
		o.Overlap = 0
	case Fixed:
		if o.Size == 0 {
			o.Size, o.Overlap = DefaultFixedSize, DefaultFixedOverlap
			if o.Unit == Tokens {
				o.Size, o.Overlap = o.Size/4, o.Overlap/4
			}
		}
		if o.Overlap < 0 || o.Overlap >= o.Size {
			return o, fault.Invalid("overlap", "overlap %d must be at least 0 and less than the size %d", o.Overlap, o.Size)
		}
	case Cloud:
		return ChunkOptions{Strategy: Cloud, Size: CloudChunkSize, Unit: Chars}, nil
	default:
		return o, fault.Invalid("strategy", "unknown chunking strategy %q: use paragraphs, fixed or cloud", o.Strategy)
	}
	if chars := o.chars(o.Size); chars < MinChunkSize || chars > MaxChunkSize {
		return o, fault.Invalid("size", "chunk size %d %s is out of range (%d to %d characters)", o.Size, o.Unit, MinChunkSize, MaxChunkSize)
	}
	return o, nil
}

// chars converts a size in Unit to characters.
func (o ChunkOptions) chars(n int) int {
	if o.Unit == Tokens {
		return n * 4
	}
	return n
}

// Chunk is one piece of a document, the unit of search and citation.
type Chunk struct {
	V     int    `json:"v"`
	DocID string `json:"docId,omitempty"`
	// Ord is the chunk's position in its document, from 0.
	Ord int `json:"ord"`
	// Start and End are byte offsets of Text in the document's text.
	Start int64 `json:"start"`
	End   int64 `json:"end"`
	// Heading is the Markdown heading path the chunk sits under ("Factions > The Ember Court").
	Heading string `json:"heading,omitempty"`
	// Page is the PDF page the chunk starts on, from 1; 0 for other formats.
	Page   int    `json:"page,omitempty"`
	Text   string `json:"text"`
	Tokens int    `json:"tokens"`
}

// ChunkID is how results and citations name a chunk: "<docID>#<ord>".
func ChunkID(docID string, ord int) string { return fmt.Sprintf("%s#%d", docID, ord) }

// ParseChunkID splits a chunk id into its document id and ordinal.
func ParseChunkID(id string) (docID string, ord int, err error) {
	i := strings.LastIndexByte(id, '#')
	if i <= 0 {
		return "", 0, fault.Invalid("chunk", "%q is not a chunk id (doc#n)", id)
	}
	if _, err := fmt.Sscanf(id[i+1:], "%d", &ord); err != nil || ord < 0 {
		return "", 0, fault.Invalid("chunk", "%q is not a chunk id (doc#n)", id)
	}
	return id[:i], ord, nil
}

// errStop ends chunking early (a preview has what it needs).
var errStop = errors.New("stop")

// ChunkText cuts the text read from r into chunks, calling emit for each in order. The text
// must be UTF-8 (the library checks files before it chunks them). Memory stays bounded for
// Paragraphs and Fixed, whatever the length of the text.
func ChunkText(r io.Reader, opt ChunkOptions, emit func(Chunk) error) error {
	opt, err := opt.Normalize()
	if err != nil {
		return err
	}
	ord := 0
	out := func(c Chunk) error {
		c.V, c.Ord, c.Tokens = 1, ord, prose.EstimateTokens(c.Text)
		ord++
		return emit(c)
	}
	switch opt.Strategy {
	case Cloud:
		text, err := io.ReadAll(io.LimitReader(r, MaxCloudDocument+1))
		if err != nil {
			return err
		}
		if len(text) > MaxCloudDocument {
			return fault.Invalid("strategy", "the cloud rule reads a whole document at once; documents over %d MB need the paragraphs or fixed strategy", MaxCloudDocument>>20)
		}
		return cloudChunks(string(text), out)
	case Fixed:
		f := &fixedChunker{size: opt.chars(opt.Size), overlap: opt.chars(opt.Overlap), emit: out}
		if err := scanBlocks(r, f.add); err != nil {
			return err
		}
		return f.flush(true)
	default:
		limit := opt.chars(opt.Size)
		p := &paragraphChunker{limit: limit, minSection: int(sectionShare * float64(limit)), emit: out}
		if err := scanBlocks(r, p.add); err != nil {
			return err
		}
		// Headings held back for a body that never came go out on their own.
		for len(p.cur) > 0 {
			if err := p.flush(); err != nil {
				return err
			}
		}
		return nil
	}
}

// block is a paragraph or a heading line of the text, with the text before it that
// separates it from the previous block (blank lines), so chunks are exact slices.
type block struct {
	start   int64 // offset of text
	gap     string
	text    string
	heading int // Markdown heading level, 0 for body text
}

func (b block) end() int64 { return b.start + int64(len(b.text)) }

// maxBlock bounds a paragraph held in memory; a longer one is handed on in pieces.
const maxBlock = 64 << 10

// scanBlocks reads r line by line and hands on paragraphs and heading lines.
func scanBlocks(r io.Reader, fn func(block) error) error {
	br := bufio.NewReaderSize(r, readBlock)
	var (
		off     int64 // offset of the next byte to read
		gap     strings.Builder
		para    strings.Builder
		paraOff int64
		carry   []byte
	)
	flushPara := func() error {
		if para.Len() == 0 {
			return nil
		}
		text := para.String()
		// Trailing line ends belong to the gap before the next block.
		trimmed := strings.TrimRightFunc(text, unicode.IsSpace)
		b := block{start: paraOff, gap: gap.String(), text: trimmed}
		para.Reset()
		gap.Reset()
		gap.WriteString(text[len(trimmed):])
		return fn(b)
	}
	for {
		line, err := br.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) && !errors.Is(err, io.EOF) {
			return err
		}
		piece := append(carry, line...)
		carry = nil
		if errors.Is(err, bufio.ErrBufferFull) {
			// Keep an incomplete last rune with the rest of the line.
			for k := 1; k <= 3 && k <= len(piece); k++ {
				if utf8.RuneStart(piece[len(piece)-k]) {
					if !utf8.FullRune(piece[len(piece)-k:]) {
						carry = append([]byte(nil), piece[len(piece)-k:]...)
						piece = piece[:len(piece)-k]
					}
					break
				}
			}
		}
		s := string(piece)
		pieceOff := off
		off += int64(len(s))
		switch {
		case s == "":
		case strings.TrimSpace(s) == "" && para.Len() > 0 && !errors.Is(err, bufio.ErrBufferFull):
			if err := flushPara(); err != nil {
				return err
			}
			gap.WriteString(s)
		case strings.TrimSpace(s) == "" && para.Len() == 0:
			gap.WriteString(s)
		case headingOf(s) > 0 && len(carry) == 0:
			// An ATX heading ends the paragraph before it, as in Markdown.
			if err := flushPara(); err != nil {
				return err
			}
			text := strings.TrimRightFunc(s, unicode.IsSpace)
			b := block{start: pieceOff, gap: gap.String(), text: text, heading: headingOf(s)}
			gap.Reset()
			gap.WriteString(s[len(text):])
			if err := fn(b); err != nil {
				return err
			}
		default:
			if para.Len() == 0 {
				paraOff = pieceOff
				// Leading spaces of the paragraph's first line stay in the gap.
				lead := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
				gap.WriteString(s[:lead])
				paraOff += int64(lead)
				s = s[lead:]
			}
			para.WriteString(s)
			if para.Len() >= maxBlock {
				if err := flushPara(); err != nil {
					return err
				}
			}
		}
		if errors.Is(err, io.EOF) {
			if len(carry) > 0 {
				para.Write(carry)
			}
			return flushPara()
		}
	}
}

// headingOf returns the level of a Markdown ATX heading line ("## Title"), or 0.
func headingOf(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n >= len(line) || (line[n] != ' ' && line[n] != '\t') {
		return 0
	}
	if strings.TrimSpace(line[n:]) == "" {
		return 0
	}
	return n
}

func headingText(line string) string { return strings.TrimSpace(strings.TrimLeft(line, "#")) }

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// sectionShare is the share of the size limit a Paragraphs chunk must reach before a
// heading ends it. Sections of a few sentences make poor chunks: a question rarely shares
// words or meaning with 40 tokens that never name their subject. Merged with their
// neighbours up to half the limit (600 characters, about 150 tokens; picked on
// questions.jsonl), and fused by standard reciprocal rank, hybrid recall@1 went from 0.636
// to 0.773 on the held-out paraphrases and from 0.607 to 0.679 on fresh.jsonl
// (TestBuiltinRecall, docs/BENCHMARKS.md). Tests set 0 to measure the chunking before it
// (every heading starts a chunk).
var sectionShare = 0.5

// paragraphChunker implements the Paragraphs strategy.
type paragraphChunker struct {
	limit int // characters
	// minSection is how long a chunk must be before a heading ends it: a shorter section
	// shares its chunk with the sections after it (0: every heading starts a chunk).
	minSection int
	emit       func(Chunk) error
	cur        []block
	paths      [][]string // the heading path of each block of cur
	curSize    int
	hasBody    bool
	headings   [6]string
}

func (p *paragraphChunker) add(b block) error {
	if b.heading > 0 {
		if (p.hasBody && !p.joins(b)) || (len(p.cur) > 0 && p.curSize+p.cost(b) > p.limit) {
			if err := p.flush(); err != nil {
				return err
			}
		}
		p.headings[b.heading-1] = headingText(b.text)
		for i := b.heading; i < len(p.headings); i++ {
			p.headings[i] = ""
		}
		if runeLen(b.text) > p.limit {
			return p.alone(splitLong(b, p.limit))
		}
		p.push(b)
		return nil
	}
	if p.hasBody && p.curSize+p.cost(b) > p.limit {
		if err := p.flush(); err != nil {
			return err
		}
	}
	if p.curSize+p.cost(b) <= p.limit {
		p.push(b)
		p.hasBody = true
		return nil
	}
	// Too long: cut between sentences. Headings waiting for a body go out on their own when
	// the first piece does not fit beside them.
	pieces := splitLong(b, p.limit)
	if len(pieces) > 0 && len(p.cur) > 0 && p.curSize+p.cost(pieces[0]) <= p.limit {
		p.push(pieces[0])
		p.hasBody = true
		if err := p.flush(); err != nil {
			return err
		}
		pieces = pieces[1:]
	}
	return p.alone(pieces)
}

// alone emits each block as a chunk of its own, after what is waiting.
func (p *paragraphChunker) alone(blocks []block) error {
	for _, piece := range blocks {
		if len(p.cur) > 0 {
			if err := p.flush(); err != nil {
				return err
			}
		}
		p.push(piece)
		p.hasBody = true
		if err := p.flush(); err != nil {
			return err
		}
	}
	return nil
}

// cost is how many characters b adds to the chunk being built: its text, and the blank
// space before it unless it starts the chunk. The chunk's text is exactly these.
func (p *paragraphChunker) cost(b block) int {
	if len(p.cur) == 0 {
		return runeLen(b.text)
	}
	return runeLen(b.gap) + runeLen(b.text)
}

func (p *paragraphChunker) push(b block) {
	p.curSize += p.cost(b)
	p.cur = append(p.cur, b)
	var path []string
	for _, h := range p.headings {
		if h != "" {
			path = append(path, h)
		}
	}
	p.paths = append(p.paths, path)
}

// joins says whether the section heading h starts goes on in the chunk being built: the
// chunk is under minSection, and the two share a heading (sections of different top-level
// headings, two entries of a bestiary say, keep chunks of their own).
func (p *paragraphChunker) joins(h block) bool {
	if p.curSize >= p.minSection {
		return false
	}
	path := commonPath(p.paths)
	var parent []string
	for _, t := range p.headings[:h.heading-1] {
		if t != "" {
			parent = append(parent, t)
		}
	}
	return len(path) == 0 || len(commonPath([][]string{path, parent})) > 0
}

// commonPath is the heading path blocks share: a chunk spanning sections sits under it.
func commonPath(paths [][]string) []string {
	if len(paths) == 0 {
		return nil
	}
	path := paths[0]
	for _, q := range paths[1:] {
		k := 0
		for k < len(path) && k < len(q) && path[k] == q[k] {
			k++
		}
		path = path[:k]
	}
	return path
}

// flush emits the chunk being built. Headings at its end that wait for a body (the chunk
// held small sections and the next body does not fit) stay for the next chunk, with their
// body.
func (p *paragraphChunker) flush() error {
	if len(p.cur) == 0 {
		return nil
	}
	n := len(p.cur)
	if p.hasBody {
		for n > 1 && p.cur[n-1].heading > 0 {
			n--
		}
	}
	var sb strings.Builder
	for i, b := range p.cur[:n] {
		if i > 0 {
			sb.WriteString(b.gap)
		}
		sb.WriteString(b.text)
	}
	path := commonPath(p.paths[:n])
	c := Chunk{Start: p.cur[0].start, End: p.cur[n-1].end(), Heading: strings.Join(path, " > "), Text: sb.String()}
	rest, restPaths := p.cur[n:], p.paths[n:]
	p.cur, p.paths, p.curSize, p.hasBody = nil, nil, 0, false
	for i, b := range rest {
		p.curSize += p.cost(b)
		p.cur = append(p.cur, b)
		p.paths = append(p.paths, restPaths[i])
	}
	return p.emit(c)
}

// splitLong cuts a paragraph longer than limit characters into pieces of at most limit,
// between sentences where it can, else between words, else anywhere.
func splitLong(b block, limit int) []block {
	var out []block
	text, start := b.text, b.start
	for n := runeLen(text); n > limit; {
		cut := cutPoint(text, limit)
		piece := strings.TrimRightFunc(text[:cut], unicode.IsSpace)
		if piece != "" {
			out = append(out, block{start: start, text: piece, gap: "\n"})
		}
		rest := text[cut:]
		trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
		n -= runeLen(text[:cut]) + runeLen(rest[:len(rest)-len(trimmed)])
		start += int64(cut + len(rest) - len(trimmed))
		text = trimmed
	}
	if text != "" {
		out = append(out, block{start: start, text: text, gap: "\n"})
	}
	if len(out) > 0 {
		out[0].gap = b.gap
	}
	return out
}

// cutPoint returns the byte offset at which to cut text so that the head holds at most
// limit characters: after the last sentence end, else the last space, else at limit.
func cutPoint(text string, limit int) int {
	end, n := 0, 0
	for end < len(text) && n < limit {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
		n++
	}
	head := text[:end]
	best := -1
	for _, sep := range []string{". ", "! ", "? ", ".\n", "!\n", "?\n", "\n"} {
		if i := strings.LastIndex(head, sep); i >= 0 && i+len(sep) > best {
			best = i + len(sep)
		}
	}
	if best > len(head)/3 {
		return best
	}
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i > len(head)/3 {
		return i + 1
	}
	return end
}

// fixedChunker implements the Fixed strategy over the stream of blocks.
type fixedChunker struct {
	size, overlap int // characters
	emit          func(Chunk) error
	buf           strings.Builder
	text          string // buf's content once read
	base          int64  // offset of text[0] in the document
	started       bool
}

func (f *fixedChunker) add(b block) error {
	if !f.started {
		f.started = true
		f.base = b.start
	} else {
		f.buf.WriteString(b.gap)
	}
	f.buf.WriteString(b.text)
	// Emit windows while more than two windows are buffered, so the last one can still
	// end at a space.
	if f.buf.Len() > 8*f.size+maxBlock {
		return f.flush(false)
	}
	return nil
}

// flush emits every full window; at the end (final) it emits the rest too.
func (f *fixedChunker) flush(final bool) error {
	text := f.buf.String()
	f.buf.Reset()
	pos := 0
	for pos < len(text) {
		end, n := pos, 0
		for end < len(text) && n < f.size {
			_, size := utf8.DecodeRuneInString(text[end:])
			end += size
			n++
		}
		if end == len(text) && !final {
			break // wait for more text
		}
		if end < len(text) {
			// End at a space when one is in the last fifth of the window.
			if i := strings.LastIndexFunc(text[pos:end], unicode.IsSpace); i >= 0 && runeLen(text[pos:pos+i]) >= f.size*4/5 {
				end = pos + i + 1
			}
		}
		window := text[pos:end]
		lead := len(window) - len(strings.TrimLeftFunc(window, unicode.IsSpace))
		body := strings.TrimRightFunc(window[lead:], unicode.IsSpace)
		if body != "" {
			start := f.base + int64(pos+lead)
			if err := f.emit(Chunk{Start: start, End: start + int64(len(body)), Text: body}); err != nil {
				return err
			}
		}
		if end == len(text) {
			pos = end
			break
		}
		// Step back overlap characters for the next window, always moving forward.
		next, back := end, 0
		for back < f.overlap && next > pos+1 {
			_, size := utf8.DecodeLastRuneInString(text[pos:next])
			next -= size
			back++
		}
		if next <= pos {
			next = end
		}
		pos = next
	}
	f.base += int64(pos)
	f.buf.WriteString(text[pos:])
	return nil
}
