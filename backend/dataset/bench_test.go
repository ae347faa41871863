package dataset

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Benchmarks. Throughput on one core:
//
//	go test ./backend/dataset -run '^$' -bench 'Validate' -benchtime 1x -cpu 1
//
// BenchmarkValidateFile writes 100 MB and 1 GB files of distinct records to a temporary
// directory (the 1 GB one is skipped with -short) and reports, beside MB/s, MB per CPU second,
// the peak heap in use (sampled every 32 MB read) and the process's peak resident memory
// (VmHWM, reset before each run).

func BenchmarkValidate(b *testing.B) {
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			data := generated(b, f, 16<<20)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				rep, err := Validate(context.Background(), bytes.NewReader(data), Options{BaseModel: modelFor(f)})
				if err != nil || rep.ErrorCount > 1 { // at most: too many records for the model
					b.Fatalf("%v%s", err, dump(rep.Errors))
				}
			}
			if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
				b.ReportMetric(float64(len(data))*float64(b.N)/1e6/cpu, "MB/cpu-s")
			}
		})
	}
}

func modelFor(f Format) string {
	switch f {
	case FormatClaudeMessages:
		return "anthropic.claude-3-haiku-20240307-v1:0"
	case FormatBedrockConversation:
		return "amazon.nova-lite-v1:0"
	case FormatInputOutput:
		return "amazon.titan-text-express-v1"
	}
	return "meta.llama3-1-8b-instruct-v1:0"
}

// generated makes about size bytes of distinct records in format f.
func generated(b *testing.B, f Format, size int) []byte {
	var buf bytes.Buffer
	for i := 0; buf.Len() < size; i++ {
		n := strconv.Itoa(i)
		rec := chat("You are Ada, the innkeeper of the Salted Gull in the port of Valen. Speak plainly, in short sentences.",
			"Where can I find the old lighthouse keeper? I have been looking all day, question "+n+".",
			"Down by the north pier, past the fish market; mind the gulls. He drinks at the Gull most nights and pays in old coin. Ask for Tomas, and do not mention the storm of "+n+".")
		conv, _, err := Convert(rec, f)
		if err != nil {
			b.Fatal(err)
		}
		line, _ := Marshal(conv)
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func BenchmarkValidateFile(b *testing.B) {
	for _, size := range []int64{100 << 20, 1 << 30} {
		b.Run(sizeString(size), func(b *testing.B) {
			if size > 100<<20 && testing.Short() {
				b.Skip("1 GB file")
			}
			path := filepath.Join(b.TempDir(), "train.jsonl")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			gen := newRecordStream(size)
			w := bufio.NewWriterSize(f, 1<<20)
			if _, err := io.Copy(w, gen); err != nil {
				b.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			b.SetBytes(gen.written)
			b.ResetTimer()
			cpu0 := cpuTime()
			var peak uint64
			for i := 0; i < b.N; i++ {
				resetPeakRSS()
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				p, rep := validateMeasured(b, f, Options{BaseModel: "anthropic.claude-3-haiku-20240307-v1:0"})
				f.Close()
				peak = max(peak, p)
				if rep.Records != gen.lines {
					b.Fatalf("%d records of %d", rep.Records, gen.lines)
				}
			}
			// Throughput per CPU second holds on a machine shared with other work, where wall-clock MB/s does not.
			if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
				b.ReportMetric(float64(gen.written)*float64(b.N)/1e6/cpu, "MB/cpu-s")
			}
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
			if hwm := peakRSS(); hwm > 0 {
				b.ReportMetric(float64(hwm)/(1<<20), "VmHWM-MB")
			}
		})
	}
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the kernel's VmHWM for this process (Linux 4.0+); elsewhere it does nothing.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is VmHWM from /proc/self/status, in bytes (0 if unknown).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

func benchRepo(b *testing.B) (*Repository, Dataset) {
	r := newRepo(b)
	ds := mustDataset(b, r, "big", "anthropic.claude-3-haiku-20240307-v1:0")
	addRecords(b, r, ds.ID, 10000, func(i int) Record {
		rec := distinct(i)
		rec.Messages[1].Content += " " + strings.Repeat("He drinks at the Gull most nights. ", 10)
		return rec
	})
	return r, ds
}

// BenchmarkPageRecords is one page of a 10,000-record dataset, as the grid asks for it.
func BenchmarkPageRecords(b *testing.B) {
	r, ds := benchRepo(b)
	for _, c := range []struct {
		name string
		req  PageRequest
	}{
		{"first page", PageRequest{Limit: 100}},
		{"page at line 9000", PageRequest{Line: 9000, Limit: 100}},
		{"text filter", PageRequest{Text: "answer number 99", Limit: 100}},
	} {
		b.Run(c.name, func(b *testing.B) {
			c.req.DatasetID = ds.ID
			for i := 0; i < b.N; i++ {
				if _, err := r.PageRecords(context.Background(), c.req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkUpdateRecord is one edit of a 10,000-record dataset (a new version).
func BenchmarkUpdateRecord(b *testing.B) {
	r, ds := benchRepo(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := r.UpdateRecord(context.Background(), UpdateRecordRequest{DatasetID: ds.ID, ID: "r5000", Record: distinct(i + 20000)})
		if err != nil {
			b.Fatal(err)
		}
	}
}
