package cli

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/spf13/cobra"
)

func loreCmd(env *Env) *cobra.Command {
	lc := &cobra.Command{Use: "lore", Short: "Import, chunk, search and push the lore library; try lorebooks"}
	lc.AddCommand(
		loreAddCmd(env),
		loreListCmd(env),
		loreShowCmd(env),
		loreSearchCmd(env),
		lorePreviewCmd(env),
		loreMetaCmd(env),
		loreRemoveCmd(env),
		loreReindexCmd(env),
		loreEmbedderCmd(env),
		loreRAGCmd(env),
		loreOpenSearchCmd(env),
		loreBookCmd(env),
	)
	return lc
}

// chunkFlags are the chunking options of add, preview and reindex.
type chunkFlags struct {
	strategy, unit string
	size, overlap  int
}

func (f *chunkFlags) add(c *cobra.Command, what string) {
	c.Flags().StringVar(&f.strategy, "strategy", "", what+": paragraphs (headings and paragraphs up to a size), fixed (windows with overlap) or cloud (the team's hydration rule)")
	c.Flags().IntVar(&f.size, "size", 0, "the most a chunk holds, in --unit (paragraphs default 1200 characters, fixed 1000)")
	c.Flags().IntVar(&f.overlap, "overlap", 0, "fixed: how much of a window repeats in the next one, in --unit (default 100 characters)")
	c.Flags().StringVar(&f.unit, "unit", "", "chars (default) or tokens (about four characters each)")
}

// options returns the chunking asked for, nil when none was; bad values are usage errors.
func (f *chunkFlags) options() (*lore.ChunkOptions, error) {
	if f.strategy == "" && f.size == 0 && f.overlap == 0 && f.unit == "" {
		return nil, nil
	}
	o := lore.ChunkOptions{Strategy: lore.Strategy(f.strategy), Size: f.size, Overlap: f.overlap, Unit: lore.Unit(f.unit)}
	if _, err := o.Normalize(); err != nil {
		var ve *fault.ValidationError
		if errors.As(err, &ve) {
			return nil, usagef("--%s: %s", ve.Field, ve.Reason)
		}
		return nil, err
	}
	return &o, nil
}

// parseTags reads repeated --tag key=value flags.
func parseTags(tags []string) (map[string]string, error) {
	if len(tags) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, t := range tags {
		k, v, err := lore.ParseTag(t)
		if err != nil {
			return nil, usagef("--tag %q: a tag is key=value, e.g. --tag region=north", t)
		}
		out[k] = v
	}
	return out, nil
}

