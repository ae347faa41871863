package cloud

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Kinds of run.
const (
	RunHydration = "hydration"
	RunTuning    = "tuning"
)

// Run is one pipeline run a push starts: a hydration processing job (<W>-RAG-Ingest-…) or an
// execution of <W>-FMOpsPipeline.
type Run struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	ARN    string `json:"arn"`
	Status string `json:"status"`
	// Running says the run has not ended.
	Running bool   `json:"running"`
	Started string `json:"started"`
	Ended   string `json:"ended,omitempty"`
	// FailureReason is the cloud's reason; Hint says what to do about it.
	FailureReason string `json:"failureReason,omitempty"`
	Hint          string `json:"hint,omitempty"`
	// UploadID is the push that started it, when one in the history matches.
	UploadID string `json:"uploadId,omitempty"`
	// Steps are a tuning run's pipeline steps, in order, as far as they have started.
	Steps []RunStep `json:"steps,omitempty"`
	// Job is the Bedrock customization job a tuning run started, once it has.
	Job *TuningJob `json:"job,omitempty"`
}

// TuningJob is the Bedrock customization job of a tuning run (<W>-TuningJob-<execId>).
type TuningJob struct {
	Name   string `json:"name"`
	ARN    string `json:"arn"`
	Status string `json:"status"`
	// CustomModel is the model the job makes (<W>-<execId>).
	CustomModel    string `json:"customModel,omitempty"`
	FailureMessage string `json:"failureMessage,omitempty"`
}

// RunStep is one step of a tuning pipeline run.
type RunStep struct {
	Name          string `json:"name"`
	Status        string `json:"status"`
	Started       string `json:"started,omitempty"`
	Ended         string `json:"ended,omitempty"`
	FailureReason string `json:"failureReason,omitempty"`
}

// stepsLimit is how many of the newest tuning runs get their steps listed.
const stepsLimit = 5

// Runs is what ListRuns found, with notes on what it could not read.
type Runs struct {
	Runs  []Run    `json:"runs"`
	Notes []string `json:"notes,omitempty"`
}

// runLimit is how many recent runs of each kind are listed.
const runLimit = 20

