package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/minilm"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/store"
)

// LoreService is the lore library: documents imported with their collection and tags,
// chunking previews, keyword, vector and hybrid search, the embedder and its background
// re-embedding, the team index on OpenSearch (lore_team.go) and the activation debugger of
// chat turns (lore_chat.go).
//
// The library is opened on first use and kept on the App beside the store until the
// workspace closes, so its indexes and vectors are loaded once.
type LoreService struct{ a *App }

// Kinds of the lore operations, as their events report them.
const (
	OpLoreAdd     = "lore.add"
	OpLoreReindex = "lore.reindex"
	OpLoreEmbed   = "lore.embed"
	OpLorePush    = "lore.push"
)

// Keys of the lore settings in the settings bucket.
const (
	settingLoreEmbedder = "lore.embedder"
	settingLoreTeam     = "lore.team"
)

// library returns the lore library of the open workspace, opening it on first use.
func (a *App) library() (*lore.Library, error) {
	a.mu.RLock()
	lib := a.lib
	a.mu.RUnlock()
	if lib != nil {
		return lib, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lib != nil {
		return a.lib, nil
	}
	if a.st == nil {
		if a.openErr != nil {
			return nil, a.openErr
		}
		return nil, errors.New("the workspace is closed")
	}
	lib, err := lore.NewLibrary(a.st, lore.Options{Logger: a.log})
	if err != nil {
		return nil, fmt.Errorf("open the lore library: %w", err)
	}
	a.lib = lib
	if cfg, err := readSetting[LoreEmbedder](a.st, settingLoreEmbedder); err == nil && cfg.Provider != "" {
		// A saved embedder that cannot be made now (its provider removed, no AWS profile)
		// leaves vector search off; the lore settings show why.
		if e, err := a.embedder(a.ctx(), a.st, cfg); err != nil {
			a.log.Warn("lore embedder not restored", "provider", cfg.Provider, "err", err)
		} else {
			lib.SetEmbedder(e, nil)
		}
	} else if errors.Is(err, store.ErrNotFound) {
		// A workspace that never chose an embedder gets the built-in one when its model is
		// here (turning vectors off is a choice, kept as an empty provider).
		if e := defaultEmbedder(); e != nil {
			lib.SetEmbedder(e, nil)
		}
	}
	a.log.Info("lore library opened", "documents", len(lib.List(lore.DocFilter{})))
	return lib, nil
}

// closeLore closes the lore library; the caller holds a.mu and closes the store after it.
func (a *App) closeLore() {
	if a.lib == nil {
		return
	}
	if err := a.lib.Close(); err != nil {
		a.log.Warn("closing the lore library", "err", err)
	}
	a.lib = nil
}

// syncLoreRetriever plugs the lore library into RAG mode when it holds lore, and unplugs it
// when it holds none, so an empty library reads as "not set up" in chat. It reads the
// workspace, not the library, so it never opens the library itself. The caller must not
// hold a.mu.
func (a *App) syncLoreRetriever() {
	st, _ := a.store()
	a.plugLore(st)
}

// plugLore is syncLoreRetriever for the workspace st (nil: none is open); it takes no lock,
// so opening a workspace calls it.
func (a *App) plugLore(st *store.Store) {
	has := false
	if st != nil {
		st.View(func(tx *bolt.Tx) error {
			if b := tx.Bucket([]byte(lore.BucketDocs)); b != nil {
				k, _ := b.Cursor().First()
				has = k != nil
			}
			return nil
		})
	}
	var r chat.Retriever
	if has {
		r = &loreRetriever{a: a}
	}
	a.SetLoreRetriever(r)
}

func readSetting[T any](st *store.Store, key string) (T, error) {
	var v T
	err := st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, bucketSettings, key, &v) })
	return v, err
}

func writeSetting(st *store.Store, key string, v any) error {
	return st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, bucketSettings, key, v) })
}

func deleteSetting(st *store.Store, key string) error {
	err := st.Update(func(tx *bolt.Tx) error { return store.Delete(tx, bucketSettings, key) })
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// LoreTag is a tag in use and how many documents carry it.
type LoreTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Docs  int    `json:"docs"`
}

