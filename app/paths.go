package app

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// Every path a writer gives (a card to import, a folder of lore, a file to export to) enters
// the services through userPath, so the same bad path gets the same message in the window,
// the browser and on the command line.
//
// A leading ~ is the writer's home folder. A relative path is refused where there is no
// working folder that means anything to the writer (the window, the browser page); the
// command line sets Options.WorkDir to the folder it was started in, and resolves against it.

// userPath cleans p for field: trims it, expands ~, and makes it absolute or refuses it. An
// empty p stays empty (the caller says what is missing).
func (a *App) userPath(field, p string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return "", nil
	}
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return "", fault.Invalid(field, "%s starts with ~ but this account has no home folder; give the full path", p)
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) {
		if a.workDir == "" {
			return "", fault.Invalid(field, "%s is not a full path; use Browse… or give the whole path, such as %s", p, examplePath(p))
		}
		p = filepath.Join(a.workDir, p)
	}
	return filepath.Clean(p), nil
}

// userPaths is userPath for a list; blank entries are dropped.
func (a *App) userPaths(field string, ps []string) ([]string, error) {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		q, err := a.userPath(field, p)
		if err != nil {
			return nil, err
		}
		if q != "" {
			out = append(out, q)
		}
	}
	return out, nil
}

// examplePath suggests where a relative name might have been meant: the home folder.
func examplePath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, p)
	}
	return string(filepath.Separator) + p
}