func tagList(tags map[string]string) string {
	var parts []string
	for k, v := range tags {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

// waitVectors waits for the background embedding when it is under way, so a search or an
// import made from the command line sees (or leaves) every vector. A failure is reported
// and the command goes on: keyword search still answers.
func waitVectors(env *Env, cmd *cobra.Command) {
	st, err := env.App().Lore.EmbedStatus()
	if err != nil || st.State != "embedding" {
		return
	}
	out, err := env.runOp(cmd, func(opID string) (string, error) {
		return env.App().Lore.WatchEmbedding(app.LoreWatchRequest{OpID: opID})
	})
	if err != nil {
		fmt.Fprintf(env.Stderr, "npcstudio: vectors: %s\n", err)
		return
	}
	if p, ok := out.(lore.EmbedProgress); ok && !env.json {
		fmt.Fprintf(env.Stderr, "vectors ready: %s embedded with %s\n", prose.Count(p.Done, "chunk"), p.Embedder)
	}
}

func loreAddCmd(env *Env) *cobra.Command {
	var collection string
	var tags []string
	var chunking chunkFlags
	c := &cobra.Command{
		Use:   "add FILE... [--collection C] [--tag k=v]...",
		Short: "Import .txt, .md, .pdf and .docx files and folders into the lore library",
		Long: `Import files and folders (recursively; hidden files and other types are skipped) with a
collection and tags. A file already in the library by name is updated when its text
changed; one whose text is already there under another name is refused as a duplicate.
When an embedder is set, the command waits until the new chunks have vectors.
Exit codes: 0 every file imported, 3 some could not be (each is listed with why) or there
was nothing to import, 2 bad usage.`,
		Example: `  npcstudio lore add bible/ --collection ashfall --tag source=bible
  npcstudio lore add ember-court.md maren.docx --collection court --strategy cloud`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tagMap, err := parseTags(tags)
			if err != nil {
				return err
			}
			opts, err := chunking.options()
			if err != nil {
				return err
			}
			out, err := env.runOp(cmd, func(opID string) (string, error) {
				return env.App().Lore.Add(app.LoreAddRequest{OpID: opID, Paths: args, Collection: collection, Tags: tagMap, Chunking: opts})
			})
			if err != nil {
				return err
			}
			rep := out.(lore.AddReport)
			if len(rep.Added)+len(rep.Updated) > 0 {
				waitVectors(env, cmd)
			}
			if err := env.print(rep, func(w io.Writer) { printAddReport(w, rep) }); err != nil {
				return err
			}
			// Nothing added, updated or already there: the command imported nothing.
			if len(rep.Failed) > 0 || len(rep.Added)+len(rep.Updated)+len(rep.Unchanged)+len(rep.Books) == 0 {
				return InvalidResult
			}
			return nil
		},
	}
	c.Flags().StringVar(&collection, "collection", "", "collection of every file imported (a persona's knowledge boundary picks collections)")
	c.Flags().StringArrayVar(&tags, "tag", nil, "tag every file imported, key=value (repeatable)")
	chunking.add(c, "how to cut the files")
	return c
}

func printAddReport(w io.Writer, rep lore.AddReport) {
	for _, d := range rep.Added {
		fmt.Fprintf(w, "added      %s (%s)\n", prose.Name(d.Name), prose.Count(d.Chunks, "chunk"))
	}
	for _, d := range rep.Updated {
		fmt.Fprintf(w, "updated    %s (%s)\n", prose.Name(d.Name), prose.Count(d.Chunks, "chunk"))
	}
	for _, d := range rep.Unchanged {
		fmt.Fprintf(w, "unchanged  %s\n", prose.Name(d.Name))
	}
	for _, p := range rep.Failed {
		fmt.Fprintf(w, "failed     %s\n", p.Message)
	}
	for _, b := range rep.Books {
		fmt.Fprintf(w, "lorebook   %s (%s, %s): npcstudio lore book attach %s --persona P\n", prose.Name(b.File), b.Format, entryCount(b.Entries), b.File)
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintf(w, "warning    %s\n", warn)
	}
	if n := len(rep.Skipped); n > 0 {
		verb := "are"
		if n == 1 {
			verb = "is"
		}
		fmt.Fprintf(w, "skipped    %s that %s not lore (.txt, .md, .pdf, .docx, World Info .json) or hidden\n", prose.Count(n, "file"), verb)
	}
	fmt.Fprintf(w, "%d added, %d updated, %d unchanged, %d failed\n", len(rep.Added), len(rep.Updated), len(rep.Unchanged), len(rep.Failed))
}

func loreListCmd(env *Env) *cobra.Command {
	var collections, tags []string
	c := &cobra.Command{
		Use:   "list [--collection C]... [--tag k=v]...",
		Short: "List the documents of the lore library",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			tagMap, err := parseTags(tags)
			if err != nil {
				return err
			}
			docs := []lore.Document{}
			for offset := 0; ; {
				page, err := env.App().Lore.List(app.LoreListRequest{Collections: collections, Tags: tagMap, Offset: offset, Limit: 1000})
				if err != nil {
					return err
				}
				docs = append(docs, page.Items...)
				if offset += len(page.Items); offset >= page.Total || len(page.Items) == 0 {
					break
				}
			}
			return env.print(map[string]any{"documents": docs}, func(w io.Writer) {
				if len(docs) == 0 {
					fmt.Fprintln(w, "no lore yet: npcstudio lore add FILE... --collection C")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tCOLLECTION\tTAGS\tCHUNKS\tCHUNKING\tID")
				for _, d := range docs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", prose.Name(d.Name), d.Collection, tagList(d.Tags), d.Chunks, d.Chunking.Strategy, d.ID)
				}
				tw.Flush()
			})
		},
	}
	c.Flags().StringArrayVar(&collections, "collection", nil, "only documents of this collection (repeatable: any of them)")
	c.Flags().StringArrayVar(&tags, "tag", nil, "only documents with this tag, key=value (repeatable: all of them)")
	return c
}

func loreShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "show DOC",
		Short: "Show a document (by name or id) and its chunks as they are indexed",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			page, err := env.App().Lore.Chunks(app.LoreChunksRequest{Doc: args[0], Limit: 500})
			if err != nil {
				return err
			}
			return env.print(page, func(w io.Writer) {
				d := page.Doc
				fmt.Fprintf(w, "%s (%s)\nsource      %s\ncollection  %s\ntags        %s\nhash        %s\nchunking    %s\n\n",
					prose.Name(d.Name), d.ID, prose.Name(d.Source), d.Collection, tagList(d.Tags), d.Hash, chunkingLabel(d.Chunking))
				for _, warn := range d.Warnings {
					fmt.Fprintf(w, "warning     %s\n\n", warn)
				}
				printChunks(w, page.Chunks, page.Total)
			})
		},
	}
}

func chunkingLabel(o lore.ChunkOptions) string {
	switch o.Strategy {
	case lore.Cloud:
		return "cloud (1024 characters, no overlap: what the team's hydration job indexes)"
	case lore.Fixed:
		return fmt.Sprintf("fixed %d %s, overlap %d", o.Size, o.Unit, o.Overlap)
	}
	return fmt.Sprintf("paragraphs up to %d %s", o.Size, o.Unit)
}

func printChunks(w io.Writer, chunks []lore.Chunk, total int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tBYTES\tTOKENS\tHEADING\tSTARTS")
	for _, c := range chunks {
		fmt.Fprintf(tw, "%d\t%d-%d\t%d\t%s\t%s\n", c.Ord, c.Start, c.End, c.Tokens, c.Heading, snippet(c.Text, 60))
	}
	tw.Flush()
	if total > len(chunks) {
		fmt.Fprintf(w, "... and %d more\n", total-len(chunks))
	}
}

