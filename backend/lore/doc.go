// Package lore owns the lore library: documents imported from .txt, .md, .pdf and .docx
// files (with a check that their text is not garbled), World Info lorebooks, their chunking, the embedded keyword (BM25) and vector indexes, the team index on
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
//	lore_books     <bookID>                -> a World Info lorebook (worldbook.go): Book (name,
//	                                          file, format, entry count) and the file as
//	                                          imported, byte for byte (base64)
//
// Document ids are a slug of the file name and four random characters, drawn again until no
// document (the one being replaced included) and no text file has the id; a re-import gets
// a new id and the old one is removed once the new one is indexed, so a search never sees a
// half-imported document. Names (the imported file's name) are unique in a library. A
// document's text file is synced, with its folder, before the record naming it is committed.
//
// An import works in batches (ingest.go): chunks go to the keyword index 512 at a time, and
// files are committed together, up to 1,000 files, 4 MB of text or 2 seconds: their texts
// synced in one round, then their chunks and records in one transaction. The goroutine that
// reads and chunks files hands keyword batches and commits to a writer goroutine, which
// applies the keyword batches in order and passes each commit to a committer once the
// chunks before it are indexed: reading goes on while bleve indexes, and indexing while a
// commit syncs; at most one commit is under way. A large text new to the library is
// chunked as it is read (its hash, which may name a duplicate, is known only at its end). Progress is still reported per file, "done" once its
// commit has ended. A crash loses at most the batch being committed and the one being
// read; a cancel lets the commit under way end and loses only the batch being read; a
// re-run finds the files already in (same name, same text hash) and skips them. A file of up to 1 MB of
// text is read once: its text is held in memory, hashed, written under its final name
// (unsynced until its batch commits) and chunked from memory; a larger one goes through a
// temporary file. An unchanged file costs one read and no write.
//
// Files beside the database, under <dataDir>/lore/ (exported with the workspace):
//
//	lore/docs/<docID>.txt      the document's text as imported (UTF-8, LF line ends)
//	lore/keyword.bleve/        the bleve keyword index (BM25); rebuilt from lore_chunks when
//	                           missing, damaged or out of step
//
// # Hostile files
//
// Every file is read under a memory ceiling, and a file past a limit is refused with the
// limit named ("a paragraph is longer than 1.0 MB of text; the file may be damaged or
// hostile"); nothing of it is written. The limits are checked while the file streams,
// never after it was read whole:
//
//   - .txt and .md: at most 2 GiB (Options.MaxDocumentBytes may take less), read in 64 KiB
//     blocks; a line, or a run of blank space, is at most 1 MiB.
//   - .docx: the zip is read through boundedzip (entries, entry size, total and expansion
//     ratio capped, sizes counted as they are read); word/document.xml is at most 256 MiB
//     and streamed token by token: one XML token at most 8 MiB as read, element nesting at
//     most 256 deep, a paragraph at most 1 MiB of text, the document at most 256 MiB.
//   - .pdf: at most 1 GiB. Before a page is read, its content streams and its fonts'
//     character maps are decoded to nowhere and refused past 32 MiB, since the PDF reader
//     holds a page's text in memory; the document's text is at most 256 MiB and is copied
//     page by page. Object and cross-reference streams are decoded by the reader object by
//     object and are bounded only by the file's size.
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
