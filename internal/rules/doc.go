// Package rules is the rule catalogue: one [Rule] per ID of RULES.md, each in
// its own file (sgh201.go) with its documentation beside its code.
//
// # Running
//
// Rules see only the model. [NewContext] indexes an inventory; [Context.Run]
// runs a list of rules (usually [All]) and returns their findings and notes.
// Rules report through [Context.EmitGroup] and [Context.EmitNode].
//
// # The world
//
// [Context.WorldSpans] decides what the whole internet can reach through a
// rule entry: 0.0.0.0/0, ::/0, a prefix list whose entries cover either, and
// sets of CIDRs in one group that together cover either for the same
// protocol and ports (0.0.0.0/1 + 128.0.0.0/1).
package rules
