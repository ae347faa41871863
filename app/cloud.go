package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/fault"
)

// CloudService connects to the team's AWS deployments and pushes lore and datasets to the
// buckets that start their pipelines. A push is two calls: Plan* stages the payload and says
// exactly where it goes, what it starts and what it replaces; Push sends it (an operation).
type CloudService struct {
	a *App

	mu    sync.Mutex
	plans map[string]cloud.Plan
	// transfer, when set, adjusts uploads (tests: part size, hooks).
	transfer func(*cloud.Transfer)
	// clientOptions, when set, adjusts the AWS clients (tests).
	clientOptions cloud.ClientOptions
}

// Kinds of the cloud operations, as their events report them.
const (
	OpCloudPush   = "cloud.push"
	OpCloudResume = "cloud.resume"
)

func (s *CloudService) deployments() (*cloud.Deployments, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return cloud.NewDeployments(st), nil
}

func (s *CloudService) uploads() (*cloud.Uploads, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return cloud.NewUploads(st), nil
}

// ConnectRequest saves a deployment and connects to it; it becomes current.
type ConnectRequest struct {
	Deployment cloud.Deployment `json:"deployment"`
}

// Connect signs in through the standard AWS chain, discovers the deployment and saves it as
// the current one. A deployment whose pieces are missing is saved too: the status says what
// is missing and why.
func (s *CloudService) Connect(req ConnectRequest) (out cloud.Status, err error) {
	defer guard(s.a.log, &err)
	r, err := s.deployments()
	if err != nil {
		return out, err
	}
	d := req.Deployment
	if err := d.Normalize(); err != nil {
		return out, err
	}
	out, err = s.discover(s.a.ctx(), d)
	if err != nil {
		return out, err
	}
	d.Account = out.Identity.Account
	if out.Deployment, err = r.Save(d); err != nil {
		return out, err
	}
	if _, err := r.Use(d.Name); err != nil {
		return out, err
	}
	s.a.log.Info("cloud connected", "deployment", d.Name, "account", d.Account, "missing", out.Missing)
	return out, nil
}

func (s *CloudService) discover(ctx context.Context, d cloud.Deployment) (cloud.Status, error) {
	c, err := cloud.NewClients(ctx, d, s.clientOptions)
	if err != nil {
		return cloud.Status{}, err
	}
	return cloud.Discover(ctx, c, d)
}

// DeploymentList is the saved deployments and the current one.
type DeploymentList struct {
	Current     string             `json:"current"`
	Deployments []cloud.Deployment `json:"deployments"`
}

// List returns the saved deployments.
func (s *CloudService) List() (out DeploymentList, err error) {
	defer guard(s.a.log, &err)
	r, err := s.deployments()
	if err != nil {
		return out, err
	}
	if out.Current, err = r.CurrentName(); err != nil {
		return out, err
	}
	out.Deployments, err = r.List()
	return out, err
}

// DeploymentRequest names a deployment ("" is the current one).
type DeploymentRequest struct {
	Name string `json:"name"`
}

// Use makes a saved deployment current.
func (s *CloudService) Use(req DeploymentRequest) (out cloud.Deployment, err error) {
	defer guard(s.a.log, &err)
	r, err := s.deployments()
	if err != nil {
		return out, err
	}
	return r.Use(req.Name)
}

// Remove forgets a saved deployment (its upload history stays).
func (s *CloudService) Remove(req DeploymentRequest) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.deployments()
	if err != nil {
		return err
	}
	return r.Remove(req.Name)
}

func (s *CloudService) deployment(name, stage string) (cloud.Deployment, error) {
	r, err := s.deployments()
	if err != nil {
		return cloud.Deployment{}, err
	}
	var d cloud.Deployment
	if name == "" {
		d, err = r.Current()
	} else {
		d, err = r.Get(name)
	}
	if err != nil {
		return d, err
	}
	if stage != "" {
		d.Stage = stage
		if err := d.Normalize(); err != nil {
			return d, err
		}
	}
	return d, nil
}

// Status signs in again and says what the deployment has: identity, buckets, endpoints,
// CustomModelName, and what is missing.
func (s *CloudService) Status(req DeploymentRequest) (out cloud.Status, err error) {
	defer guard(s.a.log, &err)
	d, err := s.deployment(req.Name, "")
	if err != nil {
		return out, err
	}
	return s.discover(s.a.ctx(), d)
}

// LorePlanRequest stages a lore push to the current deployment (Stage overrides its stage).
type LorePlanRequest struct {
	Source cloud.LoreSource `json:"source"`
	Stage  string           `json:"stage"`
}

