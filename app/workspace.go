package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/npcstudio/npcstudio/backend/applog"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

// WorkspaceService reports on the workspace, checks the installation, and moves a whole
// workspace in and out of one archive.
type WorkspaceService struct{ a *App }

// WorkspaceStatus is what the window shows first: whether the workspace is open, and if not,
// why and what to do.
type WorkspaceStatus struct {
	Open         bool        `json:"open"`
	DataDir      string      `json:"dataDir"`
	Version      string      `json:"version"`
	Error        *AppError   `json:"error,omitempty"`
	LastGoodCopy string      `json:"lastGoodCopy,omitempty"`
	Info         *store.Info `json:"info,omitempty"`
}

// Status describes the open workspace, or why it could not be opened.
func (s *WorkspaceService) Status() (out WorkspaceStatus, err error) {
	defer guard(s.a.log, &err)
	out = WorkspaceStatus{DataDir: s.a.dataDir, Version: Version}
	st, openErr := s.a.store()
	if openErr != nil {
		shaped := FormatError(openErr)
		out.Error = &shaped
		if p, ok := store.LastGoodBackup(s.a.dataDir); ok {
			out.LastGoodCopy = p
		}
		return out, nil
	}
	info, err := st.Info()
	if err != nil {
		return out, err
	}
	out.Open, out.Info = true, &info
	return out, nil
}

// Reopen tries again to open a workspace that could not be opened (the other NPC Studio
// has closed it, a backup was restored by hand), and reports the new status.
func (s *WorkspaceService) Reopen() (out WorkspaceStatus, err error) {
	defer guard(s.a.log, &err)
	s.a.mu.Lock()
	if s.a.st == nil {
		s.a.open()
	}
	s.a.mu.Unlock()
	return s.Status()
}

// DoctorReport checks everything the studio depends on.
type DoctorReport struct {
	OK        bool                  `json:"ok"`
	Version   string                `json:"version"`
	DataDir   string                `json:"dataDir"`
	LogFile   string                `json:"logFile"`
	Workspace DoctorWorkspace       `json:"workspace"`
	Keychain  secrets.Status        `json:"keychain"`
	Webview   WebviewStatus         `json:"webview"`
	Providers []provider.TestResult `json:"providers"`
	AWS       AWSStatus             `json:"aws"`
}

// DoctorWorkspace is the workspace part of the report.
type DoctorWorkspace struct {
	Open                   bool        `json:"open"`
	Path                   string      `json:"path"`
	SchemaVersion          int         `json:"schemaVersion"`
	SupportedSchemaVersion int         `json:"supportedSchemaVersion"`
	Health                 string      `json:"health"`
	Problems               []string    `json:"problems"`
	Error                  *AppError   `json:"error,omitempty"`
	LastGoodCopy           string      `json:"lastGoodCopy,omitempty"`
	Info                   *store.Info `json:"info,omitempty"`
}

// AWSStatus says whether AWS is set up on this machine and who it signs in as.
type AWSStatus struct {
	Configured bool            `json:"configured"`
	Identity   *cloud.Identity `json:"identity,omitempty"`
	Error      string          `json:"error,omitempty"`
}

// Doctor checks the workspace, keychain, webview, providers and AWS identity.
func (s *WorkspaceService) Doctor() (out DoctorReport, err error) {
	defer guard(s.a.log, &err)
	return s.a.doctor(s.a.ctx()), nil
}

