package snapshot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/detect"
)

// maxErrors is how many input errors one file may report before loading
// stops: past that, more of them help nobody.
const maxErrors = 50

// errStop ends a load whose diagnostics are already recorded.
var errStop = errors.New("stop")

// errHandoff ends a loader of a parallel load at a split, where the next
// loader took over.
var errHandoff = errors.New("handoff")

// Load parses one snapshot file held in memory; see [LoadReaderAt].
func Load(name string, content []byte) (*model.Inventory, diag.List) {
	return LoadReaderAt(name, bytes.NewReader(content), int64(len(content)))
}

// LoadReaderAt parses one snapshot file of size bytes read from src: a JSON
// object holding AWS CLI output under the top-level keys of
// [detect.SnapshotKeys], and optionally AccountId and Region. name is used
// in diagnostics and in every node's [model.Origin].
//
// The file is decoded as a stream, through buffers of bounded size: a
// large file is never held whole, except to describe an error.
//
// On success the diagnostics hold only warnings. On any error LoadReaderAt
// returns a nil inventory and every error it found (up to 50), each with its
// position.
func LoadReaderAt(name string, src io.ReaderAt, size int64) (*model.Inventory, diag.List) {
	return loadWith(name, src, size, defaultOptions())
}

// loadWith is [LoadReaderAt] with the given options: a large file is
// decoded in parallel when it can be (see parallel.go), and sequentially
// otherwise, or whenever the parallel load finds anything wrong, so that
// diagnostics always come from the sequential path.
func loadWith(name string, src io.ReaderAt, size int64, opts options) (*model.Inventory, diag.List) {
	if l, _ := loadParallel(name, src, size, opts); l != nil {
		return l.result()
	}
	l := newLoader(name, src, size)
	l.load()
	if !l.diags.HasErrors() {
		l.finish()
	}
	return l.result()
}

// newLoader returns a loader for the whole file, at its start.
func newLoader(name string, src io.ReaderAt, size int64) *loader {
	return &loader{
		name:     name,
		src:      src,
		size:     size,
		cursor:   newLineCursor(src, size),
		inv:      &model.Inventory{},
		groups:   make(map[string]*model.SecurityGroup),
		ruleSets: make(map[string]*ruleSet),
		handoff:  -1,
	}
}

// result returns the inventory and the diagnostics, sorted, with a note
// when loading stopped at too many errors; no inventory on any error.
func (l *loader) result() (*model.Inventory, diag.List) {
	l.diags.Sort()
	if l.stopped {
		l.diags = append(l.diags, &diag.Diagnostic{
			Severity: diag.Error,
			Summary:  fmt.Sprintf("too many errors: stopped after %d", maxErrors),
			Subject:  &diag.Range{Filename: l.name},
		})
	}
	if l.diags.HasErrors() {
		return nil, l.diags
	}
	return l.inv, l.diags
}

// LoadFS loads a snapshot file, or every .json file under a directory (read
// recursively, in lexical order), and merges them with
// [model.Inventory.Merge]. In a directory, JSON files that are not snapshots
// (see [detect.Detect]) are skipped with a warning; a file named explicitly
// that is not a snapshot is an error.
//
// Groups known only from describe-security-group-rules in one file and
// fully from describe-security-groups in another are combined: the full
// group keeps its name, description and tags and takes the rules, which
// carry rule IDs.
//
// On any error LoadFS returns a nil inventory with the diagnostics of every
// file.
func LoadFS(fsys fs.FS, name string) (*model.Inventory, diag.List) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, diag.List{readError(name, err)}
	}
	if !info.IsDir() {
		content, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, diag.List{readError(name, err)}
		}
		return Load(name, content)
	}
	inv := &model.Inventory{}
	var diags diag.List
	_ = fs.WalkDir(fsys, name, func(p string, e fs.DirEntry, err error) error { // reports through diags
		if err != nil {
			diags = append(diags, readError(p, err))
			return nil
		}
		if e.IsDir() || !strings.EqualFold(path.Ext(p), ".json") {
			return nil
		}
		content, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags = append(diags, readError(p, err))
			return nil
		}
		if kind := detect.Detect(p, content); kind != detect.Snapshot {
			d := &diag.Diagnostic{
				Severity: diag.Warning,
				Summary:  "skipped: not an AWS CLI snapshot",
				Detail:   "a snapshot is a JSON object with keys such as \"SecurityGroups\", as aws ec2 describe-security-groups prints it",
				Subject:  &diag.Range{Filename: p},
			}
			if kind != detect.Unknown {
				d.Summary = fmt.Sprintf("skipped: a %s file, not an AWS CLI snapshot", kind)
				d.Detail = ""
			}
			diags = append(diags, d)
			return nil
		}
		one, ds := Load(p, content)
		diags = append(diags, ds...)
		if one != nil {
			adoptRules(inv, one)
			inv.Merge(one)
		}
		return nil
	})
	if diags.HasErrors() {
		return nil, diags
	}
	inv.Sort()
	return inv, diags
}

