// Package model is the one typed inventory that every input adapts into and
// that every analysis reads: security groups and their rule entries, network
// interfaces, instances, VPCs, subnets, route tables, gateways, network ACLs,
// flow-log configurations, prefix lists and IAM policies.
//
// # Origins
//
// Every node carries an [Origin]: where it came from, as a cloud ID with
// account and region, or as a file position with an infrastructure-as-code
// address. Findings are located through origins, so a new input kind only has
// to fill them in.
//
// # Collections
//
// Some rules may only decide when the inventory holds a kind of resource at
// all (an empty list of flow logs is not the same as no knowledge of flow
// logs). [Inventory.Has] records which collections the inputs provided, and
// [Inventory.Coverage] which ones they provided for each account and region:
// a snapshot of eu-west-1 holding flow logs says nothing of the flow logs of
// us-east-1. Rules ask [Inventory.HoldsFor] about a node's own account and
// region, and [Inventory.Holds] where the whole inventory is the question.
// An input records its coverage with [Inventory.Cover], or
// [Inventory.InferCoverage] infers it from its nodes before
// [Inventory.Merge] joins inputs.
//
// The package imports nothing else of sgharden.
package model
