package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/llm/bedrockfake"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

var miraFile = filepath.Join("..", "..", "testdata", "persona", "personas", "mira.json")

// chatCLI is a workspace with Mira and provider "local" on an OpenAI-compatible fake.
func chatCLI(t *testing.T) (*openaifake.Server, func(args ...string) result) {
	t.Helper()
	dir := t.TempDir()
	sec := secrets.NewMemory()
	fake := openaifake.New("llama3.1:8b", "mira-ft")
	t.Cleanup(fake.Close)
	do := func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...)
	}
	for _, args := range [][]string{
		{"provider", "add", "local", "--kind", "openai", "--base-url", fake.BaseURL(), "--model", "llama3.1:8b"},
		{"persona", "create", "--from-file", miraFile},
	} {
		if r := do(args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	return fake, do
}

// jsonLines decodes every line of out.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON line: %q (%v)", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestChatStreamsTheReplyAndSendsThePersona(t *testing.T) {
	fake, do := chatCLI(t)
	r := do("chat", "Mira Saltwhistle", "--provider", "local", "--message", "Can you mend this anchor?")
	if r.code != ExitOK || r.stdout != "Well met, traveller.\n" {
		t.Fatalf("%+v", r)
	}
	if !strings.Contains(r.stderr, "local · llama3.1:8b · base · template default v1") || !strings.Contains(r.stderr, "in / 5 out tokens") {
		t.Errorf("facts line: %q", r.stderr)
	}
	reqs := fake.ChatRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	msgs := reqs[0]["messages"].([]any)
	system := msgs[0].(map[string]any)
	if system["role"] != "system" {
		t.Fatalf("first message %v", system)
	}
	for _, want := range []string{"You are Mira Saltwhistle, the harbour blacksmith of Saltmere", "Short sentences, sea and forge metaphors", "Never\nNo graphic violence"} {
		if !strings.Contains(system["content"].(string), want) {
			t.Errorf("the system prompt the model got does not say %q:\n%s", want, system["content"])
		}
	}
	if reqs[0]["stream"] != true || reqs[0]["model"] != "llama3.1:8b" {
		t.Errorf("request %v", reqs[0])
	}

	t.Run("json lines, continuing the chat", func(t *testing.T) {
		fake.Script(openaifake.Reply{Tokens: []string{"Two", " silver", "."}, TokenDelay: 60 * time.Millisecond})
		r := do("chat", "Mira Saltwhistle", "--provider", "local", "--model", "mira-ft", "--mode", "finetuned", "--message", "How much?", "--json")
		if r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
		lines := jsonLines(t, r.stdout)
		var text strings.Builder
		for _, l := range lines[:len(lines)-1] {
			if l["type"] != "token" || l["column"] != nil {
				t.Errorf("line %v", l)
			}
			text.WriteString(l["text"].(string))
		}
		// 120 ms of tokens come in more than one batch.
		if text.String() != "Two silver." || len(lines) < 3 {
			t.Errorf("streamed %q in %d lines", text.String(), len(lines)-1)
		}
		done := lines[len(lines)-1]
		reply := done["reply"].(map[string]any)
		if done["type"] != "done" || reply["text"] != "Two silver." || reply["mode"] != "finetuned" || reply["model"] != "mira-ft" || done["chatId"] == "" {
			t.Fatalf("done %v", done)
		}
		chatID := done["chatId"].(string)
		cont := do("chat", "Mira Saltwhistle", "--chat", chatID, "--provider", "local", "--message", "Deal.", "--json")
		if cont.code != ExitOK {
			t.Fatalf("%+v", cont)
		}
		// The system prompt, the greeting, the earlier exchange and the new line.
		if n := len(fake.ChatRequests()[2]["messages"].([]any)); n != 5 {
			t.Errorf("%d messages sent when continuing", n)
		}
		show := do("chat", "show", chatID)
		if show.code != ExitOK || !strings.Contains(show.stdout, "How much?") || !strings.Contains(show.stdout, "Deal.") {
			t.Errorf("show: %+v", show)
		}
		regen := do("chat", "regenerate", chatID)
		if regen.code != ExitOK || regen.stdout != "Well met, traveller.\n" {
			t.Fatalf("regenerate: %+v", regen)
		}
		show = do("chat", "show", chatID)
		if !strings.Contains(show.stdout, "(1 of 2 alternatives)") {
			t.Errorf("the earlier answer is not kept as a swipe:\n%s", show.stdout)
		}
	})
}

