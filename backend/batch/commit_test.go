package batch

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/store"
)

// commits is how many write transactions st has committed so far.
func commits(t *testing.T, st *store.Store) int {
	t.Helper()
	var id int
	if err := st.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

// Lines waiting together are kept in one transaction, which also finishes the run when
// they are the last; a line that cannot be kept does not stop the others.
func TestCommitterKeepsWaitingLinesInOneTransaction(t *testing.T) {
	for _, missing := range []bool{false, true} {
		t.Run(fmt.Sprintf("missing line %v", missing), func(t *testing.T) {
			st, err := store.Open(t.TempDir(), store.Options{Buckets: Buckets})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			repo := NewRepository(st)
			var b strings.Builder
			b.WriteString("defaults: {model: {provider: local}}\nscenes:\n  - id: s\n    personas: [Ada]\n    beats:\n")
			for i := range 5 {
				fmt.Fprintf(&b, "      - {id: b%d, direction: \"Line %d.\"}\n", i, i)
			}
			spec, err := ParseSpec("five.yaml", []byte(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			run, err := repo.Create(spec)
			if err != nil {
				t.Fatal(err)
			}
			lines, err := repo.Lines(run.ID)
			if err != nil {
				t.Fatal(err)
			}
			outcomes := make(chan outcome, len(lines)+1)
			for _, l := range lines {
				outcomes <- outcome{before: l.Status, edit: lineEdit{runID: run.ID, lineID: l.ID, fn: func(cur *Line) error {
					cur.Status, cur.Text = LineDone, "Text of "+cur.ID
					cur.Generations++
					return nil
				}}}
			}
			if missing {
				outcomes <- outcome{before: LinePending, edit: lineEdit{runID: run.ID, lineID: "gone", fn: func(*Line) error { return nil }}}
			}
			close(outcomes)

			var reported []string
			var failed []error
			c := committer{repo: repo, runID: run.ID,
				report:  func(_ string, l Line) { reported = append(reported, l.ID) },
				fail:    func(err error) { failed = append(failed, err) },
				stopped: func() bool { return false },
				last:    func() bool { return len(outcomes) == 0 }}
			before := commits(t, st)
			c.run(outcomes)
			if n := commits(t, st) - before; n != 1 {
				t.Errorf("%d transactions for %d lines waiting together, want 1", n, len(lines))
			}
			if len(reported) != len(lines) {
				t.Errorf("reported %v, want the %d lines", reported, len(lines))
			}
			for _, l := range lines {
				got, err := repo.Line(run.ID, l.ID)
				if err != nil || got.Status != LineDone || got.Text != "Text of "+l.ID || got.Generations != 1 {
					t.Errorf("line %s = %+v, %v", l.ID, got, err)
				}
			}
			if c.finished == nil {
				t.Fatal("the last group did not finish the run")
			}
			got, err := repo.Status(run.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := RunDone
			if missing {
				want = RunPending // a line could not be kept: the run is stopped
				if len(failed) != 1 || !errors.Is(failed[0], ErrNotFound) || !strings.Contains(failed[0].Error(), `"gone"`) {
					t.Errorf("failures %v, want the missing line's", failed)
				}
			} else if len(failed) > 0 {
				t.Errorf("failures %v", failed)
			}
			if got.Status != want || c.finished.Status != want || got.Done != len(lines) || c.finished.Done != len(lines) {
				t.Errorf("run %+v, finished as %+v; want %s with %d done", got, *c.finished, want, len(lines))
			}
		})
	}
}
