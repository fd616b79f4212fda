package rules

import (
	"fmt"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/ports"
)

// DatastoreInternetEgress reports groups that admit data-store ports and
// also allow egress to public addresses.
var DatastoreInternetEgress = &Rule{
	ID: "SGH502", Slug: "datastore-internet-egress", Practice: 5, Severity: finding.High,
	Title: "a group that admits data-store ports also allows egress to a public CIDR",
	Doc: Doc{
		Rationale: "The guide says a database should only communicate with the application server or other " +
			"internal services, not the entire internet (practice 5): egress from a data store to the internet " +
			"is the path data takes when it is stolen.",
		Flags: "Egress entries to a public CIDR (the world included) or to a customer-managed prefix list with a " +
			"public entry, in a group that admits a data-store port (MSSQL, Oracle, MySQL/Aurora, PostgreSQL, " +
			"Redshift, CouchDB, Redis, Cassandra, InfluxDB, Kafka, Elasticsearch/OpenSearch, Memcached, MongoDB) " +
			"from any source, when the entry opens something beyond allowed_egress_ports. Reported on each such " +
			"egress entry, naming the data-store port. Reported alongside SGH501 and SGH503.",
		NotFlagged: "Egress that only opens allowed_egress_ports (default 443/tcp): the guide allows outbound 443 " +
			"for AWS services such as SQS or ECR. ICMP egress, which opens no port. Egress to private ranges, group " +
			"references and AWS-managed prefix lists (com.amazonaws.…, such as the S3 gateway endpoint's). Groups " +
			"whose only data-store evidence is an entry for every port or protocol (SGH102 reports those).",
		Remediation: "Remove the data store's egress to the internet; admit only what it initiates itself " +
			"(replication to its peers' group, backups through a VPC endpoint). With the AWS CLI: `aws ec2 " +
			"revoke-security-group-egress --group-id sg-db… --ip-permissions " +
			"IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]`; in Terraform, give the group explicit `egress` blocks " +
			"(an empty `egress = []` removes all egress).",
		Peers: "Prowler, Security Hub, Checkov and Trivy judge egress entries on their own (Trivy AVD-AWS-0104, " +
			"Checkov CKV_AWS_382) without asking what the group serves; none ties internet egress to a data store.",
	},
	Check: checkDatastoreInternetEgress,
}

func checkDatastoreInternetEgress(c *Context) {
	allowed := expSetOfPorts(c.Settings.AllowedEgressPorts)
	for _, g := range c.Inv.SecurityGroups {
		ds, dsSvcs := expDataStoreEntry(g)
		if ds == nil {
			continue
		}
		for _, r := range g.Egress {
			rest := expSetOf([]Span{expSpan(r)}).minus(allowed).withoutICMP()
			if rest.empty() || !expPublicDest(c, g, r) {
				continue
			}
			span := expSpan(r)
			msg := fmt.Sprintf("the group admits data-store traffic (%s from %s) and allows %s to %s%s",
				ports.Describe(dsSvcs), expPeer(c, g, ds), ports.DescribeRule(span.Proto, span.Range.From, span.Range.To),
				expPeer(c, g, r), expUnresolved(r))
			c.EmitGroup(g, r, c.Severity(), []Span{span}, msg)
		}
	}
}

// expDataStoreEntry returns the first ingress entry of g that admits a
// data-store port without opening every port, and the services it opens.
func expDataStoreEntry(g *model.SecurityGroup) (*model.Rule, []ports.Service) {
	for _, r := range g.Ingress {
		if expOpensAll(r) {
			continue
		}
		if svcs := expOpened([]Span{expSpan(r)}, ports.DataStore); len(svcs) > 0 {
			return r, svcs
		}
	}
	return nil, nil
}
