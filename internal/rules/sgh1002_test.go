package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH1002(t *testing.T) {
	t.Parallel()
	peered := hygIn("tcp", 443, 443, "444455556666/sg-peer")
	peered.Peer.VPCPeering = "pcx-1"
	groups := func() []*model.SecurityGroup {
		noOwner := &model.SecurityGroup{Name: "web", Origin: model.Origin{File: "main.tf", Line: 3, Address: "aws_security_group.web"},
			Ingress: []*model.Rule{hygIn("tcp", 80, 80, "777788889999/sg-partner")}}
		return []*model.SecurityGroup{
			hygGroup("sg-app", "app-sg",
				hygIn("tcp", 5432, 5432, "444455556666/sg-other"),
				hygIn("tcp", 5432, 5432, hygAccount+"/sg-own"),
				hygIn("tcp", 5432, 5432, "sg-unowned"),
				hygIn("tcp", 5432, 5432, "123456789012/sg-trusted"),
				hygOut("tcp", 9092, 9092, "444455556666/sg-kafka"),
				peered),
			noOwner,
		}
	}
	trusted := DefaultSettings()
	trusted.TrustedAccounts = []string{"123456789012"}
	const untrusted = ", which trusted_accounts does not list"
	tests := []struct {
		name     string
		settings Settings
		want     []hygEntry
	}{
		{
			name:     "another account's groups unless trusted",
			settings: trusted,
			want: []hygEntry{
				{Res: "aws_security_group.web", Entry: "ingress tcp 80-80 sg-partner", Sev: finding.Medium,
					Msg: "ingress 80/tcp from sg-partner references a group of account 777788889999" + untrusted + " (this group's own account is unknown)"},
				{Res: "sg-app", Entry: "egress tcp 9092-9092 sg-kafka", Sev: finding.Medium,
					Msg: "egress 9092/tcp to sg-kafka references a group of account 444455556666" + untrusted},
				{Res: "sg-app", Entry: "ingress tcp 443-443 sg-peer", Sev: finding.Medium,
					Msg: "ingress 443/tcp from sg-peer references a group of account 444455556666" + untrusted + " (through VPC peering pcx-1)"},
				{Res: "sg-app", Entry: "ingress tcp 5432-5432 sg-other", Sev: finding.Medium,
					Msg: "ingress 5432/tcp from sg-other references a group of account 444455556666" + untrusted},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: groups(), Has: model.SecurityGroups}
			got, _ := runHygiene(t, CrossAccountReference, inv, tt.settings)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