// ListRuns lists the deployment's recent hydration jobs and tuning pipeline executions, newest
// first, each matched to the upload of the history that started it.
func ListRuns(ctx context.Context, c *Clients, d Deployment, history []Upload) (Runs, error) {
	sm := sagemaker.NewFromConfig(c.Config)
	br := bedrock.NewFromConfig(c.Config)
	out := Runs{Runs: []Run{}}
	jobs, err := ingestJobs(ctx, sm, d.IngestJobPrefix())
	if err != nil {
		return out, fmt.Errorf("list hydration jobs: %s", explainAPI(err, "list processing jobs"))
	}
	for _, j := range jobs {
		name := aws.ToString(j.ProcessingJobName)
		r := Run{Kind: RunHydration, Name: name, ARN: aws.ToString(j.ProcessingJobArn), Status: string(j.ProcessingJobStatus),
			Started: stamp(j.CreationTime), Ended: stamp(j.ProcessingEndTime), FailureReason: aws.ToString(j.FailureReason)}
		r.Running = r.Status == string(smtypes.ProcessingJobStatusInProgress) || r.Status == string(smtypes.ProcessingJobStatusStopping)
		if r.Status == string(smtypes.ProcessingJobStatusFailed) {
			r.Hint = fmt.Sprintf("the job's log is under processing-logs/%s/ in the lore bucket; the job reads UTF-8 .txt files only, and a failed hydration leaves the index empty until the next push", name)
		}
		out.Runs = append(out.Runs, r)
	}
	execs, err := sm.ListPipelineExecutions(ctx, &sagemaker.ListPipelineExecutionsInput{PipelineName: aws.String(d.FMOpsPipeline()),
		SortBy: smtypes.SortPipelineExecutionsByCreationTime, SortOrder: smtypes.SortOrderDescending, MaxResults: aws.Int32(runLimit)})
	switch {
	case err != nil && (isCode(err, "ResourceNotFound") || isCode(err, "ValidationException")):
		out.Notes = append(out.Notes, fmt.Sprintf("no pipeline %s in this account and region: is the tuning stack deployed?", d.FMOpsPipeline()))
	case err != nil:
		return out, fmt.Errorf("list tuning runs: %s", explainAPI(err, "list pipeline executions"))
	default:
		for k, e := range execs.PipelineExecutionSummaries {
			arn := aws.ToString(e.PipelineExecutionArn)
			r := Run{Kind: RunTuning, Name: executionID(arn), ARN: arn, Status: string(e.PipelineExecutionStatus),
				Started: stamp(e.StartTime), FailureReason: aws.ToString(e.PipelineExecutionFailureReason)}
			if r.FailureReason == "None" { // moto writes Python's None as text
				r.FailureReason = ""
			}
			r.Running = r.Status == string(smtypes.PipelineExecutionStatusExecuting) || r.Status == string(smtypes.PipelineExecutionStatusStopping)
			if k < stepsLimit || r.Running {
				steps, err := executionSteps(ctx, sm, arn)
				if err != nil {
					out.Notes = append(out.Notes, fmt.Sprintf("steps of %s: %s", r.Name, explainAPI(err, "list pipeline steps")))
				}
				r.Steps = steps
				job, err := tuningJob(ctx, br, d.Workload+"-TuningJob-"+r.Name)
				if err != nil {
					out.Notes = append(out.Notes, fmt.Sprintf("customization job of %s: %s", r.Name, explainAPI(err, "read the Bedrock job")))
				}
				r.Job = job
				if job != nil && job.Status == string(btypes.ModelCustomizationJobStatusFailed) && r.FailureReason == "" {
					r.FailureReason = job.FailureMessage
				}
			}
			if r.Status == string(smtypes.PipelineExecutionStatusFailed) {
				r.Hint = tuningHint(d, r)
			}
			out.Runs = append(out.Runs, r)
		}
	}
	matchUploads(out.Runs, history, d)
	sort.SliceStable(out.Runs, func(i, j int) bool { return out.Runs[i].Started > out.Runs[j].Started })
	return out, nil
}

// ingestJobs returns the newest hydration jobs (up to runLimit). Pages are read until enough
// match: a page may hold fewer matches than it could (moto filters after paging).
func ingestJobs(ctx context.Context, sm *sagemaker.Client, prefix string) ([]smtypes.ProcessingJobSummary, error) {
	var out []smtypes.ProcessingJobSummary
	in := &sagemaker.ListProcessingJobsInput{NameContains: aws.String(prefix), SortBy: smtypes.SortByCreationTime,
		SortOrder: smtypes.SortOrderDescending, MaxResults: aws.Int32(100)}
	for page := 0; page < 100; page++ {
		res, err := sm.ListProcessingJobs(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, j := range res.ProcessingJobSummaries {
			if strings.HasPrefix(aws.ToString(j.ProcessingJobName), prefix) {
				out = append(out, j)
			}
		}
		if len(out) >= runLimit || aws.ToString(res.NextToken) == "" {
			break
		}
		in.NextToken = res.NextToken
	}
	sort.SliceStable(out, func(i, j int) bool { return aws.ToTime(out[i].CreationTime).After(aws.ToTime(out[j].CreationTime)) })
	if len(out) > runLimit {
		out = out[:runLimit]
	}
	return out, nil
}

// executionSteps lists a run's steps in pipeline order (SageMaker lists the newest first).
func executionSteps(ctx context.Context, sm *sagemaker.Client, arn string) ([]RunStep, error) {
	out, err := sm.ListPipelineExecutionSteps(ctx, &sagemaker.ListPipelineExecutionStepsInput{PipelineExecutionArn: aws.String(arn),
		SortOrder: smtypes.SortOrderAscending})
	if err != nil {
		return nil, err
	}
	steps := make([]RunStep, 0, len(out.PipelineExecutionSteps))
	for _, s := range out.PipelineExecutionSteps {
		steps = append(steps, RunStep{Name: aws.ToString(s.StepName), Status: string(s.StepStatus),
			Started: stamp(s.StartTime), Ended: stamp(s.EndTime), FailureReason: aws.ToString(s.FailureReason)})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].Started < steps[j].Started })
	return steps, nil
}

