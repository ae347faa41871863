package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/prose"
	"github.com/spf13/cobra"
)

func cloudCmd(env *Env) *cobra.Command {
	cc := &cobra.Command{Use: "cloud", Short: "Connect to the team's AWS deployments and see what they hold"}
	var d cloud.Deployment
	connect := &cobra.Command{
		Use:   "connect --workload W --stage S --region R [--profile P] [--name N]",
		Short: "Sign in through the AWS chain, discover a deployment, save it and make it current",
		Example: `  npcstudio cloud connect --workload Ada --stage QA --region us-east-1
  npcstudio cloud connect --workload Ada --stage PROD --region us-east-1 --profile writers --name ada-prod`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if d.Workload == "" || d.Stage == "" || d.Region == "" {
				return usagef("--workload, --stage and --region are required")
			}
			st, err := env.App().Cloud.Connect(app.ConnectRequest{Deployment: d})
			if err != nil {
				return err
			}
			return env.print(st, func(w io.Writer) { printCloudStatus(w, st) })
		},
	}
	f := connect.Flags()
	f.StringVar(&d.Workload, "workload", "", "workload name the stacks start with (the guidance's default: Ada)")
	f.StringVar(&d.Stage, "stage", "", "stage whose lore bucket pushes go to: QA or PROD")
	f.StringVar(&d.Region, "region", "", "AWS region of the deployment")
	f.StringVar(&d.Profile, "profile", "", "AWS profile (default: the standard chain)")
	f.StringVar(&d.Name, "name", "", "name to save it under (default: WORKLOAD-STAGE)")

	list := &cobra.Command{
		Use: "list", Short: "List saved deployments", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			l, err := env.App().Cloud.List()
			if err != nil {
				return err
			}
			return env.print(l, func(w io.Writer) {
				if len(l.Deployments) == 0 {
					fmt.Fprintln(w, "no deployments: npcstudio cloud connect --workload W --stage QA --region R")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "\tNAME\tWORKLOAD\tSTAGE\tREGION\tPROFILE\tACCOUNT")
				for _, d := range l.Deployments {
					cur := ""
					if d.Name == l.Current {
						cur = "*"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cur, d.Name, d.Workload, d.Stage, d.Region, orDash(d.Profile), orDash(d.Account))
				}
				tw.Flush()
			})
		},
	}
	use := &cobra.Command{
		Use: "use NAME", Short: "Make a saved deployment current", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			d, err := env.App().Cloud.Use(app.DeploymentRequest{Name: args[0]})
			if err != nil {
				return err
			}
			return env.print(d, func(w io.Writer) { fmt.Fprintf(w, "current deployment: %s\n", d.Name) })
		},
	}
	remove := &cobra.Command{
		Use: "remove NAME", Short: "Forget a saved deployment (its upload history stays)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := env.App().Cloud.Remove(app.DeploymentRequest{Name: args[0]}); err != nil {
				return err
			}
			return env.print(map[string]string{"removed": args[0]}, func(w io.Writer) { fmt.Fprintf(w, "removed deployment %s\n", args[0]) })
		},
	}
	status := &cobra.Command{
		Use: "status [NAME]", Short: "Identity, account, buckets, endpoints and CustomModelName of a deployment", Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			st, err := env.App().Cloud.Status(app.DeploymentRequest{Name: name})
			if err != nil {
				return err
			}
			return env.print(st, func(w io.Writer) { printCloudStatus(w, st) })
		},
	}
	var watch bool
	runs := &cobra.Command{
		Use: "runs [NAME] [--watch]", Short: "Recent hydration jobs and tuning pipeline runs, with the push that started each", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			for {
				rs, err := env.App().Cloud.Runs(app.DeploymentRequest{Name: name})
				if err != nil {
					return err
				}
				if err := env.print(rs, func(w io.Writer) { printRuns(w, rs) }); err != nil {
					return err
				}
				if !watch || !anyRunning(rs.Runs) {
					return nil
				}
				select {
				case <-cmd.Context().Done():
					return nil
				case <-time.After(runsRefresh):
				}
			}
		},
	}
	runs.Flags().BoolVar(&watch, "watch", false, "print again every 15 seconds while a run is running")
	cc.AddCommand(connect, list, use, remove, status, runs)
	return cc
}

