package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sgharden/sgharden/internal/ports"
)

// State is what a probed port did.
type State string

// Port states of the built-in scanner.
const (
	Open     State = "open"
	Closed   State = "closed"
	Filtered State = "filtered"
)

// Target is an address and the TCP ports to try on it.
type Target struct {
	Addr  netip.Addr
	Ports []ports.Range
}

// ParseTarget parses HOST:PORTS, where HOST is an IP address (IPv6 in
// brackets) and PORTS a comma-separated list of ports and ranges:
// "127.0.0.1:22,80,8000-8010", "[::1]:443".
func ParseTarget(s string) (Target, error) {
	host, list, ok := cutHostPorts(strings.TrimSpace(s))
	if !ok {
		return Target{}, fmt.Errorf("invalid target %q: write HOST:PORTS, such as 127.0.0.1:22,80,8000-8010 or [::1]:443", s)
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return Target{}, fmt.Errorf("invalid target %q: %q is not an IP address (names are not resolved)", s, host)
	}
	t := Target{Addr: a.Unmap()}
	for _, part := range strings.Split(list, ",") {
		r, err := ports.ParseRange(part)
		if err != nil {
			return Target{}, fmt.Errorf("invalid target %q: %v", s, err)
		}
		t.Ports = append(t.Ports, r)
	}
	return t, nil
}

func cutHostPorts(s string) (host, list string, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]:")
		if end < 0 {
			return "", "", false
		}
		return s[1:end], s[end+2:], s[end+2:] != ""
	}
	i := strings.LastIndexByte(s, ':')
	if i < 0 || strings.Count(s, ":") > 1 {
		return "", "", false
	}
	return s[:i], s[i+1:], s[i+1:] != ""
}

// String renders the target as ParseTarget reads it.
func (t Target) String() string {
	host := t.Addr.String()
	if t.Addr.Is6() {
		host = "[" + host + "]"
	}
	return host + ":" + portsString(t.Ports)
}

// ScanOptions tune [Scan]. Zero values take the defaults.
type ScanOptions struct {
	// Concurrency bounds the connections under way (default 32).
	Concurrency int
	// Timeout bounds one connection attempt (default 2s).
	Timeout time.Duration
	// Rate bounds the connection attempts started per second (default
	// 200).
	Rate float64
	// AllowNonLoopback lets Scan probe addresses outside 127.0.0.0/8 and
	// ::1. Only a user's explicit --allow-non-loopback sets it.
	AllowNonLoopback bool
	// Dial opens a connection; nil means a net.Dialer.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// MaxProbes bounds the connection attempts of one Scan.
const MaxProbes = 1 << 20

// Result is what one probe found.
type Result struct {
	Addr  netip.Addr
	Port  int
	State State
}

// RefusedError is returned by Scan for a target outside the loopback
// ranges when non-loopback addresses are not allowed.
type RefusedError struct {
	Addr netip.Addr
}

// Error says what was refused and how to allow it.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("refusing to scan %s: only loopback addresses (127.0.0.0/8, ::1) are scanned unless --allow-non-loopback is given; scan only hosts you are authorised to test", e.Addr)
}

// IsLoopback reports whether a is in 127.0.0.0/8 or is ::1.
func IsLoopback(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback()
}

// Scan tries every port of every target with a TCP connection and returns
// the results ordered by address and port. It checks every target before
// it opens any connection: an address outside the loopback ranges fails
// with a [*RefusedError] unless opts.AllowNonLoopback. It stops early,
// with ctx's error, when ctx ends.
func Scan(ctx context.Context, targets []Target, opts ScanOptions) ([]Result, error) {
	total := 0
	for _, t := range targets {
		if !opts.AllowNonLoopback && !IsLoopback(t.Addr) {
			return nil, &RefusedError{Addr: t.Addr.Unmap()}
		}
		for _, r := range t.Ports {
			total += r.Size()
		}
	}
	if total > MaxProbes {
		return nil, fmt.Errorf("%d probes is more than the %d one scan may make: scan fewer ports or addresses", total, MaxProbes)
	}
	opts = withDefaults(opts)
	jobs := make(chan netip.AddrPort)
	results := make([]Result, 0, total)
	var mu sync.Mutex
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Duration(float64(time.Second) / opts.Rate))
	defer tick.Stop()
	for range min(opts.Concurrency, max(total, 1)) {
		wg.Go(func() {
			for ap := range jobs {
				st := probe(ctx, opts, ap)
				mu.Lock()
				results = append(results, Result{Addr: ap.Addr(), Port: int(ap.Port()), State: st})
				mu.Unlock()
			}
		})
	}
	err := feed(ctx, targets, jobs, tick.C)
	close(jobs)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	slices.SortFunc(results, func(x, y Result) int {
		if c := x.Addr.Compare(y.Addr); c != 0 {
			return c
		}
		return x.Port - y.Port
	})
	return slices.CompactFunc(results, func(x, y Result) bool { return x.Addr == y.Addr && x.Port == y.Port }), nil
}

func withDefaults(o ScanOptions) ScanOptions {
	if o.Concurrency <= 0 {
		o.Concurrency = 32
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Rate <= 0 {
		o.Rate = 200
	}
	if o.Dial == nil {
		o.Dial = (&net.Dialer{}).DialContext
	}
	return o
}

// feed hands out one job per (address, port), each when the rate allows.
func feed(ctx context.Context, targets []Target, jobs chan<- netip.AddrPort, tick <-chan time.Time) error {
	first := true
	for _, t := range targets {
		for _, r := range t.Ports {
			for port := r.From; port <= r.To; port++ {
				if !first {
					select {
					case <-ctx.Done():
						return ctx.Err()
					case <-tick:
					}
				}
				first = false
				select {
				case <-ctx.Done():
					return ctx.Err()
				case jobs <- netip.AddrPortFrom(t.Addr, uint16(port)):
				}
			}
		}
	}
	return nil
}

// probe opens one connection: accepted is open, refused is closed,
// anything else (no answer in time, unreachable) is filtered.
func probe(ctx context.Context, opts ScanOptions, ap netip.AddrPort) State {
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	conn, err := opts.Dial(ctx, "tcp", ap.String())
	switch {
	case err == nil:
		conn.Close()
		return Open
	case errors.Is(err, syscall.ECONNREFUSED):
		return Closed
	}
	return Filtered
}

// portsString renders a port list for messages.
func portsString(rs []ports.Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = strconv.Itoa(r.From)
		if r.To != r.From {
			parts[i] += "-" + strconv.Itoa(r.To)
		}
	}
	return strings.Join(parts, ",")
}
