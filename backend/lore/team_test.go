package lore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

// The test node (see .ci/services.sh) has the k-NN plugin without its native libraries:
// only the Lucene engine works there, so every index the tests create names it. An index
// on the node's default engine would take the node down on its first write.
var lucene = &KNNMethod{Name: "hnsw", Engine: "lucene", SpaceType: "l2"}

func teamIndex(t *testing.T, name string) *TeamIndex {
	t.Helper()
	url := testenv.Service(t, "opensearch")
	ti, err := ConnectTeam(context.Background(), TeamConfig{URL: url, Index: name, Method: lucene})
	if err != nil {
		t.Fatal(err)
	}
	ti.DeleteIndex(context.Background())
	t.Cleanup(func() { ti.DeleteIndex(context.Background()) })
	return ti
}

func TestTeamIndex(t *testing.T) {
	ctx := context.Background()
	ti := teamIndex(t, "npcstudio-test-team")
	st, err := ti.Status(ctx)
	if err != nil || st.Exists {
		t.Fatalf("before: %+v %v", st, err)
	}
	if _, err := ti.Search(ctx, make([]float32, 8), 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("search before the index exists: %v", err)
	}
	st, err = ti.EnsureIndex(ctx, 64)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Exists || st.Dimension != 64 || st.Engine != "lucene" || st.Chunks != 0 {
		t.Errorf("created: %+v", st)
	}
	// Ensuring it again uses it; another dimension is refused, naming both.
	if _, err := ti.EnsureIndex(ctx, 64); err != nil {
		t.Fatal(err)
	}
	_, err = ti.EnsureIndex(ctx, 1024)
	var de *DimensionError
	if !errors.As(err, &de) || de.IndexDim != 64 || de.EmbedderDim != 1024 || !strings.Contains(err.Error(), "64-dimension") {
		t.Errorf("dimension mismatch: %v", err)
	}

	// Push the project's lore with the cloud's chunking and the toy embedder.
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	emb := HashEmbedder{N: 64}
	var names []string
	for _, d := range lib.List(DocFilter{}) {
		names = append(names, d.Name)
	}
	n, err := ti.Push(ctx, lib, names, emb, PushOptions{})
	if err != nil || n != 19 {
		t.Fatalf("push: %d %v", n, err)
	}
	st, err = ti.Status(ctx)
	if err != nil || st.Chunks != 19 || len(st.Files) != 19 || st.Files[0] != (TeamFile{Name: "ashen-steppe.md", Chunks: 1}) {
		t.Fatalf("status after push: %+v %v", st, err)
	}
	// Pushing again replaces rather than duplicates (ids are file#chunk).
	if _, err := ti.Push(ctx, lib, names[:2], emb, PushOptions{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := ti.Status(ctx); st.Chunks != 19 {
		t.Errorf("chunks after a second push: %d", st.Chunks)
	}

	ok, count, err := ti.Hydrated(ctx, "gray-hoods.md")
	if err != nil || !ok || count != 1 {
		t.Errorf("hydrated gray-hoods.md: %v %d %v", ok, count, err)
	}
	if ok, _, _ := ti.Hydrated(ctx, "never-pushed.txt"); ok {
		t.Error("a file never pushed is hydrated")
	}

	q, _ := emb.Embed(ctx, []string{"Gray Hoods outlaws hideout behind a waterfall"})
	hits, err := ti.Search(ctx, q[0], 3)
	if err != nil || len(hits) != 3 || hits[0].FileName != "gray-hoods.md" || hits[0].Page != "gray-hoods" || hits[0].Vector == nil {
		t.Fatalf("knn: %+v %v", hits, err)
	}
	hits, err = ti.HybridSearch(ctx, "Gray Hoods outlaws hideout behind a waterfall", q[0], 3)
	if err != nil || len(hits) != 3 || hits[0].FileName != "gray-hoods.md" || hits[0].Keyword == nil || hits[0].Vector == nil {
		t.Fatalf("hybrid: %+v %v", hits, err)
	}
	if _, err := ti.Search(ctx, make([]float32, 32), 3); !errors.As(err, &de) {
		t.Errorf("query of the wrong dimension: %v", err)
	}
	bad := []TeamChunk{{FileName: "x.txt", Page: "x", Passage: "p", Vector: make([]float32, 10)}}
	if err := ti.BulkIndex(ctx, bad); !errors.As(err, &de) {
		t.Errorf("bulk of the wrong dimension: %v", err)
	}

	// Grounding from the team index.
	r := Retriever{Source: TeamSource{Index: ti, Embedder: emb, Hybrid: true}}
	got, err := r.Retrieve(ctx, RetrieveRequest{Query: "who leads the outlaws on the pilgrim road", TokenBudget: 400})
	if err != nil || len(got.Passages) == 0 || got.Trace.Mode != Hybrid {
		t.Fatalf("retrieve: %+v %v", got, err)
	}
	if _, err := r.Retrieve(ctx, RetrieveRequest{Query: "x", Collections: []string{"world"}}); err == nil {
		t.Error("a boundary was ignored on the team index")
	}
	if err := ti.CheckDimension(ctx, HashEmbedder{N: 1024}); !errors.As(err, &de) || de.Embedder != "toy-hash:1024" {
		t.Errorf("check dimension: %v", err)
	}
}

// TestTeamCloudMapping uses an index made with the cloud's own mapping (file_name as text
// only, no keyword field), as the hydration job leaves it, with the cloud's document ids.
func TestTeamCloudMapping(t *testing.T) {
	ctx := context.Background()
	ti := teamIndex(t, "npcstudio-test-cloud")
	body := map[string]any{
		"settings": map[string]any{"index": map[string]any{"knn": true}},
		"mappings": map[string]any{"properties": map[string]any{
			"vector_field": map[string]any{"type": "knn_vector", "dimension": 16, "method": lucene},
			"file_name":    map[string]any{"type": "text"},
			"page":         map[string]any{"type": "text"},
			"passage":      map[string]any{"type": "text"},
		}},
	}
	if _, err := ti.do(ctx, "create", http.MethodPut, "/npcstudio-test-cloud", body, nil); err != nil {
		t.Fatal(err)
	}
	emb := HashEmbedder{N: 16}
	var chunks []TeamChunk
	for i, p := range []string{"The bell rings thrice when the mountain shakes.", "Ember bread is baked on hot stones.", "Lung rot comes from obsidian dust."} {
		v, _ := emb.Embed(ctx, []string{p})
		name := "ashfall_12.txt"
		if i == 2 {
			name = "ashfall_13.txt"
		}
		chunks = append(chunks, TeamChunk{ID: fmt.Sprint(i + 1), FileName: name, Page: CloudPage(name), Passage: p, Vector: v[0]})
	}
	if err := ti.BulkIndex(ctx, chunks); err != nil {
		t.Fatal(err)
	}
	st, err := ti.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []TeamFile{{Name: "ashfall_12.txt", Chunks: 2}, {Name: "ashfall_13.txt", Chunks: 1}}
	if st.Dimension != 16 || st.Chunks != 3 || fmt.Sprint(st.Files) != fmt.Sprint(want) {
		t.Errorf("status %+v", st)
	}
	if ok, n, _ := ti.Hydrated(ctx, "ashfall_12.txt"); !ok || n != 2 {
		t.Errorf("hydrated: %v %d", ok, n)
	}
	q, _ := emb.Embed(ctx, []string{"bread baked on stones"})
	hits, err := ti.Search(ctx, q[0], 1)
	if err != nil || len(hits) != 1 || hits[0].Page != "12" || !strings.HasPrefix(hits[0].Passage, "Ember bread") {
		t.Errorf("search %+v %v", hits, err)
	}
	if CloudPage("name_12.txt") != "12" || CloudPage("lore.v2.txt") != "lore" {
		t.Error("CloudPage")
	}
}

// TestTeamAuth checks what goes on the wire for basic auth and SigV4, against a recording
// proxy in front of the real node, and the messages for refused credentials.
func TestTeamAuth(t *testing.T) {
	url := testenv.Service(t, "opensearch")
	var lastAuth atomic.Value
	refuse := atomic.Bool{}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lastAuth.Store(r.Header.Get("Authorization"))
		if refuse.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"type":"security_exception","reason":"missing authentication credentials"},"status":401}`))
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, url+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			w.Write(buf[:n])
			if err != nil {
				break
			}
		}
	}))
	defer proxy.Close()
	ctx := context.Background()

	if _, err := ConnectTeam(ctx, TeamConfig{URL: proxy.URL, Auth: AuthBasic, Username: "ada", Password: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	if got := lastAuth.Load().(string); got != "Basic YWRhOnMzY3JldA==" {
		t.Errorf("basic auth header %q", got)
	}
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "SECRET", "")}
	if _, err := ConnectTeam(ctx, TeamConfig{URL: proxy.URL, Auth: AuthSigV4, AWS: &cfg}); err != nil {
		t.Fatal(err)
	}
	if got := lastAuth.Load().(string); !strings.HasPrefix(got, "AWS4-HMAC-SHA256 Credential=AKIDTEST/") || !strings.Contains(got, "/eu-west-1/es/aws4_request") {
		t.Errorf("sigv4 header %q", got)
	}
	refuse.Store(true)
	_, err := ConnectTeam(ctx, TeamConfig{URL: proxy.URL, Auth: AuthBasic, Username: "ada", Password: "wrong"})
	var te *TeamError
	if !errors.As(err, &te) || te.Status != 401 || !strings.Contains(err.Error(), "the user name and password were refused") {
		t.Errorf("refused: %v", err)
	}
	if _, err := ConnectTeam(ctx, TeamConfig{URL: "http://127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("no server: %v", err)
	}
	if _, err := ConnectTeam(ctx, TeamConfig{URL: proxy.URL, Auth: AuthSigV4}); err == nil {
		t.Error("sigv4 without an AWS configuration accepted")
	}
}
