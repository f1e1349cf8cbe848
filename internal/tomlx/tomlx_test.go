package tomlx

import (
	"strings"
	"testing"
)

type point struct {
	X float64 `toml:"x"`
	Y float64 `toml:"y"`
}

func TestDecodeStrict(t *testing.T) {
	known := []string{"x", "y"}
	for _, tc := range []struct {
		name, doc string
		want      point
		err       string // a part of the error; "" for none
	}{
		{"empty", "", point{1, 2}, ""},
		{"x", "x = 5", point{5, 2}, ""},
		{"x,y", "x = 5\ny = -1.5", point{5, -1.5}, ""},
		{"unknown", "x = 5\nzz = 1\nb = 2",
			point{}, "unknown key(s) b, zz; known keys are x, y"},
		{"malformed", "x = = 5", point{}, "toml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := point{1, 2}
			err := DecodeStrict([]byte(tc.doc), &p, known)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("got error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if p != tc.want {
				t.Errorf("got %+v, want %+v", p, tc.want)
			}
		})
	}
}

// TestDecodeStrictCase checks that keys are matched with their case: the
// TOML decoder itself would take TauE for taue.
func TestDecodeStrictCase(t *testing.T) {
	var v struct {
		TauE float64 `toml:"taue"`
	}
	if err := DecodeStrict([]byte("TauE = 20\n"), &v, []string{"taue"}); err == nil || !strings.Contains(err.Error(), "TauE") {
		t.Errorf("got %v, want an error naming TauE", err)
	}
	if err := DecodeStrict([]byte("taue = 20\n"), &v, []string{"taue"}); err != nil || v.TauE != 20 {
		t.Errorf("got %v, %v", err, v.TauE)
	}
}