func (a *App) doctor(ctx context.Context) DoctorReport {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	r := DoctorReport{
		OK: true, Version: Version, DataDir: a.dataDir,
		LogFile:   filepath.Join(a.dataDir, "logs", applog.FileName),
		Providers: []provider.TestResult{},
		Webview:   webviewStatus(),
	}
	w := &r.Workspace
	w.Path = filepath.Join(a.dataDir, store.FileName)
	w.SupportedSchemaVersion = store.SchemaVersion
	w.Problems = []string{}
	st, openErr := a.store()
	if openErr != nil {
		r.OK = false
		shaped := FormatError(openErr)
		w.Error, w.Health = &shaped, "not open"
		if p, ok := store.LastGoodBackup(a.dataDir); ok {
			w.LastGoodCopy = p
		}
	} else {
		w.Open = true
		if info, err := st.Info(); err == nil {
			w.Info, w.SchemaVersion = &info, info.SchemaVersion
		}
		w.Health = "ok"
		if err := st.Check(); err != nil {
			r.OK, w.Health = false, "damaged"
			w.Problems = append(w.Problems, err.Error())
		}
	}

	keychain := make(chan secrets.Status, 1)
	go func() { keychain <- a.secrets.Status(ctx) }()

	if openErr == nil {
		if reg, err := a.registry(); err == nil {
			if res, err := reg.CheckAll(ctx); err == nil {
				r.Providers = res
				for _, p := range res {
					r.OK = r.OK && p.Reachable
				}
			}
		}
	}
	if r.AWS.Configured = cloud.Configured(); r.AWS.Configured {
		cfg, err := cloud.LoadConfig(ctx, "", "")
		if err == nil {
			var id cloud.Identity
			if id, err = cloud.WhoAmI(ctx, cfg); err == nil {
				r.AWS.Identity = &id
			}
		}
		if err != nil {
			r.AWS.Error = err.Error()
		}
	}
	r.Keychain = <-keychain
	// A window that cannot open for want of a display is no problem of the studio's (the
	// command line works); a keychain that cannot keep keys and a failing AWS sign-in are.
	r.OK = r.OK && r.Keychain.Available && r.AWS.Error == ""
	return r
}

// WebviewStatus says which web view the window uses and whether a display is there for it.
type WebviewStatus struct {
	Library string `json:"library"`
	Display bool   `json:"display"`
	Detail  string `json:"detail"`
}

func webviewStatus() WebviewStatus {
	w := WebviewStatus{Library: webviewLibrary, Display: hasDisplay()}
	if w.Display {
		w.Detail = "the window can open"
	} else {
		w.Detail = "no display: the window cannot open here (use the command line, or xvfb-run)"
	}
	return w
}

// ArchiveRequest names a workspace archive file.
type ArchiveRequest struct {
	Path string `json:"path"`
}

// Export writes the whole workspace to one archive with a manifest and checksums. Keys are
// in the keychain, so they are never in an archive.
func (s *WorkspaceService) Export(req ArchiveRequest) (out store.Manifest, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return out, err
	}
	if req.Path == "" {
		return out, errors.New("path: give the archive file to write")
	}
	// The lore library's keyword index is files beside the workspace that its background
	// writer and running operations may still be changing: stop those, close the library so
	// the archive holds a settled copy, and keep it closed (holding the lock) until the
	// archive is written. It reopens on next use.
	resume, err := s.a.ops.stopAll("the workspace is being exported")
	defer resume()
	if err != nil {
		return out, fmt.Errorf("export: %w", err)
	}
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	if s.a.st == nil {
		if s.a.openErr != nil {
			return out, s.a.openErr
		}
		return out, errors.New("the workspace is closed")
	}
	s.a.closeLore()
	out, err = s.a.st.Export(s.a.ctx(), req.Path, Version)
	if err == nil {
		s.a.log.Info("workspace exported", "archive", req.Path, "files", len(out.Files))
	}
	return out, err
}

// Import replaces the workspace with an archive's, after checking the whole archive. The
// current workspace is backed up first; a damaged archive changes nothing.
func (s *WorkspaceService) Import(req ArchiveRequest) (out store.Manifest, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return out, err
	}
	if req.Path == "" {
		return out, errors.New("path: give the archive file to read")
	}
	if _, err := os.Stat(req.Path); err != nil {
		return out, fmt.Errorf("archive %s: %w", req.Path, err)
	}
	ctx := s.a.ctx()
	// Check before closing, so a bad archive never interrupts the writer's session.
	if _, err := store.VerifyArchive(ctx, req.Path); err != nil {
		return out, err
	}
	resume, err := s.a.ops.stopAll("the workspace is being replaced by an archive")
	defer resume()
	if err != nil {
		return out, fmt.Errorf("import: %w", err)
	}
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	if s.a.st != nil {
		s.a.closeLore()
		if err := s.a.st.Close(); err != nil {
			return out, err
		}
		s.a.st = nil
	}
	out, err = store.Import(ctx, req.Path, s.a.dataDir)
	s.a.open()
	if err == nil {
		err = s.a.openErr
	}
	if err == nil {
		s.a.log.Info("workspace imported", "archive", req.Path)
	}
	return out, err
}
