package s3test

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Server serves objects of one or more buckets on 127.0.0.1.
type Server struct {
	// URL is the endpoint, such as http://127.0.0.1:40123.
	URL string

	srv      *httptest.Server
	pageSize int

	mu      sync.Mutex
	objects map[string]map[string][]byte
	// Requests counts the requests served, by operation.
	requests map[string]int
}

// New starts a server holding objects (bucket → key → content) that lists
// pageSize keys per page, and stops it when the test ends.
func New(t testing.TB, pageSize int, objects map[string]map[string][]byte) *Server {
	s := &Server{pageSize: pageSize, objects: objects, requests: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Requests returns how many requests of an operation ("ListObjectsV2",
// "GetObject") the server answered.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

func (s *Server) count(op string) {
	s.mu.Lock()
	s.requests[op]++
	s.mu.Unlock()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		s.fail(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "only GET")
		return
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	s.mu.Lock()
	objs, ok := s.objects[bucket]
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	if key == "" && r.URL.Query().Get("list-type") == "2" {
		s.count("ListObjectsV2")
		s.list(w, r, bucket, objs)
		return
	}
	s.count("GetObject")
	body, ok := objs[key]
	if !ok {
		s.fail(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(body)
}

type listResult struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	Name                  string
	Prefix                string
	KeyCount              int
	MaxKeys               int
	IsTruncated           bool
	ContinuationToken     string    `xml:",omitempty"`
	NextContinuationToken string    `xml:",omitempty"`
	Contents              []content `xml:"Contents"`
}

type content struct {
	Key  string
	Size int
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, bucket string, objs map[string][]byte) {
	q := r.URL.Query()
	prefix, token := q.Get("prefix"), q.Get("continuation-token")
	var keys []string
	for k := range objs {
		if strings.HasPrefix(k, prefix) && k > token {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	res := listResult{Name: bucket, Prefix: prefix, MaxKeys: s.pageSize, ContinuationToken: token}
	if len(keys) > s.pageSize {
		keys = keys[:s.pageSize]
		res.IsTruncated = true
		res.NextContinuationToken = keys[len(keys)-1]
	}
	for _, k := range keys {
		res.Contents = append(res.Contents, content{Key: k, Size: len(objs[k])})
	}
	res.KeyCount = len(keys)
	w.Header().Set("Content-Type", "application/xml")
	w.Write([]byte(xml.Header))
	xml.NewEncoder(w).Encode(res)
}

type errorBody struct {
	XMLName xml.Name `xml:"Error"`
	Code    string
	Message string
}

func (s *Server) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	xml.NewEncoder(w).Encode(errorBody{Code: code, Message: msg})
}