// runsRefresh is how often runs --watch asks again.
const runsRefresh = 15 * time.Second

func anyRunning(rs []cloud.Run) bool {
	for _, r := range rs {
		if r.Running {
			return true
		}
	}
	return false
}

func printRuns(w io.Writer, rs cloud.Runs) {
	if len(rs.Runs) == 0 {
		fmt.Fprintln(w, "no runs yet")
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(rs.Runs) > 0 {
		fmt.Fprintln(tw, "KIND\tRUN\tSTATUS\tSTARTED\tENDED\tPUSH")
	}
	for _, r := range rs.Runs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Kind, r.Name, r.Status, r.Started, orDash(r.Ended), orDash(r.UploadID))
	}
	tw.Flush()
	for _, r := range rs.Runs {
		if len(r.Steps) > 0 {
			var steps []string
			for _, st := range r.Steps {
				steps = append(steps, st.Name+" "+st.Status)
			}
			fmt.Fprintf(w, "%s %s steps: %s\n", r.Kind, r.Name, strings.Join(steps, ", "))
		}
		if r.Job != nil {
			fmt.Fprintf(w, "%s %s Bedrock job %s: %s\n", r.Kind, r.Name, r.Job.Name, r.Job.Status)
		}
		for _, st := range r.Steps {
			if st.FailureReason != "" {
				fmt.Fprintf(w, "  step %s failed: %s\n", st.Name, st.FailureReason)
			}
		}
	}
	for _, r := range rs.Runs {
		if r.FailureReason != "" || r.Hint != "" {
			fmt.Fprintf(w, "%s %s failed: %s\n  what to do: %s\n", r.Kind, r.Name, orDash(r.FailureReason), r.Hint)
		}
	}
	for _, n := range rs.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func printCloudStatus(w io.Writer, st cloud.Status) {
	d := st.Deployment
	fmt.Fprintf(w, "deployment %s: workload %s, stage %s, region %s\n", d.Name, d.Workload, d.Stage, d.Region)
	fmt.Fprintf(w, "signed in as %s (account %s)\n", st.Identity.ARN, st.Identity.Account)
	if st.S3Endpoint != "" {
		fmt.Fprintf(w, "S3 endpoint %s (path-style %v)\n", st.S3Endpoint, st.PathStyle)
	}
	for _, f := range st.Findings {
		line := fmt.Sprintf("[%s] %s: ", mark(f.Found), f.What)
		if f.Found {
			line += f.Value
		} else {
			line += "missing (" + f.Where + ")"
		}
		if f.Detail != "" {
			line += ": " + f.Detail
		}
		fmt.Fprintln(w, line)
	}
	if st.Missing > 0 {
		fmt.Fprintf(w, "%d missing: pushes need the buckets; check the workload, stage, region and account\n", st.Missing)
	}
}

