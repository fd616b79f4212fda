package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/diag"
)

// parallelOpts force the parallel path on any file, with many small
// regions and more workers than a test machine has cores.
var parallelOpts = options{workers: 3, minSize: 0, regionSize: 1}

// sequentialOpts keep the sequential path.
var sequentialOpts = options{workers: 1}

// genMixed writes a deterministic snapshot of every top-level key, indented
// with four spaces as the AWS CLI prints it, with n elements in each large
// list. Groups are listed twice (the first listing is kept), rules of
// describe-security-group-rules are spread over the file in random order,
// some for groups the file does not describe, and IAM gives warnings
// (policies attached but not described, one without a default version).
func genMixed(n int) []byte {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	group := func(i int) string { return fmt.Sprintf("sg-%017x", i) }
	var b bytes.Buffer
	b.WriteString("{")
	first := true
	key := func(k string, v any) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		out, err := json.MarshalIndent(v, "    ", "    ")
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(&b, "\n    %q: %s", k, out)
	}
	type obj = map[string]any
	key("AccountId", "123456789012")
	key("Vpcs", []obj{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012"}})
	var rules []obj
	for i := range n {
		rule := obj{
			"SecurityGroupRuleId": fmt.Sprintf("sgr-%017x", i),
			"GroupId":             group(r.IntN(n + n/4)), // some groups are not described
			"GroupOwnerId":        "123456789012",
			"IsEgress":            i%5 == 0,
			"IpProtocol":          "tcp",
			"FromPort":            i % 1000,
			"ToPort":              i%1000 + 10,
		}
		switch i % 3 {
		case 0:
			rule["CidrIpv4"] = fmt.Sprintf("10.%d.%d.0/24", i/256%256, i%256)
		case 1:
			rule["CidrIpv6"] = fmt.Sprintf("2001:db8:%x::/48", i)
		default:
			rule["ReferencedGroupInfo"] = obj{"GroupId": group(i % n), "UserId": "123456789012"}
		}
		rules = append(rules, rule)
	}
	groups := func(from, to int) []obj {
		var out []obj
		for i := from; i < to; i++ {
			var perms []obj
			for p := range i % 4 {
				perms = append(perms, obj{
					"IpProtocol": []string{"tcp", "udp", "-1", "icmp"}[p],
					"FromPort":   []int{22, 53, -1, 8}[p],
					"ToPort":     []int{22, 53, -1, -1}[p],
					"IpRanges":   []obj{{"CidrIp": fmt.Sprintf("192.0.%d.0/24", i%256), "Description": "office \"hq\""}},
					"Ipv6Ranges": []obj{{"CidrIpv6": "::/0"}},
					"UserIdGroupPairs": []obj{{
						"GroupId": group((i + p) % n), "UserId": "123456789012", "Description": "peer",
					}},
					"PrefixListIds": []obj{{"PrefixListId": "pl-0123456789abcdef0"}},
				})
			}
			out = append(out, obj{
				"Description":         fmt.Sprintf("group %d", i),
				"GroupName":           fmt.Sprintf("app-%d", i),
				"IpPermissions":       perms,
				"OwnerId":             "123456789012",
				"GroupId":             group(i),
				"IpPermissionsEgress": []obj{{"IpProtocol": "-1", "IpRanges": []obj{{"CidrIp": "0.0.0.0/0"}}}},
				"Tags":                []obj{{"Key": "Name", "Value": fmt.Sprintf("app-%d", i)}},
				"VpcId":               "vpc-1",
			})
		}
		return out
	}
	key("SecurityGroupRules", rules[:n/2])
	all := groups(0, n)
	all = append(all, groups(n/3, n/3+5)...) // listed twice: the first listing is kept
	key("SecurityGroups", all)
	var enis []obj
	for i := range n {
		enis = append(enis, obj{
			"Association":        obj{"PublicIp": fmt.Sprintf("198.51.%d.%d", i/256%256, i%256)},
			"Attachment":         obj{"InstanceId": fmt.Sprintf("i-%017x", i)},
			"Groups":             []obj{{"GroupId": group(i % n), "GroupName": "x"}},
			"InterfaceType":      "interface",
			"Ipv6Addresses":      []obj{{"Ipv6Address": fmt.Sprintf("2001:db8::%x", i)}},
			"NetworkInterfaceId": fmt.Sprintf("eni-%017x", i),
			"OwnerId":            "123456789012",
			"PrivateIpAddress":   fmt.Sprintf("10.1.%d.%d", i/256%256, i%256),
			"PrivateIpAddresses": []obj{{"PrivateIpAddress": fmt.Sprintf("10.1.%d.%d", i/256%256, i%256)}},
			"Status":             "in-use",
			"SubnetId":           "subnet-1",
			"TagSet":             []obj{},
			"VpcId":              "vpc-1",
		})
	}
	key("NetworkInterfaces", enis)
	key("ResponseMetadata", obj{"RequestId": "x", "HTTPHeaders": obj{"a": "b"}}) // an unknown key
	var reservations []obj
	for i := range n / 4 {
		reservations = append(reservations, obj{
			"ReservationId": fmt.Sprintf("r-%d", i),
			"OwnerId":       "123456789012",
			"Instances": []obj{{
				"InstanceId":        fmt.Sprintf("i-%017x", i),
				"State":             obj{"Name": "running"},
				"VpcId":             "vpc-1",
				"NetworkInterfaces": []obj{{"NetworkInterfaceId": fmt.Sprintf("eni-%017x", i)}},
				"SecurityGroups":    []obj{{"GroupId": group(i % n)}},
			}},
		})
	}
	key("Reservations", reservations)
	key("SecurityGroupRules2", rules[:min(10, n)]) // unknown, skipped, though it looks like rules
	key("Region", "eu-west-1")
	var acls []obj
	for i := range n / 8 {
		acls = append(acls, obj{
			"NetworkAclId": fmt.Sprintf("acl-%d", i), "VpcId": "vpc-1", "IsDefault": i == 0,
			"Entries": []obj{
				{"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": obj{"From": 22, "To": 22}},
				{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0"},
			},
			"Associations": []obj{{"SubnetId": "subnet-1"}},
		})
	}
	key("NetworkAcls", acls)
	key("PrefixLists", []obj{{"PrefixListId": "pl-0123456789abcdef0", "PrefixListName": "partners", "AddressFamily": "IPv4"}})
	key("PrefixListEntries", []obj{
		{"PrefixListId": "pl-0123456789abcdef0", "Entries": []obj{{"Cidr": "203.0.113.0/24"}}},
		{"PrefixListId": "pl-0fedcba9876543210", "Entries": []obj{{"Cidr": "198.51.100.0/24", "Description": "other"}}},
	})
	var flowLogs, stale []obj
	for i := range n / 8 {
		flowLogs = append(flowLogs, obj{"FlowLogId": fmt.Sprintf("fl-%d", i), "ResourceId": "vpc-1", "TrafficType": "ALL"})
		stale = append(stale, obj{"GroupId": group(i), "VpcId": "vpc-1", "StaleIpPermissions": []obj{{"UserIdGroupPairs": []obj{{"GroupId": "sg-gone"}}}}})
	}
	key("FlowLogs", flowLogs)
	key("StaleSecurityGroupSet", stale)
	doc := obj{"Version": "2012-10-17", "Statement": []obj{{"Effect": "Allow", "Action": []string{"ec2:*"}, "Resource": "*"}}}
	policy := func(i int) string { return fmt.Sprintf("arn:aws:iam::123456789012:policy/p%d", i) }
	var users, roles, policies []obj
	for i := range n / 4 {
		attached := []obj{{"PolicyName": "p", "PolicyArn": policy(r.IntN(n / 4))}}
		users = append(users, obj{
			"UserName": fmt.Sprintf("user%d", i), "Arn": fmt.Sprintf("arn:aws:iam::123456789012:user/user%d", i),
			"UserPolicyList":          []obj{{"PolicyName": "inline", "PolicyDocument": doc}},
			"AttachedManagedPolicies": attached,
		})
		role := obj{
			"RoleName": fmt.Sprintf("role%d", i), "Arn": fmt.Sprintf("arn:aws:iam::123456789012:role/role%d", i),
			"AssumeRolePolicyDocument": doc,
			"RolePolicyList":           []obj{{"PolicyName": "a", "PolicyDocument": doc}, {"PolicyName": "b", "PolicyDocument": "%7B%7D"}},
			"AttachedManagedPolicies":  attached,
		}
		if i%3 == 0 { // the trust policy is known only through the attached policy
			delete(role, "RolePolicyList")
		}
		roles = append(roles, role)
		if i%3 != 0 { // the others are attached but not described
			policy := obj{
				"PolicyName": fmt.Sprintf("p%d", i), "Arn": policy(i), "DefaultVersionId": "v1",
				"PolicyVersionList": []obj{{"Document": doc, "VersionId": "v1", "IsDefaultVersion": true}},
			}
			if i%7 == 1 { // a warning
				policy["DefaultVersionId"] = "v2"
				policy["PolicyVersionList"] = []obj{{"Document": doc, "VersionId": "v1", "IsDefaultVersion": false}}
			}
			policies = append(policies, policy)
		}
	}
	key("UserDetailList", users)
	key("GroupDetailList", []obj{{"GroupName": "g", "Arn": "arn:aws:iam::123456789012:group/g", "GroupPolicyList": []obj{}}})
	key("RoleDetailList", roles)
	key("Policies", policies)
	key("SecurityGroupRules3", []obj{})
	b.WriteString("\n}\n")
	return bytes.Replace(b.Bytes(), []byte(`"SecurityGroupRules3": []`), append([]byte(`"ExtraRules": `), mustIndent(rules[n/2:])...), 1)
}

// mustIndent renders v as a value of a top-level key.
func mustIndent(v any) []byte {
	out, err := json.MarshalIndent(v, "    ", "    ")
	if err != nil {
		panic(err)
	}
	return out
}

// loadBoth loads content sequentially and in parallel, and fails the test
// unless both give the same inventory and diagnostics. It returns how many
// loaders the parallel load chained (0 when it fell back to the sequential
// load).
func loadBoth(t *testing.T, name string, content []byte, opts options) int {
	t.Helper()
	want, wantDiags := loadWith(name, bytes.NewReader(content), int64(len(content)), sequentialOpts)
	got, gotDiags := loadWith(name, bytes.NewReader(content), int64(len(content)), opts)
	if diff := cmp.Diff(want, got, cmpOpts...); diff != "" {
		t.Errorf("%s: parallel inventory differs (-sequential +parallel):\n%s", name, diff)
	}
	if diff := cmp.Diff(wantDiags, gotDiags); diff != "" {
		t.Errorf("%s: parallel diagnostics differ (-sequential +parallel):\n%s", name, diff)
	}
	_, chain := loadParallel(name, bytes.NewReader(content), int64(len(content)), opts)
	return chain
}

// TestLoadParallel checks the parallel load gives exactly what the
// sequential one gives, on every fixture and on a generated snapshot of
// every kind, and that it does split the generated one.
func TestLoadParallel(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			t.Parallel()
			content, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, opts := range []options{parallelOpts, {workers: 2, regionSize: 64}} {
				loadBoth(t, name, content, opts)
			}
		})
	}
	large := genMixed(1200)
	if len(large) < 4<<20 {
		t.Fatalf("the generated snapshot has %d bytes, want several MiB", len(large))
	}
	for _, tc := range []struct {
		name string
		opts options
	}{
		{name: "default", opts: defaultOptions()},
		{name: "2 workers", opts: options{workers: 2, regionSize: 1 << 18}},
		{name: "many regions", opts: options{workers: 8, regionSize: 1 << 12}},
	} {
		t.Run("generated/"+tc.name, func(t *testing.T) {
			t.Parallel()
			tc.opts.workers = max(tc.opts.workers, 2)
			chain := loadBoth(t, "large.json", large, tc.opts)
			if want := 3; chain < want {
				t.Errorf("the parallel load chained %d loaders, want at least %d", chain, want)
			}
		})
	}
	t.Run("generated/warnings", func(t *testing.T) {
		t.Parallel()
		inv, diags := loadWith("large.json", bytes.NewReader(large), int64(len(large)), parallelOpts)
		if inv == nil || len(diags) < 2 {
			t.Errorf("got inventory %v and %d diagnostics, want one with warnings", inv != nil, len(diags))
		}
	})
}

