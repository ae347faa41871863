package provider

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

type bboltTx = bolt.Tx

// containsBytes reports whether any key or value in the workspace contains s.
func containsBytes(tx *bolt.Tx, s string) bool {
	found := false
	tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if bytes.Contains(k, []byte(s)) || bytes.Contains(v, []byte(s)) {
				found = true
			}
			return nil
		})
	})
	return found
}
