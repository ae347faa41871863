package dataset

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// classify tells which format a JSON object looks like, from its keys alone ("" if none).
func classify(obj *node) Format {
	if obj.has("schemaVersion") {
		return FormatBedrockConversation
	}
	if msgs, ok := obj.get("messages"); ok {
		// The turns' content tells the message formats apart; the system prompt only when no
		// turn has content.
		if msgs.kind == kindArray {
			for i := range msgs.kids {
				if mm := &msgs.kids[i]; mm.kind == kindObject {
					if c, ok := mm.get("content"); ok {
						switch c.kind {
						case kindArray:
							return FormatBedrockConversation
						case kindString:
							return FormatClaudeMessages
						}
					}
				}
			}
		}
		if sys, ok := obj.get("system"); ok && sys.kind == kindArray {
			return FormatBedrockConversation
		}
		return FormatClaudeMessages
	}
	if obj.has("prompt") || obj.has("completion") {
		return FormatPromptCompletion
	}
	if obj.has("input") || obj.has("output") {
		return FormatInputOutput
	}
	return ""
}

// decoder turns parsed JSON lines into Records, reporting every shape problem it meets with
// the line and field path. It stops at nothing: a bad turn is reported and the next is read.
type decoder struct {
	rep      *problems
	reserved []string
	// reservedDoc names the document that reserves the words, for the message.
	reservedDoc string
	// media checks converse image and video blocks by the Amazon Nova rules; micro refuses
	// them (Nova Micro reads text only).
	media, micro bool
	// noteJoins reports converse content blocks joined into one text (imports keep one text a turn).
	noteJoins bool
}

func jsonType(v *node) string {
	if v == nil {
		return "null"
	}
	switch v.kind {
	case kindNull:
		return "null"
	case kindString:
		return "a string"
	case kindNumber:
		return "a number"
	case kindBool:
		return "true/false"
	case kindArray:
		return "a list"
	case kindObject:
		return "an object"
	}
	return "unknown"
}

// extraKeys warns of keys outside allowed, in sorted order so reports are stable. Every
// format judges them the same way: a warning, as AWS's validators ignore them.
func (d *decoder) extraKeys(line int, prefix string, obj *node, allowed []string, f Format) {
	var extra []string
	for _, k := range obj.keys {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) == 0 {
		return
	}
	slices.Sort(extra)
	extra = slices.Compact(extra)
	for _, k := range extra {
		k = strings.Clone(k) // it may share the line's bytes, which the next line reuses
		field := k
		if prefix != "" {
			field = prefix + "." + k
		}
		d.rep.warnf(line, field, "unexpected key %q: %s records have only %s; Bedrock may reject or ignore it", k, f, strings.Join(allowed, ", "))
	}
}

// text reads a required string field; ok is false when it is missing or not a string.
func (d *decoder) text(line int, field string, v *node, present bool) (string, bool) {
	if !present {
		d.rep.errorf(line, field, "missing")
		return "", false
	}
	if v.kind != kindString {
		d.rep.errorf(line, field, "must be a string, not %s", jsonType(v))
		return "", false
	}
	s := v.str
	d.checkReserved(line, field, s)
	return s, true
}

func (d *decoder) checkReserved(line int, field, s string) {
	for _, w := range d.reserved {
		if containsFold(s, w) {
			if d.reservedDoc != "" {
				d.rep.errorf(line, field, "contains %q, a reserved keyword for this base model (in any letter case; %s); reword it", w, d.reservedDoc)
			} else {
				d.rep.errorf(line, field, "contains %q, a reserved keyword for this base model (in any letter case); reword it", w)
			}
		}
	}
}

// haikuTurnMarkers are Claude's turn markers: AWS's Claude 3 Haiku data validator rejects a
// system prompt or turn holding one (compared as written).
var haikuTurnMarkers = []string{"\nHuman:", "\nAssistant:"}

func checkTurnMarkers(rep *problems, line int, field, s string) {
	for _, w := range haikuTurnMarkers {
		if strings.Contains(s, w) {
			rep.errorf(line, field, "contains %q (a line starting %q), a turn marker Claude reserves: AWS's Claude 3 Haiku data validator rejects it; reword the line", w, w[1:])
		}
	}
}