// TestLoadParallelFallback checks inputs the parallel load cannot take or
// finds wrong are loaded sequentially, with the sequential diagnostics.
func TestLoadParallelFallback(t *testing.T) {
	t.Parallel()
	large := genMixed(1000)
	end := bytes.LastIndex(large, []byte(`"Policies"`))
	for _, tc := range []struct {
		name    string
		content []byte
		errors  bool
		split   bool // the parallel load takes the input, in more than one part
	}{
		{
			name:    "error near the end",
			content: bytes.Replace(large, []byte(`"198.51.100.0/24"`), []byte(`"198.51.100.0/33"`), 1),
			errors:  true,
		},
		{
			name:    "syntax error near the end",
			content: append(append(bytes.Clone(large[:end]), `"Policies": [{,]`...), large[end:]...),
			errors:  true,
		},
		{
			name:    "duplicate top-level key far apart",
			content: bytes.Replace(large, []byte(`"Region": "eu-west-1"`), []byte(`"Vpcs": []`), 1),
			errors:  true,
		},
		{
			name:    "lists under unknown keys",
			content: bytes.ReplaceAll(bytes.ReplaceAll(large, []byte(`"SecurityGroups"`), []byte(`"Groups"`)), []byte(`"NetworkInterfaces": [`), []byte(`"Interfaces": [`)),
			split:   true,
		},
		{
			name:    "tabs",
			content: bytes.ReplaceAll(large, []byte("    "), []byte("\t")),
			split:   true,
		},
		{
			name:    "CRLF and a byte order mark",
			content: append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(large, []byte("\n"), []byte("\r\n"))...),
			split:   true,
		},
		{
			name:    "all on one line",
			content: compact(large),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if chain := loadBoth(t, "large.json", tc.content, parallelOpts); chain > 1 != tc.split {
				t.Errorf("the parallel load chained %d loaders; want more than one: %v", chain, tc.split)
			}
			_, diags := Load("large.json", tc.content)
			if diags.HasErrors() != tc.errors {
				t.Errorf("errors %v, want %v:\n%v", diags.HasErrors(), tc.errors, firstLines(diags, 3))
			}
		})
	}
}

