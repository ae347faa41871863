package dataset

import (
	"context"
	"strings"
	"testing"
)

// TestJudgedAsAWSJudges holds 28 deliberately broken lines for Claude 3 Haiku and Amazon
// Nova: for each, the verdict of AWS's own validator (aws-samples/amazon-bedrock-samples:
// claude-haiku/DataValidation/data_validation.py, nova/understanding/dataset_validation/
// nova_ft_dataset_validator.py), the studio's verdict, and the problem that says why. Where
// the two differ the reason says so; docs/dataset-rules.md lists every rule with its source.
func TestJudgedAsAWSJudges(t *testing.T) {
	const (
		haiku = "anthropic.claude-3-haiku-20240307-v1:0"
		lite  = "amazon.nova-lite-v1:0"
		micro = "amazon.nova-micro-v1:0"
	)
	h := func(turns string) string {
		return `{"system":"You are Ada, the innkeeper.","messages":[` + turns + `]}`
	}
	u := func(s string) string { return `{"role":"user","content":"` + s + `"}` }
	a := func(s string) string { return `{"role":"assistant","content":"` + s + `"}` }
	n := func(turns string) string {
		return `{"schemaVersion":"bedrock-conversation-2024","messages":[` + turns + `]}`
	}
	nu := func(blocks string) string { return `{"role":"user","content":[` + blocks + `]}` }
	na := func(blocks string) string { return `{"role":"assistant","content":[` + blocks + `]}` }
	txt := func(s string) string { return `{"text":"` + s + `"}` }
	img := func(format, uri string) string {
		return `{"image":{"format":"` + format + `","source":{"s3Location":{"uri":"` + uri + `"}}}}`
	}
	vid := `{"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://bucket/clip.mp4"}}}}`
	q, r := "Where is the lighthouse keeper?", "Down by the north pier, past the market."
	long := func(n int) string { return strings.Repeat("ale ", n/4) }
	images := func(k int) string {
		s := txt("Who are they?")
		for range k {
			s += "," + img("png", "s3://bucket/face.png")
		}
		return s
	}

	// aws: "valid", "invalid" or "crash" (the script stops with a Python exception).
	// want: the studio's verdict; field and says: the problem that decides it (an error when
	// invalid, a warning when valid).
	cases := []struct {
		name, model, line, aws string
		valid                  bool
		field, says            string
	}{
		// Claude 3 Haiku
		{"haiku: not JSON", haiku, `{"messages": [`, "invalid", false, "", "invalid JSON"},
		{"haiku: one turn", haiku, h(u(q)), "invalid", false, "messages", "a record needs a user turn and the assistant's reply"},
		{"haiku: starts with the assistant", haiku, h(a(r) + "," + u(q)), "invalid", false, "messages[0].role", "should be user"},
		{"haiku: two user turns in a row", haiku, h(u(q) + "," + u(q) + "," + a(r)), "invalid", false, "messages[1].role", "should be assistant"},
		{"haiku: ends with the user", haiku, h(u(q) + "," + a(r) + "," + u(q)), "invalid", false, "messages[2].role", "the last turn must be the assistant's reply"},
		{"haiku: system role in the turns", haiku, h(`{"role":"system","content":"Be Ada."},` + u(q) + "," + a(r)), "invalid", false, "messages[0].role", "put the system prompt in the record's system field"},
		{"haiku: content is a number", haiku, h(u(q) + `,{"role":"assistant","content":42}`), "invalid", false, "messages[1].content", "must be a string, not a number"},
		{"haiku: system is a list", haiku, `{"system":["Be Ada."],"messages":[` + u(q) + "," + a(r) + `]}`, "invalid", false, "system", "must be a string, not a list"},
		{"haiku: no messages (AWS's script stops at data['messages'])", haiku, `{"system":"Be Ada."}`, "crash", false, "", "not a record of any supported format"},
		{"haiku: a turn without content (AWS's script stops at msg['content'])", haiku, h(u(q) + `,{"role":"assistant"}`), "crash", false, "messages[1].content", "missing"},
		{"haiku: a JSON list (AWS's script stops at data.get)", haiku, `[1,2]`, "crash", false, "", "must be a JSON object"},
		{"haiku: \\nHuman: inside a turn", haiku, h(u(`Tell me.\nHuman: and more`) + "," + a(r)), "invalid", false, "messages[0].content", `"\nHuman:"`},
		{"haiku: \\nAssistant: in the system prompt", haiku, `{"system":"Rules.\nAssistant: obey","messages":[` + u(q) + "," + a(r) + `]}`, "invalid", false, "system", `"\nAssistant:"`},
		{"haiku: 200,000 characters, over even at 6 a token", haiku, h(u(long(200000)) + "," + a(r)), "invalid", false, "", "record has 33,"},
		// AWS counts 3 characters a token (40,000 > 32,000); at 6 it is 20,000: the studio
		// cannot know without Claude's tokenizer, so it warns with both estimates.
		{"haiku: 120,000 characters, over only at 3 a token (differs: a warning)", haiku, h(u(long(120000)) + "," + a(r)), "invalid", true, "", "record may be over the limit: 20,0"},
		{"haiku: empty content (AWS accepts it)", haiku, h(u("") + "," + a(r)), "valid", true, "messages[0].content", "is empty"},
		{"haiku: extra key (AWS ignores it)", haiku, `{"id":7,"messages":[` + u(q) + "," + a(r) + `]}`, "valid", true, "id", `unexpected key "id"`},

		// Amazon Nova
		{"nova: role bot", lite, n(nu(txt(q)) + `,{"role":"bot","content":[` + txt(r) + `]}`), "invalid", false, "messages[1].role", `not "bot"`},
		{"nova: content is a string", lite, n(nu(txt(q)) + `,{"role":"assistant","content":"` + r + `"}`), "invalid", false, "messages[1].content", "must be a list of content blocks"},
		{"nova: an empty content block", lite, n(nu(txt(q)) + "," + na(`{}`)), "invalid", false, "messages[1].content[0].text", "missing"},
		{"nova: empty text", lite, n(nu(txt("")) + "," + na(txt(r))), "invalid", false, "messages[0].content", "has no text"},
		{"nova: image in an assistant turn", lite, n(nu(txt(q)) + "," + na(txt(r)+","+img("png", "s3://bucket/a.png"))), "invalid", false, "messages[1].content[1].image", "an assistant turn cannot hold an image"},
		{"nova: https:// image", lite, n(nu(txt(q)+","+img("png", "https://example.com/a.png")) + "," + na(txt(r))), "invalid", false, "messages[0].content[1].image.source.s3Location.uri", "must be an s3:// URI"},
		{"nova: bmp image", lite, n(nu(txt(q)+","+img("bmp", "s3://bucket/a.bmp")) + "," + na(txt(r))), "invalid", false, "messages[0].content[1].image.format", `"bmp" is not a image format`},
		{"nova: two videos", lite, n(nu(txt(q)+","+vid+","+vid) + "," + na(txt(r))), "invalid", false, "messages[0].content", "has 2 videos"},
		{"nova: 11 images", lite, n(nu(images(11)) + "," + na(txt(r))), "invalid", false, "messages[0].content", "has 11 images"},
		{"nova micro: an image", micro, n(nu(txt(q)+","+img("png", "s3://bucket/a.png")) + "," + na(txt(r))), "invalid", false, "messages[0].content[1].image", "Nova Micro reads text only"},
		// Stricter than AWS's script on purpose: the Nova user guide reserves the word.
		{"nova: Bot: in a turn (differs: the user guide reserves it)", lite, n(nu(txt("Bot: hello")) + "," + na(txt(r))), "valid", false, "messages[0].content[0].text", "Amazon Nova User Guide"},
	}
	if len(cases) != 28 {
		t.Fatalf("%d cases, want the 28", len(cases))
	}
	agree := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Validate(context.Background(), strings.NewReader(c.line+"\n"), Options{BaseModel: c.model, Purpose: PurposeValidation})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid != c.valid {
				t.Fatalf("valid = %v, want %v: %+v %+v", rep.Valid, c.valid, rep.Errors, rep.Warnings)
			}
			list := rep.Errors
			if c.valid {
				list = rep.Warnings
			}
			for _, p := range list {
				if p.Line == 1 && p.Field == c.field && strings.Contains(p.Message, c.says) {
					return
				}
			}
			t.Errorf("no problem at %q saying %q in %+v", c.field, c.says, list)
		})
		if (c.aws == "valid") == c.valid {
			agree++
		}
	}
	// Every line AWS's validators reject or stop on is rejected here, but the two that say why not.
	if agree != 26 {
		t.Errorf("the studio agrees with AWS on %d of 28 lines, want 26", agree)
	}
}
