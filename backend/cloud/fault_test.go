package cloud

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
)

// cutProxy forwards TCP to a server until it is cut: then it stops listening and drops every
// connection, as a server that dies mid-upload does.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	t.Cleanup(p.cut)
	return p
}

func (p *cutProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *cutProxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// The S3 server going away mid-upload fails the push with a message saying what to do,
// leaves no object, and the push resumes once the server is back.
func TestS3GoneMidUploadThenResume(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	s3url, err := url.Parse(os.Getenv("AWS_ENDPOINT_URL_S3"))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCutProxy(t, s3url.Host)
	t.Setenv("AWS_ENDPOINT_URL_S3", proxy.url())
	c, err := NewClients(context.Background(), ld.Deployment, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data := payload(4, 4*MinPartSize)
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/cut.txt", data))
	if err != nil {
		t.Fatal(err)
	}
	tr := &Transfer{S3: c.S3, PartSize: MinPartSize, Concurrency: 1, OnPartSaved: func(n int32) {
		if n == 2 {
			proxy.cut()
		}
	}}
	_, err = ups.Push(context.Background(), tr, plan, false)
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("push to a server that went away: %v", err)
	}
	pending, _ := ups.Pending()
	if len(pending) != 1 || len(pending[0].Parts) != 2 {
		t.Fatalf("pending %+v", pending)
	}
	if ks := cloudtest.Keys(t, ld.Clients.S3, ld.Lore); len(ks) != 0 {
		t.Fatalf("objects %v after a failed push", ks)
	}
	// The server is back (reached directly).
	up, err := ups.Resume(context.Background(), &Transfer{S3: ld.Clients.S3}, pending[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, "lore/cut.txt"); sha(got) != sha(data) || up.Status != StatusDone {
		t.Fatal("resumed object differs")
	}
}

// Wrong credentials and a missing bucket give messages that say what to do.
func TestCredentialAndBucketErrorsSayWhatToDo(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore+"-gone", "lore/x.txt", []byte("lore")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ups.Push(context.Background(), &Transfer{S3: ld.Clients.S3}, plan, false)
	if err == nil || !strings.Contains(err.Error(), "the bucket does not exist") || !strings.Contains(err.Error(), "cloud status") {
		t.Fatalf("push to a missing bucket: %v", err)
	}

	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
	c, err := NewClients(context.Background(), ld.Deployment, ClientOptions{HTTPClient: http.DefaultClient})
	if err != nil {
		t.Fatal(err)
	}
	plan, err = ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/y.txt", []byte("lore")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ups.Push(context.Background(), &Transfer{S3: c.S3}, plan, false)
	if err == nil || !strings.Contains(err.Error(), "credentials are expired or wrong") || !strings.Contains(err.Error(), "sign in again") {
		t.Fatalf("push with a wrong secret: %v", err)
	}
	st, err := Discover(context.Background(), c, ld.Deployment)
	if err != nil {
		t.Fatal(err)
	}
	if st.LoreBucket != "" || st.Missing == 0 {
		t.Fatalf("buckets found with a wrong secret: %+v", st)
	}
	for _, f := range st.Findings {
		if strings.HasPrefix(f.What, "lore bucket") && !strings.Contains(f.Detail, "access denied") && !strings.Contains(f.Detail, "credentials") {
			t.Errorf("lore bucket with a wrong secret: %q", f.Detail)
		}
	}
}

// The S3 server itself stops mid-upload (killed), then comes back on the same data: the push
// fails saying what to do, nothing is triggered, and the resume finishes the same upload
// without sending the recorded parts again.
func TestS3ServerStopsMidUploadThenResume(t *testing.T) {
	m := cloudtest.StartMinIO(t)
	l := cloudtest.Deploy(t)
	ld := connectLocal(t, l)
	c, d := ld.Clients, ld.Deployment
	ups := NewUploads(openStore(t))
	data := payload(9, 5*MinPartSize)
	plan, err := ups.Stage(context.Background(), rawRequest(ld, l.LoreBucket, "lore/stopped.txt", data))
	if err != nil {
		t.Fatal(err)
	}
	tr := &Transfer{S3: c.S3, PartSize: MinPartSize, Concurrency: 1, OnPartSaved: func(n int32) {
		if n == 2 {
			m.Stop()
		}
	}}
	_, err = ups.Push(context.Background(), tr, plan, false)
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("push while the server stopped: %v", err)
	}
	pending, _ := ups.Pending()
	if len(pending) != 1 || len(pending[0].Parts) != 2 {
		t.Fatalf("pending %+v", pending)
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ks := l.Keys(t, l.LoreBucket); len(ks) != 0 {
		t.Fatalf("objects %v after the server stopped mid-upload", ks)
	}
	log := &partLog{base: http.DefaultClient}
	c2, err := NewClients(context.Background(), d, ClientOptions{HTTPClient: log})
	if err != nil {
		t.Fatal(err)
	}
	up, err := ups.Resume(context.Background(), &Transfer{S3: c2.S3, Concurrency: 2}, pending[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if up.UploadID != pending[0].UploadID {
		t.Errorf("the resume started a new upload (%s, was %s)", up.UploadID, pending[0].UploadID)
	}
	if sent := sorted(log.sent()); !slices.Equal(sent, []int{3, 4, 5}) {
		t.Errorf("resume sent parts %v, want 3, 4 and 5", sent)
	}
	if got := l.Get(t, l.LoreBucket, "lore/stopped.txt"); sha(got) != sha(data) {
		t.Fatal("the object differs from the file")
	}
}
