package awstest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// EC2Request is one EC2 call as a handler sees it. The handler runs with
// Region.Mu held, so it may read and change the region's state.
type EC2Request struct {
	// Action is the operation name.
	Action string
	// Account is the caller's account.
	Account *Account
	// Region is the state of the region of the call.
	Region *Region
	// Params are the query parameters (Action and Version included).
	Params url.Values

	pageSize int
}

// EC2Handler answers one EC2 action. It returns the SDK output value to
// send (a *ec2.XxxOutput, whose fields are written as EC2 writes them), or
// an *[APIError].
type EC2Handler func(req *EC2Request) (any, error)

// HandleEC2 sets the handler of an EC2 action, replacing any.
func (s *Server) HandleEC2(action string, h EC2Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ec2[action] = h
}

func (s *Server) serveEC2(w http.ResponseWriter, req *request) {
	s.mu.Lock()
	h := s.ec2[req.action]
	acct := s.accounts[req.account]
	s.mu.Unlock()
	if h == nil {
		writeError(w, req, &APIError{Status: http.StatusBadRequest, Code: "InvalidAction", Message: "The action " + req.action + " is not valid for this web service."})
		return
	}
	if code := acct.notEnabledCode(req.region); code != "" && req.action != "DescribeRegions" {
		writeError(w, req, notEnabledError(code))
		return
	}
	region := acct.Region(req.region)
	region.Mu.Lock()
	defer region.Mu.Unlock()
	out, err := h(&EC2Request{Action: req.action, Account: acct, Region: region, Params: req.form, pageSize: s.opts.PageSize})
	if err != nil {
		apiErr, ok := err.(*APIError)
		if !ok {
			apiErr = &APIError{Status: http.StatusInternalServerError, Code: "InternalError", Message: err.Error()}
		}
		writeError(w, req, apiErr)
		return
	}
	e := &xmlEncoder{style: ec2Style}
	e.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	root := req.action + "Response"
	e.buf.WriteString("<" + root + ` xmlns="` + namespaces["ec2"] + `">`)
	e.element("requestId", s.requestID())
	e.fields(reflect.ValueOf(out).Elem())
	e.end(root)
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Write(e.buf.Bytes())
}

// notEnabledError is what EC2 answers in an opt-in region the account has
// not enabled.
func notEnabledError(code string) *APIError {
	if code == "OptInRequired" {
		return &APIError{Status: http.StatusForbidden, Code: code, Message: "You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe."}
	}
	return &APIError{Status: http.StatusUnauthorized, Code: code, Message: "AWS was not able to validate the provided access credentials"}
}

// registerEC2Reads installs the Describe handlers the collector calls.
func registerEC2Reads(s *Server) {
	s.ec2["DescribeRegions"] = describeRegions
	s.ec2["DescribeSecurityGroups"] = describeSecurityGroups
	s.ec2["DescribeSecurityGroupRules"] = describeSecurityGroupRules
	s.ec2["DescribeNetworkInterfaces"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.NetworkInterfaces, 5, 1000)
		return &ec2.DescribeNetworkInterfacesOutput{NetworkInterfaces: items, NextToken: next}, err
	}
	s.ec2["DescribeInstances"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.Reservations, 5, 1000)
		return &ec2.DescribeInstancesOutput{Reservations: items, NextToken: next}, err
	}
	s.ec2["DescribeVpcs"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.Vpcs, 5, 1000)
		return &ec2.DescribeVpcsOutput{Vpcs: items, NextToken: next}, err
	}
	s.ec2["DescribeSubnets"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.Subnets, 5, 1000)
		return &ec2.DescribeSubnetsOutput{Subnets: items, NextToken: next}, err
	}
	s.ec2["DescribeRouteTables"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.RouteTables, 5, 100)
		return &ec2.DescribeRouteTablesOutput{RouteTables: items, NextToken: next}, err
	}
	s.ec2["DescribeInternetGateways"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.InternetGateways, 5, 1000)
		return &ec2.DescribeInternetGatewaysOutput{InternetGateways: items, NextToken: next}, err
	}
	s.ec2["DescribeNetworkAcls"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.NetworkAcls, 5, 1000)
		return &ec2.DescribeNetworkAclsOutput{NetworkAcls: items, NextToken: next}, err
	}
	s.ec2["DescribeFlowLogs"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.FlowLogs, 1, 1000)
		return &ec2.DescribeFlowLogsOutput{FlowLogs: items, NextToken: next}, err
	}
	s.ec2["DescribeManagedPrefixLists"] = func(req *EC2Request) (any, error) {
		items, next, err := paginate(req, req.Region.PrefixLists, 1, 100)
		return &ec2.DescribeManagedPrefixListsOutput{PrefixLists: items, NextToken: next}, err
	}
	s.ec2["GetManagedPrefixListEntries"] = getManagedPrefixListEntries
	s.ec2["DescribeStaleSecurityGroups"] = describeStaleSecurityGroups
}

