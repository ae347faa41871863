package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line in-process, as the binary would, against one workspace.
func run(t *testing.T, sec secrets.Store, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Secrets: sec}
	code := Run(context.Background(), args, env)
	return result{code, out.String(), errb.String()}
}

func TestVersionAndUsageErrors(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, nil, "", "--data-dir", dir, "version"); r.code != ExitOK || !strings.HasPrefix(r.stdout, "npcstudio ") {
		t.Fatalf("version: %+v", r)
	}
	tests := []struct {
		name string
		args []string
	}{
		{"unknown command", []string{"frobnicate"}},
		{"unknown flag", []string{"version", "--nope"}},
		{"missing argument", []string{"workspace", "export"}},
		{"too many arguments", []string{"provider", "test", "a", "b"}},
		{"group without subcommand", []string{"provider"}},
		{"missing --kind", []string{"provider", "add", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, "", append([]string{"--data-dir", dir, "--json"}, tt.args...)...)
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want %d: %+v", r.code, ExitUsage, r)
			}
			var e struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &e); err != nil || e.Error.Code != "usage" || e.Error.Message == "" {
				t.Fatalf("--json error: %q (%v)", r.stdout, err)
			}
		})
	}
}

func TestDoctorJSONDescribesWorkspace(t *testing.T) {
	noAWS(t)
	dir := t.TempDir()
	r := run(t, secrets.NewMemory(), "", "--data-dir", dir, "doctor", "--json")
	if r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	var d struct {
		DataDir   string `json:"dataDir"`
		Workspace struct {
			Open          bool   `json:"open"`
			Path          string `json:"path"`
			SchemaVersion int    `json:"schemaVersion"`
			Health        string `json:"health"`
			Info          struct {
				WorkspaceID string         `json:"workspaceId"`
				Buckets     map[string]int `json:"buckets"`
			} `json:"info"`
		} `json:"workspace"`
		Keychain struct {
			Available bool `json:"available"`
		} `json:"keychain"`
		Providers []any `json:"providers"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("doctor --json is not JSON: %v\n%s", err, r.stdout)
	}
	if d.DataDir != dir || !d.Workspace.Open || d.Workspace.Health != "ok" || d.Workspace.SchemaVersion < 1 ||
		d.Workspace.Path != filepath.Join(dir, "workspace.db") || d.Workspace.Info.WorkspaceID == "" || d.Providers == nil {
		t.Fatalf("doctor: %+v", d)
	}
	if _, ok := d.Workspace.Info.Buckets["providers"]; !ok {
		t.Fatalf("buckets: %v", d.Workspace.Info.Buckets)
	}
}

func TestProviderLifecycle(t *testing.T) {
	fake := openaifake.New("llama3.1:8b")
	defer fake.Close()
	fake.Key = "sk-cli"
	dir := t.TempDir()
	sec := secrets.NewMemory()

	r := run(t, sec, "sk-cli\n", "--data-dir", dir, "provider", "add", "local", "--kind", "openai",
		"--base-url", fake.BaseURL(), "--model", "llama3.1:8b", "--api-key-stdin")
	if r.code != ExitOK || !strings.Contains(r.stdout, "added provider local") {
		t.Fatalf("add: %+v", r)
	}
	r = run(t, sec, "", "--data-dir", dir, "provider", "add", "bad", "--kind", "openai", "--model", "m", "--json")
	if r.code != ExitError || !strings.Contains(r.stdout, `"field":"baseUrl"`) || !strings.Contains(r.stdout, `"code":"invalid"`) {
		t.Fatalf("invalid add: %+v", r)
	}
	r = run(t, sec, "", "--data-dir", dir, "provider", "list", "--json")
	var list struct {
		Providers []struct {
			Name         string `json:"name"`
			HasStoredKey bool   `json:"hasStoredKey"`
		} `json:"providers"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Providers) != 1 || !list.Providers[0].HasStoredKey {
		t.Fatalf("list: %v %s", err, r.stdout)
	}
	if strings.Contains(r.stdout, "sk-cli") {
		t.Fatal("key printed by provider list")
	}
	r = run(t, sec, "", "--data-dir", dir, "provider", "test", "local")
	if r.code != ExitOK || !strings.Contains(r.stdout, "llama3.1:8b is served") {
		t.Fatalf("test: %+v", r)
	}
	fake.Key = "sk-rotated"
	if r = run(t, sec, "", "--data-dir", dir, "provider", "test", "local"); r.code != ExitInvalid {
		t.Fatalf("test with a rejected key: want exit 3, got %+v", r)
	}
	if r = run(t, sec, "", "--data-dir", dir, "provider", "remove", "local"); r.code != ExitOK {
		t.Fatalf("remove: %+v", r)
	}
	if r = run(t, sec, "", "--data-dir", dir, "provider", "remove", "local", "--json"); r.code != ExitError || !strings.Contains(r.stdout, `"code":"not_found"`) {
		t.Fatalf("remove again: %+v", r)
	}
}

