package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgharden/sgharden/internal/harden"
)

// Options configure [Apply] and [Rollback].
type Options struct {
	Clients Clients
	// Yes makes the changes; without it nothing is written and the result
	// lists the calls that would be made.
	Yes   bool
	Guard Guard
	// BackupDir is where Apply writes its backup.
	BackupDir string
	// PlanName is recorded in the backup's manifest.
	PlanName string
	// Now is the time recorded in the manifest.
	Now   time.Time
	Retry Retry
	// OnCall, when set, is told of each call once it is made.
	OnCall func(Call)
}

// Result is what Apply or Rollback did or, in a dry run, would do.
type Result struct {
	// Calls are the calls made, or that would be made.
	Calls []Call
	// Groups are the groups worked on, with what happened to them.
	Groups []GroupResult
	// BackupDir is the backup written (apply with Yes).
	BackupDir string
}

// GroupResult says what happened to one group.
type GroupResult struct {
	ID      string
	Account string
	Region  string
	// Status is "unchanged", "would change", "changed", "restored" or
	// "not restored".
	Status string
	// Detail says why a group could not be restored.
	Detail string
}

// RefusalError is a refusal before any change: a lock-out, a drifted
// group, or a plan apply cannot carry out. Nothing was written.
type RefusalError struct {
	Problems []string
}

func (e *RefusalError) Error() string {
	return "refused, nothing changed:\n  " + strings.Join(e.Problems, "\n  ")
}

// FailedError is a failure during the changes. When Restored, every
// touched group was restored; otherwise NotRestored names those that were
// not.
type FailedError struct {
	Err         error
	Restored    bool
	NotRestored []string
}

func (e *FailedError) Error() string {
	if e.Restored {
		return fmt.Sprintf("%v; every touched group was restored", e.Err)
	}
	return fmt.Sprintf("%v; groups NOT restored: %s", e.Err, strings.Join(e.NotRestored, ", "))
}

func (e *FailedError) Unwrap() error { return e.Err }

// target is one group to change: where it is, its live state and the
// state wanted.
type target struct {
	g     *group
	start []harden.Entry
	want  []harden.Entry
	live  *ec2types.SecurityGroup
}

// Apply changes the live groups of the plan to their planned rule sets.
// It returns a *RefusalError when it refuses before any change and a
// *FailedError when a change failed.
func Apply(ctx context.Context, p *harden.Plan, opts Options) (*Result, error) {
	var problems []string
	for _, g := range p.Groups {
		if g.Changed() && g.IsCode() {
			problems = append(problems, fmt.Sprintf("%s is declared in code (%s:%d), not a live group: apply the plan's terraform or cloudformation output instead", g.ID, g.File, g.Line))
		}
	}
	if len(problems) > 0 {
		return nil, &RefusalError{Problems: problems}
	}
	targets, res, err := prepare(ctx, p, opts)
	if err != nil {
		return res, err
	}
	if len(targets) == 0 || !opts.Yes {
		return res, nil
	}
	m := Manifest{Format: "sgharden-backup", Version: 1, Created: opts.Now.UTC().Format(time.RFC3339), Plan: opts.PlanName}
	var groups []*ec2types.SecurityGroup
	var regions []string
	for _, t := range targets {
		m.Groups = append(m.Groups, BackupGroup{ID: t.g.id, Account: t.g.account, Region: t.g.region})
		groups, regions = append(groups, t.live), append(regions, t.g.region)
	}
	b, err := newBackup(opts.BackupDir, m, groups, regions)
	if err != nil {
		return res, err
	}
	res.BackupDir = b.dir
	res.Calls = nil
	return res, run(ctx, targets, b, "applied", res, opts)
}

// prepare reads the planned groups live, checks for drift and lock-outs,
// and returns the groups to change with the calls a dry run prints.
func prepare(ctx context.Context, p *harden.Plan, opts Options) ([]*target, *Result, error) {
	res := &Result{}
	var targets []*target
	var problems []string
	for _, pg := range p.Groups {
		if !pg.Changed() {
			continue
		}
		t, err := newTarget(ctx, pg.ID, pg.Account, pg.Region, opts)
		if err != nil {
			return nil, res, err
		}
		t.want = pg.After
		if drift := drifted(pg, t.start); drift != "" {
			problems = append(problems, drift)
			continue
		}
		for _, l := range opts.Guard.check(pg.ID, t.start, t.want) {
			problems = append(problems, l.Error())
		}
		gr := GroupResult{ID: t.g.id, Account: t.g.account, Region: t.g.region, Status: "unchanged"}
		if calls := t.g.calls(t.start, t.want); len(calls) > 0 {
			gr.Status = "would change"
			res.Calls = append(res.Calls, calls...)
			targets = append(targets, t)
		}
		res.Groups = append(res.Groups, gr)
	}
	if len(problems) > 0 {
		return nil, res, &RefusalError{Problems: problems}
	}
	return targets, res, nil
}

// newTarget reads one group live.
func newTarget(ctx context.Context, id, account, region string, opts Options) (*target, error) {
	client, err := opts.Clients.EC2(ctx, account, region)
	if err != nil {
		return nil, err
	}
	g := &group{client: client, retry: opts.Retry, id: id, account: account, region: region, onCall: opts.OnCall}
	live, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	if owner := aws.ToString(live.OwnerId); owner != "" {
		g.account = owner
	}
	return &target{g: g, live: live, start: liveEntries(live)}, nil
}

