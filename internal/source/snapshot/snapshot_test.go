package snapshot

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/detect"
)

// TestOrigins checks the line and column of nodes of each kind: where the
// object starts, for a rule the object of its own entry.
func TestOrigins(t *testing.T) {
	t.Parallel()
	group := func(inv *model.Inventory, id string) *model.SecurityGroup {
		for _, g := range inv.SecurityGroups {
			if g.ID == id {
				return g
			}
		}
		t.Fatalf("no group %s", id)
		return nil
	}
	policy := func(inv *model.Inventory, id string) *model.IAMPolicy {
		for _, p := range inv.IAMPolicies {
			if p.ID == id {
				return p
			}
		}
		t.Fatalf("no policy %s", id)
		return nil
	}
	for _, tc := range []struct {
		name    string
		file    string
		content string // instead of the file's
		origin  func(*model.Inventory) model.Origin
		want    model.Origin
	}{
		{
			name:   "group",
			file:   "security_groups.json",
			origin: func(inv *model.Inventory) model.Origin { return group(inv, "sg-0123456789abcdef0").Origin },
			want:   model.Origin{ID: "sg-0123456789abcdef0", Account: "123456789012", File: "security_groups.json", Line: 3, Column: 9},
		},
		{
			name:   "rule entry",
			file:   "security_groups.json",
			origin: func(inv *model.Inventory) model.Origin { return group(inv, "sg-0123456789abcdef0").Ingress[1].Origin },
			want:   model.Origin{Account: "123456789012", File: "security_groups.json", Line: 15, Column: 25},
		},
		{
			name:   "rule from describe-security-group-rules",
			file:   "security_group_rules.json",
			origin: func(inv *model.Inventory) model.Origin { return group(inv, "sg-0ddd3333eeee4444f").Ingress[1].Origin },
			want:   model.Origin{ID: "sgr-0e1f2a3b4c5d6e7f8", Account: "123456789012", File: "security_group_rules.json", Line: 41, Column: 9},
		},
		{
			name:   "interface",
			file:   "network.json",
			origin: func(inv *model.Inventory) model.Origin { return inv.NetworkInterfaces[1].Origin },
			want:   model.Origin{ID: "eni-0f0e0d0c0b0a09080", Account: "123456789012", Region: "eu-west-1", File: "network.json", Line: 70, Column: 9},
		},
		{
			name:   "network ACL entry",
			file:   "network.json",
			origin: func(inv *model.Inventory) model.Origin { return inv.NetworkACLs[0].Entries[1].Origin },
			want:   model.Origin{Account: "123456789012", Region: "eu-west-1", File: "network.json", Line: 325, Column: 17},
		},
		{
			name: "statement of a trust policy",
			file: "iam.json",
			origin: func(inv *model.Inventory) model.Origin {
				return policy(inv, "role/deployer/sg-changes").AttachedTo[0].Trust.Statements[0].Origin
			},
			want: model.Origin{Account: "123456789012", File: "iam.json", Line: 74, Column: 21},
		},
		{
			name: "statement of a URL-encoded document: the document",
			file: "iam.json",
			origin: func(inv *model.Inventory) model.Origin {
				return policy(inv, "role/deployer/sg-changes").Document.Statements[0].Origin
			},
			want: model.Origin{Account: "123456789012", File: "iam.json", Line: 92, Column: 39},
		},
		{
			name:    "CRLF line ends",
			file:    "crlf.json",
			content: "{\r\n  \"Vpcs\": [\r\n    {\"VpcId\": \"vpc-1\"}\r\n  ]\r\n}\r\n",
			origin:  func(inv *model.Inventory) model.Origin { return inv.VPCs[0].Origin },
			want:    model.Origin{ID: "vpc-1", File: "crlf.json", Line: 3, Column: 5},
		},
		{
			name:    "byte order mark: columns count bytes",
			file:    "bom.json",
			content: "\xef\xbb\xbf{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]}",
			origin:  func(inv *model.Inventory) model.Origin { return inv.VPCs[0].Origin },
			want:    model.Origin{ID: "vpc-1", File: "bom.json", Line: 1, Column: 14},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			content := []byte(tc.content)
			if tc.content == "" {
				content = readTestdata(t, tc.file)
			}
			inv, diags := Load(tc.file, content)
			if inv == nil {
				t.Fatalf("diagnostics:\n%v", diags)
			}
			if diff := cmp.Diff(tc.want, tc.origin(inv)); diff != "" {
				t.Errorf("origin (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadFS loads directories and files from a file system.
func TestLoadFS(t *testing.T) {
	t.Parallel()
	group := func(id, name string) string {
		return `{"GroupId": "` + id + `", "GroupName": "` + name + `", "OwnerId": "123456789012", "VpcId": "vpc-1"}`
	}
	fsys := fstest.MapFS{
		"snap/a.json":           {Data: []byte(`{"AccountId": "111111111111", "Region": "eu-west-1", "SecurityGroups": [` + group("sg-1", "a") + `]}`)},
		"snap/b.json":           {Data: []byte(`{"AccountId": "222222222222", "Region": "us-east-1", "SecurityGroups": [` + group("sg-1", "b") + `]}`)},
		"snap/c.json":           {Data: []byte(`{"AccountId": "111111111111", "Region": "eu-west-1", "SecurityGroups": [` + group("sg-1", "c") + `], "FlowLogs": []}`)},
		"snap/notes.json":       {Data: []byte(`{"hello": "world"}`)},
		"snap/plan.json":        {Data: []byte(`{"format_version": "1.2", "planned_values": {}}`)},
		"snap/README.md":        {Data: []byte(`# not JSON`)},
		"snap/sub/d.JSON":       {Data: []byte(`{"AccountId": "111111111111", "Region": "eu-west-1", "Vpcs": [{"VpcId": "vpc-1"}]}`)},
		"split/groups.json":     {Data: []byte(`{"SecurityGroups": [` + group("sg-1", "web") + `]}`)},
		"split/rules.json":      {Data: []byte(`{"SecurityGroupRules": [{"SecurityGroupRuleId": "sgr-1", "GroupId": "sg-1", "GroupOwnerId": "123456789012", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "0.0.0.0/0"}]}`)},
		"split2/1-rules.json":   {Data: []byte(`{"SecurityGroupRules": [{"SecurityGroupRuleId": "sgr-1", "GroupId": "sg-1", "GroupOwnerId": "123456789012", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "0.0.0.0/0"}]}`)},
		"split2/2-groups.json":  {Data: []byte(`{"SecurityGroups": [` + group("sg-1", "web") + `]}`)},
		"broken/a.json":         {Data: []byte(`{"SecurityGroups": [` + group("sg-1", "a") + `]}`)},
		"broken/b.json":         {Data: []byte(`{"SecurityGroups": [`)},
		"broken/c.json":         {Data: []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0"}]}`)},
		"snap-file/groups.json": {Data: []byte(`{"SecurityGroups": []}`)},
	}
	origin := func(id, account, region, file string, col int) model.Origin {
		return model.Origin{ID: id, Account: account, Region: region, File: file, Line: 1, Column: col}
	}
	for _, tc := range []struct {
		name      string
		path      string
		want      *model.Inventory
		wantDiags []string
	}{
		{
			name: "directory: different accounts kept, duplicates once",
			path: "snap",
			want: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{
					{ID: "sg-1", Name: "a", OwnerID: "123456789012", VPCID: "vpc-1", Origin: origin("sg-1", "111111111111", "eu-west-1", "snap/a.json", 73)},
					{ID: "sg-1", Name: "b", OwnerID: "123456789012", VPCID: "vpc-1", Origin: origin("sg-1", "222222222222", "us-east-1", "snap/b.json", 73)},
				},
				VPCs: []*model.VPC{{ID: "vpc-1", Origin: origin("vpc-1", "111111111111", "eu-west-1", "snap/sub/d.JSON", 63)}},
				Has:  model.SecurityGroups | model.FlowLogs | model.VPCs,
				// b.json, of us-east-1, holds groups only: the flow logs
				// and VPCs read elsewhere decide nothing there.
				Coverage: map[model.AccountRegion]model.Collection{
					{Account: "111111111111", Region: "eu-west-1"}: model.SecurityGroups | model.FlowLogs | model.VPCs,
					{Account: "222222222222", Region: "us-east-1"}: model.SecurityGroups,
				},
			},
			wantDiags: []string{
				"snap/notes.json: warning: skipped: not an AWS CLI snapshot\n" +
					`  hint: a snapshot is a JSON object with keys such as "SecurityGroups", as aws ec2 describe-security-groups prints it`,
				"snap/plan.json: warning: skipped: a terraform plan file, not an AWS CLI snapshot",
			},
		},
		{
			name: "rules in one file, groups in another",
			path: "split",
			want: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{{
					ID: "sg-1", Name: "web", OwnerID: "123456789012", VPCID: "vpc-1",
					Ingress: []*model.Rule{{
						Protocol: "tcp", FromPort: 443, ToPort: 443,
						Peer: model.Peer{CIDR: pfx("0.0.0.0/0")},
						ID:   "sgr-1", Origin: origin("sgr-1", "123456789012", "", "split/rules.json", 25),
					}},
					Origin: origin("sg-1", "123456789012", "", "split/groups.json", 21),
				}},
				Has: model.SecurityGroups,
			},
		},
		{
			name: "rules in a file read before the groups",
			path: "split2",
			want: &model.Inventory{
				SecurityGroups: []*model.SecurityGroup{{
					ID: "sg-1", Name: "web", OwnerID: "123456789012", VPCID: "vpc-1",
					Ingress: []*model.Rule{{
						Protocol: "tcp", FromPort: 443, ToPort: 443,
						Peer: model.Peer{CIDR: pfx("0.0.0.0/0")},
						ID:   "sgr-1", Origin: origin("sgr-1", "123456789012", "", "split2/1-rules.json", 25),
					}},
					Origin: origin("sg-1", "123456789012", "", "split2/2-groups.json", 21),
				}},
				Has: model.SecurityGroups,
			},
		},
		{
			name: "a file",
			path: "snap-file/groups.json",
			want: &model.Inventory{Has: model.SecurityGroups},
		},
		{
			name: "a file that is not a snapshot",
			path: "snap/notes.json",
			wantDiags: []string{"snap/notes.json:1:1: error: not an AWS CLI snapshot: the object has none of the known keys\n" +
				"  hint: expected keys such as SecurityGroups, NetworkInterfaces or Vpcs, as aws ec2 describe-* prints them"},
		},
		{
			name:      "a missing file",
			path:      "snap/missing.json",
			wantDiags: []string{"snap/missing.json: error: cannot read the snapshot: open snap/missing.json: file does not exist"},
		},
		{
			name: "errors in some files: every error, no inventory",
			path: "broken",
			wantDiags: []string{
				"broken/b.json:1:21: error: unexpected end of file: the JSON is incomplete\n" +
					"  hint: the file looks cut off; write it again from the AWS CLI",
				`broken/c.json:1:43: error: invalid CIDR "10.0.0.0"` + "\n" +
					"  hint: missing the /prefix length (write 10.0.0.0/32 for one address)",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, diags := LoadFS(fsys, tc.path)
			if diff := cmp.Diff(tc.want, got, cmpOpts...); diff != "" {
				t.Errorf("inventory (-want +got):\n%s", diff)
			}
			var gotDiags []string
			for _, d := range diags {
				gotDiags = append(gotDiags, d.Error())
			}
			if diff := cmp.Diff(tc.wantDiags, gotDiags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLineCursor checks the cursor agrees with diag.Lines wherever it is
// asked, in any order, in a small file and in one of many chunks.
func TestLineCursor(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	large := make([]byte, 5*chunkSize+123)
	for i := range large {
		large[i] = "ab \n"[r.IntN(4)]
		if i%(chunkSize/2) < 3000 { // long lines across chunk boundaries too
			large[i] = 'x'
		}
	}
	for _, tc := range []struct {
		name    string
		content []byte
		steps   int
		spread  int // how far a query lands from the last one, at most
	}{
		{name: "small", content: []byte("{\n  \"a\": [\r\n\n    1,\n 2\n  ]\n}"), steps: 2000},
		{name: "large random", content: large, steps: 2000},
		{name: "large nearly increasing", content: large, steps: 20000, spread: 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lines := diag.NewLines("x", tc.content)
			c := newLineCursor(bytes.NewReader(tc.content), int64(len(tc.content)))
			r := rand.New(rand.NewPCG(1, 2))
			off := 0
			for range tc.steps {
				if tc.spread == 0 {
					off = r.IntN(len(tc.content)+3) - 1
				} else {
					off += r.IntN(tc.spread) - tc.spread/4
				}
				line, col := c.pos(int64(off))
				want := lines.Pos(int64(off))
				if line != want.Line || col != want.Column {
					t.Fatalf("offset %d: got %d:%d, want %d:%d", off, line, col, want.Line, want.Column)
				}
			}
		})
	}
}

// TestSnapshotKeys checks the keys Load decodes are those detect knows.
func TestSnapshotKeys(t *testing.T) {
	t.Parallel()
	var got []string
	for k := range handlers {
		if k != "AccountId" && k != "Region" {
			got = append(got, k)
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(detect.SnapshotKeys(), got); diff != "" {
		t.Errorf("keys (-detect +handlers):\n%s", diff)
	}
}

// TestLoadLarge checks a generated snapshot loads whole: every group,
// rule entry and interface.
func TestLoadLarge(t *testing.T) {
	t.Parallel()
	inv, diags := Load("large.json", genSnapshot(50, 10, 120))
	if inv == nil {
		t.Fatalf("diagnostics:\n%v", diags)
	}
	rules := 0
	for _, g := range inv.SecurityGroups {
		rules += len(g.Ingress) + len(g.Egress)
	}
	if got, want := [3]int{len(inv.SecurityGroups), rules, len(inv.NetworkInterfaces)}, [3]int{50, 50 * 11, 120}; got != want {
		t.Errorf("got (groups, rules, interfaces) %v, want %v", got, want)
	}
	if len(diags) != 0 {
		t.Errorf("diagnostics:\n%v", diags)
	}
}
