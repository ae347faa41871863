package cli

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/spf13/cobra"
)

func personaCmd(env *Env) *cobra.Command {
	pc := &cobra.Command{Use: "persona", Short: "Create, show, version, render, import and export NPC personas"}
	pc.AddCommand(
		personaCreateCmd(env),
		personaListCmd(env),
		personaShowCmd(env),
		personaSaveCmd(env),
		personaImportCmd(env),
		personaExportCmd(env),
		personaRenderCmd(env),
		personaHistoryCmd(env),
		personaDiffCmd(env),
		personaRestoreCmd(env),
		personaCopyCmd(env),
		personaDeleteCmd(env),
		personaTemplatesCmd(env),
	)
	return pc
}

func personaCreateCmd(env *Env) *cobra.Command {
	var name, file string
	c := &cobra.Command{
		Use:   "create --name N [--from-file F]",
		Short: "Create a persona, empty or from a persona JSON file",
		Example: `  npcstudio persona create --name "Mira Saltwhistle"
  npcstudio persona create --name Mira --from-file mira.json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if strings.TrimSpace(name) == "" && file == "" {
				return usagef("--name is required (or --from-file with a name in it)")
			}
			v, err := env.App().Personas.Create(app.CreatePersonaRequest{Name: name, FromFile: file})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) {
				fmt.Fprintf(w, "created persona %s (%s), version %d\n", v.Persona.Name, v.PersonaID, v.N)
			})
		},
	}
	c.Flags().StringVar(&name, "name", "", "the persona's name (wins over the file's)")
	c.Flags().StringVar(&file, "from-file", "", "a persona JSON file (as persona show --json prints it)")
	return c
}

func personaSaveCmd(env *Env) *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:   "save NAME --from-file F",
		Short: "Save a persona JSON file as the persona's next version",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if file == "" {
				return usagef("--from-file is required: the persona JSON to save")
			}
			svc := env.App().Personas
			cur, err := svc.Get(app.PersonaRef{Ref: args[0]})
			if err != nil {
				return err
			}
			p, err := app.ReadPersonaFile(file)
			if err != nil {
				return err
			}
			p.ID, p.AvatarID = cur.PersonaID, cur.Persona.AvatarID
			v, err := svc.Save(app.SavePersonaRequest{Persona: p})
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			return env.print(v, func(w io.Writer) {
				if v.N == cur.N {
					fmt.Fprintf(w, "%s is unchanged (version %d)\n", v.Persona.Name, v.N)
					return
				}
				fmt.Fprintf(w, "saved %s as version %d\n", v.Persona.Name, v.N)
			})
		},
	}
	c.Flags().StringVar(&file, "from-file", "", "a persona JSON file (as persona show --json prints it)")
	return c
}

func personaListCmd(env *Env) *cobra.Command {
	var opt persona.ListOptions
	c := &cobra.Command{
		Use:   "list [--query Q]",
		Short: "List personas by name",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if opt.Limit == 0 {
				opt.Limit = persona.MaxPageSize
			}
			page, err := env.App().Personas.List(opt)
			if err != nil {
				return err
			}
			return env.print(page, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tID\tROLE\tVERSION\tUPDATED\tBY")
				for _, p := range page.Items {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", p.Name, p.ID, dash(p.Role), p.Version, p.UpdatedAt, p.UpdatedBy)
				}
				tw.Flush()
				if shown := page.Offset + len(page.Items); shown < page.Total {
					fmt.Fprintf(w, "%d of %d shown (--offset %d for more)\n", len(page.Items), page.Total, shown)
				}
			})
		},
	}
	c.Flags().StringVar(&opt.Query, "query", "", "match part of a name, nickname, role, tag or id")
	c.Flags().IntVar(&opt.Offset, "offset", 0, "skip this many")
	c.Flags().IntVar(&opt.Limit, "limit", 0, fmt.Sprintf("show at most this many (up to %d)", persona.MaxPageSize))
	return c
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func personaShowCmd(env *Env) *cobra.Command {
	var n int
	c := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a persona (its current version, or --version N)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			svc := env.App().Personas
			v, err := svc.Get(app.PersonaRef{Ref: args[0]})
			if err != nil {
				return err
			}
			if n > 0 && n != v.N {
				if v, err = svc.Version(app.PersonaVersionRequest{ID: v.PersonaID, N: n}); err != nil {
					return err
				}
			}
			return env.print(v, func(w io.Writer) { printPersona(w, v) })
		},
	}
	c.Flags().IntVar(&n, "version", 0, "show this version")
	return c
}

func printPersona(w io.Writer, v persona.PersonaVersion) {
	p := v.Persona
	fmt.Fprintf(w, "%s (%s), version %d by %s at %s\n", p.Name, v.PersonaID, v.N, v.Author, v.SavedAt)
	field := func(label, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		fmt.Fprintf(w, "\n%s\n  %s\n", label, strings.ReplaceAll(strings.TrimSpace(text), "\n", "\n  "))
	}
	list := func(label string, items []string) {
		if len(items) > 0 {
			field(label, "- "+strings.Join(items, "\n- "))
		}
	}
	field("Nickname", p.Nickname)
	field("Role", p.Role)
	field("Description", p.Description)
	field("Personality", p.Personality)
	field("Speech style", p.SpeechStyle)
	field("Scenario", p.Scenario)
	field("First greeting", p.FirstGreeting)
	list("Alternate greetings", p.AlternateGreetings)
	field("Example dialogue", p.ExampleDialogue)
	list("Goals", p.Goals)
	var rels []string
	for _, r := range p.Relationships {
		s := r.Name
		if r.Kind != "" {
			s += " (" + r.Kind + ")"
		}
		if r.Notes != "" {
			s += ": " + r.Notes
		}
		rels = append(rels, s)
	}
	list("Relationships", rels)
	field("Knows and does not know", p.Knowledge.Boundaries)
	list("Lore collections", p.Knowledge.LoreCollections)
	field("Safety notes", p.SafetyNotes)
	if len(p.Tags) > 0 {
		field("Tags", strings.Join(p.Tags, ", "))
	}
	switch {
	case p.Template != nil:
		field("Template", "its own ("+dash(p.Template.Name)+")")
	case p.TemplateID != "":
		field("Template", p.TemplateID)
	}
	if len(p.Extensions) > 0 {
		keys := make([]string, 0, len(p.Extensions))
		for k := range p.Extensions {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		field("Extensions", strings.Join(keys, ", "))
	}
}

func personaImportCmd(env *Env) *cobra.Command {
	var replace, keepBoth bool
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a Character Card V1, V2 or V3 (JSON or PNG) as a new persona",
		Long: `Import a Character Card V1, V2 or V3 (JSON or PNG) as a new persona.

When a persona of the card's name is already in the workspace, the import stops unless told
what to do: --replace saves the card as a new version of that persona (its history keeps the
old one), --keep-both imports it under a name not yet taken ("Mira (2)").`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			req := app.ImportCardRequest{Path: args[0]}
			switch {
			case replace && keepBoth:
				return usagef("--replace and --keep-both: give one")
			case replace:
				req.OnMatch = app.OnMatchReplace
			case keepBoth:
				req.OnMatch = app.OnMatchKeepBoth
			}
			res, err := env.App().Personas.Import(req)
			var match *app.CardMatchError
			if errors.As(err, &match) {
				return fmt.Errorf("%w\n(run again with --replace or --keep-both)", err)
			}
			if err != nil {
				return err
			}
			return env.print(res, func(w io.Writer) {
				kind := "JSON"
				if res.PNG {
					kind = "PNG"
				}
				if res.Unchanged {
					fmt.Fprintf(w, "%s already matches the card (version %d): nothing saved\n", res.Version.PersonaID, res.Version.N)
				} else if req.OnMatch == app.OnMatchReplace {
					fmt.Fprintf(w, "saved the card as version %d of %s (%s %s)\n", res.Version.N, res.Version.PersonaID, res.Format, kind)
				} else {
					fmt.Fprintf(w, "imported %s (%s %s) as %s\n", res.Version.Persona.Name, res.Format, kind, res.Version.PersonaID)
				}
				for _, warn := range res.Warnings {
					fmt.Fprintf(w, "  warning: %s\n", warn)
				}
			})
		},
	}
	c.Flags().BoolVar(&replace, "replace", false, "when a persona of the card's name exists, save the card as its new version")
	c.Flags().BoolVar(&keepBoth, "keep-both", false, "when a persona of the card's name exists, import the card under a new name")
	return c
}

func personaExportCmd(env *Env) *cobra.Command {
	var format, out string
	var png bool
	c := &cobra.Command{
		Use:     "export NAME --format ccv2|ccv3|charx [--png] --out FILE",
		Short:   "Export a persona as a Character Card V2 or V3 (JSON or PNG), or a CHARX file (V3 with its icon)",
		Example: "  npcstudio persona export Mira --format ccv3 --png --out mira.png\n  npcstudio persona export Mira --format charx --out mira.charx",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if format != string(persona.CardV2) && format != string(persona.CardV3) && format != string(persona.CardCHARX) {
				return usagef("--format must be ccv2, ccv3 or charx")
			}
			if out == "" {
				return usagef("--out is required: the card file to write")
			}
			res, err := env.App().Personas.Export(app.ExportCardRequest{Ref: args[0], Format: persona.CardFormat(format), PNG: png, Path: out})
			if err != nil {
				return err
			}
			return env.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "wrote %s (%s, %d bytes)\n", res.Path, res.Format, res.Bytes)
			})
		},
	}
	c.Flags().StringVar(&format, "format", "", "ccv2, ccv3 or charx")
	c.Flags().BoolVar(&png, "png", false, "write a PNG (the persona's image, or a generated one) carrying the card")
	c.Flags().StringVar(&out, "out", "", "the file to write")
	return c
}

func familyNames() string {
	var s []string
	for _, f := range persona.Families() {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

func personaRenderCmd(env *Env) *cobra.Command {
	var req app.RenderPersonaRequest
	var family, mode string
	c := &cobra.Command{
		Use:   "render NAME --family F [--mode base|rag] [--message M]",
		Short: "Print the exact request body a model family gets for this persona",
		Long: `Print the exact request body (JSON) a model family gets for the persona's current version.
Without --message a sample player message is used; in rag mode the lore is the persona's
lorebook entries, or a sample passage. The token estimate goes to standard error.

Families: ` + familyNames(),
		Example: `  npcstudio persona render Mira --family claude-messages --message "Who stole the oil?"
  npcstudio persona render Mira --family bedrock-converse --mode rag > body.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if !slices.Contains(persona.Families(), persona.Family(family)) {
				if family == "" {
					return usagef("--family is required: %s", familyNames())
				}
				return usagef("--family %q is not a model family: %s", family, familyNames())
			}
			if mode != string(persona.ModeBase) && mode != string(persona.ModeRAG) {
				return usagef("--mode must be base or rag")
			}
			req.Ref, req.Family, req.Mode = args[0], persona.Family(family), persona.Mode(mode)
			r, err := env.App().Personas.Render(req)
			if err != nil {
				return err
			}
			if env.json {
				return env.print(r, nil)
			}
			fmt.Fprintln(env.Stdout, r.Body)
			fmt.Fprintf(env.Stderr, "about %d tokens (%s, %s mode, template %s)\n", r.Tokens, r.Family, r.Mode, r.TemplateID)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&family, "family", "", "model family: "+familyNames())
	f.StringVar(&mode, "mode", "base", "base, or rag (with lore)")
	f.StringVar(&req.Message, "message", "", "the player's message (default: a sample)")
	f.StringVar(&req.UserName, "user", "", "the player's name for {{user}} (default: Player)")
	f.StringVar(&req.Model, "model", "", "openai-chat: the model name in the body")
	return c
}

func personaHistoryCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "history NAME",
		Short: "List a persona's versions, newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			h, err := env.App().Personas.History(app.PersonaRef{Ref: args[0]})
			if err != nil {
				return err
			}
			return env.print(map[string]any{"versions": h}, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "VERSION\tSAVED\tBY\tNAME\tNOTE")
				for _, v := range h {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", v.N, v.SavedAt, v.Author, v.Name, dash(v.Note))
				}
				tw.Flush()
			})
		},
	}
}

func versionArg(s, which string) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(s), "v"))
	if err != nil || n < 1 {
		return 0, usagef("%s %q is not a version number (1, 2, ...)", which, s)
	}
	return n, nil
}

func personaDiffCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "diff NAME V1 V2",
		Short: "Show what changed between two versions, field by field ([-removed-] {+added+})",
		Args:  cobra.ExactArgs(3),
		RunE: func(_ *cobra.Command, args []string) error {
			from, err := versionArg(args[1], "V1")
			if err != nil {
				return err
			}
			to, err := versionArg(args[2], "V2")
			if err != nil {
				return err
			}
			svc := env.App().Personas
			v, err := svc.Get(app.PersonaRef{Ref: args[0]})
			if err != nil {
				return err
			}
			d, err := svc.Diff(app.PersonaDiffRequest{ID: v.PersonaID, From: from, To: to})
			if err != nil {
				return err
			}
			return env.print(d, func(w io.Writer) { printDiff(w, d) })
		},
	}
}

