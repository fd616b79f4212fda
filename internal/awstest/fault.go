package awstest

import (
	"net/http"
	"time"
)

// FaultKind is a kind of failure the server can inject.
type FaultKind uint8

// The faults the server injects.
const (
	// NoFault is the zero FaultKind.
	NoFault FaultKind = iota
	// Throttle answers the service's throttling error: EC2's
	// RequestLimitExceeded (HTTP 503), IAM's and STS's Throttling,
	// Organizations' TooManyRequestsException.
	Throttle
	// InternalError answers HTTP 500.
	InternalError
	// Unavailable answers HTTP 503.
	Unavailable
	// Slow waits Fault.Delay before answering normally; a client that
	// gives up first sees a timeout.
	Slow
	// Reset closes the connection with an RST before answering.
	Reset
	// Deny answers the service's access-denied error: EC2's
	// UnauthorizedOperation, IAM's and STS's AccessDenied,
	// Organizations' AccessDeniedException.
	Deny
)

var faultNames = [...]string{"none", "throttle", "internal-error", "unavailable", "slow", "reset", "deny"}

// String returns the fault's name.
func (k FaultKind) String() string {
	if int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "unknown"
}

// Fault says which requests fail and how. Empty fields match anything.
type Fault struct {
	// Account is the caller's account (for sts:AssumeRole, the account of
	// the role).
	Account string
	// Region is the region of the request's credential scope.
	Region string
	// Service is the signing name: ec2, iam, sts or organizations.
	Service string
	// Action is the operation (DescribeVpcs).
	Action string
	// Kind is what happens.
	Kind FaultKind
	// Times is how many matching requests fail; 0 means every one.
	Times int
	// Delay is how long a Slow fault waits.
	Delay time.Duration

	hits int
}

// AddFault adds a fault. The first fault (in the order added) that matches
// a request and has hits left is injected.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.hits = 0
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (f *Fault) matches(service, action, account, region string) bool {
	switch {
	case f.Times > 0 && f.hits >= f.Times:
		return false
	case f.Service != "" && f.Service != service:
		return false
	case f.Action != "" && f.Action != action:
		return false
	case f.Account != "" && f.Account != account:
		return false
	case f.Region != "" && f.Region != region:
		return false
	}
	return true
}

// inject applies f; it reports whether the request is answered.
func (s *Server) inject(w http.ResponseWriter, req *request, f *Fault) bool {
	switch f.Kind {
	case Slow:
		return !sleep(req.http.Context(), f.Delay)
	case Reset:
		resetConnection(w)
		return true
	case Throttle:
		writeError(w, req, throttleError(req.service))
		return true
	case InternalError:
		writeError(w, req, &APIError{Status: http.StatusInternalServerError, Code: internalCode(req.service), Message: "We encountered an internal error. Please try again."})
		return true
	case Unavailable:
		writeError(w, req, &APIError{Status: http.StatusServiceUnavailable, Code: unavailableCode(req.service), Message: "The service is unavailable. Please try again shortly."})
		return true
	case Deny:
		writeError(w, req, denyError(req))
		return true
	}
	return false
}

func throttleError(service string) *APIError {
	switch service {
	case "ec2":
		return &APIError{Status: http.StatusServiceUnavailable, Code: "RequestLimitExceeded", Message: "Request limit exceeded."}
	case "organizations":
		return &APIError{Status: http.StatusBadRequest, Code: "TooManyRequestsException", Message: "You have sent too many requests in too short a period of time."}
	}
	return &APIError{Status: http.StatusBadRequest, Code: "Throttling", Message: "Rate exceeded"}
}

func internalCode(service string) string {
	switch service {
	case "ec2":
		return "InternalError"
	case "iam":
		return "ServiceFailure"
	case "organizations":
		return "ServiceException"
	}
	return "InternalFailure"
}

func unavailableCode(service string) string {
	switch service {
	case "ec2":
		return "Unavailable"
	case "organizations":
		return "ServiceException"
	}
	return "ServiceUnavailable"
}

// denyError is the access-denied answer of the request's service.
func denyError(req *request) *APIError {
	switch req.service {
	case "ec2":
		return &APIError{Status: http.StatusForbidden, Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}
	case "organizations":
		return &APIError{Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "You don't have permissions to access this resource."}
	}
	resource := "*"
	if req.action == "AssumeRole" {
		resource = req.form.Get("RoleArn")
	}
	return &APIError{Status: http.StatusForbidden, Code: "AccessDenied",
		Message: "User: " + req.arn + " is not authorized to perform: " +
			req.service + ":" + req.action + " on resource: " + resource}
}
