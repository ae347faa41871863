package dataset

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// Lines are read into a reused buffer: a problem naming a key of an early line must keep
// that name after thousands of later lines.
func TestProblemsKeepTheirFieldsAfterLaterLines(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"prompt":"Where is the old lighthouse keeper?","completion":"Down by the north pier, past the market.","ground_truth":"pier"}` + "\n")
	for i := range 20000 {
		b.WriteString(`{"prompt":"Question number ` + itoa(i) + ` about the harbour","completion":"An answer long enough to pass, number ` + itoa(i) + `."}` + "\n")
	}
	rep, err := Validate(context.Background(), strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range rep.Warnings {
		if w.Line == 1 {
			found = true
			if w.Field != "ground_truth" || !strings.Contains(w.Message, `"ground_truth"`) {
				t.Errorf("line 1: field %q, message %q", w.Field, w.Message)
			}
		}
	}
	if !found {
		t.Fatalf("no warning for line 1: %+v", rep.Warnings)
	}
}

func TestParserReadsEscapesAndDuplicateKeys(t *testing.T) {
	p := newLineParser(true)
	n, err := p.parse([]byte(`{"a":"x\u00e9\n\"y","a":["s",1,true,null,{"k":"v"}],"b":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := n.get("a")
	if a.kind != kindArray || len(a.kids) != 5 || a.kids[0].str != "s" || a.kids[1].kind != kindNumber ||
		a.kids[2].kind != kindBool || a.kids[3].kind != kindNull || a.kids[4].keys[0] != "k" || a.kids[4].kids[0].str != "v" {
		t.Errorf("last duplicate not read as encoding/json does: %+v", a)
	}
	if n.kids[0].str != "xé\n\"y" {
		t.Errorf("escapes: %q", n.kids[0].str)
	}
	if b, ok := n.get("b"); !ok || b.kind != kindObject || len(b.keys) != 0 {
		t.Errorf("empty object: %+v", b)
	}
	for _, bad := range []string{`{"a":1} {}`, `{"a":}`, `{"a":1`, `[1,]`} {
		if _, err := p.parse([]byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "invalid character") && !strings.Contains(err.Error(), "unexpected end") {
			t.Errorf("%s: %v, want encoding/json's syntax error", bad, err)
		}
	}
}

func TestRuneCountMatchesTheStandardLibrary(t *testing.T) {
	for _, s := range []string{"", "a", "plain ascii text of some length", "é", "日本語のテキスト、少し長めに書く", "mixed é and 日本 and 🙂 emoji, long enough for words",
		strings.Repeat("ab€", 33), "bad \xff\xfe utf8 in the middle of a longer line", "\xc3", strings.Repeat("\x80", 17)} {
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
}
