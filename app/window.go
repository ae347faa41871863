package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// RunWindow opens the studio's window and blocks until it closes. The window starts hidden
// and is shown when the page is ready, so the writer never sees a blank frame.
func RunWindow(a *App, assets fs.FS, startedAt time.Time) error {
	// The window has no working folder: a relative path is refused (see userPath).
	a.workDir = ""
	// The window's own colour before the page paints follows the saved theme (a light theme
	// on a dark system still starts light).
	bg := options.NewRGB(0x15, 0x17, 0x1c)
	if a.themePref() == "light" {
		bg = options.NewRGB(0xf6, 0xf7, 0xf9)
	}
	return wails.Run(&options.App{
		Title:            "NPC Studio",
		Width:            1280,
		Height:           820,
		MinWidth:         960,
		MinHeight:        600,
		StartHidden:      true,
		BackgroundColour: bg,
		AssetServer:      &assetserver.Options{Assets: assets, Middleware: a.themedIndex(assets)},
		Logger:           wailsLogger{a.log},
		LogLevel:         logger.INFO,
		OnStartup: func(ctx context.Context) {
			a.SetEmitter(wailsEmitter{ctx})
			a.Files.setWindow(ctx)
		},
		OnDomReady: func(ctx context.Context) {
			wruntime.WindowShow(ctx)
			a.log.Info("window ready", "sinceStartMs", time.Since(startedAt).Milliseconds())
		},
		OnShutdown: func(context.Context) {
			if err := a.Close(); err != nil {
				a.log.Error("closing workspace", "err", err)
			}
		},
		// Files dropped on a field marked as a drop target arrive with their paths (FileField).
		DragAndDrop:    &options.DragAndDrop{EnableFileDrop: true},
		Bind:           a.Bindings(),
		ErrorFormatter: windowError,
		Linux: &linux.Options{
			ProgramName:      "npcstudio",
			WebviewGpuPolicy: gpuPolicy(),
		},
	})
}

// windowError is a failed call's error as the window's page receives it: the shaped error
// (FormatError) as JSON text. Wails' runtime wraps whatever it is given in a JavaScript
// Error, so an object would arrive as "[object Object]"; text arrives as the Error's
// message, which the page's bridge parses back (toAppError).
func windowError(err error) any {
	b, merr := json.Marshal(FormatError(err))
	if merr != nil {
		return err.Error()
	}
	return string(b)
}

// gpuPolicy is software rendering unless NPCSTUDIO_GPU asks otherwise: the studio draws
// text and tables, and hardware compositing costs WebKit's web process about 70 MB more
// (docs/BENCHMARKS.md). NPCSTUDIO_GPU=ondemand or always turns it on.
func gpuPolicy() linux.WebviewGpuPolicy {
	switch os.Getenv("NPCSTUDIO_GPU") {
	case "ondemand":
		return linux.WebviewGpuPolicyOnDemand
	case "always":
		return linux.WebviewGpuPolicyAlways
	}
	return linux.WebviewGpuPolicyNever
}

type wailsEmitter struct{ ctx context.Context }

func (e wailsEmitter) Emit(name string, data any) { wruntime.EventsEmit(e.ctx, name, data) }

// wailsLogger routes Wails' own log lines into the studio's log.
type wailsLogger struct{ log *slog.Logger }

func (l wailsLogger) Print(m string)   { l.log.Info(m, "from", "wails") }
func (l wailsLogger) Trace(m string)   { l.log.Debug(m, "from", "wails") }
func (l wailsLogger) Debug(m string)   { l.log.Debug(m, "from", "wails") }
func (l wailsLogger) Info(m string)    { l.log.Info(m, "from", "wails") }
func (l wailsLogger) Warning(m string) { l.log.Warn(m, "from", "wails") }
func (l wailsLogger) Error(m string)   { l.log.Error(m, "from", "wails") }
func (l wailsLogger) Fatal(m string) {
	l.log.Error(m, "from", "wails", "fatal", true)
	panic(fmt.Sprintf("wails: %s", m))
}