// containsFold reports whether s contains the ASCII word w, ignoring ASCII letter case.
// Words ending in a symbol (every Nova keyword: "User:", "<image>", "[EOS]") are found by
// searching for that symbol, which is rare in prose, with a fast byte search.
func containsFold(s, w string) bool {
	n := len(w)
	if n == 0 {
		return true
	}
	if last := w[n-1]; lowerASCII(last) == last && (last < 'a' || last > 'z') {
		for off := n - 1; off < len(s); {
			i := strings.IndexByte(s[off:], last)
			if i < 0 {
				return false
			}
			end := off + i + 1
			if end >= n && equalFoldASCII(s[end-n:end], w) {
				return true
			}
			off = end
		}
		return false
	}
	for i := 0; i+n <= len(s); i++ {
		if equalFoldASCII(s[i:i+n], w) {
			return true
		}
	}
	return false
}

func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(b); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// record decodes obj as format f. ok is false when no record could be made of it at all
// (no turns could be read); every problem has been reported either way.
func (d *decoder) record(line int, obj *node, f Format) (rec Record, ok bool) {
	rec.Format = f
	switch f {
	case FormatPromptCompletion, FormatInputOutput:
		return d.pair(line, obj, f)
	case FormatClaudeMessages:
		return d.claude(line, obj)
	case FormatBedrockConversation:
		return d.converse(line, obj)
	}
	return rec, false
}

func (d *decoder) pair(line int, obj *node, f Format) (Record, bool) {
	in, out := f.pairKeys()
	d.extraKeys(line, "", obj, []string{in, out}, f)
	inV, inOK := obj.get(in)
	outV, outOK := obj.get(out)
	prompt, ok1 := d.text(line, in, inV, inOK)
	reply, ok2 := d.text(line, out, outV, outOK)
	if ok1 && prompt == "" {
		d.rep.errorf(line, in, "is empty")
	}
	if ok2 && reply == "" {
		d.rep.errorf(line, out, "is empty")
	}
	rec := Record{Format: f, Messages: []Message{{Role: RoleUser, Content: prompt}, {Role: RoleAssistant, Content: reply}}}
	return rec, ok1 || ok2
}

func (d *decoder) claude(line int, obj *node) (Record, bool) {
	rec := Record{Format: FormatClaudeMessages}
	d.extraKeys(line, "", obj, []string{"system", "messages"}, FormatClaudeMessages)
	if v, ok := obj.get("system"); ok {
		if v.kind == kindString {
			d.checkReserved(line, "system", v.str)
			checkTurnMarkers(d.rep, line, "system", v.str)
			rec.System = v.str
		} else {
			d.rep.errorf(line, "system", "must be a string, not %s", jsonType(v))
		}
	}
	arr, ok := d.messages(line, obj)
	if !ok {
		return rec, false
	}
	rec.Messages = make([]Message, 0, len(arr))
	for i := range arr {
		field := turnField(i, "")
		m := &arr[i]
		if m.kind != kindObject {
			d.rep.errorf(line, field, "a turn must be an object with role and content, not %s", jsonType(m))
			rec.Messages = append(rec.Messages, Message{}) // keeps the later turns' indexes
			continue
		}
		d.extraKeys(line, field, m, turnKeys, FormatClaudeMessages)
		role, _ := d.role(line, field, m)
		msg := Message{Role: role}
		cf := turnField(i, ".content")
		if c, present := m.get("content"); present {
			if c.kind == kindArray {
				d.rep.errorf(line, cf, "must be a string in claude-messages records (a list of content blocks is the bedrock-conversation format)")
			} else if s, ok := d.text(line, cf, c, true); ok {
				if s == "" {
					// AWS's Claude 3 Haiku data validator accepts an empty turn.
					d.rep.warnf(line, cf, "is empty; an empty turn teaches the model nothing")
				}
				checkTurnMarkers(d.rep, line, cf, s)
				msg.Content = s
			}
		} else {
			d.rep.errorf(line, cf, "missing")
		}
		rec.Messages = append(rec.Messages, msg)
	}
	return rec, true
}

func (d *decoder) messages(line int, obj *node) ([]node, bool) {
	v, ok := obj.get("messages")
	if !ok {
		d.rep.errorf(line, "messages", "missing")
		return nil, false
	}
	if v.kind != kindArray {
		d.rep.errorf(line, "messages", "must be a list of turns, not %s", jsonType(v))
		return nil, false
	}
	arr := v.kids
	if len(arr) == 0 {
		d.rep.errorf(line, "messages", "has no turns; a record needs a user turn and the assistant's reply")
		return nil, false
	}
	return arr, true
}