// compact removes the indentation of a JSON document.
func compact(content []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, content); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// firstLines renders the first n diagnostics.
func firstLines(diags diag.List, n int) string {
	var s []string
	for _, d := range diags[:min(n, len(diags))] {
		s = append(s, d.Error())
	}
	return strings.Join(s, "\n")
}

// TestLineCursorAt checks a cursor started inside the file agrees with
// one started at its top.
func TestLineCursorAt(t *testing.T) {
	t.Parallel()
	content := genMixed(300)
	r := rand.New(rand.NewPCG(3, 4))
	lines := diag.NewLines("x", content)
	for range 20 {
		from := int64(r.IntN(len(content)))
		p := lines.Pos(from)
		c := newLineCursorAt(bytes.NewReader(content), int64(len(content)), from, p.Line, from-int64(p.Column-1))
		off := from
		for range 500 {
			off = min(max(off+int64(r.IntN(3*chunkSize/2)-chunkSize/2), from), int64(len(content)))
			line, col := c.pos(off)
			want := lines.Pos(off)
			if line != want.Line || col != want.Column {
				t.Fatalf("from %d, offset %d: got %d:%d, want %d:%d", from, off, line, col, want.Line, want.Column)
			}
		}
	}
}

// TestLoadParallelMutations checks the parallel load against the
// sequential one on many variants of a generated snapshot: indentation
// changed where the splits are looked for, elements joined or split across
// lines, keys renamed (into duplicates too), and bytes inserted or deleted.
func TestLoadParallelMutations(t *testing.T) {
	t.Parallel()
	base := genMixed(40)
	keys := [][]byte{[]byte(`"GroupId"`), []byte(`"IpPermissions"`), []byte(`"NetworkInterfaceId"`), []byte(`"Vpcs"`), []byte(`"x"`)}
	r := rand.New(rand.NewPCG(5, 6))
	var split atomic.Int64
	t.Run("all", func(t *testing.T) {
		for i := range 150 {
			content := bytes.Clone(base)
			for range 1 + r.IntN(3) {
				content = mutate(r, content, keys)
			}
			opts := options{workers: 2 + i%3, regionSize: int64(1 + r.IntN(4096))}
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				if loadBoth(t, "mutated.json", content, opts) > 1 {
					split.Add(1)
				}
			})
		}
	})
	if n := split.Load(); n < 40 {
		t.Errorf("%d variants were loaded in more than one part, want at least 40", n)
	}
}