func describeRegions(req *EC2Request) (any, error) {
	all := req.Params.Get("AllRegions") == "true"
	out := &ec2.DescribeRegionsOutput{Regions: []ec2types.Region{}}
	for _, name := range req.Account.RegionNames() {
		status := "opt-in-not-required"
		switch {
		case req.Account.notEnabledCode(name) != "":
			status = "not-opted-in"
		case strings.HasPrefix(name, "af-") || strings.HasPrefix(name, "ap-east-") || strings.HasPrefix(name, "me-"):
			status = "opted-in"
		}
		if status == "not-opted-in" && !all {
			continue
		}
		out.Regions = append(out.Regions, ec2types.Region{
			RegionName:  aws.String(name),
			Endpoint:    aws.String("ec2." + name + ".amazonaws.com"),
			OptInStatus: aws.String(status),
		})
	}
	return out, nil
}

func describeSecurityGroups(req *EC2Request) (any, error) {
	ids := listParam(req.Params, "GroupId")
	if len(ids) == 0 {
		items, next, err := paginate(req, req.Region.SecurityGroups, 5, 1000)
		return &ec2.DescribeSecurityGroupsOutput{SecurityGroups: items, NextToken: next}, err
	}
	if req.Params.Get("MaxResults") != "" {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination", Message: "The parameter groupIds cannot be used with the parameter maxResults"}
	}
	out := &ec2.DescribeSecurityGroupsOutput{SecurityGroups: []ec2types.SecurityGroup{}}
	for _, id := range ids {
		g := req.Region.Group(id)
		if g == nil {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound", Message: fmt.Sprintf("The security group '%s' does not exist", id)}
		}
		out.SecurityGroups = append(out.SecurityGroups, *g)
	}
	return out, nil
}

func getManagedPrefixListEntries(req *EC2Request) (any, error) {
	id := req.Params.Get("PrefixListId")
	if id == "" {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "MissingParameter", Message: "The request must contain the parameter PrefixListId"}
	}
	entries, ok := req.Region.PrefixListEntries[id]
	if !ok {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidPrefixListID.NotFound", Message: fmt.Sprintf("The prefix list ID '%s' does not exist", id)}
	}
	items, next, err := paginate(req, entries, 1, 100)
	return &ec2.GetManagedPrefixListEntriesOutput{Entries: items, NextToken: next}, err
}

func describeStaleSecurityGroups(req *EC2Request) (any, error) {
	vpc := req.Params.Get("VpcId")
	if vpc == "" {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "MissingParameter", Message: "The request must contain the parameter VpcId"}
	}
	var stale []ec2types.StaleSecurityGroup
	found := false
	for _, v := range req.Region.Vpcs {
		found = found || aws.ToString(v.VpcId) == vpc
	}
	if !found {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidVpcID.NotFound", Message: fmt.Sprintf("The vpc ID '%s' does not exist", vpc)}
	}
	for _, g := range req.Region.StaleGroups {
		if aws.ToString(g.VpcId) == vpc {
			stale = append(stale, g)
		}
	}
	items, next, err := paginate(req, stale, 5, 255)
	return &ec2.DescribeStaleSecurityGroupsOutput{StaleSecurityGroupSet: items, NextToken: next}, err
}

// paginate returns the page of items that MaxResults and NextToken select,
// checking MaxResults against the action's bounds as EC2 does. The list
// in the answer is never nil: EC2 always sends the element.
func paginate[T any](req *EC2Request, items []T, minMax, maxMax int) ([]T, *string, error) {
	size := len(items)
	if v := req.Params.Get("MaxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minMax || n > maxMax {
			return nil, nil, badParam(fmt.Sprintf("Value ( %s ) for parameter maxResults is invalid. Expecting a value between %d and %d.", v, minMax, maxMax))
		}
		size = n
	}
	if req.pageSize > 0 && req.pageSize < size {
		size = req.pageSize
	}
	start := 0
	if tok := req.Params.Get("NextToken"); tok != "" {
		n, ok := parseToken(req.Action, tok)
		if !ok || n > len(items) {
			return nil, nil, &APIError{Status: http.StatusBadRequest, Code: "InvalidNextToken", Message: "The token '" + tok + "' is invalid."}
		}
		start = n
	}
	end := min(start+max(size, 1), len(items))
	page := append(make([]T, 0, end-start), items[start:end]...)
	if end < len(items) {
		return page, aws.String(makeToken(req.Action, end)), nil
	}
	return page, nil, nil
}

// makeToken returns an opaque pagination token for an offset.
func makeToken(action string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(action + ":" + strconv.Itoa(offset)))
}

func parseToken(action, tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	a, n, ok := strings.Cut(string(b), ":")
	if !ok || a != action {
		return 0, false
	}
	off, err := strconv.Atoi(n)
	return off, err == nil && off >= 0
}

// listParam returns the values of an EC2 list parameter (GroupId.1,
// GroupId.2, …) in order.
func listParam(params url.Values, name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := params[name+"."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v...)
	}
}
