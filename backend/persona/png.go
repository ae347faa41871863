package persona

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"strings"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// pngChunk is one chunk of a PNG file; raw spans the whole chunk (length, type, data, CRC).
type pngChunk struct {
	typ  string
	data []byte
	raw  []byte
	at   int
}

// readChunks splits a PNG into chunks, up to and including IEND, checking the structure
// (not the pixels). Errors name the chunk and its byte offset.
func readChunks(b []byte) ([]pngChunk, error) {
	if !bytes.HasPrefix(b, pngSignature) {
		return nil, errors.New("not a PNG image")
	}
	var chunks []pngChunk
	off := len(pngSignature)
	for {
		if off == len(b) {
			return nil, errors.New("the PNG ends without an IEND chunk: the file is truncated")
		}
		if len(b)-off < 12 {
			return nil, fmt.Errorf("the PNG is truncated inside the chunk at byte %d", off)
		}
		n := binary.BigEndian.Uint32(b[off:])
		typ := string(b[off+4 : off+8])
		if !isChunkType(typ) {
			return nil, fmt.Errorf("the PNG is corrupt at byte %d: %q is not a chunk type", off, typ)
		}
		if n > 1<<31-1 {
			return nil, fmt.Errorf("PNG chunk %s at byte %d declares %d bytes, over the PNG limit of 2 GB", typ, off, n)
		}
		end := off + 12 + int(n)
		if end > len(b) {
			return nil, fmt.Errorf("PNG chunk %s at byte %d declares %d bytes but the file has only %d left: truncated or corrupt", typ, off, n, len(b)-off-12)
		}
		c := pngChunk{typ: typ, data: b[off+8 : off+8+int(n)], raw: b[off:end], at: off}
		if len(chunks) == 0 && typ != "IHDR" {
			return nil, fmt.Errorf("the PNG is corrupt: it starts with chunk %s, not IHDR", typ)
		}
		chunks = append(chunks, c)
		off = end
		if typ == "IEND" {
			return chunks, nil
		}
	}
}

func isChunkType(t string) bool {
	for i := 0; i < len(t); i++ {
		c := t[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// cardKeyword returns "chara" or "ccv3" when c is a tEXt chunk holding a card.
func cardKeyword(c pngChunk) (keyword, text string, ok bool) {
	if c.typ != "tEXt" {
		return "", "", false
	}
	k, v, found := bytes.Cut(c.data, []byte{0})
	if !found {
		return "", "", false
	}
	switch kw := strings.ToLower(string(k)); kw {
	case "chara", "ccv3":
		return kw, string(v), true
	}
	return "", "", false
}

func importPNG(file string, data []byte) (ImportResult, error) {
	chunks, err := readChunks(data)
	if err != nil {
		return ImportResult{}, &CardError{File: file, Reason: err.Error()}
	}
	cards := map[string]pngChunk{}
	avatar := bytes.NewBuffer(make([]byte, 0, len(data)))
	avatar.Write(pngSignature)
	for _, c := range chunks {
		if kw, _, ok := cardKeyword(c); ok {
			if _, dup := cards[kw]; !dup {
				cards[kw] = c
			}
			continue
		}
		avatar.Write(c.raw)
	}
	var order []string
	for _, kw := range []string{"ccv3", "chara"} {
		if _, ok := cards[kw]; ok {
			order = append(order, kw)
		}
	}
	if len(order) == 0 {
		return ImportResult{}, &CardError{File: file, Reason: "this PNG carries no character card (no chara or ccv3 text chunk)"}
	}
	var firstErr error
	var warnings []string
	for _, kw := range order {
		res, err := cardFromChunk(file, cards[kw])
		if err != nil {
			if firstErr == nil {
				firstErr = err
				warnings = append(warnings, fmt.Sprintf("the %s chunk could not be read (%v); the %s chunk was imported instead", kw, err, "chara"))
			}
			continue
		}
		if firstErr != nil {
			res.Warnings = append(warnings, res.Warnings...)
		}
		res.PNG = true
		res.Persona.Avatar = avatar.Bytes()
		return res, nil
	}
	return ImportResult{}, firstErr
}

func cardFromChunk(file string, c pngChunk) (ImportResult, error) {
	kw, text, _ := cardKeyword(c)
	field := "PNG chunk " + kw
	if len(c.data) > MaxCardChunk {
		return ImportResult{}, &CardError{File: file, Field: field, Reason: fmt.Sprintf("is %d MB; a card chunk is at most %d MB", len(c.data)>>20, MaxCardChunk>>20)}
	}
	want := binary.BigEndian.Uint32(c.raw[len(c.raw)-4:])
	if crc32.ChecksumIEEE(c.raw[4:len(c.raw)-4]) != want {
		return ImportResult{}, &CardError{File: file, Field: field, Reason: "is corrupt: its checksum does not match"}
	}
	js, err := decodeChunkText(text)
	if err != nil {
		return ImportResult{}, &CardError{File: file, Field: field, Reason: err.Error()}
	}
	return parseCard(where{file: file, chunk: field}, js)
}

// decodeChunkText decodes a card chunk's base64, tolerating line breaks and missing padding;
// a few old tools wrote the JSON itself, which is accepted too.
func decodeChunkText(text string) ([]byte, error) {
	if t := strings.TrimSpace(text); strings.HasPrefix(t, "{") {
		return []byte(t), nil
	}
	clean := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, text)
	if clean == "" {
		return nil, errors.New("is empty")
	}
	out, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		if raw, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err2 == nil {
			return raw, nil
		}
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("is not valid base64 (bad data at byte %d)", int64(ce))
		}
		return nil, fmt.Errorf("is not valid base64: %v", err)
	}
	return out, nil
}

type textChunk struct {
	keyword string
	data    []byte
}

// replaceCardChunks returns img with its chara and ccv3 chunks replaced by texts (base64),
// placed just before IEND.
func replaceCardChunks(img []byte, texts []textChunk) ([]byte, error) {
	chunks, err := readChunks(img)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(pngSignature)
	for _, c := range chunks {
		if _, _, ok := cardKeyword(c); ok {
			continue
		}
		if c.typ == "IEND" {
			for _, t := range texts {
				payload := append([]byte(t.keyword+"\x00"), base64.StdEncoding.AppendEncode(nil, t.data)...)
				writeChunk(&out, "tEXt", payload)
			}
		}
		out.Write(c.raw)
	}
	return out.Bytes(), nil
}

func writeChunk(w *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	w.WriteString(typ)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// placeholderPNG draws a small square in a colour derived from the name, for personas
// exported without an avatar.
func placeholderPNG(name string) []byte {
	h := fnv.New32a()
	h.Write([]byte(name))
	s := h.Sum32()
	fill := color.NRGBA{R: 64 + uint8(s)%128, G: 64 + uint8(s>>8)%128, B: 64 + uint8(s>>16)%128, A: 255}
	const size = 64
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			img.SetNRGBA(x, y, fill)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(fmt.Sprintf("persona: encode placeholder: %v", err)) // in-memory encode of a valid image
	}
	return b.Bytes()
}
