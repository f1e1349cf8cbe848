// Package atomicfile writes files so that a reader never sees a half
// written one: data goes to a temporary file in the destination folder,
// which is renamed over the destination only when the writer commits.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is a file being written to a temporary name. Commit publishes it
// under its final name; Abort removes it. Exactly one of the two should be
// called; calling Abort after Commit does nothing, so `defer f.Abort()` is
// the usual pattern.
type File struct {
	*os.File
	final string
	done  bool
}

// Create opens a temporary file beside path (same folder, so the final
// rename is atomic on POSIX file systems), creating the folder if needed.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &File{File: f, final: path}, nil
}

// Commit flushes, closes and renames the file to its final name.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("atomicfile: %s already finished", f.final)
	}
	f.done = true
	if err := f.File.Sync(); err != nil {
		f.File.Close()
		os.Remove(f.File.Name())
		return err
	}
	if err := f.File.Close(); err != nil {
		os.Remove(f.File.Name())
		return err
	}
	if err := os.Chmod(f.File.Name(), 0o644); err != nil {
		os.Remove(f.File.Name())
		return err
	}
	if err := os.Rename(f.File.Name(), f.final); err != nil {
		os.Remove(f.File.Name())
		return err
	}
	return nil
}

// Abort closes and removes the temporary file, unless it was committed.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.File.Name())
}

// WriteFile writes path through write and commits it only if write
// returns nil.
func WriteFile(path string, write func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}
