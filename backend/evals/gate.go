package evals

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Attachment ties a run (one of its configurations) to a model version, named by an
// opaque string: the model package ARN in the model registry.
type Attachment struct {
	V          int    `json:"v"`
	VersionARN string `json:"versionArn"`
	RunID      string `json:"runId"`
	// Config is the run's configuration that is this version.
	Config     int    `json:"config"`
	SuiteID    string `json:"suiteId"`
	AttachedAt string `json:"attachedAt"`
	AttachedBy string `json:"attachedBy,omitempty"`
}

func gateKey(arn, runID string) string { return arn + "\n" + runID }

func checkARN(arn string) error {
	if strings.TrimSpace(arn) == "" || len(arn) > 2048 || strings.ContainsAny(arn, "\n\r\x00") {
		return fault.Invalid("versionArn", "a model version is named by its model package ARN (one line, at most 2048 characters)")
	}
	return nil
}

// Attach ties run's configuration config to versionARN; config -1 means the run's only
// configuration. Attaching again replaces the earlier attachment of that run.
func (r *Repository) Attach(versionARN, runID string, config int, author string) (Attachment, error) {
	if err := checkARN(versionARN); err != nil {
		return Attachment{}, err
	}
	run, err := r.GetRun(runID)
	if err != nil {
		return Attachment{}, err
	}
	if run.Status == RunRunning {
		return Attachment{}, fault.Invalid("runId", "test run %s is still running", runID)
	}
	if config < 0 {
		if len(run.Configs) != 1 {
			return Attachment{}, fault.Invalid("config", "test run %s has %d configurations: say which one is this version", runID, len(run.Configs))
		}
		config = 0
	}
	if config >= len(run.Configs) {
		return Attachment{}, fault.Invalid("config", "test run %s has no configuration %d", runID, config)
	}
	a := Attachment{V: recordVersion, VersionARN: versionARN, RunID: runID, Config: config, SuiteID: run.SuiteID,
		AttachedAt: r.timestamp(), AttachedBy: author}
	err = r.st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, BucketGates, gateKey(versionARN, runID), a) })
	return a, err
}

// Detach removes a run from a version.
func (r *Repository) Detach(versionARN, runID string) error {
	return r.st.Update(func(tx *bolt.Tx) error { return store.Delete(tx, BucketGates, gateKey(versionARN, runID)) })
}

// SuiteGate is how a version did on one suite: its latest attached run of it.
type SuiteGate struct {
	SuiteID     string  `json:"suiteId"`
	SuiteName   string  `json:"suiteName"`
	RunID       string  `json:"runId"`
	RunAt       string  `json:"runAt"`
	ConfigLabel string  `json:"configLabel"`
	PassRate    float64 `json:"passRate"`
	Threshold   float64 `json:"threshold"`
	Ready       bool    `json:"ready"`
}

// Readiness is whether a model version passed its test suites.
type Readiness struct {
	VersionARN string      `json:"versionArn"`
	Ready      bool        `json:"ready"`
	Reason     string      `json:"reason"`
	Suites     []SuiteGate `json:"suites"`
}

// VersionReadiness returns the pass rates of the runs attached to versionARN (the latest
// per suite) and the verdict: ready when at least one run is attached and every suite's
// pass rate reaches the suite's threshold (as the suite is now; a deleted suite's as it
// was when run).
func (r *Repository) VersionReadiness(versionARN string) (Readiness, error) {
	out := Readiness{VersionARN: versionARN, Suites: []SuiteGate{}}
	if err := checkARN(versionARN); err != nil {
		return out, err
	}
	var atts []Attachment
	if err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketGates, versionARN+"\n", func(_ string, a Attachment) error {
			atts = append(atts, a)
			return nil
		})
	}); err != nil {
		return out, err
	}
	bySuite := map[string]int{}
	var newest []string
	for _, a := range atts {
		run, err := r.GetRun(a.RunID)
		if err != nil {
			return out, fmt.Errorf("run %s attached to %s: %w", a.RunID, versionARN, err)
		}
		if a.Config >= len(run.Configs) {
			continue
		}
		c := run.Configs[a.Config]
		g := SuiteGate{SuiteID: run.SuiteID, SuiteName: run.SuiteName, RunID: run.ID, RunAt: run.CreatedAt,
			ConfigLabel: c.Label, PassRate: c.PassRate, Threshold: run.Threshold}
		if sv, err := r.Get(run.SuiteID); err == nil {
			g.Threshold, g.SuiteName = sv.Suite.Threshold, sv.Suite.Name
		}
		g.Ready = run.Status == RunDone && g.PassRate >= g.Threshold
		// The newest run of a suite counts; of two made at the same time, the one attached last.
		key := g.RunAt + "\n" + a.AttachedAt
		if i, ok := bySuite[g.SuiteID]; ok {
			if newest[i] < key {
				out.Suites[i], newest[i] = g, key
			}
			continue
		}
		bySuite[g.SuiteID] = len(out.Suites)
		out.Suites = append(out.Suites, g)
		newest = append(newest, key)
	}
	if len(out.Suites) == 0 {
		out.Reason = "no test run is attached to this version"
		return out, nil
	}
	var under []string
	for _, g := range out.Suites {
		if !g.Ready {
			under = append(under, fmt.Sprintf("%s %.0f%% (needs %.0f%%)", g.SuiteName, g.PassRate*100, g.Threshold*100))
		}
	}
	if len(under) > 0 {
		out.Reason = "not ready: " + strings.Join(under, "; ")
		return out, nil
	}
	out.Ready, out.Reason = true, fmt.Sprintf("every suite passes (%d)", len(out.Suites))
	return out, nil
}