func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func loreSearchCmd(env *Env) *cobra.Command {
	var k int
	var collections, tags []string
	var mode string
	c := &cobra.Command{
		Use:   "search QUERY [--k N] [--collection C]... [--tag k=v]... [--mode keyword|vector|hybrid] [--json]",
		Short: "Search the lore library by keyword, vector or both",
		Long: `Search the lore library. Hybrid (the default once an embedder has vectors for every chunk)
fuses keyword (BM25) and vector rankings; keyword is used until then. --json prints
{"results":[{"doc","chunk","score","text","collection"}]}, doc being the imported file's name.`,
		Example: `  npcstudio lore search "who controls the obsidian trade" --k 3 --collection ashfall
  npcstudio lore search "Mother Quill" --tag source=bible --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(args[0]) == "" {
				return usagef("QUERY is empty: type something to search for")
			}
			if k < 1 || k > lore.MaxK {
				return usagef("--k must be between 1 and %d", lore.MaxK)
			}
			switch lore.Mode(mode) {
			case "", lore.Keyword, lore.Vector, lore.Hybrid:
			default:
				return usagef("--mode %q: use keyword, vector or hybrid", mode)
			}
			tagMap, err := parseTags(tags)
			if err != nil {
				return err
			}
			if lore.Mode(mode) != lore.Keyword {
				waitVectors(env, cmd)
			}
			res, err := env.App().Lore.Search(lore.Query{Text: args[0], K: k, Collections: collections, Tags: tagMap, Mode: lore.Mode(mode)})
			if err != nil {
				return err
			}
			return env.print(res.CLI(), func(w io.Writer) {
				if res.Notice != "" {
					fmt.Fprintf(w, "note: %s\n", res.Notice)
				}
				if len(res.Results) == 0 {
					fmt.Fprintln(w, "nothing found")
					return
				}
				for i, r := range res.Results {
					fmt.Fprintf(w, "%2d  %.4f  %s #%d", i+1, r.Score, r.Doc, r.Chunk)
					if r.Collection != "" {
						fmt.Fprintf(w, "  [%s]", r.Collection)
					}
					if r.Heading != "" {
						fmt.Fprintf(w, "  %s", r.Heading)
					}
					fmt.Fprintf(w, "%s\n    %s\n", rankers(r), snippet(r.Text, 160))
				}
				fmt.Fprintf(w, "(%s search", res.Mode)
				if res.Embedder != "" {
					fmt.Fprintf(w, " with %s", res.Embedder)
				}
				fmt.Fprintln(w, ")")
			})
		},
	}
	c.Flags().IntVar(&k, "k", 5, "how many chunks to return (1 to 100)")
	c.Flags().StringArrayVar(&collections, "collection", nil, "only this collection (repeatable: any of them)")
	c.Flags().StringArrayVar(&tags, "tag", nil, "only documents with this tag, key=value (repeatable: all of them)")
	c.Flags().StringVar(&mode, "mode", "", "keyword, vector or hybrid (default: hybrid when vectors are ready, else keyword)")
	return c
}

// rankers shows each ranker's place and score of a fused result.
func rankers(r lore.Result) string {
	var parts []string
	if r.Keyword != nil {
		parts = append(parts, fmt.Sprintf("keyword #%d %.3f", r.Keyword.Rank, r.Keyword.Score))
	}
	if r.Vector != nil {
		parts = append(parts, fmt.Sprintf("vector #%d %.3f", r.Vector.Rank, r.Vector.Score))
	}
	if len(parts) < 2 {
		return ""
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}

func lorePreviewCmd(env *Env) *cobra.Command {
	var doc string
	var limit int
	var chunking chunkFlags
	c := &cobra.Command{
		Use:   "preview FILE | --doc DOC [--strategy paragraphs|fixed|cloud] [--size N] [--overlap N]",
		Short: "Show how a file or an imported document would be chunked, without importing anything",
		Example: `  npcstudio lore preview ember-court.md --strategy cloud
  npcstudio lore preview --doc ember-court.md --strategy fixed --size 300 --overlap 50`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if (len(args) == 1) == (doc != "") {
				return usagef("give a FILE or --doc DOC")
			}
			opts, err := chunking.options()
			if err != nil {
				return err
			}
			req := app.LorePreviewRequest{Doc: doc, Limit: limit}
			if opts != nil {
				req.Chunking = *opts
			}
			if len(args) == 1 {
				req.Path = args[0]
			}
			p, err := env.App().Lore.Preview(req)
			if err != nil {
				return err
			}
			return env.print(p, func(w io.Writer) {
				fmt.Fprintf(w, "%s: %s of %d bytes\n\n", chunkingLabel(p.Chunking), prose.Count(p.Total, "chunk"), p.Bytes)
				printChunks(w, p.Chunks, p.Total)
			})
		},
	}
	c.Flags().StringVar(&doc, "doc", "", "an imported document (name or id), chunked from its text as imported")
	c.Flags().IntVar(&limit, "limit", 200, "how many chunks to show")
	chunking.add(c, "how to cut it")
	return c
}

func loreMetaCmd(env *Env) *cobra.Command {
	var collection string
	var tags []string
	var clearTags bool
	c := &cobra.Command{
		Use:   "meta DOC [--collection C] [--tag k=v]... [--clear-tags]",
		Short: "Change a document's collection or tags (search sees it at once)",
		Example: `  npcstudio lore meta ember-court.md --collection court
  npcstudio lore meta ember-court.md --tag spoiler=act2 --tag source=bible`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var u lore.MetaUpdate
			if cmd.Flags().Changed("collection") {
				u.Collection = &collection
			}
			tagMap, err := parseTags(tags)
			if err != nil {
				return err
			}
			if clearTags || tagMap != nil {
				u.Tags = map[string]string{}
				for k, v := range tagMap {
					u.Tags[k] = v
				}
			}
			if u.Collection == nil && u.Tags == nil {
				return usagef("nothing to change: give --collection, --tag or --clear-tags")
			}
			if !clearTags && tagMap != nil {
				cur, err := env.App().Lore.Get(app.LoreDocRequest{Doc: args[0]})
				if err != nil {
					return err
				}
				for k, v := range cur.Tags {
					if _, ok := u.Tags[k]; !ok {
						u.Tags[k] = v
					}
				}
			}
			d, err := env.App().Lore.UpdateMeta(app.LoreMetaRequest{Doc: args[0], Update: u})
			if err != nil {
				return err
			}
			return env.print(d, func(w io.Writer) {
				fmt.Fprintf(w, "%s: collection %q, tags %s\n", prose.Name(d.Name), d.Collection, cmpOr(tagList(d.Tags), "none"))
			})
		},
	}
	c.Flags().StringVar(&collection, "collection", "", "the new collection (empty: none)")
	c.Flags().StringArrayVar(&tags, "tag", nil, "set a tag, key=value (repeatable; other tags are kept)")
	c.Flags().BoolVar(&clearTags, "clear-tags", false, "remove every tag (then add those given with --tag)")
	return c
}

func loreRemoveCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "remove DOC...",
		Short: "Remove documents (by name or id) with their chunks and vectors",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			for _, ref := range args {
				if err := env.App().Lore.Remove(app.LoreDocRequest{Doc: ref}); err != nil {
					return err
				}
			}
			return env.print(map[string]any{"removed": args}, func(w io.Writer) {
				for _, ref := range args {
					fmt.Fprintf(w, "removed %s\n", ref)
				}
			})
		},
	}
}

func loreReindexCmd(env *Env) *cobra.Command {
	var chunking chunkFlags
	c := &cobra.Command{
		Use:   "reindex [--strategy paragraphs|fixed|cloud] [--size N] [--overlap N]",
		Short: "Rebuild the keyword index, or cut every document again with new chunking",
		Long: `Rebuild the keyword index from the workspace. With chunking flags, every document is cut
again from its text as imported; when an embedder is set, the command waits for the new
chunks' vectors.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := chunking.options()
			if err != nil {
				return err
			}
			out, err := env.runOp(cmd, func(opID string) (string, error) {
				return env.App().Lore.Reindex(app.LoreReindexRequest{OpID: opID, Chunking: opts})
			})
			if err != nil {
				return err
			}
			st := out.(app.LoreStatus)
			if opts != nil {
				waitVectors(env, cmd)
			}
			return env.print(st, func(w io.Writer) {
				fmt.Fprintf(w, "reindexed %s, %s\n", prose.Count(st.Documents, "document"), prose.Count(st.Chunks, "chunk"))
			})
		},
	}
	chunking.add(c, "cut every document again")
	return c
}

