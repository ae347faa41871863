package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/npcstudio/npcstudio/app"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/spf13/cobra"
)

func modelsCmd(env *Env) *cobra.Command {
	mc := &cobra.Command{Use: "models", Short: "Model versions of the current deployment: their evidence, approve or reject, the audit log"}
	list := &cobra.Command{
		Use: "list", Short: "Versions of <W>-PackageGroup, newest first, with status and evaluation metrics", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			l, err := env.App().Models.List()
			if err != nil {
				return err
			}
			return env.print(l, func(w io.Writer) { printVersions(w, l) })
		},
	}
	show := &cobra.Command{
		Use: "show V", Short: "One version with all its evidence: metrics, customization job, loss curves, throughput", Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			n, err := versionArg(args[0], "model version")
			if err != nil {
				return err
			}
			v, err := env.App().Models.Show(app.VersionRequest{Version: n})
			if err != nil {
				return err
			}
			return env.print(v, func(w io.Writer) { printVersion(w, v) })
		},
	}
	var note string
	var yes, force bool
	decide := func(action string) func(*cobra.Command, []string) error {
		return func(_ *cobra.Command, args []string) error {
			n, err := versionArg(args[0], "model version")
			if err != nil {
				return err
			}
			if note == "" {
				return usagef("--note is required: say why (it is kept in the registry as ApprovalDescription)")
			}
			if err := cloud.CheckNote(note); err != nil {
				return err
			}
			if !yes && !env.stdinIsTerminal() {
				return usagef("standard input is not a terminal: add --yes to confirm the decision")
			}
			svc := env.App().Models
			if !yes {
				what, err := svc.Consequence(app.ConsequenceRequest{Version: n, Action: action})
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stderr, "%s version %d with the note:\n  %s\n%s\n", strings.ToUpper(action[:1])+action[1:], n, note, what)
				fmt.Fprintf(env.Stderr, "%s? [y/N] ", strings.ToUpper(action[:1])+action[1:])
				line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
					return errors.New("nothing sent")
				}
			}
			req := app.DecisionRequest{Version: n, Note: note, Force: force}
			var dec cloud.Decision
			if action == cloud.ActionApprove {
				dec, err = svc.Approve(req)
			} else {
				dec, err = svc.Reject(req)
			}
			if err != nil {
				return err
			}
			return env.print(dec, func(w io.Writer) {
				fmt.Fprintf(w, "version %d: %s -> %s (by %s)\n", dec.Version, dec.Previous, dec.NewStatus, dec.Caller)
				if dec.Forced {
					fmt.Fprintln(w, "approved without an InService provisioned throughput: the deployment's Lambda will fail")
				}
				if dec.NewStatus == cloud.VersionApproved {
					fmt.Fprintln(w, "the deployment pipeline runs next: npcstudio models deployment follows it")
				}
			})
		}
	}
	approve := &cobra.Command{
		Use:   "approve V --note N [--force] [--yes]",
		Short: "Approve a version: starts the deployment pipeline (QA, system tests, then PROD)",
		Example: `  npcstudio models approve 3 --note "Mira keeps her voice; ready for QA"
  npcstudio models approve 3 --note "throughput comes later" --force --yes`,
		Args: cobra.ExactArgs(1), RunE: decide(cloud.ActionApprove),
	}
	approve.Flags().StringVar(&note, "note", "", "why (at most 1,024 characters; kept as ApprovalDescription)")
	approve.Flags().BoolVar(&yes, "yes", false, "do not ask (required when standard input is not a terminal)")
	approve.Flags().BoolVar(&force, "force", false, "approve even with no InService provisioned throughput for the custom model (the deployment then fails)")
	reject := &cobra.Command{
		Use: "reject V --note N [--yes]", Short: "Reject a version with a note", Args: cobra.ExactArgs(1), RunE: decide(cloud.ActionReject),
		Example: `  npcstudio models reject 4 --note "breaks character in the tavern scenes"`,
	}
	reject.Flags().StringVar(&note, "note", "", "why (at most 1,024 characters; kept as ApprovalDescription)")
	reject.Flags().BoolVar(&yes, "yes", false, "do not ask (required when standard input is not a terminal)")
	history := &cobra.Command{
		Use: "history", Short: "The audit log of approvals and rejections made from this workspace, newest first", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			ds, err := env.App().Models.History()
			if err != nil {
				return err
			}
			return env.print(ds, func(w io.Writer) {
				if len(ds) == 0 {
					fmt.Fprintln(w, "no decisions yet")
					return
				}
				tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "TIME\tGROUP\tVERSION\tFROM\tTO\tBY\tNOTE")
				for _, d := range ds {
					to := d.NewStatus
					if d.Error != "" {
						to += " (failed: " + d.Error + ")"
					} else if d.Forced {
						to += " (forced)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", d.Time, d.Group, d.Version, d.Previous, to, d.Caller, oneLine(d.Note, 60))
				}
				tw.Flush()
			})
		},
	}
	deployment := &cobra.Command{
		Use: "deployment", Short: "SSM CustomModelName and the stages of <W>-Pipeline (after an approval)", Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			st, err := env.App().Models.Deployment()
			if err != nil {
				return err
			}
			return env.print(st, func(w io.Writer) {
				fmt.Fprintf(w, "CustomModelName  %s\npipeline         %s\n", orDash(st.CustomModelName), st.Pipeline)
				for _, s := range st.Stages {
					fmt.Fprintf(w, "  %-14s %s\n", s.Name, orDash(s.Status))
				}
				for _, n := range st.Notes {
					fmt.Fprintln(w, "note:", n)
				}
			})
		},
	}
	var message string
	var compare bool
	talk := &cobra.Command{
		Use:   "talk V PERSONA --message M [--compare]",
		Short: "Talk to a version's custom model as a persona (through its provisioned throughput), or compare it with production",
		Example: `  npcstudio models talk 3 "Mira Saltwhistle" --message "Can you mend this anchor?"
  npcstudio models talk 3 "Mira Saltwhistle" --message "Who keeps the light?" --compare`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := versionArg(args[0], "model version")
			if err != nil {
				return err
			}
			if strings.TrimSpace(message) == "" {
				return usagef("--message is required: the player's line")
			}
			cc, err := env.App().Models.Candidate(app.VersionRequest{Version: n})
			if err != nil {
				return err
			}
			svc := env.App().Chat
			if compare {
				if !env.json {
					fmt.Fprintf(env.Stderr, "column 0: version %d (%s); column 1: %s\n", n, cc.Candidate.Model, cc.ProductionLabel)
				}
				return env.streamChat(cmd, true, func(opID string) (string, error) {
					return svc.Compare(app.CompareRequest{OpID: opID, PersonaRef: args[1], Message: message, Configs: []chat.Config{cc.Candidate, cc.Production}})
				})
			}
			v, err := svc.Create(app.CreateChatRequest{PersonaRef: args[1], Config: cc.Candidate})
			if err != nil {
				return err
			}
			return env.streamChat(cmd, false, func(opID string) (string, error) {
				return svc.Send(app.SendRequest{OpID: opID, ChatID: v.Chat.ID, Message: message, Config: cc.Candidate})
			})
		},
	}
	talk.Flags().StringVar(&message, "message", "", "the player's line")
	talk.Flags().BoolVar(&compare, "compare", false, "send the line to production's model too, side by side")
	mc.AddCommand(list, show, approve, reject, history, deployment, talk)
	return mc
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func metric(e *cloud.Evaluation) (string, string) {
	if e == nil {
		return "-", "-"
	}
	return strconv.FormatFloat(e.Loss, 'f', 3, 64), strconv.FormatFloat(e.Perplexity, 'f', 2, 64)
}

