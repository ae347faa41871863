package cloud

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// NoteLimit is the longest ApprovalDescription SageMaker takes, in characters.
const NoteLimit = 1024

// Decision is one approve or reject in the workspace's audit log: who (STS), when, which
// version, the note, and the status before and after. A decision the registry refused is
// kept too, with its error and the status unchanged.
type Decision struct {
	V          int    `json:"v"`
	ID         string `json:"id"`
	Time       string `json:"time"`
	Caller     string `json:"caller"`
	Deployment string `json:"deployment"`
	Group      string `json:"group"`
	Version    int    `json:"version"`
	VersionARN string `json:"versionArn"`
	// Action is "approve" or "reject".
	Action    string `json:"action"`
	Note      string `json:"note"`
	Previous  string `json:"previousStatus"`
	NewStatus string `json:"newStatus"`
	// Forced says the approval went ahead without an InService provisioned throughput.
	Forced bool   `json:"forced,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Actions of a decision.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
)

// DecisionRequest asks to approve or reject version Version with Note.
type DecisionRequest struct {
	Version int
	Action  string
	Note    string
	// Force approves even with no InService provisioned throughput for the custom model.
	Force bool
}

// AlreadyDecidedError: the version already has the status asked for; nothing was sent.
type AlreadyDecidedError struct {
	Version int
	Status  string
}

func (e *AlreadyDecidedError) Error() string {
	if e.Status == VersionApproved {
		return fmt.Sprintf("version %d is already approved: nothing was sent (approving it again would start the deployment pipeline again)", e.Version)
	}
	return fmt.Sprintf("version %d is already %s: nothing was sent", e.Version, strings.ToLower(e.Status))
}
func (e *AlreadyDecidedError) ErrorCode() string { return "already_decided" }

// NoThroughputError: approving would make the deployment's Lambda fail.
type NoThroughputError struct {
	Version int
	Model   string
	// Found are the custom model's throughputs, none InService.
	Found []Throughput
	// Reason is set when the throughputs could not be listed.
	Reason string
}

func (e *NoThroughputError) Error() string {
	var why string
	switch {
	case e.Reason != "":
		why = "the provisioned throughputs could not be checked (" + e.Reason + ")"
	case len(e.Found) == 0:
		why = "no provisioned throughput exists for custom model " + e.Model
	default:
		var s []string
		for _, t := range e.Found {
			s = append(s, t.Name+" is "+t.Status)
		}
		why = "no provisioned throughput of custom model " + e.Model + " is InService (" + strings.Join(s, ", ") + ")"
	}
	return fmt.Sprintf("version %d not approved: %s. The deployment's Lambda would fail on the approval and the endpoints would keep their model. "+
		"Fix: buy provisioned throughput for the model (Bedrock console, Provisioned Throughput; or aws bedrock create-provisioned-model-throughput --model-id %s --model-units 1 --provisioned-model-name NAME), "+
		"wait until it is InService, then approve; or approve with --force if the deployment is meant to fail", e.Version, why, e.Model)
}
func (e *NoThroughputError) ErrorCode() string { return "no_throughput" }

// RegistryError: the registry refused the update; the version keeps its status.
type RegistryError struct {
	Version int
	Status  string
	Err     error
}

func (e *RegistryError) Error() string {
	return fmt.Sprintf("the model registry did not take the decision; version %d is still %s: %v", e.Version, e.Status, e.Err)
}
func (e *RegistryError) Unwrap() error     { return e.Err }
func (e *RegistryError) ErrorCode() string { return "registry_failed" }

// CheckNote refuses a note SageMaker would refuse (before anything is sent).
func CheckNote(note string) error {
	if strings.TrimSpace(note) == "" {
		return fault.Invalid("note", "a decision needs a note saying why (it is kept in the registry as ApprovalDescription)")
	}
	if n := utf8.RuneCountInString(note); n > NoteLimit {
		return fault.Invalid("note", "the note has %d characters; the registry takes at most %d: shorten it", n, NoteLimit)
	}
	return nil
}

// Approvals keeps the audit log of decisions in the workspace.
type Approvals struct {
	st  *store.Store
	now func() time.Time
}

// NewApprovals uses st, opened with Buckets.
func NewApprovals(st *store.Store) *Approvals { return &Approvals{st: st, now: time.Now} }

// List returns the audit log, oldest first.
func (a *Approvals) List() ([]Decision, error) {
	out := []Decision{}
	err := a.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketApprovals, "", func(_ string, d Decision) error {
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

func (a *Approvals) record(d *Decision) error {
	var b [4]byte
	rand.Read(b[:])
	now := a.now().UTC()
	d.V, d.Time = recordVersion, now.Format(time.RFC3339)
	d.ID = now.Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(b[:])
	return a.st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, BucketApprovals, d.ID, *d) })
}

// Decide approves or rejects a version. Nothing is sent when the note is too long, the version
// already has that status, or (approving, unless forced) no provisioned throughput of its
// custom model is InService. A decision sent is recorded with the caller's STS ARN, whether
// the registry took it or not.
func (a *Approvals) Decide(ctx context.Context, c *Clients, d Deployment, req DecisionRequest) (Decision, error) {
	if req.Action != ActionApprove && req.Action != ActionReject {
		return Decision{}, fault.Invalid("action", "%q is not a decision: approve or reject", req.Action)
	}
	if err := CheckNote(req.Note); err != nil {
		return Decision{}, err
	}
	sm := sagemaker.NewFromConfig(c.Config)
	arn, err := versionARN(ctx, sm, d, req.Version)
	if err != nil {
		return Decision{}, err
	}
	v, err := describeVersion(ctx, c, sm, arn)
	if err != nil {
		return Decision{}, err
	}
	target := VersionApproved
	if req.Action == ActionReject {
		target = VersionRejected
	}
	if v.Status == target {
		return Decision{}, &AlreadyDecidedError{Version: v.Version, Status: v.Status}
	}
	forced := false
	if req.Action == ActionApprove {
		if err := checkThroughput(ctx, bedrock.NewFromConfig(c.Config), v); err != nil {
			if !req.Force {
				return Decision{}, err
			}
			forced = true
		}
	}
	id, err := WhoAmI(ctx, c.Config)
	if err != nil {
		return Decision{}, fmt.Errorf("who is deciding: %w", err)
	}
	dec := Decision{Caller: id.ARN, Deployment: d.Name, Group: d.PackageGroup(), Version: v.Version, VersionARN: v.ARN,
		Action: req.Action, Note: req.Note, Previous: v.Status, NewStatus: target, Forced: forced}
	_, err = sm.UpdateModelPackage(ctx, &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(v.ARN),
		ModelApprovalStatus: smtypes.ModelApprovalStatus(target), ApprovalDescription: aws.String(req.Note)})
	if err != nil {
		rerr := &RegistryError{Version: v.Version, Status: v.Status, Err: fmt.Errorf("%s", explainAPI(err, "update model package"))}
		// The status stays what it was unless the registry says otherwise.
		dec.NewStatus = v.Status
		if now, derr := describeVersion(ctx, c, sm, arn); derr == nil {
			dec.NewStatus, rerr.Status = now.Status, now.Status
		}
		dec.Error = rerr.Error()
		if lerr := a.record(&dec); lerr != nil {
			return dec, fmt.Errorf("%w (and the audit log could not be written: %v)", rerr, lerr)
		}
		return dec, rerr
	}
	if err := a.record(&dec); err != nil {
		return dec, fmt.Errorf("version %d is now %s, but the audit log could not be written: %w", v.Version, target, err)
	}
	return dec, nil
}

// checkThroughput says why approving v would break the deployment, or nil.
func checkThroughput(ctx context.Context, br *bedrock.Client, v ModelVersion) error {
	if v.Metadata.ModelARN == "" {
		return &NoThroughputError{Version: v.Version, Model: "(none: the version has no ModelArn)", Reason: "the version names no custom model"}
	}
	pts, err := listThroughputs(ctx, br, v.Metadata.ModelARN)
	if err != nil {
		return &NoThroughputError{Version: v.Version, Model: v.Metadata.ModelARN, Reason: explainAPI(err, "list provisioned throughputs")}
	}
	found := throughputsOf(pts, v.Metadata.ModelARN)
	for _, t := range found {
		if t.Status == string(btypes.ProvisionedModelStatusInService) {
			return nil
		}
	}
	return &NoThroughputError{Version: v.Version, Model: v.Metadata.ModelARN, Found: found}
}

// DeploymentState is what an approval sets going: the model the endpoints run and the
// deployment pipeline's stages.
type DeploymentState struct {
	// CustomModelName is SSM CustomModelName (PLACEHOLDER: the base model).
	CustomModelName string          `json:"customModelName"`
	Pipeline        string          `json:"pipeline"`
	Stages          []PipelineStage `json:"stages"`
	// Running says a stage is in progress (the window refreshes until it is not).
	Running bool     `json:"running"`
	Notes   []string `json:"notes,omitempty"`
}

// PipelineStage is one stage of <W>-Pipeline and its latest run.
type PipelineStage struct {
	Name        string `json:"name"`
	Status      string `json:"status,omitempty"`
	ExecutionID string `json:"executionId,omitempty"`
	Changed     string `json:"changed,omitempty"`
}

// ReadDeploymentState reads SSM CustomModelName and the stages of <W>-Pipeline.
func ReadDeploymentState(ctx context.Context, c *Clients, d Deployment) (DeploymentState, error) {
	st := DeploymentState{Pipeline: d.DeploymentPipeline(), Stages: []PipelineStage{}}
	if f := parameter(ctx, c.SSM, "model the text endpoint runs", CustomModelParameter); f.Found {
		st.CustomModelName = f.Value
	} else {
		st.Notes = append(st.Notes, "SSM "+CustomModelParameter+": "+f.Detail)
	}
	out, err := codepipeline.NewFromConfig(c.Config).GetPipelineState(ctx, &codepipeline.GetPipelineStateInput{Name: aws.String(st.Pipeline)})
	if err != nil {
		if isCode(err, "PipelineNotFoundException") {
			st.Notes = append(st.Notes, "no pipeline "+st.Pipeline+" in this account and region: is the toolchain stack deployed?")
			return st, nil
		}
		return st, fmt.Errorf("read the deployment pipeline: %s", explainAPI(err, "get pipeline state of "+st.Pipeline))
	}
	for _, s := range out.StageStates {
		ps := PipelineStage{Name: aws.ToString(s.StageName)}
		if e := s.LatestExecution; e != nil {
			ps.Status, ps.ExecutionID = string(e.Status), aws.ToString(e.PipelineExecutionId)
		}
		for _, a := range s.ActionStates {
			if a.LatestExecution != nil && a.LatestExecution.LastStatusChange != nil {
				if t := stamp(a.LatestExecution.LastStatusChange); t > ps.Changed {
					ps.Changed = t
				}
			}
		}
		if ps.Status == "InProgress" {
			st.Running = true
		}
		st.Stages = append(st.Stages, ps)
	}
	return st, nil
}

// Consequence says what a decision sets going, for the confirmation before it is sent.
func Consequence(d Deployment, action string, version int) string {
	if action == ActionReject {
		return fmt.Sprintf("Rejecting version %d of %s records the note in the model registry; nothing is deployed, and the endpoints keep the model they run.",
			version, d.PackageGroup())
	}
	return fmt.Sprintf("Approving version %d of %s starts the deployment: the deployment's rule writes the custom model's provisioned throughput into SSM %s "+
		"and restarts %s, which runs QA, then the system tests, then PROD. Players on PROD get this model when the pipeline finishes.",
		version, d.PackageGroup(), CustomModelParameter, d.DeploymentPipeline())
}