// drifted says how a live group differs from what the plan expects, or
// "" when it holds the plan's before set, its after set, or a state
// between them (a part of the plan already done).
func drifted(pg *harden.Group, live []harden.Entry) string {
	known := map[string]bool{}
	for _, e := range append(append([]harden.Entry{}, pg.Before...), pg.After...) {
		known[e.Key(pg.ID)+"|"+e.Description] = true
	}
	have := map[string]bool{}
	var extra []string
	for _, e := range live {
		have[e.Key(pg.ID)] = true
		if !known[e.Key(pg.ID)+"|"+e.Description] {
			extra = append(extra, e.String())
		}
	}
	var missing []string
	after := map[string]bool{}
	for _, e := range pg.After {
		after[e.Key(pg.ID)] = true
	}
	for _, e := range pg.Before {
		if after[e.Key(pg.ID)] && !have[e.Key(pg.ID)] {
			missing = append(missing, e.String())
		}
	}
	if len(extra)+len(missing) == 0 {
		return ""
	}
	var parts []string
	if len(extra) > 0 {
		parts = append(parts, "it holds "+strings.Join(extra, "; ")+", which the plan does not know")
	}
	if len(missing) > 0 {
		parts = append(parts, "it lacks "+strings.Join(missing, "; ")+", which the plan keeps")
	}
	return fmt.Sprintf("%s changed since the plan was made: %s; make the plan again", pg.ID, strings.Join(parts, ", and "))
}

// run changes the targets one by one; on a failure it restores every
// touched group to where it started. It records the state it leaves in
// the backup's after folder.
func run(ctx context.Context, targets []*target, b *backup, done string, res *Result, opts Options) error {
	record := opts.OnCall
	for _, t := range targets {
		t.g.onCall = func(c Call) {
			res.Calls = append(res.Calls, c)
			if record != nil {
				record(c)
			}
		}
	}
	var touched []*target
	var failure error
	for _, t := range targets {
		touched = append(touched, t)
		if err := t.g.sync(ctx, t.want); err != nil {
			failure = err
			break
		}
	}
	res.Groups = res.Groups[:0]
	if failure == nil {
		for _, t := range targets {
			res.Groups = append(res.Groups, GroupResult{ID: t.g.id, Account: t.g.account, Region: t.g.region, Status: "changed"})
		}
		return finish(ctx, b, targets, done)
	}
	fe := &FailedError{Err: failure, Restored: true}
	for _, t := range touched {
		gr := GroupResult{ID: t.g.id, Account: t.g.account, Region: t.g.region, Status: "restored"}
		if err := t.g.sync(context.WithoutCancel(ctx), t.start); err != nil {
			gr.Status, gr.Detail = "not restored", err.Error()
			fe.Restored = false
			fe.NotRestored = append(fe.NotRestored, t.g.id)
		}
		res.Groups = append(res.Groups, gr)
	}
	status := "restored"
	if !fe.Restored {
		status = "not-restored"
	}
	if err := finish(context.WithoutCancel(ctx), b, targets, status); err != nil {
		return errors.Join(fe, err)
	}
	return fe
}

// finish writes the after state of the targets and the final status.
func finish(ctx context.Context, b *backup, targets []*target, status string) error {
	if b == nil {
		return nil
	}
	var groups []*ec2types.SecurityGroup
	var regions []string
	for _, t := range targets {
		live, err := t.g.read(ctx)
		if err != nil {
			return fmt.Errorf("record the state apply left: %w", err)
		}
		groups, regions = append(groups, live), append(regions, t.g.region)
	}
	if err := b.writeState("after", groups, regions); err != nil {
		return err
	}
	return b.setStatus(status)
}

// Rollback restores the groups of a backup to their before state. It
// refuses when a live group differs from the state apply left, unless
// force is set.
func Rollback(ctx context.Context, bk *Backup, force bool, opts Options) (*Result, error) {
	res := &Result{}
	var targets []*target
	var problems []string
	for _, bg := range bk.Manifest.Groups {
		t, err := newTarget(ctx, bg.ID, bg.Account, bg.Region, opts)
		if err != nil {
			return res, err
		}
		t.want = bk.Before[bg]
		after, recorded := bk.After[bg]
		if !force && (!recorded || !harden.SameSet(bg.ID, t.start, after)) {
			problems = append(problems, fmt.Sprintf("%s differs from the state apply left (recorded in %s/after): roll back with --force to discard the changes made since", bg.ID, bk.Dir))
			continue
		}
		gr := GroupResult{ID: bg.ID, Account: bg.Account, Region: bg.Region, Status: "unchanged"}
		if calls := t.g.calls(t.start, t.want); len(calls) > 0 {
			gr.Status = "would change"
			res.Calls = append(res.Calls, calls...)
			targets = append(targets, t)
		}
		res.Groups = append(res.Groups, gr)
	}
	if len(problems) > 0 {
		return res, &RefusalError{Problems: problems}
	}
	if len(targets) == 0 || !opts.Yes {
		return res, nil
	}
	res.Calls = nil
	if err := run(ctx, targets, nil, "", res, opts); err != nil {
		return res, err
	}
	b := &backup{dir: bk.Dir, manifest: bk.Manifest}
	return res, b.setStatus("rolled-back")
}
