package awstest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The static base credentials. Requests signed with them act as
// [Options.BaseAccount]; AssumeRole hands out other keys.
const (
	AccessKeyID     = "AKIDAWSTESTBASE"
	SecretAccessKey = "awstest-secret"
)

// DefaultBaseAccount is the account of the base credentials when
// [Options.BaseAccount] is empty; it is also the organization's management
// account.
const DefaultBaseAccount = "100000000000"

// Options configure a [Server].
type Options struct {
	// BaseAccount is the account that the base credentials belong to.
	BaseAccount string
	// Latency is added before every answer.
	Latency time.Duration
	// PageSize, when positive, caps every page below what MaxResults asks
	// for, so that tests exercise pagination on small fixtures.
	PageSize int
}

// Call is one request the server received.
type Call struct {
	// Service is the SigV4 signing name: ec2, iam, sts or organizations.
	Service string
	// Action is the operation name (DescribeVpcs).
	Action string
	// Account is the caller's account; for sts:AssumeRole, the target's.
	Account string
	// Region is the region of the credential scope.
	Region string
	// Fault is the fault injected into this call, if any.
	Fault FaultKind
}

// Server is a local AWS endpoint on 127.0.0.1. Its state and faults may be
// changed while it serves; every method is safe for concurrent use.
type Server struct {
	// URL is the base endpoint, http://127.0.0.1:PORT.
	URL string

	srv  *httptest.Server
	opts Options

	mu       sync.Mutex
	accounts map[string]*Account
	keys     map[string]principal // by access key ID
	faults   []*Fault
	calls    []Call
	ec2      map[string]EC2Handler
	nextKey  atomic.Int64
	requests atomic.Int64
}

// NewServer starts a server and stops it when the test ends. It starts
// with the base account and no other, and with handlers for every EC2
// action the collector calls.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := newServer(opts)
	t.Cleanup(s.Close)
	return s
}

// newServer starts a server that the caller must Close.
func newServer(opts Options) *Server {
	if opts.BaseAccount == "" {
		opts.BaseAccount = DefaultBaseAccount
	}
	s := &Server{
		opts:     opts,
		accounts: map[string]*Account{},
		keys:     map[string]principal{AccessKeyID: {account: opts.BaseAccount, arn: "arn:aws:iam::" + opts.BaseAccount + ":user/awstest"}},
		ec2:      map[string]EC2Handler{},
	}
	s.AddAccount(opts.BaseAccount)
	registerEC2Reads(s)
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.srv.Config.ReadHeaderTimeout = 10 * time.Second
	s.srv.Start()
	s.URL = s.srv.URL
	return s
}

// Close stops the server and ends its connections.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// BaseAccount returns the account of the base credentials.
func (s *Server) BaseAccount() string { return s.opts.BaseAccount }

// AddAccount adds an account with no region and no IAM entity, or returns
// the account when it exists. Accounts are members of the organization
// that [Server.BaseAccount] manages, in state ACTIVE unless changed.
func (s *Server) AddAccount(id string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[id]; ok {
		return a
	}
	a := &Account{ID: id, Name: "account-" + id, State: "ACTIVE", regions: map[string]*Region{}, iam: &IAM{}}
	s.accounts[id] = a
	return a
}

// Account returns an account, or nil.
func (s *Server) Account(id string) *Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[id]
}

// sortedAccounts returns the accounts by ID.
func (s *Server) sortedAccounts() []*Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Account, 0, len(s.accounts))
	for _, a := range s.accounts {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *Account) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Calls returns the requests received so far, in order of arrival.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Requests returns how many requests the server received.
func (s *Server) Requests() int64 { return s.requests.Load() }

// principal is who holds an access key.
type principal struct {
	account string
	// arn is the caller's ARN: a user, or an assumed role's session.
	arn string
}

// request is one parsed request.
type request struct {
	service string
	action  string
	region  string
	keyID   string
	account string
	arn     string
	form    url.Values      // query protocols
	body    json.RawMessage // JSON protocol
	http    *http.Request
}

func (s *Server) serveHTTP(w http.ResponseWriter, hr *http.Request) {
	s.requests.Add(1)
	req, apiErr := s.parse(hr)
	if apiErr != nil {
		writeError(w, req, apiErr)
		return
	}
	f := s.record(req)
	if !sleep(hr.Context(), s.opts.Latency) {
		return
	}
	if f != nil {
		if done := s.inject(w, req, f); done {
			return
		}
	}
	s.dispatch(w, req)
}

