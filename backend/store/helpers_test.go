package store

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The test binary doubles as the child process of the lock and kill tests
// (the helper-process pattern): TestMain runs the mode named by helperEnv instead
// of the tests.
const (
	helperEnv    = "NPCSTUDIO_STORE_HELPER"
	helperDirEnv = "NPCSTUDIO_STORE_HELPER_DIR"
)

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "writer":
		os.Exit(helperWriter(os.Getenv(helperDirEnv)))
	case "holder":
		os.Exit(helperHolder(os.Getenv(helperDirEnv)))
	default:
		fmt.Fprintln(os.Stderr, "unknown helper", os.Getenv(helperEnv))
		os.Exit(2)
	}
}

type line struct {
	Version int    `json:"v"`
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// helperWriter commits one line per transaction and prints its key once committed,
// until it is killed.
func helperWriter(dir string) int {
	s, err := Open(dir, Options{Buckets: []string{"lines"}, Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Number on from what is there, so the parent can tell every line apart.
	var start int
	s.View(func(tx *bolt.Tx) error {
		start = tx.Bucket([]byte("lines")).Stats().KeyN
		return nil
	})
	fmt.Println("ready")
	for i := start; ; i++ {
		key := fmt.Sprintf("line-%06d", i)
		text := "Halt! Who goes there?"
		if i%7 == 0 { // large values too, so pages overflow and the file grows
			text = strings.Repeat("The gate stays shut after dusk. ", 300)
		}
		err := s.Update(func(tx *bolt.Tx) error {
			return PutJSON(tx, "lines", key, line{Version: 1, Speaker: "guard", Text: text})
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(key)
	}
}

// helperHolder keeps the workspace open until its stdin is closed.
func helperHolder(dir string) int {
	s, err := Open(dir, Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	s.Close()
	return 0
}

// startHelper starts the test binary in mode and waits for it to print "ready".
// The returned scanner reads the rest of its output.
func startHelper(t *testing.T, mode, dir string) (*exec.Cmd, *bufio.Scanner, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() || sc.Text() != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper %s did not start: %q %v", mode, sc.Text(), sc.Err())
	}
	return cmd, sc, stdin
}

// openTest opens a workspace in dir with a short lock timeout and closes it at cleanup.
func openTest(t testing.TB, dir string, buckets ...string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Buckets: buckets, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func put(t testing.TB, s *Store, bucket string, kv map[string]any) {
	t.Helper()
	err := s.Update(func(tx *bolt.Tx) error {
		for k, v := range kv {
			if err := PutJSON(tx, bucket, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sha(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// tree maps every file and folder under dir to its content hash ("dir" for folders).
func tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel] = "dir"
			return nil
		}
		out[rel] = sha(t, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rawUpdate changes a workspace file directly, bypassing Open's checks.
func rawUpdate(t testing.TB, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func rawMeta(t testing.TB, path string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(BucketMeta)).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	return out
}

// backupAt writes a copy of src as a backup dated at.
func backupAt(t testing.TB, dir, src string, at time.Time, reason string) string {
	t.Helper()
	p := filepath.Join(dir, BackupDir, "workspace-"+at.UTC().Format(backupTimeLayout)+"-"+reason+".db")
	copyFile(t, src, p)
	return p
}

func backupNames(t testing.TB, dir string) []string {
	t.Helper()
	var names []string
	for _, b := range listBackups(dir) {
		names = append(names, filepath.Base(b.path))
	}
	return names
}
