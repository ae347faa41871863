package dataset

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkValidateLlama3 validates Llama 3.2 files with the estimates (no tokenizer) and
// with Llama 3's tokenizer, in one run:
//
//	go test ./backend/dataset -run '^$' -bench ValidateLlama3 -benchtime 3x -cpu 1
//
// "short" records (about 400 bytes, as generated() makes) are under 16,000 tokens by their
// bytes alone and are never tokenised; "long" ones (about 40 KB, some 9,000 tokens) could be
// over by their bytes, so each is counted.
func BenchmarkValidateLlama3(b *testing.B) {
	files := map[string][]byte{"short": generated(b, FormatBedrockConversation, 8<<20), "long": longLlamaRecords(b, 8<<20)}
	for _, name := range []string{"short", "long"} {
		data := files[name]
		for _, counter := range []string{"estimated", "tokenizer"} {
			b.Run(name+"/"+counter, func(b *testing.B) {
				if counter == "tokenizer" {
					withLlama3(b, realLlama3(b), nil)
				} else {
					withLlama3(b, nil, nil)
				}
				b.SetBytes(int64(len(data)))
				b.ResetTimer()
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					rep, err := Validate(context.Background(), bytes.NewReader(data), Options{BaseModel: "meta.llama3-2-1b-instruct-v1:0"})
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
}

// longLlamaRecords makes about size bytes of Llama 3.2 records of about 40 KB each.
func longLlamaRecords(b *testing.B, size int) []byte {
	const para = "The harbour bell rang twice before dawn, and Ada counted the ships that limped in: three from Valen, " +
		"one from the salt marshes, none from the north. Prices for rope rose 12% by noon; the fishmongers blamed the storm. "
	var buf bytes.Buffer
	for i := 0; buf.Len() < size; i++ {
		n := strconv.Itoa(i)
		rec := conv("You are Ada, the innkeeper of the Salted Gull. Record "+n+".",
			strings.Repeat(para, 90)+" What happened on day "+n+"?", strings.Repeat(para, 90)+" That was day "+n+".")
		line, err := Marshal(rec)
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}
