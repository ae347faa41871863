package llm

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/retryafter"
)

// bedrockProvider calls the Bedrock runtime's Converse (whole answer) and ConverseStream.
// The model id goes to ModelId as is, so it may be a foundation model id, an inference
// profile id or ARN, a provisioned-throughput ARN (how a custom model is served) or a
// custom model deployment ARN (on-demand).
type bedrockProvider struct {
	*caller
	client  *bedrockruntime.Client
	p       provider.Provider
	region  string
	profile string
}

func newBedrock(c *caller, p provider.Provider) (*bedrockProvider, error) {
	b := &bedrockProvider{caller: c, p: p, profile: p.Profile}
	if b.profile == "" {
		b.profile = os.Getenv("AWS_PROFILE")
	}
	var cfg aws.Config
	if c.opts.AWSConfig != nil {
		cfg = *c.opts.AWSConfig
	} else {
		// Loading reads files and the environment only; credentials are fetched on the
		// first call, under that call's context.
		var err error
		cfg, err = cloud.LoadConfig(context.Background(), p.Region, p.Profile)
		if err != nil {
			// cloud.LoadConfig already says what to do (a missing profile, no credentials).
			code := CodeAuth
			if cloud.SSOExpired(err) {
				code = CodeAWSSession
			}
			return nil, b.describe(failure(code, false, err, "%v", err), p.ModelID)
		}
	}
	b.region = cfg.Region
	hc := *c.opts.HTTPClient
	hc.Transport = plainBody{hc.Transport}
	b.client = bedrockruntime.NewFromConfig(cfg, func(o *bedrockruntime.Options) {
		// The SDK's retryer is off so that every attempt goes through RetryPolicy and is
		// counted once; AWS_MAX_ATTEMPTS and max_attempts in ~/.aws/config do not apply.
		o.Retryer = aws.NopRetryer{}
		o.RetryMaxAttempts = 0
		o.HTTPClient = &hc
	})
	return b, nil
}

// plainBody hides io.WriterTo on request bodies. smithy-go closes a request body as soon
// as the response headers arrive, and its body's WriteTo then returns io.EOF. net/http
// reads a sent body once more to check its length; through WriteTo that EOF counts as a
// failed write, and the connection is closed under the event stream being read. A server
// that answers before that last read (a local one, or a fast error) saw its stream cut.
type plainBody struct{ base http.RoundTripper }

func (t plainBody) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if r.Body == nil || r.Body == http.NoBody {
		return base.RoundTrip(r)
	}
	r2 := *r
	r2.Body = struct{ io.ReadCloser }{r.Body}
	return base.RoundTrip(&r2)
}

func (b *bedrockProvider) Chat(ctx context.Context, req Request, onChunk func(Chunk) error) (Result, error) {
	model := req.Model
	if model == "" {
		model = b.p.ModelID
	}
	msgs, system, inf := converseInput(req)
	return b.run(ctx, req, model, onChunk, func(ctx context.Context, emit func(string) error) (Result, error) {
		var res Result
		var err error
		if req.Stream {
			res, err = b.stream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: &model, Messages: msgs, System: system, InferenceConfig: inf}, emit)
		} else {
			res, err = b.converse(ctx, &bedrockruntime.ConverseInput{ModelId: &model, Messages: msgs, System: system, InferenceConfig: inf}, emit)
		}
		if err != nil {
			err = b.failure(err)
		}
		return res, err
	})
}

func converseInput(req Request) ([]types.Message, []types.SystemContentBlock, *types.InferenceConfiguration) {
	var system []types.SystemContentBlock
	if req.System != "" {
		system = []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: req.System}}
	}
	msgs := make([]types.Message, 0, len(req.Messages))
	for _, m := range req.Messages {
		msgs = append(msgs, types.Message{Role: types.ConversationRole(m.Role), Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: m.Text}}})
	}
	var inf *types.InferenceConfiguration
	if req.MaxTokens > 0 || req.Temperature != nil || req.TopP != nil || len(req.Stop) > 0 {
		inf = &types.InferenceConfiguration{Temperature: req.Temperature, TopP: req.TopP, StopSequences: req.Stop}
		if req.MaxTokens > 0 {
			inf.MaxTokens = aws.Int32(int32(min(req.MaxTokens, 1<<31-1)))
		}
	}
	return msgs, system, inf
}

func (b *bedrockProvider) stream(ctx context.Context, in *bedrockruntime.ConverseStreamInput, emit func(string) error) (Result, error) {
	out, err := b.client.ConverseStream(ctx, in)
	if err != nil {
		return Result{}, err
	}
	s := out.GetStream()
	defer s.Close()
	var res Result
	stopped := false
	for ev := range s.Events() {
		switch v := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			if d, ok := v.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
				if err := emit(d.Value); err != nil {
					return res, err
				}
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			res.StopReason, stopped = stopReason(string(v.Value.StopReason)), true
		case *types.ConverseStreamOutputMemberMetadata:
			res.Usage = usage(v.Value.Usage)
		}
	}
	if err := s.Err(); err != nil {
		return res, err
	}
	// The SDK ends the event channel quietly when the connection drops; only
	// messageStop proves the answer is whole.
	if !stopped {
		return res, cutError()
	}
	return res, nil
}

