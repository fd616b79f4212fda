package apply

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgharden/sgharden/internal/harden"
	"github.com/sgharden/sgharden/internal/report"
	"github.com/sgharden/sgharden/internal/source/snapshot"
)

// Manifest describes a backup folder.
type Manifest struct {
	// Format is "sgharden-backup".
	Format  string `json:"format"`
	Version int    `json:"version"`
	// Created is when apply started (RFC 3339, UTC).
	Created string `json:"created"`
	// Plan is the plan file applied.
	Plan string `json:"plan,omitempty"`
	// Status is "in-progress", "applied", "restored", "not-restored" or
	// "rolled-back".
	Status string        `json:"status"`
	Groups []BackupGroup `json:"groups"`
}

// BackupGroup names one group of a backup.
type BackupGroup struct {
	ID      string `json:"id"`
	Account string `json:"account"`
	Region  string `json:"region"`
}

const manifestName = "manifest.json"

// backup is an open backup folder.
type backup struct {
	dir      string
	manifest Manifest
}

// newBackup creates the folder (which must not hold a backup already)
// and writes the before state of the groups.
func newBackup(dir string, m Manifest, groups []*ec2types.SecurityGroup, regions []string) (*backup, error) {
	if _, err := os.Stat(filepath.Join(dir, manifestName)); err == nil {
		return nil, fmt.Errorf("%s already holds a backup: name another folder with --backup-dir", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the backup folder: %w", err)
	}
	b := &backup{dir: dir, manifest: m}
	if err := b.writeState("before", groups, regions); err != nil {
		return nil, err
	}
	return b, b.setStatus("in-progress")
}

// setStatus rewrites the manifest with a new status.
func (b *backup) setStatus(status string) error {
	b.manifest.Status = status
	return report.WriteFileAtomic(filepath.Join(b.dir, manifestName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(b.manifest)
	})
}

// writeState writes the groups (regions[i] is the region of groups[i]) as
// snapshot files under kind/ACCOUNT/REGION.json.
func (b *backup) writeState(kind string, groups []*ec2types.SecurityGroup, regions []string) error {
	type key struct{ account, region string }
	files := map[key][]cliGroup{}
	for i, g := range groups {
		k := key{aws.ToString(g.OwnerId), regions[i]}
		files[k] = append(files[k], cliGroupOf(g))
	}
	keys := make([]key, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].account+"/"+keys[i].region < keys[j].account+"/"+keys[j].region })
	for _, k := range keys {
		account := k.account
		if account == "" {
			account = "unknown-account"
		}
		path := filepath.Join(b.dir, kind, account, k.region+".json")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("write the backup: %w", err)
		}
		doc := cliSnapshot{AccountID: k.account, Region: k.region, SecurityGroups: files[k]}
		err := report.WriteFileAtomic(path, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "    ")
			enc.SetEscapeHTML(false)
			return enc.Encode(doc)
		})
		if err != nil {
			return fmt.Errorf("write the backup: %w", err)
		}
	}
	return nil
}

// cliSnapshot is a snapshot file: describe-security-groups output with the
// account and region.
type cliSnapshot struct {
	AccountID      string     `json:"AccountId,omitempty"`
	Region         string     `json:"Region,omitempty"`
	SecurityGroups []cliGroup `json:"SecurityGroups"`
}

type cliGroup struct {
	Description         string    `json:"Description"`
	GroupName           string    `json:"GroupName"`
	IpPermissions       []cliPerm `json:"IpPermissions"`
	OwnerId             string    `json:"OwnerId"`
	GroupId             string    `json:"GroupId"`
	IpPermissionsEgress []cliPerm `json:"IpPermissionsEgress"`
	Tags                []cliTag  `json:"Tags,omitempty"`
	VpcId               string    `json:"VpcId,omitempty"`
}

type cliPerm struct {
	IpProtocol       string    `json:"IpProtocol"`
	FromPort         *int32    `json:"FromPort,omitempty"`
	ToPort           *int32    `json:"ToPort,omitempty"`
	IpRanges         []cliPeer `json:"IpRanges"`
	Ipv6Ranges       []cliPeer `json:"Ipv6Ranges"`
	PrefixListIds    []cliPeer `json:"PrefixListIds"`
	UserIdGroupPairs []cliPeer `json:"UserIdGroupPairs"`
}

type cliPeer struct {
	CidrIp                 string `json:"CidrIp,omitempty"`
	CidrIpv6               string `json:"CidrIpv6,omitempty"`
	PrefixListId           string `json:"PrefixListId,omitempty"`
	GroupId                string `json:"GroupId,omitempty"`
	UserId                 string `json:"UserId,omitempty"`
	VpcId                  string `json:"VpcId,omitempty"`
	VpcPeeringConnectionId string `json:"VpcPeeringConnectionId,omitempty"`
	Description            string `json:"Description,omitempty"`
}

