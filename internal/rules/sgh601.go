package rules

import (
	"fmt"
	"strings"

	"github.com/sgharden/sgharden/internal/finding"
	"github.com/sgharden/sgharden/internal/model"
)

// FlowLogsMissing (SGH601) reports VPCs without an active VPC-level flow log
// that captures rejected traffic. It decides only where the inventory holds
// flow-log configurations of the VPC's account and region; otherwise it
// leaves a note.
var FlowLogsMissing = &Rule{
	ID: "SGH601", Slug: "flow-logs-missing", Practice: 6, Severity: finding.Medium,
	Title: "a VPC with no active VPC-level flow log capturing ALL or REJECT traffic",
	Doc: Doc{
		Rationale: "The guide asks for VPC Flow Logs to see allowed and denied traffic and to alert on " +
			"unauthorised access attempts (practice 6). Without a flow log there is no record of who " +
			"tried to reach what, and no way to tell which rules are still used.",
		Flags: "Each VPC of the inventory that has no flow log whose resource is the VPC itself, whose " +
			"status is ACTIVE (or unset, for infrastructure as code) and whose traffic type is ALL or " +
			"REJECT. Decided only when the inputs hold flow-log configurations for the VPC's account and " +
			"region: a `FlowLogs` key in a snapshot (even empty), which counts for the file's `AccountId` " +
			"and `Region` (a file without them counts for every region, and for every account unless its resources all have one owner), the live API, or " +
			"flow-log resources in code. Without them the report carries a note saying the rule is " +
			"undecided, and no finding; when only some accounts or regions lack them, one note for each " +
			"names the account and region whose VPCs are undecided.",
		NotFlagged: "A flow log on a subnet or a network interface: it covers only that subnet or " +
			"interface, not the VPC (the message names such logs). A log of ACCEPT traffic only: it " +
			"misses the rejected attempts practice 6 asks to watch. VPCs the inventory does not hold " +
			"(a flow log naming an unknown VPC is not a finding). Whether the log's delivery succeeds " +
			"(DeliverLogsStatus) is not checked.",
		Remediation: "Create a VPC-level flow log capturing all traffic, e.g. " +
			"`aws ec2 create-flow-logs --resource-type VPC --resource-ids vpc-0123456789abcdef0 " +
			"--traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::my-flow-logs`, " +
			"or in Terraform `resource \"aws_flow_log\" \"vpc\" { vpc_id = aws_vpc.main.id " +
			"traffic_type = \"ALL\" log_destination_type = \"s3\" log_destination = aws_s3_bucket.logs.arn }`. " +
			"Then alert on REJECT records to admin ports (see SGH602).",
		Peers: "AWS Security Hub EC2.6 and Checkov CKV2_AWS_11 ask for a flow log on every VPC; Security " +
			"Hub accepts only REJECT (or ALL) and so do we, while Checkov accepts any traffic type. " +
			"Prowler's vpc_flow_logs_enabled also counts only VPC-level logs; Trivy AVD-AWS-0178 checks " +
			"Terraform code for an aws_flow_log per VPC. Unlike them, we stay " +
			"silent (with a note) when the input simply lacks flow-log data, rather than reporting " +
			"every VPC.",
	},
	Check: checkFlowLogsMissing,
}

func checkFlowLogsMissing(c *Context) {
	if len(c.Inv.VPCs) == 0 {
		return
	}
	if !c.Inv.Holds(model.FlowLogs) {
		c.Note(fmt.Sprintf("flow logs of %s are undecided: the inputs hold no flow-log configurations "+
			"(no FlowLogs key); add the output of `aws ec2 describe-flow-logs` to the snapshot, even if empty",
			hygPlural(len(c.Inv.VPCs), "VPC", "VPCs")))
		return
	}
	eniVPC := make(map[string]string, len(c.Inv.NetworkInterfaces))
	for _, n := range c.Inv.NetworkInterfaces {
		eniVPC[n.Origin.Region+"/"+n.ID] = n.VPCID
	}
	undecided := undecidedPlaces{}
	for _, v := range c.Inv.VPCs {
		if !c.Inv.HoldsFor(v.Origin, model.FlowLogs) {
			undecided[v.Origin.Place()]++
			continue
		}
		var misses []string
		covered := false
		for _, fl := range c.Inv.FlowLogs {
			if !hygSameScope(v.Origin, fl.Origin) {
				continue
			}
			ok, miss := flowLogCovers(c.Index, v, fl, eniVPC)
			covered = covered || ok
			if miss != "" {
				misses = append(misses, miss)
			}
		}
		if covered {
			continue
		}
		msg := "VPC has no active VPC-level flow log capturing ALL or REJECT traffic"
		if len(misses) > 0 {
			msg += "; " + strings.Join(misses, "; ")
		}
		c.EmitNode(VPCResource(v), v.Origin, nil, c.Severity(), msg)
	}
	undecided.each(func(p model.AccountRegion, n int) {
		c.Note(fmt.Sprintf("flow logs of %s in %s are undecided: the inputs hold no flow-log configurations there "+
			"(no FlowLogs key); add the output of `aws ec2 describe-flow-logs` in that account and region to the snapshot, even if empty",
			hygPlural(n, "VPC", "VPCs"), p))
	})
}

// hygSameScope reports whether two cloud nodes are in the same account and
// region, as far as both say.
func hygSameScope(a, b model.Origin) bool {
	return a.Region == b.Region && (a.Account == "" || b.Account == "" || a.Account == b.Account)
}

// flowLogCovers says whether flow log fl covers VPC v, and if it relates to
// v without covering it, why not.
func flowLogCovers(x *model.Index, v *model.VPC, fl *model.FlowLog, eniVPC map[string]string) (bool, string) {
	name := fl.ID
	if name == "" {
		name = fl.Origin.Address
	}
	if fl.ResourceID == "" {
		return false, ""
	}
	switch {
	case fl.ResourceID == v.ID || (v.Origin.Address != "" && fl.ResourceID == v.Origin.Address):
		active := fl.Status == "" || strings.EqualFold(fl.Status, "ACTIVE")
		traffic := strings.EqualFold(fl.TrafficType, "ALL") || strings.EqualFold(fl.TrafficType, "REJECT")
		switch {
		case !active:
			return false, fmt.Sprintf("flow log %s is %s, not ACTIVE", name, fl.Status)
		case !traffic:
			return false, fmt.Sprintf("flow log %s captures %s traffic only, not the rejected attempts", name, fl.TrafficType)
		}
		return true, ""
	case v.ID == "":
		// A VPC known only by its address has no subnets or interfaces by ID.
	case strings.HasPrefix(fl.ResourceID, "subnet-"):
		if s := x.Subnet(v.Origin, fl.ResourceID); s != nil && s.VPCID == v.ID {
			return false, fmt.Sprintf("flow log %s covers subnet %s only", name, fl.ResourceID)
		}
	case strings.HasPrefix(fl.ResourceID, "eni-"):
		if eniVPC[v.Origin.Region+"/"+fl.ResourceID] == v.ID {
			return false, fmt.Sprintf("flow log %s covers network interface %s only", name, fl.ResourceID)
		}
	}
	return false, ""
}
