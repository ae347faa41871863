package cloud

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Buckets this package owns (see doc.go for their keys); pass them to store.Open.
const (
	BucketDeployments = "cloud_deployments"
	BucketState       = "cloud_state"
	BucketUploads     = "cloud_uploads"
	BucketApprovals   = "cloud_approvals"
)

// Buckets lists the buckets for store.Options.Buckets.
var Buckets = []string{BucketDeployments, BucketState, BucketUploads, BucketApprovals}

// recordVersion is the "v" of every value this package stores.
const recordVersion = 1

const stateCurrent = "current"

// Deployment is one of the team's deployments a writer pushes to: a workload name (the
// guidance's default is Ada), a stage, a region and how to sign in. Credentials are never
// stored: Profile names a profile of the standard AWS chain ("" is the chain's default).
type Deployment struct {
	V        int    `json:"v"`
	Name     string `json:"name"`
	Workload string `json:"workload"`
	Stage    string `json:"stage"`
	Region   string `json:"region"`
	Profile  string `json:"profile,omitempty"`
	// Account is the AWS account the last connect found (STS), used by the bucket naming rule.
	Account string `json:"account,omitempty"`
	Created string `json:"created"`
	Updated string `json:"updated"`
}

var (
	workloadRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,31}$`)
	stageRE    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,15}$`)
	regionRE   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	depNameRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
)

// Normalize fills the defaults (stage in upper case, a name of workload-stage) and checks
// every field.
func (d *Deployment) Normalize() error {
	d.Workload = strings.TrimSpace(d.Workload)
	d.Stage = strings.ToUpper(strings.TrimSpace(d.Stage))
	d.Region = strings.TrimSpace(d.Region)
	if !workloadRE.MatchString(d.Workload) {
		return fault.Invalid("workload", "%q is not a workload name: the stack prefix of the deployment, e.g. Ada (a letter, then letters, digits or '-')", d.Workload)
	}
	if !stageRE.MatchString(d.Stage) {
		return fault.Invalid("stage", "%q is not a stage: QA or PROD", d.Stage)
	}
	if d.Stage == "TUNING" || d.Stage == "TOOLCHAIN" {
		return fault.Invalid("stage", "%s is not a stage the app pushes lore to: give QA or PROD (the tuning bucket is found by itself)", d.Stage)
	}
	if !regionRE.MatchString(d.Region) {
		return fault.Invalid("region", "%q is not an AWS region, e.g. us-east-1", d.Region)
	}
	if d.Name == "" {
		d.Name = d.Workload + "-" + d.Stage
	}
	if !depNameRE.MatchString(d.Name) {
		return fault.Invalid("name", "%q is not a valid deployment name: use 1 to 64 letters, digits, '.', '_' or '-'", d.Name)
	}
	return nil
}

// StageStack is the CloudFormation stack of the deployment's stage (<W>-<STAGE>).
func (d Deployment) StageStack() string { return d.Workload + "-" + d.Stage }

// TuningStack is the stack holding the tuning pipeline (<W>-TUNING).
func (d Deployment) TuningStack() string { return d.Workload + "-TUNING" }

// LoreBucketName is the stage's lore bucket by the naming rule <w>-<stage>-<region>-<acct>.
func (d Deployment) LoreBucketName(account string) string {
	return strings.ToLower(d.Workload+"-"+d.Stage) + "-" + d.Region + "-" + account
}

// TuningBucketName is the tuning bucket by the naming rule <w>-tuning-<region>-<acct>.
func (d Deployment) TuningBucketName(account string) string {
	return strings.ToLower(d.Workload) + "-tuning-" + d.Region + "-" + account
}

// RAGParameter is the SSM parameter holding the stage's RAG endpoint URL.
func (d Deployment) RAGParameter() string { return d.StageStack() + "-RagEndpointParameter" }

// FMOpsPipeline is the SageMaker pipeline a tuning upload starts.
func (d Deployment) FMOpsPipeline() string { return d.Workload + "-FMOpsPipeline" }

