package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

// LoreTeam is how the workspace reaches the team's lore index on OpenSearch. A basic-auth
// password is kept in the OS keychain (or read from PasswordEnv), never here.
type LoreTeam struct {
	V   int    `json:"v"`
	URL string `json:"url"`
	// Index defaults to rag_embeddings, the index the cloud's hydration job writes.
	Index string `json:"index"`
	// Auth is none, basic (the guidance's domain) or sigv4 (managed OpenSearch with IAM).
	Auth     string `json:"auth"`
	Username string `json:"username,omitempty"`
	// HasPassword says the password is in the OS keychain.
	HasPassword bool   `json:"hasPassword"`
	PasswordEnv string `json:"passwordEnv,omitempty"`
	// Region, Profile and Service (es, or aoss for Serverless) sign SigV4 requests.
	Region  string `json:"region,omitempty"`
	Profile string `json:"profile,omitempty"`
	Service string `json:"service,omitempty"`
	// Engine is the k-NN engine of an index NPC Studio creates: lucene (also when empty:
	// every OpenSearch 2.x node has it, while a node without the native k-NN libraries dies
	// on the first refresh of a faiss or nmslib index), faiss, nmslib, or cloud for the
	// cloud's own mapping, which leaves the engine to the domain's default.
	Engine string `json:"engine,omitempty"`
}

func (t LoreTeam) secretName() string {
	host := t.URL
	if u, err := url.Parse(t.URL); err == nil && u.Host != "" {
		host = u.Host
	}
	return "opensearch/" + t.Username + "@" + host
}

// errNoTeam: no team index is connected.
var errNoTeam = fault.NotFound("no team index is connected: connect one in Lore > Team index or with `npcstudio lore opensearch connect URL`")

// connectTeam connects to the saved team index; password, when set, is used instead of the
// saved one.
func (a *App) connectTeam(ctx context.Context, cfg LoreTeam, password string) (*lore.TeamIndex, error) {
	tc := lore.TeamConfig{URL: strings.TrimSpace(cfg.URL), Index: cfg.Index, Auth: lore.TeamAuth(cfg.Auth), Username: cfg.Username, Service: cfg.Service}
	switch cfg.Engine {
	case "cloud":
	case "", "lucene":
		tc.Method = &lore.KNNMethod{Name: "hnsw", Engine: "lucene", SpaceType: "l2"}
	case "faiss", "nmslib":
		tc.Method = &lore.KNNMethod{Name: "hnsw", Engine: cfg.Engine, SpaceType: "l2"}
	default:
		return nil, fault.Invalid("engine", "unknown k-NN engine %q: use lucene (the default), faiss, nmslib, or cloud for the cloud's own mapping", cfg.Engine)
	}
	if tc.Auth == lore.AuthBasic {
		switch {
		case password != "":
			tc.Password = password
		case cfg.PasswordEnv != "":
			if tc.Password = os.Getenv(cfg.PasswordEnv); tc.Password == "" {
				return nil, fault.Invalid("passwordEnv", "the team index takes its password from $%s, which is not set", cfg.PasswordEnv)
			}
		case cfg.HasPassword:
			pw, err := a.secrets.Get(cfg.secretName())
			if err != nil {
				return nil, fmt.Errorf("password of the team index: %w", err)
			}
			tc.Password = pw
		}
	}
	if tc.Auth == lore.AuthSigV4 {
		awsCfg, err := cloud.LoadConfig(ctx, cfg.Region, cfg.Profile)
		if err != nil {
			return nil, err
		}
		tc.AWS = &awsCfg
	}
	return lore.ConnectTeam(ctx, tc)
}

func (a *App) team(ctx context.Context) (*lore.TeamIndex, LoreTeam, error) {
	st, err := a.store()
	if err != nil {
		return nil, LoreTeam{}, err
	}
	cfg, err := readSetting[LoreTeam](st, settingLoreTeam)
	if errors.Is(err, store.ErrNotFound) {
		return nil, cfg, errNoTeam
	}
	if err != nil {
		return nil, cfg, err
	}
	ti, err := a.connectTeam(ctx, cfg, "")
	return ti, cfg, err
}

// loreEmbedder makes the workspace's embedder, for the team index: its vectors must come
// from the same model as the index's.
func (a *App) loreEmbedder(ctx context.Context) (lore.Embedder, error) {
	st, err := a.store()
	if err != nil {
		return nil, err
	}
	cfg, err := readSetting[LoreEmbedder](st, settingLoreEmbedder)
	if errors.Is(err, store.ErrNotFound) || (err == nil && cfg.Provider == "") {
		return nil, fmt.Errorf("the team index is searched by vectors: %w", lore.ErrNoEmbedder)
	}
	if err != nil {
		return nil, err
	}
	return a.embedder(ctx, st, cfg)
}

// embedderDim is the length of e's vectors, asking it once when it does not know.
func embedderDim(ctx context.Context, e lore.Embedder) (int, error) {
	if d := e.Dim(); d > 0 {
		return d, nil
	}
	v, err := e.Embed(ctx, []string{"dimension probe"})
	if err != nil {
		return 0, err
	}
	if len(v) != 1 || len(v[0]) == 0 {
		return 0, &lore.EmbedError{Embedder: e.ID(), Message: "no vector for a probe text"}
	}
	return len(v[0]), nil
}

