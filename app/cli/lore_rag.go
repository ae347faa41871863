package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func loreRAGCmd(env *Env) *cobra.Command {
	var floor float64
	c := &cobra.Command{
		Use:   "rag [--min-relevance F]",
		Short: "Show or set how RAG prompts draw on the lore library (the relevance floor)",
		Long: `RAG prompts (chat, batch scenes, test runs) get the chunks that best answer the player's line,
within the token budget. The relevance floor keeps out chunks whose similarity to the line (the
cosine of their vectors, 0 to 1) is under it: 0 keeps every chunk found. It applies while the
library has vectors; with keyword search alone every chunk found is kept. Every reply's lore
trace says how many chunks the floor left out.`,
		Example: `  npcstudio lore rag
  npcstudio lore rag --min-relevance 0.3
  npcstudio lore rag --min-relevance 0`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc := env.App().Lore
			cfg, err := svc.RAGSettings()
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("min-relevance") {
				cfg.MinRelevance = floor
				if cfg, err = svc.SaveRAGSettings(cfg); err != nil {
					return err
				}
			}
			return env.print(cfg, func(w io.Writer) {
				if cfg.MinRelevance == 0 {
					fmt.Fprintln(w, "relevance floor: off (every chunk found goes into RAG prompts, budget allowing)")
					return
				}
				fmt.Fprintf(w, "relevance floor: %.2f (chunks less similar to the player's line stay out of RAG prompts)\n", cfg.MinRelevance)
			})
		},
	}
	c.Flags().Float64Var(&floor, "min-relevance", 0, "the relevance floor, from 0 (off) to under 1; measured default 0.20 for the built-in embedder")
	return c
}
