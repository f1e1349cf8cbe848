// Package provenance collects what a result needs to be regenerated: the
// tool's version and commit, the Go version, the command line, the date,
// and any resolved settings the caller adds.
package provenance

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"
)

// Version is the tool's version.
const Version = "0.1.0"

// modulePath is the Go module of paradox.
const modulePath = "github.com/paradoxlab/paradox"

// Info is the provenance of one run.
type Info struct {
	Tool      string            `json:"tool"`
	Version   string            `json:"version"`
	Commit    string            `json:"commit"`
	GoVersion string            `json:"go_version"`
	Command   string            `json:"command"`
	Date      string            `json:"date"`
	Settings  map[string]string `json:"settings"`
}

// New returns the provenance of the running program with the given
// command line. Settings start empty.
func New(args []string) Info {
	return Info{
		Tool:      "paradox",
		Version:   Version,
		Commit:    Commit(),
		GoVersion: runtime.Version(),
		Command:   strings.Join(args, " "),
		Date:      time.Now().UTC().Format(time.RFC3339),
		Settings:  map[string]string{},
	}
}

// Set records one resolved setting.
func (i *Info) Set(key string, value any) {
	i.Settings[key] = fmt.Sprint(value)
}

// Hash returns a SHA-256 over the sorted settings: two runs with equal
// hashes computed the same thing.
func (i Info) Hash() string {
	h := sha256.New()
	for _, k := range i.keys() {
		fmt.Fprintf(h, "%s=%s\n", k, i.Settings[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (i Info) keys() []string {
	keys := make([]string, 0, len(i.Settings))
	for k := range i.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WriteComments writes the provenance as '#' comment lines, the header
// of every CSV file paradox writes. The date is left out when noDate is
// set, so that equal inputs give equal bytes.
func (i Info) WriteComments(w io.Writer, noDate bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s (commit %s, %s)\n", i.Tool, i.Version, i.Commit, i.GoVersion)
	fmt.Fprintf(&b, "# command: %s\n", i.Command)
	if !noDate {
		fmt.Fprintf(&b, "# date: %s\n", i.Date)
	}
	for _, k := range i.keys() {
		fmt.Fprintf(&b, "# %s: %s\n", k, i.Settings[k])
	}
	fmt.Fprintf(&b, "# config_hash: %s\n", i.Hash())
	_, err := io.WriteString(w, b.String())
	return err
}

var (
	commitOnce sync.Once
	commit     string
)

// Commit returns the VCS revision the binary was built from, from the
// build information or, failing that, from git in the working folder;
// "unknown" if neither knows. It is computed once per process.
func Commit() string {
	commitOnce.Do(func() { commit = findCommit() })
	return commit
}

func findCommit() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				return s.Value[:min(12, len(s.Value))]
			}
		}
	}
	// Only a checkout of paradox itself says which commit this is; the
	// working folder may be any other repository.
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "unknown"
	}
	mod, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(top)), "go.mod"))
	if err != nil || !strings.HasPrefix(string(mod), "module "+modulePath+"\n") {
		return "unknown"
	}
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err == nil {
		return strings.TrimSpace(string(out))
	}
	return "unknown"
}
