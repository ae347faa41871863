package lore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/signer/awsv2"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// DefaultTeamIndex is the index the cloud's hydration job writes.
const DefaultTeamIndex = "rag_embeddings"

// TeamAuth is how NPC Studio signs in to OpenSearch.
type TeamAuth string

const (
	AuthNone  TeamAuth = "none"
	AuthBasic TeamAuth = "basic" // the guidance's domain: a Secrets Manager user
	AuthSigV4 TeamAuth = "sigv4" // managed OpenSearch with IAM
)

// KNNMethod is the k-NN method of the vector field of an index EnsureIndex creates.
type KNNMethod struct {
	Name      string `json:"name"`                 // "hnsw"
	Engine    string `json:"engine"`               // "lucene", "faiss", "nmslib"
	SpaceType string `json:"space_type,omitempty"` // "l2", "cosinesimil", "innerproduct"
}

// TeamConfig says where the team index is and how to reach it.
type TeamConfig struct {
	URL string `json:"url"`
	// Index defaults to DefaultTeamIndex.
	Index    string   `json:"index,omitempty"`
	Auth     TeamAuth `json:"auth,omitempty"`
	Username string   `json:"username,omitempty"`
	Password string   `json:"-"`
	// AWS is the configuration SigV4 signs with (see cloud.LoadConfig); Service is "es"
	// (default) or "aoss" for OpenSearch Serverless.
	AWS     *aws.Config `json:"-"`
	Service string      `json:"service,omitempty"`
	// Method, when set, is the k-NN method of an index EnsureIndex creates; nil keeps the
	// cloud's own mapping, which leaves the engine to the domain's default.
	Method    *KNNMethod        `json:"method,omitempty"`
	Transport http.RoundTripper `json:"-"`
}

// TeamIndex is the team's shared vector index on OpenSearch, in the cloud's format.
type TeamIndex struct {
	client *opensearch.Client
	cfg    TeamConfig
}

// TeamError is an OpenSearch refusal or failure, explained.
type TeamError struct {
	Op     string
	Status int
	Reason string
}

func (e *TeamError) Error() string {
	if e.Status > 0 {
		return fmt.Sprintf("OpenSearch %s: HTTP %d: %s", e.Op, e.Status, e.Reason)
	}
	return fmt.Sprintf("OpenSearch %s: %s", e.Op, e.Reason)
}

func (e *TeamError) Is(target error) bool {
	return target == fault.ErrUnavailable && (e.Status == 0 || e.Status >= 500)
}

// ConnectTeam connects to the team index and checks that the server answers.
func ConnectTeam(ctx context.Context, cfg TeamConfig) (*TeamIndex, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fault.Invalid("url", "%q is not an OpenSearch URL such as https://search-domain.region.es.amazonaws.com", cfg.URL)
	}
	if cfg.Index == "" {
		cfg.Index = DefaultTeamIndex
	}
	if cfg.Auth == "" {
		cfg.Auth = AuthNone
		if cfg.Username != "" {
			cfg.Auth = AuthBasic
		}
	}
	oc := opensearch.Config{Addresses: []string{strings.TrimRight(cfg.URL, "/")}, Transport: cfg.Transport}
	switch cfg.Auth {
	case AuthNone:
	case AuthBasic:
		if cfg.Username == "" {
			return nil, fault.Invalid("username", "basic auth needs a user name")
		}
		oc.Username, oc.Password = cfg.Username, cfg.Password
	case AuthSigV4:
		if cfg.AWS == nil {
			return nil, fault.Invalid("auth", "SigV4 needs an AWS configuration (profile or credentials)")
		}
		service := cfg.Service
		if service == "" {
			service = "es"
		}
		s, err := awsv2.NewSignerWithService(*cfg.AWS, service)
		if err != nil {
			return nil, fmt.Errorf("SigV4 signer: %w", err)
		}
		oc.Signer = s
	default:
		return nil, fault.Invalid("auth", "unknown auth %q: use none, basic or sigv4", cfg.Auth)
	}
	c, err := opensearch.NewClient(oc)
	if err != nil {
		return nil, fmt.Errorf("OpenSearch client: %w", err)
	}
	t := &TeamIndex{client: c, cfg: cfg}
	var info struct {
		Version struct {
			Number       string `json:"number"`
			Distribution string `json:"distribution"`
		} `json:"version"`
	}
	if cfg.Service == "aoss" { // Serverless has no root endpoint
		return t, nil
	}
	if _, err := t.do(ctx, "connect", http.MethodGet, "/", nil, &info); err != nil {
		return nil, err
	}
	return t, nil
}

