package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/prose"
	"github.com/spf13/cobra"
)

// loreBookCmd manages the lorebooks of the lore library: World Info files from SillyTavern
// and Character Card V3 lorebooks.
func loreBookCmd(env *Env) *cobra.Command {
	bc := &cobra.Command{Use: "book", Short: "Import, list, export and attach World Info lorebooks (SillyTavern world files, lorebook_v3)"}
	var persona string
	attach := &cobra.Command{
		Use:   "attach BOOK --persona P",
		Short: "Give a persona a lorebook of the library as its character book (a new version of the persona)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if persona == "" {
				return usagef("--persona: name the persona to attach %s to", args[0])
			}
			v, err := env.App().Lore.AttachBook(app.LoreBookAttachRequest{Book: args[0], Persona: persona})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) {
				fmt.Fprintf(w, "attached %s to %s (version %d)\n", args[0], v.Persona.Name, v.N)
			})
		},
	}
	attach.Flags().StringVar(&persona, "persona", "", "the persona (name or id)")
	bc.AddCommand(
		&cobra.Command{
			Use:     "import FILE...",
			Short:   "Import World Info files as lorebooks (a file of the same name is replaced)",
			Example: "  npcstudio lore book import Eldoria.json\n  npcstudio lore book import glossary.lorebook_v3.json",
			Args:    cobra.MinimumNArgs(1),
			RunE: func(_ *cobra.Command, args []string) error {
				books := []lore.Book{}
				for _, p := range args {
					b, err := env.App().Lore.ImportBook(app.LoreBookRequest{Path: p})
					if err != nil {
						return err
					}
					books = append(books, b)
				}
				return env.print(books, func(w io.Writer) {
					for _, b := range books {
						fmt.Fprintf(w, "imported   %s as lorebook %s (%s, %s)\n", b.File, prose.Name(b.Name), b.Format, entryCount(b.Entries))
					}
				})
			},
		},
		&cobra.Command{
			Use:   "list",
			Short: "List the lorebooks of the library",
			Args:  cobra.NoArgs,
			RunE: func(_ *cobra.Command, _ []string) error {
				books, err := env.App().Lore.Books()
				if err != nil {
					return err
				}
				return env.print(books, func(w io.Writer) {
					if len(books) == 0 {
						fmt.Fprintln(w, "no lorebooks yet: npcstudio lore book import FILE")
						return
					}
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					fmt.Fprintln(tw, "FILE\tNAME\tFORMAT\tENTRIES")
					for _, b := range books {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", b.File, b.Name, b.Format, b.Entries)
					}
					tw.Flush()
				})
			},
		},
		&cobra.Command{
			Use:   "export BOOK FILE",
			Short: "Write a lorebook to FILE exactly as it was imported",
			Args:  cobra.ExactArgs(2),
			RunE: func(_ *cobra.Command, args []string) error {
				b, err := env.App().Lore.ExportBook(app.LoreBookExportRequest{Book: args[0], Path: args[1]})
				if err != nil {
					return err
				}
				return env.print(b, func(w io.Writer) { fmt.Fprintf(w, "exported %s to %s\n", b.File, args[1]) })
			},
		},
		&cobra.Command{
			Use:   "remove BOOK",
			Short: "Remove a lorebook from the library (personas keep their copy)",
			Args:  cobra.ExactArgs(1),
			RunE: func(_ *cobra.Command, args []string) error {
				if err := env.App().Lore.RemoveBook(app.LoreBookRef{Book: args[0]}); err != nil {
					return err
				}
				return env.print(map[string]any{"removed": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "removed %s\n", args[0]) })
			},
		},
		attach,
	)
	return bc
}

func entryCount(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}