func (d *decoder) role(line int, field string, m *node) (string, bool) {
	v, ok := m.get("role")
	if !ok {
		d.rep.errorf(line, field+".role", "missing")
		return "", false
	}
	if v.kind != kindString {
		d.rep.errorf(line, field+".role", "must be a string, not %s", jsonType(v))
		return "", false
	}
	return v.str, true
}

// mediaKeys are converse content blocks that Bedrock reads but NPC Studio does not check.
var (
	mediaKeys = []string{"image", "video", "document"}
	blockKeys = append([]string{"text"}, mediaKeys...)
)

// blocks reads a list of converse content blocks and joins their text.
func (d *decoder) blocks(line, turn int, role string, v *node) (text string, ok bool) {
	field := turnField(turn, ".content")
	if v.kind != kindArray {
		d.rep.errorf(line, field, "must be a list of content blocks like [{\"text\": \"...\"}], not %s", jsonType(v))
		return "", false
	}
	arr := v.kids
	if len(arr) == 0 {
		d.rep.errorf(line, field, "has no content blocks")
		return "", false
	}
	var parts []string
	media := false
	for j := range arr {
		bf := blockField(turn, j, "")
		obj := &arr[j]
		if obj.kind != kindObject {
			d.rep.errorf(line, bf, "a content block must be an object like {\"text\": \"...\"}, not %s", jsonType(obj))
			continue
		}
		hasMedia := false
		for _, k := range mediaKeys {
			if m, ok := obj.get(k); ok {
				hasMedia = true
				if d.media && k != "document" {
					d.checkMedia(line, bf+"."+k, k, role, m)
				} else {
					d.rep.warnf(line, bf+"."+k, "%s content is not checked by NPC Studio; Bedrock checks it when the job starts", k)
				}
			}
		}
		media = media || hasMedia
		d.extraKeys(line, bf, obj, blockKeys, FormatBedrockConversation)
		tv, hasText := obj.get("text")
		if !hasText {
			if !hasMedia {
				d.rep.errorf(line, bf+".text", "missing")
			}
			continue
		}
		if s, ok := d.text(line, blockField(turn, j, ".text"), tv, true); ok {
			parts = append(parts, s)
		}
	}
	if d.media {
		d.countMedia(line, field, arr)
	}
	text = strings.Join(parts, "\n")
	if text == "" && !media {
		d.rep.errorf(line, field, "has no text")
	}
	if d.noteJoins && len(parts) > 1 {
		d.rep.warnf(line, field, "%d text blocks were joined into one text, separated by line breaks", len(parts))
	}
	return text, true
}

func (d *decoder) converse(line int, obj *node) (Record, bool) {
	rec := Record{Format: FormatBedrockConversation}
	d.extraKeys(line, "", obj, []string{"schemaVersion", "system", "messages"}, FormatBedrockConversation)
	if v, ok := obj.get("schemaVersion"); ok {
		if v.kind == kindString {
			rec.SchemaVersion = v.str
		} else {
			d.rep.errorf(line, "schemaVersion", "must be a string such as %q, not %s", ConversationSchemaVersion, jsonType(v))
		}
	}
	if v, ok := obj.get("system"); ok {
		if v.kind == kindArray {
			var parts []string
			for i := range v.kids {
				bf := at("system", i)
				bo := &v.kids[i]
				if bo.kind != kindObject {
					d.rep.errorf(line, bf, "must be an object like {\"text\": \"...\"}, not %s", jsonType(bo))
					continue
				}
				d.extraKeys(line, bf, bo, []string{"text"}, FormatBedrockConversation)
				tv, present := bo.get("text")
				if s, ok := d.text(line, bf+".text", tv, present); ok {
					parts = append(parts, s)
				}
			}
			rec.System = strings.Join(parts, "\n")
		} else {
			d.rep.errorf(line, "system", "must be a list like [{\"text\": \"...\"}], not %s", jsonType(v))
		}
	}
	arr, ok := d.messages(line, obj)
	if !ok {
		return rec, false
	}
	rec.Messages = make([]Message, 0, len(arr))
	for i := range arr {
		field := turnField(i, "")
		m := &arr[i]
		if m.kind != kindObject {
			d.rep.errorf(line, field, "a turn must be an object with role and content, not %s", jsonType(m))
			rec.Messages = append(rec.Messages, Message{})
			continue
		}
		d.extraKeys(line, field, m, turnKeys, FormatBedrockConversation)
		role, _ := d.role(line, field, m)
		msg := Message{Role: role}
		if c, present := m.get("content"); present {
			msg.Content, _ = d.blocks(line, i, role, c)
		} else {
			d.rep.errorf(line, turnField(i, ".content"), "missing")
		}
		rec.Messages = append(rec.Messages, msg)
	}
	return rec, true
}