func readError(name string, err error) *diag.Diagnostic {
	return &diag.Diagnostic{
		Severity: diag.Error,
		Summary:  fmt.Sprintf("cannot read the snapshot: %v", err),
		Subject:  &diag.Range{Filename: name},
	}
}

// adoptRules combines, before a merge, a group known only from its rules in
// one inventory with the same group known fully in the other: the full group
// takes the rules (they carry rule IDs) and stays, as within one file.
func adoptRules(have, add *model.Inventory) {
	type key struct{ account, region, id string }
	keyOf := func(g *model.SecurityGroup) key { return key{g.Origin.Account, g.Origin.Region, g.ID} }
	index := make(map[key]int, len(have.SecurityGroups))
	for i, g := range have.SecurityGroups {
		index[keyOf(g)] = i
	}
	for _, g := range add.SecurityGroups {
		i, ok := index[keyOf(g)]
		if !ok {
			continue
		}
		old := have.SecurityGroups[i]
		switch {
		case old.RulesOnly && !g.RulesOnly:
			g.Ingress, g.Egress = old.Ingress, old.Egress
			have.SecurityGroups[i] = g
		case !old.RulesOnly && g.RulesOnly:
			old.Ingress, old.Egress = g.Ingress, g.Egress
		}
	}
}

// loader holds the state of one Load.
type loader struct {
	name string
	src  io.ReaderAt // the file as given
	size int64       // its size
	// The content is the file without a UTF-8 byte order mark; the
	// decoder's offsets count from its start, base bytes into the file.
	base    int64
	content []byte      // the content, read whole only to describe an error (see all)
	cursor  *lineCursor // positions of nodes and diagnostics
	diags   diag.List
	errors  int  // error diagnostics so far
	stopped bool // more errors than maxErrors: some were not reported
	inv     *model.Inventory
	key     string   // the top-level key being decoded
	keys    []string // the top-level keys decoded so far
	known   bool     // a key of detect.SnapshotKeys was among them
	ended   bool     // the object was decoded to its end

	// AccountId and Region, when the file gives them.
	account, region string

	groups   map[string]*model.SecurityGroup // by ID
	ruleSets map[string]*ruleSet             // describe-security-group-rules, by group ID
	ruleIDs  []string                        // keys of ruleSets in order of appearance
	slab     []model.Rule
	strs     [256]string // the string cache of the wire readers

	prefixLists []*model.PrefixList
	plEntries   []plEntry

	iam iamState

	// A loader taking part in a parallel load (see parallel.go) reports
	// errors without locating them, and stops at the first one: the file is
	// then loaded again, sequentially. It also stops at the next split it
	// meets, where another loader took over.
	par      *parallelLoad
	failFast bool
	splits   []split // the splits of the load, once known
	self     int     // the index in splits of the split this loader started at
	next     int     // the index in splits of the next split ahead
	handoff  int     // the index in splits of the split this loader stopped at, or -1
	// handoffLine is the line of that split, as this loader counts lines.
	handoffLine int
	inChain     bool // this loader is known to be in the chain
}

