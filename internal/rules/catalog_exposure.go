package rules

// exposureRules are the rules about what groups admit: SGH101-104,
// SGH201-204, SGH401-403, SGH501-503, SGH1401.
var exposureRules = []*Rule{
	WorldIngress,
	AllPortsIngress,
	BroadCIDRIngress,
	NonCanonicalCIDR,
	PublicAdminPort,
	UntrustedAdminPort,
	PublicHighRiskPort,
	PublicWebPort,
	MixedTierGroup,
	SharedAcrossRoles,
	InternalByIP,
	EgressAll,
	DatastoreInternetEgress,
	EgressNotHTTPS,
	InsecureProtocol,
}