// isTerminal says whether r is a terminal; tests replace it to play one.
var isTerminal = func(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// stdinIsTerminal says whether the command can ask for confirmation.
func (e *Env) stdinIsTerminal() bool { return isTerminal(e.Stdin) }

func (e *Env) stderrIsTerminal() bool { return isTerminal(e.Stderr) }

func pushCmd(env *Env) *cobra.Command {
	var resume, yes, force bool
	pc := &cobra.Command{
		Use:   "push (lore|dataset) ... | push --resume",
		Short: "Push lore or a dataset to the current deployment's buckets (starting its pipelines), or finish unfinished pushes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !resume {
				return usagef("say what to push (push lore, push dataset) or --resume")
			}
			res, err := resumePushes(env, cmd)
			if err != nil {
				return err
			}
			return env.print(res, func(w io.Writer) {
				if len(res.Finished) == 0 {
					fmt.Fprintln(w, "no unfinished pushes")
				}
				for _, up := range res.Finished {
					printPushed(w, up)
				}
			})
		},
	}
	pf := pc.PersistentFlags()
	pf.BoolVar(&resume, "resume", false, "first finish pushes a killed or cancelled run left unfinished")
	pf.BoolVar(&yes, "yes", false, "push without asking (required when standard input is not a terminal)")
	pf.BoolVar(&force, "force", false, "push even content already pushed to the same target")

	var collection, stage string
	lorePush := &cobra.Command{
		Use:   "lore (--collection C | DOC...) [--stage S] [--yes]",
		Short: "Push one combined .txt of a collection or documents to a stage's lore bucket (replaces the stage's index)",
		Example: `  npcstudio push lore --collection "Ashfall" --yes
  npcstudio push lore ember_court.md saltwhistle.txt --stage PROD`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (collection == "") == (len(args) == 0) {
				return usagef("give --collection C or documents, not both")
			}
			return pushPlanned(env, cmd, resume, yes, force, func() (cloud.Plan, error) {
				return env.App().Cloud.PlanLore(app.LorePlanRequest{Source: cloud.LoreSource{Collection: collection, Docs: args}, Stage: stage})
			})
		},
	}
	lorePush.Flags().StringVar(&collection, "collection", "", "push every document of this collection")
	lorePush.Flags().StringVar(&stage, "stage", "", "stage to push to (default: the current deployment's)")

	var baseModel string
	var version int
	dsPush := &cobra.Command{
		Use:   "dataset NAME|FILE [--yes] [--force] [--resume]",
		Short: "Validate a dataset (or a JSON Lines FILE that exists) against its base model and push it to the tuning bucket (starts fine-tuning)",
		Example: `  npcstudio push dataset "Mira lines"
  npcstudio push dataset train.jsonl --base-model amazon.titan-text-express-v1 --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src := cloud.DatasetSource{BaseModel: baseModel, Version: version}
			if info, err := os.Stat(args[0]); err == nil && !info.IsDir() {
				src.File = args[0]
				if baseModel == "" {
					return usagef("pushing a file needs --base-model (the model the tuning job starts from)")
				}
			} else {
				d, err := findDataset(env, args[0])
				if err != nil {
					return err
				}
				src.DatasetID = d.ID
			}
			err := pushPlanned(env, cmd, resume, yes, force, func() (cloud.Plan, error) {
				return env.App().Cloud.PlanDataset(app.DatasetPlanRequest{Source: src})
			})
			if rep, ok := app.DatasetInvalid(err); ok {
				if perr := env.print(map[string]any{"error": app.FormatError(err), "report": rep}, func(w io.Writer) {
					fmt.Fprintf(w, "%s\n\n", err)
					name := args[0]
					dataset.PrintReport(w, name, modelOf(src, env), rep.Training)
				}); perr != nil {
					return perr
				}
				return InvalidResult
			}
			return err
		},
	}
	dsPush.Flags().StringVar(&baseModel, "base-model", "", "base model of a FILE push (a dataset uses its own)")
	dsPush.Flags().IntVar(&version, "version", 0, "dataset version to push (default: the latest)")
	pc.AddCommand(lorePush, dsPush)
	return pc
}

func modelOf(src cloud.DatasetSource, env *Env) string {
	if src.BaseModel != "" {
		return src.BaseModel
	}
	if d, err := env.App().Datasets.Get(app.DatasetRequest{ID: src.DatasetID}); err == nil {
		return d.BaseModel
	}
	return ""
}

func resumePushes(env *Env, cmd *cobra.Command) (app.ResumeResult, error) {
	out, err := env.runOpProgress(cmd, func(opID string) (string, error) {
		return env.App().Cloud.Resume(app.ResumeRequest{OpID: opID})
	})
	if err != nil {
		return app.ResumeResult{}, err
	}
	return out.(app.ResumeResult), nil
}

// pushPlanned stages a push, shows it, asks (unless --yes), and sends it.
func pushPlanned(env *Env, cmd *cobra.Command, resume, yes, force bool, plan func() (cloud.Plan, error)) error {
	if !yes && !env.stdinIsTerminal() {
		return usagef("standard input is not a terminal: add --yes to confirm the push")
	}
	if resume {
		res, err := resumePushes(env, cmd)
		if err != nil {
			return err
		}
		if !env.json {
			for _, up := range res.Finished {
				printPushed(env.Stdout, up)
			}
		}
	}
	p, err := plan()
	if err != nil {
		return err
	}
	svc := env.App().Cloud
	if !resume && !env.json {
		if ups, err := svc.Uploads(); err == nil {
			n := 0
			for _, u := range ups {
				if u.Status == cloud.StatusUploading {
					n++
				}
			}
			if n > 0 {
				fmt.Fprintf(env.Stderr, "note: %d earlier push(es) did not finish: npcstudio push --resume finishes them\n", n)
			}
		}
	}
	if p.Earlier != nil && !force {
		svc.Discard(app.PlanRequest{ID: p.Upload.ID})
		return &cloud.AlreadyPushedError{Earlier: *p.Earlier}
	}
	if !yes {
		printPlan(env.Stderr, p)
		fmt.Fprint(env.Stderr, "Push? [y/N] ")
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			svc.Discard(app.PlanRequest{ID: p.Upload.ID})
			return errors.New("not pushed")
		}
	}
	out, err := env.runOpProgress(cmd, func(opID string) (string, error) {
		return svc.Push(app.PushRequest{OpID: opID, PlanID: p.Upload.ID, Force: force})
	})
	if err != nil {
		return err
	}
	up := out.(cloud.Upload)
	return env.print(up, func(w io.Writer) { printPushed(w, up) })
}

func printPlan(w io.Writer, p cloud.Plan) {
	u := p.Upload
	fmt.Fprintf(w, "push %s\n  to      s3://%s/%s\n  size    %s\n  starts  %s\n", u.What, u.Bucket, u.Key, prose.Size(u.Size), u.Trigger)
	if p.Replaces != "" {
		fmt.Fprintf(w, "  NOTE    %s\n", p.Replaces)
	}
	if p.Earlier != nil {
		fmt.Fprintf(w, "  already pushed on %s (upload %s); pushing again with --force\n", p.Earlier.Finished, p.Earlier.ID)
	}
}

func printPushed(w io.Writer, up cloud.Upload) {
	fmt.Fprintf(w, "pushed %s to s3://%s/%s (%s, version %s, checksum %s)\nstarted: %s\n",
		up.What, up.Bucket, up.Key, prose.Size(up.Size), orDash(up.VersionID), up.Checksum, up.Trigger)
}

// runOpProgress is runOp with the push's progress bar on a terminal's standard error (never with --json).
func (e *Env) runOpProgress(cmd *cobra.Command, start func(opID string) (string, error)) (any, error) {
	bar := newProgressBar(e)
	var total int64
	draw := func(done, all int64) {
		bar.show(fmt.Sprintf("%s %3d%% %s of %s", gauge(done, all), 100*done/all, prose.Size(done), prose.Size(all)))
	}
	out, err := e.runOpWithProgress(cmd, func(data any) {
		p, ok := data.(app.PushProgress)
		if !ok || p.Total <= 0 {
			return
		}
		total = p.Total
		draw(p.Done, p.Total)
	}, start)
	// Progress reports are spaced out, so the last may not be the end: draw it.
	if err == nil && total > 0 {
		draw(total, total)
	}
	bar.end()
	return out, err
}

func uploadsCmd(env *Env) *cobra.Command {
	uc := &cobra.Command{Use: "uploads", Short: "The history of pushes to the cloud"}
	uc.AddCommand(&cobra.Command{
		Use: "list", Short: "List pushes, newest first, unfinished ones included", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			ups, err := env.App().Cloud.Uploads()
			if err != nil {
				return err
			}
			return env.print(map[string]any{"uploads": ups}, func(w io.Writer) {
				if len(ups) == 0 {
					fmt.Fprintln(w, "no pushes yet")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSTATUS\tWHAT\tTARGET\tSIZE\tVERSION\tBY\tWHEN\tRUN")
				for _, u := range ups {
					when := u.Finished
					if when == "" {
						when = u.Started
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\ts3://%s/%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Status, u.What, u.Bucket, u.Key,
						prose.Size(u.Size), orDash(u.VersionID), u.By, when, orDash(u.Run))
				}
				tw.Flush()
				for _, u := range ups {
					if u.Status == cloud.StatusUploading {
						fmt.Fprintln(w, "unfinished pushes: npcstudio push --resume finishes them; npcstudio uploads abandon ID gives one up")
						break
					}
				}
			})
		},
	}, &cobra.Command{
		Use: "abandon ID", Short: "Give up an unfinished push (S3 drops its parts; nothing is triggered)", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			up, err := env.App().Cloud.Abandon(app.AbandonRequest{UploadID: args[0]})
			if err != nil {
				return err
			}
			return env.print(up, func(w io.Writer) {
				fmt.Fprintf(w, "abandoned the push of %s to s3://%s/%s\n", up.What, up.Bucket, up.Key)
			})
		},
	})
	return uc
}
