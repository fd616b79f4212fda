package flowgen

import (
	"encoding/json"
	"fmt"
	"io"
)

// Group IDs of the roles.
const (
	GroupWeb     = "sg-00000000000000web"
	GroupApp     = "sg-00000000000000app"
	GroupDB      = "sg-000000000000000db"
	GroupBastion = "sg-0000000000000bast"
)

// WriteSnapshot writes an AWS CLI JSON snapshot of n interfaces, their VPC
// and the four groups of their roles:
//
//   - web: 443 and 80 from the world, 22 from 203.0.113.0/24, all egress;
//   - app: 8080 from the web group, 9100 from the VPC, all egress;
//   - database: 5432 and 6379 from the app group, no egress;
//   - bastion: 22 from the world, all egress.
func WriteSnapshot(w io.Writer, n int) error {
	if n < 10 {
		return fmt.Errorf("%d interfaces: generate at least 10, so that every role has one", n)
	}
	all := []any{perm("-1", 0, []string{"0.0.0.0/0"}, nil)}
	groups := []any{
		group(GroupWeb, "web", []any{perm("tcp", 443, []string{"0.0.0.0/0"}, nil), perm("tcp", 80, []string{"0.0.0.0/0"}, nil),
			perm("tcp", 22, []string{"203.0.113.0/24"}, nil)}, all),
		group(GroupApp, "app", []any{perm("tcp", 8080, nil, []string{GroupWeb}), perm("tcp", 9100, []string{"10.0.0.0/16"}, nil)}, all),
		group(GroupDB, "db", []any{perm("tcp", 5432, nil, []string{GroupApp}), perm("tcp", 6379, nil, []string{GroupApp})}, []any{}),
		group(GroupBastion, "bastion", []any{perm("tcp", 22, []string{"0.0.0.0/0"}, nil)}, all),
	}
	gid := [4]string{GroupWeb, GroupApp, GroupDB, GroupBastion}
	nis := make([]any, 0, n)
	for i := range n {
		nis = append(nis, map[string]any{"NetworkInterfaceId": InterfaceID(i), "VpcId": VPC, "SubnetId": "subnet-0bench", "OwnerId": Account,
			"InterfaceType": "interface", "Status": "in-use", "PrivateIpAddress": LocalIP(i),
			"PrivateIpAddresses": []any{map[string]any{"PrivateIpAddress": LocalIP(i), "Primary": true}},
			"Groups":             []any{map[string]any{"GroupId": gid[roleOf(i)], "GroupName": "g"}}})
	}
	doc := map[string]any{"AccountId": Account, "Region": Region,
		"Vpcs":              []any{map[string]any{"VpcId": VPC, "CidrBlock": "10.0.0.0/16", "OwnerId": Account, "IsDefault": false}},
		"SecurityGroups":    groups,
		"NetworkInterfaces": nis}
	b, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func group(id, role string, ingress, egress []any) map[string]any {
	return map[string]any{"GroupId": id, "GroupName": role + "-sg-prod", "VpcId": VPC, "OwnerId": Account, "Description": role,
		"IpPermissions": ingress, "IpPermissionsEgress": egress}
}

func perm(proto string, port int, cidrs []string, groups []string) map[string]any {
	p := map[string]any{"IpProtocol": proto, "IpRanges": []any{}, "UserIdGroupPairs": []any{}}
	if proto != "-1" {
		p["FromPort"], p["ToPort"] = port, port
	}
	var rs, gs []any
	for _, c := range cidrs {
		rs = append(rs, map[string]any{"CidrIp": c})
	}
	for _, g := range groups {
		gs = append(gs, map[string]any{"GroupId": g})
	}
	if rs != nil {
		p["IpRanges"] = rs
	}
	if gs != nil {
		p["UserIdGroupPairs"] = gs
	}
	return p
}