func loreEmbedderCmd(env *Env) *cobra.Command {
	ec := &cobra.Command{Use: "embedder", Short: "Show or set the embedder of vector and hybrid search"}
	var model string
	var dims int
	var noWait bool
	set := &cobra.Command{
		Use:   "set PROVIDER --model M [--dimensions N]",
		Short: "Embed the library with the built-in embedder, an OpenAI-compatible or a Bedrock provider (Titan Text Embeddings v2)",
		Long: `Set the embedder and embed, in the background, every chunk that has no vector from it. Search
keeps using the previous vectors (or keyword search) until the new ones are complete. The
command waits for it unless --no-wait.`,
		Example: `  npcstudio lore embedder set builtin
  npcstudio lore embedder set local --model nomic-embed-text
  npcstudio lore embedder set bedrock --model amazon.titan-embed-text-v2:0 --dimensions 1024`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return setEmbedder(env, cmd, app.LoreEmbedder{Provider: args[0], Model: model, Dimensions: dims}, noWait)
		},
	}
	set.Flags().StringVar(&model, "model", "", "embedding model (Ollama: nomic-embed-text; Bedrock: amazon.titan-embed-text-v2:0, the default; builtin: the model's folder, found by itself)")
	set.Flags().IntVar(&dims, "dimensions", 0, "Titan v2: 256, 512 or 1024 (default 1024, as the cloud's index)")
	set.Flags().BoolVar(&noWait, "no-wait", false, "return at once; embedding goes on while the workspace is open")
	off := &cobra.Command{
		Use:   "off",
		Short: "Turn vector search off (keyword search only)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return setEmbedder(env, cmd, app.LoreEmbedder{}, true)
		},
	}
	status := &cobra.Command{
		Use:   "status",
		Short: "Show the embedder, after embedding the chunks that have no vector yet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Embedding runs while the workspace is open: here, while this command runs.
			waitVectors(env, cmd)
			st, err := env.App().Lore.Status()
			if err != nil {
				return err
			}
			return env.print(map[string]any{"embedder": st.Embedder, "embedding": st.Embedding}, func(w io.Writer) {
				if st.Embedder.Provider == "" {
					fmt.Fprintln(w, "no embedder: keyword search only (npcstudio lore embedder set PROVIDER --model M)")
					return
				}
				e := st.Embedding
				fmt.Fprintf(w, "provider %s, model %s: %s, %d of %d chunks", st.Embedder.Provider, st.Embedder.Model, e.State, e.Done, e.Total)
				if e.Error != "" {
					fmt.Fprintf(w, " (%s)", e.Error)
				}
				fmt.Fprintln(w)
			})
		},
	}
	ec.AddCommand(set, off, status, loreModelCmd(env))
	return ec
}

