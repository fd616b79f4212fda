package rules

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

func TestSGH803(t *testing.T) {
	t.Parallel()
	tagged := func(g *model.SecurityGroup, tags map[string]string) *model.SecurityGroup { g.Tags = tags; return g }
	required := DefaultSettings()
	required.RequiredTags = []string{"Owner", "Environment"}
	rulesOnly := hygGroup("sg-ro", "")
	rulesOnly.RulesOnly = true
	tests := []struct {
		name     string
		groups   []*model.SecurityGroup
		settings Settings
		want     []hygEntry
	}{
		{
			name:     "no required tags configured",
			groups:   []*model.SecurityGroup{hygGroup("sg-1", "app-sg")},
			settings: DefaultSettings(),
		},
		{
			name: "missing, empty and miscased tags",
			groups: []*model.SecurityGroup{
				tagged(hygGroup("sg-1", "app-sg"), map[string]string{"Owner": "team-app", "Environment": "prod"}),
				tagged(hygGroup("sg-2", "db-sg"), map[string]string{"Owner": "team-db"}),
				tagged(hygGroup("sg-3", "web-sg"), map[string]string{"owner": "team-web", "Environment": " "}),
				hygGroup("sg-def", "default"),
				rulesOnly,
			},
			settings: required,
			want: []hygEntry{
				{Res: "sg-2", Sev: finding.Low, Msg: "group lacks the required tag Environment"},
				{Res: "sg-3", Sev: finding.Low, Msg: "group lacks the required tags Owner, Environment (empty)"},
				{Res: "sg-def", Sev: finding.Low, Msg: "group lacks the required tags Owner, Environment"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &model.Inventory{SecurityGroups: tt.groups, Has: model.SecurityGroups}
			got, _ := runHygiene(t, MissingTags, inv, tt.settings)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
