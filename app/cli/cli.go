// Package cli is the command-line face of the app services: every feature a writer has in
// the window, scriptable, with --json output and exit codes 0 ok, 1 error, 2 usage,
// 3 checked and found invalid.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/applog"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/pkg/browser"
	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitUsage   = 2
	ExitInvalid = 3
)

// UsageError marks a mistake in how the command was called.
type UsageError struct{ Err error }

func (e *UsageError) Error() string     { return e.Err.Error() }
func (e *UsageError) Unwrap() error     { return e.Err }
func (e *UsageError) ErrorCode() string { return "usage" }

func usagef(format string, args ...any) error { return &UsageError{fmt.Errorf(format, args...)} }

// InvalidResult is returned by commands that checked something and found it invalid; the
// result has already been printed, and the exit code is 3.
var InvalidResult = errors.New("checked and found invalid")

// errReported is returned by a command whose printed report already says what is wrong
// (doctor): the exit code is 1 and nothing more is printed to standard output.
var errReported = errors.New("problems found")

// Env is what every command runs with.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Assets is the built frontend, for serve.
	Assets fs.FS
	// Secrets overrides the OS keychain (tests).
	Secrets secrets.Store
	// Started is when the process started, for the window's ready time in the log.
	Started time.Time
	// OpenURL opens an address in the default browser (serve); nil uses the system's.
	OpenURL func(url string) error

	dataDir string
	json    bool
	app     *app.App
	closers []io.Closer
}

// App opens the workspace on first use.
func (e *Env) App() *app.App {
	if e.app == nil {
		log := slog.New(slog.DiscardHandler)
		if l, c, err := applog.Open(e.dataDir, slog.LevelInfo); err == nil {
			log = l
			e.closers = append(e.closers, c)
		}
		// The command line resolves relative paths against the folder it was started in.
		wd, _ := os.Getwd()
		e.app = app.New(app.Options{DataDir: e.dataDir, Logger: log, Secrets: e.Secrets, WorkDir: wd})
	}
	return e.app
}

func (e *Env) close() {
	if e.app != nil {
		e.app.Close()
	}
	for _, c := range e.closers {
		c.Close()
	}
}

// print writes v as JSON with --json, else calls human.
func (e *Env) print(v any, human func(w io.Writer)) error {
	if e.json {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(emptyLists(v))
	}
	human(e.Stdout)
	return nil
}

// printLine writes v as one JSON line with --json (for streams: serve, chat), else calls human.
func (e *Env) openURL(url string) error {
	if e.OpenURL != nil {
		return e.OpenURL(url)
	}
	return browser.OpenURL(url)
}

func (e *Env) printLine(v any, human func(w io.Writer)) error {
	if e.json {
		return json.NewEncoder(e.Stdout).Encode(emptyLists(v))
	}
	human(e.Stdout)
	return nil
}

// Run runs the command line and returns the exit code.
func Run(ctx context.Context, args []string, env *Env) (code int) {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	root := newRoot(env)
	root.SetArgs(args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	defer env.close()
	defer cloud.WaitDiscarded() // a push's staged copy, removed in the background
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "npcstudio: internal error: %v\n%s", r, debug.Stack())
			code = ExitError
		}
	}()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, InvalidResult) {
		return ExitInvalid
	}
	if errors.Is(err, errReported) {
		if !env.json {
			fmt.Fprintln(env.Stderr, "npcstudio: problems found (marked FAIL above)")
		}
		return ExitError
	}
	if env.json && errors.Is(err, errStreamed) {
		return ExitError // the stream's own error line is printed
	}
	shaped := app.FormatError(err)
	if env.json {
		json.NewEncoder(env.Stdout).Encode(map[string]any{"error": shaped})
	} else {
		fmt.Fprintf(env.Stderr, "npcstudio: %s\n", shaped.Message)
	}
	if shaped.Code == "usage" {
		if !env.json {
			fmt.Fprintln(env.Stderr, "Run 'npcstudio help' for usage.")
		}
		return ExitUsage
	}
	return ExitError
}

// Main is the binary's entry for subcommands: it handles signals and exits.
func Main(args []string, assets fs.FS, started time.Time) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, args, &Env{Stdout: os.Stdout, Stderr: os.Stderr, Assets: assets, Started: started})
	stop()
	os.Exit(code)
}

func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "npcstudio",
		Short: "NPC Studio: personas, lore, chats, datasets and model approvals for game NPCs",
		Long: `NPC Studio. With no arguments it opens the window; with a command it runs the same
services headless, for scripts and CI.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if env.dataDir == "" {
				env.dataDir = app.DefaultDataDir()
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error {
			if env.Assets == nil {
				return fmt.Errorf("this build has no frontend")
			}
			return app.RunWindow(env.App(), env.Assets, env.Started)
		},
	}
	root.PersistentFlags().StringVar(&env.dataDir, "data-dir", "", "workspace folder (default: $NPCSTUDIO_DATA_DIR or the user data folder)")
	root.PersistentFlags().BoolVar(&env.json, "json", false, "print JSON")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{err} })
	root.AddCommand(
		versionCmd(env),
		doctorCmd(env),
		workspaceCmd(env),
		providerCmd(env),
		settingsCmd(env),
		datasetCmd(env),
		personaCmd(env),
		chatCmd(env),
		loreCmd(env),
		cloudCmd(env), pushCmd(env), uploadsCmd(env),
		modelsCmd(env),
		serveCmd(env),
		batchCmd(env),
		evalCmd(env),
	)
	// Unknown commands and bad argument counts are usage errors.
	var markUsage func(c *cobra.Command)
	markUsage = func(c *cobra.Command) {
		if c.Args != nil {
			inner := c.Args
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := inner(cmd, args); err != nil {
					return &UsageError{err}
				}
				return nil
			}
		}
		if c.HasSubCommands() && c.RunE == nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
				}
				return usagef("%s needs a subcommand: %s", cmd.CommandPath(), subNames(cmd))
			}
			c.Args = cobra.ArbitraryArgs
		}
		for _, s := range c.Commands() {
			markUsage(s)
		}
	}
	markUsage(root)
	return root
}

func subNames(c *cobra.Command) string {
	s := ""
	for _, sc := range c.Commands() {
		if sc.IsAvailableCommand() {
			if s != "" {
				s += ", "
			}
			s += sc.Name()
		}
	}
	return s
}