// plEntry is an element of PrefixListEntries, with the origin of a list
// that the file gives only entries of.
type plEntry struct {
	at[prefixListEntriesJSON]
	origin model.Origin
}

// handlers decode the value of each known top-level key.
var handlers = map[string]func(*loader, *jsontext.Decoder) error{
	"SecurityGroups": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.SecurityGroups, (*loader).addGroup)
	},
	"SecurityGroupRules": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.SecurityGroups, (*loader).addRule)
	},
	"NetworkInterfaces": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.NetworkInterfaces, (*loader).addInterface)
	},
	"Reservations": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.Instances, (*loader).addReservation)
	},
	"Vpcs": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.VPCs, (*loader).addVPC)
	},
	"Subnets": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.Subnets, (*loader).addSubnet)
	},
	"RouteTables": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.RouteTables, (*loader).addRouteTable)
	},
	"InternetGateways": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.InternetGateways, (*loader).addInternetGateway)
	},
	"NetworkAcls": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.NetworkACLs, (*loader).addNetworkACL)
	},
	"FlowLogs": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.FlowLogs, (*loader).addFlowLog)
	},
	"PrefixLists": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.PrefixLists, (*loader).addPrefixList)
	},
	"PrefixListEntries": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.PrefixLists, func(l *loader, e *at[prefixListEntriesJSON]) {
			l.plEntries = append(l.plEntries, plEntry{at: *e, origin: l.origin(e.v.PrefixListId, "", e.off)})
		})
	},
	"StaleSecurityGroupSet": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.StaleReferences, (*loader).addStale)
	},
	"UserDetailList": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.IAM, (*loader).addUser)
	},
	"GroupDetailList": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.IAM, (*loader).addIAMGroup)
	},
	"RoleDetailList": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.IAM, (*loader).addRole)
	},
	"Policies": func(l *loader, d *jsontext.Decoder) error {
		return each(l, d, model.IAM, (*loader).addManagedPolicy)
	},
	"AccountId": func(l *loader, d *jsontext.Decoder) error { return l.topString(d, &l.account) },
	"Region":    func(l *loader, d *jsontext.Decoder) error { return l.topString(d, &l.region) },
}

var (
	utf8BOM  = []byte("\xef\xbb\xbf")
	utf16BOM = [][]byte{[]byte("\xff\xfe"), []byte("\xfe\xff")}
)

// load decodes the top-level object, key by key, converting each list
// element into model nodes as soon as it is decoded.
func (l *loader) load() {
	head := make([]byte, len(utf8BOM))
	n, _ := l.src.ReadAt(head, 0) // a short file has a short head
	head = head[:n]
	if bytes.HasPrefix(head, utf8BOM) {
		l.base = int64(len(utf8BOM))
	}
	for _, bom := range utf16BOM {
		if bytes.HasPrefix(head, bom) {
			l.errorAt(0, "save it as UTF-8 (in PowerShell: aws … | Out-File -Encoding utf8)", "the file is UTF-16 encoded, not UTF-8")
			return
		}
	}
	if l.base+l.skipSpace(0) >= l.size {
		l.errorAt(0, "a snapshot is a JSON object such as the output of aws ec2 describe-security-groups", "the file is empty")
		return
	}
	d := jsontext.NewDecoder(&chunkReader{c: l.cursor, off: l.base})
	tok, err := d.ReadToken()
	if err != nil {
		l.jsonError(err)
		return
	}
	if tok.Kind() != '{' {
		l.errorAt(l.skipSep(0), `a snapshot is one object of AWS CLI output keys, such as {"SecurityGroups": [...]}`,
			"the top level must be a JSON object, not %s", kindName(tok.Kind()))
		return
	}
	if l.members(d) && !l.known {
		l.errorAt(l.skipSep(0), "expected keys such as SecurityGroups, NetworkInterfaces or Vpcs, as aws ec2 describe-* prints them",
			"not an AWS CLI snapshot: the object has none of the known keys")
	}
}

