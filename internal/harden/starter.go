package harden

import (
	"fmt"
	"slices"
	"strings"
)

// Tier is one group of the guide's example hardened stack, as `sgharden
// init` writes it.
type Tier struct {
	// Name is the tier's name: bastion, web, app or db.
	Name        string
	Description string
	// Owner is the team the Owner tag names.
	Owner string
	Rules []TierRule
}

// TierRule is one rule of a tier.
type TierRule struct {
	// Egress is false for ingress.
	Egress bool
	Port   int
	// Peer is "trusted" (the trusted range), "world" (0.0.0.0/0) or the
	// name of another tier.
	Peer        string
	Description string
}

// Tiers are the tiers of the guide's example: SSH from a trusted range to
// the bastion only, HTTPS from the world to the web tier, the app port from
// the web tier, MySQL only from the app tier, and egress restricted to what
// each tier needs (443/tcp out where AWS APIs or updates need it, and the
// next tier's port).
var Tiers = []Tier{
	{Name: "bastion", Description: "Bastion host: SSH from the trusted range only", Owner: "platform-team", Rules: []TierRule{
		{Port: 22, Peer: "trusted", Description: "SSH from the trusted range (VPN or office)"},
		{Egress: true, Port: 22, Peer: "app", Description: "SSH to the app servers"},
		{Egress: true, Port: 443, Peer: "world", Description: "HTTPS for updates and AWS APIs"},
	}},
	{Name: "web", Description: "Web tier: HTTPS from the internet", Owner: "web-team", Rules: []TierRule{
		{Port: 443, Peer: "world", Description: "HTTPS from the internet"},
		{Port: 22, Peer: "bastion", Description: "SSH from the bastion"},
		{Egress: true, Port: 8080, Peer: "app", Description: "Requests to the app servers"},
		{Egress: true, Port: 443, Peer: "world", Description: "HTTPS for updates and AWS APIs"},
	}},
	{Name: "app", Description: "App tier: requests from the web tier only", Owner: "app-team", Rules: []TierRule{
		{Port: 8080, Peer: "web", Description: "Requests from the web tier"},
		{Port: 22, Peer: "bastion", Description: "SSH from the bastion"},
		{Egress: true, Port: 3306, Peer: "db", Description: "MySQL to the database"},
		{Egress: true, Port: 443, Peer: "world", Description: "HTTPS to AWS APIs (SQS, ECR)"},
	}},
	{Name: "db", Description: "Database tier: MySQL from the app tier only, no egress", Owner: "data-team", Rules: []TierRule{
		{Port: 3306, Peer: "app", Description: "MySQL from the app servers"},
	}},
}

// TemplateNames are the names `sgharden init --template` takes.
var TemplateNames = []string{"web", "app", "db", "bastion"}

// Template returns the tiers a template writes: one tier, or every tier
// for "" (the whole example).
func Template(name string) ([]Tier, error) {
	if name == "" {
		return Tiers, nil
	}
	for _, t := range Tiers {
		if t.Name == name {
			return []Tier{t}, nil
		}
	}
	return nil, fmt.Errorf("unknown template %q: use %s", name, strings.Join(TemplateNames, ", "))
}

// ExternalTiers returns the tiers that the rules of tiers refer to but
// that are not among them: their group IDs become inputs of the code.
func ExternalTiers(tiers []Tier) []string {
	var out []string
	for _, t := range tiers {
		for _, r := range t.Rules {
			if r.Peer == "trusted" || r.Peer == "world" || slices.ContainsFunc(tiers, func(x Tier) bool { return x.Name == r.Peer }) {
				continue
			}
			if !slices.Contains(out, r.Peer) {
				out = append(out, r.Peer)
			}
		}
	}
	return out
}

// StarterTrustedCIDR is the trusted range of the starter configuration:
// the guide's example range, to be replaced by the user's own.
const StarterTrustedCIDR = "10.0.0.0/24"

// StarterConfig is the .sgharden.yaml `sgharden init` writes.
const StarterConfig = `# sgharden configuration, written by ` + "`sgharden init`" + `; see CONTRACT.md for every key.

# Your VPN or office ranges. SGH202 flags admin ports open to anything else,
# and ` + "`sgharden plan`" + ` replaces SSH or RDP open to the world with them.
# Replace the guide's example range with your own.
trusted_cidrs: [` + StarterTrustedCIDR + `]

# Ports the world may reach (SGH101 skips them): HTTPS only.
allowed_public_ports: [443]

# Ports allowed out to public addresses (SGH503): HTTPS only, as the guide advises.
allowed_egress_ports: [443/tcp]

# Group names: purpose, "sg", environment (web-sg-prod, db-sg-test).
naming_pattern: '^[a-z0-9]+(-[a-z0-9]+)*-sg-(prod|staging|dev|test)$'

# Tags every group must carry (SGH803).
required_tags: [Owner, Environment]

# Most rule entries per group and direction (SGH705).
max_rules_per_group: 50
`

// UsesTrusted reports whether a rule of tiers admits the trusted range.
func UsesTrusted(tiers []Tier) bool {
	for _, t := range tiers {
		for _, r := range t.Rules {
			if r.Peer == "trusted" {
				return true
			}
		}
	}
	return false
}
