package app

import (
	"context"
	"slices"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// ModelService shows the model versions the tuning runs register in the current deployment's
// package group, with their evidence, and approves or rejects them (each decision kept in
// the workspace's audit log).
type ModelService struct {
	a *App
	// readiness, when set, gives the NPC test-suite pass rates of a version (by its model
	// package ARN); List and Show put them in ModelVersion.Readiness, and the window and
	// `models show` print them beside the version. The test-suite area plugs its
	// VersionReadiness in here when the App is made (nil: no evidence shown).
	readiness func(versionARN string) *cloud.Readiness
}

func (s *ModelService) connect(ctx context.Context) (*cloud.Clients, cloud.Deployment, error) {
	d, err := s.a.Cloud.deployment("", "")
	if err != nil {
		return nil, d, err
	}
	c, err := cloud.NewClients(ctx, d, s.a.Cloud.clientOptions)
	return c, d, err
}

func (s *ModelService) approvals() (*cloud.Approvals, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return cloud.NewApprovals(st), nil
}

func (s *ModelService) options() (cloud.ModelsOptions, error) {
	ap, err := s.approvals()
	if err != nil {
		return cloud.ModelsOptions{}, err
	}
	ds, err := ap.List()
	return cloud.ModelsOptions{Decisions: ds, Readiness: s.readiness}, err
}

// connectWithOptions is connect with what reading versions needs besides: the decisions
// made here and the readiness check.
func (s *ModelService) connectWithOptions(ctx context.Context) (*cloud.Clients, cloud.Deployment, cloud.ModelsOptions, error) {
	c, d, err := s.connect(ctx)
	if err != nil {
		return nil, d, cloud.ModelsOptions{}, err
	}
	opt, err := s.options()
	return c, d, opt, err
}

// ModelList is the versions of a deployment's package group, newest first.
type ModelList struct {
	Deployment string               `json:"deployment"`
	Group      string               `json:"group"`
	Versions   []cloud.ModelVersion `json:"versions"`
}

// List lists the versions, newest first, with their evaluation metrics and throughputs.
func (s *ModelService) List() (out ModelList, err error) {
	defer guard(s.a.log, &err)
	ctx := s.a.ctx()
	c, d, opt, err := s.connectWithOptions(ctx)
	if err != nil {
		return out, err
	}
	out = ModelList{Deployment: d.Name, Group: d.PackageGroup()}
	out.Versions, err = cloud.ListVersions(ctx, c, d, opt)
	return out, err
}

// VersionRequest names a version by its number.
type VersionRequest struct {
	Version int `json:"version"`
}

// Show returns one version with all its evidence: metrics, customization job, loss curves,
// throughputs.
func (s *ModelService) Show(req VersionRequest) (out cloud.ModelVersion, err error) {
	defer guard(s.a.log, &err)
	ctx := s.a.ctx()
	c, d, opt, err := s.connectWithOptions(ctx)
	if err != nil {
		return out, err
	}
	return cloud.ShowVersion(ctx, c, d, req.Version, opt)
}

// DecisionRequest approves or rejects a version with a note (Force: approve without an
// InService provisioned throughput).
type DecisionRequest struct {
	Version int    `json:"version"`
	Note    string `json:"note"`
	Force   bool   `json:"force"`
}

// ConsequenceRequest asks what a decision would set going.
type ConsequenceRequest struct {
	Version int    `json:"version"`
	Action  string `json:"action"`
}

// Consequence is the confirmation text of a decision: what happens next.
func (s *ModelService) Consequence(req ConsequenceRequest) (out string, err error) {
	defer guard(s.a.log, &err)
	d, err := s.a.Cloud.deployment("", "")
	if err != nil {
		return "", err
	}
	return cloud.Consequence(d, req.Action, req.Version), nil
}

// Approve approves a version (see cloud.Approvals.Decide for what is refused).
func (s *ModelService) Approve(req DecisionRequest) (out cloud.Decision, err error) {
	defer guard(s.a.log, &err)
	return s.decide(req, cloud.ActionApprove)
}

// Reject rejects a version.
func (s *ModelService) Reject(req DecisionRequest) (out cloud.Decision, err error) {
	defer guard(s.a.log, &err)
	return s.decide(req, cloud.ActionReject)
}

func (s *ModelService) decide(req DecisionRequest, action string) (cloud.Decision, error) {
	// A note the registry would refuse is refused before anything else is done.
	if err := cloud.CheckNote(req.Note); err != nil {
		return cloud.Decision{}, err
	}
	ap, err := s.approvals()
	if err != nil {
		return cloud.Decision{}, err
	}
	ctx := s.a.ctx()
	c, d, err := s.connect(ctx)
	if err != nil {
		return cloud.Decision{}, err
	}
	dec, err := ap.Decide(ctx, c, d, cloud.DecisionRequest{Version: req.Version, Action: action, Note: req.Note, Force: req.Force})
	if err == nil {
		s.a.log.Info("model version decided", "deployment", d.Name, "version", dec.Version, "action", action, "status", dec.NewStatus, "forced", dec.Forced)
	}
	return dec, err
}

// History is the audit log of decisions, newest first.
func (s *ModelService) History() (out []cloud.Decision, err error) {
	defer guard(s.a.log, &err)
	ap, err := s.approvals()
	if err != nil {
		return nil, err
	}
	out, err = ap.List()
	slices.Reverse(out)
	return out, err
}

// Deployment reads SSM CustomModelName and the stages of <W>-Pipeline; the window calls it
// again every few seconds while a stage runs.
func (s *ModelService) Deployment() (out cloud.DeploymentState, err error) {
	defer guard(s.a.log, &err)
	ctx := s.a.ctx()
	c, d, err := s.connect(ctx)
	if err != nil {
		return out, err
	}
	return cloud.ReadDeploymentState(ctx, c, d)
}

// CandidateChat is how to talk to a version: its custom model through its provisioned
// throughput on a Bedrock provider, and what production runs now, for a compare.
type CandidateChat struct {
	Version   int         `json:"version"`
	Candidate chat.Config `json:"candidate"`
	// Production is what the endpoints run now: SSM CustomModelName when it names a model,
	// else the provider's base model.
	Production      chat.Config `json:"production"`
	ProductionLabel string      `json:"productionLabel"`
}

// Candidate returns the chat configurations of a version and of production, on the first
// Bedrock provider of the workspace.
func (s *ModelService) Candidate(req VersionRequest) (out CandidateChat, err error) {
	defer guard(s.a.log, &err)
	ps, err := s.a.Providers.List()
	if err != nil {
		return out, err
	}
	var bedrock *provider.Provider
	for i := range ps {
		if ps[i].Kind == provider.KindBedrock {
			bedrock = &ps[i]
			break
		}
	}
	if bedrock == nil {
		return out, fault.Invalid("provider", "talking to a version needs an Amazon Bedrock provider: add one (Settings, or npcstudio provider add NAME --kind bedrock --region R --model-id BASE)")
	}
	ctx := s.a.ctx()
	c, d, opt, err := s.connectWithOptions(ctx)
	if err != nil {
		return out, err
	}
	v, err := cloud.ShowVersion(ctx, c, d, req.Version, opt)
	if err != nil {
		return out, err
	}
	arn, err := cloud.CandidateModel(v)
	if err != nil {
		return out, err
	}
	out = CandidateChat{Version: v.Version, Candidate: chat.Config{Provider: bedrock.Name, Model: arn, Mode: chat.ModeFineTuned},
		Production: chat.Config{Provider: bedrock.Name, Mode: chat.ModeBase}, ProductionLabel: "production: the base model of " + bedrock.Name}
	st, err := cloud.ReadDeploymentState(ctx, c, d)
	if err != nil {
		return out, err
	}
	if st.CustomModelName != "" && st.CustomModelName != "PLACEHOLDER" {
		out.Production = chat.Config{Provider: bedrock.Name, Model: st.CustomModelName, Mode: chat.ModeFineTuned}
		out.ProductionLabel = "production: " + st.CustomModelName
	}
	return out, nil
}