// members decodes the members of the top-level object, whose '{' d has
// read, and checks that nothing follows the object. It reports whether it
// got to the end without error. A loader of a parallel load also stops,
// without error, at the split where the next loader took over.
func (l *loader) members(d *jsontext.Decoder) bool {
	for {
		tok, err := d.ReadToken()
		if err != nil {
			l.jsonError(err)
			return false
		}
		if tok.Kind() == '}' {
			break
		}
		l.key = tok.String()
		l.keys = append(l.keys, l.key)
		h := handlers[l.key]
		if h == nil {
			err = d.SkipValue()
		} else {
			l.known = l.known || detect.IsSnapshotKey(l.key)
			err = h(l, d)
		}
		if err != nil {
			if err != errStop && err != errHandoff {
				l.jsonError(err)
			}
			return false
		}
		if l.par != nil && l.planned(false) {
			l.pass(l.base + d.InputOffset()) // splits inside a value skipped or given up
		}
	}
	if rest := l.skipSpace(d.InputOffset()); l.base+rest < l.size {
		l.errorAt(rest, "a snapshot file holds one JSON object; merge the objects into one or use one file each",
			"unexpected content after the top-level object")
		return false
	}
	l.ended = true
	return true
}

// topString decodes a top-level string value (AccountId, Region).
func (l *loader) topString(d *jsontext.Decoder, dst *string) error {
	if k := d.PeekKind(); k != '"' && k != 0 {
		l.errorAt(l.skipSep(d.InputOffset()), "", "%s must be a string, not %s", l.key, kindName(k))
		return errStop
	}
	return json.UnmarshalDecode(d, dst)
}

// each decodes a top-level list element by element, handing each to add, so
// that no decoded copy of the whole list is ever held.
func each[T any](l *loader, d *jsontext.Decoder, c model.Collection, add func(*loader, *at[T])) error {
	switch k := d.PeekKind(); k {
	case '[':
	case 0:
		_, err := d.ReadToken() // reports the syntax error
		return err
	default:
		l.errorAt(l.skipSep(d.InputOffset()), fmt.Sprintf("write \"%s\": [ … ], as the AWS CLI prints it", l.key),
			"%s must be a list, not %s", l.key, kindName(k))
		return errStop
	}
	if _, err := d.ReadToken(); err != nil {
		return err
	}
	l.inv.Has |= c
	r := &reader{d: d, strs: &l.strs}
	var v at[T]
	for {
		k := d.PeekKind()
		if k == ']' {
			break
		}
		if l.par != nil && k != 0 && l.atSplit(l.base+nextOffset(d)) {
			return errHandoff
		}
		if err := v.decode(r); err != nil {
			return err
		}
		add(l, &v)
		if l.errors >= maxErrors && d.PeekKind() != ']' {
			l.stopped = true // what follows would only add errors
			return errStop
		}
		if l.failFast && l.errors > 0 {
			return errStop
		}
	}
	_, err := d.ReadToken()
	return err
}

// finish completes what needs the whole file: rules given apart from their
// groups, prefix list entries, IAM attachments, then AccountId and Region.
func (l *loader) finish() {
	l.attachRuleSets()
	l.addPrefixLists()
	l.finishIAM()
	if l.account != "" || l.region != "" {
		l.inv.EachOrigin(func(o *model.Origin) {
			if l.account != "" {
				o.Account = l.account
			}
			if l.region != "" {
				o.Region = l.region
			}
		})
		// The file says where its keys came from, even when they hold no
		// node: an empty FlowLogs of one region decides only there.
		l.inv.Cover(l.account, l.region, l.inv.Has)
	}
	l.inv.Sort()
}

// origin returns the origin of a node with this cloud ID whose JSON value
// starts after off. account is the node's owner, used when the file gives no
// AccountId ("AWS", the owner of AWS-managed lists, is no account).
func (l *loader) origin(id, account string, off int64) model.Origin {
	if account == "AWS" {
		account = ""
	}
	line, col := l.cursor.pos(l.base + l.skipSep(off))
	return model.Origin{ID: id, Account: account, File: l.name, Line: line, Column: col}
}