// mutate changes content at a random place in one of a few ways.
func mutate(r *rand.Rand, content []byte, keys [][]byte) []byte {
	at := r.IntN(len(content))
	switch r.IntN(6) {
	case 0: // indent a line more or less
		nl := bytes.LastIndexByte(content[:at], '\n') + 1
		if r.IntN(2) == 0 {
			return append(content[:nl], append([]byte(" "), content[nl:]...)...)
		}
		if content[nl] == ' ' {
			return append(content[:nl], content[nl+1:]...)
		}
	case 1: // join two elements of a list on one line
		sep := []byte("\n        },\n        {")
		if i := bytes.Index(content[at:], sep); i >= 0 {
			return append(content[:at+i], append([]byte("}, {"), content[at+i+len(sep):]...)...)
		}
	case 2: // rename a key
		for _, k := range keys {
			if i := bytes.Index(content[at:], k); i >= 0 {
				return append(content[:at+i], append(bytes.Clone(keys[r.IntN(len(keys))]), content[at+i+len(k):]...)...)
			}
		}
	case 3: // delete a byte
		return append(content[:at], content[at+1:]...)
	case 4: // insert a byte that matters to JSON
		c := "{}[],:\"\\ \n0a"[r.IntN(12)]
		return append(content[:at], append([]byte{c}, content[at:]...)...)
	case 5: // cut the file
		return content[:at]
	}
	return content
}
