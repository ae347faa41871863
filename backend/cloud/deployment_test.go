package cloud

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/fault"
)

func TestDeploymentsSaveUseRemove(t *testing.T) {
	r := NewDeployments(openStore(t))
	if _, err := r.Current(); !errors.Is(err, ErrNoDeployment) {
		t.Fatalf("current of an empty workspace: %v, want ErrNoDeployment", err)
	}
	qa, err := r.Save(Deployment{Workload: "Ada", Stage: "qa", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if qa.Name != "Ada-QA" || qa.Stage != "QA" {
		t.Fatalf("saved %+v: want name Ada-QA, stage QA", qa)
	}
	if _, err := r.Save(Deployment{Name: "prod", Workload: "Ada", Stage: "PROD", Region: "eu-west-1", Profile: "writers"}); err != nil {
		t.Fatal(err)
	}
	// The first saved is current until another is used.
	if cur, _ := r.Current(); cur.Name != "Ada-QA" {
		t.Fatalf("current %q, want Ada-QA", cur.Name)
	}
	if _, err := r.Use("prod"); err != nil {
		t.Fatal(err)
	}
	if cur, _ := r.Current(); cur.Name != "prod" || cur.Profile != "writers" {
		t.Fatalf("current %+v, want prod with profile writers", cur)
	}
	if _, err := r.Use("nope"); !errors.Is(err, fault.ErrNotFound) {
		t.Fatalf("use of a missing deployment: %v", err)
	}
	list, _ := r.List()
	if len(list) != 2 || list[0].Name != "Ada-QA" || list[1].Name != "prod" {
		t.Fatalf("list %+v", list)
	}
	// Removing the current one makes another current; removing the last leaves none.
	if err := r.Remove("prod"); err != nil {
		t.Fatal(err)
	}
	if cur, _ := r.Current(); cur.Name != "Ada-QA" {
		t.Fatalf("after removing the current one, current is %q", cur.Name)
	}
	if err := r.Remove("Ada-QA"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Current(); !errors.Is(err, ErrNoDeployment) {
		t.Fatalf("after removing all: %v", err)
	}
}

func TestDeploymentRefusesBadFields(t *testing.T) {
	for _, tc := range []struct {
		d     Deployment
		field string
	}{
		{Deployment{Workload: "", Stage: "QA", Region: "us-east-1"}, "workload"},
		{Deployment{Workload: "Ada/x", Stage: "QA", Region: "us-east-1"}, "workload"},
		{Deployment{Workload: "Ada", Stage: "TUNING", Region: "us-east-1"}, "stage"},
		{Deployment{Workload: "Ada", Stage: "QA", Region: "US East"}, "region"},
		{Deployment{Name: "a b", Workload: "Ada", Stage: "QA", Region: "us-east-1"}, "name"},
	} {
		err := tc.d.Normalize()
		var ve *fault.ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field {
			t.Errorf("%+v: %v, want a validation error on %s", tc.d, err, tc.field)
		}
	}
}

func TestNamingRule(t *testing.T) {
	d := Deployment{Workload: "Ada", Stage: "PROD", Region: "us-west-2"}
	if got := d.LoreBucketName("123456789012"); got != "ada-prod-us-west-2-123456789012" {
		t.Errorf("lore bucket %s", got)
	}
	if got := d.TuningBucketName("123456789012"); got != "ada-tuning-us-west-2-123456789012" {
		t.Errorf("tuning bucket %s", got)
	}
	if d.StageStack() != "Ada-PROD" || d.TuningStack() != "Ada-TUNING" || d.RAGParameter() != "Ada-PROD-RagEndpointParameter" {
		t.Errorf("names %s %s %s", d.StageStack(), d.TuningStack(), d.RAGParameter())
	}
}

func TestDiscoverFindsTheDeployment(t *testing.T) {
	ld := newLocalDeployment(t)
	st, err := Discover(context.Background(), ld.Clients, ld.Deployment)
	if err != nil {
		t.Fatal(err)
	}
	if st.Missing != 0 {
		t.Fatalf("missing %d: %+v", st.Missing, st.Findings)
	}
	if st.Identity.Account != ld.Account || !strings.HasPrefix(st.Identity.ARN, "arn:aws:") {
		t.Errorf("identity %+v", st.Identity)
	}
	if st.LoreBucket != ld.Lore || st.TuningBucket != ld.Tuning {
		t.Errorf("buckets lore %q tuning %q, want %q %q", st.LoreBucket, st.TuningBucket, ld.Lore, ld.Tuning)
	}
	if st.TextURL != "https://text.example.test/prod/" || st.RAGURL != "https://rag.example.test/prod/" {
		t.Errorf("endpoints %q %q", st.TextURL, st.RAGURL)
	}
	if st.CustomModelName != "PLACEHOLDER" || !st.PathStyle || st.S3Endpoint == "" {
		t.Errorf("model %q path style %v endpoint %q", st.CustomModelName, st.PathStyle, st.S3Endpoint)
	}
	for _, f := range st.Findings {
		if strings.Contains(f.Detail, "versioning is off") {
			t.Errorf("%s: %s, but the bucket is versioned", f.What, f.Detail)
		}
	}
}

func TestDiscoverReportsWhatIsMissing(t *testing.T) {
	ld := newLocalDeployment(t)
	// Another stage of the same workload: no stack, no parameter, no bucket.
	d := ld.Deployment
	d.Stage, d.Name = "PROD", ""
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	st, err := Discover(context.Background(), ld.Clients, d)
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]string{}
	for _, f := range st.Findings {
		if !f.Found {
			missing[f.What] = f.Detail
		}
	}
	for _, what := range []string{"text endpoint", "RAG endpoint", "RAG endpoint parameter", "lore bucket (PROD)"} {
		if missing[what] == "" {
			t.Errorf("%s: not reported missing with a reason (%v)", what, missing)
		}
	}
	if !strings.Contains(missing["text endpoint"], "does not exist") {
		t.Errorf("missing stack reason: %q", missing["text endpoint"])
	}
	if st.LoreBucket != "" || st.TuningBucket != ld.Tuning || st.Missing != len(missing) {
		t.Errorf("lore %q tuning %q missing %d of %v", st.LoreBucket, st.TuningBucket, st.Missing, missing)
	}
}

func TestASCIIKey(t *testing.T) {
	for in, want := range map[string]string{
		"Ashfall Chronicles": "ashfall-chronicles",
		"Émile's Ødyssey!":   "emile-s-dyssey",
		"city_12":            "city-12",
		"北京":                 "",
		"  --Ember--Court ":  "ember-court",
	} {
		if got := ASCIIKey(in); got != want {
			t.Errorf("ASCIIKey(%q) = %q, want %q", in, got, want)
		}
	}
}
