package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/spf13/cobra"
)

func versionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return env.print(map[string]string{"version": app.Version}, func(w io.Writer) {
				fmt.Fprintf(w, "npcstudio %s\n", app.Version)
			})
		},
	}
}

func doctorCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check the workspace, keychain, web view, providers and AWS identity",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			r, err := env.App().Workspace.Doctor()
			if err != nil {
				return err
			}
			if err := env.print(r, func(w io.Writer) { printDoctor(w, r) }); err != nil {
				return err
			}
			if !r.OK {
				return errReported
			}
			return nil
		},
	}
}

func mark(ok bool) string {
	if ok {
		return "ok  "
	}
	return "FAIL"
}

func printDoctor(w io.Writer, r app.DoctorReport) {
	fmt.Fprintf(w, "NPC Studio %s\n", r.Version)
	fmt.Fprintf(w, "data dir   %s\nlog file   %s\n\n", r.DataDir, r.LogFile)
	ws := r.Workspace
	fmt.Fprintf(w, "[%s] workspace %s: %s", mark(ws.Open && ws.Health == "ok"), ws.Path, ws.Health)
	if ws.Open {
		fmt.Fprintf(w, " (schema %d of %d)", ws.SchemaVersion, ws.SupportedSchemaVersion)
	}
	fmt.Fprintln(w)
	if ws.Error != nil {
		fmt.Fprintf(w, "       %s\n", ws.Error.Message)
	}
	for _, p := range ws.Problems {
		fmt.Fprintf(w, "       %s\n", p)
	}
	if ws.LastGoodCopy != "" {
		fmt.Fprintf(w, "       last good copy: %s\n", ws.LastGoodCopy)
	}
	fmt.Fprintf(w, "[%s] keychain: %s: %s\n", mark(r.Keychain.Available), r.Keychain.Backend, r.Keychain.Detail)
	webview := "ok  "
	if !r.Webview.Display {
		webview = "    " // not a fault: the command line works without a display
	}
	fmt.Fprintf(w, "[%s] web view: %s: %s\n", webview, r.Webview.Library, r.Webview.Detail)
	if len(r.Providers) == 0 {
		fmt.Fprintln(w, "[    ] providers: none configured (npcstudio provider add)")
	}
	for _, p := range r.Providers {
		fmt.Fprintf(w, "[%s] provider %s (%s): %s [%d ms]\n", mark(p.Reachable), p.Name, p.Kind, p.Detail, p.LatencyMs)
	}
	switch {
	case !r.AWS.Configured:
		fmt.Fprintln(w, "[    ] AWS: not configured (optional)")
	case r.AWS.Identity != nil:
		fmt.Fprintf(w, "[ok  ] AWS: %s (account %s, %s)\n", r.AWS.Identity.ARN, r.AWS.Identity.Account, r.AWS.Identity.Region)
	default:
		fmt.Fprintf(w, "[FAIL] AWS: %s\n", r.AWS.Error)
	}
}

func workspaceCmd(env *Env) *cobra.Command {
	ws := &cobra.Command{Use: "workspace", Short: "Show, export or import the whole workspace"}
	ws.AddCommand(&cobra.Command{
		Use:   "info",
		Short: "Show the workspace",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			s, err := env.App().Workspace.Status()
			if err != nil {
				return err
			}
			if s.Error != nil {
				return fmt.Errorf("%s", s.Error.Message)
			}
			return env.print(s, func(w io.Writer) {
				i := s.Info
				fmt.Fprintf(w, "workspace  %s\nschema     %d\ncreated    %s\nsize       %d bytes\n", i.Path, i.SchemaVersion, i.Created, i.SizeBytes)
			})
		},
	}, &cobra.Command{
		Use:   "export FILE",
		Short: "Write the whole workspace to one archive (keys stay in the keychain)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			m, err := env.App().Workspace.Export(app.ArchiveRequest{Path: args[0]})
			if err != nil {
				return err
			}
			return env.print(m, func(w io.Writer) { fmt.Fprintf(w, "exported %d files to %s\n", len(m.Files), args[0]) })
		},
	}, &cobra.Command{
		Use:   "import FILE",
		Short: "Replace the workspace with an archive's (the current one is backed up first)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			m, err := env.App().Workspace.Import(app.ArchiveRequest{Path: args[0]})
			if err != nil {
				return err
			}
			return env.print(m, func(w io.Writer) {
				fmt.Fprintf(w, "imported %s (workspace %s, schema %d)\n", args[0], m.WorkspaceID, m.SchemaVersion)
			})
		},
	})
	return ws
}

