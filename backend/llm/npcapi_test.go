package llm_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/npcapifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

func newNPCAPI(t *testing.T, p provider.Provider) (llm.Provider, *npcapifake.Server) {
	t.Helper()
	fake := npcapifake.New()
	t.Cleanup(fake.Close)
	if p.TextURL == "-" {
		p.TextURL = fake.TextURL()
	}
	if p.RAGURL == "-" {
		p.RAGURL = fake.RAGURL()
	}
	p.Name, p.Kind = "ada-qa", provider.KindNPCAPI
	np, err := llm.New(p, "", opts(&sleeps{}))
	if err != nil {
		t.Fatal(err)
	}
	return np, fake
}

// TestNPCAPIReplies decodes every reply shape CLOUD.md lists, as the fake replays them.
func TestNPCAPIReplies(t *testing.T) {
	sound := base64.StdEncoding.EncodeToString(npcapifake.Sound)
	visemes := base64.StdEncoding.EncodeToString(npcapifake.Visemes)
	for _, tc := range []struct {
		name     string
		script   []npcapifake.Reply
		text     string
		speech   *llm.Speech
		code     string
		requests int
		says     []string
	}{
		{name: "text endpoint: answer with speech (the fake's own Lambda)",
			text: "You asked: Who keeps the light?", requests: 1,
			speech: &llm.Speech{Sound: sound, SoundBytes: 3200, SoundMs: 100, Visemes: visemes, VisemeMarks: 5}},
		{name: "RAG endpoint: answer without speech",
			script: []npcapifake.Reply{npcapifake.Answer("My father, Elias Wren. Ünd he saw the lights 🌊.")},
			text:   "My father, Elias Wren. Ünd he saw the lights 🌊.", requests: 1},
		{name: "speech failed, answer kept",
			script: []npcapifake.Reply{npcapifake.SpeechFailed("I do.")}, text: "I do.", requests: 1,
			speech: &llm.Speech{SoundError: "Audio Exception: ThrottlingException Message: Rate exceeded", Visemes: visemes, VisemeMarks: 5}},
		{name: "sound that is not base64",
			script: []npcapifake.Reply{{Body: `{"response": "I do.", "speech_info": {"sound_status": "ok", "sound_response": "%%%"}}`}},
			text:   "I do.", requests: 1,
			speech: &llm.Speech{SoundError: "sound_response is not valid base64"}},
		{name: "Lambda error sent as HTTP 200",
			script: []npcapifake.Reply{npcapifake.LambdaError("question missing in payload")},
			code:   llm.CodeBadRequest, requests: 1, says: []string{"answered with an error", "question missing in payload"}},
		{name: "lore index not hydrated: response is an object",
			script: []npcapifake.Reply{npcapifake.NotHydrated()},
			code:   llm.CodeUnavailable, requests: 1, says: []string{"lore index is not hydrated yet", "push lore", "not yet hydrated"}},
		{name: "other nested object",
			script: []npcapifake.Reply{{Body: `{"response": {"answer": "?"}}`}},
			code:   llm.CodeUnavailable, requests: 1, says: []string{"an object, not text", "push lore"}},
		{name: "null response",
			script: []npcapifake.Reply{npcapifake.NullResponse()},
			code:   llm.CodeUnavailable, requests: 1, says: []string{"no answer", "null"}},
		{name: "response that is not text",
			script: []npcapifake.Reply{{Body: `{"response": 42}`}},
			code:   llm.CodeUnavailable, requests: 1, says: []string{"not text", "42"}},
		{name: "reply that is not JSON",
			script: []npcapifake.Reply{{Body: `<html>Service Unavailable</html>`}},
			code:   llm.CodeUnavailable, requests: 1, says: []string{"not JSON", "<html>"}},
		{name: "502 from API Gateway: retried, then answers",
			script: []npcapifake.Reply{npcapifake.BadGateway(), npcapifake.Answer("At last.")}, text: "At last.", requests: 2},
		{name: "504 at API Gateway's 29 s limit: not retried",
			script: []npcapifake.Reply{npcapifake.GatewayTimeout()},
			code:   llm.CodeTimeout, requests: 1, says: []string{"timed out at API Gateway's 29 s limit", "Endpoint request timed out"}},
		{name: "throttled by API Gateway to the end",
			script: []npcapifake.Reply{npcapifake.Throttled(), npcapifake.Throttled(), npcapifake.Throttled()},
			code:   llm.CodeRateLimited, requests: 3, says: []string{"HTTP 429", "Too Many Requests", "after 3 attempts"}},
		{name: "wrong URL",
			script: []npcapifake.Reply{{Status: 403, Body: `{"message":"Missing Authentication Token"}`}},
			code:   llm.CodeBadRequest, requests: 1, says: []string{"Missing Authentication Token", "TextApiEndpointUrl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := newNPCAPI(t, provider.Provider{TextURL: "-", RAGURL: "-"})
			fake.Script(tc.script...)
			var c chunks
			res, err := p.Chat(context.Background(), ask("Who keeps the light?"), c.add)
			if code(err) != tc.code || (tc.code == "" && err != nil) {
				t.Fatalf("err %v, want code %q", err, tc.code)
			}
			if err != nil {
				if fault.Shape(err, nil).Code != tc.code {
					t.Errorf("shaped as %q", fault.Shape(err, nil).Code)
				}
				mustContain(t, err.Error(), append(tc.says, `deployed NPC API "ada-qa" (endpoint text)`)...)
			}
			if res.Text != tc.text || c.text() != tc.text {
				t.Errorf("text %q, chunks %q, want %q", res.Text, c.got, tc.text)
			}
			if d := cmp.Diff(tc.speech, res.Speech); d != "" {
				t.Errorf("speech (-want +got):\n%s", d)
			}
			if n := len(fake.Requests()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestNPCAPIRequest(t *testing.T) {
	t.Run("single turn: only the last user message is sent", func(t *testing.T) {
		p, fake := newNPCAPI(t, provider.Provider{TextURL: "-", RAGURL: "-"})
		req := chatRequest()
		req.Model = ""
		req.Voice = &llm.Voice{ID: "Ruth", Engine: "neural"}
		res, err := p.Chat(context.Background(), req, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := fake.Requests()[0]
		want := `{"question":"What did he see the night of the wreck?","voice_id":"Ruth","voice_engine":"neural"}`
		if r.Path != "/prod/text" || string(r.Body) != want || res.Model != llm.EndpointText {
			t.Errorf("sent %s %s, want /prod/text %s", r.Path, r.Body, want)
		}
	})
	for _, tc := range []struct {
		name  string
		p     provider.Provider
		model string
		path  string
		code  string
		says  string
	}{
		{name: "rag picked by the request", p: provider.Provider{TextURL: "-", RAGURL: "-"}, model: "rag", path: "/prod/rag"},
		{name: "rag picked by the provider", p: provider.Provider{TextURL: "-", RAGURL: "-", Model: "rag"}, path: "/prod/rag"},
		{name: "rag when it is the only URL", p: provider.Provider{RAGURL: "-"}, path: "/prod/rag"},
		{name: "no rag URL", p: provider.Provider{TextURL: "-"}, model: "rag", code: llm.CodeBadRequest, says: `no URL for the "rag" endpoint`},
		{name: "unknown endpoint", p: provider.Provider{TextURL: "-"}, model: "llama3", code: llm.CodeBadRequest, says: `no "llama3" endpoint`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := newNPCAPI(t, tc.p)
			req := ask("Hello")
			req.Model = tc.model
			_, err := p.Chat(context.Background(), req, nil)
			if code(err) != tc.code {
				t.Fatalf("err %v, want code %q", err, tc.code)
			}
			if err != nil {
				mustContain(t, err.Error(), tc.says)
				if n := len(fake.Requests()); n != 0 {
					t.Errorf("%d requests sent", n)
				}
				return
			}
			if r := fake.Requests(); len(r) != 1 || r[0].Path != tc.path {
				t.Errorf("requests %+v, want one to %s", r, tc.path)
			}
		})
	}
	t.Run("no URL at all", func(t *testing.T) {
		_, err := llm.New(provider.Provider{Name: "empty", Kind: provider.KindNPCAPI}, "", llm.Options{})
		if code(err) != llm.CodeBadRequest {
			t.Fatalf("err %v", err)
		}
		mustContain(t, err.Error(), "TextApiEndpointUrl", "RagApiEndpointUrl")
	})
}
