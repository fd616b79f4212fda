package awstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// writeQuery writes a query-protocol answer (IAM, STS): the Result wrapper
// holding out's fields, and the ResponseMetadata.
func (s *Server) writeQuery(w http.ResponseWriter, req *request, out any, text func(reflect.Type, string, string) string) {
	e := &xmlEncoder{style: queryStyle, text: text}
	root := req.action + "Response"
	e.buf.WriteString("<" + root + ` xmlns="` + namespaces[req.service] + `">`)
	e.start(req.action + "Result")
	e.fields(reflect.ValueOf(out).Elem())
	e.end(req.action + "Result")
	e.start("ResponseMetadata")
	e.element("RequestId", s.requestID())
	e.end("ResponseMetadata")
	e.end(root)
	w.Header().Set("Content-Type", "text/xml")
	w.Write(e.buf.Bytes())
}

func (s *Server) serveIAM(w http.ResponseWriter, req *request) {
	if req.action != "GetAccountAuthorizationDetails" {
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "InvalidAction", Message: "Could not find operation " + req.action})
		return
	}
	details := s.Account(req.account).IAM()
	// One sequence of entities, paged by MaxItems as IAM pages them.
	type item struct {
		user   *iamtypes.UserDetail
		group  *iamtypes.GroupDetail
		role   *iamtypes.RoleDetail
		policy *iamtypes.ManagedPolicyDetail
	}
	var items []item
	for i := range details.Users {
		items = append(items, item{user: &details.Users[i]})
	}
	for i := range details.Groups {
		items = append(items, item{group: &details.Groups[i]})
	}
	for i := range details.Roles {
		items = append(items, item{role: &details.Roles[i]})
	}
	for i := range details.Policies {
		items = append(items, item{policy: &details.Policies[i]})
	}
	size := 100
	if v := req.form.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "ValidationError", Message: "1 validation error detected: Value '" + v + "' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000"})
			return
		}
		size = n
	}
	if s.opts.PageSize > 0 {
		size = min(size, s.opts.PageSize)
	}
	start := 0
	if m := req.form.Get("Marker"); m != "" {
		n, ok := parseToken(req.action, m)
		if !ok || n > len(items) {
			writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "ValidationError", Message: "Invalid Marker"})
			return
		}
		start = n
	}
	end := min(start+size, len(items))
	out := &iam.GetAccountAuthorizationDetailsOutput{
		UserDetailList:  []iamtypes.UserDetail{},
		GroupDetailList: []iamtypes.GroupDetail{},
		RoleDetailList:  []iamtypes.RoleDetail{},
		Policies:        []iamtypes.ManagedPolicyDetail{},
	}
	for _, it := range items[start:end] {
		switch {
		case it.user != nil:
			out.UserDetailList = append(out.UserDetailList, *it.user)
		case it.group != nil:
			out.GroupDetailList = append(out.GroupDetailList, *it.group)
		case it.role != nil:
			out.RoleDetailList = append(out.RoleDetailList, *it.role)
		default:
			out.Policies = append(out.Policies, *it.policy)
		}
	}
	if end < len(items) {
		out.IsTruncated = true
		out.Marker = aws.String(makeToken(req.action, end))
	}
	s.writeQuery(w, req, out, func(_ reflect.Type, field, v string) string {
		if isPolicyDocument(field) {
			return encodeRFC3986(v)
		}
		return v
	})
}

func (s *Server) serveSTS(w http.ResponseWriter, req *request) {
	switch req.action {
	case "GetCallerIdentity":
		s.writeQuery(w, req, &sts.GetCallerIdentityOutput{
			Account: aws.String(req.account),
			Arn:     aws.String(req.arn),
			UserId:  aws.String("AIDAAWSTEST" + req.account),
		}, nil)
	case "AssumeRole":
		s.assumeRole(w, req)
	default:
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "InvalidAction", Message: "Could not find operation " + req.action})
	}
}

// assumeRole hands out credentials whose access key stands for the role's
// account. Roles of accounts the server does not know cannot be assumed.
func (s *Server) assumeRole(w http.ResponseWriter, req *request) {
	roleARN := req.form.Get("RoleArn")
	session := req.form.Get("RoleSessionName")
	target := arnAccount(roleARN)
	if session == "" || roleARN == "" {
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "ValidationError", Message: "RoleArn and RoleSessionName are required"})
		return
	}
	if s.Account(target) == nil {
		writeError(w, req, denyError(req))
		return
	}
	key := fmt.Sprintf("ASIA%s%06d", target, s.nextKey.Add(1))
	role := roleARN[strings.LastIndex(roleARN, "/")+1:]
	sessionARN := "arn:aws:sts::" + target + ":assumed-role/" + role + "/" + session
	s.mu.Lock()
	s.keys[key] = principal{account: target, arn: sessionARN}
	s.mu.Unlock()
	s.writeQuery(w, req, &sts.AssumeRoleOutput{
		Credentials: &ststypes.Credentials{
			AccessKeyId:     aws.String(key),
			SecretAccessKey: aws.String("awstest-secret-" + target),
			SessionToken:    aws.String("awstest-session-" + key),
			Expiration:      aws.Time(time.Now().Add(time.Hour).UTC().Truncate(time.Second)),
		},
		AssumedRoleUser: &ststypes.AssumedRoleUser{
			Arn:           aws.String(sessionARN),
			AssumedRoleId: aws.String("AROAAWSTEST" + target + ":" + session),
		},
	}, nil)
}

// serveOrganizations answers Organizations' JSON 1.1 protocol. Only the
// management account (the base account) may list the accounts.
func (s *Server) serveOrganizations(w http.ResponseWriter, req *request) {
	if req.action != "ListAccounts" {
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "UnknownOperationException", Message: "Unknown operation " + req.action})
		return
	}
	if req.account != s.opts.BaseAccount {
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "You don't have permissions to access this resource."})
		return
	}
	var in struct {
		MaxResults *int
		NextToken  string
	}
	if len(req.body) > 0 {
		if err := json.Unmarshal(req.body, &in); err != nil {
			writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "SerializationException", Message: err.Error()})
			return
		}
	}
	accounts := s.sortedAccounts()
	size := 20
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 20 {
			writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "InvalidInputException", Message: "You provided a value that does not match the required pattern."})
			return
		}
		size = *in.MaxResults
	}
	if s.opts.PageSize > 0 {
		size = min(size, s.opts.PageSize)
	}
	start := 0
	if in.NextToken != "" {
		n, ok := parseToken(req.action, in.NextToken)
		if !ok || n > len(accounts) {
			writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "InvalidInputException", Message: "You specified an invalid value for nextToken."})
			return
		}
		start = n
	}
	end := min(start+size, len(accounts))
	list := []map[string]any{}
	for _, a := range accounts[start:end] {
		status := a.State
		if status == "PENDING_CLOSURE" || status == "CLOSED" {
			status = "PENDING_CLOSURE"
		}
		list = append(list, map[string]any{
			"Id":              a.ID,
			"Arn":             "arn:aws:organizations::" + s.opts.BaseAccount + ":account/o-awstest/" + a.ID,
			"Email":           "aws+" + a.ID + "@example.com",
			"Name":            a.Name,
			"State":           a.State,
			"Status":          status,
			"JoinedMethod":    "CREATED",
			"JoinedTimestamp": 1.6e9,
		})
	}
	out := map[string]any{"Accounts": list}
	if end < len(accounts) {
		out["NextToken"] = makeToken(req.action, end)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}