func TestChatFaults(t *testing.T) {
	t.Run("a stream cut midway keeps the part, marked", func(t *testing.T) {
		fake, do := chatCLI(t)
		fake.Script(openaifake.Reply{Tokens: []string{"The", " tide", " turns"}, Cut: true, CutAfter: 2})
		r := do("chat", "Mira Saltwhistle", "--provider", "local", "--message", "Hello?")
		if r.code != ExitError || r.stdout != "The tide\n" {
			t.Fatalf("%+v", r)
		}
		for _, want := range []string{"cut after 8 characters", "the part received is kept in chat", "npcstudio chat regenerate"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("stderr %q does not say %q", r.stderr, want)
			}
		}
		fake.Script(openaifake.Reply{Tokens: []string{"The", " tide", " turns"}, Cut: true, CutAfter: 1})
		r = do("chat", "Mira Saltwhistle", "--provider", "local", "--message", "Hello?", "--json")
		lines := jsonLines(t, r.stdout)
		done := lines[len(lines)-1]
		if r.code != ExitError || done["type"] != "done" || done["reply"].(map[string]any)["cut"] != true || done["reply"].(map[string]any)["text"] != "The" {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("a provider that never answers times out", func(t *testing.T) {
		fake, do := chatCLI(t)
		fake.Script(openaifake.Reply{Hang: true}, openaifake.Reply{Hang: true})
		r := do("chat", "Mira Saltwhistle", "--provider", "local", "--message", "Hello?", "--timeout", "1s")
		if r.code != ExitError || !strings.Contains(r.stderr, "no answer within 1s") || !strings.Contains(r.stderr, "is the server up") {
			t.Fatalf("%+v", r)
		}
		r = do("chat", "Mira Saltwhistle", "--provider", "local", "--message", "Hello?", "--timeout", "1s", "--json")
		lines := jsonLines(t, r.stdout)
		if r.code != ExitError || len(lines) != 1 || lines[0]["type"] != "error" || lines[0]["error"].(map[string]any)["code"] != "timeout" {
			t.Fatalf("%+v", r)
		}
		list := do("chat", "list", "--json")
		if !strings.Contains(list.stdout, `"title": "Hello?"`) {
			t.Errorf("the player's line is lost: %s", list.stdout)
		}
	})
	t.Run("a missing key says how to fix it", func(t *testing.T) {
		_, do := chatCLI(t)
		os.Unsetenv("NPCSTUDIO_CHAT_TEST_KEY")
		if r := do("provider", "add", "cloud", "--kind", "openai", "--base-url", "https://api.openai.com/v1", "--model", "gpt-4o-mini", "--api-key-env", "NPCSTUDIO_CHAT_TEST_KEY"); r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
		r := do("chat", "Mira Saltwhistle", "--provider", "cloud", "--message", "Hello?")
		if r.code != ExitError || !strings.Contains(r.stderr, "export NPCSTUDIO_CHAT_TEST_KEY=") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("RAG without a lore library says so and answers", func(t *testing.T) {
		_, do := chatCLI(t)
		r := do("chat", "Mira Saltwhistle", "--provider", "local", "--mode", "rag", "--message", "Who keeps the light?")
		if r.code != ExitOK || r.stdout != "Well met, traveller.\n" || !strings.Contains(r.stderr, "note: the lore library is not set up yet: RAG uses no lore") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("usage", func(t *testing.T) {
		_, do := chatCLI(t)
		for _, args := range [][]string{
			{"chat", "Mira Saltwhistle", "--provider", "local"},
			{"chat", "Mira Saltwhistle", "--message", "Hi"},
			{"chat", "compare", "Mira Saltwhistle", "--message", "Hi", "--provider", "local"},
			{"chat", "compare", "Mira Saltwhistle", "--message", "Hi", "--provider", "local", "--provider", "local", "--mode", "base", "--mode", "rag", "--mode", "base"},
		} {
			if r := do(args...); r.code != ExitUsage {
				t.Errorf("%v: %+v", args, r)
			}
		}
		if r := do("chat", "Mira Saltwhistle", "--provider", "local", "--mode", "loud", "--message", "Hi"); r.code != ExitError || !strings.Contains(r.stderr, "base, finetuned or rag") {
			t.Errorf("bad mode: %+v", r)
		}
	})
}

func TestChatCompareAndVerdicts(t *testing.T) {
	fake, do := chatCLI(t)
	fake.Default = openaifake.Reply{Tokens: []string{"Aye", "."}}
	r := do("chat", "compare", "Mira Saltwhistle", "--message", "Fix my anchor?", "--provider", "local", "--provider", "local", "--provider", "local",
		"--mode", "base", "--mode", "finetuned", "--mode", "rag", "--model", "llama3.1:8b", "--model", "mira-ft", "--model", "llama3.1:8b", "--json")
	if r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	lines := jsonLines(t, r.stdout)
	cols := map[float64]string{}
	for _, l := range lines[:len(lines)-1] {
		cols[l["column"].(float64)] += l["text"].(string)
	}
	if len(cols) != 3 || cols[0] != "Aye." || cols[2] != "Aye." {
		t.Errorf("streamed columns %v", cols)
	}
	run := lines[len(lines)-1]["run"].(map[string]any)
	id := run["id"].(string)
	if got := run["columns"].([]any)[1].(map[string]any)["answer"].(map[string]any)["model"]; got != "mira-ft" {
		t.Errorf("column 2 answered with %v", got)
	}
	if r := do("chat", "verdict", id, "--winner", "2", "--note", "Sounds like her."); r.code != ExitOK || !strings.Contains(r.stdout, "column 2 (local · mira-ft · finetuned) is better") {
		t.Fatalf("%+v", r)
	}
	if r := do("chat", "verdict", id, "--winner", "4"); r.code != ExitError || !strings.Contains(r.stderr, "pick one of the 3 columns") {
		t.Errorf("%+v", r)
	}
	r = do("chat", "verdicts")
	if r.code != ExitOK || !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "Sounds like her.") || !strings.Contains(r.stdout, "2: local · mira-ft · finetuned") {
		t.Fatalf("%+v", r)
	}
	human := do("chat", "compare", "Mira Saltwhistle", "--message", "Again?", "--provider", "local", "--provider", "nobody")
	if human.code != ExitOK || !strings.Contains(human.stdout, "[1] local · base\nAye.") || !strings.Contains(human.stdout, `[2] nobody · base`) ||
		!strings.Contains(human.stdout, `(no answer: provider "nobody": not found`) {
		t.Errorf("%+v", human)
	}
}

func TestChatInterruptStopsAndKeepsThePart(t *testing.T) {
	fake, do := chatCLI(t)
	fake.Script(openaifake.Reply{Tokens: []string{"Slow", " and", " steady"}, TokenDelay: 2 * time.Second})
	dir := strings.TrimSpace(do("workspace", "info", "--json").stdout)
	var ws struct {
		Info struct {
			Path string `json:"path"`
		} `json:"info"`
	}
	if err := json.Unmarshal([]byte(dir), &ws); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel) // as Ctrl-C cancels the command's context
	var out, errb bytes.Buffer
	code := Run(ctx, []string{"--data-dir", filepath.Dir(ws.Info.Path), "chat", "Mira Saltwhistle", "--provider", "local", "--message", "Go on."},
		&Env{Stdout: &out, Stderr: &errb, Secrets: secrets.NewMemory()})
	if code != ExitError || out.String() != "Slow\n" || !strings.Contains(errb.String(), "stopped: the part received is kept in chat") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// awsHome points the standard AWS chain at a throwaway home with config, and at a fake
// Bedrock runtime.
func awsHome(t *testing.T, config string, env map[string]string) string {
	t.Helper()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(home, ".aws", "config")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	base := map[string]string{
		"HOME": home, "AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "none"),
		"AWS_PROFILE": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "", "AWS_EC2_METADATA_DISABLED": "true",
	}
	for k, v := range env {
		base[k] = v
	}
	for k, v := range base {
		t.Setenv(k, v)
	}
	return home
}

func TestChatThroughBedrock(t *testing.T) {
	const haiku = "anthropic.claude-3-haiku-20240307-v1:0"
	t.Run("the persona goes in Converse's system prompt, with a cost estimate", func(t *testing.T) {
		fake := bedrockfake.New()
		t.Cleanup(fake.Close)
		awsHome(t, "", map[string]string{"AWS_ACCESS_KEY_ID": "AKIDNPCSTUDIO", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.URL})
		_, do := chatCLI(t)
		if r := do("provider", "add", "team", "--kind", "bedrock", "--region", "us-east-1", "--model-id", haiku); r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
		r := do("chat", "Mira Saltwhistle", "--provider", "team", "--message", "Can you mend this anchor?", "--json")
		if r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
		reqs := fake.Requests()
		if len(reqs) != 1 || reqs[0].Operation != "converse-stream" || reqs[0].ModelID != haiku {
			t.Fatalf("requests %+v", reqs)
		}
		var body struct {
			System   []struct{ Text string } `json:"system"`
			Messages []struct {
				Role    string                  `json:"role"`
				Content []struct{ Text string } `json:"content"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(reqs[0].Body, &body); err != nil || len(body.System) != 1 {
			t.Fatalf("body %s (%v)", reqs[0].Body, err)
		}
		if !strings.Contains(body.System[0].Text, "You are Mira Saltwhistle, the harbour blacksmith of Saltmere") {
			t.Errorf("system %q", body.System[0].Text)
		}
		// Converse opens with the player: the greeting follows SillyTavern's start marker.
		if body.Messages[0].Role != "user" || body.Messages[1].Role != "assistant" {
			t.Errorf("messages %+v", body.Messages)
		}
		lines := jsonLines(t, r.stdout)
		reply := lines[len(lines)-1]["reply"].(map[string]any)
		if reply["family"] != "bedrock-converse" || reply["costUsd"] == nil || reply["model"] != haiku {
			t.Errorf("reply %v", reply)
		}
	})
	t.Run("an expired AWS SSO session says how to sign in again", func(t *testing.T) {
		fake := bedrockfake.New()
		t.Cleanup(fake.Close)
		home := awsHome(t, `[profile writer]
sso_start_url = https://studio.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Writer
region = us-east-1
`, map[string]string{"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.URL})
		cache := filepath.Join(home, ".aws", "sso", "cache")
		if err := os.MkdirAll(cache, 0o700); err != nil {
			t.Fatal(err)
		}
		sum := sha1.Sum([]byte("https://studio.awsapps.com/start"))
		token := `{"accessToken": "expired-token", "expiresAt": "2020-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://studio.awsapps.com/start"}`
		if err := os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])+".json"), []byte(token), 0o600); err != nil {
			t.Fatal(err)
		}
		_, do := chatCLI(t)
		if r := do("provider", "add", "team", "--kind", "bedrock", "--region", "us-east-1", "--profile", "writer", "--model-id", haiku); r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
		r := do("chat", "Mira Saltwhistle", "--provider", "team", "--message", "Hello?", "--json")
		lines := jsonLines(t, r.stdout)
		if r.code != ExitError || len(lines) != 1 || lines[0]["type"] != "error" {
			t.Fatalf("%+v", r)
		}
		e := lines[0]["error"].(map[string]any)
		if e["code"] != "aws_session" || !strings.Contains(e["message"].(string), "aws sso login --profile writer") {
			t.Errorf("error %v", e)
		}
		if n := len(fake.Requests()); n != 0 {
			t.Errorf("%d requests sent without credentials", n)
		}
		if list := do("chat", "list", "--json"); !strings.Contains(list.stdout, `"title": "Hello?"`) {
			t.Errorf("the player's line is lost: %s", list.stdout)
		}
		if list := do("chat", "list"); !strings.Contains(list.stdout, "LAST LINE") || !strings.Contains(list.stdout, "You: Hello?") {
			t.Errorf("the list does not show the last line: %s", list.stdout)
		}
	})
}

// TestChatListEmptySaysWhatToDo: with no chats, the list says how to start one instead of a
// bare header.
func TestChatListEmptySaysWhatToDo(t *testing.T) {
	_, do := chatCLI(t)
	if r := do("chat", "list"); r.code != ExitOK || !strings.Contains(r.stdout, "no chats yet: npcstudio chat PERSONA") || strings.Contains(r.stdout, "LAST LINE") {
		t.Fatalf("%+v", r)
	}
}
