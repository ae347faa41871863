// Package dataset owns fine-tuning datasets: records in the formats Bedrock reads
// (prompt/completion, Claude messages, bedrock-conversation-2024) and the guidance pipeline's
// input/output, conversion between them, validation against each base model's format and
// limits (Validate streams a file of any size in bounded memory), and the datasets kept in
// the workspace: versions, curation, import and export.
//
// The base models and their limits are one table, in models.go.
//
// # Workspace storage
//
// A dataset's records are immutable blobs addressed by their content; a version is a manifest
// listing, in line order, the id and blob hash of each record. An edit writes the changed
// records' blobs and a new manifest, never the unchanged records, so a 10,000-record dataset
// costs one record blob plus a manifest (about 55 bytes a record) per edit. Every version stays
// readable, which is what Diff compares.
//
// Buckets and keys (values are JSON with "v", the value's schema version, currently 1):
//
//	datasets           <datasetID>                   -> {v, id, name, baseModel, format, head, records, nextRecord, createdAt, updatedAt}
//	dataset_versions   <datasetID>/<version %010d>   -> {v, number, parent, message, records, createdAt}
//	dataset_manifests  <datasetID>/<version %010d>   -> {v, records: [{id, h}]}   line order; h is the blob hash
//	dataset_records    <datasetID>/<hash>            -> {v, record: {format, system, messages: [{role, content}]}, tags, source}
//
// Dataset ids are "ds-" and 12 hex digits; record ids are "r" and a number, unique within a
// dataset and kept across edits (Diff matches records by id). A blob hash is the first 16 bytes
// of the SHA-256 of the blob's JSON, in hex. Times are RFC 3339 in UTC. Version 0 is the empty
// dataset before its first version; a new dataset has no version until records are added.
package dataset
