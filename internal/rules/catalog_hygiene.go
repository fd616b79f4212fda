package rules

// hygieneRules are the rules about upkeep, network ACLs, references, flow
// logs and IAM: SGH601, SGH701, SGH702, SGH704-706, SGH801-803, SGH901,
// SGH902, SGH1001, SGH1002, SGH1101, SGH1301, SGH1302.
var hygieneRules = []*Rule{
	FlowLogsMissing,
	UnusedGroup,
	RedundantRule,
	StaleReference,
	TooManyRules,
	DefaultGroupOpen,
	GenericName,
	MissingDescription,
	MissingTags,
	NACLPublicAdminPort,
	NACLAllowAll,
	ReferenceToBroadGroup,
	CrossAccountReference,
	UnmanagedGroup,
	IAMBroadSGWrite,
	IAMSGWriteWithoutMFA,
}