// Index is the index name.
func (t *TeamIndex) Index() string { return t.cfg.Index }

// do sends one request through the client (auth, signing and retries) and decodes a JSON
// reply into out. A reply of 300 or more is a *TeamError with OpenSearch's reason.
func (t *TeamIndex) do(ctx context.Context, op, method, path string, body any, out any) (int, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return 0, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
		if _, ok := body.([]byte); ok {
			req.Header.Set("Content-Type", "application/x-ndjson")
		}
	}
	resp, err := t.client.Perform(req)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, &TeamError{Op: op, Reason: "cannot reach " + t.cfg.URL + ": " + err.Error()}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if err != nil {
		return resp.StatusCode, &TeamError{Op: op, Reason: "reading the reply: " + err.Error()}
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, &TeamError{Op: op, Status: resp.StatusCode, Reason: explainStatus(resp.StatusCode, raw)}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, &TeamError{Op: op, Reason: "the reply is not what OpenSearch sends: " + err.Error()}
		}
	}
	return resp.StatusCode, nil
}

func explainStatus(status int, raw []byte) string {
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	reason := strings.TrimSpace(string(raw))
	if json.Unmarshal(raw, &body) == nil && len(body.Error) > 0 {
		var e struct {
			Type   string `json:"type"`
			Reason string `json:"reason"`
		}
		if json.Unmarshal(body.Error, &e) == nil && e.Reason != "" {
			reason = e.Type + ": " + e.Reason
		} else {
			reason = strings.Trim(string(body.Error), `"`)
		}
	}
	if len(reason) > 500 {
		reason = reason[:500] + "..."
	}
	switch status {
	case http.StatusUnauthorized:
		return "the user name and password were refused (" + reason + ")"
	case http.StatusForbidden:
		return "signed in, but not allowed to do this (check the role mapping or IAM policy): " + reason
	}
	return reason
}

// TeamFile is a file in the team index and how many chunks it has there.
type TeamFile struct {
	Name   string `json:"name"`
	Chunks int    `json:"chunks"`
}

// TeamStatus is what the team index holds.
type TeamStatus struct {
	Index     string `json:"index"`
	Exists    bool   `json:"exists"`
	Chunks    int64  `json:"chunks"`
	Dimension int    `json:"dimension"`
	Engine    string `json:"engine,omitempty"`
	SpaceType string `json:"spaceType,omitempty"`
	// Files are the distinct file_name values with their chunk counts, by name.
	Files []TeamFile `json:"files"`
	// FilesPartial is set when the index is too large to count files without a keyword
	// field and only the first 10,000 chunks were counted.
	FilesPartial bool `json:"filesPartial,omitempty"`
}

type teamMapping struct {
	dim       int
	engine    string
	spaceType string
	fileField string // a keyword field for file_name, "" when there is none
}

func (t *TeamIndex) mapping(ctx context.Context) (teamMapping, bool, error) {
	var raw map[string]struct {
		Mappings struct {
			Properties map[string]struct {
				Type      string `json:"type"`
				Dimension int    `json:"dimension"`
				SpaceType string `json:"space_type"`
				Method    *struct {
					Engine    string `json:"engine"`
					SpaceType string `json:"space_type"`
				} `json:"method"`
				Fields map[string]struct {
					Type string `json:"type"`
				} `json:"fields"`
			} `json:"properties"`
		} `json:"mappings"`
	}
	status, err := t.do(ctx, "read mapping", http.MethodGet, "/"+url.PathEscape(t.cfg.Index)+"/_mapping", nil, &raw)
	if status == http.StatusNotFound {
		return teamMapping{}, false, nil
	}
	if err != nil {
		return teamMapping{}, false, err
	}
	var m teamMapping
	for _, idx := range raw { // one index (or the one behind an alias)
		props := idx.Mappings.Properties
		vf := props["vector_field"]
		m.dim, m.spaceType = vf.Dimension, vf.SpaceType
		if vf.Method != nil {
			m.engine = vf.Method.Engine
			if vf.Method.SpaceType != "" {
				m.spaceType = vf.Method.SpaceType
			}
		}
		fn := props["file_name"]
		if fn.Type == "keyword" {
			m.fileField = "file_name"
		}
		for sub, f := range fn.Fields {
			if f.Type == "keyword" && m.fileField == "" {
				m.fileField = "file_name." + sub
			}
		}
		if vf.Type != "knn_vector" {
			return m, true, &TeamError{Op: "read mapping", Reason: fmt.Sprintf("index %s has no knn_vector field named vector_field: it is not a lore index", t.cfg.Index)}
		}
	}
	return m, true, nil
}