func providerCmd(env *Env) *cobra.Command {
	pc := &cobra.Command{Use: "provider", Short: "Add, list, test and remove model providers"}
	var p provider.Provider
	var keyStdin bool
	add := &cobra.Command{
		Use:   "add NAME --kind openai|bedrock|npcapi",
		Short: "Add a provider",
		Example: `  npcstudio provider add ollama --kind openai --base-url http://127.0.0.1:11434/v1 --model llama3.1:8b
  echo "$OPENAI_API_KEY" | npcstudio provider add openai --kind openai --base-url https://api.openai.com/v1 --model gpt-4o-mini --api-key-stdin
  npcstudio provider add bedrock --kind bedrock --region us-east-1 --model-id amazon.nova-lite-v1:0 --profile writers
  npcstudio provider add ada --kind npcapi --text-url https://abc.execute-api.us-east-1.amazonaws.com/prod/text`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			p.Name = args[0]
			if p.Kind == "" {
				return usagef("--kind is required: openai, bedrock or npcapi")
			}
			key, err := readKey(env, keyStdin)
			if err != nil {
				return err
			}
			out, err := env.App().ProvidersTyped.Add(app.AddProviderRequest{Provider: p, APIKey: key})
			if err != nil {
				return err
			}
			return env.print(out, func(w io.Writer) { fmt.Fprintf(w, "added provider %s (%s)\n", out.Name, out.Kind) })
		},
	}
	f := add.Flags()
	f.StringVar(&p.Kind, "kind", "", "openai (any OpenAI-compatible server), bedrock, or npcapi (deployed text/RAG endpoints)")
	f.StringVar(&p.BaseURL, "base-url", "", "openai: base URL, usually ending in /v1")
	f.StringVar(&p.Model, "model", "", "openai: model name")
	f.StringVar(&p.APIKeyEnv, "api-key-env", "", "openai: environment variable holding the key (when there is no keychain)")
	f.BoolVar(&keyStdin, "api-key-stdin", false, "openai: read the key from standard input and keep it in the OS keychain")
	f.StringVar(&p.Region, "region", "", "bedrock: AWS region")
	f.StringVar(&p.Profile, "profile", "", "bedrock: AWS profile (default: the standard chain)")
	f.StringVar(&p.ModelID, "model-id", "", "bedrock: model id, inference profile or provisioned-throughput ARN")
	f.StringVar(&p.TextURL, "text-url", "", "npcapi: text endpoint URL")
	f.StringVar(&p.RAGURL, "rag-url", "", "npcapi: RAG endpoint URL")

	edit := providerEditCmd(env)

	list := &cobra.Command{
		Use:   "list",
		Short: "List providers",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			ps, err := env.App().Providers.List()
			if err != nil {
				return err
			}
			return env.print(map[string]any{"providers": ps}, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tKIND\tTARGET\tKEY")
				for _, p := range ps {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.Kind, target(p), keyWhere(p))
				}
				tw.Flush()
			})
		},
	}
	test := &cobra.Command{
		Use:   "test NAME",
		Short: "Check that a provider answers (no prompt is sent)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := env.App().Providers.Test(app.ProviderNameRequest{Name: args[0]})
			if err != nil {
				return err
			}
			if perr := env.print(r, func(w io.Writer) {
				fmt.Fprintf(w, "[%s] %s: %s [%d ms]\n", mark(r.Reachable), r.Name, r.Detail, r.LatencyMs)
			}); perr != nil {
				return perr
			}
			if !r.Reachable {
				return InvalidResult
			}
			return nil
		},
	}
	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a provider and its key",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := env.App().Providers.Remove(app.ProviderNameRequest{Name: args[0]}); err != nil {
				return err
			}
			return env.print(map[string]string{"removed": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "removed provider %s\n", args[0]) })
		},
	}
	pc.AddCommand(add, edit, list, test, remove)
	return pc
}

// readKey reads the key from standard input when --api-key-stdin is given.
func readKey(env *Env, keyStdin bool) (string, error) {
	if !keyStdin {
		return "", nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read key from stdin: %w", err)
	}
	key := strings.TrimSpace(line)
	if key == "" {
		return "", usagef("--api-key-stdin: nothing on standard input")
	}
	return key, nil
}

