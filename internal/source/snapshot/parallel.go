package snapshot

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/sgharden/sgharden/internal/model"
)

// A large snapshot is decoded by several loaders at once, each from its own
// place in the file, and their results are merged in file order: the
// inventory and the warnings are those of one loader decoding the whole
// file, position for position.
//
// # Splits
//
// A pretty-printed file shows, without being parsed, where the elements of
// its top-level lists start: the AWS CLI (and sgharden collect) indent with
// four spaces, so two elements of a top-level list are separated by
//
//	\n        },\n        {
//
// and nested objects are indented further. The indentation is read from the
// file's head (see [learnLayout]). The file is cut into regions, and in each
// region the first such separator gives a split: the '{' after it, with the
// list it seems to belong to, guessed from the element's members (see
// [guessKey]).
//
// # Proof
//
// A split is only a guess: the separator may be in a list other than the
// one guessed, or the file may be indented oddly. So the guesses are
// checked by decoding. The first loader decodes the file from its start as
// a sequential load does. Every other loader starts at its split, reading
// `{"Key":[` followed by the file from the split on, so that its decoder is
// in the state a decoder of the whole file would be in if the split were
// right. A loader stops at the first split it meets exactly at the start of
// an element of the list guessed for it (see [loader.atSplit]): only
// then is that split proved right, and the loader that started there takes
// over. Splits a loader passes, or meets in another list, are proved
// wrong, and their loaders' work is dropped. Following the takeovers from
// the first loader gives a chain of loaders that decodes each byte of the
// file once, each from a place proved to be the start of an element of the
// list it decodes, and each with a jsontext.Decoder that checks its part as
// the sequential one would. What one decoder cannot check, that no
// top-level key repeats across parts and that the file holds a known key,
// is checked when merging.
//
// Any error in the chain, or in merging, abandons the parallel load: the
// file is then loaded again sequentially, which reports the errors exactly.
//
// # Positions
//
// A loader knows the column of its split (the line starts with the
// indentation before the '{') but not its line: its [lineCursor] counts
// lines from the split's, as line 1. Each loader of the chain counts the
// lines up to the split where it stops, which gives, in chain order, the
// line of every split; the lines of what each loader decoded are then
// shifted by its split's (see [loader.shiftLines]).

// options say how a file is loaded.
type options struct {
	workers    int   // loaders decoding at once; below 2 the file is decoded sequentially
	minSize    int64 // the smallest file decoded in parallel
	regionSize int64 // the smallest region of the file given one split
}

// defaultOptions decode files of 1 MiB and more on every core, in regions
// of at least 1 MiB.
func defaultOptions() options {
	return options{workers: runtime.GOMAXPROCS(0), minSize: 1 << 20, regionSize: 1 << 20}
}

// regionsPerWorker is how many regions there are for each worker, so that
// workers finishing early find more work and finish together.
const regionsPerWorker = 16

// split is a place where a loader of a parallel load starts: an element of
// a top-level list, found by the layout and not yet proved to be one.
type split struct {
	off   int64  // the offset of the element's '{' in the file
	key   string // the key of the list, guessed from the element's members
	start int64  // the offset where its line starts
}

// parallelLoad is what the loaders of one parallel load share.
type parallelLoad struct {
	name    string
	src     io.ReaderAt
	size    int64
	planned chan struct{} // closed once splits is set
	splits  []split       // in increasing order of offset
	first   int64         // no split is before this offset
	failed  atomic.Bool   // the first loader found an error: the others may stop
	// status[i] says whether split i is proved right (chained) or wrong
	// (dropped), as far as the loaders known to be in the chain tell.
	status []atomic.Int32
}

// The status of a split: not known yet, proved right by a loader of the
// chain stopping there, or proved wrong by one passing it.
const (
	unknown int32 = iota
	chained
	dropped
)

