package awstest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"syscall"
)

// CutTransport is an HTTP transport for clients of the server that cuts
// the connection after the server has acted: for the first Times requests
// of Action (every one when Times is 0), it sends the request, lets the
// server answer (so a write takes effect), throws the answer away and
// returns a connection-reset error, as when a connection drops between
// the server's change and its answer. A client then cannot tell whether
// its call took effect.
type CutTransport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Action is the operation to cut (AuthorizeSecurityGroupIngress).
	Action string
	// Times is how many calls are cut; 0 means every one.
	Times int

	mu   sync.Mutex
	hits int
}

// RoundTrip implements http.RoundTripper.
func (t *CutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if req.Body == nil {
		return base.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	if form.Get("Action") != t.Action || !t.take() {
		return base.RoundTrip(req)
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

func (t *CutTransport) take() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.Times > 0 && t.hits >= t.Times {
		return false
	}
	t.hits++
	return true
}

// Hits returns how many calls were cut.
func (t *CutTransport) Hits() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hits
}
