package rules

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH705(t *testing.T) {
	t.Parallel()
	entries := func(dir model.Direction, n int) []*model.Rule {
		var rs []*model.Rule
		for i := range n {
			rs = append(rs, hygRule(dir, "tcp", 443, 443, fmt.Sprintf("10.0.%d.0/24", i)))
		}
		return rs
	}
	limit3 := DefaultSettings()
	limit3.MaxRulesPerGroup = 3
	tests := []struct {
		name     string
		g        *model.SecurityGroup
		settings Settings
		want     []hygEntry
	}{
		{
			name:     "at the default limit",
			g:        hygGroup("sg-1", "app-sg", entries(model.Ingress, 50)...),
			settings: DefaultSettings(),
		},
		{
			name:     "over the default limit in one direction",
			g:        hygGroup("sg-1", "app-sg", append(entries(model.Ingress, 51), entries(model.Egress, 50)...)...),
			settings: DefaultSettings(),
			want: []hygEntry{{Res: "sg-1", Sev: finding.Low,
				Msg: "group has 51 ingress rule entries, more than the limit of 50 (AWS's default quota is 60 per direction)"}},
		},
		{
			name:     "configured limit, both directions",
			g:        hygGroup("sg-1", "app-sg", append(entries(model.Ingress, 4), entries(model.Egress, 5)...)...),
			settings: limit3,
			want: []hygEntry{
				{Res: "sg-1", Sev: finding.Low, Msg: "group has 4 ingress rule entries, more than the limit of 3 (AWS's default quota is 60 per direction)"},
				{Res: "sg-1", Sev: finding.Low, Msg: "group has 5 egress rule entries, more than the limit of 3 (AWS's default quota is 60 per direction)"},
			},
		},
		{
			name:     "unset limit falls back to 50",
			g:        hygGroup("sg-1", "app-sg", entries(model.Egress, 51)...),
			settings: Settings{},
			want: []hygEntry{{Res: "sg-1", Sev: finding.Low,
				Msg: "group has 51 egress rule entries, more than the limit of 50 (AWS's default quota is 60 per direction)"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: []*model.SecurityGroup{tt.g}, Has: model.SecurityGroups}
			got, _ := runHygiene(t, TooManyRules, inv, tt.settings)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
