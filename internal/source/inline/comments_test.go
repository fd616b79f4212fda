package inline

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromComments(t *testing.T) {
	t.Parallel()
	content := []byte(`# sgharden:ignore SGH201 reviewed bastion
# an ordinary comment
web:
  rules:
    # sgharden:ignore SGH802 legacy rule
    - port: 22
      cidr: 0.0.0.0/0

# sgharden:ignore SGH101 floating
other: 1
# sgharden:ignore SGH102 at the end`)
	blocks := []Block{{Start: 3, End: 7}, {Start: 3, End: 4}, {Start: 6, End: 7}}
	got := FromComments("f.yml", content, blocks, "not above a block")
	type covered struct {
		Rule       string
		Start, End int
		Invalid    string
	}
	var sum []covered
	for _, s := range got {
		sum = append(sum, covered{Rule: s.Rules[0], Start: s.StartLine, End: s.EndLine, Invalid: s.Invalid})
	}
	want := []covered{
		{Rule: "SGH201", Start: 3, End: 7},
		{Rule: "SGH802", Start: 6, End: 7},
		{Rule: "SGH101", Start: 9, End: 9, Invalid: "not above a block"},
		{Rule: "SGH102", Start: 11, End: 11, Invalid: "not above a block"},
	}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
