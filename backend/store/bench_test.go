package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

type benchLine struct {
	Version int    `json:"v"`
	Scene   string `json:"scene"`
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// vocabulary is 2,000 made-up words; prose draws them with a Zipf law, as in real
// dialogue, so a workspace compresses about as well as a real one.
var vocabulary = func() []string {
	r := rand.New(rand.NewPCG(3, 4))
	words := make([]string, 2000)
	for i := range words {
		w := make([]byte, 2+r.IntN(8))
		for j := range w {
			w[j] = byte('a' + r.IntN(26))
		}
		words[i] = string(w)
	}
	return words
}()

func prose(r *rand.Rand, n int) string {
	z := rand.NewZipf(r, 1.1, 1, uint64(len(vocabulary)-1))
	var sb strings.Builder
	for sb.Len() < n {
		sb.WriteString(vocabulary[z.Uint64()])
		sb.WriteByte(' ')
	}
	return sb.String()[:n]
}

// benchWorkspace writes a closed workspace of n lines of about size bytes each.
func benchWorkspace(b *testing.B, n, size int) string {
	b.Helper()
	dir := b.TempDir()
	s, err := Open(dir, Options{Buckets: []string{"lines"}})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for start := 0; start < n; start += 1000 {
		err := s.Update(func(tx *bolt.Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				v := benchLine{1, fmt.Sprintf("scene-%03d", i%500), "guard", prose(r, size)}
				if err := PutJSON(tx, "lines", fmt.Sprintf("line-%07d", i), v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.Backup("bench"); err != nil { // so Open does not take a daily backup
		b.Fatal(err)
	}
	s.Close()
	return dir
}

func reportSize(b *testing.B, path, unit string) {
	if fi, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), unit)
	}
}

func BenchmarkOpen(b *testing.B) {
	for _, bc := range []struct {
		name    string
		n, size int
	}{
		{"10k", 10_000, 200},
		{"50MB", 11_000, 2000},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := benchWorkspace(b, bc.n, bc.size)
			for b.Loop() {
				s, err := Open(dir, Options{Buckets: []string{"lines"}})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
			reportSize(b, filepath.Join(dir, FileName), "db-MB")
		})
	}
}

func BenchmarkPutJSON(b *testing.B) {
	for _, perTx := range []int{1, 1000} {
		b.Run(fmt.Sprintf("%d-per-transaction", perTx), func(b *testing.B) {
			s, err := Open(b.TempDir(), Options{Buckets: []string{"lines"}})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			r := rand.New(rand.NewPCG(1, 2))
			v := benchLine{1, "scene-001", "guard", prose(r, 200)}
			b.SetBytes(int64(200 * perTx))
			i := 0
			for b.Loop() {
				err := s.Update(func(tx *bolt.Tx) error {
					for range perTx {
						i++
						if err := PutJSON(tx, "lines", fmt.Sprintf("line-%09d", i), v); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "puts/s")
		})
	}
}

// BenchmarkWorkspace50MB measures the whole-file operations on a 50 MB workspace.
func BenchmarkWorkspace50MB(b *testing.B) {
	dir := benchWorkspace(b, 11_000, 2000)
	s, err := Open(dir, Options{Buckets: []string{"lines"}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fi, _ := os.Stat(s.Path())
	archive := filepath.Join(b.TempDir(), "bench.npcws")

	b.Run("Export", func(b *testing.B) {
		b.SetBytes(fi.Size())
		for b.Loop() {
			if _, err := s.Export(context.Background(), archive, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		reportSize(b, s.Path(), "db-MB")
		reportSize(b, archive, "archive-MB")
	})
	b.Run("VerifyArchive", func(b *testing.B) {
		b.SetBytes(fi.Size())
		for b.Loop() {
			if _, err := VerifyArchive(context.Background(), archive); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Backup", func(b *testing.B) {
		b.SetBytes(fi.Size())
		for b.Loop() {
			if _, err := s.Backup("bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Check", func(b *testing.B) {
		for b.Loop() {
			if err := s.Check(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