// loadParallel loads the file in parallel, as described above. It returns
// the merged loader, finished, and the number of loaders in the chain; nil
// when the file is small, not laid out as expected, or has any error, and
// must be loaded sequentially.
func loadParallel(name string, src io.ReaderAt, size int64, opts options) (*loader, int) {
	if opts.workers < 2 || size < opts.minSize {
		return nil, 0
	}
	lay, ok := learnLayout(src, size)
	if !ok {
		return nil, 0
	}
	regions := min(int64(opts.workers*regionsPerWorker), (size-lay.base)/max(opts.regionSize, 1))
	if regions < 2 {
		return nil, 0
	}
	p := &parallelLoad{name: name, src: src, size: size, planned: make(chan struct{}), first: regionStart(lay.base, size, regions, 1)}
	first := newLoader(name, src, size)
	first.par, first.failFast, first.inChain = p, true, true
	var (
		workers []*loader
		next    atomic.Int64
		wg      sync.WaitGroup
	)
	work := func(sc *scratch) {
		<-p.planned
		for i := int(next.Add(1) - 1); i < len(p.splits); i = int(next.Add(1) - 1) {
			if p.status[i].Load() != dropped {
				workers[i] = p.start(i, sc)
			}
		}
	}
	wg.Go(func() {
		first.load()
		p.failed.Store(first.errors > 0)
		work(&scratch{cursor: first.cursor})
	})
	wg.Go(func() {
		p.splits = findSplits(src, size, lay, regions)
		p.status = make([]atomic.Int32, len(p.splits))
		workers = make([]*loader, len(p.splits))
		close(p.planned)
		work(&scratch{})
	})
	for range opts.workers - 2 {
		wg.Go(func() { work(&scratch{}) })
	}
	wg.Wait()
	return p.merge(first, workers)
}

// scratch is what a worker passes from one loader it runs to the next: the
// buffers of the last cursor, and a decoder.
type scratch struct {
	cursor *lineCursor
	dec    *jsontext.Decoder
}

// start decodes the file from split i on, until the next split proved
// right or the end of the file, reusing sc.
func (p *parallelLoad) start(i int, sc *scratch) *loader {
	s := &p.splits[i]
	prefix := []byte{'{'}
	prefix, _ = jsontext.AppendQuote(prefix, s.key)
	prefix = append(prefix, ':', '[')
	l := newLoader(p.name, p.src, p.size)
	l.cursor = newLineCursorAt(p.src, p.size, s.off, 1, s.start) // lines from the split's (see merge)
	if sc.cursor != nil {
		l.cursor.takeBuffers(sc.cursor)
	}
	sc.cursor = l.cursor
	l.base = s.off - int64(len(prefix))
	l.par, l.failFast = p, true
	l.splits, l.self, l.next = p.splits, i, i+1
	in := io.MultiReader(bytes.NewReader(prefix), &chunkReader{c: l.cursor, off: s.off})
	if sc.dec == nil {
		sc.dec = jsontext.NewDecoder(in)
	} else {
		sc.dec.Reset(in)
	}
	if _, err := sc.dec.ReadToken(); err != nil { // the '{' of the prefix
		l.jsonError(err)
		return l
	}
	l.members(sc.dec)
	return l
}

// atSplit reports whether off, the start of the next element of the list
// under l.key, is a split whose loader guessed that list: then l stops
// there. Splits passed, or met in another list, are proved wrong and
// passed over. The first loader, which starts before the splits are
// found, waits for them once it gets to the first region that may hold one.
func (l *loader) atSplit(off int64) bool {
	if l.par.failed.Load() || !l.needed() {
		l.errors++ // the load is given up, or this loader's work is not needed: stop here
		return false
	}
	if !l.planned(off >= l.par.first) {
		return false
	}
	l.pass(off)
	if l.next == len(l.splits) || l.splits[l.next].off != off {
		return false
	}
	if l.splits[l.next].key != l.key {
		l.pass(off + 1)
		return false
	}
	l.handoff = l.next
	l.handoffLine, _ = l.cursor.pos(off)
	if l.inChain {
		l.par.status[l.next].Store(chained)
	}
	return true
}