// Status reports whether the index exists, its chunks, its vector dimension and its files.
func (t *TeamIndex) Status(ctx context.Context) (TeamStatus, error) {
	st := TeamStatus{Index: t.cfg.Index, Files: []TeamFile{}}
	m, exists, err := t.mapping(ctx)
	if err != nil || !exists {
		return st, err
	}
	st.Exists, st.Dimension, st.Engine, st.SpaceType = true, m.dim, m.engine, m.spaceType
	var count struct {
		Count int64 `json:"count"`
	}
	if _, err := t.do(ctx, "count", http.MethodGet, "/"+url.PathEscape(t.cfg.Index)+"/_count", nil, &count); err != nil {
		return st, err
	}
	st.Chunks = count.Count
	files, partial, err := t.files(ctx, m, nil)
	st.Files, st.FilesPartial = files, partial
	return st, err
}

// files counts chunks per file_name, with a terms aggregation when the mapping has a
// keyword field, else (the cloud's text-only mapping) by reading file_name of each chunk.
// only, when set, limits the count to one file.
func (t *TeamIndex) files(ctx context.Context, m teamMapping, only *string) ([]TeamFile, bool, error) {
	path := "/" + url.PathEscape(t.cfg.Index) + "/_search"
	out := []TeamFile{}
	if m.fileField != "" {
		body := map[string]any{"size": 0, "aggs": map[string]any{"files": map[string]any{"terms": map[string]any{"field": m.fileField, "size": 10000}}}}
		if only != nil {
			body["query"] = map[string]any{"term": map[string]any{m.fileField: *only}}
		}
		var res struct {
			Aggregations struct {
				Files struct {
					Buckets []struct {
						Key      string `json:"key"`
						DocCount int    `json:"doc_count"`
					} `json:"buckets"`
				} `json:"files"`
			} `json:"aggregations"`
		}
		if _, err := t.do(ctx, "count files", http.MethodPost, path, body, &res); err != nil {
			return out, false, err
		}
		for _, b := range res.Aggregations.Files.Buckets {
			out = append(out, TeamFile{Name: b.Key, Chunks: b.DocCount})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out, false, nil
	}
	const most = 10000
	body := map[string]any{"size": most, "_source": []string{"file_name"}, "track_total_hits": true}
	if only != nil {
		body["query"] = map[string]any{"match_phrase": map[string]any{"file_name": *only}}
	}
	var res struct {
		Hits struct {
			Total struct {
				Value int `json:"value"`
			} `json:"total"`
			Hits []struct {
				Source struct {
					FileName string `json:"file_name"`
				} `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if _, err := t.do(ctx, "count files", http.MethodPost, path, body, &res); err != nil {
		return out, false, err
	}
	counts := map[string]int{}
	for _, h := range res.Hits.Hits {
		if only == nil || h.Source.FileName == *only {
			counts[h.Source.FileName]++
		}
	}
	for name, n := range counts {
		out = append(out, TeamFile{Name: name, Chunks: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, res.Hits.Total.Value > most, nil
}

// EnsureIndex uses the index when it exists with vectors of dim dimensions, and creates it
// with the cloud's mapping otherwise: settings index.knn true; vector_field knn_vector of
// dim; file_name text with a keyword sub-field (so files can be counted); page text;
// passage text. An existing index with another dimension is a *DimensionError.
func (t *TeamIndex) EnsureIndex(ctx context.Context, dim int) (TeamStatus, error) {
	if dim <= 0 {
		return TeamStatus{}, fault.Invalid("dimension", "the vector dimension must be positive")
	}
	m, exists, err := t.mapping(ctx)
	if err != nil {
		return TeamStatus{}, err
	}
	if exists {
		if m.dim != dim {
			return TeamStatus{}, &DimensionError{Index: t.cfg.Index, IndexDim: m.dim, EmbedderDim: dim}
		}
		return t.Status(ctx)
	}
	vf := map[string]any{"type": "knn_vector", "dimension": dim}
	if t.cfg.Method != nil {
		vf["method"] = t.cfg.Method
	}
	body := map[string]any{
		"settings": map[string]any{"index": map[string]any{"knn": true}},
		"mappings": map[string]any{"properties": map[string]any{
			"vector_field": vf,
			"file_name":    map[string]any{"type": "text", "fields": map[string]any{"keyword": map[string]any{"type": "keyword", "ignore_above": 1024}}},
			"page":         map[string]any{"type": "text"},
			"passage":      map[string]any{"type": "text"},
		}},
	}
	if _, err := t.do(ctx, "create index", http.MethodPut, "/"+url.PathEscape(t.cfg.Index), body, nil); err != nil {
		return TeamStatus{}, err
	}
	return t.Status(ctx)
}

// CheckDimension returns a *DimensionError when the index holds vectors of another length
// than the embedder makes, and ErrNotFound when there is no index.
func (t *TeamIndex) CheckDimension(ctx context.Context, e Embedder) error {
	m, exists, err := t.mapping(ctx)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("team index %s: %w", t.cfg.Index, ErrNotFound)
	}
	dim, err := probeDim(ctx, e)
	if err != nil {
		return err
	}
	if m.dim != dim {
		return &DimensionError{Index: t.cfg.Index, IndexDim: m.dim, EmbedderDim: dim, Embedder: e.ID()}
	}
	return nil
}

// DeleteIndex removes the index (a missing index is not an error).
func (t *TeamIndex) DeleteIndex(ctx context.Context) error {
	status, err := t.do(ctx, "delete index", http.MethodDelete, "/"+url.PathEscape(t.cfg.Index), nil, nil)
	if status == http.StatusNotFound {
		return nil
	}
	return err
}

// TeamChunk is one document of the team index, in the cloud's fields.
type TeamChunk struct {
	// ID is the document id; empty lets OpenSearch pick one.
	ID       string    `json:"-"`
	FileName string    `json:"file_name"`
	Page     string    `json:"page"`
	Passage  string    `json:"passage"`
	Vector   []float32 `json:"vector_field"`
}

// CloudPage is the page the hydration job records for a file name: the part after the
// last underscore of the name before its first dot ("lore_12.txt" -> "12").
func CloudPage(fileName string) string {
	base, _, _ := strings.Cut(fileName, ".")
	parts := strings.Split(base, "_")
	return parts[len(parts)-1]
}

// BulkIndex writes chunks with the _bulk API and refreshes the index, so they are
// searchable when it returns. Every vector must have the index's dimension.
func (t *TeamIndex) BulkIndex(ctx context.Context, chunks []TeamChunk) error {
	if len(chunks) == 0 {
		return nil
	}
	m, exists, err := t.mapping(ctx)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("team index %s does not exist: create it first: %w", t.cfg.Index, ErrNotFound)
	}
	for _, c := range chunks {
		if len(c.Vector) != m.dim {
			return &DimensionError{Index: t.cfg.Index, IndexDim: m.dim, EmbedderDim: len(c.Vector)}
		}
	}
	const perRequest = 500
	for start := 0; start < len(chunks); start += perRequest {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for _, c := range chunks[start:min(start+perRequest, len(chunks))] {
			action := map[string]any{"_index": t.cfg.Index}
			if c.ID != "" {
				action["_id"] = c.ID
			}
			enc.Encode(map[string]any{"index": action})
			enc.Encode(c)
		}
		var res struct {
			Errors bool `json:"errors"`
			Items  []map[string]struct {
				ID     string `json:"_id"`
				Status int    `json:"status"`
				Error  *struct {
					Type   string `json:"type"`
					Reason string `json:"reason"`
				} `json:"error"`
			} `json:"items"`
		}
		if _, err := t.do(ctx, "bulk index", http.MethodPost, "/_bulk", buf.Bytes(), &res); err != nil {
			return err
		}
		if res.Errors {
			failed, first := 0, ""
			for _, item := range res.Items {
				for _, r := range item {
					if r.Error != nil {
						failed++
						if first == "" {
							first = fmt.Sprintf("%s: %s", r.Error.Type, r.Error.Reason)
						}
					}
				}
			}
			return &TeamError{Op: "bulk index", Reason: fmt.Sprintf("%d of %d chunks were refused; the first: %s", failed, len(res.Items), first)}
		}
	}
	_, err = t.do(ctx, "refresh", http.MethodPost, "/"+url.PathEscape(t.cfg.Index)+"/_refresh", nil, nil)
	return err
}

// TeamHit is a chunk found in the team index.
type TeamHit struct {
	ID       string  `json:"id"`
	FileName string  `json:"fileName"`
	Page     string  `json:"page"`
	Passage  string  `json:"passage"`
	Score    float64 `json:"score"`
	Keyword  *Rank   `json:"keyword,omitempty"`
	Vector   *Rank   `json:"vector,omitempty"`
}

type teamSearchReply struct {
	Hits struct {
		Hits []struct {
			ID     string  `json:"_id"`
			Score  float64 `json:"_score"`
			Source struct {
				FileName json.RawMessage `json:"file_name"`
				Page     json.RawMessage `json:"page"`
				Passage  string          `json:"passage"`
			} `json:"_source"`
		} `json:"hits"`
	} `json:"hits"`
}

// rawString reads a field the cloud writes as a string but an index may hold as a number.
func rawString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.Trim(string(raw), `"`)
}

func (t *TeamIndex) search(ctx context.Context, body any) ([]TeamHit, error) {
	var res teamSearchReply
	if _, err := t.do(ctx, "search", http.MethodPost, "/"+url.PathEscape(t.cfg.Index)+"/_search", body, &res); err != nil {
		return nil, err
	}
	out := make([]TeamHit, len(res.Hits.Hits))
	for i, h := range res.Hits.Hits {
		out[i] = TeamHit{ID: h.ID, FileName: rawString(h.Source.FileName), Page: rawString(h.Source.Page), Passage: h.Source.Passage, Score: h.Score}
	}
	return out, nil
}

// KNNQuery is the exact query the cloud's RAG endpoint sends.
func KNNQuery(vector []float32, k int) map[string]any {
	return map[string]any{"size": k, "query": map[string]any{"knn": map[string]any{"vector_field": map[string]any{"vector": vector, "k": k}}}}
}

// Search finds the k nearest chunks to vector with the cloud's own query shape.
func (t *TeamIndex) Search(ctx context.Context, vector []float32, k int) ([]TeamHit, error) {
	if err := t.checkQueryDim(ctx, len(vector)); err != nil {
		return nil, err
	}
	hits, err := t.search(ctx, KNNQuery(vector, k))
	for i := range hits {
		hits[i].Vector = &Rank{Rank: i + 1, Score: hits[i].Score}
	}
	return hits, err
}

// HybridSearch fuses a match query on passage and the k-NN query by reciprocal rank fusion,
// on the client: OpenSearch's own hybrid query needs the neural-search plugin and a search
// pipeline, which the cloud's domain is not set up with.
func (t *TeamIndex) HybridSearch(ctx context.Context, text string, vector []float32, k int) ([]TeamHit, error) {
	if err := t.checkQueryDim(ctx, len(vector)); err != nil {
		return nil, err
	}
	n := max(50, 4*k)
	knn, err := t.search(ctx, KNNQuery(vector, n))
	if err != nil {
		return nil, err
	}
	kw, err := t.search(ctx, map[string]any{"size": n, "query": map[string]any{"match": map[string]any{"passage": text}}})
	if err != nil {
		return nil, err
	}
	byID := map[string]*TeamHit{}
	var order []*TeamHit
	get := func(h TeamHit) *TeamHit {
		if x, ok := byID[h.ID]; ok {
			return x
		}
		x := h
		x.Score = 0
		byID[h.ID] = &x
		order = append(order, &x)
		return &x
	}
	for i, h := range kw {
		x := get(h)
		x.Keyword = &Rank{Rank: i + 1, Score: h.Score}
		x.Score += 1 / float64(RRFK+i+1)
	}
	for i, h := range knn {
		x := get(h)
		x.Vector = &Rank{Rank: i + 1, Score: h.Score}
		x.Score += 1 / float64(RRFK+i+1)
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Score > order[j].Score })
	out := make([]TeamHit, 0, k)
	for _, h := range order[:min(k, len(order))] {
		out = append(out, *h)
	}
	return out, nil
}

func (t *TeamIndex) checkQueryDim(ctx context.Context, n int) error {
	m, exists, err := t.mapping(ctx)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("team index %s: %w", t.cfg.Index, ErrNotFound)
	}
	if m.dim != n {
		return &DimensionError{Index: t.cfg.Index, IndexDim: m.dim, EmbedderDim: n}
	}
	return nil
}

// Hydrated says whether chunks of a pushed file are in the index, and how many.
func (t *TeamIndex) Hydrated(ctx context.Context, fileName string) (bool, int, error) {
	m, exists, err := t.mapping(ctx)
	if err != nil || !exists {
		return false, 0, err
	}
	files, _, err := t.files(ctx, m, &fileName)
	if err != nil {
		return false, 0, err
	}
	for _, f := range files {
		if f.Name == fileName {
			return f.Chunks > 0, f.Chunks, nil
		}
	}
	return false, 0, nil
}

// PushOptions says how documents go to the team index.
type PushOptions struct {
	// Progress is called after each batch with the chunks indexed so far.
	Progress func(done int) `json:"-"`
}

// Push chunks documents of the library with the cloud's rule, embeds them with e (which
// must make vectors of the index's dimension) and indexes them under their file name,
// as the hydration job would. It returns the chunks indexed.
func (t *TeamIndex) Push(ctx context.Context, lib *Library, refs []string, e Embedder, opt PushOptions) (int, error) {
	if err := t.CheckDimension(ctx, e); err != nil {
		return 0, err
	}
	done := 0
	for _, ref := range refs {
		d, err := lib.Get(ref)
		if err != nil {
			return done, err
		}
		rc, err := lib.Text(d.ID)
		if err != nil {
			return done, err
		}
		var batch []TeamChunk
		var texts []string
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			vecs, err := e.Embed(ctx, texts)
			if err != nil {
				return err
			}
			for i := range batch {
				batch[i].Vector = vecs[i]
			}
			if err := t.BulkIndex(ctx, batch); err != nil {
				return err
			}
			done += len(batch)
			if opt.Progress != nil {
				opt.Progress(done)
			}
			batch, texts = batch[:0], texts[:0]
			return nil
		}
		err = ChunkText(rc, ChunkOptions{Strategy: Cloud}, func(c Chunk) error {
			batch = append(batch, TeamChunk{ID: fmt.Sprintf("%s#%d", d.Name, c.Ord), FileName: d.Name, Page: CloudPage(d.Name), Passage: c.Text})
			texts = append(texts, c.Text)
			if len(batch) == 64 {
				return flush()
			}
			return nil
		})
		rc.Close()
		if err == nil {
			err = flush()
		}
		if err != nil {
			return done, fmt.Errorf("push lore %s: %w", d.Name, err)
		}
	}
	return done, nil
}

// TeamSource makes the team index a Source for grounding and the search box.
type TeamSource struct {
	Index    *TeamIndex
	Embedder Embedder
	// Hybrid fuses keyword and k-NN results; otherwise the cloud's k-NN query alone.
	Hybrid bool
}

var _ Source = TeamSource{}

// Search implements Source. The team index has no collections or tags: a query that
// filters by them is refused rather than answered with lore outside the boundary.
func (s TeamSource) Search(ctx context.Context, q Query) (SearchResults, error) {
	if len(q.Collections) > 0 || len(q.Tags) > 0 {
		return SearchResults{}, fault.Invalid("collections", "the team index has no collections or tags: clear the persona's knowledge boundary to ground in it, or use the embedded index")
	}
	if q.K <= 0 {
		q.K = 5
	}
	if s.Embedder == nil {
		return SearchResults{}, ErrNoEmbedder
	}
	vecs, err := s.Embedder.Embed(ctx, []string{q.Text})
	if err != nil {
		return SearchResults{}, fmt.Errorf("embed the query: %w", err)
	}
	res := SearchResults{Mode: Vector, Embedder: s.Embedder.ID()}
	var hits []TeamHit
	if s.Hybrid && q.Mode != Vector {
		res.Mode = Hybrid
		hits, err = s.Index.HybridSearch(ctx, q.Text, vecs[0], q.K)
	} else {
		hits, err = s.Index.Search(ctx, vecs[0], q.K)
	}
	var de *DimensionError
	if errors.As(err, &de) {
		de.Embedder = s.Embedder.ID()
	}
	if err != nil {
		return res, err
	}
	for _, h := range hits {
		r := Result{ChunkID: h.ID, Doc: h.FileName, Score: h.Score, Keyword: h.Keyword, Vector: h.Vector, Text: h.Passage, Tokens: prose.EstimateTokens(h.Passage)}
		if _, ord, err := ParseChunkID(h.ID); err == nil {
			r.Chunk = ord
		}
		res.Results = append(res.Results, r)
	}
	return res, nil
}
