package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// MixedTierGroup reports groups that serve the web tier and also admit
// data-store ports by IP range.
var MixedTierGroup = &Rule{
	ID: "SGH401", Slug: "mixed-tier-group", Practice: 4, Severity: finding.Medium,
	Title: "one group admits web ports and also admits data-store ports from an IP range",
	Doc: Doc{
		Rationale: "The guide asks for separate security groups for web servers, application servers and " +
			"databases, and for group-to-group rules instead of IP ranges (practice 4). A group that takes web " +
			"traffic and data-store traffic by address puts both tiers behind one set of rules.",
		Flags: "Data-store ingress entries (MSSQL, Oracle, MySQL/Aurora, PostgreSQL, Redshift, CouchDB, Redis, " +
			"Cassandra, InfluxDB, Kafka, Elasticsearch/OpenSearch, Memcached, MongoDB; ranges included) from a " +
			"CIDR or prefix list, in a group that also admits a web port (80/tcp, 443/tcp, 443/udp) from any " +
			"source. One finding per data-store entry, naming the web entry.",
		NotFlagged: "Data-store ports admitted only from security group references or the group itself: that is " +
			"tier separation done right, as in the guide's hardened example (3306 from the application server's " +
			"group). Entries that open every port or every protocol, which say nothing about what the group " +
			"serves (SGH102 reports them). Groups without a web port.",
		Remediation: "Split the group: a web group that admits 80/443, and a data group that admits the " +
			"data-store port only from the web or application group. In Terraform: `ingress { from_port = 3306, " +
			"to_port = 3306, protocol = \"tcp\", security_groups = [aws_security_group.app.id] }` on the data " +
			"group; with the AWS CLI, `aws ec2 authorize-security-group-ingress --group-id sg-data… " +
			"--ip-permissions IpProtocol=tcp,FromPort=3306,ToPort=3306,UserIdGroupPairs=[{GroupId=sg-app…}]` " +
			"and revoke the IP-range entry.",
		Peers: "Prowler, Security Hub, Checkov and Trivy have no tier check; they judge entries one by one and " +
			"would only report the data-store port if it were open to the internet.",
	},
	Check: checkMixedTierGroup,
}

func checkMixedTierGroup(c *Context) {
	for _, g := range c.Inv.SecurityGroups {
		web, webSvcs := expMixedTierWeb(g)
		if web == nil {
			continue
		}
		for _, r := range g.Ingress {
			if expOpensAll(r) || r.Peer.Kind == model.PeerGroup {
				continue
			}
			ds := expOpened([]Span{expSpan(r)}, ports.DataStore)
			if len(ds) == 0 {
				continue
			}
			msg := fmt.Sprintf("%s %s open to %s in a group that also admits web traffic (%s from %s): "+
				"web and data tiers share this group%s", ports.Describe(ds), expIsAre(len(ds) > 1), expPeer(c, g, r),
				ports.Describe(webSvcs), expPeer(c, g, web), expUnresolved(r))
			c.EmitGroup(g, r, c.Severity(), expServiceSpans(ds), msg)
		}
	}
}

// expMixedTierWeb returns the first ingress entry of g that admits a web port,
// and the web ports it opens.
func expMixedTierWeb(g *model.SecurityGroup) (*model.Rule, []ports.Service) {
	for _, r := range g.Ingress {
		if expOpensAll(r) {
			continue
		}
		if svcs := expOpened([]Span{expSpan(r)}, expWeb); len(svcs) > 0 {
			return r, svcs
		}
	}
	return nil, nil
}
