// Package bedrockfake is an Amazon Bedrock runtime for tests: Converse and ConverseStream
// on 127.0.0.1, answering in the real wire format. ConverseStream replies are
// application/vnd.amazon.eventstream messages written with the AWS SDK's own event-stream
// encoder, so the SDK under test decodes them exactly as it decodes Bedrock's. Replies can
// be scripted to throttle, fail mid-stream with an exception event, drop the connection
// or never answer, and every request the SDK sends is recorded.
package bedrockfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/llm/internal/fakecore"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// Server is a running fake. Point the SDK at it with BaseEndpoint = URL.
type Server struct {
	*httptest.Server

	fakecore.Core[Reply, Request]
}

// Request is what the fake received.
type Request struct {
	// Operation is "converse" or "converse-stream".
	Operation string
	// ModelID is the model id from the path /model/{modelId}/..., unescaped.
	ModelID string
	// RawPath is the path as sent, escaped.
	RawPath       string
	Authorization string
	Body          []byte
}

// Reply scripts how the fake answers one request.
type Reply struct {
	Tokens []string
	// StopReason is "end_turn" unless set.
	StopReason string
	// Latency is the wait before the response; TokenDelay the wait before each later token.
	Latency    time.Duration
	TokenDelay time.Duration
	// Status, when 400 or more, answers with an AWS JSON error before any stream, of
	// type ErrorType (ThrottlingException unless set), with an optional Retry-After.
	Status     int
	ErrorType  string
	RetryAfter string
	// Exception, when set, ends the stream after ExceptionAfter tokens with an exception
	// event of that type: "throttlingException", "modelStreamErrorException",
	// "internalServerException", "validationException", "serviceUnavailableException".
	Exception      string
	ExceptionAfter int
	// Cut drops the connection after CutAfter tokens.
	Cut      bool
	CutAfter int
	// Hang never answers: the handler returns when the client gives up.
	Hang bool
}

// DefaultTokens are the answer a fake gives unless told otherwise.
var DefaultTokens = []string{"Greetings", ",", " wanderer", "."}

// New starts a fake on 127.0.0.1.
func New() *Server {
	s := &Server{}
	s.Default = Reply{Tokens: DefaultTokens}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close lets hanging handlers go, then stops the server.
func (s *Server) Close() {
	s.Release()
	s.Server.Close()
}

func (s *Server) pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.Closed():
	}
	return false
}

// converseRequest is the part of the Converse body the fake reads.
type converseRequest struct {
	Messages []struct {
		Role    string `json:"role"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	} `json:"messages"`
	System []struct {
		Text string `json:"text"`
	} `json:"system"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	// The model id is one path segment, escaped (an ARN's ':' and '/' included).
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if r.Method != http.MethodPost || len(parts) != 3 || parts[0] != "model" || (parts[2] != "converse" && parts[2] != "converse-stream") {
		awsError(w, http.StatusNotFound, "UnknownOperationException", "unknown operation "+r.Method+" "+r.URL.Path)
		return
	}
	modelID, err := url.PathUnescape(parts[1])
	if err != nil {
		awsError(w, http.StatusBadRequest, "ValidationException", "bad model id: "+err.Error())
		return
	}
	s.Record(Request{Operation: parts[2], ModelID: modelID, RawPath: r.URL.EscapedPath(), Authorization: r.Header.Get("Authorization"), Body: body})

	var req converseRequest
	if err := json.Unmarshal(body, &req); err != nil {
		awsError(w, http.StatusBadRequest, "SerializationException", "could not read the request body")
		return
	}
	rep, _ := s.Next()
	if !s.pause(r, rep.Latency) {
		return
	}
	if rep.Hang {
		select {
		case <-r.Context().Done():
		case <-s.Closed():
		}
		return
	}
	if rep.Status >= 400 {
		typ := rep.ErrorType
		if typ == "" {
			typ = "ThrottlingException"
		}
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		awsError(w, rep.Status, typ, messages[typ])
		return
	}
	stop := rep.StopReason
	if stop == "" {
		stop = "end_turn"
	}
	in := 0
	for _, m := range req.Messages {
		for _, c := range m.Content {
			in += len(strings.Fields(c.Text))
		}
	}
	for _, c := range req.System {
		in += len(strings.Fields(c.Text))
	}
	use := map[string]int{"inputTokens": in, "outputTokens": len(rep.Tokens), "totalTokens": in + len(rep.Tokens)}

	if parts[2] == "converse" {
		if rep.Cut {
			hangUp(w)
			return
		}
		w.Header().Set("X-Amzn-Requestid", "fake-request")
		writeJSON(w, http.StatusOK, map[string]any{
			"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": []any{map[string]string{"text": strings.Join(rep.Tokens, "")}}}},
			"stopReason": stop,
			"usage":      use,
			"metrics":    map[string]int{"latencyMs": int(rep.Latency.Milliseconds())},
		})
		return
	}

	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.Header().Set("X-Amzn-Requestid", "fake-request")
	w.WriteHeader(http.StatusOK)
	es := &stream{w: w, enc: eventstream.NewEncoder()}
	es.event("messageStart", map[string]any{"role": "assistant", "p": "abcdefghijkl"})
	for i, tok := range rep.Tokens {
		if rep.Cut && i == rep.CutAfter {
			hangUp(w)
			return
		}
		if rep.Exception != "" && i == rep.ExceptionAfter {
			es.exception(rep.Exception)
			return
		}
		if i > 0 && !s.pause(r, rep.TokenDelay) {
			return
		}
		es.event("contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]string{"text": tok}, "p": "abcd"})
	}
	if rep.Cut {
		hangUp(w)
		return
	}
	if rep.Exception != "" {
		es.exception(rep.Exception)
		return
	}
	es.event("contentBlockStop", map[string]any{"contentBlockIndex": 0, "p": "abcdefgh"})
	es.event("messageStop", map[string]any{"stopReason": stop, "p": "abcdefghijklmnop"})
	es.event("metadata", map[string]any{"usage": use, "metrics": map[string]int{"latencyMs": int(rep.Latency.Milliseconds())}, "p": "abc"})
}

