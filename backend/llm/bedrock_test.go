package llm_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/bedrockfake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

func newBedrock(t *testing.T, o llm.Options, modelID string) (llm.Provider, *bedrockfake.Server) {
	t.Helper()
	fake := bedrockfake.New()
	t.Cleanup(fake.Close)
	o.AWSConfig = bedrockConfig(fake)
	p, err := llm.New(provider.Provider{Name: "team", Kind: provider.KindBedrock, Region: "us-east-1", ModelID: modelID}, "", o)
	if err != nil {
		t.Fatal(err)
	}
	return p, fake
}

func TestBedrockRequest(t *testing.T) {
	p, fake := newBedrock(t, opts(&sleeps{}), haiku)
	req := chatRequest()
	req.Model = ""
	var c chunks
	res, err := p.Chat(context.Background(), req, c.add)
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Operation != "converse-stream" || r.ModelID != haiku || r.RawPath != "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream" {
		t.Errorf("request %s %s (%s)", r.Operation, r.ModelID, r.RawPath)
	}
	// The SDK signs with SigV4 for service "bedrock" in the provider's region.
	if !regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=AKIDNPCSTUDIO/\d{8}/us-east-1/bedrock/aws4_request, `).MatchString(r.Authorization) {
		t.Errorf("authorization %q", r.Authorization)
	}
	golden(t, "bedrock/converse_request.json", r.Body)
	if res.Text != "Greetings, wanderer." || len(c.got) != 4 || res.StopReason != llm.StopEnd {
		t.Errorf("result %+v, chunks %q", res, c.got)
	}
	if res.Usage == nil || res.Usage.InputTokens != 31 || res.Usage.OutputTokens != 4 {
		t.Errorf("usage %+v, want the metadata event's", res.Usage)
	}

	t.Run("whole answer through Converse", func(t *testing.T) {
		req.Stream = false
		res, err := p.Chat(context.Background(), req, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := fake.Requests()[1]
		if r.Operation != "converse" || res.Text != "Greetings, wanderer." || res.Usage == nil || res.Usage.OutputTokens != 4 {
			t.Errorf("%s: result %+v", r.Operation, res)
		}
		golden(t, "bedrock/converse_request.json", r.Body) // Converse takes the same body as ConverseStream
	})
}

func TestBedrockModelIDs(t *testing.T) {
	for _, tc := range []struct{ name, id string }{
		{"foundation model", "amazon.titan-text-express-v1"},
		{"inference profile", "us.anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"inference profile ARN", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"provisioned throughput (custom model)", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/w3x2ab1cd0ef"},
		{"custom model deployment (on demand)", "arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/a1b2c3d4e5f6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := newBedrock(t, opts(&sleeps{}), tc.id)
			for _, stream := range []bool{true, false} {
				req := ask("Hello")
				req.Stream = stream
				if _, err := p.Chat(context.Background(), req, nil); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range fake.Requests() {
				if r.ModelID != tc.id {
					t.Errorf("%s sent model %q, want %q", r.Operation, r.ModelID, tc.id)
				}
			}
		})
	}
}

func TestBedrockFaults(t *testing.T) {
	for _, tc := range []struct {
		name     string
		script   []bedrockfake.Reply
		code     string // "" for success
		text     string
		cut      bool
		requests int
		says     []string
	}{
		{name: "throttled before the stream, then answers",
			script: []bedrockfake.Reply{{Status: 429, ErrorType: "ThrottlingException"}}, text: "Greetings, wanderer.", requests: 2},
		{name: "model not ready, then answers",
			script: []bedrockfake.Reply{{Status: 429, ErrorType: "ModelNotReadyException"}}, text: "Greetings, wanderer.", requests: 2},
		{name: "throttling exception event before any token: retried",
			script: []bedrockfake.Reply{{Tokens: []string{"lost"}, Exception: "throttlingException"}}, text: "Greetings, wanderer.", requests: 2},
		{name: "throttled to the end",
			script: []bedrockfake.Reply{{Status: 429}, {Status: 429}, {Status: 429}}, code: llm.CodeRateLimited, requests: 3,
			says: []string{"throttling", "after 3 attempts"}},
		{name: "model stream error midway: cut",
			script: []bedrockfake.Reply{{Tokens: []string{"The", " tide", " turns"}, Exception: "modelStreamErrorException", ExceptionAfter: 2}},
			code:   llm.CodeCut, text: "The tide", cut: true, requests: 1, says: []string{"cut after 8 characters", "ModelStreamErrorException"}},
		{name: "connection cut midway",
			script: []bedrockfake.Reply{{Tokens: []string{"The", " tide", " turns"}, Cut: true, CutAfter: 1}},
			code:   llm.CodeCut, text: "The", cut: true, requests: 1, says: []string{"cut after 3 characters", "retry"}},
		{name: "connection cut before any token: retried",
			script: []bedrockfake.Reply{{Tokens: []string{"lost"}, Cut: true}}, text: "Greetings, wanderer.", requests: 2},
		{name: "access denied",
			script: []bedrockfake.Reply{{Status: 403, ErrorType: "AccessDeniedException"}}, code: llm.CodeAuth, requests: 1,
			says: []string{"access denied", "bedrock:InvokeModelWithResponseStream", "us-east-1"}},
		{name: "expired credentials",
			script: []bedrockfake.Reply{{Status: 403, ErrorType: "ExpiredTokenException"}}, code: llm.CodeAWSSession, requests: 1,
			says: []string{"expired", "aws sso login"}},
		{name: "wrong model id",
			script: []bedrockfake.Reply{{Status: 400, ErrorType: "ValidationException"}}, code: llm.CodeBadRequest, requests: 1,
			says: []string{"provided model identifier is invalid", "provisioned-throughput"}},
		{name: "quota used up",
			script: []bedrockfake.Reply{{Status: 400, ErrorType: "ServiceQuotaExceededException"}}, code: llm.CodeRateLimited, requests: 1,
			says: []string{"quota"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, fake := newBedrock(t, opts(&sleeps{}), haiku)
			fake.Script(tc.script...)
			var c chunks
			res, err := p.Chat(context.Background(), ask("What turns?"), c.add)
			if code(err) != tc.code || (tc.code == "" && err != nil) {
				t.Fatalf("err %v, want code %q", err, tc.code)
			}
			if err != nil {
				if fault.Shape(err, nil).Code != tc.code {
					t.Errorf("shaped as %q", fault.Shape(err, nil).Code)
				}
				mustContain(t, err.Error(), append(tc.says, `"team"`, haiku)...)
			}
			if res.Text != tc.text || c.text() != tc.text || res.Cut != tc.cut {
				t.Errorf("result %+v, chunks %q", res, c.got)
			}
			// The SDK's own retryer is off: every request the fake saw is one attempt.
			if n := len(fake.Requests()); n != tc.requests || (err == nil && res.Attempts != n) {
				t.Errorf("%d requests, %d attempts, want %d", n, res.Attempts, tc.requests)
			}
		})
	}
}

// TestBedrockExpiredSSO goes through the real AWS chain: a profile whose SSO token has
// expired must say to run aws sso login for that profile, before anything is sent.
func TestBedrockExpiredSSO(t *testing.T) {
	for _, tc := range []struct{ name, config, cacheKey string }{
		{"sso-session profile", `[profile writer]
sso_session = studio
sso_account_id = 123456789012
sso_role_name = Writer
region = us-east-1

[sso-session studio]
sso_start_url = https://studio.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`, "studio"},
		{"legacy SSO profile", `[profile writer]
sso_start_url = https://studio.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Writer
region = us-east-1
`, "https://studio.awsapps.com/start"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := bedrockfake.New()
			defer fake.Close()
			home := t.TempDir()
			cache := filepath.Join(home, ".aws", "sso", "cache")
			if err := os.MkdirAll(cache, 0o700); err != nil {
				t.Fatal(err)
			}
			sum := sha1.Sum([]byte(tc.cacheKey))
			token := `{"accessToken": "expired-token", "expiresAt": "2020-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://studio.awsapps.com/start"}`
			if err := os.WriteFile(filepath.Join(cache, hex.EncodeToString(sum[:])+".json"), []byte(token), 0o600); err != nil {
				t.Fatal(err)
			}
			config := filepath.Join(home, ".aws", "config")
			if err := os.WriteFile(config, []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			for k, v := range map[string]string{
				"HOME": home, "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "none"),
				"AWS_PROFILE": "", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
				"AWS_REGION": "", "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.URL,
			} {
				t.Setenv(k, v)
			}
			p, err := llm.New(provider.Provider{Name: "team", Kind: provider.KindBedrock, Region: "us-east-1", Profile: "writer", ModelID: haiku}, "", opts(&sleeps{}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Chat(context.Background(), ask("Hello"), nil)
			if code(err) != llm.CodeAWSSession || fault.Shape(err, nil).Code != "aws_session" {
				t.Fatalf("err %v, want aws_session", err)
			}
			mustContain(t, err.Error(), "`aws sso login --profile writer`")
			if n := len(fake.Requests()); n != 0 {
				t.Errorf("%d requests sent without credentials", n)
			}
		})
	}
}
