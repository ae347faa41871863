package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func realData(name string) string {
	return filepath.Join("..", "..", "testdata", "dataset", "real", name)
}

func jsonLines(t *testing.T, b []byte) []any {
	t.Helper()
	var out []any
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var v any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// Nova 2 ids, with the context window the customization API gives them, are known models.
func TestNova2BaseModel(t *testing.T) {
	m, err := LookupBaseModel("amazon.nova-2-lite-v1:0:256k")
	if err != nil || m.Name != "Nova 2 Lite" || !m.Allows(FormatBedrockConversation) {
		t.Fatalf("%+v %v", m, err)
	}
}

// AWS's Nova tool-use set validates for Nova Micro and exports record for record as it was,
// its schemaVersion "tooluse-dataset-2024" included.
func TestNovaToolUseSetExportsUnchanged(t *testing.T) {
	path := realData("nova_tooluse_formatted_test_ft.jsonl")
	if rep, err := ValidateFile(ctx, path, Options{BaseModel: "amazon.nova-micro-v1:0:128k"}); err != nil || !rep.Valid {
		t.Fatalf("validate: %v%s", err, dump(rep.Errors))
	}
	r := newRepo(t)
	ds := mustDataset(t, r, "Tools", "amazon.nova-micro-v1:0")
	res, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: path})
	if err != nil || res.Imported != 120 {
		t.Fatalf("import %+v %v", res, err)
	}
	out := filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: out}); err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(path)
	got, _ := os.ReadFile(out)
	if n := strings.Count(string(got), `"schemaVersion":"tooluse-dataset-2024"`); n != 120 {
		t.Errorf("%d of 120 exported records keep schemaVersion tooluse-dataset-2024", n)
	}
	if diff := cmp.Diff(jsonLines(t, orig), jsonLines(t, got)); diff != "" {
		t.Errorf("export differs from the file imported (-file +export):\n%.3000s", diff)
	}
}

// Reinforcement fine-tuning data and distillation prompts are recognised and refused as
// supervised data, with the job they are for.
func TestNotSupervisedDataIsNamed(t *testing.T) {
	dir := t.TempDir()
	// The distillation notebook's conversion of uber10K: each prompt as a user turn, no reply.
	var prompts bytes.Buffer
	for _, v := range jsonLines(t, mustRead(t, realData("distillation_uber10K_head20.jsonl"))) {
		line, _ := json.Marshal(map[string]any{
			"schemaVersion": "bedrock-conversation-2024",
			"messages":      []any{map[string]any{"role": "user", "content": []any{map[string]any{"text": v.(map[string]any)["prompt"]}}}},
		})
		prompts.Write(append(line, '\n'))
	}
	distill := filepath.Join(dir, "distill.jsonl")
	os.WriteFile(distill, prompts.Bytes(), 0o644)

	for _, tt := range []struct {
		path, model, want string
	}{
		{realData("rft_train_data.jsonl"), "amazon.nova-2-lite-v1:0:256k", "for reinforcement fine-tuning jobs"},
		{distill, "amazon.nova-micro-v1:0:128k", "for distillation jobs"},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			rep, err := ValidateFile(ctx, tt.path, Options{BaseModel: tt.model})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Valid || len(rep.Errors) == 0 || rep.Errors[0].Line != 1 ||
				!strings.HasPrefix(rep.Errors[0].Message, "not supervised data:") || !strings.Contains(rep.Errors[0].Message, tt.want) {
				t.Fatalf("verdict:%s", dump(rep.Errors))
			}
			r := newRepo(t)
			ds := mustDataset(t, r, "X", tt.model)
			_, err = r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: tt.path})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("import: %v", err)
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
