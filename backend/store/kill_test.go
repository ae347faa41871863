package store

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A writer killed at a random moment (SIGKILL: no deferred code, no Close) loses
// nothing it reported committed, and leaves a workspace that opens and passes Check.
func TestKilledWriterLosesNoCommittedWrite(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	dir := t.TempDir()
	have := 0 // lines in the workspace so far: line-000000 ... line-<have-1>

	for round := range 20 {
		cmd, out, _ := startHelper(t, "writer", dir)
		var reported []string
		done := make(chan struct{})
		go func() {
			defer close(done)
			for out.Scan() {
				reported = append(reported, out.Text())
			}
		}()
		time.Sleep(time.Duration(5+r.IntN(40)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-done
		cmd.Wait()

		s, err := Open(dir, Options{Buckets: []string{"lines"}, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var keys []string
		err = s.View(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("lines")).ForEach(func(k, _ []byte) error {
				keys = append(keys, string(k))
				return nil
			})
		})
		s.Close()
		if err != nil {
			t.Fatal(err)
		}

		// The writer numbers on from what it finds, so the workspace must hold an
		// unbroken run of lines: everything reported, plus at most the one in flight.
		for i, k := range keys {
			if want := fmt.Sprintf("line-%06d", i); k != want {
				t.Fatalf("round %d: key %d is %s, want %s", round, i, k, want)
			}
		}
		for i, k := range reported {
			if want := fmt.Sprintf("line-%06d", have+i); k != want {
				t.Fatalf("round %d: writer reported %s, want %s", round, k, want)
			}
		}
		if n := len(keys) - have - len(reported); n < 0 || n > 1 {
			t.Fatalf("round %d: writer reported %d commits, workspace gained %d", round, len(reported), len(keys)-have)
		}
		have = len(keys)
	}
	if have == 0 {
		t.Fatal("the writer never committed")
	}
	t.Logf("%d lines over 20 kills", have)
}
