package config

import (
	"github.com/sgharden/sgharden/internal/suggest"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// cmpOpts compares the types cmp cannot look into.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmp.Comparer(func(a, b *regexp.Regexp) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.String() == b.String()
	}),
}

func intp(v int) *int { return &v }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func pos(name string, line, col, byteOff int) diag.Range {
	p := diag.Pos{Line: line, Column: col, Byte: byteOff}
	return diag.Range{Filename: name, Start: p, End: p}
}

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	content, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return content
}

// TestParseContract parses the example of CONTRACT.md.
func TestParseContract(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"SGH201", "SGH204"} {
		if rules.Lookup(id) == nil {
			t.Skipf("rule %s is not registered yet", id)
		}
	}
	name := filepath.Join("testdata", "contract.yaml")
	got, diags := Parse(name, readFile(t, name))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := &Config{
		Name:               name,
		TrustedCIDRs:       prefixes("203.0.113.0/24", "2001:db8::/48"),
		TrustedPrefixLists: []string{"pl-0123456789abcdef0"},
		AllowedPublicPorts: []ports.Port{{Num: 80, Proto: "tcp"}, {Num: 80, Proto: "udp"}, {Num: 443, Proto: "tcp"}, {Num: 443, Proto: "udp"}},
		AllowedEgressPorts: []ports.Port{{Num: 443, Proto: "tcp"}, {Num: 53, Proto: "udp"}, {Num: 123, Proto: "udp"}},
		MaxPublicPrefixV4:  intp(24),
		MaxPublicPrefixV6:  intp(64),
		NamingPattern:      regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-sg-(prod|staging|dev|test)$`),
		RequiredTags:       []string{"Owner", "Environment"},
		TrustedAccounts:    []string{"111122223333"},
		NetworkAdmins:      []string{"arn:aws:iam::123456789012:role/NetworkAdmin"},
		MaxRulesPerGroup:   intp(50),
		Severity:           map[string]finding.Severity{"SGH204": finding.Low},
		Ignore: []Suppression{{
			Rule:     "SGH201",
			Resource: "sg-0abc*",
			Reason:   "bastion host, reviewed",
			Expires:  day("2027-01-31"),
			Pos:      pos(name, 13, 5, 801),
		}},
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestParseFull parses every key in block style, with rule IDs that are
// registered.
func TestParseFull(t *testing.T) {
	t.Parallel()
	name := filepath.Join("testdata", "full.yaml")
	got, diags := Parse(name, readFile(t, name))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := &Config{
		Name:               name,
		TrustedCIDRs:       prefixes("203.0.113.0/24", "198.51.100.17/32", "2001:db8::/48"),
		TrustedPrefixLists: []string{"pl-0123456789abcdef0"},
		AllowedPublicPorts: []ports.Port{{Num: 443, Proto: "tcp"}, {Num: 443, Proto: "udp"}, {Num: 8443, Proto: "tcp"}, {Num: 25, Proto: "tcp"}},
		AllowedEgressPorts: []ports.Port{{Num: 443, Proto: "tcp"}, {Num: 53, Proto: "udp"}, {Num: 123, Proto: "udp"}},
		MaxPublicPrefixV6:  intp(56),
		NamingPattern:      regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-sg-(prod|dev)$`),
		RequiredTags:       []string{"Owner", "Environment"},
		TrustedAccounts:    []string{"111122223333", "012345678901", "012345678902"},
		NetworkAdmins:      []string{"arn:aws:iam::123456789012:role/NetworkAdmin", "arn:aws:iam::123456789012:user/alice"},
		MaxRulesPerGroup:   intp(40),
		Severity:           map[string]finding.Severity{"SGH602": finding.Critical, "SGH1101": finding.Medium},
		Ignore: []Suppression{
			{Rule: "SGH703", Resource: "sg-0abc*", Reason: "bastion host, reviewed", Expires: day("2027-01-31"), Pos: pos(name, 30, 5, 791)},
			{Rule: "SGH1101", Reason: "imported next quarter", Pos: pos(name, 34, 5, 890)},
			{Rule: "SGH1501", Resource: "aws_security_group.web[0]", Reason: "scanner noise", Pos: pos(name, 36, 5, 944)},
		},
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestParseAnchors checks that aliases resolve; an alias's entry carries
// the position of the node it names.
func TestParseAnchors(t *testing.T) {
	t.Parallel()
	name := filepath.Join("testdata", "anchors.yaml")
	got, diags := Parse(name, readFile(t, name))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	scanner := Suppression{Rule: "SGH602", Resource: "eni-0aaa*", Reason: "scanner subnet", Pos: pos(name, 3, 5, 66)}
	want := &Config{
		Name: name,
		Ignore: []Suppression{
			scanner,
			{Rule: "SGH1501", Resource: "eni-0aaa*", Reason: "scanner subnet", Pos: pos(name, 4, 5, 146)},
			scanner,
		},
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestParseEmpty checks that files without keys give the default
// configuration, with nothing set.
func TestParseEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
	}{
		{name: "empty", content: ""},
		{name: "comment", content: "# nothing configured yet\n"},
		{name: "document marker", content: "---\n"},
		{name: "null", content: "~\n"},
		{name: "empty mapping", content: "{}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := Parse("c.yaml", []byte(tt.content))
			if len(diags) != 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			if diff := cmp.Diff(&Config{Name: "c.yaml"}, got, cmpOpts); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseEmptyLists checks that [] sets an empty list, which differs from
// an absent key.
func TestParseEmptyLists(t *testing.T) {
	t.Parallel()
	content := "trusted_cidrs: []\nallowed_public_ports: []\nallowed_egress_ports: []\nrequired_tags: []\nseverity: {}\nignore: []\n"
	got, diags := Parse("c.yaml", []byte(content))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := &Config{
		Name:               "c.yaml",
		TrustedCIDRs:       []netip.Prefix{},
		AllowedPublicPorts: []ports.Port{},
		AllowedEgressPorts: []ports.Port{},
		RequiredTags:       []string{},
		Severity:           map[string]finding.Severity{},
		Ignore:             []Suppression{},
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestParseWarnings checks that a warning comes with a usable Config.
func TestParseWarnings(t *testing.T) {
	t.Parallel()
	got, diags := Parse("c.yaml", []byte("trusted_cidrs: [0.0.0.0/0, '::/0']\n"))
	wantDiags := []string{
		"c.yaml:1:17: warning: trusted CIDR 0.0.0.0/0 is the whole internet\n  hint: every source becomes trusted; list your office and VPN ranges instead",
		"c.yaml:1:28: warning: trusted CIDR ::/0 is the whole internet\n  hint: every source becomes trusted; list your office and VPN ranges instead",
	}
	if diff := cmp.Diff(wantDiags, render(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	want := &Config{Name: "c.yaml", TrustedCIDRs: prefixes("0.0.0.0/0", "::/0")}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func render(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, d.Error())
	}
	return out
}

// TestLoad reads files from disk.
func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(good, []byte("max_rules_per_group: 10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("max_rule_per_group: 10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name      string
		path      string
		want      *Config
		wantDiags []string
	}{
		{name: "good", path: good, want: &Config{Name: good, MaxRulesPerGroup: intp(10)}},
		{
			name:      "invalid",
			path:      bad,
			wantDiags: []string{bad + ":1:1: error: unknown key \"max_rule_per_group\"\n  hint: did you mean \"max_rules_per_group\"?"},
		},
		{
			name:      "missing",
			path:      missing,
			wantDiags: []string{missing + ": error: read configuration: no such file or directory"},
		},
		{
			name:      "directory",
			path:      dir,
			wantDiags: []string{dir + ": error: read configuration: is a directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := Load(tt.path)
			if diff := cmp.Diff(tt.wantDiags, render(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("Load (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSettings checks how a Config overrides the default settings.
func TestSettings(t *testing.T) {
	t.Parallel()
	defaults := rules.DefaultSettings()
	tests := []struct {
		name string
		cfg  *Config
		want rules.Settings
	}{
		{name: "default", cfg: Default(), want: defaults},
		{
			name: "every key",
			cfg: &Config{
				TrustedCIDRs:       prefixes("203.0.113.0/24"),
				TrustedPrefixLists: []string{"pl-0123456789abcdef0"},
				AllowedPublicPorts: []ports.Port{{Num: 8443, Proto: "tcp"}},
				AllowedEgressPorts: []ports.Port{{Num: 53, Proto: "udp"}},
				MaxPublicPrefixV4:  intp(28),
				MaxPublicPrefixV6:  intp(0),
				NamingPattern:      regexp.MustCompile(`-sg-`),
				RequiredTags:       []string{"Owner"},
				TrustedAccounts:    []string{"111122223333"},
				NetworkAdmins:      []string{"arn:aws:iam::123456789012:role/NetworkAdmin"},
				MaxRulesPerGroup:   intp(10),
				Severity:           map[string]finding.Severity{"SGH602": finding.Low},
			},
			want: rules.Settings{
				TrustedCIDRs:       prefixes("203.0.113.0/24"),
				TrustedPrefixLists: []string{"pl-0123456789abcdef0"},
				AllowedPublicPorts: []ports.Port{{Num: 8443, Proto: "tcp"}},
				AllowedEgressPorts: []ports.Port{{Num: 53, Proto: "udp"}},
				MaxPublicPrefixV4:  28,
				MaxPublicPrefixV6:  0,
				NamingPattern:      regexp.MustCompile(`-sg-`),
				RequiredTags:       []string{"Owner"},
				TrustedAccounts:    []string{"111122223333"},
				NetworkAdmins:      []string{"arn:aws:iam::123456789012:role/NetworkAdmin"},
				MaxRulesPerGroup:   10,
			},
		},
		{
			name: "empty lists replace the default ports",
			cfg:  &Config{AllowedPublicPorts: []ports.Port{}, AllowedEgressPorts: []ports.Port{}},
			want: rules.Settings{
				AllowedPublicPorts: []ports.Port{},
				AllowedEgressPorts: []ports.Port{},
				MaxPublicPrefixV4:  defaults.MaxPublicPrefixV4,
				MaxPublicPrefixV6:  defaults.MaxPublicPrefixV6,
				MaxRulesPerGroup:   defaults.MaxRulesPerGroup,
			},
		},
		{
			name: "one prefix length",
			cfg:  &Config{MaxPublicPrefixV6: intp(56)},
			want: rules.Settings{
				AllowedPublicPorts: defaults.AllowedPublicPorts,
				AllowedEgressPorts: defaults.AllowedEgressPorts,
				MaxPublicPrefixV4:  24,
				MaxPublicPrefixV6:  56,
				MaxRulesPerGroup:   defaults.MaxRulesPerGroup,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.cfg.Settings(), cmpOpts); diff != "" {
				t.Errorf("Settings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSettingsCopies checks that changing the settings leaves the Config
// alone.
func TestSettingsCopies(t *testing.T) {
	t.Parallel()
	c := &Config{RequiredTags: []string{"Owner"}, TrustedCIDRs: prefixes("10.0.0.0/8")}
	s := c.Settings()
	s.RequiredTags[0] = "changed"
	s.TrustedCIDRs[0] = netip.MustParsePrefix("192.168.0.0/16")
	want := &Config{RequiredTags: []string{"Owner"}, TrustedCIDRs: prefixes("10.0.0.0/8")}
	if diff := cmp.Diff(want, c, cmpOpts); diff != "" {
		t.Errorf("Config changed (-want +got):\n%s", diff)
	}
}

// TestNearest checks the suggestions for misspelt names.
func TestNearest(t *testing.T) {
	t.Parallel()
	keys := []string{"rule", "resource", "reason", "expires"}
	tests := []struct {
		name string
		s    string
		max  int
		want string
	}{
		{name: "exact", s: "rule", max: 1, want: "rule"},
		{name: "case", s: "REASON", max: 0, want: "reason"},
		{name: "deletion", s: "reasn", max: 3, want: "reason"},
		{name: "swap", s: "resaon", max: 1, want: "reason"},
		{name: "insertion", s: "expiress", max: 1, want: "expires"},
		{name: "tie goes to the first", s: "re", max: 3, want: "rule"},
		{name: "too far", s: "owner", max: 3, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := suggest.Nearest(tt.s, keys, tt.max); got != tt.want {
				t.Errorf("suggest.Nearest(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}