func printDiff(w io.Writer, d app.PersonaDiff) {
	fmt.Fprintf(w, "%s: version %d (%s, %s) -> version %d (%s, %s)\n", d.ID, d.From.N, d.From.Author, d.From.SavedAt, d.To.N, d.To.Author, d.To.SavedAt)
	if len(d.Fields) == 0 {
		fmt.Fprintln(w, "no differences")
		return
	}
	for _, f := range d.Fields {
		fmt.Fprintf(w, "\n%s (%s)\n  ", f.Field, f.Change)
		var b strings.Builder
		for _, s := range f.Segments {
			switch s.Op {
			case persona.OpDelete:
				b.WriteString("[-" + s.Text + "-]")
			case persona.OpInsert:
				b.WriteString("{+" + s.Text + "+}")
			default:
				b.WriteString(s.Text)
			}
		}
		fmt.Fprintln(w, strings.ReplaceAll(b.String(), "\n", "\n  "))
	}
}

func personaRestoreCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "restore NAME VERSION",
		Short: "Make an old version current again (as a new version)",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			n, err := versionArg(args[1], "VERSION")
			if err != nil {
				return err
			}
			svc := env.App().Personas
			cur, err := svc.Get(app.PersonaRef{Ref: args[0]})
			if err != nil {
				return err
			}
			v, err := svc.Restore(app.PersonaVersionRequest{ID: cur.PersonaID, N: n})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) {
				if v.N == cur.N {
					fmt.Fprintf(w, "version %d is already the current one; nothing changed\n", n)
					return
				}
				fmt.Fprintf(w, "restored version %d of %s as version %d\n", n, v.Persona.Name, v.N)
			})
		},
	}
}