func setEmbedder(env *Env, cmd *cobra.Command, e app.LoreEmbedder, noWait bool) error {
	svc := env.App().Lore
	if noWait {
		if _, err := svc.SetEmbedder(app.LoreEmbedderRequest{Embedder: e}); err != nil {
			return err
		}
		return env.print(map[string]any{"embedder": e}, func(w io.Writer) {
			if e.Provider == "" {
				fmt.Fprintln(w, "vector search off: keyword search only")
				return
			}
			fmt.Fprintf(w, "embedder set: %s %s; chunks are embedded while the workspace is open\n", e.Provider, e.Model)
		})
	}
	out, err := env.runOp(cmd, func(opID string) (string, error) {
		return svc.SetEmbedder(app.LoreEmbedderRequest{OpID: opID, Embedder: e})
	})
	if err != nil {
		return err
	}
	p := out.(lore.EmbedProgress)
	return env.print(p, func(w io.Writer) {
		fmt.Fprintf(w, "embedder %s ready: %s embedded, %d dimensions\n", p.Embedder, prose.Count(p.Done, "chunk"), p.Dim)
	})
}

func loreOpenSearchCmd(env *Env) *cobra.Command {
	oc := &cobra.Command{Use: "opensearch", Short: "Connect to the team's lore index on OpenSearch; status, push, search, hydrated"}
	var t app.LoreTeam
	var pwStdin bool
	connect := &cobra.Command{
		Use:   "connect URL [--index I] [--auth none|basic|sigv4] [--user U --password-stdin | --password-env NAME]",
		Short: "Check and keep how to reach the team index (the password goes to the OS keychain)",
		Example: `  npcstudio lore opensearch connect https://search-ada.us-east-1.es.amazonaws.com --user writer --password-stdin
  npcstudio lore opensearch connect https://abc.us-east-1.aoss.amazonaws.com --auth sigv4 --service aoss --region us-east-1`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			t.URL = args[0]
			switch t.Auth {
			case "", "none", "basic", "sigv4":
			default:
				return usagef("--auth %q: use none, basic or sigv4", t.Auth)
			}
			pw := ""
			if pwStdin {
				line, err := bufio.NewReader(env.Stdin).ReadString('\n')
				if err != nil && err != io.EOF {
					return err
				}
				if pw = strings.TrimRight(line, "\r\n"); pw == "" {
					return usagef("--password-stdin: nothing on standard input")
				}
			}
			st, err := env.App().Lore.TeamConnect(app.LoreTeamConnectRequest{Team: t, Password: pw})
			if err != nil {
				return err
			}
			return env.print(st, func(w io.Writer) {
				fmt.Fprintf(w, "connected to %s (%s auth)\n", st.Team.URL, st.Team.Auth)
				printTeamStatus(w, st)
			})
		},
	}
	f := connect.Flags()
	f.StringVar(&t.Index, "index", lore.DefaultTeamIndex, "index name (the cloud's hydration job writes rag_embeddings)")
	f.StringVar(&t.Auth, "auth", "", "none, basic (default with --user) or sigv4")
	f.StringVar(&t.Username, "user", "", "basic auth: user name")
	f.BoolVar(&pwStdin, "password-stdin", false, "basic auth: read the password from standard input and keep it in the OS keychain")
	f.StringVar(&t.PasswordEnv, "password-env", "", "basic auth: take the password from this environment variable instead")
	f.StringVar(&t.Region, "region", "", "sigv4: AWS region")
	f.StringVar(&t.Profile, "profile", "", "sigv4: AWS profile (default: the standard chain)")
	f.StringVar(&t.Service, "service", "", "sigv4: es (managed domain, default) or aoss (Serverless)")
	f.StringVar(&t.Engine, "engine", "", "k-NN engine of an index this studio creates: lucene (default; works on every node), faiss, nmslib, or cloud (the cloud's own mapping: the domain's default engine)")

	status := &cobra.Command{
		Use:   "status",
		Short: "Show what the team index holds and whether the embedder fits it",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			st, err := env.App().Lore.TeamStatus()
			if err != nil {
				return err
			}
			return env.print(st, func(w io.Writer) { printTeamStatus(w, st) })
		},
	}
	create := &cobra.Command{
		Use:   "create",
		Short: "Use the team index, or create it in the cloud's format with the embedder's dimension",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			st, err := env.App().Lore.TeamEnsureIndex()
			if err != nil {
				return err
			}
			return env.print(st, func(w io.Writer) { printTeamStatus(w, st) })
		},
	}
	var all bool
	push := &cobra.Command{
		Use:   "push DOC... | --all",
		Short: "Chunk with the cloud's rule, embed and index documents in the team index",
		Long: `Push documents to the team index as the cloud's hydration job would index them: chunks of
1,024 characters, embedded with the workspace's embedder, under their file name. The index
is created when there is none.

` + pushWarning,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return usagef("give the documents to push, or --all")
			}
			if !env.json {
				fmt.Fprintln(env.Stderr, "note: "+pushWarning)
			}
			out, err := env.runOp(cmd, func(opID string) (string, error) {
				return env.App().Lore.TeamPush(app.LoreTeamPushRequest{OpID: opID, Docs: args, All: all})
			})
			if err != nil {
				return err
			}
			res := out.(app.LorePushResult)
			return env.print(res, func(w io.Writer) {
				fmt.Fprintf(w, "pushed %s (%s) to %s\n", prose.Count(len(res.Files), "file"), prose.Count(res.Chunks, "chunk"), res.Index)
			})
		},
	}
	push.Flags().BoolVar(&all, "all", false, "push every document of the library")
	var k int
	var hybrid bool
	search := &cobra.Command{
		Use:   "search QUERY [--k N] [--hybrid]",
		Short: "Search the team index with the cloud's own k-NN query (or fused with keywords)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if k < 1 || k > lore.MaxK {
				return usagef("--k must be between 1 and %d", lore.MaxK)
			}
			res, err := env.App().Lore.TeamSearch(app.LoreTeamSearchRequest{Text: args[0], K: k, Hybrid: hybrid})
			if err != nil {
				return err
			}
			return env.print(res.CLI(), func(w io.Writer) {
				if len(res.Results) == 0 {
					fmt.Fprintln(w, "nothing found")
				}
				for i, r := range res.Results {
					fmt.Fprintf(w, "%2d  %.4f  %s #%d%s\n    %s\n", i+1, r.Score, r.Doc, r.Chunk, rankers(r), snippet(r.Text, 160))
				}
			})
		},
	}
	search.Flags().IntVar(&k, "k", 3, "how many chunks (the cloud's RAG endpoint asks for 3)")
	search.Flags().BoolVar(&hybrid, "hybrid", false, "fuse a keyword match with the k-NN query")
	hydrated := &cobra.Command{
		Use:   "hydrated FILE",
		Short: "Say whether a pushed or uploaded file's chunks are in the team index (exit 3 when not)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			h, err := env.App().Lore.TeamHydrated(app.LoreHydratedRequest{File: args[0]})
			if err != nil {
				return err
			}
			if err := env.print(h, func(w io.Writer) {
				if h.Hydrated {
					fmt.Fprintf(w, "%s is hydrated: %s in the index\n", h.File, prose.Count(h.Chunks, "chunk"))
				} else {
					fmt.Fprintf(w, "%s is not in the index (yet: the hydration job takes a few minutes after an upload)\n", h.File)
				}
			}); err != nil {
				return err
			}
			return validity(h.Hydrated)
		},
	}
	disconnect := &cobra.Command{
		Use:   "disconnect",
		Short: "Forget the team index and its password (the index itself is untouched)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := env.App().Lore.TeamDisconnect(); err != nil {
				return err
			}
			return env.print(map[string]bool{"disconnected": true}, func(w io.Writer) { fmt.Fprintln(w, "disconnected from the team index") })
		},
	}
	oc.AddCommand(connect, status, create, push, search, hydrated, disconnect)
	return oc
}

