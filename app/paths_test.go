package app

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

func TestUserPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	work := t.TempDir()
	tests := []struct {
		name, workDir, in, want, problem string
	}{
		{"absolute", "", "/srv/cards/mira.png", "/srv/cards/mira.png", ""},
		{"absolute cleaned and trimmed", "", "  /srv/cards/../cards/mira.png ", "/srv/cards/mira.png", ""},
		{"home", "", "~/cards/mira.png", filepath.Join(home, "cards", "mira.png"), ""},
		{"home alone", "", "~", home, ""},
		{"empty stays empty", "", "  ", "", ""},
		{"relative in the window", "", "cards/mira.png", "", "cards/mira.png is not a full path; use Browse… or give the whole path, such as " + filepath.Join(home, "cards/mira.png")},
		{"dot path in the window", "", "./mira.png", "", "./mira.png is not a full path"},
		{"another user's home is not expanded", "", "~bob/x", "", "~bob/x is not a full path"},
		{"relative on the command line", work, "cards/mira.png", filepath.Join(work, "cards", "mira.png"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &App{workDir: tt.workDir}
			got, err := a.userPath("path", tt.in)
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("userPath(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.problem)
				}
				if s := FormatError(err); s.Code != "invalid" || s.Field != "path" {
					t.Fatalf("shaped as %+v", s)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("userPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// Every service that takes a path refuses a relative one with the same sentence, and does
// nothing with it.
func TestEveryPathTakingServiceRefusesARelativePath(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	a := New(Options{DataDir: t.TempDir(), Secrets: secrets.NewMemory()})
	t.Cleanup(func() { a.Close() })
	const rel = "stuff/thing.json"
	want := rel + " is not a full path; use Browse…"
	calls := map[string]func() error{
		"persona import": func() error { _, err := a.Personas.Import(ImportCardRequest{Path: rel}); return err },
		"persona export": func() error {
			_, err := a.Personas.Export(ExportCardRequest{Ref: "x", Format: "ccv2", Path: rel})
			return err
		},
		"persona from file": func() error { _, err := a.Personas.Create(CreatePersonaRequest{FromFile: rel}); return err },
		"dataset validate":  func() error { _, err := a.Datasets.ValidateFile(FileValidateRequest{Path: rel}); return err },
		"dataset import": func() error {
			_, err := a.Datasets.Import(DatasetImportRequest{Import: dataset.ImportRequest{DatasetID: "x", Path: rel}})
			return err
		},
		"dataset export": func() error {
			_, err := a.Datasets.Export(DatasetExportRequest{Export: dataset.ExportRequest{DatasetID: "x", Path: rel}})
			return err
		},
		"lore add":         func() error { _, err := a.Lore.Add(LoreAddRequest{Paths: []string{"/ok", rel}}); return err },
		"lore preview":     func() error { _, err := a.Lore.Preview(LorePreviewRequest{Path: rel}); return err },
		"batch check":      func() error { _, err := a.Batch.Check(BatchSpecRequest{SpecPath: rel}); return err },
		"batch export":     func() error { _, err := a.Batch.Export(BatchExportRequest{RunID: "x", Dir: rel}); return err },
		"workspace export": func() error { _, err := a.Workspace.Export(ArchiveRequest{Path: rel}); return err },
		"workspace import": func() error { _, err := a.Workspace.Import(ArchiveRequest{Path: rel}); return err },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			if err == nil || !strings.Contains(FormatError(err).Message, want) {
				t.Fatalf("error %v; want %q", err, want)
			}
		})
	}
}

func (g guarded) upload(name string, body []byte, contentType string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://"+guardAddr+"/bridge/upload", bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("Origin", "http://"+guardAddr)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.Header.Set(BridgeTokenHeader, g.token)
	r.Header.Set(UploadNameHeader, url.QueryEscape(name))
	r.AddCookie(&http.Cookie{Name: "npcstudio_41234", Value: g.token})
	return r
}

func TestBridgeUploadKeepsTheFileAndItsName(t *testing.T) {
	g := newGuarded(t, guardAddr)
	body := []byte(`{"spec":"chara_card_v2"}`)
	rec := g.serve(g.upload("Mira the Smith.json", body, "application/octet-stream"))
	var out struct {
		Result Picked   `json:"result"`
		Error  AppError `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Result.Paths) != 1 {
		t.Fatalf("answer %d: %s (%v)", rec.Code, rec.Body, err)
	}
	p := out.Result.Paths[0]
	if filepath.Base(p) != "Mira the Smith.json" || !filepath.IsAbs(p) {
		t.Fatalf("saved as %q", p)
	}
	if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, body) {
		t.Fatalf("saved %q, %v", got, err)
	}
	// A second upload of the same name does not replace the first.
	rec = g.serve(g.upload("Mira the Smith.json", []byte("other"), "application/octet-stream"))
	var again struct {
		Result Picked `json:"result"`
	}
	json.Unmarshal(rec.Body.Bytes(), &again)
	if len(again.Result.Paths) != 1 || again.Result.Paths[0] == p {
		t.Fatalf("second upload: %s", rec.Body)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, body) {
		t.Fatalf("first upload overwritten: %q", got)
	}
	// The folder goes when the studio closes.
	g.a.Close()
	if _, err := os.Stat(filepath.Dir(filepath.Dir(p))); !os.IsNotExist(err) {
		t.Fatalf("upload folder still there after close: %v", err)
	}
}

func TestBridgeUploadRefusals(t *testing.T) {
	tests := []struct {
		name, file, ctype string
		change            func(*http.Request)
		status            int
		message           string
	}{
		{"JSON type", "a.json", "application/json", nil, 415, ""},
		{"form type", "a.json", "application/x-www-form-urlencoded", nil, 415, ""},
		{"no token", "a.json", "application/octet-stream", func(r *http.Request) { r.Header.Del(BridgeTokenHeader) }, 403, ""},
		{"foreign origin", "a.json", "application/octet-stream", func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, 403, ""},
		{"no cookie", "a.json", "application/octet-stream", func(r *http.Request) { r.Header.Del("Cookie") }, 403, ""},
		{"hidden name", ".bashrc", "application/octet-stream", nil, 200, "no usable name"},
		{"no name", "", "application/octet-stream", nil, 200, "no usable name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuarded(t, guardAddr)
			r := g.upload(tt.file, []byte("x"), tt.ctype)
			if tt.change != nil {
				tt.change(r)
			}
			rec := g.serve(r)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.message) || strings.Contains(rec.Body.String(), `"result"`) {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestUploadPathsStayInTheLaunchFolder(t *testing.T) {
	u := &uploads{}
	defer u.close()
	for _, name := range []string{"../../etc/passwd", `..\..\evil.txt`, "/abs/name.txt"} {
		p, err := u.save(name, strings.NewReader("x"))
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if rel, err := filepath.Rel(u.dir, p); err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("%q saved outside the upload folder: %s", name, p)
		}
	}
}