func (b *bedrockProvider) converse(ctx context.Context, in *bedrockruntime.ConverseInput, emit func(string) error) (Result, error) {
	out, err := b.client.Converse(ctx, in)
	if err != nil {
		return Result{}, err
	}
	res := Result{StopReason: stopReason(string(out.StopReason)), Usage: usage(out.Usage)}
	var text strings.Builder
	if msg, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, c := range msg.Value.Content {
			if t, ok := c.(*types.ContentBlockMemberText); ok {
				text.WriteString(t.Value)
			}
		}
	}
	return res, emit(text.String())
}

func usage(u *types.TokenUsage) *Usage {
	if u == nil {
		return nil
	}
	return &Usage{InputTokens: int(aws.ToInt32(u.InputTokens)), OutputTokens: int(aws.ToInt32(u.OutputTokens))}
}

func (b *bedrockProvider) login() string {
	if b.profile != "" {
		return "aws sso login --profile " + b.profile
	}
	return "aws sso login"
}

// failure turns what the SDK returned into an Error that says what to do.
func (b *bedrockProvider) failure(err error) error {
	var done *Error
	var stop *stopError
	if errors.As(err, &done) || errors.As(err, &stop) {
		return err
	}
	if cloud.SSOExpired(err) {
		return failure(CodeAWSSession, false, err, "the AWS SSO session has expired or was never started: run `%s` and try again", b.login())
	}
	status := 0
	var header http.Header
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
		if re.Response != nil {
			header = re.Response.Header
		}
	}
	retryable := func(code string, format string, args ...any) *Error {
		e := failure(code, true, err, format, args...)
		e.Status, e.RetryAfter = status, retryafter.Parse(header, b.opts.Now())
		return e
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := strings.TrimRight(ae.ErrorMessage(), ". ")
		switch ae.ErrorCode() {
		case "ThrottlingException":
			return retryable(CodeRateLimited, "Bedrock is throttling requests: %s", msg)
		case "ServiceQuotaExceededException":
			return failure(CodeRateLimited, false, err, "a Bedrock quota is used up: %s: wait, or ask for a higher quota in Service Quotas", msg)
		case "ModelNotReadyException":
			return retryable(CodeUnavailable, "the model is not ready (a custom model deployment or provisioned throughput may still be starting): %s", msg)
		case "ServiceUnavailableException", "InternalServerException", "ModelStreamErrorException", "ModelErrorException":
			return retryable(CodeUnavailable, "Bedrock failed (%s): %s", ae.ErrorCode(), msg)
		case "ModelTimeoutException":
			return failure(CodeTimeout, false, err, "the model took too long: %s", msg)
		case "ExpiredTokenException", "ExpiredToken":
			return failure(CodeAWSSession, false, err, "the AWS credentials have expired: run `%s` (or refresh them) and try again", b.login())
		case "AccessDeniedException":
			return failure(CodeAuth, false, err, "access denied: %s: the AWS identity needs bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on this model, and the model must be enabled in the Bedrock console in %s", msg, b.region)
		case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature", "InvalidClientTokenId":
			return failure(CodeAuth, false, err, "AWS refused the credentials: %s: check the profile, or run `%s`", msg, b.login())
		case "ResourceNotFoundException":
			return failure(CodeBadRequest, false, err, "the model was not found in %s: %s: check the model id or ARN and the region", b.region, msg)
		case "ValidationException":
			return failure(CodeBadRequest, false, err, "Bedrock refused the request: %s: check the model id (a foundation model id, an inference profile, or a provisioned-throughput or deployment ARN) and its parameters", msg)
		}
	}
	switch {
	case status == http.StatusTooManyRequests:
		return retryable(CodeRateLimited, "Bedrock is throttling requests: %v", err)
	case status >= 500:
		return retryable(CodeUnavailable, "Bedrock failed (HTTP %d): %v", status, err)
	case status >= 400:
		return failure(CodeBadRequest, false, err, "Bedrock refused the request (HTTP %d): %v", status, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "failed to retrieve credentials") || strings.Contains(msg, "failed to refresh cached credentials") ||
		strings.Contains(msg, "no EC2 IMDS role found") || strings.Contains(msg, "static credentials are empty") {
		return failure(CodeAuth, false, err, "no AWS credentials found: sign in with `%s`, or set AWS_PROFILE or AWS_ACCESS_KEY_ID (%v)", b.login(), err)
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return failure(CodeUnavailable, true, err, "cannot reach Bedrock in %s: %v", b.region, err)
	}
	return failure(CodeUnavailable, false, err, "%v", err)
}
