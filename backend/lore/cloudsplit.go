package lore

import (
	"strings"
	"unicode/utf8"
)

// The cloud's hydration job (components/vector_store/scripts/data_ingest.py in the
// guidance) cuts text with LangChain's RecursiveCharacterTextSplitter:
//
//	RecursiveCharacterTextSplitter(chunk_size=1024, chunk_overlap=0,
//	    separators=["\n\n", "\n", ".", "!", "?", ",", " ", ""])
//
// with LangChain's defaults: the separator kept at the start of the piece that follows it,
// lengths in Python characters (code points), and each chunk stripped of white space.
// This file is that algorithm, step for step, so Cloud previews are what the cloud indexes.
var cloudSeparators = []string{"\n\n", "\n", ".", "!", "?", ",", " ", ""}

// cloudChunks cuts text with the cloud rule and emits each chunk with its offsets.
func cloudChunks(text string, out func(Chunk) error) error {
	pos := 0
	for _, c := range recursiveSplit(text, cloudSeparators, CloudChunkSize, 0) {
		i := strings.Index(text[pos:], c)
		if i < 0 { // cannot happen: chunks are stripped slices of the text, in order
			i = 0
		}
		start := pos + i
		pos = start + len(c)
		if err := out(Chunk{Start: int64(start), End: int64(pos), Text: c}); err != nil {
			return err
		}
	}
	return nil
}

func pyLen(s string) int { return utf8.RuneCountInString(s) }

// recursiveSplit is RecursiveCharacterTextSplitter._split_text.
func recursiveSplit(text string, separators []string, size, overlap int) []string {
	var final []string
	separator := separators[len(separators)-1]
	var next []string
	for i, s := range separators {
		if s == "" {
			separator = s
			break
		}
		if strings.Contains(text, s) {
			separator = s
			next = separators[i+1:]
			break
		}
	}
	splits := splitKeepStart(text, separator)
	var good []string
	for _, s := range splits {
		if pyLen(s) < size {
			good = append(good, s)
			continue
		}
		if len(good) > 0 {
			final = append(final, mergeSplits(good, size, overlap)...)
			good = nil
		}
		if len(next) == 0 {
			final = append(final, s)
		} else {
			final = append(final, recursiveSplit(s, next, size, overlap)...)
		}
	}
	if len(good) > 0 {
		final = append(final, mergeSplits(good, size, overlap)...)
	}
	return final
}

// splitKeepStart is _split_text_with_regex with keep_separator=True: the separator starts
// the piece after it; empty pieces are dropped. An empty separator splits into characters.
func splitKeepStart(text, sep string) []string {
	var out []string
	if sep == "" {
		for _, r := range text {
			out = append(out, string(r))
		}
		return out
	}
	parts := strings.Split(text, sep)
	if parts[0] != "" {
		out = append(out, parts[0])
	}
	for _, p := range parts[1:] {
		out = append(out, sep+p)
	}
	return out
}

// mergeSplits is TextSplitter._merge_splits with an empty separator (keep_separator=True).
func mergeSplits(splits []string, size, overlap int) []string {
	var docs, cur []string
	total := 0
	for _, d := range splits {
		n := pyLen(d)
		if total+n > size {
			if len(cur) > 0 {
				if doc := pyStrip(strings.Join(cur, "")); doc != "" {
					docs = append(docs, doc)
				}
				for total > overlap || (total+n > size && total > 0) {
					total -= pyLen(cur[0])
					cur = cur[1:]
				}
			}
		}
		cur = append(cur, d)
		total += n
	}
	if doc := pyStrip(strings.Join(cur, "")); doc != "" {
		docs = append(docs, doc)
	}
	return docs
}

// pyStrip is Python's str.strip(): it also strips \x1c-\x1f, which Go's unicode.IsSpace keeps.
func pyStrip(s string) string { return strings.TrimFunc(s, isPySpace) }

func isPySpace(r rune) bool {
	switch {
	case r == ' ', r >= '\t' && r <= '\r', r >= 0x1c && r <= 0x1f, r == 0x85, r == 0xa0, r == 0x1680,
		r >= 0x2000 && r <= 0x200a, r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
		return true
	}
	return false
}
