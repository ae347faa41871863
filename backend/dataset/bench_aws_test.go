package dataset

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkValidateVsAWS validates the same generated Claude 3 Haiku and Amazon Nova files
// with the studio and with AWS's own validators (.ci/aws-validators), in turn, and reports
// each one's MB per CPU second and the studio's multiple of AWS's. It runs only when
// NPCSTUDIO_AWS_VALIDATORS names the folder of AWS's scripts; NPCSTUDIO_PYTHON is a Python
// with pydantic 2 (default python3), NPCSTUDIO_AWS_BENCH_MB the file size (default 200).
func BenchmarkValidateVsAWS(b *testing.B) {
	scripts := os.Getenv("NPCSTUDIO_AWS_VALIDATORS")
	if scripts == "" {
		b.Skip("NPCSTUDIO_AWS_VALIDATORS is not set")
	}
	py := os.Getenv("NPCSTUDIO_PYTHON")
	if py == "" {
		py = "python3"
	}
	size := 200
	if s, err := strconv.Atoi(os.Getenv("NPCSTUDIO_AWS_BENCH_MB")); err == nil && s > 0 {
		size = s
	}
	scripts, _ = filepath.Abs(scripts)
	for _, tc := range []struct {
		family, model string
		write         func(w *bufio.Writer, i int)
		aws           func(path string) *exec.Cmd
	}{
		{"claude-3-haiku", "anthropic.claude-3-haiku-20240307-v1:0", writeHaikuLine, func(path string) *exec.Cmd {
			cmd := exec.Command(py, "-c", "import sys, data_validation as d; errs, n = d.validate_file(sys.argv[1]); print(n, len(errs))", path)
			cmd.Dir = scripts
			return cmd
		}},
		{"nova-lite", "amazon.nova-lite-v1:0", writeNovaLine, func(path string) *exec.Cmd {
			return exec.Command(py, filepath.Join(scripts, "nova_ft_dataset_validator.py"), "-i", path, "-m", "lite")
		}},
	} {
		b.Run(tc.family, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), tc.family+".jsonl")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriterSize(f, 1<<20)
			// Nova's script refuses more than 20,000 records before reading any: records of
			// about size/20,000 bytes keep it to its limit.
			records := 0
			for written := 0; written < size<<20; records++ {
				n := w.Buffered()
				tc.write(w, records)
				written += w.Buffered() - n
				if w.Available() < 64<<10 {
					w.Flush()
				}
			}
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			fi, _ := os.Stat(path)
			mb := float64(fi.Size()) / 1e6
			var studio, aws time.Duration
			for b.Loop() {
				cpu0 := cpuTime()
				rep, err := ValidateFile(context.Background(), path, Options{BaseModel: tc.model})
				studio += cpuTime() - cpu0
				if err != nil || rep.Records != records {
					b.Fatalf("%v: %d records of %d", err, rep.Records, records)
				}
				for _, p := range rep.Errors {
					if p.Line > 0 {
						b.Fatalf("the generated file has a bad line: %+v", p)
					}
				}
				cmd := tc.aws(path)
				out, err := cmd.CombinedOutput()
				if err != nil || !strings.Contains(string(out), "") {
					b.Fatalf("AWS's validator: %v\n%s", err, out)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					aws += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				}
				if tc.family == "nova-lite" && !strings.Contains(string(out), "Validation successful") {
					b.Fatalf("AWS's Nova validator did not pass the file:\n%.2000s", out)
				}
			}
			n := float64(b.N)
			b.ReportMetric(mb*n/studio.Seconds(), "studio-MB/cpu-s")
			b.ReportMetric(mb*n/aws.Seconds(), "aws-MB/cpu-s")
			b.ReportMetric(aws.Seconds()/studio.Seconds(), "x-aws")
			b.ReportMetric(mb, "file-MB")
		})
	}
}

var benchWords = strings.Fields("the harbour master keeps a ledger of every ship that docks at Valen and of the tithe each one pays " +
	"to the salt hall while the lighthouse keeper watches the north pier for smugglers who come in with the fog")

// sentence writes about n bytes of plain prose, different for each i.
func sentence(sb *strings.Builder, i, n int) {
	for k := 0; sb.Len() < n; k++ {
		sb.WriteString(benchWords[(i*7+k*3)%len(benchWords)])
		sb.WriteByte(' ')
	}
	sb.WriteString(strconv.Itoa(i))
}

func writeHaikuLine(w *bufio.Writer, i int) {
	var q, a strings.Builder
	sentence(&q, i, 300)
	sentence(&a, i+1, 600)
	fmt.Fprintf(w, `{"system":"You are Ada, the innkeeper of the Salted Gull.","messages":[{"role":"user","content":%q},{"role":"assistant","content":%q}]}`+"\n", q.String(), a.String())
}

func writeNovaLine(w *bufio.Writer, i int) {
	var q, a strings.Builder
	sentence(&q, i, 6000)
	sentence(&a, i+1, 4500)
	fmt.Fprintf(w, `{"schemaVersion":"bedrock-conversation-2024","system":[{"text":"You are Ada, the innkeeper of the Salted Gull."}],"messages":[{"role":"user","content":[{"text":%q}]},{"role":"assistant","content":[{"text":%q}]}]}`+"\n", q.String(), a.String())
}
