package chat_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/npcapifake"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

func TestSendRendersThePersonaIntoTheSystemPrompt(t *testing.T) {
	e := newEnv(t)
	c := e.newChat(t)
	if len(c.Messages) != 1 || !c.Messages[0].Greeting || !strings.HasPrefix(c.Messages[0].Text, "*wipes her hands on her apron* Another anchor, Player?") {
		t.Fatalf("a chat opens with the persona's greeting, names filled in: %+v", c.Messages)
	}
	var ev events
	res, err := e.runner.Send(context.Background(), c.Chat.ID, "Can you mend this anchor?", chat.Config{Provider: "local", Mode: chat.ModeBase}, ev.add)
	if err != nil {
		t.Fatal(err)
	}
	system, msgs := systemOf(t, e.fake, 0)
	mustContain(t, system, "You are Mira Saltwhistle, the harbour blacksmith of Saltmere", "lost her brother Tam", "Find out who stole the lighthouse oil")
	// The greeting, then the player's line with the persona's post-history instruction.
	if len(msgs) != 3 || !strings.Contains(msgs[2].(map[string]any)["content"].(string), "Can you mend this anchor?\n\nKeep Mira Saltwhistle's reply under 80 words.") {
		t.Errorf("messages sent: %v", msgs)
	}
	if got := e.fake.ChatRequests()[0]["model"]; got != "llama3.1:8b" {
		t.Errorf("model %v", got)
	}
	r := res.Reply
	if r == nil || r.Text != "Well met, traveller." || ev.text() != r.Text {
		t.Fatalf("reply %+v, streamed %q", r, ev.text())
	}
	if r.Provider != "local" || r.ProviderKind != provider.KindOpenAI || r.Model != "llama3.1:8b" || r.Mode != chat.ModeBase ||
		r.Family != "openai-chat" || r.TemplateID != "default" || r.TemplateVersion != 1 || r.PersonaVersion != 1 || r.ParentID != res.User.ID {
		t.Errorf("reply does not record what made it: %+v", r)
	}
	if r.Usage == nil || r.Usage.OutputTokens != 5 || r.Usage.Estimated || r.TotalMs < r.FirstTokenMs || r.Attempts != 1 {
		t.Errorf("usage %+v, timings %d/%d ms, attempts %d", r.Usage, r.FirstTokenMs, r.TotalMs, r.Attempts)
	}
	if r.CostUSD != nil {
		t.Errorf("a local model has no price, got %v", *r.CostUSD)
	}
	v, err := e.chats.Get(c.Chat.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"m00000001", "m00000002", "m00000003"}, v.Path); diff != "" {
		t.Errorf("active path (-want +got)\n%s", diff)
	}
	if v.Chat.Title != "Can you mend this anchor?" || v.Chat.Messages != 3 {
		t.Errorf("chat head %+v", v.Chat)
	}
	p, err := e.chats.Prompt(c.Chat.ID, r.ID)
	if err != nil || p.System != system || !strings.Contains(p.Body, `"model": "llama3.1:8b"`) {
		t.Errorf("prompt kept with the reply: %+v, %v", p, err)
	}

	t.Run("the next line carries the history", func(t *testing.T) {
		if _, err := e.runner.Send(context.Background(), c.Chat.ID, "How much?", chat.Config{Provider: "local", Model: "mira-ft", Mode: chat.ModeFineTuned}, nil); err != nil {
			t.Fatal(err)
		}
		req := e.fake.ChatRequests()[1]
		if req["model"] != "mira-ft" || len(req["messages"].([]any)) != 5 {
			t.Errorf("second request: model %v, %d messages", req["model"], len(req["messages"].([]any)))
		}
		v, _ := e.chats.Get(c.Chat.ID)
		last := v.Messages[len(v.Messages)-1]
		if last.Mode != chat.ModeFineTuned || last.Model != "mira-ft" || v.Chat.Config.Mode != chat.ModeFineTuned {
			t.Errorf("fine-tuned reply %+v, chat config %+v", last, v.Chat.Config)
		}
	})
}

