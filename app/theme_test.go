package app

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestIndexCarriesTheSavedThemeBeforeFirstPaint(t *testing.T) {
	g := newGuarded(t, guardAddr)
	page := func() string {
		r := httptest.NewRequest(http.MethodGet, "http://"+guardAddr+"/", nil)
		r.AddCookie(&http.Cookie{Name: "npcstudio_41234", Value: g.token})
		rec := g.serve(r)
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
		return rec.Body.String()
	}
	if p := page(); !strings.Contains(p, `<html data-theme-pref="system"`) {
		t.Fatalf("fresh workspace page: %s", p)
	}
	for _, theme := range []string{"light", "dark"} {
		s, _ := g.a.Settings.Get()
		s.Theme = theme
		if _, err := g.a.Settings.Save(s); err != nil {
			t.Fatal(err)
		}
		if p := page(); !strings.Contains(p, `<html data-theme-pref="`+theme+`"`) {
			t.Fatalf("after saving %s: %s", theme, p)
		}
	}
}

func TestWindowIndexCarriesTheSavedTheme(t *testing.T) {
	a := newApp(t, t.TempDir())
	s, _ := a.Settings.Get()
	s.Theme = "light"
	a.Settings.Save(s)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><html lang=\"en\"><head></head></html>")}, "x.js": {Data: []byte("js")}}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "asset") })
	h := a.themedIndex(assets)(next)
	for path, want := range map[string]string{"/": `<html data-theme-pref="light" lang="en">`, "/index.html": `data-theme-pref="light"`, "/x.js": "asset"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if !strings.Contains(rec.Body.String(), want) {
			t.Fatalf("%s: %s", path, rec.Body)
		}
	}
}
