package dataset

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConvertBetweenFormats(t *testing.T) {
	single := pc("Where is the inn?", "Past the fish market.")
	withSystem := chat("You are Ada.", "Where is the inn?", "Past the fish market.")
	multi := chat("", "Hi", "Well met.", "Rooms?", "Two silver a night.")
	cases := []struct {
		name string
		in   Record
		to   Format
		want Record
		loss Loss
	}{
		{"pc to io", single, FormatInputOutput, Record{Format: FormatInputOutput, Messages: single.Messages}, nil},
		{"pc to claude", single, FormatClaudeMessages, Record{Format: FormatClaudeMessages, Messages: single.Messages}, nil},
		{"pc to converse", single, FormatBedrockConversation, Record{Format: FormatBedrockConversation, Messages: single.Messages}, nil},
		{"claude to converse keeps system", withSystem, FormatBedrockConversation, Record{Format: FormatBedrockConversation, System: "You are Ada.", Messages: withSystem.Messages}, nil},
		{"converse to claude", Record{Format: FormatBedrockConversation, System: "You are Ada.", Messages: multi.Messages}, FormatClaudeMessages,
			Record{Format: FormatClaudeMessages, System: "You are Ada.", Messages: multi.Messages}, nil},
		{"single turn without system to pc", Record{Format: FormatClaudeMessages, Messages: single.Messages}, FormatPromptCompletion, single, nil},
		{"system dropped for io", withSystem, FormatInputOutput,
			Record{Format: FormatInputOutput, Messages: single.Messages},
			Loss{"system prompt dropped (12 characters): input-output records have none"}},
		{"system dropped for pc", withSystem, FormatPromptCompletion, single,
			Loss{"system prompt dropped (12 characters): prompt-completion records have none"}},
		{"turns flattened for pc", multi, FormatPromptCompletion,
			pc("User: Hi\n\nAssistant: Well met.\n\nUser: Rooms?", "Two silver a night."),
			Loss{"3 turns flattened into one prompt with User:/Assistant: labels"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, loss, err := Convert(c.in, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.loss, loss); diff != "" {
				t.Errorf("loss (-want +got):\n%s", diff)
			}
			if loss.Lossy() != (len(c.loss) > 0) {
				t.Error("Lossy disagrees with the loss list")
			}
		})
	}
}

// TestConvertRoundTrip converts a record through every format and back, checking that a
// lossless conversion keeps the text and that each written line validates as its format.
func TestConvertRoundTrip(t *testing.T) {
	records := map[string]Record{
		"single":      pc(`He said "aye" & left <fast>`, "Past the fish market.\nMind the gulls."),
		"with system": chat("You are Ada.\nNever break character.", "Hi", "Well met, traveller."),
		"multi-turn":  chat("", "Hi", "Well met.", "Rooms?", "Two silver a night."),
		"unicode":     pc("Wo ist das Gasthaus? 宿屋はどこ？", "Am Hafen — 港のそばです。"),
	}
	for name, rec := range records {
		for _, to := range Formats {
			t.Run(name+" to "+string(to), func(t *testing.T) {
				conv, loss, err := Convert(rec, to)
				if err != nil {
					t.Fatal(err)
				}
				line, err := Marshal(conv)
				if err != nil {
					t.Fatal(err)
				}
				rep := validate(t, string(line)+"\n", Options{Format: to})
				if !rep.Valid || rep.Format != to {
					t.Fatalf("%s does not validate as %s:%s", line, to, dump(rep.Errors))
				}
				back, err := parseOne(line, to)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(conv, back); diff != "" {
					t.Fatalf("written and read back (-want +got):\n%s", diff)
				}
				if !loss.Lossy() && !back.Equal(rec) {
					t.Fatalf("lossless conversion changed the record: %+v", back)
				}
			})
		}
	}
}

// parseOne reads one line the way imports do.
func parseOne(line []byte, f Format) (Record, error) {
	rep := newProblems(0)
	docs, err := readJSONL(context.Background(), strings.NewReader(string(line)), f, "t", 10, rep)
	if err != nil {
		return Record{}, err
	}
	if len(docs) != 1 {
		return Record{}, errors.New("no record:" + dump(rep.errors))
	}
	return docs[0].Record, nil
}

func TestConvertRefusesRecordsWithoutReply(t *testing.T) {
	for _, rec := range []Record{
		{},
		chat("", "Hi"),
		chat("", "Hi", "Well met.", "Rooms?"),
	} {
		for _, to := range []Format{FormatPromptCompletion, FormatInputOutput} {
			if _, _, err := Convert(rec, to); !errors.Is(err, ErrNotConvertible) {
				t.Errorf("%v to %s: got %v", rec.Messages, to, err)
			}
		}
	}
	if _, _, err := Convert(pc("a", "b"), "jsonl"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown format: got %v", err)
	}
}

func TestMarshalFormats(t *testing.T) {
	rec := chat("You are Ada.", "Hi <there>", "Well met & welcome.")
	cases := map[Format]string{
		FormatClaudeMessages:      `{"system":"You are Ada.","messages":[{"role":"user","content":"Hi <there>"},{"role":"assistant","content":"Well met & welcome."}]}`,
		FormatBedrockConversation: `{"schemaVersion":"bedrock-conversation-2024","system":[{"text":"You are Ada."}],"messages":[{"role":"user","content":[{"text":"Hi <there>"}]},{"role":"assistant","content":[{"text":"Well met & welcome."}]}]}`,
	}
	for f, want := range cases {
		rec.Format = f
		got, err := Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s", f, got, want)
		}
	}
	got, _ := Marshal(Record{Format: FormatInputOutput, Messages: pc("Hi", "Yo").Messages})
	if string(got) != `{"input":"Hi","output":"Yo"}` {
		t.Errorf("input-output: %s", got)
	}
	rec.Format = FormatPromptCompletion
	if _, err := Marshal(rec); !errors.Is(err, ErrNotRepresentable) {
		t.Errorf("a system prompt in prompt-completion: got %v", err)
	}
}