func TestRegenerateKeepsSwipesAndEditBranches(t *testing.T) {
	e := newEnv(t)
	c := e.newChat(t)
	cfg := chat.Config{Provider: "local", Mode: chat.ModeBase}
	e.fake.Script(openaifake.Reply{Tokens: []string{"First", " answer."}}, openaifake.Reply{Tokens: []string{"Second", " answer."}})
	first, err := e.runner.Send(context.Background(), c.Chat.ID, "Who stole the oil?", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.runner.Regenerate(context.Background(), c.Chat.ID, first.Reply.ID, chat.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Reply.ParentID != first.Reply.ParentID || second.Reply.Text != "Second answer." || second.User.ID != first.User.ID {
		t.Fatalf("regenerated reply %+v is not a sibling of %+v", second.Reply, first.Reply)
	}
	v, _ := e.chats.Get(c.Chat.ID)
	if got := v.Path[len(v.Path)-1]; got != second.Reply.ID {
		t.Errorf("the new answer is active: path ends in %s", got)
	}
	// The player's line was sent once: regenerating does not add it again.
	if n := len(v.Messages); n != 4 {
		t.Errorf("%d messages, want greeting, line and two answers", n)
	}

	v, err = e.chats.Select(c.Chat.ID, first.Reply.ID)
	if err != nil || v.Path[len(v.Path)-1] != first.Reply.ID {
		t.Fatalf("swipe back to the first answer: %v %v", v.Path, err)
	}

	// Editing the player's line branches: the old line and its answers stay on their branch.
	v, edited, err := e.chats.Edit(c.Chat.ID, first.User.ID, "Who took the lighthouse oil?")
	if err != nil {
		t.Fatal(err)
	}
	if edited.ParentID != first.User.ParentID || edited.EditedFrom != first.User.ID || v.Path[len(v.Path)-1] != edited.ID {
		t.Fatalf("edit %+v, path %v", edited, v.Path)
	}
	res, err := e.runner.Regenerate(context.Background(), c.Chat.ID, edited.ID, chat.Config{}, nil)
	if err != nil || res.Reply.ParentID != edited.ID {
		t.Fatalf("reply to the edited line: %+v %v", res.Reply, err)
	}
	_, msgs := systemOf(t, e.fake, 2)
	if last := msgs[len(msgs)-1].(map[string]any)["content"].(string); !strings.HasPrefix(last, "Who took the lighthouse oil?") {
		t.Errorf("the model got %q, not the edited line", last)
	}
	v, _ = e.chats.Select(c.Chat.ID, first.User.ID)
	if diff := cmp.Diff([]string{"m00000001", first.User.ID, first.Reply.ID}, v.Path); diff != "" {
		t.Errorf("the old branch is kept (-want +got)\n%s", diff)
	}

	// Editing a reply keeps what made it and is what training data uses.
	v, fixed, err := e.chats.Edit(c.Chat.ID, first.Reply.ID, "Bren did. *spits*")
	if err != nil || fixed.Provider != "local" || fixed.Mode != chat.ModeBase || fixed.TemplateID != "default" {
		t.Fatalf("edited reply %+v %v", fixed, err)
	}
	ex, err := e.chats.Exchange(c.Chat.ID, fixed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Reply != "Bren did. *spits*" || !strings.Contains(ex.System, "You are Mira Saltwhistle") || ex.Messages[0].Role != chat.RoleUser ||
		!strings.HasPrefix(ex.Messages[len(ex.Messages)-1].Text, "Who stole the oil?") || ex.Dropped == "" {
		t.Errorf("exchange %+v", ex)
	}
	if _, err := e.chats.Exchange(c.Chat.ID, first.User.ID); !isInvalid(err) {
		t.Errorf("a player's line is not a training exchange: %v", err)
	}
	if _, err := e.runner.Regenerate(context.Background(), c.Chat.ID, "m00000001", chat.Config{}, nil); !isInvalid(err) {
		t.Errorf("regenerating the greeting: %v", err)
	}
}

func isInvalid(err error) bool {
	var v *fault.ValidationError
	return errors.As(err, &v)
}

func TestProviderFaults(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []openaifake.Reply
		idle   time.Duration
		// code is the error's llm code; "" when a reply is saved.
		code    string
		says    []string
		text    string
		cut     bool
		retries int
	}{
		{name: "throttled, then answers", script: []openaifake.Reply{{Status: 429, RetryAfter: "0"}}, text: "Well met, traveller.", retries: 2},
		{name: "cut midway keeps the part received", script: []openaifake.Reply{{Tokens: []string{"The", " tide", " turns"}, Cut: true, CutAfter: 2}},
			text: "The tide", cut: true, says: []string{"cut after 8 characters", "retry"}},
		{name: "never answers", script: []openaifake.Reply{{Hang: true}}, idle: 200 * time.Millisecond, code: llm.CodeTimeout,
			says: []string{"no answer within 200ms", "is the server up and the model loaded"}},
		{name: "stalls midway keeps the part received", script: []openaifake.Reply{{Tokens: []string{"Aye", " and", " then"}, TokenDelay: time.Second}},
			idle: 200 * time.Millisecond, text: "Aye", cut: true, says: []string{"stalled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.idle > 0 {
				e.runner.LLM.IdleTimeout = tc.idle
			}
			c := e.newChat(t)
			e.fake.Script(tc.script...)
			res, err := e.runner.Send(context.Background(), c.Chat.ID, "Hello?", chat.Config{Provider: "local", Mode: chat.ModeBase}, nil)
			v, _ := e.chats.Get(c.Chat.ID)
			if res.User.Text != "Hello?" || v.Messages[1].Text != "Hello?" {
				t.Fatalf("the player's line is not kept: %+v", v.Messages)
			}
			if tc.code != "" {
				var le *llm.Error
				if !errors.As(err, &le) || le.Code != tc.code || res.Reply != nil || len(v.Messages) != 2 {
					t.Fatalf("err %v, reply %+v, %d messages", err, res.Reply, len(v.Messages))
				}
				mustContain(t, err.Error(), tc.says...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			r := res.Reply
			if r.Text != tc.text || r.Cut != tc.cut || (tc.retries > 0 && r.Attempts != tc.retries) {
				t.Fatalf("reply %+v", r)
			}
			mustContain(t, r.Error, tc.says...)
			if got := v.Messages[len(v.Messages)-1]; got.ID != r.ID || got.Cut != tc.cut {
				t.Errorf("saved %+v", got)
			}
		})
	}
}

func TestMissingKeySaysHowToFixIt(t *testing.T) {
	e := newEnv(t)
	os.Unsetenv("NPCSTUDIO_TEST_MISSING_KEY")
	if _, err := e.reg.Add(provider.Provider{Name: "cloud", Kind: provider.KindOpenAI, BaseURL: e.fake.BaseURL(), Model: "llama3.1:8b", APIKeyEnv: "NPCSTUDIO_TEST_MISSING_KEY"}, ""); err != nil {
		t.Fatal(err)
	}
	e.fake.Key = "sk-right"
	if _, err := e.reg.Add(provider.Provider{Name: "keyless", Kind: provider.KindOpenAI, BaseURL: e.fake.BaseURL(), Model: "llama3.1:8b"}, ""); err != nil {
		t.Fatal(err)
	}
	c := e.newChat(t)
	_, err := e.runner.Send(context.Background(), c.Chat.ID, "Hello?", chat.Config{Provider: "cloud", Mode: chat.ModeBase}, nil)
	if err == nil {
		t.Fatal("no error")
	}
	mustContain(t, err.Error(), "$NPCSTUDIO_TEST_MISSING_KEY", "export NPCSTUDIO_TEST_MISSING_KEY=")

	_, err = e.runner.Send(context.Background(), c.Chat.ID, "Anyone?", chat.Config{Provider: "keyless", Mode: chat.ModeBase}, nil)
	var le *llm.Error
	if !errors.As(err, &le) || le.Code != llm.CodeAuth {
		t.Fatalf("server wanting a key: %v", err)
	}
	mustContain(t, err.Error(), "wants an API key", "set the key in the provider")

	_, err = e.runner.Send(context.Background(), c.Chat.ID, "Still there?", chat.Config{Provider: "nobody", Mode: chat.ModeBase}, nil)
	if !errors.Is(err, fault.ErrNotFound) {
		t.Fatalf("unknown provider: %v", err)
	}
	mustContain(t, err.Error(), `provider "nobody"`, "npcstudio provider add")

	v, _ := e.chats.Get(c.Chat.ID)
	var lines []string
	for _, m := range v.Messages {
		if m.Role == chat.RoleUser {
			lines = append(lines, m.Text)
		}
	}
	if diff := cmp.Diff([]string{"Hello?", "Anyone?", "Still there?"}, lines); diff != "" {
		t.Errorf("the player's lines are kept whatever the provider does (-want +got)\n%s", diff)
	}
}

func TestStopKeepsThePartReceived(t *testing.T) {
	e := newEnv(t)
	c := e.newChat(t)
	e.fake.Script(openaifake.Reply{Tokens: []string{"One", " two", " three", " four"}, TokenDelay: 300 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := e.runner.Send(ctx, c.Chat.ID, "Count.", chat.Config{Provider: "local", Mode: chat.ModeBase}, func(ev chat.Event) error {
		if ev.Type == chat.EventToken && strings.Contains(ev.Text, "two") {
			cancel()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Reply; r == nil || !r.Stopped || r.Cut || r.Text != "One two" {
		t.Fatalf("stopped reply %+v", r)
	}

	// Stopped before any token: nothing to keep but the player's line.
	e.fake.Script(openaifake.Reply{Hang: true})
	ctx2, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	res, err = e.runner.Send(ctx2, c.Chat.ID, "Hello?", chat.Config{Provider: "local", Mode: chat.ModeBase}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || res.Reply != nil || res.User.Text != "Hello?" {
		t.Fatalf("err %v, result %+v", err, res)
	}
}

func TestRAG(t *testing.T) {
	t.Run("without a lore library it says so and still answers", func(t *testing.T) {
		e := newEnv(t)
		c := e.newChat(t)
		var ev events
		res, err := e.runner.Send(context.Background(), c.Chat.ID, "Who keeps the light?", chat.Config{Provider: "local", Mode: chat.ModeRAG}, ev.add)
		if err != nil {
			t.Fatal(err)
		}
		if res.Reply.LoreNote != chat.NoLoreNote || res.Reply.Text == "" || len(res.Reply.Citations) != 0 {
			t.Errorf("reply %+v", res.Reply)
		}
		if n := ev.of(chat.EventNotice); len(n) != 1 || n[0].Text != "the lore library is not set up yet: RAG uses no lore" {
			t.Errorf("notices %+v", n)
		}
		system, _ := systemOf(t, e.fake, 0)
		if strings.Contains(system, "## Lore") {
			t.Errorf("lore section with no lore: %q", system)
		}
	})
	t.Run("with a lore library the passages are cited", func(t *testing.T) {
		e := newEnv(t)
		lib := &fakeRetriever{passages: []chat.Passage{
			{Collection: "saltmere", Doc: "lighthouse.md", Chunk: 2, Score: 0.91, Text: "Bren Harrow has kept the Saltmere light for thirty winters."},
			{Citation: "oil-ledger", Collection: "saltmere", Doc: "ledger.txt", Chunk: 0, Score: 0.74, Text: "Six barrels of lamp oil went missing in Frostmonth."},
		}}
		e.runner.Retriever = lib
		c := e.newChat(t)
		var ev events
		res, err := e.runner.Send(context.Background(), c.Chat.ID, "Who keeps the light?", chat.Config{Provider: "local", Mode: chat.ModeRAG}, ev.add)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"saltmere"}, lib.collections); diff != "" || lib.query != "Who keeps the light?" || lib.budget != chat.DefaultLoreBudget {
			t.Errorf("asked %v %q %d", lib.collections, lib.query, lib.budget)
		}
		system, _ := systemOf(t, e.fake, 0)
		mustContain(t, system, "## Lore", "[1] (lighthouse.md #2) Bren Harrow has kept", "[oil-ledger] (ledger.txt #0) Six barrels")
		cites := res.Reply.Citations
		if len(cites) != 2 || cites[0].ID != "1" || cites[1].ID != "oil-ledger" || cites[0].Score != 0.91 || res.Reply.LoreNote != "" {
			t.Errorf("citations %+v", cites)
		}
		if n := ev.of(chat.EventCitation); len(n) != 2 || n[1].Citation.Doc != "ledger.txt" {
			t.Errorf("citation events %+v", n)
		}
		p, _ := e.chats.Prompt(c.Chat.ID, res.Reply.ID)
		if len(p.Trace) != 2 {
			t.Errorf("trace %v", p.Trace)
		}
	})
}

func TestDeployedAPIIsSingleTurn(t *testing.T) {
	e := newEnv(t)
	api := npcapifake.New()
	t.Cleanup(api.Close)
	if _, err := e.reg.Add(provider.Provider{Name: "ada", Kind: provider.KindNPCAPI, TextURL: api.TextURL(), RAGURL: api.RAGURL()}, ""); err != nil {
		t.Fatal(err)
	}
	c := e.newChat(t)
	var ev events
	res, err := e.runner.Send(context.Background(), c.Chat.ID, "What is the Empire?", chat.Config{Provider: "ada", Mode: chat.ModeRAG}, ev.add)
	if err != nil {
		t.Fatal(err)
	}
	reqs := api.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/prod/rag" || !strings.Contains(string(reqs[0].Body), `"question":"What is the Empire?"`) {
		t.Fatalf("requests %+v", reqs)
	}
	r := res.Reply
	if r.Family != "npcapi" || r.Model != "rag" || r.Notice != chat.NPCAPINotice || r.LoreNote != "" || r.Text == "" {
		t.Errorf("reply %+v", r)
	}
	if n := ev.of(chat.EventNotice); len(n) != 1 || !strings.Contains(n[0].Text, "persona server-side") {
		t.Errorf("notices %+v", n)
	}
}

func TestCompareAndVerdicts(t *testing.T) {
	e := newEnv(t)
	e.fake.Default = openaifake.Reply{Tokens: []string{"Aye", "."}}
	cfgs := []chat.Config{
		{Provider: "local", Mode: chat.ModeBase},
		{Provider: "local", Model: "mira-ft", Mode: chat.ModeFineTuned},
		{Provider: "gone", Mode: chat.ModeRAG},
	}
	var mu = make(chan struct{}, 1)
	perColumn := map[int]string{}
	run, err := e.runner.Compare(context.Background(), "Mira Saltwhistle", "Fix my anchor?", cfgs, func(col int, ev chat.Event) error {
		mu <- struct{}{}
		if ev.Type == chat.EventToken {
			perColumn[col] += ev.Text
		}
		<-mu
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.Message != "Fix my anchor?" || run.PersonaName != "Mira Saltwhistle" || len(run.Columns) != 3 {
		t.Fatalf("run %+v", run)
	}
	for i := range 2 {
		col := run.Columns[i]
		if col.Answer == nil || col.Answer.Text != "Aye." || col.Error != "" || perColumn[i] != "Aye." || col.Answer.Mode != cfgs[i].Mode {
			t.Errorf("column %d: %+v (streamed %q)", i, col, perColumn[i])
		}
	}
	if bad := run.Columns[2]; bad.Answer != nil || bad.ErrorCode != "not_found" || !strings.Contains(bad.Error, `provider "gone"`) {
		t.Errorf("failed column %+v", bad)
	}
	if run.Columns[1].Answer.Model != "mira-ft" {
		t.Errorf("fine-tuned column answered with %s", run.Columns[1].Answer.Model)
	}
	// Each column is a chat, kept out of the chat list, with the player's line saved.
	page, _ := e.chats.List(chat.ListOptions{})
	all, _ := e.chats.List(chat.ListOptions{WithCompare: true})
	if page.Total != 0 || all.Total != 3 {
		t.Errorf("chat lists: %d without compare, %d with", page.Total, all.Total)
	}
	v, _ := e.chats.Get(run.Columns[2].ChatID)
	if v.Messages[len(v.Messages)-1].Text != "Fix my anchor?" {
		t.Errorf("failed column lost the line: %+v", v.Messages)
	}

	if _, err := e.chats.SaveVerdict(run.ID, 3, "", "Ana"); !isInvalid(err) {
		t.Errorf("winner out of range: %v", err)
	}
	judged, err := e.chats.SaveVerdict(run.ID, 1, "  Shorter, and she calls him landfolk.  ", "Ana Writer")
	if err != nil {
		t.Fatal(err)
	}
	if vd := judged.Verdict; vd == nil || vd.Winner != 1 || vd.Note != "Shorter, and she calls him landfolk." || vd.Author != "Ana Writer" || vd.At == "" {
		t.Errorf("verdict %+v", judged.Verdict)
	}
	if _, err := e.runner.Compare(context.Background(), "Mira Saltwhistle", "Unjudged", cfgs[:2], nil); err != nil {
		t.Fatal(err)
	}
	list, err := e.chats.ListRuns(chat.RunListOptions{Judged: true})
	if err != nil || list.Total != 1 || list.Items[0].ID != run.ID || list.Items[0].Columns[1].Answer == nil {
		t.Fatalf("verdicts %+v %v", list, err)
	}
	if all, _ := e.chats.ListRuns(chat.RunListOptions{}); all.Total != 2 {
		t.Errorf("%d runs", all.Total)
	}

	for _, n := range []int{1, 5} {
		if _, err := e.runner.Compare(context.Background(), "Mira Saltwhistle", "x", make([]chat.Config, n), nil); !isInvalid(err) {
			t.Errorf("%d configurations: %v", n, err)
		}
	}
}

func TestDeleteChat(t *testing.T) {
	e := newEnv(t)
	c := e.newChat(t)
	res, err := e.runner.Send(context.Background(), c.Chat.ID, "Hello", chat.Config{Provider: "local", Mode: chat.ModeBase}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.chats.Delete(c.Chat.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.chats.Get(c.Chat.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Errorf("deleted chat: %v", err)
	}
	if _, err := e.chats.Prompt(c.Chat.ID, res.Reply.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Errorf("deleted prompt: %v", err)
	}
}

func TestActivePath(t *testing.T) {
	msgs := []chat.Message{
		{ID: "a"}, {ID: "b", ParentID: "a"}, {ID: "c", ParentID: "a"}, {ID: "d", ParentID: "b"}, {ID: "e"},
	}
	for _, tc := range []struct {
		name   string
		active map[string]string
		want   []string
	}{
		{"newest child when none is marked", nil, []string{"e"}},
		{"marked children", map[string]string{"": "a", "a": "b"}, []string{"a", "b", "d"}},
		{"a mark to a missing message falls back", map[string]string{"": "a", "a": "zz"}, []string{"a", "c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, chat.ActivePath(msgs, tc.active)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	if got := chat.ActivePath(nil, nil); len(got) != 0 {
		t.Errorf("empty chat: %v", got)
	}
}

func TestEstimateCost(t *testing.T) {
	for _, tc := range []struct {
		model string
		usage *chat.Usage
		usd   float64
		ok    bool
	}{
		{"anthropic.claude-3-haiku-20240307-v1:0", &chat.Usage{InputTokens: 1000, OutputTokens: 200}, 0.0005, true},
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", &chat.Usage{InputTokens: 1_000_000}, 0.8, true},
		{"gpt-4o-mini", &chat.Usage{InputTokens: 300, OutputTokens: 100}, 0.000105, true},
		{"llama3.1:8b", &chat.Usage{InputTokens: 300, OutputTokens: 100}, 0, false},
		{"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc", &chat.Usage{InputTokens: 5}, 0, false},
		{"gpt-4o", nil, 0, false},
	} {
		usd, ok := chat.EstimateCost(tc.model, tc.usage)
		if ok != tc.ok || usd != tc.usd {
			t.Errorf("%s %+v: %v %v, want %v %v", tc.model, tc.usage, usd, ok, tc.usd, tc.ok)
		}
	}
}

func TestListShowsTheLastLineOfTheActivePath(t *testing.T) {
	e := newEnv(t)
	c := e.newChat(t)
	cfg := chat.Config{Provider: "local", Mode: chat.ModeBase}
	first, err := e.chats.AddUser(c.Chat.ID, "Where is the harbour?", cfg)
	if err != nil {
		t.Fatal(err)
	}
	long := "The harbour lies past the\nsalt market, down the hill where the gulls nest on every roof and the fishwives shout the prices of the morning catch."
	if _, err := e.chats.AddReply(c.Chat.ID, chat.Message{ParentID: first.ID, Text: long}, nil); err != nil {
		t.Fatal(err)
	}
	summary := func() chat.Summary {
		t.Helper()
		page, err := e.chats.List(chat.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Items {
			if s.ID == c.Chat.ID {
				return s
			}
		}
		t.Fatalf("chat %s not listed", c.Chat.ID)
		return chat.Summary{}
	}
	s := summary()
	want := "The harbour lies past the salt market, down the hill where the gulls nest on…"
	if s.LastLine != want || s.LastRole != chat.RoleAssistant {
		t.Errorf("last line = %q (%s), want %q (assistant)", s.LastLine, s.LastRole, want)
	}

	// Editing the player's line starts a branch: the list follows the branch the writer sees.
	if _, _, err := e.chats.Edit(c.Chat.ID, first.ID, "Where is the lighthouse?"); err != nil {
		t.Fatal(err)
	}
	if s := summary(); s.LastLine != "Where is the lighthouse?" || s.LastRole != chat.RoleUser {
		t.Errorf("after an edit, last line = %q (%s)", s.LastLine, s.LastRole)
	}
	// Going back to the first branch shows its reply again.
	if _, err := e.chats.Select(c.Chat.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if s := summary(); s.LastLine != want {
		t.Errorf("after selecting the first branch, last line = %q", s.LastLine)
	}
}
