// Package modelpath says where the studio looks for model files it does not ship (the
// built-in embedder's model, Llama 3's tokenizer): a path an environment variable names,
// the user's cache folder, where the studio downloads them, and the tool cache of a
// source checkout the running binary was built in, where make puts them.
package modelpath

import (
	"os"
	"path/filepath"
)

// UserDir is <user cache>/npcstudio/models/name, "" when the system has no cache folder.
func UserDir(name string) string {
	c, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(c, "npcstudio", "models", name)
}

// Candidates are the paths to look at, in order: the value of the environment variable env
// when set (as it is; "none" looks nowhere, so the list is empty), then file in UserDir(name)
// and in the checkout's .cache/models/name. file "" gives the folders themselves.
func Candidates(env, name, file string) []string {
	var paths []string
	switch v := os.Getenv(env); v {
	case "none":
		return nil
	case "":
	default:
		paths = append(paths, v)
	}
	if d := UserDir(name); d != "" {
		paths = append(paths, filepath.Join(d, file))
	}
	if exe, err := os.Executable(); err == nil {
		// build/bin/npcstudio in a checkout: the cache is ../../.cache.
		paths = append(paths, filepath.Join(filepath.Dir(exe), "..", "..", ".cache", "models", name, file))
	}
	return paths
}