// IngestJobPrefix starts the name of every hydration processing job.
func (d Deployment) IngestJobPrefix() string { return d.Workload + "-RAG-Ingest-" }

// CustomModelParameter is the SSM parameter naming the model the text endpoint runs
// (not namespaced by workload in the guidance).
const CustomModelParameter = "CustomModelName"

// Deployments keeps the saved deployments and which one is current, in the workspace.
type Deployments struct {
	st  *store.Store
	now func() time.Time
}

// NewDeployments uses st, which must have been opened with Buckets.
func NewDeployments(st *store.Store) *Deployments {
	return &Deployments{st: st, now: time.Now}
}

// Save adds or replaces a deployment; the first one saved becomes current.
func (r *Deployments) Save(d Deployment) (Deployment, error) {
	if err := d.Normalize(); err != nil {
		return Deployment{}, err
	}
	ts := r.now().UTC().Format(time.RFC3339)
	err := r.st.Update(func(tx *bolt.Tx) error {
		var old Deployment
		switch err := store.GetJSON(tx, BucketDeployments, d.Name, &old); {
		case err == nil:
			d.Created = old.Created
		case errors.Is(err, store.ErrNotFound):
			d.Created = ts
		default:
			return err
		}
		d.V, d.Updated = recordVersion, ts
		if err := store.PutJSON(tx, BucketDeployments, d.Name, d); err != nil {
			return err
		}
		if tx.Bucket([]byte(BucketState)).Get([]byte(stateCurrent)) == nil {
			return tx.Bucket([]byte(BucketState)).Put([]byte(stateCurrent), []byte(d.Name))
		}
		return nil
	})
	return d, err
}

// Get returns the deployment called name.
func (r *Deployments) Get(name string) (Deployment, error) {
	var d Deployment
	err := r.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketDeployments, name, &d) })
	if errors.Is(err, store.ErrNotFound) {
		return d, fmt.Errorf("deployment %q: %w (npcstudio cloud list shows them)", name, fault.ErrNotFound)
	}
	return d, err
}

// List returns every deployment by name.
func (r *Deployments) List() ([]Deployment, error) {
	out := []Deployment{}
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketDeployments, "", func(_ string, d Deployment) error {
			out = append(out, d)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// ErrNoDeployment is returned when a push or status needs a deployment and none is current.
var ErrNoDeployment = errors.New("no deployment is connected: run npcstudio cloud connect --workload W --stage QA --region R")

// CurrentName is the current deployment's name ("" when none).
func (r *Deployments) CurrentName() (string, error) {
	var name string
	err := r.st.View(func(tx *bolt.Tx) error {
		name = string(tx.Bucket([]byte(BucketState)).Get([]byte(stateCurrent)))
		return nil
	})
	return name, err
}

// Current returns the current deployment, or ErrNoDeployment.
func (r *Deployments) Current() (Deployment, error) {
	name, err := r.CurrentName()
	if err != nil {
		return Deployment{}, err
	}
	if name == "" {
		return Deployment{}, ErrNoDeployment
	}
	return r.Get(name)
}

// Use makes the deployment called name current.
func (r *Deployments) Use(name string) (Deployment, error) {
	d, err := r.Get(name)
	if err != nil {
		return d, err
	}
	return d, r.st.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(BucketState)).Put([]byte(stateCurrent), []byte(name))
	})
}

// Remove forgets a deployment. Its upload history stays. When it was current, the first
// remaining one (by name) becomes current.
func (r *Deployments) Remove(name string) error {
	if _, err := r.Get(name); err != nil {
		return err
	}
	return r.st.Update(func(tx *bolt.Tx) error {
		if err := store.Delete(tx, BucketDeployments, name); err != nil {
			return err
		}
		st := tx.Bucket([]byte(BucketState))
		if string(st.Get([]byte(stateCurrent))) != name {
			return nil
		}
		k, _ := tx.Bucket([]byte(BucketDeployments)).Cursor().First()
		if k == nil {
			return st.Delete([]byte(stateCurrent))
		}
		return st.Put([]byte(stateCurrent), k)
	})
}
