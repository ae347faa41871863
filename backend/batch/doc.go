// Package batch writes script lines in bulk: scene specs (YAML or CSV) parsed and checked
// before anything runs, stable line ids, a scheduler that keeps every finished line at once
// and resumes after a crash or a cancel, review (accept, reject, edit, regenerate, notes,
// constraint flags), and exports for Yarn Spinner, the voice booth and JSONL.
package batch