// LoreStatus is what the lore area shows first.
type LoreStatus struct {
	Documents   int               `json:"documents"`
	Chunks      int               `json:"chunks"`
	Collections []lore.Collection `json:"collections"`
	Tags        []LoreTag         `json:"tags"`
	// Embedder is the saved embedder (Provider empty: keyword search only).
	Embedder  LoreEmbedder       `json:"embedder"`
	Embedding lore.EmbedProgress `json:"embedding"`
	// Team is the connected team index, when there is one.
	Team *LoreTeam `json:"team,omitempty"`
	// Strategies are the chunking strategies with their defaults, in the order offered.
	Strategies []lore.ChunkOptions `json:"strategies"`
}

// Status describes the library: its size, collections, tags, embedder and team index.
func (s *LoreService) Status() (out LoreStatus, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	docs := lib.List(lore.DocFilter{})
	out.Documents = len(docs)
	out.Collections = lib.Collections()
	tags := map[[2]string]int{}
	for _, d := range docs {
		out.Chunks += d.Chunks
		for k, v := range d.Tags {
			tags[[2]string{k, v}]++
		}
	}
	out.Tags = []LoreTag{}
	for kv, n := range tags {
		out.Tags = append(out.Tags, LoreTag{Key: kv[0], Value: kv[1], Docs: n})
	}
	sort.Slice(out.Tags, func(i, j int) bool {
		return cmp.Or(cmp.Compare(out.Tags[i].Key, out.Tags[j].Key), cmp.Compare(out.Tags[i].Value, out.Tags[j].Value)) < 0
	})
	if out.Embedder, err = readSetting[LoreEmbedder](st, settingLoreEmbedder); err != nil && !errors.Is(err, store.ErrNotFound) {
		return out, err
	}
	out.Embedding = lib.EmbedStatus()
	if out.Embedder.Provider == "" && out.Embedder.V == 0 && out.Embedding.Embedder == minilm.ID {
		out.Embedder = LoreEmbedder{V: 1, Provider: BuiltinEmbedder} // the default, not saved
	}
	if team, err := readSetting[LoreTeam](st, settingLoreTeam); err == nil {
		out.Team = &team
	}
	for _, strat := range []lore.Strategy{lore.Paragraphs, lore.Fixed, lore.Cloud} {
		o, _ := lore.ChunkOptions{Strategy: strat}.Normalize()
		out.Strategies = append(out.Strategies, o)
	}
	return out, nil
}

