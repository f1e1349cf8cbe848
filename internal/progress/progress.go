// Package progress draws a one-line progress bar on a terminal. It is used
// only by the command line; libraries report progress through callbacks.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Bar is a progress bar for a known amount of work. A nil *Bar, or one
// that is not enabled, ignores every call, so callers need no checks.
// Its methods are safe for concurrent use.
type Bar struct {
	mu      sync.Mutex
	w       io.Writer
	label   string
	total   int
	done    int
	start   time.Time
	last    time.Time
	enabled bool
}

// New returns a bar writing to w. It draws only when enabled is true.
func New(w io.Writer, label string, total int, enabled bool) *Bar {
	now := time.Now()
	return &Bar{w: w, label: label, total: total, start: now, enabled: enabled}
}

// IsTerminal reports whether w is a character device (a terminal).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Set records that done units of work are finished and redraws the bar at
// most ten times a second.
func (b *Bar) Set(done int) {
	if b == nil || !b.enabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = done
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond && done < b.total {
		return
	}
	b.last = now
	b.draw(now)
}

// Add records n more finished units.
func (b *Bar) Add(n int) {
	if b == nil || !b.enabled {
		return
	}
	b.mu.Lock()
	d := b.done + n
	b.mu.Unlock()
	b.Set(d)
}

// Func returns a callback of the form libraries take, func(done, total).
func (b *Bar) Func() func(done, total int) {
	return func(done, total int) {
		if b == nil {
			return
		}
		b.mu.Lock()
		b.total = total
		b.mu.Unlock()
		b.Set(done)
	}
}

func (b *Bar) draw(now time.Time) {
	const width = 30
	frac := 0.0
	if b.total > 0 {
		frac = float64(b.done) / float64(b.total)
	}
	n := int(frac * width)
	eta := ""
	if b.done > 0 && b.done < b.total {
		el := now.Sub(b.start)
		rem := time.Duration(float64(el) * (1/frac - 1))
		eta = " eta " + rem.Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r\033[Kparadox: %s [%s%s] %d/%d%s", b.label,
		strings.Repeat("=", n), strings.Repeat(" ", width-n), b.done, b.total, eta)
}

// Done clears the bar's line.
func (b *Bar) Done() {
	if b == nil || !b.enabled {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprint(b.w, "\r\033[K")
}
