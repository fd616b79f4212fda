package cloudformation

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// smallInventory holds two groups that use every kind of peer.
func smallInventory() *model.Inventory {
	web := &model.SecurityGroup{ID: "sg-0aaa", Name: "web-sg-prod", Description: "Web tier", VPCID: "vpc-01",
		OwnerID: "111122223333", Tags: map[string]string{"Owner": "web", "aws:cloudformation:stack-name": "old"}}
	db := &model.SecurityGroup{ID: "sg-0bbb", Name: "db-sg-prod", Description: "Database", VPCID: "vpc-01", OwnerID: "111122223333"}
	web.Ingress = []*model.Rule{
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 443, ToPort: 443, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}, Description: "HTTPS"},
		{Direction: model.Ingress, Protocol: "tcp", FromPort: -1, ToPort: -1, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("2001:db8::/32")}},
		{Direction: model.Ingress, Protocol: "icmp", FromPort: 8, ToPort: -1, Peer: model.Peer{Kind: model.PeerGroup, GroupID: "sg-0aaa", Self: true}},
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 9100, ToPort: 9100, Peer: model.Peer{Kind: model.PeerGroup, GroupID: "sg-0ccc", GroupOwner: "999988887777"}},
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: model.Peer{Kind: model.PeerPrefixList, PrefixListID: "pl-0123"}},
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 8080, ToPort: 8080, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("10.0.5.7/16")}},
		{Direction: model.Ingress, Protocol: "tcp", FromPort: 1, ToPort: 1, Peer: model.Peer{Kind: model.PeerCIDR}, Unresolved: "x"},
	}
	web.Egress = []*model.Rule{
		{Direction: model.Egress, Protocol: "-1", FromPort: -1, ToPort: -1, Peer: model.Peer{Kind: model.PeerCIDR, CIDR: pfx("0.0.0.0/0")}},
		{Direction: model.Egress, Protocol: "tcp", FromPort: 5432, ToPort: 5432, Peer: model.Peer{Kind: model.PeerGroup, GroupID: "sg-0bbb"}, Description: "PostgreSQL"},
	}
	db.Ingress = []*model.Rule{{Direction: model.Ingress, Protocol: "tcp", FromPort: 5432, ToPort: 5432,
		Peer: model.Peer{Kind: model.PeerGroup, GroupID: "sg-0aaa"}, Description: "from web"}}
	def := &model.SecurityGroup{ID: "sg-0ddd", Name: "default", VPCID: "vpc-01"}
	return &model.Inventory{SecurityGroups: []*model.SecurityGroup{web, db, def}}
}

// TestWrite compares the template of a small inventory with
// testdata/small.golden (go test -update rewrites it).
func TestWrite(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Write(&buf, smallInventory()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "small.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("template (-want +got):\n%s", diff)
	}
}

func TestLogicalID(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{name: "web-sg-prod", want: "WebSgProd"},
		{name: "launch-wizard-3", want: "LaunchWizard3"},
		{name: "3tier_app", want: "Sg3tierApp"},
		{name: "", want: "Sg"},
		{name: "café sg", want: "CafSg"},
	}
	for _, tt := range tests {
		if got := LogicalID(tt.name); got != tt.want {
			t.Errorf("LogicalID(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