// tuningJob reads the Bedrock customization job called name; nil when it has not started.
func tuningJob(ctx context.Context, br *bedrock.Client, name string) (*TuningJob, error) {
	out, err := br.GetModelCustomizationJob(ctx, &bedrock.GetModelCustomizationJobInput{JobIdentifier: aws.String(name)})
	if isCode(err, "ResourceNotFoundException") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &TuningJob{Name: aws.ToString(out.JobName), ARN: aws.ToString(out.JobArn), Status: string(out.Status),
		CustomModel: aws.ToString(out.OutputModelName), FailureMessage: aws.ToString(out.FailureMessage)}, nil
}

// tuningHint says what to do about a failed tuning run, by the step that failed.
func tuningHint(d Deployment, r Run) string {
	job := d.Workload + "-TuningJob-" + r.Name
	for _, s := range r.Steps {
		if s.Status != string(smtypes.StepStatusFailed) {
			continue
		}
		switch s.Name {
		case "DataPreprocessing":
			return "the dataset was refused before tuning: check it with npcstudio dataset validate against the base model, fix it and push again"
		case "FineTuning":
			msg := ""
			if r.Job != nil && r.Job.FailureMessage != "" {
				msg = " (" + r.Job.FailureMessage + ")"
			}
			return fmt.Sprintf("the Bedrock customization job %s failed%s: check the account's quota and access to the base model, and the hyperparameters, then push the dataset again", job, msg)
		case "ModelEvaluation":
			return fmt.Sprintf("the tuned model was made but its evaluation failed: see s3://<tuning bucket>/%s/evaluation/", r.Name)
		default:
			return fmt.Sprintf("step %s failed: open the run in SageMaker Studio for its log", s.Name)
		}
	}
	return fmt.Sprintf("open the run of %s in SageMaker Studio to see which step failed and why", d.FMOpsPipeline())
}

// executionID is the last part of a pipeline execution ARN (…/execution/<id>).
func executionID(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// matchSkew allows for the cloud's clock being a little behind this machine's.
const matchSkew = 5 * time.Second

// matchUploads gives each done upload of the deployment the first run of its kind that started
// after it finished (the trigger fires within seconds of the object landing).
func matchUploads(runs []Run, history []Upload, d Deployment) {
	ups := make([]Upload, 0, len(history))
	for _, u := range history {
		if u.Status == StatusDone && u.Workload == d.Workload && u.Region == d.Region {
			ups = append(ups, u)
		}
	}
	sort.Slice(ups, func(i, j int) bool { return ups[i].Finished < ups[j].Finished })
	order := make([]int, len(runs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return runs[order[a]].Started < runs[order[b]].Started })
	for k, u := range ups {
		kind := RunHydration
		if u.Kind == KindDataset {
			kind = RunTuning
		}
		fin, err := time.Parse(time.RFC3339, u.Finished)
		if err != nil {
			continue
		}
		// A run after the next upload of the same kind belongs to that one.
		var next time.Time
		for _, v := range ups[k+1:] {
			if v.Kind == u.Kind {
				next, _ = time.Parse(time.RFC3339, v.Finished)
				break
			}
		}
		for _, i := range order {
			r := &runs[i]
			st, err := time.Parse(time.RFC3339, r.Started)
			if err != nil || r.Kind != kind || r.UploadID != "" || st.Before(fin.Add(-matchSkew)) {
				continue
			}
			if !next.IsZero() && !st.Before(next.Add(-matchSkew)) {
				break
			}
			r.UploadID = u.ID
			break
		}
	}
}