func TestWorkspaceExportImportAndDamagedArchive(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	sec := secrets.NewMemory()
	run(t, sec, "", "--data-dir", src, "provider", "add", "ada", "--kind", "npcapi", "--text-url", "https://example.invalid/text")
	archive := filepath.Join(t.TempDir(), "studio.npcws")
	if r := run(t, sec, "", "--data-dir", src, "workspace", "export", archive, "--json"); r.code != ExitOK || !strings.Contains(r.stdout, "workspace.db") {
		t.Fatalf("export: %+v", r)
	}
	run(t, sec, "", "--data-dir", dst, "settings", "set", "--author", "Someone Else")
	if r := run(t, sec, "", "--data-dir", dst, "workspace", "import", archive); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	if r := run(t, sec, "", "--data-dir", dst, "provider", "list"); !strings.Contains(r.stdout, "ada") {
		t.Fatalf("imported workspace lacks the provider: %+v", r)
	}

	// A damaged archive: flip a byte in the middle. The import fails and changes nothing.
	raw, _ := os.ReadFile(archive)
	raw[len(raw)/2] ^= 0xff
	damaged := filepath.Join(t.TempDir(), "damaged.npcws")
	os.WriteFile(damaged, raw, 0o600)
	before := hashTree(t, dst)
	r := run(t, sec, "", "--data-dir", dst, "workspace", "import", damaged, "--json")
	if r.code != ExitError || !strings.Contains(r.stdout, `"code":"archive_invalid"`) {
		t.Fatalf("damaged import: %+v", r)
	}
	if after := hashTree(t, dst); after != before {
		t.Fatal("a damaged archive changed the workspace")
	}
}

// hashTree hashes every file under dir except the log, which records the failed attempt.
func hashTree(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(p, string(filepath.Separator)+"logs"+string(filepath.Separator)) {
			return err
		}
		raw, _ := os.ReadFile(p)
		h.Write([]byte(p))
		h.Write(raw)
		return nil
	})
	return string(h.Sum(nil))
}

func TestServePrintsTheAddressWithItsKey(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	env := &Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: io.Discard, Secrets: secrets.NewMemory(),
		Assets: fstest.MapFS{"index.html": {Data: []byte("<html><head></head><body>studio</body></html>")}}}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--data-dir", t.TempDir(), "--json", "serve", "--addr", "127.0.0.1:0"}, env)
		pw.Close()
	}()
	var line struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(pr).Decode(&line); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr) // an error line at exit must not block the command
	u, err := url.Parse(line.URL)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || len(u.Query().Get("token")) < 43 {
		t.Fatalf("printed %q", line.URL)
	}
	get := func(c *http.Client, addr string) (int, string) {
		resp, err := c.Get(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	bare := *u
	bare.RawQuery = ""
	if code, body := get(http.DefaultClient, bare.String()); code != http.StatusForbidden || strings.Contains(body, "studio</body>") {
		t.Fatalf("without the key: %d %s", code, body)
	}
	jar, _ := cookiejar.New(nil)
	if code, body := get(&http.Client{Jar: jar}, line.URL); code != http.StatusOK || !strings.Contains(body, "studio</body>") {
		t.Fatalf("with the key: %d %s", code, body)
	}
	cancel()
	if code := <-done; code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}

func TestServeOpensItsAddressWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		flag string
		want bool
	}{{"--open", true}, {"--no-open", false}, {"", false}} { // stdout is a pipe here, not a terminal
		t.Run(tc.flag, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			opened := make(chan string, 1)
			env := &Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: io.Discard, Secrets: secrets.NewMemory(),
				Assets:  fstest.MapFS{"index.html": {Data: []byte("<html><head></head><body>studio</body></html>")}},
				OpenURL: func(u string) error { opened <- u; return nil }}
			args := []string{"--data-dir", t.TempDir(), "--json", "serve", "--addr", "127.0.0.1:0"}
			if tc.flag != "" {
				args = append(args, tc.flag)
			}
			done := make(chan int, 1)
			go func() { done <- Run(ctx, args, env); pw.Close() }()
			var line struct {
				URL string `json:"url"`
			}
			if err := json.NewDecoder(pr).Decode(&line); err != nil {
				t.Fatal(err)
			}
			go io.Copy(io.Discard, pr)
			cancel()
			<-done
			select {
			case u := <-opened:
				if !tc.want || u != line.URL {
					t.Fatalf("opened %q (printed %q), want opened=%v", u, line.URL, tc.want)
				}
			default:
				if tc.want {
					t.Fatal("the address was not opened")
				}
			}
		})
	}
}
