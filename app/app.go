package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Version is the studio's version, set at build time with -ldflags "-X ...app.Version=...".
var Version = "0.1.0-dev"

// Options configure an App.
type Options struct {
	DataDir string
	Logger  *slog.Logger
	Secrets secrets.Store
	// WorkDir is the folder relative paths are resolved against (the command line's working
	// folder); empty in the window and the browser, where a relative path is refused.
	WorkDir string
}

// App owns the open workspace and the services built on it.
type App struct {
	dataDir string
	workDir string
	log     *slog.Logger
	secrets secrets.Store
	ops     *Operations

	mu      sync.RWMutex
	st      *store.Store
	openErr error
	// lib is the lore library of st, opened on first use (see LoreService).
	lib *lore.Library
	// beforeClose, when set (tests), is called as Close is about to close the workspace.
	beforeClose func()
	// atClose are run by Close (the browser page's uploads folder).
	atClose []func()

	Workspace *WorkspaceService
	Providers *ProviderService
	// ProvidersTyped is the command line's way to add providers; it is not bound.
	ProvidersTyped *CommandLineProviders
	Operations     *OperationService
	Settings       *SettingsService
	Personas       *PersonaService
	Datasets       *DatasetService
	Chat           *ChatService
	Lore           *LoreService
	Batch          *BatchService
	Cloud          *CloudService
	Models         *ModelService
	Eval           *EvalService
	Files          *FilesService
}

// buckets are every bucket a workspace holds, gathered from the areas that own them.
func buckets() []string {
	var out []string
	out = append(out, provider.Buckets...)
	out = append(out, settingsBuckets...)
	out = append(out, dataset.Buckets...)
	out = append(out, persona.Buckets...)
	out = append(out, chat.Buckets...)
	out = append(out, lore.Buckets...)
	out = append(out, batch.Buckets...)
	out = append(out, cloud.Buckets...)
	out = append(out, evals.Buckets...)
	return out
}

// New opens the workspace in opts.DataDir. A workspace that cannot be opened (held by another
// NPC Studio, damaged, from a newer version) does not stop the App: Status reports why, and
// every service that needs the workspace returns that error.
func New(opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Secrets == nil {
		opts.Secrets = secrets.NewKeychain()
	}
	a := &App{dataDir: opts.DataDir, workDir: opts.WorkDir, log: opts.Logger, secrets: opts.Secrets, ops: newOperations(opts.Logger)}
	a.Workspace = &WorkspaceService{a: a}
	a.Providers = &ProviderService{a: a}
	a.ProvidersTyped = &CommandLineProviders{s: a.Providers}
	a.Operations = &OperationService{a: a}
	a.Settings = &SettingsService{a: a}
	a.Datasets = &DatasetService{a: a}
	a.Personas = &PersonaService{a: a}
	a.Chat = &ChatService{a: a}
	a.Lore = &LoreService{a: a}
	a.Batch = &BatchService{a: a}
	a.Cloud = &CloudService{a: a}
	a.Models = &ModelService{a: a, readiness: a.versionEvidence}
	a.Eval = &EvalService{a: a}
	a.Files = &FilesService{a: a}
	a.open()
	return a
}

func (a *App) open() {
	st, err := store.Open(a.dataDir, store.Options{Buckets: buckets(), Logger: a.log})
	a.st, a.openErr = st, err
	if err != nil {
		a.log.Error("workspace not opened", "dir", a.dataDir, "err", err)
		return
	}
	a.log.Info("workspace opened", "path", st.Path())
	a.plugLore(st)
}

// Close cancels the running operations, waits for them to return (at most stopWait), then
// releases the workspace. Operations that did not stop in time are named in its error; the
// workspace is closed all the same.
func (a *App) Close() error {
	_, stuck := a.ops.stopAll("the studio is closing")
	a.ops.cancelAll()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, f := range a.atClose {
		f()
	}
	a.atClose = nil
	if a.st == nil {
		return stuck
	}
	if a.beforeClose != nil {
		a.beforeClose()
	}
	a.closeLore()
	err := a.st.Close()
	a.st = nil
	return errors.Join(stuck, err)
}

// Bindings are the services the window binds.
func (a *App) Bindings() []any {
	return []any{a.Workspace, a.Providers, a.Operations, a.Settings, a.Personas, a.Datasets, a.Chat, a.Lore, a.Batch, a.Cloud, a.Models, a.Eval, a.Files}
}

// SetEmitter routes operation events to the window (or the browser bridge).
func (a *App) SetEmitter(e Emitter) { a.ops.setEmitter(e) }

// store returns the open workspace, or why there is none.
func (a *App) store() (*store.Store, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.st == nil {
		if a.openErr != nil {
			return nil, a.openErr
		}
		return nil, errors.New("the workspace is closed")
	}
	return a.st, nil
}

func (a *App) registry() (*provider.Registry, error) {
	st, err := a.store()
	if err != nil {
		return nil, err
	}
	return provider.NewRegistry(st, a.secrets), nil
}

// DefaultDataDir is where a workspace lives when --data-dir is not given:
// $NPCSTUDIO_DATA_DIR, else the platform's per-user data folder.
func DefaultDataDir() string {
	if d := os.Getenv("NPCSTUDIO_DATA_DIR"); d != "" {
		return d
	}
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			return filepath.Join(x, "npcstudio")
		}
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, ".local", "share", "npcstudio")
		}
	default:
		if d, err := os.UserConfigDir(); err == nil {
			return filepath.Join(d, "NPC Studio")
		}
	}
	return "npcstudio-data"
}

// guard turns a panic in a bound method into an error for the caller: on Linux a panic that
// escapes kills the window, and Wails' own recovery leaves the caller's promise unsettled.
func guard(log *slog.Logger, err *error) {
	if r := recover(); r != nil {
		buf := make([]byte, 8<<10)
		buf = buf[:runtime.Stack(buf, false)]
		log.Error("panic recovered", "panic", fmt.Sprint(r), "stack", string(buf))
		*err = fmt.Errorf("internal error: %v (details are in the log)", r)
	}
}

// ctx is the context bound calls run under: the window's own is not passed to bound methods in v2.
func (a *App) ctx() context.Context { return a.ops.base }
