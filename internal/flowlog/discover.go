package flowlog

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sgharden/sgharden/internal/model"
)

// Local returns the inputs behind local paths: a file, or every file of a
// directory tree (walked in lexical order, dot files and folders skipped).
// A path that cannot be read is a [Problem].
func Local(paths []string) ([]Input, []Problem) {
	var inputs []Input
	var problems []Problem
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			problems = append(problems, Problem{File: p, Reason: "cannot read: " + pathError(err).Error()})
			continue
		}
		if !st.IsDir() {
			inputs = append(inputs, localInput(p, true))
			continue
		}
		err = filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, Problem{File: name, Reason: "cannot read: " + pathError(err).Error()})
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") && name != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				inputs = append(inputs, localInput(name, false))
			}
			return nil
		})
		if err != nil {
			problems = append(problems, Problem{File: p, Reason: "cannot read: " + err.Error()})
		}
	}
	slices.SortStableFunc(inputs, func(a, b Input) int { return cmpString(a.Name, b.Name) })
	return inputs, problems
}

func pathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

func localInput(name string, explicit bool) Input {
	in := Input{
		Name:     name,
		Explicit: explicit,
		Open: func(context.Context) (io.ReadCloser, error) {
			f, err := os.Open(name)
			if err != nil {
				return nil, pathError(err)
			}
			return f, nil
		},
		OpenAt: func(context.Context) (io.ReaderAt, int64, io.Closer, error) {
			f, err := os.Open(name)
			if err != nil {
				return nil, 0, nil, pathError(err)
			}
			st, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, 0, nil, err
			}
			return f, st.Size(), f, nil
		},
	}
	in.FlowLogID, in.Day = Layout(filepath.ToSlash(name))
	return in
}

var (
	// flowLogIDInName matches AWS's object names:
	// ACCOUNT_vpcflowlogs_REGION_fl-ID_YYYYMMDDTHHmmZ_HASH.log.gz.
	flowLogIDInName = regexp.MustCompile(`_vpcflowlogs_[a-z0-9-]+_(fl-[0-9a-f]+)_\d{8}T\d{4}Z_`)
	// dayInPath matches …/vpcflowlogs/REGION/YYYY/MM/DD/ and the Hive
	// layout …/year=YYYY/month=MM/day=DD/.
	dayInPath = regexp.MustCompile(`(?:/vpcflowlogs/[a-z0-9-]+/(\d{4})/(\d{2})/(\d{2})/|/year=(\d{4})/month=(\d{2})/day=(\d{2})/)`)
)

// Layout reads what AWS's S3 delivery layout says about an object: the
// flow log that delivered it (from the object name) and the delivery day
// (from the folders). Either may be empty.
func Layout(name string) (flowLogID string, day time.Time) {
	if m := flowLogIDInName.FindStringSubmatch(path.Base(name)); m != nil {
		flowLogID = m[1]
	}
	if m := dayInPath.FindStringSubmatch(name); m != nil {
		ymd := strings.Join(m[1:4], "-")
		if m[1] == "" {
			ymd = strings.Join(m[4:7], "-")
		}
		day, _ = time.Parse("2006-01-02", ymd)
	}
	return flowLogID, day
}

// InWindow reports whether an input may hold records between since and
// until (zero for open ends): inputs without a delivery day always may;
// others are delivered within a day of their records.
func (in *Input) InWindow(since, until time.Time) bool {
	if in.Day.IsZero() {
		return true
	}
	if !since.IsZero() && in.Day.Add(48*time.Hour).Before(since) {
		return false
	}
	if !until.IsZero() && in.Day.After(until.Add(24*time.Hour)) {
		return false
	}
	return true
}

// InventoryFormats returns an [Options.FormatFor] that uses the LogFormat
// of the inventory's flow log the input was delivered by (known from the
// S3 object name); else, when every flow log of the inventory has the same
// LogFormat, that one; else none.
func InventoryFormats(inv *model.Inventory) func(in *Input) (Format, bool) {
	byID := map[string]Format{}
	var common *Format
	same := true
	for _, fl := range inv.FlowLogs {
		if fl.LogFormat == "" {
			continue
		}
		fm, err := ParseFormat(fl.LogFormat)
		if err != nil {
			continue
		}
		byID[fl.ID] = fm
		switch {
		case common == nil:
			common = &fm
		case common.String() != fm.String():
			same = false
		}
	}
	return func(in *Input) (Format, bool) {
		if fm, ok := byID[in.FlowLogID]; ok {
			return fm, true
		}
		if common != nil && same {
			return *common, true
		}
		return Format{}, false
	}
}
