package app

import (
	"bytes"
	"io/fs"
	"net/http"
)

// The page sets its theme before the first paint from data-theme-pref on <html>, which Go
// writes from the saved setting into every index.html it serves (window and browser page).

// themePref is the saved theme, "system" when there is none or the workspace is not open.
func (a *App) themePref() string {
	s, err := a.Settings.Get()
	if err != nil {
		return "system"
	}
	switch s.Theme {
	case "light", "dark":
		return s.Theme
	}
	return "system"
}

// withTheme marks page's <html> with the theme to paint first.
func withTheme(page []byte, theme string) []byte {
	return bytes.Replace(page, []byte("<html"), []byte(`<html data-theme-pref="`+theme+`"`), 1)
}

// themedIndex serves index.html with the saved theme for "/" and "/index.html"; everything
// else goes to next.
func (a *App) themedIndex(assets fs.FS) func(next http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" && r.URL.Path != "/index.html" {
				next.ServeHTTP(w, r)
				return
			}
			page, err := fs.ReadFile(assets, "index.html")
			if err != nil {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(withTheme(page, a.themePref()))
		})
	}
}
