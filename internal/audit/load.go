package audit

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sgharden/sgharden/internal/diag"
	"github.com/sgharden/sgharden/internal/model"
	"github.com/sgharden/sgharden/internal/source/ansible"
	"github.com/sgharden/sgharden/internal/source/cloudformation"
	"github.com/sgharden/sgharden/internal/source/detect"
	"github.com/sgharden/sgharden/internal/source/snapshot"
	"github.com/sgharden/sgharden/internal/source/terraform"
	"github.com/sgharden/sgharden/internal/source/tfplan"
)

// input is one file to read, and whether the user named it explicitly.
type input struct {
	path     string
	explicit bool
}

// Options are how inputs are read.
type Options struct {
	// Terraform holds the values of --var-file and --var.
	Terraform terraform.Options
}

// Load reads every path (a file, or a directory read recursively) with the
// default options; see [LoadWith].
func Load(paths []string) (*model.Inventory, diag.List) { return LoadWith(paths, Options{}) }

// LoadWith reads every path (a file, or a directory read recursively) and
// merges what they hold into one inventory. Files are read by their kind;
// Terraform is read by configuration: every directory holding .tf files
// that no other such directory calls as a local module. What each input
// holds counts for its own account and region (see
// [model.Inventory.HoldsFor]). Errors come back as diagnostics; files
// skipped in a directory come back as warnings.
func LoadWith(paths []string, opts Options) (*model.Inventory, diag.List) {
	inputs, diags := expand(paths)
	if diags.HasErrors() {
		return nil, diags
	}
	files, tfRoots := splitTerraform(inputs)
	n := len(files) + len(tfRoots)
	parts := make([]*model.Inventory, n)
	partDiags := make([]diag.List, n)
	parallel(n, func(i int) {
		if i < len(files) {
			parts[i], partDiags[i] = loadFile(files[i])
			return
		}
		parts[i], partDiags[i] = terraform.LoadDir(tfRoots[i-len(files)], opts.Terraform)
	})
	inv := &model.Inventory{}
	for i := range n {
		diags = append(diags, partDiags[i]...)
		if parts[i] != nil {
			parts[i].InferCoverage()
			inv.Merge(parts[i])
		}
	}
	if diags.HasErrors() {
		diags.Sort()
		return nil, diags
	}
	inv.Sort()
	return inv, diags
}

// splitTerraform takes the .tf files out of inputs and returns the other
// files and the Terraform root directories. A .tf file named explicitly
// stands for its directory; .tfvars files are read with their
// configuration.
func splitTerraform(inputs []input) (files []input, roots []string) {
	seen := map[string]bool{}
	var dirs []string
	for _, in := range inputs {
		switch {
		case strings.HasSuffix(in.path, ".tf"):
			if d := filepath.Dir(in.path); !seen[d] {
				seen[d] = true
				dirs = append(dirs, d)
			}
		case strings.HasSuffix(in.path, ".tfvars") && !in.explicit:
		default:
			files = append(files, in)
		}
	}
	return files, terraform.Roots(dirs)
}

// expand lists the files behind paths, directories walked in lexical order.
func expand(paths []string) ([]input, diag.List) {
	var inputs []input
	var diags diag.List
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			diags = append(diags, diag.Errorf(&diag.Range{Filename: p}, "cannot read input: %v", pathError(err)))
			continue
		}
		if !st.IsDir() {
			inputs = append(inputs, input{path: p, explicit: true})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				diags = append(diags, diag.Errorf(&diag.Range{Filename: path}, "cannot read input: %v", pathError(err)))
				return nil
			}
			if d.IsDir() && path != p && d.Name()[0] == '.' {
				return filepath.SkipDir // .git, .terraform
			}
			if !d.IsDir() && d.Name()[0] != '.' {
				inputs = append(inputs, input{path: path})
			}
			return nil
		})
		if err != nil {
			diags = append(diags, diag.Errorf(&diag.Range{Filename: p}, "cannot read input: %v", err))
		}
	}
	sort.SliceStable(inputs, func(i, j int) bool { return inputs[i].path < inputs[j].path })
	return inputs, diags
}

// pathError drops the path that os errors repeat.
func pathError(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// headSize is how much of a file is read to recognise a snapshot without
// reading it whole.
const headSize = 64 << 10

// loadFile detects a file's kind and adapts it. A snapshot recognised from
// the file's head is decoded as a stream, never held whole; any other file
// is read whole.
func loadFile(in input) (*model.Inventory, diag.List) {
	inv, diags, ok := streamSnapshot(in)
	if ok {
		return inv, diags
	}
	content, err := os.ReadFile(in.path)
	if err != nil {
		return nil, diag.List{diag.Errorf(&diag.Range{Filename: in.path}, "cannot read input: %v", pathError(err))}
	}
	switch kind := detect.Detect(in.path, content); kind {
	case detect.Snapshot:
		return snapshot.Load(in.path, content)
	case detect.TerraformPlan:
		return tfplan.Load(in.path, content)
	case detect.CloudFormation:
		return cloudformation.Load(in.path, content, cloudformation.Options{})
	case detect.Ansible:
		return ansible.Load(in.path, content, ansible.Options{ReadFile: os.ReadFile})
	case detect.Unknown:
		return skip(in, "not a recognised input (an AWS CLI JSON snapshot, Terraform, a Terraform plan, CloudFormation or Ansible)", "")
	default:
		return skip(in, fmt.Sprintf("%s input is not supported", kind), "see README.md for the inputs sgharden reads")
	}
}

// streamSnapshot loads a file whose head already shows a snapshot, as a
// stream; ok is false when the head does not (or the file cannot be opened),
// and the caller reads the file whole. The head decides as the whole file
// would: [detect.Detect] stops at the first snapshot key it meets.
func streamSnapshot(in input) (inv *model.Inventory, diags diag.List, ok bool) {
	f, err := os.Open(in.path)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, false
	}
	head := make([]byte, min(st.Size(), headSize))
	n, _ := f.ReadAt(head, 0) // a short read only makes detection fail
	if detect.Detect(in.path, head[:n]) != detect.Snapshot {
		return nil, nil, false
	}
	inv, diags = snapshot.LoadReaderAt(in.path, f, st.Size())
	return inv, diags, true
}

// skip is an error for a file named explicitly and a warning for one found
// in a directory.
func skip(in input, why, hint string) (*model.Inventory, diag.List) {
	d := &diag.Diagnostic{Severity: diag.Warning, Summary: "skipped: " + why, Detail: hint, Subject: &diag.Range{Filename: in.path}}
	if in.explicit {
		d.Severity, d.Summary = diag.Error, why
		if d.Detail == "" {
			d.Detail = "name an input file, or a directory holding some"
		}
	}
	return nil, diag.List{d}
}

// parallel calls f(0..n-1) on every core.
func parallel(n int, f func(int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