// PlanLore builds the combined lore file and says where it goes and what it replaces.
func (s *CloudService) PlanLore(req LorePlanRequest) (out cloud.Plan, err error) {
	defer guard(s.a.log, &err)
	d, err := s.deployment("", req.Stage)
	if err != nil {
		return out, err
	}
	lib, err := s.a.library()
	if err != nil {
		return out, err
	}
	ctx := s.a.ctx()
	st, err := s.discover(ctx, d)
	if err != nil {
		return out, err
	}
	r, err := cloud.LoreRequest(lib, req.Source, st)
	if err != nil {
		return out, err
	}
	return s.stage(ctx, r)
}

// DatasetPlanRequest stages a dataset push to the current deployment's tuning bucket.
type DatasetPlanRequest struct {
	Source cloud.DatasetSource `json:"source"`
}

// PlanDataset validates the dataset against its base model (an invalid one fails with code
// dataset_invalid and its report; nothing is staged), exports it in the base model's format
// and says where it goes and what it starts.
func (s *CloudService) PlanDataset(req DatasetPlanRequest) (out cloud.Plan, err error) {
	defer guard(s.a.log, &err)
	if req.Source.File, err = s.a.userPath("file", req.Source.File); err != nil {
		return out, err
	}
	d, err := s.deployment("", "")
	if err != nil {
		return out, err
	}
	repo, err := s.a.Datasets.repository()
	if err != nil {
		return out, err
	}
	ctx := s.a.ctx()
	st, err := s.discover(ctx, d)
	if err != nil {
		return out, err
	}
	r, err := cloud.DatasetRequest(ctx, repo, req.Source, st, time.Now())
	if err != nil {
		return out, err
	}
	return s.stage(ctx, r)
}

func (s *CloudService) stage(ctx context.Context, r cloud.Request) (cloud.Plan, error) {
	ups, err := s.uploads()
	if err != nil {
		return cloud.Plan{}, err
	}
	p, err := ups.Stage(ctx, r)
	if err != nil {
		return p, err
	}
	s.mu.Lock()
	if s.plans == nil {
		s.plans = map[string]cloud.Plan{}
	}
	s.plans[p.Upload.ID] = p
	s.mu.Unlock()
	return p, nil
}

// PlanRequest names a staged plan.
type PlanRequest struct {
	ID string `json:"id"`
}

// Discard drops a staged plan the writer did not confirm.
func (s *CloudService) Discard(req PlanRequest) (err error) {
	defer guard(s.a.log, &err)
	s.mu.Lock()
	p, ok := s.plans[req.ID]
	delete(s.plans, req.ID)
	s.mu.Unlock()
	if ok {
		if ups, err := s.uploads(); err == nil {
			ups.Discard(p)
		}
	}
	return nil
}

// PushRequest sends a staged plan. Force pushes content already pushed to that target.
type PushRequest struct {
	OpID   string `json:"opId"`
	PlanID string `json:"planId"`
	Force  bool   `json:"force"`
}

// PushProgress is what a push reports while it runs.
type PushProgress struct {
	UploadID string `json:"uploadId"`
	Done     int64  `json:"done"`
	Total    int64  `json:"total"`
}

// Push sends a staged plan; done carries the cloud.Upload (its history line). Progress is
// bytes acknowledged by S3. Cancel stops it; push --resume (Resume) finishes it.
func (s *CloudService) Push(req PushRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	s.mu.Lock()
	p, ok := s.plans[req.PlanID]
	delete(s.plans, req.PlanID)
	s.mu.Unlock()
	if !ok {
		return "", fault.Invalid("planId", "no staged push %q: plan it again", req.PlanID)
	}
	ups, err := s.uploads()
	if err != nil {
		return "", err
	}
	opID, err := s.a.ops.Start(req.OpID, OpCloudPush, func(ctx context.Context, op *Op) (any, error) {
		tr, err := s.transferFor(ctx, p.Upload, op)
		if err != nil {
			ups.Discard(p)
			return nil, err
		}
		up, err := ups.Push(ctx, tr, p, req.Force)
		if err == nil {
			s.a.log.Info("cloud push done", "upload", up.ID, "bucket", up.Bucket, "key", up.Key, "size", up.Size, "version", up.VersionID)
		}
		return up, err
	})
	if err != nil { // not started: the plan stays, to push once the studio is free
		s.mu.Lock()
		s.plans[req.PlanID] = p
		s.mu.Unlock()
	}
	return opID, err
}

