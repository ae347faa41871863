package store

// BucketMeta holds the schema version and workspace facts (see doc.go).
const BucketMeta = "meta"
