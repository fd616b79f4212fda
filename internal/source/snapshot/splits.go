package snapshot

import (
	"bytes"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// layout is what the head of a file says about how it is printed.
type layout struct {
	base int64 // where the content starts, after a byte order mark
	// separator is what stands between two elements of a top-level list:
	// a newline, the indentation of depth 2, "},", a newline, the
	// indentation again, and the '{' of the next element.
	separator []byte
	indent    int64 // the length of the indentation of depth 2
}

// learnLayout reads the indentation of the file from its head: the
// whitespace between the top-level '{' and the first key, which must hold a
// newline and be indented with spaces or tabs. ok is false for a file laid
// out otherwise (all on one line, say), which is decoded sequentially.
func learnLayout(src io.ReaderAt, size int64) (lay layout, ok bool) {
	head := make([]byte, min(size, 4096))
	n, _ := src.ReadAt(head, 0) // a short head only fails to show the layout
	head = head[:n]
	if bytes.HasPrefix(head, utf8BOM) {
		lay.base = int64(len(utf8BOM))
	}
	rest := bytes.TrimLeft(head[lay.base:], " \t\r\n")
	if len(rest) == 0 || rest[0] != '{' {
		return layout{}, false
	}
	after := rest[1:]
	key := bytes.IndexByte(after, '"')
	if key < 0 || len(bytes.Trim(after[:key], " \t\r\n")) > 0 {
		return layout{}, false
	}
	ws := after[:key]
	nl := bytes.LastIndexByte(ws, '\n')
	if nl < 0 {
		return layout{}, false
	}
	indent := ws[nl+1:]
	if len(indent) == 0 || len(bytes.Trim(indent, " \t")) > 0 {
		return layout{}, false
	}
	eol := []byte("\n")
	if nl > 0 && ws[nl-1] == '\r' {
		eol = []byte("\r\n")
	}
	two := bytes.Repeat(indent, 2)
	sep := append(append(append(append(append(append([]byte(nil), eol...), two...), "},"...), eol...), two...), '{')
	return layout{base: lay.base, separator: sep, indent: int64(len(two))}, true
}

// maxTries is how many separators a region may show without an element of
// a recognised list before it is given no split.
const maxTries = 4

// findSplits returns the split of each region of the content after the
// first (the first loader starts at the top), in order: the first
// separator in the region whose element seems to belong to a list of
// [listKeys]. A region may have none.
func findSplits(src io.ReaderAt, size int64, lay layout, regions int64) []split {
	var splits []split
	buf := make([]byte, chunkSize)
	for k := int64(1); k < regions; k++ {
		from, to := regionStart(lay.base, size, regions, k), regionStart(lay.base, size, regions, k+1)
		off, key := findSplit(src, size, lay.separator, from, to, buf)
		if off >= 0 {
			splits = append(splits, split{off: off, key: key, start: off - lay.indent})
		}
	}
	return splits
}

// regionStart returns where region k of regions starts, in the content
// from base to size.
func regionStart(base, size, regions, k int64) int64 {
	return base + (size-base)*k/regions
}

// findSplit returns the offset of the '{' of the first separator whose
// '{' lies in [from, to) and starts an element of a list of [listKeys],
// and the key of that list; -1 when there is none among the first
// maxTries separators.
func findSplit(src io.ReaderAt, size int64, sep []byte, from, to int64, buf []byte) (int64, string) {
	last := int64(len(sep) - 1) // from the start of a separator to its '{'
	pos := max(from-last, 0)
	tries := 0
	for pos+last < to {
		n, _ := src.ReadAt(buf[:min(int64(len(buf)), size-pos)], pos) // a short read ends the search early
		i := bytes.Index(buf[:n], sep)
		if i < 0 {
			if n < len(sep) {
				return -1, ""
			}
			pos += int64(n) - last // a separator may straddle the windows
			continue
		}
		off := pos + int64(i) + last
		if off >= to {
			return -1, ""
		}
		if key := guessKey(src, size, off); key != "" {
			return off, key
		}
		if tries++; tries == maxTries {
			return -1, ""
		}
		pos += int64(i) + 1
	}
	return -1, ""
}

// listKeys maps member names that, among the elements of top-level lists,
// only the elements of one list hold to the key of that list. Members
// shared by several kinds (GroupId, SubnetId, UserName) are left out.
var listKeys = map[string]string{
	"IpPermissions":            "SecurityGroups",
	"IpPermissionsEgress":      "SecurityGroups",
	"SecurityGroupRuleId":      "SecurityGroupRules",
	"NetworkInterfaceId":       "NetworkInterfaces",
	"ReservationId":            "Reservations",
	"Instances":                "Reservations",
	"RouteTableId":             "RouteTables",
	"NetworkAclId":             "NetworkAcls",
	"FlowLogId":                "FlowLogs",
	"InternetGatewayId":        "InternetGateways",
	"StaleIpPermissions":       "StaleSecurityGroupSet",
	"StaleIpPermissionsEgress": "StaleSecurityGroupSet",
	"UserPolicyList":           "UserDetailList",
	"GroupPolicyList":          "GroupDetailList",
	"RolePolicyList":           "RoleDetailList",
	"AssumeRolePolicyDocument": "RoleDetailList",
	"PolicyVersionList":        "Policies",
	"DefaultVersionId":         "Policies",
}

// guessLimit is how far into an element [guessKey] reads.
const guessLimit = 64 << 10

// guessKey returns the key of the top-level list whose elements look like
// the object at off: the list of its first member found in [listKeys]; ""
// when none is found within guessLimit bytes.
func guessKey(src io.ReaderAt, size, off int64) string {
	d := jsontext.NewDecoder(io.NewSectionReader(src, off, min(size-off, guessLimit)))
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '{' {
		return ""
	}
	for d.PeekKind() == '"' {
		name, err := d.ReadToken()
		if err != nil {
			return ""
		}
		if key := listKeys[name.String()]; key != "" {
			return key
		}
		if d.SkipValue() != nil {
			return ""
		}
	}
	return ""
}
