package llm

import (
	"fmt"
	"time"
)

// Error codes, as the window and the command line show them (fault.Shape reads them
// through ErrorCode).
const (
	CodeRateLimited = "rate_limited" // 429 or throttling, after the retries
	CodeUnavailable = "unavailable"  // server down, 5xx, connection refused, lore not hydrated
	CodeTimeout     = "timeout"      // no answer in time
	CodeAuth        = "auth"         // key missing or refused, AWS access denied
	CodeAWSSession  = "aws_session"  // AWS SSO session expired or never started
	CodeCut         = "cut"          // the answer stopped midway; Result holds the part received
	CodeBadRequest  = "bad_request"  // the server refused the request (model name, parameters)
)

// Error is a provider failure: what happened, to which provider and model, and what to
// do about it.
type Error struct {
	Code     string
	Provider string // the provider's name
	Kind     string // provider.KindOpenAI, KindBedrock or KindNPCAPI
	Model    string
	// Msg says what happened and what to do, in the writer's words.
	Msg string
	// Status is the HTTP status, when there was one.
	Status int
	// RetryAfter is how long the server asked to wait, when it said.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent.
	Attempts int
	Err      error

	retry bool // worth another attempt while nothing has reached the caller
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %q", kindLabel(e.Kind), e.Provider)
	switch {
	case e.Model != "" && e.Kind == "npcapi":
		s += fmt.Sprintf(" (endpoint %s)", e.Model)
	case e.Model != "":
		s += fmt.Sprintf(" (model %s)", e.Model)
	}
	s += ": " + e.Msg
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

func (e *Error) Unwrap() error     { return e.Err }
func (e *Error) ErrorCode() string { return e.Code }

func kindLabel(kind string) string {
	switch kind {
	case "openai":
		return "OpenAI-compatible provider"
	case "bedrock":
		return "Bedrock provider"
	case "npcapi":
		return "deployed NPC API"
	}
	return "provider"
}

// failure builds an Error; the caller fills in who failed.
func failure(code string, retry bool, err error, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...), Err: err, retry: retry}
}

// Retryable says whether another attempt may succeed (throttling, a server error, a
// dropped connection), as opposed to a refusal that will not change (a bad key, an
// unknown model).
func (e *Error) Retryable() bool { return e.retry }
