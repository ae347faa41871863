// Package lore owns the lore library: documents imported from .txt, .md, .pdf and .docx
// files, their chunking, the embedded keyword (BM25) and vector indexes, the team index on
// OpenSearch, retrieval with citations for chat grounding, and keyword-triggered lorebooks
// with the activation trace a writer debugs them with.
//
// # Storage
//
// Buckets (values are JSON with "v": 1 unless noted):
//
//	lore_docs      <docID>                 -> Document: name, source, format, SHA-256 of the
//	                                          text, collection, tags, chunking, chunk count
//	lore_chunks    <docID>/<ord>           -> Chunk: ord, byte offsets, heading, page, text
//	                                          (ord written as eight digits, so keys sort in
//	                                          document order)
//	lore_vectors   <embedderID>            -> a nested bucket per embedder:
//	                 <docID>/<ord>         -> the chunk's unit-length vector, raw little-endian
//	                                          float32 (not JSON)
//	lore_state     embedder                -> EmbedderState: the embedder whose vectors
//	                                          search uses, and its dimension
//
// Document ids are a slug of the file name and four random characters, drawn again until no
// document (the one being replaced included) and no text file has the id; a re-import gets
// a new id and the old one is removed once the new one is indexed, so a search never sees a
// half-imported document. Names (the imported file's name) are unique in a library. A
// document's text file is synced, with its folder, before the record naming it is committed.
//
// Files beside the database, under <dataDir>/lore/ (exported with the workspace):
//
//	lore/docs/<docID>.txt      the document's text as imported (UTF-8, LF line ends)
//	lore/keyword.bleve/        the bleve keyword index (BM25); rebuilt from lore_chunks when
//	                           missing, damaged or out of step
//
// # Search
//
// Keyword search is bleve with BM25 scoring and the English analyzer. Vector search is exact:
// every stored vector of the active embedder is held in one contiguous []float32 and scored
// with a dot product (AVX2 on amd64 through github.com/viterin/vek; vectors are normalised,
// so the dot product is the cosine). Hybrid search fuses both rankings with reciprocal rank
// fusion (k = 60). Filters by collection and tags select documents before either ranker runs.
//
// Changing the embedder re-embeds in the background; until the new embedder has a vector for
// every chunk, search keeps using the previous one (or keyword search when there was none).
package lore
