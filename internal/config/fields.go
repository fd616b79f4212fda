package config

import (
	"errors"
	"fmt"
	"github.com/sgharden/sgharden/internal/suggest"
	"net/netip"
	"path"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/ports"
	"github.com/sgharden/sgharden/internal/rules"
)

// topLevel names the whole file in messages.
const topLevel = "the configuration"

// field is one top-level key and how to decode it into a Config.
type field struct {
	key    string
	decode func(p *parser, c *Config, n *yaml.Node)
}

// fields lists the top-level keys in the order of the documentation.
var fields = []field{
	{key: "trusted_cidrs", decode: (*parser).trustedCIDRs},
	{key: "trusted_prefix_lists", decode: (*parser).trustedPrefixLists},
	{key: "allowed_public_ports", decode: (*parser).allowedPublicPorts},
	{key: "allowed_egress_ports", decode: (*parser).allowedEgressPorts},
	{key: "max_public_prefix", decode: (*parser).maxPublicPrefix},
	{key: "naming_pattern", decode: (*parser).namingPattern},
	{key: "required_tags", decode: (*parser).requiredTags},
	{key: "trusted_accounts", decode: (*parser).trustedAccounts},
	{key: "network_admins", decode: (*parser).networkAdmins},
	{key: "max_rules_per_group", decode: (*parser).maxRulesPerGroup},
	{key: "severity", decode: (*parser).severity},
	{key: "ignore", decode: (*parser).ignore},
}

// examples shows a value of each key whose shape can go wrong, for hints.
var examples = map[string]string{
	"trusted_cidrs":        "[203.0.113.0/24, 2001:db8::/48]",
	"trusted_prefix_lists": "[pl-0123456789abcdef0]",
	"allowed_public_ports": "[80, 443]",
	"allowed_egress_ports": "[443/tcp, 53/udp]",
	"max_public_prefix":    "{ipv4: 24, ipv6: 64}",
	"required_tags":        "[Owner, Environment]",
	"trusted_accounts":     `["111122223333"]`,
	"network_admins":       `["arn:aws:iam::123456789012:role/NetworkAdmin"]`,
	"severity":             "{SGH204: low}",
	"ignore":               "[{rule: SGH201, resource: sg-0abc*, reason: reviewed}]",
}

// maxRules is the largest max_rules_per_group: AWS never evaluates more
// than 1000 rules for one network interface.
const maxRules = 1000

// top decodes the top-level mapping.
func (p *parser) top(c *Config, root *yaml.Node) {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "start each line with a key, such as trusted_cidrs: [203.0.113.0/24]",
			"the configuration must be a mapping of keys, not %s", describe(root))
		return
	}
	p.mapping(root, topLevel, "", keys, func(key string, _, v *yaml.Node) {
		f := fields[slices.Index(keys, key)]
		f.decode(p, c, v)
	})
}

// stringList decodes a list of non-empty strings, each checked by check (which
// reports its own problems and returns false to drop the item).
func (p *parser) stringList(n *yaml.Node, key string, check func(item *yaml.Node, s string) bool) []string {
	out, seen := []string{}, map[string]bool{}
	p.list(n, key, exampleOf(key), func(item *yaml.Node) {
		s, ok := p.scalar(item, "an item of "+key)
		if ok && (check == nil || check(item, s)) {
			out = appendNew(out, seen, s)
		}
	})
	return out
}

// appendNew appends v to list unless seen holds it, and records it.
func appendNew[T comparable](list []T, seen map[T]bool, v T) []T {
	if seen[v] {
		return list
	}
	seen[v] = true
	return append(list, v)
}

func exampleOf(key string) string {
	return key + ": " + examples[key]
}

func (p *parser) trustedCIDRs(c *Config, n *yaml.Node) {
	c.TrustedCIDRs = []netip.Prefix{}
	seen := map[netip.Prefix]bool{}
	p.stringList(n, "trusted_cidrs", func(item *yaml.Node, s string) bool {
		pfx, err := cidr.Parse(s)
		switch {
		case err != nil:
			p.cidrError(item, s, err)
			return false
		case !cidr.IsCanonical(pfx):
			one := netip.PrefixFrom(pfx.Addr(), pfx.Addr().BitLen())
			p.errorf(item, fmt.Sprintf("write %s for the whole range, or %s for one address", pfx.Masked(), one),
				"trusted CIDR %q has host bits set", s)
			return false
		case cidr.IsWorld(pfx):
			p.warnf(item, "every source becomes trusted; list your office and VPN ranges instead",
				"trusted CIDR %s is the whole internet", pfx)
		}
		c.TrustedCIDRs = appendNew(c.TrustedCIDRs, seen, pfx)
		return true
	})
}

