package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/finding"
)

func TestExposedOnly(t *testing.T) {
	t.Parallel()
	f := func(id string, e finding.Exposure) finding.Finding {
		return finding.Finding{RuleID: id, Exposure: e}
	}
	tests := []struct {
		name string
		in   []finding.Finding
		want []finding.Finding
		note string
	}{
		{name: "nothing", in: nil, want: []finding.Finding{}},
		{name: "all exposed", in: []finding.Finding{f("SGH201", finding.ExposureInternet)}, want: []finding.Finding{f("SGH201", finding.ExposureInternet)}},
		{
			name: "every kind left out",
			in: []finding.Finding{
				f("SGH201", finding.ExposureVPC), f("SGH101", finding.ExposureInternet), f("SGH203", finding.ExposureUnknown),
				f("SGH701", finding.ExposureUnattached), f("SGH901", finding.ExposureNone), f("SGH102", finding.ExposureInternet),
				f("SGH1301", finding.ExposureNone),
			},
			want: []finding.Finding{f("SGH101", finding.ExposureInternet), f("SGH102", finding.ExposureInternet)},
			note: "--exposed-only left out 5 findings: 1 with unknown exposure (the inventory lacks what decides it; they may be exposed), " +
				"1 with vpc exposure, 1 with unattached exposure, 2 with no exposure (not about a security group); run without it to see them",
		},
		{
			name: "one left out",
			in:   []finding.Finding{f("SGH201", finding.ExposureVPC)},
			want: []finding.Finding{},
			note: "--exposed-only left out 1 finding: 1 with vpc exposure; run without it to see them",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, note := ExposedOnly(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if note != tt.note {
				t.Errorf("note = %q, want %q", note, tt.note)
			}
		})
	}
}
