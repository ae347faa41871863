package llm

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/retryafter"
)

// Endpoints of the deployed API, as Request.Model or the provider's Model names them.
const (
	EndpointText = "text"
	EndpointRAG  = "rag"
)

// maxReplyBytes bounds a deployed API reply; a spoken answer of a minute is about 2.6 MB.
const maxReplyBytes = 32 << 20

// npcAPIProvider calls the team's deployed text and RAG endpoints (CLOUD.md). They are
// single-turn and stateless, with the persona fixed at deploy time: Chat sends only the
// last user message as the question. The system text and the earlier messages are not
// sent, and no sampling parameter reaches the model.
type npcAPIProvider struct {
	*caller
	p provider.Provider
}

func newNPCAPI(c *caller, p provider.Provider) (*npcAPIProvider, error) {
	if p.TextURL == "" && p.RAGURL == "" {
		return nil, &Error{Code: CodeBadRequest, Provider: p.Name, Kind: p.Kind, Model: p.Model,
			Msg: "no endpoint URL: set the text URL (stack output TextApiEndpointUrl), the RAG URL (RagApiEndpointUrl), or both"}
	}
	return &npcAPIProvider{caller: c, p: p}, nil
}

func (n *npcAPIProvider) Chat(ctx context.Context, req Request, onChunk func(Chunk) error) (Result, error) {
	endpoint := req.Model
	if endpoint == "" {
		endpoint = n.p.Model
	}
	if endpoint == "" {
		endpoint = EndpointText
		if n.p.TextURL == "" {
			endpoint = EndpointRAG
		}
	}
	url, known := map[string]string{EndpointText: n.p.TextURL, EndpointRAG: n.p.RAGURL}[endpoint]
	if !known {
		return Result{Model: endpoint}, &Error{Code: CodeBadRequest, Provider: n.name, Kind: n.kind, Model: endpoint,
			Msg: fmt.Sprintf("the deployed API has no %q endpoint: pick %q or %q", endpoint, EndpointText, EndpointRAG)}
	}
	if url == "" {
		return Result{Model: endpoint}, &Error{Code: CodeBadRequest, Provider: n.name, Kind: n.kind, Model: endpoint,
			Msg: fmt.Sprintf("no URL for the %q endpoint: set it in the provider", endpoint)}
	}
	q := struct {
		Question    string `json:"question"`
		VoiceID     string `json:"voice_id,omitempty"`
		VoiceEngine string `json:"voice_engine,omitempty"`
	}{}
	if len(req.Messages) > 0 {
		q.Question = req.Messages[len(req.Messages)-1].Text
	}
	if req.Voice != nil {
		q.VoiceID, q.VoiceEngine = req.Voice.ID, req.Voice.Engine
	}
	body, err := json.Marshal(q)
	if err != nil {
		return Result{Model: endpoint}, err
	}
	return n.run(ctx, req, endpoint, onChunk, func(ctx context.Context, emit func(string) error) (Result, error) {
		hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return Result{}, failure(CodeBadRequest, false, err, "%q is not a usable URL: %v", url, err)
		}
		hreq.Header.Set("Content-Type", "application/json")
		resp, err := n.opts.HTTPClient.Do(hreq)
		if err != nil {
			var netErr net.Error
			if errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return Result{}, failure(CodeUnavailable, true, err, "cannot reach %s: %v", url, err)
			}
			return Result{}, failure(CodeUnavailable, false, err, "%v", err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
		if err != nil {
			return Result{}, failure(CodeUnavailable, true, err, "the reply broke off: %v", err)
		}
		if len(raw) > maxReplyBytes {
			return Result{}, failure(CodeUnavailable, false, nil, "the reply is larger than %d MB", maxReplyBytes>>20)
		}
		if resp.StatusCode != http.StatusOK {
			return Result{}, n.statusFailure(resp, raw)
		}
		text, speech, ferr := decodeNPCReply(raw)
		if ferr != nil {
			return Result{}, ferr
		}
		return Result{StopReason: StopEnd, Speech: speech}, emit(text)
	})
}

// statusFailure explains a non-200 reply, most of them API Gateway's own.
func (n *npcAPIProvider) statusFailure(resp *http.Response, raw []byte) *Error {
	msg := gatewayMessage(raw)
	var e *Error
	switch s := resp.StatusCode; {
	case s == http.StatusGatewayTimeout:
		e = failure(CodeTimeout, false, nil, "the deployed endpoint timed out at API Gateway's 29 s limit (HTTP 504: %s): the model or the lore search took too long; try again, or check the Lambda's logs", msg)
	case s == http.StatusBadGateway:
		e = failure(CodeUnavailable, true, nil, "the endpoint's Lambda failed (HTTP 502: %s): it crashed or could not read the request body; its CloudWatch logs say why", msg)
	case s == http.StatusTooManyRequests:
		e = failure(CodeRateLimited, true, nil, "API Gateway is throttling requests (HTTP 429: %s)", msg)
	case s == http.StatusForbidden || s == http.StatusNotFound:
		e = failure(CodeBadRequest, false, nil, "HTTP %d (%s): is the URL the stack output (TextApiEndpointUrl or RagApiEndpointUrl)?", s, msg)
	case s >= 500:
		e = failure(CodeUnavailable, true, nil, "the endpoint failed (HTTP %d: %s)", s, msg)
	default:
		e = failure(CodeBadRequest, false, nil, "the endpoint refused the request (HTTP %d: %s)", s, msg)
	}
	e.Status, e.RetryAfter = resp.StatusCode, retryafter.Parse(resp.Header, n.opts.Now())
	return e
}