// cidrError reports a CIDR that cidr.Parse rejects, keeping its details
// (a missing /length, a zone) unless the text is no address at all.
func (p *parser) cidrError(n *yaml.Node, s string, err error) {
	plain := fmt.Sprintf("invalid CIDR %q", s)
	msg := err.Error()
	if _, addrErr := netip.ParseAddr(strings.TrimSpace(s)); !strings.Contains(s, "/") && addrErr != nil {
		msg = plain
	}
	hint := ""
	if msg == plain {
		hint = "write an IPv4 or IPv6 range such as 203.0.113.0/24 or 2001:db8::/48"
	}
	p.errorf(n, hint, "%s", msg)
}

var prefixListID = regexp.MustCompile(`^pl-[0-9a-f]+$`)

func (p *parser) trustedPrefixLists(c *Config, n *yaml.Node) {
	c.TrustedPrefixLists = p.stringList(n, "trusted_prefix_lists", func(item *yaml.Node, s string) bool {
		if !prefixListID.MatchString(s) {
			p.errorf(item, "a prefix list ID is pl- followed by hexadecimal digits, such as pl-0123456789abcdef0",
				"invalid prefix list ID %q", s)
			return false
		}
		return true
	})
}

func (p *parser) allowedPublicPorts(c *Config, n *yaml.Node) {
	c.AllowedPublicPorts = p.ports(n, "allowed_public_ports", true)
}

func (p *parser) allowedEgressPorts(c *Config, n *yaml.Node) {
	c.AllowedEgressPorts = p.ports(n, "allowed_egress_ports", false)
}

// ports decodes a list of ports ("443/tcp", "53/udp" or a bare number). A
// bare number is TCP, and also UDP when bareUDP is set.
func (p *parser) ports(n *yaml.Node, key string, bareUDP bool) []ports.Port {
	out, seen := []ports.Port{}, map[ports.Port]bool{}
	add := func(pt ports.Port) { out = appendNew(out, seen, pt) }
	p.stringList(n, key, func(item *yaml.Node, s string) bool {
		pt, err := ports.ParsePort(s)
		if err != nil {
			p.errorf(item, "", "%v", err)
			return false
		}
		add(pt)
		if bareUDP && !strings.Contains(s, "/") {
			add(ports.Port{Num: pt.Num, Proto: ports.UDP})
		}
		return true
	})
	return out
}

func (p *parser) maxPublicPrefix(c *Config, n *yaml.Node) {
	p.mapping(n, "max_public_prefix", exampleOf("max_public_prefix"), []string{"ipv4", "ipv6"}, func(key string, _, v *yaml.Node) {
		bits := 32
		if key == "ipv6" {
			bits = 128
		}
		if b, ok := p.integer(v, "max_public_prefix."+key, 0, bits); ok {
			if key == "ipv4" {
				c.MaxPublicPrefixV4 = &b
			} else {
				c.MaxPublicPrefixV6 = &b
			}
		}
	})
}

func (p *parser) namingPattern(c *Config, n *yaml.Node) {
	s, ok := p.scalar(n, "naming_pattern")
	if !ok {
		return
	}
	re, err := regexp.Compile(s)
	if err != nil {
		msg := err.Error()
		var se *syntax.Error
		if errors.As(err, &se) {
			msg = fmt.Sprintf("%s in `%s`", se.Code, se.Expr)
		}
		p.errorf(n, "the pattern uses Go's RE2 syntax; quote it with single quotes so that YAML keeps backslashes",
			"naming_pattern is not a valid regular expression: %s", msg)
		return
	}
	c.NamingPattern = re
}

func (p *parser) requiredTags(c *Config, n *yaml.Node) {
	c.RequiredTags = p.stringList(n, "required_tags", nil)
}

