// Package awstest is a local AWS endpoint for tests: an [httptest.Server]
// on loopback that speaks the real wire protocols of the APIs sgharden
// calls, so that the real AWS SDK (and the AWS CLI) can be pointed at it
// with a base endpoint and static test credentials.
//
// # Protocols
//
//   - EC2 Query API: form-encoded requests, XML responses, NextToken and
//     MaxResults pagination, EC2's <Response><Errors> error shape.
//   - IAM and STS query protocol: XML responses in a Result wrapper, Marker
//     pagination for GetAccountAuthorizationDetails, policy documents
//     URL-encoded as AWS sends them.
//   - Organizations JSON 1.1 (X-Amz-Target): ListAccounts with NextToken.
//
// The element names of the XML come from the service models (botocore's
// service-2.json, see names.go), and a test proves that the SDK reads back
// every field the server writes.
//
// # State
//
// The server holds a mutable in-memory model of accounts, each with regions
// (security groups, interfaces, instances, VPCs, subnets, route tables,
// gateways, network ACLs, flow logs, prefix lists, stale references) and IAM
// details, held as the SDK's own types. [NewRegion] and [NewIAM] build
// realistic fixtures. Requests tell accounts apart by the access key of the
// credentials (the static base key, or a key that AssumeRole handed out) and
// regions by the SigV4 credential scope of the Authorization header.
//
// EC2 actions are dispatched through a table ([Server.HandleEC2]) so that
// write operations (AuthorizeSecurityGroupIngress and the like) can be added
// on the same state.
//
// # Faults
//
// [Fault] injects, on demand and for chosen accounts, regions and actions:
// throttling (RequestLimitExceeded, Throttling), HTTP 500 and 503 answers,
// slow answers, connection resets and access denied. A region can be marked
// not enabled, and answers AuthFailure or OptInRequired as an opt-in region
// does.
//
// The server only listens on 127.0.0.1; nothing in it contacts any other
// address.
package awstest
