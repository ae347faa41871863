// Package npcapifake replays the team's deployed text and RAG endpoints (CLOUD.md) for
// tests: every reply shape the guidance's Lambdas and API Gateway give, byte for byte as
// Python's json.dumps and API Gateway write them, errors sent as HTTP 200 included.
package npcapifake

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/llm/internal/fakecore"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
	"unicode/utf16"
)

// Server is a running fake. Any path answers; TextURL and RAGURL give the two endpoints
// distinct paths so tests can tell which one was called.
type Server struct {
	*httptest.Server

	fakecore.Core[Reply, Request]
}

// Request is what the fake received.
type Request struct {
	Path string
	Body []byte
}

// Reply is one scripted answer.
type Reply struct {
	Status  int // 200 unless set
	Body    string
	Latency time.Duration
	// Hang never answers: the handler returns when the client gives up.
	Hang bool
}

// New starts a fake on 127.0.0.1.
func New() *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// TextURL and RAGURL are the endpoint URLs a provider would hold.
func (s *Server) TextURL() string { return s.URL + "/prod/text" }
func (s *Server) RAGURL() string  { return s.URL + "/prod/rag" }

// Close lets hanging handlers go, then stops the server.
func (s *Server) Close() {
	s.Release()
	s.Server.Close()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.Record(Request{Path: r.URL.Path, Body: body})
	// The zero Default makes the fake behave as the text Lambda does: it answers the
	// question, with speech.
	rep, queued := s.Next()
	scripted := queued || rep != (Reply{})
	if !scripted {
		rep = lambda(body)
	}
	if rep.Latency > 0 {
		t := time.NewTimer(rep.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.Closed():
			return
		}
	}
	if rep.Hang {
		select {
		case <-r.Context().Done():
		case <-s.Closed():
		}
		return
	}
	status := rep.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Requestid", "fake-request")
	w.WriteHeader(status)
	io.WriteString(w, rep.Body)
}

// lambda answers as the text Lambda does: a body that is not JSON crashes it (502 from
// API Gateway), a missing question is an error sent with HTTP 200, and a question gets
// an answer with speech.
func lambda(body []byte) Reply {
	var q map[string]any
	if json.Unmarshal(body, &q) != nil {
		return BadGateway()
	}
	question, ok := q["question"].(string)
	if !ok {
		return LambdaError("question missing in payload")
	}
	return AnswerWithSpeech("You asked: " + question)
}

// Answer is a reply with text only, as the RAG Lambda gives.
func Answer(text string) Reply {
	return Reply{Body: fmt.Sprintf(`{"response": %s}`, pyString(text))}
}

// AnswerWithSpeech is the text Lambda's reply: the answer, its speech as base64 PCM
// (s16le, mono, 16 kHz) and its viseme marks as base64 newline-delimited JSON.
func AnswerWithSpeech(text string) Reply {
	return Reply{Body: fmt.Sprintf(`{"response": %s, "speech_info": {"sound_status": "ok", "sound_response": %s, "viseme_status": "ok", "viseme_response": %s}}`,
		pyString(text), pyString(base64.StdEncoding.EncodeToString(Sound)), pyString(base64.StdEncoding.EncodeToString(Visemes)))}
}

// SpeechFailed is the text Lambda's reply when Polly failed: the answer without sound.
func SpeechFailed(text string) Reply {
	return Reply{Body: fmt.Sprintf(`{"response": %s, "speech_info": {"sound_status": "error", "sound_error": "Audio Exception: ThrottlingException Message: Rate exceeded", "viseme_status": "ok", "viseme_response": %s}}`,
		pyString(text), pyString(base64.StdEncoding.EncodeToString(Visemes)))}
}

// LambdaError is a Lambda's own error, sent with HTTP 200.
func LambdaError(msg string) Reply {
	return Reply{Body: fmt.Sprintf(`{"status": "error", "message": %s}`, pyString(msg))}
}

// NotHydratedMessage is what the RAG Lambda says when the lore index does not exist yet.
const NotHydratedMessage = "The vector store is not yet hydrated, and cannot be queried for context. Please contact your System Administrator to ingest RAG data."

// NotHydrated is the RAG Lambda's reply before any lore was pushed: its own error reply,
// a whole Lambda proxy response, nested as the "response" object.
func NotHydrated() Reply {
	inner := fmt.Sprintf(`{"status": "error", "message": %s}`, pyString(NotHydratedMessage))
	return Reply{Body: fmt.Sprintf(`{"response": {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": %s}}`, pyString(inner))}
}

// NullResponse is a reply whose model answer could not be read (the Lambda's
// response_body.get("completion") was None).
func NullResponse() Reply { return Reply{Body: `{"response": null}`} }

// BadGateway is API Gateway's reply when the Lambda crashed, e.g. on a body it could not parse.
func BadGateway() Reply {
	return Reply{Status: http.StatusBadGateway, Body: `{"message": "Internal server error"}`}
}

// GatewayTimeout is API Gateway's reply when the Lambda ran past its 29 s limit.
func GatewayTimeout() Reply {
	return Reply{Status: http.StatusGatewayTimeout, Body: `{"message": "Endpoint request timed out"}`}
}

// Throttled is API Gateway's reply when its rate limit is hit.
func Throttled() Reply {
	return Reply{Status: http.StatusTooManyRequests, Body: `{"message":"Too Many Requests"}`}
}

// Sound is the speech every fake answer carries: 100 ms of a 440 Hz tone, PCM s16le
// mono 16 kHz (3200 bytes).
var Sound = func() []byte {
	var b bytes.Buffer
	for i := range 1600 {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/16000))
		binary.Write(&b, binary.LittleEndian, v)
	}
	return b.Bytes()
}()

// Visemes are Polly viseme marks for Sound, one JSON object a line (5 marks).
var Visemes = []byte(`{"time":6,"type":"viseme","value":"sil"}
{"time":19,"type":"viseme","value":"k"}
{"time":44,"type":"viseme","value":"a"}
{"time":70,"type":"viseme","value":"t"}
{"time":95,"type":"viseme","value":"sil"}
`)

// pyString writes s as Python's json.dumps does: ASCII only, \uXXXX for the rest.
func pyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r >= 0x7f && r < 0x10000):
			fmt.Fprintf(&b, `\u%04x`, r)
		case r >= 0x10000:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