// transferFor makes the clients of the upload's deployment (region and profile as pushed).
func (s *CloudService) transferFor(ctx context.Context, up cloud.Upload, op *Op) (*cloud.Transfer, error) {
	d := cloud.Deployment{Name: up.Deployment, Workload: up.Workload, Stage: up.Stage, Region: up.Region, Profile: up.Profile}
	c, err := cloud.NewClients(ctx, d, s.clientOptions)
	if err != nil {
		return nil, err
	}
	tr := &cloud.Transfer{S3: c.S3, OnProgress: func(done, total int64) {
		op.Progress(PushProgress{UploadID: up.ID, Done: done, Total: total})
	}}
	if s.transfer != nil {
		s.transfer(tr)
	}
	return tr, nil
}

// ResumeRequest finishes unfinished pushes: one by id, or all ("").
type ResumeRequest struct {
	OpID     string `json:"opId"`
	UploadID string `json:"uploadId"`
}

// ResumeResult lists the pushes a resume finished.
type ResumeResult struct {
	Finished []cloud.Upload `json:"finished"`
}

// Resume finishes unfinished pushes from the parts S3 already has; done carries a
// ResumeResult. Nothing unfinished is not an error.
func (s *CloudService) Resume(req ResumeRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	ups, err := s.uploads()
	if err != nil {
		return "", err
	}
	pending, err := ups.Pending()
	if err != nil {
		return "", err
	}
	if req.UploadID != "" {
		var one []cloud.Upload
		for _, p := range pending {
			if p.ID == req.UploadID {
				one = append(one, p)
			}
		}
		if len(one) == 0 {
			return "", fmt.Errorf("unfinished upload %q: %w", req.UploadID, fault.ErrNotFound)
		}
		pending = one
	}
	return s.a.ops.Start(req.OpID, OpCloudResume, func(ctx context.Context, op *Op) (any, error) {
		res := ResumeResult{Finished: []cloud.Upload{}}
		for _, p := range pending {
			tr, err := s.transferFor(ctx, p, op)
			if err != nil {
				return res, err
			}
			up, err := ups.Resume(ctx, tr, p.ID)
			if err != nil {
				return res, fmt.Errorf("resume upload %s (%s): %w", p.ID, p.What, err)
			}
			res.Finished = append(res.Finished, up)
		}
		return res, nil
	})
}

// AbandonRequest names an unfinished upload to give up.
type AbandonRequest struct {
	UploadID string `json:"uploadId"`
}

// Abandon gives up an unfinished upload: S3 drops its parts and nothing is triggered.
func (s *CloudService) Abandon(req AbandonRequest) (out cloud.Upload, err error) {
	defer guard(s.a.log, &err)
	ups, err := s.uploads()
	if err != nil {
		return out, err
	}
	up, err := ups.Get(req.UploadID)
	if err != nil {
		return out, err
	}
	ctx := s.a.ctx()
	c, err := cloud.NewClients(ctx, cloud.Deployment{Name: up.Deployment, Workload: up.Workload, Stage: up.Stage, Region: up.Region, Profile: up.Profile}, s.clientOptions)
	if err != nil {
		return out, err
	}
	return ups.Abandon(ctx, c.S3, up.ID)
}

// Uploads returns the upload history, newest first, unfinished ones included.
func (s *CloudService) Uploads() (out []cloud.Upload, err error) {
	defer guard(s.a.log, &err)
	ups, err := s.uploads()
	if err != nil {
		return nil, err
	}
	return ups.List()
}

// DatasetInvalid returns the validation report of a refused dataset push, if err is one.
func DatasetInvalid(err error) (dataset.PairReport, bool) {
	var inv *cloud.DatasetInvalidError
	if errors.As(err, &inv) {
		return inv.Report, true
	}
	return dataset.PairReport{}, false
}

// Runs lists the deployment's recent hydration jobs and tuning pipeline executions, each
// matched to the push in the history that started it. The window calls it again every few
// seconds while a run is running.
func (s *CloudService) Runs(req DeploymentRequest) (out cloud.Runs, err error) {
	defer guard(s.a.log, &err)
	d, err := s.deployment(req.Name, "")
	if err != nil {
		return out, err
	}
	ups, err := s.uploads()
	if err != nil {
		return out, err
	}
	history, err := ups.List()
	if err != nil {
		return out, err
	}
	ctx := s.a.ctx()
	c, err := cloud.NewClients(ctx, d, s.clientOptions)
	if err != nil {
		return out, err
	}
	out, err = cloud.ListRuns(ctx, c, d, history)
	if err != nil {
		return out, err
	}
	if err := ups.SetRuns(out.Runs); err != nil {
		s.a.log.Warn("runs not recorded in the upload history", "err", err)
	}
	return out, nil
}
