package cli

import (
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

func authorizations(f *openaifake.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		if r.Authorization != "" {
			out = append(out, r.Authorization)
		}
	}
	return out
}

// The command line is where the writer types names: --api-key-env takes any variable, as
// before, and a new --base-url needs the key again.
func TestProviderEditNeedsTheKeyForANewURL(t *testing.T) {
	a := openaifake.New("m")
	defer a.Close()
	b := openaifake.New("m")
	defer b.Close()
	a.Key, b.Key = "sk-a", "sk-b"
	dir := t.TempDir()
	sec := secrets.NewMemory()
	cli := func(stdin string, args ...string) result {
		return run(t, sec, stdin, append([]string{"--data-dir", dir}, args...)...)
	}

	if r := cli("sk-a\n", "provider", "add", "p", "--kind", "openai", "--base-url", a.BaseURL(), "--model", "m", "--api-key-stdin"); r.code != ExitOK {
		t.Fatalf("add: %+v", r)
	}
	r := cli("", "provider", "edit", "p", "--base-url", b.BaseURL(), "--json")
	if r.code != ExitError || !strings.Contains(r.stdout, `"field":"apiKey"`) || !strings.Contains(r.stdout, "--api-key-stdin") {
		t.Fatalf("edit without the key: %+v", r)
	}
	if r := cli("", "provider", "test", "p"); r.code != ExitOK {
		t.Fatalf("the refused edit changed the provider: %+v", r)
	}
	if got := authorizations(b); len(got) != 0 {
		t.Fatalf("B received %q", got)
	}
	if r := cli("", "provider", "edit", "p", "--model", "m"); r.code != ExitOK {
		t.Fatalf("edit of the model alone: %+v", r)
	}
	if r := cli("sk-b\n", "provider", "edit", "p", "--base-url", b.BaseURL(), "--api-key-stdin"); r.code != ExitOK || !strings.Contains(r.stdout, "changed provider p") {
		t.Fatalf("edit with the key: %+v", r)
	}
	if r := cli("", "provider", "test", "p"); r.code != ExitOK {
		t.Fatalf("test after the edit: %+v", r)
	}
	if got := authorizations(b); len(got) != 1 || got[0] != "Bearer sk-b" {
		t.Fatalf("B received %q", got)
	}

	// A variable named on the command line needs no confirmation, whatever its name; a new
	// URL needs it named again.
	t.Setenv("MY_GATEWAY_SECRET", "sk-a")
	if r := cli("", "provider", "add", "env", "--kind", "openai", "--base-url", a.BaseURL(), "--model", "m", "--api-key-env", "MY_GATEWAY_SECRET"); r.code != ExitOK {
		t.Fatalf("add with --api-key-env: %+v", r)
	}
	if r := cli("", "provider", "test", "env"); r.code != ExitOK {
		t.Fatalf("test env provider: %+v", r)
	}
	if r := cli("", "provider", "edit", "env", "--base-url", b.BaseURL()); r.code != ExitError || !strings.Contains(r.stderr, "enter the key again") {
		t.Fatalf("moving the env provider without --api-key-env: %+v", r)
	}
	if r := cli("", "provider", "edit", "env", "--base-url", b.BaseURL(), "--api-key-env", "MY_GATEWAY_SECRET"); r.code != ExitOK {
		t.Fatalf("moving the env provider with --api-key-env: %+v", r)
	}
	r = cli("", "provider", "list")
	if !strings.Contains(r.stdout, "$MY_GATEWAY_SECRET") {
		t.Fatalf("list does not say which variable: %s", r.stdout)
	}
}