// planned reports whether l knows the splits, which it gets once they are
// found; if wait, it waits for them.
func (l *loader) planned(wait bool) bool {
	if l.splits != nil {
		return true
	}
	if wait {
		<-l.par.planned
	} else {
		select {
		case <-l.par.planned:
		default:
			return false
		}
	}
	l.splits = l.par.splits[:len(l.par.splits):len(l.par.splits)]
	return l.splits != nil
}

// pass passes over the splits before off, where l did not stop. A loader
// known to be in the chain (the first, and those a loader of the chain
// stopped for) proves them wrong, so that the loaders started there stop
// early, or do not start: this bounds the work wasted on a file whose
// splits are mostly wrong.
func (l *loader) pass(off int64) {
	for ; l.next < len(l.splits) && l.splits[l.next].off < off; l.next++ {
		if l.inChain {
			l.par.status[l.next].Store(dropped)
		}
	}
}

// needed reports whether the work of l may be used: false once its split
// is proved wrong. Once its split is proved right, l is in the chain, and
// proves wrong the splits it passed.
func (l *loader) needed() bool {
	if l.inChain {
		return true
	}
	switch l.par.status[l.self].Load() {
	case dropped:
		return false
	case chained:
		l.inChain = true
		for j := l.self + 1; j < l.next; j++ {
			l.par.status[j].Store(dropped)
		}
	}
	return true
}

// merge follows the chain of loaders from the first and merges what they
// decoded into one loader, then finishes it. It returns nil when any loader
// in the chain, or the merge, found an error.
func (p *parallelLoad) merge(first *loader, workers []*loader) (*loader, int) {
	var chain []*loader
	for l := first; ; l = workers[l.handoff] {
		if l == nil || l.errors > 0 || l.stopped || !l.ended && l.handoff < 0 {
			return nil, 0 // a loader not run is never in the chain: only a safeguard
		}
		chain = append(chain, l)
		if l.handoff < 0 {
			break
		}
	}
	m := newLoader(p.name, p.src, p.size)
	m.base, m.failFast = first.base, true
	m.reserve(chain)
	seen := make(map[string]bool)
	line := 1 // the line of the split where the next loader of the chain starts
	for i, l := range chain {
		if i > 0 {
			l.shiftLines(line - 1)
		}
		line += l.handoffLine - 1
		keys := l.keys
		if l != first {
			keys = keys[1:] // the key of the prefix
		}
		for _, k := range keys {
			if seen[k] {
				return nil, 0 // a duplicate key, for the sequential load to report
			}
			seen[k] = true
		}
		m.adopt(l)
	}
	if !m.known {
		return nil, 0
	}
	m.finish()
	if m.errors > 0 || m.stopped {
		return nil, 0
	}
	return m, len(chain)
}

// reserve makes room in m for the largest collections of the loaders of
// chain, so that merging them copies each once. Empty ones stay nil, as in
// a sequential load.
func (m *loader) reserve(chain []*loader) {
	var groups, interfaces, rules int
	for _, l := range chain {
		groups += len(l.inv.SecurityGroups)
		interfaces += len(l.inv.NetworkInterfaces)
		rules += len(l.ruleIDs)
	}
	if groups > 0 {
		m.inv.SecurityGroups = make([]*model.SecurityGroup, 0, groups)
	}
	if interfaces > 0 {
		m.inv.NetworkInterfaces = make([]*model.NetworkInterface, 0, interfaces)
	}
	m.groups = make(map[string]*model.SecurityGroup, groups)
	m.ruleSets = make(map[string]*ruleSet, rules)
}

