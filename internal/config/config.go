package config

import (
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"time"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// Config is a parsed configuration file. A nil slice, map or pointer means
// the key is absent and the default applies; a non-nil empty slice means the
// file sets an empty list.
type Config struct {
	// Name is the file's path, as given to [Parse] or [Load].
	Name string

	TrustedCIDRs       []netip.Prefix
	TrustedPrefixLists []string
	// AllowedPublicPorts holds both TCP and UDP for a bare number.
	AllowedPublicPorts []ports.Port
	// AllowedEgressPorts holds TCP for a bare number.
	AllowedEgressPorts []ports.Port
	MaxPublicPrefixV4  *int
	MaxPublicPrefixV6  *int
	NamingPattern      *regexp.Regexp
	RequiredTags       []string
	TrustedAccounts    []string
	NetworkAdmins      []string
	MaxRulesPerGroup   *int

	// Severity overrides the default severity of rules, by rule ID.
	Severity map[string]finding.Severity
	// Ignore lists the suppressions, in file order.
	Ignore []Suppression
}

// Suppression is one entry of the ignore list: findings of Rule on a
// resource matching Resource are accepted, for Reason, until Expires.
type Suppression struct {
	Rule string
	// Resource is a path.Match glob on a finding's resource ID or name; the
	// empty string matches every resource.
	Resource string
	Reason   string
	// Expires is the last day the suppression applies (UTC midnight); the
	// zero time means it never expires.
	Expires time.Time
	// Pos is where the entry is written in the configuration file.
	Pos diag.Range
}

// Default returns the configuration used without a file: every key absent.
func Default() *Config { return &Config{} }

// Load reads and parses the configuration file at path. An unreadable file
// is an error diagnostic naming it.
func Load(path string) (*Config, diag.List) {
	content, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		d := diag.Errorf(&diag.Range{Filename: path}, "read configuration: %v", err)
		return nil, diag.List{d}
	}
	return Parse(path, content)
}

// Settings returns the rule settings: [rules.DefaultSettings] with every key
// the file sets replaced by its value. The result shares no slice with c.
func (c *Config) Settings() rules.Settings {
	s := rules.DefaultSettings()
	if c.TrustedCIDRs != nil {
		s.TrustedCIDRs = slices.Clone(c.TrustedCIDRs)
	}
	if c.TrustedPrefixLists != nil {
		s.TrustedPrefixLists = slices.Clone(c.TrustedPrefixLists)
	}
	if c.AllowedPublicPorts != nil {
		s.AllowedPublicPorts = slices.Clone(c.AllowedPublicPorts)
	}
	if c.AllowedEgressPorts != nil {
		s.AllowedEgressPorts = slices.Clone(c.AllowedEgressPorts)
	}
	if c.MaxPublicPrefixV4 != nil {
		s.MaxPublicPrefixV4 = *c.MaxPublicPrefixV4
	}
	if c.MaxPublicPrefixV6 != nil {
		s.MaxPublicPrefixV6 = *c.MaxPublicPrefixV6
	}
	if c.NamingPattern != nil {
		s.NamingPattern = c.NamingPattern
	}
	if c.RequiredTags != nil {
		s.RequiredTags = slices.Clone(c.RequiredTags)
	}
	if c.TrustedAccounts != nil {
		s.TrustedAccounts = slices.Clone(c.TrustedAccounts)
	}
	if c.NetworkAdmins != nil {
		s.NetworkAdmins = slices.Clone(c.NetworkAdmins)
	}
	if c.MaxRulesPerGroup != nil {
		s.MaxRulesPerGroup = *c.MaxRulesPerGroup
	}
	return s
}
