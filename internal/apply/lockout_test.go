package apply

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sgharden/sgharden/internal/harden"
)

func entry(proto string, from, to int, peer string) harden.Entry {
	return harden.Entry{Direction: "ingress", Protocol: proto, FromPort: from, ToPort: to, Peer: peer}
}

func TestGuard(t *testing.T) {
	t.Parallel()
	op := []netip.Prefix{netip.MustParsePrefix("198.51.100.7/32")}
	worldSSH := entry("tcp", 22, 22, "0.0.0.0/0")
	trustedSSH := entry("tcp", 22, 22, "198.51.100.0/24")
	otherSSH := entry("tcp", 22, 22, "203.0.113.0/24")
	tests := []struct {
		name       string
		guard      Guard
		live, want []harden.Entry
		// lockouts are the refused entries' peers.
		lockouts []string
	}{
		{name: "world SSH replaced by a range holding the operator", guard: Guard{Operators: op},
			live: []harden.Entry{worldSSH}, want: []harden.Entry{trustedSSH}},
		{name: "world SSH replaced by a range without the operator", guard: Guard{Operators: op},
			live: []harden.Entry{worldSSH}, want: []harden.Entry{otherSSH}, lockouts: []string{"0.0.0.0/0"}},
		{name: "world SSH closed", guard: Guard{Operators: op},
			live: []harden.Entry{worldSSH}, want: nil, lockouts: []string{"0.0.0.0/0"}},
		{name: "all traffic from the operator's range closed", guard: Guard{Operators: op},
			live: []harden.Entry{entry("-1", -1, -1, "198.51.100.0/24")}, want: []harden.Entry{entry("tcp", 443, 443, "198.51.100.0/24")},
			lockouts: []string{"198.51.100.0/24"}},
		{name: "RDP kept while SSH goes", guard: Guard{Operators: op},
			live: []harden.Entry{entry("tcp", 22, 3389, "0.0.0.0/0")}, want: []harden.Entry{entry("tcp", 3389, 3389, "198.51.100.0/24")},
			lockouts: []string{"0.0.0.0/0"}},
		{name: "an entry that does not admit the operator", guard: Guard{Operators: op},
			live: []harden.Entry{otherSSH}, want: nil},
		{name: "a non-admin port", guard: Guard{Operators: op},
			live: []harden.Entry{entry("tcp", 443, 443, "0.0.0.0/0")}, want: nil},
		{name: "egress is never a lock-out", guard: Guard{Operators: op},
			live: []harden.Entry{{Direction: "egress", Protocol: "tcp", FromPort: 22, ToPort: 22, Peer: "0.0.0.0/0"}}, want: nil},
		{name: "unknown address: a public range counts", guard: Guard{},
			live: []harden.Entry{worldSSH, otherSSH}, want: []harden.Entry{trustedSSH}, lockouts: []string{"0.0.0.0/0", "203.0.113.0/24"}},
		{name: "unknown address: a private range does not", guard: Guard{},
			live: []harden.Entry{entry("tcp", 22, 22, "10.0.0.0/8")}, want: nil},
		{name: "allowed", guard: Guard{AllowLockout: true},
			live: []harden.Entry{worldSSH}, want: nil},
		{name: "a group reference is not an address", guard: Guard{},
			live: []harden.Entry{entry("tcp", 22, 22, "sg-0123")}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, l := range tt.guard.check("sg-1", tt.live, tt.want) {
				got = append(got, l.Entry.Peer)
			}
			if diff := cmp.Diff(tt.lockouts, got); diff != "" {
				t.Errorf("lock-outs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckIP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		status     int
		want       string
		wantErr    bool
	}{
		{name: "address", body: "198.51.100.7\n", status: 200, want: "198.51.100.7"},
		{name: "IPv6", body: "2001:db8::7\n", status: 200, want: "2001:db8::7"},
		{name: "not an address", body: "<html>", status: 200, wantErr: true},
		{name: "error", body: "", status: 503, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			got, err := CheckIP(context.Background(), srv.Client(), srv.URL)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CheckIP: %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got.String() != tt.want {
				t.Errorf("CheckIP = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestApplyRefusesLockout checks that apply refuses, before any change,
// a plan that closes the operator's SSH.
func TestApplyRefusesLockout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := f.live()
	opts := f.options(t, true)
	opts.Guard = Guard{Operators: []netip.Prefix{netip.MustParsePrefix("203.0.113.9/32")}}
	_, err := Apply(context.Background(), f.plan, opts)
	ref, ok := err.(*RefusalError)
	if !ok || len(ref.Problems) != 2 {
		t.Fatalf("apply: %v, want a refusal for the web and legacy groups", err)
	}
	if diff := cmp.Diff(sorted(start), sorted(f.live())); diff != "" {
		t.Errorf("a refused apply changed groups:\n%s", diff)
	}
}