// adopt adds what loader s decoded, the part of the file after what m holds,
// as one loader decoding both parts would have.
func (m *loader) adopt(s *loader) {
	delta := s.base - m.base // from offsets of s to offsets of m
	m.known = m.known || s.known
	if s.account != "" {
		m.account = s.account
	}
	if s.region != "" {
		m.region = s.region
	}
	m.diags = append(m.diags, s.diags...)
	inv, add := m.inv, s.inv
	inv.Has |= add.Has
	for _, g := range add.SecurityGroups {
		if m.groups[g.ID] == nil { // listed twice: the first is kept
			m.groups[g.ID] = g
			inv.SecurityGroups = append(inv.SecurityGroups, g)
		}
	}
	for _, id := range s.ruleIDs {
		set := s.ruleSets[id]
		if have := m.ruleSets[id]; have != nil {
			have.ingress = append(have.ingress, set.ingress...)
			have.egress = append(have.egress, set.egress...)
			continue
		}
		m.ruleSets[id] = set
		m.ruleIDs = append(m.ruleIDs, id)
	}
	inv.NetworkInterfaces = append(inv.NetworkInterfaces, add.NetworkInterfaces...)
	inv.Instances = append(inv.Instances, add.Instances...)
	inv.VPCs = append(inv.VPCs, add.VPCs...)
	inv.Subnets = append(inv.Subnets, add.Subnets...)
	inv.RouteTables = append(inv.RouteTables, add.RouteTables...)
	inv.InternetGateways = append(inv.InternetGateways, add.InternetGateways...)
	inv.NetworkACLs = append(inv.NetworkACLs, add.NetworkACLs...)
	inv.FlowLogs = append(inv.FlowLogs, add.FlowLogs...)
	inv.StaleReferences = append(inv.StaleReferences, add.StaleReferences...)
	inv.IAMPolicies = append(inv.IAMPolicies, add.IAMPolicies...)
	m.prefixLists = append(m.prefixLists, s.prefixLists...)
	for _, e := range s.plEntries {
		e.off += delta
		m.plEntries = append(m.plEntries, e)
	}
	m.iam.adopt(&s.iam, delta)
}

// adopt adds the IAM state t of a later part of the file, whose offsets
// are delta more than those of s.
func (s *iamState) adopt(t *iamState, delta int64) {
	if s.account == "" {
		s.account = t.account
	}
	s.managed = append(s.managed, t.managed...)
	for _, arn := range t.order {
		if _, ok := s.attached[arn]; !ok {
			if s.attached == nil {
				s.attached = make(map[string][]model.Principal)
				s.firstUse = make(map[string]int64)
			}
			s.firstUse[arn] = t.firstUse[arn] + delta
			s.order = append(s.order, arn)
		}
		s.attached[arn] = append(s.attached[arn], t.attached[arn]...)
	}
}

// shiftLines adds delta to the line of every position l recorded: l
// counted lines from its split's, as line 1, and delta makes that line
// the split's own. Trust policies shared by the policies of a role are
// shifted once.
func (l *loader) shiftLines(delta int) {
	shift := func(o *model.Origin) { o.Line += delta }
	rest := *l.inv
	rest.IAMPolicies = nil // below, for trust policies shared between them
	rest.EachOrigin(shift)
	for _, s := range l.ruleSets {
		shift(&s.origin)
		for _, r := range s.ingress {
			shift(&r.Origin)
		}
		for _, r := range s.egress {
			shift(&r.Origin)
		}
	}
	for _, p := range l.prefixLists {
		shift(&p.Origin)
	}
	for i := range l.plEntries {
		shift(&l.plEntries[i].origin)
	}
	shifted := make(map[*model.PolicyDocument]bool)
	trust := func(principals []model.Principal) {
		for _, a := range principals {
			if a.Trust != nil && !shifted[a.Trust] {
				shifted[a.Trust] = true
				a.Trust.EachOrigin(shift)
			}
		}
	}
	for _, p := range l.inv.IAMPolicies {
		shift(&p.Origin)
		p.Document.EachOrigin(shift)
		trust(p.AttachedTo)
	}
	for _, arn := range l.iam.order {
		trust(l.iam.attached[arn])
	}
	for _, d := range l.diags {
		if d.Subject != nil {
			d.Subject.Start.Line += delta
			d.Subject.End.Line += delta
		}
	}
}