func throughputLine(ts []cloud.Throughput) string {
	if len(ts) == 0 {
		return "none"
	}
	var s []string
	for _, t := range ts {
		s = append(s, fmt.Sprintf("%s %s (%d units)", t.Name, t.Status, t.ModelUnits))
	}
	return strings.Join(s, ", ")
}

func printVersions(w io.Writer, l app.ModelList) {
	if len(l.Versions) == 0 {
		fmt.Fprintf(w, "no versions in %s yet: a finished tuning run registers one\n", l.Group)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSTATUS\tCREATED\tLOSS\tPERPLEXITY\tCUSTOM MODEL\tTHROUGHPUT")
	for _, v := range l.Versions {
		loss, ppl := metric(v.Evaluation)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Version, v.Status, v.Created, loss, ppl, orDash(v.Metadata.ModelName), throughputLine(v.Throughputs))
	}
	tw.Flush()
	for _, v := range l.Versions {
		for _, g := range v.Gaps {
			fmt.Fprintf(w, "version %d: %s\n", v.Version, g)
		}
	}
}

func printVersion(w io.Writer, v cloud.ModelVersion) {
	fmt.Fprintf(w, "version %d  %s\n  arn         %s\n  created     %s\n", v.Version, v.Status, v.ARN, v.Created)
	if v.Status != cloud.VersionPending {
		fmt.Fprintf(w, "  decided     %s by %s\n  note        %s\n", orDash(v.Modified), orDash(v.DecidedBy), orDash(v.Note))
	}
	m := v.Metadata
	fmt.Fprintf(w, "  model       %s (%s)\n  base model  %s\n  job         %s\n  output      %s\n", orDash(m.ModelName), orDash(m.ModelARN), orDash(m.BaseModelARN), orDash(m.JobName), orDash(m.OutputData))
	loss, ppl := metric(v.Evaluation)
	fmt.Fprintf(w, "  evaluation  loss %s, perplexity %s\n  throughput  %s\n", loss, ppl, throughputLine(v.Throughputs))
	if j := v.Job; j != nil {
		fmt.Fprintf(w, "  job status  %s\n", j.Status)
		if j.FailureMessage != "" {
			fmt.Fprintf(w, "  failure     %s\n", j.FailureMessage)
		}
		var hp []string
		for k, val := range j.HyperParameters {
			hp = append(hp, k+"="+val)
		}
		slices.Sort(hp)
		fmt.Fprintf(w, "  hyperparams %s\n", strings.Join(hp, " "))
		fmt.Fprintf(w, "  training    %s\n  validation  %s\n", curve(j.Training), curve(j.Validation))
	}
	if r := v.Readiness; r != nil {
		for _, s := range r.Suites {
			verdict := "ready"
			if !s.Ready {
				verdict = "NOT READY"
			}
			fmt.Fprintf(w, "  suite       %s: %d/%d passed (%.0f%%, needs %.0f%%): %s\n", s.Suite, s.Passed, s.Total, 100*s.Rate, 100*s.Threshold, verdict)
		}
		if !r.Ready && r.Reason != "" {
			fmt.Fprintf(w, "  not ready   %s\n", r.Reason)
		}
	}
	for _, g := range v.Gaps {
		fmt.Fprintf(w, "  missing     %s\n", g)
	}
}

// curve is a loss curve in one line: step:loss, first to last.
func curve(ps []cloud.LossPoint) string {
	if len(ps) == 0 {
		return "-"
	}
	var s []string
	for _, p := range ps {
		s = append(s, strconv.FormatFloat(p.Step, 'f', -1, 64)+":"+strconv.FormatFloat(p.Loss, 'f', 3, 64))
	}
	return strings.Join(s, " ")
}