// LoreListRequest pages the documents, filtered by collection, tags and name.
type LoreListRequest struct {
	Collections []string          `json:"collections,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	// Query keeps documents whose name contains it (ignoring case).
	Query  string `json:"query,omitempty"`
	Offset int    `json:"offset"`
	// Limit defaults to 100, at most 1,000.
	Limit int `json:"limit"`
}

// LoreDocPage is a page of documents, by name.
type LoreDocPage struct {
	Items  []lore.Document `json:"items"`
	Total  int             `json:"total"`
	Offset int             `json:"offset"`
	Limit  int             `json:"limit"`
}

// List returns a page of documents.
func (s *LoreService) List(req LoreListRequest) (out LoreDocPage, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	docs := lib.List(lore.DocFilter{Collections: req.Collections, Tags: req.Tags})
	if q := strings.ToLower(strings.TrimSpace(req.Query)); q != "" {
		docs = slices.DeleteFunc(docs, func(d lore.Document) bool { return !strings.Contains(strings.ToLower(d.Name), q) })
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	from := max(0, min(req.Offset, len(docs)))
	to := min(from+limit, len(docs))
	return LoreDocPage{Items: docs[from:to], Total: len(docs), Offset: from, Limit: limit}, nil
}

// LoreDocRequest names one document by id or name.
type LoreDocRequest struct {
	Doc string `json:"doc"`
}

// Get returns one document.
func (s *LoreService) Get(req LoreDocRequest) (out lore.Document, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	return lib.Get(req.Doc)
}

// LoreChunksRequest pages the chunks of a document.
type LoreChunksRequest struct {
	Doc  string `json:"doc"`
	From int    `json:"from"`
	// Limit defaults to 100, at most 500.
	Limit int `json:"limit"`
}

// LoreChunkPage is a page of a document's chunks, in document order.
type LoreChunkPage struct {
	Doc    lore.Document `json:"doc"`
	Chunks []lore.Chunk  `json:"chunks"`
	From   int           `json:"from"`
	Total  int           `json:"total"`
}

// Chunks returns a page of a document's chunks as they are indexed.
func (s *LoreService) Chunks(req LoreChunksRequest) (out LoreChunkPage, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	d, err := lib.Get(req.Doc)
	if err != nil {
		return out, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	from := max(0, req.From)
	chunks, err := lib.Chunks(d.ID, from, limit)
	if err != nil {
		return out, err
	}
	if chunks == nil {
		chunks = []lore.Chunk{}
	}
	return LoreChunkPage{Doc: d, Chunks: chunks, From: from, Total: d.Chunks}, nil
}

// LoreAddRequest imports files and folders. The window picks OpID and follows
// "op:<OpID>": progress is a lore.AddProgress at most every 100 ms, done a lore.AddReport.
type LoreAddRequest struct {
	OpID  string   `json:"opId"`
	Paths []string `json:"paths"`
	// Collection and Tags are given to every file imported.
	Collection string            `json:"collection"`
	Tags       map[string]string `json:"tags,omitempty"`
	// Chunking, when set, overrides the default (paragraphs with a size limit).
	Chunking *lore.ChunkOptions `json:"chunking,omitempty"`
}

// Add imports .txt, .md, .pdf and .docx files and folders. A file already in the library
// by name is updated when its text changed; one whose text is there under another name is
// reported as a duplicate. It returns the operation id at once.
func (s *LoreService) Add(req LoreAddRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	paths, err := s.a.userPaths("paths", req.Paths)
	if err != nil {
		return "", err
	}
	if len(paths) == 0 {
		return "", fault.Invalid("paths", "give one or more files or folders to import")
	}
	if req.Chunking != nil {
		if _, err := req.Chunking.Normalize(); err != nil {
			return "", err
		}
	}
	lib, err := s.a.library()
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpLoreAdd, func(ctx context.Context, op *Op) (any, error) {
		rep, err := lib.Add(ctx, paths, lore.AddOptions{Collection: req.Collection, Tags: req.Tags, Chunking: req.Chunking,
			Progress: func(p lore.AddProgress) {
				op.Progress(p)
			}})
		s.a.syncLoreRetriever()
		if err != nil {
			return nil, err
		}
		s.a.log.Info("lore imported", "added", len(rep.Added), "updated", len(rep.Updated), "unchanged", len(rep.Unchanged), "failed", len(rep.Failed))
		return rep, nil
	})
}

// LoreMetaRequest changes a document's collection or tags.
type LoreMetaRequest struct {
	Doc    string          `json:"doc"`
	Update lore.MetaUpdate `json:"update"`
}

// UpdateMeta changes a document's collection or tags; search sees the change at once.
func (s *LoreService) UpdateMeta(req LoreMetaRequest) (out lore.Document, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	return lib.UpdateMeta(req.Doc, req.Update)
}

// Remove deletes a document with its chunks and vectors.
func (s *LoreService) Remove(req LoreDocRequest) (err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return err
	}
	if err = lib.Remove(req.Doc); err == nil {
		s.a.log.Info("lore removed", "doc", req.Doc)
	}
	s.a.syncLoreRetriever()
	return err
}

// LoreReindexRequest rebuilds the keyword index, or cuts every document again when
// Chunking is set (vectors follow in the background).
type LoreReindexRequest struct {
	OpID     string             `json:"opId"`
	Chunking *lore.ChunkOptions `json:"chunking,omitempty"`
}

// LoreProgress is Done of Total, counted in Unit ("chunks").
type LoreProgress struct {
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Unit  string `json:"unit"`
}

// Reindex rebuilds the library's indexes; search goes on meanwhile. It returns the
// operation id at once; done carries the LoreStatus after it.
func (s *LoreService) Reindex(req LoreReindexRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	if req.Chunking != nil {
		if _, err := req.Chunking.Normalize(); err != nil {
			return "", err
		}
	}
	lib, err := s.a.library()
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpLoreReindex, func(ctx context.Context, op *Op) (any, error) {
		err := lib.Reindex(ctx, lore.ReindexOptions{Chunking: req.Chunking, Progress: func(done, total int) {
			op.Progress(LoreProgress{Done: done, Total: total, Unit: "chunks"})
		}})
		s.a.syncLoreRetriever()
		if err != nil {
			return nil, err
		}
		s.a.log.Info("lore reindexed", "rechunked", req.Chunking != nil)
		return s.Status()
	})
}

// Search finds the chunks that best answer a query, filtered by collections and tags.
func (s *LoreService) Search(req lore.Query) (out lore.SearchResults, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	out, err = lib.Search(s.a.ctx(), req)
	if out.Results == nil {
		out.Results = []lore.Result{}
	}
	return out, err
}

// LorePreviewRequest asks how a file on this machine, or an imported document, would be
// chunked, without importing anything.
type LorePreviewRequest struct {
	Path string `json:"path,omitempty"`
	// Doc names an imported document (id or name); its text as imported is chunked.
	Doc      string            `json:"doc,omitempty"`
	Chunking lore.ChunkOptions `json:"chunking"`
	// Limit is how many chunks to return (default 200, at most 1,000).
	Limit int `json:"limit,omitempty"`
}

// Preview chunks a file or a document as an import would and returns the first chunks
// with their boundaries (byte offsets in the text) and the total.
func (s *LoreService) Preview(req LorePreviewRequest) (out lore.ChunkPreview, err error) {
	defer guard(s.a.log, &err)
	path, err := s.a.userPath("path", req.Path)
	if err != nil {
		return out, err
	}
	if req.Doc != "" {
		lib, err := s.a.library()
		if err != nil {
			return out, err
		}
		st, err := s.a.store()
		if err != nil {
			return out, err
		}
		d, err := lib.Get(req.Doc)
		if err != nil {
			return out, err
		}
		// The text as imported (see backend/lore's doc.go).
		path = filepath.Join(st.Dir(), "lore", "docs", d.ID+".txt")
	}
	if path == "" {
		return out, fault.Invalid("path", "give a file to preview, or pick a document")
	}
	return lore.Preview(s.a.ctx(), lore.PreviewRequest{Path: path, Chunking: req.Chunking, Limit: min(req.Limit, 1000)})
}

// LoreEmbedder is the embedder lore's vector search uses, kept with the workspace. Keys
// stay in the keychain with their provider.
type LoreEmbedder struct {
	V int `json:"v"`
	// Provider names an openai (OpenAI-compatible) or bedrock provider of the registry, or
	// is "builtin" for the embedder that runs in the studio; empty turns vector search off.
	Provider string `json:"provider"`
	// Model is the embedding model: for an OpenAI-compatible server its name (Ollama:
	// nomic-embed-text, all-minilm); for Bedrock amazon.titan-embed-text-v2:0 (the default);
	// for the built-in embedder the model's folder, empty to find it (see LoreService.Model).
	Model string `json:"model"`
	// Dimensions is 256, 512 or 1024 for Titan v2 (default 1024, as the cloud's index); 0
	// lets an OpenAI-compatible server say.
	Dimensions int `json:"dimensions,omitempty"`
}

// embedder makes the embedder cfg describes.
func (a *App) embedder(ctx context.Context, st *store.Store, cfg LoreEmbedder) (lore.Embedder, error) {
	if cfg.Provider == BuiltinEmbedder {
		return builtinEmbedder(cfg)
	}
	reg := provider.NewRegistry(st, a.secrets)
	p, err := reg.Get(cfg.Provider)
	if err != nil {
		return nil, err
	}
	switch p.Kind {
	case provider.KindOpenAI:
		if strings.TrimSpace(cfg.Model) == "" {
			return nil, fault.Invalid("model", "name the embedding model %s serves (for Ollama, e.g. nomic-embed-text)", p.Name)
		}
		key, err := reg.APIKey(p)
		if err != nil {
			return nil, err
		}
		return lore.NewOpenAIEmbedder(lore.OpenAIConfig{BaseURL: p.BaseURL, APIKey: key, Model: strings.TrimSpace(cfg.Model), Dimensions: cfg.Dimensions,
			HTTPClient: &http.Client{Timeout: 2 * time.Minute, CheckRedirect: provider.SameOriginRedirects}})
	case provider.KindBedrock:
		awsCfg, err := cloud.LoadConfig(ctx, p.Region, p.Profile)
		if err != nil {
			return nil, err
		}
		return lore.NewBedrockEmbedder(awsCfg, lore.BedrockConfig{Model: strings.TrimSpace(cfg.Model), Dimensions: cfg.Dimensions})
	}
	return nil, fault.Invalid("provider", "provider %s is a %s provider: lore embeds with an OpenAI-compatible server or Bedrock Titan", p.Name, p.Kind)
}

// LoreEmbedderRequest sets the embedder. The window picks OpID and follows "op:<OpID>":
// progress is a lore.EmbedProgress at most every 100 ms while chunks are embedded in the
// background, done the final one; search goes on meanwhile with the previous vectors.
type LoreEmbedderRequest struct {
	OpID     string       `json:"opId"`
	Embedder LoreEmbedder `json:"embedder"`
}

// SetEmbedder saves the embedder and starts embedding, in the background, every chunk it
// has no vector for. An empty provider turns vector search off. Cancelling the operation
// stops following the embedding, not the embedding itself.
func (s *LoreService) SetEmbedder(req LoreEmbedderRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return "", err
	}
	st, err := s.a.store()
	if err != nil {
		return "", err
	}
	cfg := req.Embedder
	cfg.V, cfg.Provider, cfg.Model = 1, strings.TrimSpace(cfg.Provider), strings.TrimSpace(cfg.Model)
	if cfg.Provider == "" {
		// Kept, not deleted: a workspace with no setting gets the built-in embedder.
		if err := writeSetting(st, settingLoreEmbedder, LoreEmbedder{V: 1}); err != nil {
			return "", err
		}
		lib.SetEmbedder(nil, nil)
		s.a.log.Info("lore embedder off")
		return s.watch(req.OpID, lib)
	}
	e, err := s.a.embedder(s.a.ctx(), st, cfg)
	if err != nil {
		return "", err
	}
	if err := writeSetting(st, settingLoreEmbedder, cfg); err != nil {
		return "", err
	}
	lib.SetEmbedder(e, nil)
	s.a.log.Info("lore embedder set", "embedder", e.ID())
	return s.watch(req.OpID, lib)
}

// LoreWatchRequest follows the background embedding.
type LoreWatchRequest struct {
	OpID string `json:"opId"`
}

// WatchEmbedding follows the background embedding as an operation until it is ready (done)
// or failed (error), so a window that opens later, or the command line, can wait for it.
func (s *LoreService) WatchEmbedding(req LoreWatchRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return "", err
	}
	return s.watch(req.OpID, lib)
}

// EmbedStatus reports the background embedding.
func (s *LoreService) EmbedStatus() (out lore.EmbedProgress, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	return lib.EmbedStatus(), nil
}

// LorePauseRequest pauses or resumes the background embedding.
type LorePauseRequest struct {
	Paused bool `json:"paused"`
}

// PauseEmbedding holds the background embedding after the batch under way (to give the
// computer back for a while), or lets it go on. Search keeps using the vectors made so far.
// The pause lasts until resumed or the workspace is closed.
func (s *LoreService) PauseEmbedding(req LorePauseRequest) (out lore.EmbedProgress, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	s.a.log.Info("lore embedding paused", "paused", req.Paused)
	return lib.PauseEmbedding(req.Paused), nil
}

// EmbedError is a background embedding that failed.
type EmbedError struct{ Reason string }

func (e *EmbedError) Error() string     { return "embedding lore failed: " + e.Reason }
func (e *EmbedError) ErrorCode() string { return "embedder" }

// watch starts an operation that reports the library's embedding progress until it ends.
func (s *LoreService) watch(opID string, lib *lore.Library) (string, error) {
	return s.a.ops.Start(opID, OpLoreEmbed, func(ctx context.Context, op *Op) (any, error) {
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			p := lib.EmbedStatus()
			switch p.State {
			case "ready", "off":
				return p, nil
			case "failed":
				return nil, &EmbedError{Reason: p.Error}
			}
			op.Progress(p)
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-t.C:
			}
			s.a.mu.RLock()
			gone := s.a.lib != lib
			s.a.mu.RUnlock()
			if gone {
				return nil, errors.New("the workspace was closed while its lore was embedded; it goes on when the workspace is opened again")
			}
		}
	})
}