// LoreTeamConnectRequest connects to a team index. Password (basic auth) goes to the OS
// keychain; it is never stored in the workspace or returned.
type LoreTeamConnectRequest struct {
	Team     LoreTeam `json:"team"`
	Password string   `json:"password"`
}

// LoreTeamStatus is the team index as NPC Studio sees it.
type LoreTeamStatus struct {
	Team  LoreTeam        `json:"team"`
	Index lore.TeamStatus `json:"index"`
	// Embedder is the workspace's embedder and Dimension its vector length, when set.
	Embedder  string `json:"embedder,omitempty"`
	Dimension int    `json:"dimension,omitempty"`
	// Problem says why pushing or searching would fail (no embedder, another dimension).
	Problem string `json:"problem,omitempty"`
}

// TeamConnect checks that the team index answers with these settings, then keeps them.
func (s *LoreService) TeamConnect(req LoreTeamConnectRequest) (out LoreTeamStatus, err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	cfg := req.Team
	cfg.V, cfg.URL, cfg.Username = 1, strings.TrimSpace(cfg.URL), strings.TrimSpace(cfg.Username)
	if cfg.Index = strings.TrimSpace(cfg.Index); cfg.Index == "" {
		cfg.Index = lore.DefaultTeamIndex
	}
	if cfg.Auth == "" {
		cfg.Auth = string(lore.AuthNone)
		if cfg.Username != "" {
			cfg.Auth = string(lore.AuthBasic)
		}
	}
	if cfg.Auth != string(lore.AuthBasic) {
		cfg.Username, cfg.PasswordEnv, cfg.HasPassword = "", "", false
	}
	if cfg.Auth == string(lore.AuthBasic) && req.Password == "" && cfg.PasswordEnv == "" {
		// Connecting again with the same user keeps the password already in the keychain.
		prev, err := readSetting[LoreTeam](st, settingLoreTeam)
		cfg.HasPassword = err == nil && prev.HasPassword && prev.secretName() == cfg.secretName()
		if !cfg.HasPassword {
			return out, fault.Invalid("password", "basic auth needs the password of user %q", cfg.Username)
		}
	}
	ctx := s.a.ctx()
	if _, err := s.a.connectTeam(ctx, cfg, req.Password); err != nil {
		return out, err
	}
	if req.Password != "" {
		if err := s.a.secrets.Set(cfg.secretName(), req.Password); err != nil {
			if errors.Is(err, secrets.ErrUnavailable) {
				return out, &fault.ValidationError{Field: "password", Reason: fmt.Sprintf(
					"cannot keep the password: %v. Put it in an environment variable and connect with its name instead", err)}
			}
			return out, err
		}
		cfg.HasPassword = true
	}
	if err := writeSetting(st, settingLoreTeam, cfg); err != nil {
		return out, err
	}
	s.a.log.Info("team index connected", "index", cfg.Index, "auth", cfg.Auth)
	return s.TeamStatus()
}

// TeamStatus reports what the team index holds and whether the workspace's embedder fits it.
func (s *LoreService) TeamStatus() (out LoreTeamStatus, err error) {
	defer guard(s.a.log, &err)
	ctx := s.a.ctx()
	ti, cfg, err := s.a.team(ctx)
	if err != nil {
		return out, err
	}
	out.Team = cfg
	if out.Index, err = ti.Status(ctx); err != nil {
		return out, err
	}
	e, err := s.a.loreEmbedder(ctx)
	if err != nil {
		out.Problem = err.Error()
		return out, nil
	}
	out.Embedder = e.ID()
	if out.Dimension, err = embedderDim(ctx, e); err != nil {
		out.Problem = err.Error()
		return out, nil
	}
	if out.Index.Exists && out.Index.Dimension != out.Dimension {
		out.Problem = (&lore.DimensionError{Index: cfg.Index, IndexDim: out.Index.Dimension, EmbedderDim: out.Dimension, Embedder: e.ID()}).Error()
	}
	return out, nil
}

// TeamEnsureIndex uses the team index when it exists with the embedder's dimension and
// creates it in the cloud's format otherwise.
func (s *LoreService) TeamEnsureIndex() (out LoreTeamStatus, err error) {
	defer guard(s.a.log, &err)
	ctx := s.a.ctx()
	ti, _, err := s.a.team(ctx)
	if err != nil {
		return out, err
	}
	e, err := s.a.loreEmbedder(ctx)
	if err != nil {
		return out, err
	}
	dim, err := embedderDim(ctx, e)
	if err != nil {
		return out, err
	}
	if _, err := ti.EnsureIndex(ctx, dim); err != nil {
		var de *lore.DimensionError
		if errors.As(err, &de) {
			de.Embedder = e.ID()
		}
		return out, err
	}
	return s.TeamStatus()
}

// LoreTeamPushRequest pushes documents (ids or names; All: every one) to the team index.
type LoreTeamPushRequest struct {
	OpID string   `json:"opId"`
	Docs []string `json:"docs"`
	All  bool     `json:"all"`
}