// checkTurns reports turn order and roles for the message formats: user first, then strictly
// alternating, and the assistant's reply last.
func checkTurns(rep *problems, line int, rec Record) {
	n := len(rec.Messages)
	if n == 0 {
		return // already reported while decoding
	}
	if n < 2 {
		rep.errorf(line, "messages", "has %d turn; a record needs a user turn and the assistant's reply", n)
	}
	lastReported := false
	for i, m := range rec.Messages {
		want := RoleUser
		if i%2 == 1 {
			want = RoleAssistant
		}
		field := turnField(i, ".role")
		switch {
		case m.Role == "":
			// missing or not a string: already reported
		case m.Role == "system":
			rep.errorf(line, field, "role must be user or assistant; put the system prompt in the record's system field")
		case m.Role != RoleUser && m.Role != RoleAssistant:
			rep.errorf(line, field, "role must be user or assistant, not %q", m.Role)
		case m.Role != want:
			rep.errorf(line, field, "is %s but turn %d should be %s: turns alternate user, assistant, starting with user", m.Role, i+1, want)
		default:
			continue
		}
		if i == n-1 {
			lastReported = true
		}
	}
	if last := rec.Messages[n-1]; n >= 2 && !lastReported && last.Role != RoleAssistant {
		rep.errorf(line, at("messages", n-1)+".role", "the last turn must be the assistant's reply")
	}
}

// syntaxProblem describes a JSON parse error with its 1-based column (in characters).
func syntaxProblem(line []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset)
		if off > len(line) {
			off = len(line)
		}
		col := utf8.RuneCount(line[:off])
		if col == 0 {
			col = 1
		}
		return "invalid JSON at column " + itoa(col) + ": " + se.Error()
	}
	return "invalid JSON: " + err.Error()
}

func itoa(n int) string { return count(int64(n)) }

// Amazon Nova's media rules, as AWS's Nova dataset validator (nova_ft_dataset_validator.py)
// and the Nova user guide state them.
var (
	novaImageFormats = []string{"jpeg", "png", "gif", "webp"}
	novaVideoFormats = []string{"mov", "mkv", "mp4", "webm"}
)

const novaMaxImages = 10

// checkMedia checks one image or video block: only in user turns, a known format, and an
// s3:// source.
func (d *decoder) checkMedia(line int, field, k, role string, m *node) {
	if d.micro {
		d.rep.errorf(line, field, "Nova Micro reads text only: remove the %s or tune Nova Lite or Pro", k)
		return
	}
	if role == RoleAssistant {
		d.rep.errorf(line, field, "an assistant turn cannot hold an %s: Nova replies in text only", k)
	}
	if m.kind != kindObject {
		d.rep.errorf(line, field, "must be an object with format and source, not %s", jsonType(m))
		return
	}
	formats := novaImageFormats
	if k == "video" {
		formats = novaVideoFormats
	}
	if f, ok := m.get("format"); !ok {
		d.rep.errorf(line, field+".format", "missing")
	} else if f.kind != kindString {
		d.rep.errorf(line, field+".format", "must be a string, not %s", jsonType(f))
	} else if !slices.Contains(formats, strings.ToLower(f.str)) {
		d.rep.errorf(line, field+".format", "%q is not a %s format Nova reads (%s)", f.str, k, strings.Join(formats, ", "))
	}
	uri := field + ".source.s3Location.uri"
	src, ok := m.get("source")
	if !ok || src.kind != kindObject {
		d.rep.errorf(line, field+".source", "must be {\"s3Location\": {\"uri\": \"s3://...\"}}")
		return
	}
	loc, ok := src.get("s3Location")
	if !ok || loc.kind != kindObject {
		d.rep.errorf(line, field+".source.s3Location", "must be {\"uri\": \"s3://...\"}")
		return
	}
	u, ok := loc.get("uri")
	switch {
	case !ok:
		d.rep.errorf(line, uri, "missing")
	case u.kind != kindString:
		d.rep.errorf(line, uri, "must be a string, not %s", jsonType(u))
	case !strings.HasPrefix(u.str, "s3://"):
		d.rep.errorf(line, uri, "must be an s3:// URI in the dataset's bucket; Bedrock does not fetch %q", u.str)
	}
}