// pushWarning is what CLOUD.md asks every push to say.
const pushWarning = "the guidance's hydration job deletes and re-creates this index on every upload to the lore bucket: " +
	"after the next upload only that file stays searchable, and what is pushed here is gone. Upload one combined lore file per push."

func printTeamStatus(w io.Writer, st app.LoreTeamStatus) {
	ix := st.Index
	if !ix.Exists {
		fmt.Fprintf(w, "index %s does not exist yet (npcstudio lore opensearch create, or push)\n", ix.Index)
	} else {
		fmt.Fprintf(w, "index %s: %s, %d dimensions", ix.Index, prose.Count(int(ix.Chunks), "chunk"), ix.Dimension)
		if ix.Engine != "" {
			fmt.Fprintf(w, ", %s", ix.Engine)
		}
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, f := range ix.Files {
			fmt.Fprintf(tw, "  %s\t%s\n", prose.Name(f.Name), prose.Count(f.Chunks, "chunk"))
		}
		tw.Flush()
		if ix.FilesPartial {
			fmt.Fprintln(w, "  (files counted in the first 10,000 chunks only)")
		}
	}
	if st.Embedder != "" {
		fmt.Fprintf(w, "embedder %s (%d dimensions)\n", st.Embedder, st.Dimension)
	}
	if st.Problem != "" {
		fmt.Fprintf(w, "problem: %s\n", st.Problem)
	}
}