// parse reads the signing scope, the action and the parameters.
func (s *Server) parse(hr *http.Request) (*request, *APIError) {
	req := &request{http: hr}
	keyID, region, service, ok := credentialScope(hr.Header.Get("Authorization"))
	if !ok {
		return req, &APIError{Status: http.StatusForbidden, Code: "MissingAuthenticationToken", Message: "Request is missing Authentication Token"}
	}
	req.keyID, req.region, req.service = keyID, region, service
	body, err := io.ReadAll(io.LimitReader(hr.Body, 10<<20))
	if err != nil {
		return req, &APIError{Status: http.StatusBadRequest, Code: "MalformedQueryString", Message: err.Error()}
	}
	if service == "organizations" {
		target := hr.Header.Get("X-Amz-Target")
		_, req.action, _ = strings.Cut(target, ".")
		req.body = body
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return req, &APIError{Status: http.StatusBadRequest, Code: "MalformedQueryString", Message: err.Error()}
		}
		req.form = form
		req.action = form.Get("Action")
	}
	s.mu.Lock()
	who := s.keys[keyID]
	s.mu.Unlock()
	req.account, req.arn = who.account, who.arn
	if req.account == "" {
		return req, authError(service)
	}
	return req, nil
}

// authError is what each service answers to an unknown access key.
func authError(service string) *APIError {
	switch service {
	case "ec2":
		return &APIError{Status: http.StatusUnauthorized, Code: "AuthFailure", Message: "AWS was not able to validate the provided access credentials"}
	case "organizations":
		return &APIError{Status: http.StatusBadRequest, Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
	}
	return &APIError{Status: http.StatusForbidden, Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}
}

// credentialScope reads "Credential=KEY/DATE/REGION/SERVICE/aws4_request"
// from a SigV4 Authorization header.
func credentialScope(auth string) (keyID, region, service string, ok bool) {
	_, rest, found := strings.Cut(auth, "Credential=")
	if !found {
		return "", "", "", false
	}
	scope, _, _ := strings.Cut(rest, ",")
	parts := strings.Split(strings.TrimSpace(scope), "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return "", "", "", false
	}
	return parts[0], parts[2], parts[3], true
}

// record logs the call and picks the fault to inject, if any.
func (s *Server) record(req *request) *Fault {
	account := req.account
	if req.service == "sts" && req.action == "AssumeRole" {
		account = arnAccount(req.form.Get("RoleArn"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var hit *Fault
	for _, f := range s.faults {
		if f.matches(req.service, req.action, account, req.region) {
			hit = f
			f.hits++
			break
		}
	}
	c := Call{Service: req.service, Action: req.action, Account: account, Region: req.region}
	if hit != nil {
		c.Fault = hit.Kind
	}
	s.calls = append(s.calls, c)
	return hit
}

// dispatch answers a request that no fault stopped.
func (s *Server) dispatch(w http.ResponseWriter, req *request) {
	switch req.service {
	case "ec2":
		s.serveEC2(w, req)
	case "iam":
		s.serveIAM(w, req)
	case "sts":
		s.serveSTS(w, req)
	case "organizations":
		s.serveOrganizations(w, req)
	default:
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "UnknownService", Message: "awstest does not serve " + req.service})
	}
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// resetConnection closes the connection under w with an RST, as a
// middlebox dropping it would.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}

// arnAccount returns the account field of an ARN.
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// requestID returns a request ID in the shape AWS uses.
func (s *Server) requestID() string {
	n := s.nextKey.Add(1)
	return "00000000-0000-4000-8000-" + pad12(n)
}

func pad12(n int64) string {
	return fmt.Sprintf("%012d", n%1e12)
}

// Config returns an SDK configuration for the base credentials in region,
// pointed at the server, with one attempt per call (so that tests see the
// faults they inject). Its static credentials keep the SDK from looking for
// others, the instance metadata service included. Tests may change any
// field.
func (s *Server) Config(region string) aws.Config {
	return aws.Config{
		Region:           region,
		Credentials:      credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint:     aws.String(s.URL),
		RetryMaxAttempts: 1,
	}
}