// gatewayMessage reads API Gateway's {"message": ...} error body, or shows the start of
// whatever else came.
func gatewayMessage(raw []byte) string {
	var m struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &m) == nil && m.Message != "" {
		return m.Message
	}
	return snippet(raw)
}

func snippet(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "empty body"
	}
	return s
}

// npcReply is every shape a deployed endpoint answers with HTTP 200.
type npcReply struct {
	Response   json.RawMessage `json:"response"`
	SpeechInfo *speechInfo     `json:"speech_info"`
	// The Lambda's own errors: {"status": "error", "message": ...}.
	Status  string          `json:"status"`
	Message json.RawMessage `json:"message"`
}

type speechInfo struct {
	SoundStatus    string `json:"sound_status"`
	SoundResponse  string `json:"sound_response"`
	SoundError     string `json:"sound_error"`
	VisemeStatus   string `json:"viseme_status"`
	VisemeResponse string `json:"viseme_response"`
	VisemeError    string `json:"viseme_error"`
}

// decodeNPCReply reads a 200 reply into the answer and its speech.
func decodeNPCReply(raw []byte) (string, *Speech, *Error) {
	var r npcReply
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", nil, failure(CodeUnavailable, false, err, "the reply is not JSON (%s)", snippet(raw))
	}
	if r.Status == "error" {
		return "", nil, failure(CodeBadRequest, false, nil, "the endpoint answered with an error: %s", jsonText(r.Message))
	}
	switch resp := bytes.TrimSpace(r.Response); {
	case len(resp) == 0:
		return "", nil, failure(CodeUnavailable, false, nil, "the reply has no response (%s)", snippet(raw))
	case string(resp) == "null":
		return "", nil, failure(CodeUnavailable, false, nil, "the endpoint returned no answer (response is null): the model's reply could not be read; the Lambda's logs say why")
	case resp[0] == '{':
		return "", nil, nestedFailure(resp)
	case resp[0] != '"':
		return "", nil, failure(CodeUnavailable, false, nil, "the response is not text: %s", snippet(resp))
	}
	var text string
	if err := json.Unmarshal(r.Response, &text); err != nil {
		return "", nil, failure(CodeUnavailable, false, err, "the response is not text: %v", err)
	}
	return text, r.SpeechInfo.speech(), nil
}

// nestedFailure explains a response that is an object: the RAG Lambda puts its own
// error reply ({"statusCode", "headers", "body": "{\"status\": \"error\", ...}"}) inside
// the response when the lore index has not been hydrated.
func nestedFailure(resp json.RawMessage) *Error {
	var inner struct {
		Body string `json:"body"`
	}
	var body struct {
		Status  string          `json:"status"`
		Message json.RawMessage `json:"message"`
	}
	if json.Unmarshal(resp, &inner) == nil && json.Unmarshal([]byte(inner.Body), &body) == nil && len(body.Message) > 0 {
		msg := jsonText(body.Message)
		if strings.Contains(msg, "hydrated") {
			return failure(CodeUnavailable, false, nil, "the lore index is not hydrated yet, so the RAG endpoint cannot answer: push lore (a .txt file to the stage's lore bucket) and try again when the ingest job has finished (the endpoint said: %s)", msg)
		}
		return failure(CodeUnavailable, false, nil, "the endpoint answered with an error inside its response: %s", msg)
	}
	return failure(CodeUnavailable, false, nil, "the response is an object, not text (%s): if this is the RAG endpoint, the lore index may not be hydrated yet: push lore", snippet(resp))
}

// jsonText shows a JSON value: a string as its text, anything else as JSON.
func jsonText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return snippet(v)
}

// speech keeps the base64 as it came and measures it.
func (s *speechInfo) speech() *Speech {
	if s == nil {
		return nil
	}
	out := &Speech{Sound: s.SoundResponse, Visemes: s.VisemeResponse, SoundError: s.SoundError, VisemesError: s.VisemeError}
	if s.SoundStatus == "error" && out.SoundError == "" {
		out.SoundError = "the endpoint could not synthesise speech"
	}
	if s.VisemeStatus == "error" && out.VisemesError == "" {
		out.VisemesError = "the endpoint could not make viseme marks"
	}
	if s.SoundResponse != "" {
		n, err := io.Copy(io.Discard, base64.NewDecoder(base64.StdEncoding, strings.NewReader(s.SoundResponse)))
		if err != nil {
			out.Sound, out.SoundError = "", "sound_response is not valid base64"
		} else {
			// PCM s16le mono 16 kHz: 32 bytes a millisecond.
			out.SoundBytes, out.SoundMs = int(n), n/32
		}
	}
	if s.VisemeResponse != "" {
		marks, err := base64.StdEncoding.DecodeString(s.VisemeResponse)
		if err != nil {
			out.Visemes, out.VisemesError = "", "viseme_response is not valid base64"
			return out
		}
		for i, line := range bytes.Split(marks, []byte("\n")) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			if !json.Valid(line) {
				out.Visemes, out.VisemeMarks, out.VisemesError = "", 0, fmt.Sprintf("viseme mark %d is not JSON", i+1)
				break
			}
			out.VisemeMarks++
		}
	}
	return out
}
