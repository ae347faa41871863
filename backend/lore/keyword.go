package lore

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// keywordIndex is the BM25 index of chunk text, kept by bleve beside the workspace.
// Documents in it are chunks, with the bleve id "<docID>#<ord>".
type keywordIndex struct {
	idx    bleve.Index
	path   string
	closed bool // bleve panics when an index is closed twice
}

// keywordDoc is what bleve indexes for a chunk. Title holds the document's title and the
// chunk's heading path, weighted below the text.
type keywordDoc struct {
	Text  string `json:"text"`
	Title string `json:"title"`
	Doc   string `json:"doc"`
}

func keywordMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring
	im.DefaultAnalyzer = en.AnalyzerName
	dm := bleve.NewDocumentStaticMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store, text.IncludeInAll, text.IncludeTermVectors = false, false, false
	dm.AddFieldMappingsAt("text", text)
	dm.AddFieldMappingsAt("title", text)
	doc := bleve.NewTextFieldMapping()
	doc.Analyzer = keyword.Name
	doc.Store, doc.IncludeInAll, doc.IncludeTermVectors = false, false, false
	dm.AddFieldMappingsAt("doc", doc)
	im.DefaultMapping = dm
	return im
}

// openKeyword opens the index at path, making a new one when there is none or when the one
// there cannot be opened (it is rebuilt from the workspace: fresh reports that).
func openKeyword(path string) (k *keywordIndex, fresh bool, err error) {
	idx, err := bleve.Open(path)
	if err == nil {
		return &keywordIndex{idx: idx, path: path}, false, nil
	}
	if !errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		// Damaged: the workspace has everything needed to build it again.
		if rerr := os.RemoveAll(path); rerr != nil {
			return nil, false, fmt.Errorf("keyword index %s is damaged (%v) and cannot be removed: %w", path, err, rerr)
		}
	}
	idx, err = bleve.New(path, keywordMapping())
	if err != nil {
		return nil, false, fmt.Errorf("create keyword index %s: %w", path, err)
	}
	return &keywordIndex{idx: idx, path: path}, true, nil
}

func (k *keywordIndex) put(b *bleve.Batch, c Chunk, title string) error {
	t := title
	if c.Heading != "" {
		t += "\n" + c.Heading
	}
	return b.Index(ChunkID(c.DocID, c.Ord), keywordDoc{Text: c.Text, Title: t, Doc: c.DocID})
}

func (k *keywordIndex) deleteDoc(docID string, chunks int) error {
	b := k.idx.NewBatch()
	for i := 0; i < chunks; i++ {
		b.Delete(ChunkID(docID, i))
		if b.Size() >= 5000 {
			if err := k.idx.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return k.idx.Batch(b)
}

type keywordHit struct {
	ID    string
	Score float64
}

// search returns the best n chunks for text among the documents in docs (nil: all).
func (k *keywordIndex) search(ctx context.Context, text string, docs []string, n int) ([]keywordHit, error) {
	if docs != nil && len(docs) == 0 {
		return nil, nil
	}
	body := query.NewMatchQuery(text)
	body.SetField("text")
	title := query.NewMatchQuery(text)
	title.SetField("title")
	title.SetBoost(0.5)
	bq := query.NewBooleanQuery(nil, nil, nil)
	bq.AddMust(query.NewDisjunctionQuery([]query.Query{body, title}))
	if docs != nil {
		terms := make([]query.Query, len(docs))
		for i, d := range docs {
			t := query.NewTermQuery(d)
			t.SetField("doc")
			terms[i] = t
		}
		bq.AddFilter(query.NewDisjunctionQuery(terms))
	}
	req := bleve.NewSearchRequestOptions(bq, n, 0, false)
	res, err := k.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	hits := make([]keywordHit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = keywordHit{ID: h.ID, Score: h.Score}
	}
	return hits, nil
}

func (k *keywordIndex) count() (uint64, error) { return k.idx.DocCount() }

// close closes the index once; the caller holds Library.mu (or owns k alone).
func (k *keywordIndex) close() error {
	if k.closed {
		return nil
	}
	k.closed = true
	return k.idx.Close()
}
