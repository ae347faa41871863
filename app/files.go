package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/npcstudio/npcstudio/backend/fault"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// FileFilter narrows a file dialog to some kinds of file: Pattern is "*.png;*.json".
type FileFilter struct {
	Name    string `json:"name"`
	Pattern string `json:"pattern"`
}

// PickRequest asks for the native file dialog.
type PickRequest struct {
	// Mode is "open" (one file), "openMany" (files), "folder" or "save".
	Mode    string       `json:"mode"`
	Title   string       `json:"title,omitempty"`
	Filters []FileFilter `json:"filters,omitempty"`
	// Current is the path in the field now: the dialog starts in its folder.
	Current string `json:"current,omitempty"`
	// SuggestedName is the file name a save dialog proposes.
	SuggestedName string `json:"suggestedName,omitempty"`
}

// Picked is what the writer chose; Paths is empty when the dialog was cancelled.
type Picked struct {
	Paths []string `json:"paths"`
}

// ErrNoDialog is returned by Pick where there is no native dialog (the browser page).
var ErrNoDialog = errors.New("no file dialog here: type the path, or upload the file")

// FilesService opens the native file dialogs and remembers the last folder used.
type FilesService struct {
	a *App

	mu  sync.Mutex
	win context.Context // the window's context, once it has started
}

func (s *FilesService) setWindow(ctx context.Context) {
	s.mu.Lock()
	s.win = ctx
	s.mu.Unlock()
}

func (s *FilesService) window() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.win
}

// Pick opens the native dialog for req.Mode, starting in the folder of req.Current or the
// last folder used, and remembers the folder of what was picked.
func (s *FilesService) Pick(req PickRequest) (out Picked, err error) {
	defer guard(s.a.log, &err)
	out.Paths = []string{}
	ctx := s.window()
	if ctx == nil {
		return out, ErrNoDialog
	}
	start := s.startFolder(req.Current)
	filters := make([]wruntime.FileFilter, 0, len(req.Filters))
	for _, f := range req.Filters {
		filters = append(filters, wruntime.FileFilter{DisplayName: f.Name, Pattern: f.Pattern})
	}
	var picked []string
	switch req.Mode {
	case "open", "":
		p, e := wruntime.OpenFileDialog(ctx, wruntime.OpenDialogOptions{Title: req.Title, DefaultDirectory: start, Filters: filters})
		picked, err = []string{p}, e
	case "openMany":
		picked, err = wruntime.OpenMultipleFilesDialog(ctx, wruntime.OpenDialogOptions{Title: req.Title, DefaultDirectory: start, Filters: filters})
	case "folder":
		p, e := wruntime.OpenDirectoryDialog(ctx, wruntime.OpenDialogOptions{Title: req.Title, DefaultDirectory: start, CanCreateDirectories: true})
		picked, err = []string{p}, e
	case "save":
		p, e := wruntime.SaveFileDialog(ctx, wruntime.SaveDialogOptions{Title: req.Title, DefaultDirectory: start, DefaultFilename: req.SuggestedName, Filters: filters, CanCreateDirectories: true})
		picked, err = []string{p}, e
	default:
		return out, fault.Invalid("mode", "%q is not a dialog (open, openMany, folder or save)", req.Mode)
	}
	if err != nil {
		return out, fmt.Errorf("file dialog: %w", err)
	}
	for _, p := range picked {
		if p != "" {
			out.Paths = append(out.Paths, p)
		}
	}
	if len(out.Paths) > 0 {
		dir := out.Paths[0]
		if req.Mode != "folder" {
			dir = filepath.Dir(dir)
		}
		s.remember(dir)
	}
	return out, nil
}

// startFolder is the folder of current when it exists, else the last folder used, else home.
func (s *FilesService) startFolder(current string) string {
	if p, err := s.a.userPath("current", current); err == nil && p != "" {
		for _, d := range []string{p, filepath.Dir(p)} {
			if fi, err := os.Stat(d); err == nil && fi.IsDir() {
				return d
			}
		}
	}
	if set, err := s.a.Settings.Get(); err == nil && set.LastFolder != "" {
		if fi, err := os.Stat(set.LastFolder); err == nil && fi.IsDir() {
			return set.LastFolder
		}
	}
	home, _ := os.UserHomeDir()
	return home
}

func (s *FilesService) remember(dir string) {
	set, err := s.a.Settings.Get()
	if err != nil || set.LastFolder == dir {
		return
	}
	set.LastFolder = dir
	if _, err := s.a.Settings.Save(set); err != nil {
		s.a.log.Warn("last folder not remembered", "err", err)
	}
}

// MaxUpload is the largest file the browser page may upload (a dataset or a lore PDF fits).
const MaxUpload = 256 << 20

// uploads keeps the files a browser page uploaded in one folder per launch, removed when
// the server stops.
type uploads struct {
	mu  sync.Mutex
	dir string
	n   int
}

// save writes body, at most MaxUpload bytes, as name into the launch's folder and returns
// its path. Each upload gets its own subfolder, so the file keeps its name (which the
// importers show) and two uploads of one name never collide.
func (u *uploads) save(name string, body io.Reader) (string, error) {
	name = filepath.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "" || name == "." || name == "/" || strings.HasPrefix(name, ".") {
		return "", fault.Invalid("name", "the uploaded file has no usable name")
	}
	u.mu.Lock()
	if u.dir == "" {
		d, err := os.MkdirTemp("", "npcstudio-uploads-")
		if err != nil {
			u.mu.Unlock()
			return "", fmt.Errorf("make the upload folder: %w", err)
		}
		u.dir = d
	}
	u.n++
	sub := filepath.Join(u.dir, fmt.Sprint(u.n))
	u.mu.Unlock()
	if err := os.Mkdir(sub, 0o700); err != nil {
		return "", fmt.Errorf("make the upload folder: %w", err)
	}
	path := filepath.Join(sub, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("save the upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(body, MaxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > MaxUpload {
		err = fault.Invalid("file", "%s is larger than %d MB, the most the browser page can upload; open the studio's window to use it in place", name, MaxUpload>>20)
	}
	if err != nil {
		os.RemoveAll(sub)
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = fault.Invalid("file", "%s is larger than %d MB, the most the browser page can upload", name, MaxUpload>>20)
		}
		return "", err
	}
	return path, nil
}

// close removes every uploaded file.
func (u *uploads) close() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.dir != "" {
		os.RemoveAll(u.dir)
		u.dir = ""
	}
}