func (p *parser) trustedAccounts(c *Config, n *yaml.Node) {
	c.TrustedAccounts = p.stringList(n, "trusted_accounts", func(item *yaml.Node, s string) bool {
		if !isAccountID(s) {
			p.errorf(item, `write the account's 12 digits, such as "111122223333"`,
				"trusted account %q is not a 12-digit AWS account ID", s)
			return false
		}
		return true
	})
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (p *parser) networkAdmins(c *Config, n *yaml.Node) {
	c.NetworkAdmins = p.stringList(n, "network_admins", func(item *yaml.Node, s string) bool {
		if !strings.HasPrefix(s, "arn:") || strings.Count(s, ":") < 5 {
			p.errorf(item, "write the principal's IAM ARN, such as arn:aws:iam::123456789012:role/NetworkAdmin",
				"network admin %q is not an ARN", s)
			return false
		}
		return true
	})
}

func (p *parser) maxRulesPerGroup(c *Config, n *yaml.Node) {
	if v, ok := p.integer(n, "max_rules_per_group", 1, maxRules); ok {
		c.MaxRulesPerGroup = &v
	}
}

func (p *parser) severity(c *Config, n *yaml.Node) {
	c.Severity = map[string]finding.Severity{}
	p.mapping(n, "severity", exampleOf("severity"), nil, func(id string, k, v *yaml.Node) {
		okID := p.checkRuleID(k, id)
		s, ok := p.scalar(v, "the severity of "+id)
		if !ok {
			return
		}
		sev, err := finding.ParseSeverity(s)
		if err != nil {
			names := finding.Severities()
			hint := "use " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
			if near := suggest.Nearest(s, finding.Severities(), 2); near != "" {
				hint = fmt.Sprintf("did you mean %q?", near)
			}
			p.errorf(v, hint, "unknown severity %q", s)
			return
		}
		if okID {
			c.Severity[id] = sev
		}
	})
}

// checkRuleID reports an ID that names no rule, suggesting the nearest one.
func (p *parser) checkRuleID(n *yaml.Node, id string) bool {
	if rules.Lookup(id) != nil {
		return true
	}
	all := rules.All()
	ids := make([]string, len(all))
	for i, r := range all {
		ids[i] = r.ID
	}
	hint := "`sgharden rules` lists every rule ID"
	if near := suggest.Nearest(id, ids, 1); near != "" {
		hint = fmt.Sprintf("did you mean %q?", near)
	}
	p.errorf(n, hint, "unknown rule ID %q", id)
	return false
}

var ignoreKeys = []string{"rule", "resource", "reason", "expires"}

func (p *parser) ignore(c *Config, n *yaml.Node) {
	c.Ignore = []Suppression{}
	p.list(n, "ignore", exampleOf("ignore"), func(item *yaml.Node) {
		if s, ok := p.suppression(item); ok {
			c.Ignore = append(c.Ignore, s)
		}
	})
}

// suppression decodes one entry of the ignore list. It reports every
// problem; ok is false only when the entry is not a mapping (any problem
// makes the whole Config nil).
func (p *parser) suppression(item *yaml.Node) (s Suppression, ok bool) {
	s.Pos = *p.rng(item)
	hasRule, reasonAt := false, item
	ok = p.mapping(item, "an ignore entry", "{rule: SGH201, resource: sg-0abc*, reason: reviewed}", ignoreKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "rule":
			hasRule = true
			if text, good := p.scalar(v, key); good && p.checkRuleID(v, text) {
				s.Rule = text
			}
		case "resource":
			s.Resource = p.resource(v)
		case "reason":
			reasonAt = v
			s.Reason = p.reason(v)
		case "expires":
			if text, good := p.scalar(v, key); good {
				s.Expires = p.date(v, text)
			}
		}
	})
	if !ok {
		return s, false
	}
	if !hasRule {
		p.errorf(item, "add rule: followed by the ID of the rule to suppress, such as SGH201", "an ignore entry needs a rule")
	}
	if s.Reason == "" && (reasonAt == item || reasonAt.Kind == yaml.ScalarNode) {
		p.errorf(reasonAt, `add reason: saying why the finding is accepted, such as "bastion host, reviewed"`, "suppressions need a reason")
	}
	return s, true
}

// resource returns a valid glob, reporting an empty or malformed one.
func (p *parser) resource(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" && strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "remove resource: to cover every resource, or write a glob such as sg-0abc*", "resource is empty")
		return ""
	}
	glob, ok := p.scalar(n, "resource")
	if !ok {
		return ""
	}
	if _, err := path.Match(glob, ""); err != nil {
		p.errorf(n, `use * for any characters, ? for one, [abc] for a set; write \[ for a literal [`,
			"invalid resource pattern %q", glob)
		return ""
	}
	return glob
}

// reason returns the text of a reason, empty when it is null or blank.
func (p *parser) reason(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "", "reason must be a string, not %s", describe(n))
		return ""
	}
	if n.ShortTag() == "!!null" {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// date parses an expiry date, reporting anything but YYYY-MM-DD.
func (p *parser) date(n *yaml.Node, s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.errorf(n, "write the date as YYYY-MM-DD, such as 2027-01-31", "invalid expires date %q", s)
	}
	return t
}