type cliTag struct{ Key, Value string }

func cliGroupOf(g *ec2types.SecurityGroup) cliGroup {
	out := cliGroup{Description: aws.ToString(g.Description), GroupName: aws.ToString(g.GroupName), OwnerId: aws.ToString(g.OwnerId),
		GroupId: aws.ToString(g.GroupId), VpcId: aws.ToString(g.VpcId), IpPermissions: cliPerms(g.IpPermissions), IpPermissionsEgress: cliPerms(g.IpPermissionsEgress)}
	for _, t := range g.Tags {
		out.Tags = append(out.Tags, cliTag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	return out
}

func cliPerms(perms []ec2types.IpPermission) []cliPerm {
	out := []cliPerm{}
	for _, p := range perms {
		c := cliPerm{IpProtocol: aws.ToString(p.IpProtocol), FromPort: p.FromPort, ToPort: p.ToPort,
			IpRanges: []cliPeer{}, Ipv6Ranges: []cliPeer{}, PrefixListIds: []cliPeer{}, UserIdGroupPairs: []cliPeer{}}
		for _, r := range p.IpRanges {
			c.IpRanges = append(c.IpRanges, cliPeer{CidrIp: aws.ToString(r.CidrIp), Description: aws.ToString(r.Description)})
		}
		for _, r := range p.Ipv6Ranges {
			c.Ipv6Ranges = append(c.Ipv6Ranges, cliPeer{CidrIpv6: aws.ToString(r.CidrIpv6), Description: aws.ToString(r.Description)})
		}
		for _, r := range p.PrefixListIds {
			c.PrefixListIds = append(c.PrefixListIds, cliPeer{PrefixListId: aws.ToString(r.PrefixListId), Description: aws.ToString(r.Description)})
		}
		for _, r := range p.UserIdGroupPairs {
			c.UserIdGroupPairs = append(c.UserIdGroupPairs, cliPeer{GroupId: aws.ToString(r.GroupId), UserId: aws.ToString(r.UserId),
				VpcId: aws.ToString(r.VpcId), VpcPeeringConnectionId: aws.ToString(r.VpcPeeringConnectionId), Description: aws.ToString(r.Description)})
		}
		out = append(out, c)
	}
	return out
}

// Backup is a backup folder as read back.
type Backup struct {
	Dir      string
	Manifest Manifest
	// Before and After are each group's entries, by BackupGroup.
	Before map[BackupGroup][]harden.Entry
	After  map[BackupGroup][]harden.Entry
}

// ReadBackup reads a backup folder written by [Apply], through the
// snapshot reader.
func ReadBackup(dir string) (*Backup, error) {
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a backup folder: it has no %s (apply prints the folder it writes)", dir, manifestName)
		}
		return nil, fmt.Errorf("read the backup: %w", err)
	}
	b := &Backup{Dir: dir}
	if err := json.Unmarshal(raw, &b.Manifest); err != nil || b.Manifest.Format != "sgharden-backup" {
		return nil, fmt.Errorf("%s: not an sgharden backup manifest", filepath.Join(dir, manifestName))
	}
	if b.Before, err = readState(filepath.Join(dir, "before")); err != nil {
		return nil, err
	}
	if b.After, err = readState(filepath.Join(dir, "after")); err != nil {
		return nil, err
	}
	for _, g := range b.Manifest.Groups {
		if _, ok := b.Before[g]; !ok {
			return nil, fmt.Errorf("the backup in %s has no before state of %s (%s/%s)", dir, g.ID, g.Account, g.Region)
		}
	}
	return b, nil
}

// readState reads the snapshot files of one state folder.
func readState(dir string) (map[BackupGroup][]harden.Entry, error) {
	out := map[BackupGroup][]harden.Entry{}
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	slices.Sort(paths)
	for _, path := range paths {
		content, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read the backup: %w", err)
		}
		inv, diags := snapshot.Load(path, content)
		if diags.HasErrors() {
			return nil, fmt.Errorf("read the backup: %w", diags)
		}
		region := strings.TrimSuffix(filepath.Base(path), ".json")
		for _, g := range inv.SecurityGroups {
			k := BackupGroup{ID: g.ID, Account: g.OwnerID, Region: region}
			es := []harden.Entry{}
			for _, r := range append(slices.Clone(g.Ingress), g.Egress...) {
				es = append(es, harden.EntryOf(r))
			}
			out[k] = es
		}
	}
	return out, nil
}