func personaCopyCmd(env *Env) *cobra.Command {
	var n int
	c := &cobra.Command{
		Use:   "copy NAME NEW-NAME [--version N]",
		Short: "Save a persona (or one of its versions) as a new persona",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			svc := env.App().Personas
			cur, err := svc.Get(app.PersonaRef{Ref: args[0]})
			if err != nil {
				return err
			}
			v, err := svc.SaveAsNew(app.SaveAsNewRequest{ID: cur.PersonaID, N: n, Name: args[1]})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) { fmt.Fprintf(w, "created persona %s (%s)\n", v.Persona.Name, v.PersonaID) })
		},
	}
	c.Flags().IntVar(&n, "version", 0, "copy this version (default: the current one)")
	return c
}

func personaDeleteCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a persona and all its versions",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := env.App().Personas.Delete(app.PersonaRef{Ref: args[0]}); err != nil {
				return err
			}
			return env.print(map[string]string{"deleted": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "deleted persona %s\n", args[0]) })
		},
	}
}

func personaTemplatesCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "templates",
		Short: "List the prompt templates: built-in starters, then shared ones",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			ts, err := env.App().Personas.Templates()
			if err != nil {
				return err
			}
			return env.print(map[string]any{"templates": ts}, func(w io.Writer) {
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tVERSION\tKIND")
				for _, t := range ts {
					kind := "shared"
					if t.Builtin {
						kind = "built-in"
					}
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", t.ID, t.Name, t.Version, kind)
				}
				tw.Flush()
			})
		},
	}
}
