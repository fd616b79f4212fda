package terraform

import (
	"path/filepath"
	"sort"
)

// Roots returns the directories of dirs that are root modules: those no
// other directory of dirs calls as a local module (source = "./…"). A
// directory holding .tf files that another one uses as a module is read
// through its caller, with the caller's variables; loading it on its own
// would judge it without them. Directories that do not parse are kept, so
// that LoadDir reports their errors.
func Roots(dirs []string) []string {
	called := map[string]bool{}
	for _, d := range dirs {
		l := &loader{root: filepath.Clean(d), mods: map[string]*module{}, seen: map[string]bool{}, callsOnly: true}
		m := l.parseModule(filepath.Clean(d))
		for _, c := range m.calls {
			if isLocalSource(c.source) {
				called[filepath.Clean(filepath.Join(m.dir, c.source))] = true
			}
		}
	}
	var out []string
	for _, d := range dirs {
		if !called[filepath.Clean(d)] {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}