// countMedia checks how many images and videos one turn holds.
func (d *decoder) countMedia(line int, field string, blocks []node) {
	images, videos := 0, 0
	for i := range blocks {
		if blocks[i].kind != kindObject {
			continue
		}
		if blocks[i].has("image") {
			images++
		}
		if blocks[i].has("video") {
			videos++
		}
	}
	if d.micro {
		return // each block is already reported
	}
	if images > novaMaxImages {
		d.rep.errorf(line, field, "has %d images; Nova takes at most %d a turn", images, novaMaxImages)
	}
	if videos > 1 {
		d.rep.errorf(line, field, "has %d videos; Nova takes one", videos)
	}
	if images > 0 && videos > 0 {
		d.rep.errorf(line, field, "holds images and a video; Nova takes one kind of media")
	}
}

// Field paths of the first turns and blocks, made once: every record names them.
var (
	turnKeys    = []string{"role", "content"}
	turnFields  [64][3]string // messages[i], messages[i].content, messages[i].role
	blockFields [64][8][2]string
)

func init() {
	for i := range turnFields {
		t := at("messages", i)
		turnFields[i] = [3]string{t, t + ".content", t + ".role"}
		for j := range blockFields[i] {
			b := at(t+".content", j)
			blockFields[i][j] = [2]string{b, b + ".text"}
		}
	}
}

// turnField is messages[i] and suffix: "", ".content" or ".role".
func turnField(i int, suffix string) string {
	if i < len(turnFields) {
		switch suffix {
		case "":
			return turnFields[i][0]
		case ".content":
			return turnFields[i][1]
		case ".role":
			return turnFields[i][2]
		}
	}
	return at("messages", i) + suffix
}

// blockField is messages[i].content[j] and suffix: "" or ".text".
func blockField(i, j int, suffix string) string {
	if i < len(blockFields) && j < len(blockFields[i]) {
		switch suffix {
		case "":
			return blockFields[i][j][0]
		case ".text":
			return blockFields[i][j][1]
		}
	}
	return at(turnField(i, ".content"), j) + suffix
}

// notSupervised tells why a record that looks like training data is not supervised
// fine-tuning data, naming the Bedrock job it is for ("" when it is supervised data or
// not recognisable at all). Reinforcement fine-tuning records carry reference_answer
// (https://docs.aws.amazon.com/bedrock/latest/userguide/rft-prepare-data.html); distillation
// prompts are conversations with no reply, which Bedrock has the teacher model write
// (https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-1.html).
func notSupervised(obj *node) string {
	if obj.has("reference_answer") {
		return "not supervised data: a record with reference_answer is for reinforcement fine-tuning jobs " +
			"(customization type REINFORCEMENT_FINE_TUNING, e.g. on amazon.nova-2-lite-v1:0:256k), where a grader " +
			"scores the model's own replies; NPC Studio prepares supervised fine-tuning data, whose records end with the reply to learn"
	}
	msgs, ok := obj.get("messages")
	if !ok || msgs.kind != kindArray || len(msgs.kids) == 0 {
		return ""
	}
	for i := range msgs.kids {
		m := &msgs.kids[i]
		if m.kind != kindObject {
			return ""
		}
		role, ok := m.get("role")
		if !ok || role.kind != kindString || role.str != RoleUser {
			return ""
		}
	}
	if !obj.has("schemaVersion") && classify(obj) != FormatBedrockConversation {
		return ""
	}
	return "not supervised data: a record of prompts with no reply is for distillation jobs (customization type DISTILLATION), " +
		"where Bedrock has the teacher model write the replies; for fine-tuning, end each record with the assistant's reply to learn"
}