// stream writes event-stream messages and flushes each, as Bedrock sends them.
type stream struct {
	w   http.ResponseWriter
	enc *eventstream.Encoder
}

func (s *stream) write(headers eventstream.Headers, payload any) {
	b, _ := json.Marshal(payload)
	var buf bytes.Buffer
	if err := s.enc.Encode(&buf, eventstream.Message{Headers: headers, Payload: b}); err != nil {
		panic(err)
	}
	s.w.Write(buf.Bytes())
	s.w.(http.Flusher).Flush()
}

func (s *stream) event(eventType string, payload any) {
	s.write(eventstream.Headers{
		{Name: ":event-type", Value: eventstream.StringValue(eventType)},
		{Name: ":content-type", Value: eventstream.StringValue("application/json")},
		{Name: ":message-type", Value: eventstream.StringValue("event")},
	}, payload)
}

func (s *stream) exception(exceptionType string) {
	payload := map[string]any{"message": messages[exceptionType]}
	if exceptionType == "modelStreamErrorException" {
		payload["originalStatusCode"] = 500
		payload["originalMessage"] = "model worker stopped"
	}
	s.write(eventstream.Headers{
		{Name: ":exception-type", Value: eventstream.StringValue(exceptionType)},
		{Name: ":content-type", Value: eventstream.StringValue("application/json")},
		{Name: ":message-type", Value: eventstream.StringValue("exception")},
	}, payload)
}

// messages are what Bedrock says with each error.
var messages = map[string]string{
	"ThrottlingException":           "Too many requests, please wait before trying again.",
	"throttlingException":           "Too many tokens, please wait before trying again.",
	"ServiceUnavailableException":   "Bedrock is unable to process your request.",
	"serviceUnavailableException":   "Bedrock is unable to process your request.",
	"ModelNotReadyException":        "Model is not ready to serve inference requests. The model may still be loading.",
	"InternalServerException":       "The system encountered an unexpected error during processing. Try your request again.",
	"internalServerException":       "The system encountered an unexpected error during processing. Try your request again.",
	"modelStreamErrorException":     "An error occurred while streaming the response. Retry your request.",
	"validationException":           "The model returned the following errors: stream validation failed",
	"AccessDeniedException":         "You don't have access to the model with the specified model ID.",
	"ValidationException":           "The provided model identifier is invalid.",
	"ResourceNotFoundException":     "Model not found.",
	"ModelTimeoutException":         "Model has timed out in processing the request.",
	"ServiceQuotaExceededException": "Your request exceeds the service quota for your account.",
	"ExpiredTokenException":         "The security token included in the request is expired",
	"UnrecognizedClientException":   "The security token included in the request is invalid.",
}

// awsError answers as a restJson1 AWS service does: the type in X-Amzn-ErrorType (with
// Bedrock's namespace suffix) and {"message": ...} in the body.
func awsError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("X-Amzn-ErrorType", fmt.Sprintf("%s:http://internal.amazon.com/coral/com.amazon.bedrock/", typ))
	w.Header().Set("X-Amzn-Requestid", "fake-request")
	writeJSON(w, status, map[string]string{"message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// hangUp drops the connection without ending the response.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
