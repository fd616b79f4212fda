package apply

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sgharden/sgharden/internal/fix/awscli"
	"github.com/sgharden/sgharden/internal/harden"
)

// Retry is the retry policy for throttling, 5xx answers and dropped
// connections.
type Retry struct {
	// Attempts is how many times one call is tried; default 8.
	Attempts int
	// Backoff is the wait before the second attempt, doubled after each
	// (with jitter) up to 20 times itself; default 200ms. Tests set 1ns.
	Backoff time.Duration
}

func (r Retry) attempts() int {
	if r.Attempts <= 0 {
		return 8
	}
	return r.Attempts
}

func (r Retry) wait(ctx context.Context, attempt int) error {
	base := r.Backoff
	if base <= 0 {
		base = 200 * time.Millisecond
	}
	d := min(base<<min(attempt-1, 10), 20*base)
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Call is one EC2 write, planned or made.
type Call struct {
	Account string
	Region  string
	GroupID string
	// Action is the EC2 operation (AuthorizeSecurityGroupIngress).
	Action  string
	Entries []harden.Entry
	// Attempts is how many times the call was sent (0 in a dry run).
	Attempts int
	// Confirmed is set when a retry found the write already done.
	Confirmed bool
	// Err is the call's failure, if it failed.
	Err error
}

// String renders the call as the equivalent AWS CLI command.
func (c Call) String() string {
	return awscli.Command(cliCommand(c.Action), c.Region, c.GroupID, c.Entries)
}

func cliCommand(action string) string {
	switch action {
	case "AuthorizeSecurityGroupIngress":
		return "authorize-security-group-ingress"
	case "AuthorizeSecurityGroupEgress":
		return "authorize-security-group-egress"
	case "RevokeSecurityGroupIngress":
		return "revoke-security-group-ingress"
	case "RevokeSecurityGroupEgress":
		return "revoke-security-group-egress"
	case "UpdateSecurityGroupRuleDescriptionsIngress":
		return "update-security-group-rule-descriptions-ingress"
	}
	return "update-security-group-rule-descriptions-egress"
}

// group is one live group apply works on.
type group struct {
	client  EC2
	retry   Retry
	id      string
	account string
	region  string
	onCall  func(Call)
}

// read returns the group as EC2 describes it, retrying transient errors.
func (g *group) read(ctx context.Context) (*ec2types.SecurityGroup, error) {
	var out *ec2.DescribeSecurityGroupsOutput
	err := g.withRetry(ctx, func() error {
		var err error
		out, err = g.client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{g.id}})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", g.id, err)
	}
	if len(out.SecurityGroups) != 1 {
		return nil, fmt.Errorf("read %s: EC2 returned %d groups", g.id, len(out.SecurityGroups))
	}
	return &out.SecurityGroups[0], nil
}

// entries returns the group's live entries.
func (g *group) entries(ctx context.Context) ([]harden.Entry, error) {
	sg, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	return liveEntries(sg), nil
}

func (g *group) withRetry(ctx context.Context, f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || kindOf(err) != transient || attempt >= g.retry.attempts() {
			return err
		}
		if werr := g.retry.wait(ctx, attempt); werr != nil {
			return err
		}
	}
}

// calls returns the writes that turn live into want: per direction,
// authorize, then update descriptions, then revoke.
func (g *group) calls(live, want []harden.Entry) []Call {
	var out []Call
	for _, dir := range []string{"ingress", "egress"} {
		auth, upd, rev := diff(g.id, byDirection(live, dir), byDirection(want, dir))
		suffix := "Ingress"
		if dir == "egress" {
			suffix = "Egress"
		}
		for _, c := range []struct {
			action  string
			entries []harden.Entry
		}{{"AuthorizeSecurityGroup" + suffix, auth}, {"UpdateSecurityGroupRuleDescriptions" + suffix, upd}, {"RevokeSecurityGroup" + suffix, rev}} {
			if len(c.entries) > 0 {
				out = append(out, Call{Account: g.account, Region: g.region, GroupID: g.id, Action: c.action, Entries: c.entries})
			}
		}
	}
	return out
}

// sync makes the group hold want, then re-reads it and checks.
func (g *group) sync(ctx context.Context, want []harden.Entry) error {
	live, err := g.entries(ctx)
	if err != nil {
		return err
	}
	for _, c := range g.calls(live, want) {
		err := g.do(ctx, &c)
		if g.onCall != nil {
			g.onCall(c)
		}
		if err != nil {
			return err
		}
	}
	return g.verify(ctx, want)
}

// verify re-reads the group and checks it holds exactly want.
func (g *group) verify(ctx context.Context, want []harden.Entry) error {
	live, err := g.entries(ctx)
	if err != nil {
		return err
	}
	if harden.SameSet(g.id, live, want) {
		return nil
	}
	auth, upd, rev := diff(g.id, live, want)
	return fmt.Errorf("%s does not hold the planned rules after the calls: %d missing, %d with another description, %d unexpected",
		g.id, len(auth), len(upd), len(rev))
}

