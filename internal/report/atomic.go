package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes the file at path with what write writes, so that
// readers see either the old content or the whole new content, never a
// part.
//
// It writes to a temporary file in the same directory, syncs it to disk and
// renames it over path. When write or any step fails, it removes the
// temporary file and leaves an existing file at path untouched. A file that
// already exists keeps its permission bits; a new file gets 0644. When path
// is a symbolic link, the file it points to is replaced and the link kept.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	target, mode, err := atomicTarget(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close() // may already be closed: the error is moot
			os.Remove(tmp.Name())
		}
	}()

	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// atomicTarget resolves the file to replace and the mode to give it.
func atomicTarget(path string) (string, fs.FileMode, error) {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return "", 0, fmt.Errorf("write %s: %w", path, err)
		}
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target, 0o644, nil
	case err != nil:
		return "", 0, fmt.Errorf("write %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return "", 0, fmt.Errorf("write %s: not a regular file", path)
	}
	return target, fi.Mode().Perm(), nil
}

// syncDir makes the rename durable where the system allows syncing a
// directory. It is best effort: the new file is complete and in place
// either way, and some systems (Windows) cannot open a directory to sync.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
