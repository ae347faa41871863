package app

import (
	"errors"
	"strings"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
	bolt "go.etcd.io/bbolt"
)

const bucketSettings = "settings"

var settingsBuckets = []string{bucketSettings}

// Settings are the writer's preferences kept with the workspace.
type Settings struct {
	V int `json:"v"`
	// Author signs every saved version (persona, template, dataset).
	Author string `json:"author"`
	// Theme is "system", "light" or "dark".
	Theme string `json:"theme"`
	// LastFolder is where the file dialogs open next (the folder of the last file picked).
	LastFolder string `json:"lastFolder,omitempty"`
}

func defaultSettings() Settings { return Settings{V: 1, Theme: "system"} }

// SettingsService reads and saves the writer's preferences.
type SettingsService struct{ a *App }

// Get returns the saved settings, or the defaults.
func (s *SettingsService) Get() (out Settings, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	out = defaultSettings()
	err = st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, bucketSettings, "settings", &out) })
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return out, err
}

// Save replaces the settings.
func (s *SettingsService) Save(in Settings) (out Settings, err error) {
	defer guard(s.a.log, &err)
	in.V = 1
	in.Author = strings.TrimSpace(in.Author)
	switch in.Theme {
	case "":
		in.Theme = "system"
	case "system", "light", "dark":
	default:
		return out, fault.Invalid("theme", "%q is not a theme (system, light or dark)", in.Theme)
	}
	if len(in.Author) > 100 {
		return out, fault.Invalid("author", "is longer than 100 characters")
	}
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	return in, st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, bucketSettings, "settings", in) })
}