// do sends one write, retrying transient failures. After any failure that
// may hide a write that took effect, it re-reads the group and sends only
// what is still to do; the call is done when the state confirms it.
func (g *group) do(ctx context.Context, c *Call) error {
	pending := c.Entries
	for {
		c.Attempts++
		err := g.send(ctx, c.Action, pending)
		if err == nil {
			return nil
		}
		kind := kindOf(err)
		if kind == permanent {
			c.Err = err
			return fmt.Errorf("%s on %s: %w", c.Action, g.id, err)
		}
		live, rerr := g.entries(ctx)
		if rerr != nil {
			c.Err = err
			return fmt.Errorf("%s on %s: %w (and the group could not be re-read: %v)", c.Action, g.id, err, rerr)
		}
		pending = remaining(g.id, c.Action, live, pending)
		if len(pending) == 0 {
			c.Confirmed = true
			return nil
		}
		if c.Attempts >= g.retry.attempts() {
			c.Err = err
			return fmt.Errorf("%s on %s: %w (after %d attempts)", c.Action, g.id, err, c.Attempts)
		}
		if kind == transient {
			if werr := g.retry.wait(ctx, c.Attempts); werr != nil {
				c.Err = err
				return fmt.Errorf("%s on %s: %w", c.Action, g.id, werr)
			}
		}
	}
}

// remaining returns the entries of a call that the live state does not
// yet reflect.
func remaining(groupID, action string, live, entries []harden.Entry) []harden.Entry {
	have := map[string]harden.Entry{}
	for _, e := range live {
		have[e.Key(groupID)] = e
	}
	var out []harden.Entry
	for _, e := range entries {
		l, ok := have[e.Key(groupID)]
		var done bool
		switch {
		case strings.HasPrefix(action, "Authorize"):
			done = ok
		case strings.HasPrefix(action, "Revoke"):
			done = !ok
		default:
			done = ok && l.Description == e.Description
		}
		if !done {
			out = append(out, e)
		}
	}
	return out
}

// send makes one EC2 call. A revoke that EC2 answers with unknown
// permissions counts as NotFound, so that the caller re-reads.
func (g *group) send(ctx context.Context, action string, es []harden.Entry) error {
	id := aws.String(g.id)
	switch action {
	case "AuthorizeSecurityGroupIngress":
		_, err := g.client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: id, IpPermissions: ipPermissions(g.id, es, true)})
		return err
	case "AuthorizeSecurityGroupEgress":
		_, err := g.client.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: id, IpPermissions: ipPermissions(g.id, es, true)})
		return err
	case "RevokeSecurityGroupIngress":
		out, err := g.client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: id, IpPermissions: ipPermissions(g.id, es, false)})
		if err == nil && len(out.UnknownIpPermissions) > 0 {
			return errUnknownPermissions
		}
		return err
	case "RevokeSecurityGroupEgress":
		out, err := g.client.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: id, IpPermissions: ipPermissions(g.id, es, false)})
		if err == nil && len(out.UnknownIpPermissions) > 0 {
			return errUnknownPermissions
		}
		return err
	case "UpdateSecurityGroupRuleDescriptionsIngress":
		_, err := g.client.UpdateSecurityGroupRuleDescriptionsIngress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsIngressInput{GroupId: id, IpPermissions: ipPermissions(g.id, es, true)})
		return err
	}
	_, err := g.client.UpdateSecurityGroupRuleDescriptionsEgress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsEgressInput{GroupId: id, IpPermissions: ipPermissions(g.id, es, true)})
	return err
}

var errUnknownPermissions = errors.New("EC2 did not know some of the permissions to revoke")

type errKind uint8

const (
	permanent errKind = iota
	// transient errors are retried after a wait: throttling, 5xx,
	// dropped connections, timeouts.
	transient
	// ambiguous errors say the state is not what the call expected
	// (Duplicate, NotFound): re-read, then retry what is left at once.
	ambiguous
)

var (
	retryables = retry.IsErrorRetryables(retry.DefaultRetryables)
	throttles  = retry.IsErrorThrottles(retry.DefaultThrottles)
)

// kindOf classifies an error of an EC2 call.
func kindOf(err error) errKind {
	if errors.Is(err, errUnknownPermissions) {
		return ambiguous
	}
	if errors.Is(err, context.Canceled) {
		return permanent
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "InvalidPermission.Duplicate", "InvalidPermission.NotFound":
			return ambiguous
		case "RequestLimitExceeded", "Throttling", "ThrottlingException", "InternalError", "InternalFailure",
			"Unavailable", "ServiceUnavailable":
			return transient
		}
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) && resp.HTTPStatusCode() >= http.StatusInternalServerError {
		return transient
	}
	if throttles.IsErrorThrottle(err) == aws.TrueTernary || retryables.IsErrorRetryable(err) == aws.TrueTernary {
		return transient
	}
	return permanent
}
