package llama3

import (
	"os"
	"sync"

	"github.com/npcstudio/npcstudio/backend/modelpath"
)

// FileName is the ranks file's name, as Meta ships it.
const FileName = "tokenizer.model"

// DirName is the folder that holds FileName in the tool cache (.cache/models/llama3) and
// in the user's cache folder.
const DirName = "llama3"

// SearchPaths are where the studio looks for tokenizer.model, in order: the file
// $NPCSTUDIO_LLAMA3_TOKENIZER names, the user's cache folder
// (<cache>/npcstudio/models/llama3/tokenizer.model), and the tool cache of a source checkout
// the running binary was built in (make puts it there). NPCSTUDIO_LLAMA3_TOKENIZER=none
// looks nowhere: Llama 3 tokens are then estimated.
func SearchPaths() []string {
	return modelpath.Candidates("NPCSTUDIO_LLAMA3_TOKENIZER", DirName, FileName)
}

// Locate returns the first of paths that is a regular file, or "" when none is.
func Locate(paths ...string) string {
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

var (
	defaultOnce sync.Once
	defaultTok  *Tokenizer
	defaultErr  error
)

// Default is the tokenizer of the first of SearchPaths that holds a file, loaded once per
// process. It is nil with a nil error when there is none, and nil with the error when the
// file found is not Llama 3's.
func Default() (*Tokenizer, error) {
	defaultOnce.Do(func() {
		if p := Locate(SearchPaths()...); p != "" {
			defaultTok, defaultErr = Load(p)
		}
	})
	return defaultTok, defaultErr
}