// providerEditCmd changes the settings given as flags and keeps the others. A provider with a
// key that gets a new address needs --api-key-stdin or --api-key-env again: its key is not
// sent to the new address.
func providerEditCmd(env *Env) *cobra.Command {
	var in provider.Provider
	var keyStdin bool
	c := &cobra.Command{
		Use:   "edit NAME [flags]",
		Short: "Change a provider's settings (a new URL needs the key again)",
		Example: `  npcstudio provider edit ollama --model qwen2.5:7b
  echo "$OPENAI_API_KEY" | npcstudio provider edit openai --base-url https://eu.api.openai.com/v1 --api-key-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a := env.App()
			p, err := a.Providers.Get(app.ProviderNameRequest{Name: args[0]})
			if err != nil {
				return err
			}
			was := provider.KeyTarget(p)
			f := cmd.Flags()
			for _, s := range []struct {
				flag     string
				dst, src *string
			}{
				{"base-url", &p.BaseURL, &in.BaseURL}, {"model", &p.Model, &in.Model}, {"region", &p.Region, &in.Region},
				{"profile", &p.Profile, &in.Profile}, {"model-id", &p.ModelID, &in.ModelID},
				{"text-url", &p.TextURL, &in.TextURL}, {"rag-url", &p.RAGURL, &in.RAGURL},
			} {
				if f.Changed(s.flag) {
					*s.dst = *s.src
				}
			}
			if f.Changed("api-key-env") {
				p.APIKeyEnv = in.APIKeyEnv
			} else if provider.KeyTarget(p) != was {
				// The variable was named for the old address: naming it again is the
				// writer's say that it may go to the new one.
				p.APIKeyEnv = ""
			}
			key, err := readKey(env, keyStdin)
			if err != nil {
				return err
			}
			out, err := a.ProvidersTyped.Update(app.AddProviderRequest{Provider: p, APIKey: key})
			if err != nil {
				return err
			}
			return env.print(out, func(w io.Writer) { fmt.Fprintf(w, "changed provider %s (%s)\n", out.Name, out.Kind) })
		},
	}
	f := c.Flags()
	f.StringVar(&in.BaseURL, "base-url", "", "openai: base URL (a new one needs the key again)")
	f.StringVar(&in.Model, "model", "", "openai: model name")
	f.StringVar(&in.APIKeyEnv, "api-key-env", "", "openai: environment variable holding the key")
	f.BoolVar(&keyStdin, "api-key-stdin", false, "openai: read a new key from standard input and keep it in the OS keychain")
	f.StringVar(&in.Region, "region", "", "bedrock: AWS region")
	f.StringVar(&in.Profile, "profile", "", "bedrock: AWS profile")
	f.StringVar(&in.ModelID, "model-id", "", "bedrock: model id, inference profile or provisioned-throughput ARN")
	f.StringVar(&in.TextURL, "text-url", "", "npcapi: text endpoint URL")
	f.StringVar(&in.RAGURL, "rag-url", "", "npcapi: RAG endpoint URL")
	return c
}

func target(p provider.Provider) string {
	switch p.Kind {
	case provider.KindOpenAI:
		return p.BaseURL + " " + p.Model
	case provider.KindBedrock:
		return p.Region + " " + p.ModelID
	default:
		return strings.TrimSpace(p.TextURL + " " + p.RAGURL)
	}
}

func keyWhere(p provider.Provider) string {
	switch {
	case p.HasStoredKey:
		return "keychain"
	case p.APIKeyEnv != "":
		return "$" + p.APIKeyEnv
	case p.Kind == provider.KindBedrock:
		return "AWS chain"
	}
	return "-"
}

func settingsCmd(env *Env) *cobra.Command {
	sc := &cobra.Command{Use: "settings", Short: "Show or change the writer's settings"}
	show := &cobra.Command{
		Use: "show", Short: "Show settings", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			s, err := env.App().Settings.Get()
			if err != nil {
				return err
			}
			return env.print(s, func(w io.Writer) { fmt.Fprintf(w, "author  %s\ntheme   %s\n", s.Author, s.Theme) })
		},
	}
	var author, theme string
	set := &cobra.Command{
		Use: "set [--author NAME] [--theme system|light|dark]", Short: "Change settings", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc := env.App().Settings
			s, err := svc.Get()
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("author") {
				s.Author = author
			}
			if cmd.Flags().Changed("theme") {
				s.Theme = theme
			}
			if s, err = svc.Save(s); err != nil {
				return err
			}
			return env.print(s, func(w io.Writer) { fmt.Fprintf(w, "author  %s\ntheme   %s\n", s.Author, s.Theme) })
		},
	}
	set.Flags().StringVar(&author, "author", "", "name that signs saved versions")
	set.Flags().StringVar(&theme, "theme", "", "system, light or dark")
	sc.AddCommand(show, set)
	return sc
}

func serveCmd(env *Env) *cobra.Command {
	var addr string
	var open, noOpen bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the studio to a browser tab on 127.0.0.1 (for tests and remote desktops)",
		Long: `Serve the studio to a browser tab on 127.0.0.1 (for tests and remote desktops).

It prints the address to open; that address carries a key drawn for this launch, and the
tab it opens is the only page the studio answers. On a terminal it also opens the address in
the default browser (--no-open leaves that to you; --open opens it in any case).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if env.Assets == nil {
				return fmt.Errorf("this build has no frontend")
			}
			a := env.App()
			return app.Serve(cmd.Context(), a, env.Assets, addr, func(url string) {
				env.printLine(map[string]string{"url": url}, func(w io.Writer) {
					fmt.Fprintf(w, "NPC Studio at %s\n(open this address: it carries this launch's key)\n", url)
				})
				if open || (!noOpen && !env.json && isTerminal(env.Stdout)) {
					if err := env.openURL(url); err != nil {
						fmt.Fprintf(env.Stderr, "could not open a browser (%v): open the address above yourself\n", err)
					}
				}
			})
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:34115", "address to listen on (loopback only)")
	c.Flags().BoolVar(&open, "open", false, "open the address in the default browser even when not on a terminal")
	c.Flags().BoolVar(&noOpen, "no-open", false, "do not open a browser")
	c.MarkFlagsMutuallyExclusive("open", "no-open")
	return c
}