// LorePushResult is what a push indexed.
type LorePushResult struct {
	Index  string   `json:"index"`
	Files  []string `json:"files"`
	Chunks int      `json:"chunks"`
}

// TeamPush chunks documents with the cloud's rule, embeds them with the workspace's
// embedder and indexes them under their file name as the hydration job would, creating
// the index when there is none. It returns the operation id at once; progress is the
// chunks indexed, done a LorePushResult.
func (s *LoreService) TeamPush(req LoreTeamPushRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	lib, err := s.a.library()
	if err != nil {
		return "", err
	}
	var names []string
	if req.All {
		for _, d := range lib.List(lore.DocFilter{}) {
			names = append(names, d.Name)
		}
	} else {
		for _, ref := range req.Docs {
			d, err := lib.Get(strings.TrimSpace(ref))
			if err != nil {
				return "", err
			}
			names = append(names, d.Name)
		}
	}
	if len(names) == 0 {
		return "", fault.Invalid("docs", "pick the documents to push")
	}
	ctx := s.a.ctx()
	ti, cfg, err := s.a.team(ctx)
	if err != nil {
		return "", err
	}
	e, err := s.a.loreEmbedder(ctx)
	if err != nil {
		return "", err
	}
	return s.a.ops.Start(req.OpID, OpLorePush, func(ctx context.Context, op *Op) (any, error) {
		dim, err := embedderDim(ctx, e)
		if err != nil {
			return nil, err
		}
		if _, err := ti.EnsureIndex(ctx, dim); err != nil {
			var de *lore.DimensionError
			if errors.As(err, &de) {
				de.Embedder = e.ID()
			}
			return nil, err
		}
		n, err := ti.Push(ctx, lib, names, e, lore.PushOptions{Progress: func(done int) {
			op.Progress(LoreProgress{Done: done, Unit: "chunks"})
		}})
		if err != nil {
			return nil, err
		}
		s.a.log.Info("lore pushed to the team index", "index", cfg.Index, "files", len(names), "chunks", n)
		return LorePushResult{Index: cfg.Index, Files: names, Chunks: n}, nil
	})
}

// LoreTeamSearchRequest searches the team index: the cloud's own k-NN query, or that fused
// with a keyword match (Hybrid).
type LoreTeamSearchRequest struct {
	Text   string `json:"text"`
	K      int    `json:"k"`
	Hybrid bool   `json:"hybrid"`
}

// TeamSearch searches the team index with the workspace's embedder.
func (s *LoreService) TeamSearch(req LoreTeamSearchRequest) (out lore.SearchResults, err error) {
	defer guard(s.a.log, &err)
	if strings.TrimSpace(req.Text) == "" {
		return out, fault.Invalid("text", "type something to search for")
	}
	if req.K < 0 || req.K > lore.MaxK {
		return out, fault.Invalid("k", "k must be between 1 and %d", lore.MaxK)
	}
	ctx := s.a.ctx()
	ti, _, err := s.a.team(ctx)
	if err != nil {
		return out, err
	}
	e, err := s.a.loreEmbedder(ctx)
	if err != nil {
		return out, err
	}
	out, err = lore.TeamSource{Index: ti, Embedder: e, Hybrid: req.Hybrid}.Search(ctx, lore.Query{Text: req.Text, K: req.K})
	if out.Results == nil {
		out.Results = []lore.Result{}
	}
	return out, err
}

// LoreHydratedRequest names a pushed or uploaded file.
type LoreHydratedRequest struct {
	File string `json:"file"`
}

// LoreHydrated says whether a file's chunks are in the team index.
type LoreHydrated struct {
	File     string `json:"file"`
	Hydrated bool   `json:"hydrated"`
	Chunks   int    `json:"chunks"`
}

// TeamHydrated says whether chunks of a file (its name, e.g. lore_12.txt) are in the team
// index: after an upload to the lore bucket, whether the hydration job has run.
func (s *LoreService) TeamHydrated(req LoreHydratedRequest) (out LoreHydrated, err error) {
	defer guard(s.a.log, &err)
	file := strings.TrimSpace(req.File)
	if file == "" {
		return out, fault.Invalid("file", "name the file to look for (e.g. lore_12.txt)")
	}
	ctx := s.a.ctx()
	ti, _, err := s.a.team(ctx)
	if err != nil {
		return out, err
	}
	out.File = file
	out.Hydrated, out.Chunks, err = ti.Hydrated(ctx, file)
	return out, err
}

// TeamDisconnect forgets the team index and its password; the index itself is untouched.
func (s *LoreService) TeamDisconnect() (err error) {
	defer guard(s.a.log, &err)
	st, err := s.a.store()
	if err != nil {
		return err
	}
	cfg, err := readSetting[LoreTeam](st, settingLoreTeam)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if cfg.HasPassword {
		if err := s.a.secrets.Delete(cfg.secretName()); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return fmt.Errorf("remove the team index password: %w", err)
		}
	}
	return deleteSetting(st, settingLoreTeam)
}
