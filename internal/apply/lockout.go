package apply

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"

	"github.com/sgharden/sgharden/internal/cidr"
	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/ports"
)

// DefaultCheckIPURL is AWS's public address echo service.
const DefaultCheckIPURL = "https://checkip.amazonaws.com"

// Guard is the lock-out guard: the operator's addresses, and whether the
// guard is off.
type Guard struct {
	// Operators are the operator's addresses or ranges; empty when unknown.
	Operators []netip.Prefix
	// AllowLockout turns the guard off.
	AllowLockout bool
}

// Lockout is one revoke the guard refuses.
type Lockout struct {
	GroupID string
	Entry   harden.Entry
	// Why says what access would be lost.
	Why string
}

// Error renders the refusal.
func (l Lockout) Error() string {
	return fmt.Sprintf("refusing to revoke %s of %s: %s", l.Entry.String(), l.GroupID, l.Why)
}

// check returns the lock-outs of turning live into want in one group.
func (g Guard) check(groupID string, live, want []harden.Entry) []Lockout {
	if g.AllowLockout {
		return nil
	}
	_, _, revoke := diff(groupID, live, want)
	var out []Lockout
	for _, e := range revoke {
		p, err := netip.ParsePrefix(e.Peer)
		if e.Direction != "ingress" || err != nil {
			continue
		}
		svcs := ports.Opened(e.Protocol, e.FromPort, e.ToPort, ports.Admin)
		if len(svcs) == 0 {
			continue
		}
		if why := g.lost(p, svcs, want); why != "" {
			out = append(out, Lockout{GroupID: groupID, Entry: e, Why: why})
		}
	}
	return out
}

// lost says what the operator loses when an entry admitting p on admin
// services svcs goes, or "" when nothing.
func (g Guard) lost(p netip.Prefix, svcs []ports.Service, want []harden.Entry) string {
	if len(g.Operators) == 0 {
		if !cidr.IsPublic(p) {
			return ""
		}
		return fmt.Sprintf("it admits a public range on %s and the operator's address is unknown (pass --operator-cidr, or --allow-lockout)", ports.Describe(svcs))
	}
	for _, op := range g.Operators {
		if !cidr.Overlaps(p, op) {
			continue
		}
		for _, s := range svcs {
			if !admits(want, op, s) {
				return fmt.Sprintf("it admits your address %s on %s and the planned rules do not: add it to trusted_cidrs and plan again, or pass --allow-lockout", op, s)
			}
		}
	}
	return ""
}

// admits reports whether some ingress entry of want admits all of op on
// the whole of service s.
func admits(want []harden.Entry, op netip.Prefix, s ports.Service) bool {
	for _, w := range want {
		p, err := netip.ParsePrefix(w.Peer)
		if w.Direction != "ingress" || err != nil || !cidr.Contains(p, op) {
			continue
		}
		if (w.Protocol == s.Proto || w.Protocol == ports.All) && ports.RuleRange(w.Protocol, w.FromPort, w.ToPort).Covers(s.Range) {
			return true
		}
	}
	return false
}

// CheckIP asks an address echo service (AWS's checkip answers the
// caller's public address as one line of text) for the caller's address.
func CheckIP(ctx context.Context, client *http.Client, url string) (netip.Addr, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ask %s for your address: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ask %s for your address: %w", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 128))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ask %s for your address: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return netip.Addr{}, fmt.Errorf("ask %s for your address: HTTP %d", url, resp.StatusCode)
	}
	addr, err := netip.ParseAddr(strings.TrimSpace(string(body)))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("ask %s for your address: the answer %q is not an address", url, strings.TrimSpace(string(body)))
	}
	return addr.Unmap(), nil
}

// CheckPlan returns the lock-outs of a plan's changes judged on its own
// before and after sets, without reading AWS, so that a plan that would
// lock the operator out is refused before any call. Apply checks again on
// the live state.
func CheckPlan(p *harden.Plan, g Guard) []Lockout {
	var out []Lockout
	for _, pg := range p.Groups {
		if pg.Changed() {
			out = append(out, g.check(pg.ID, pg.Before, pg.After)...)
		}
	}
	return out
}
