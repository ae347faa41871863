// NPC Studio: with no command it opens the window; with one it runs the same services
// headless (npcstudio help).
package main

import (
	"embed"
	"io/fs"
	"os"
	"time"

	"github.com/npcstudio/npcstudio/app/cli"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	started := time.Now()
	assets, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		panic(err)
	}
	cli.Main(os.Args[1:], assets, started)
}
