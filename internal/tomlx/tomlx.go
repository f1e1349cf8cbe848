// Package tomlx decodes TOML documents strictly: a key that the target
// does not hold is an error, not silently dropped.
package tomlx

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// DecodeStrict decodes the TOML document data into v, a pointer, over
// the values v already holds. It returns the decoder's error for a
// malformed document, and for keys that v has no place for an error that
// names them, sorted, followed by the known keys in the order given. v
// may be partly written when DecodeStrict returns an error.
func DecodeStrict(data []byte, v any, known []string) error {
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(v)
	if err != nil {
		return err
	}
	// The decoder matches keys case-insensitively; a key is known only
	// when it is spelled exactly as in known (top-level keys only, as
	// the callers' documents are flat).
	exact := map[string]bool{}
	for _, k := range known {
		exact[k] = true
	}
	var keys []string
	for _, k := range md.Undecoded() {
		keys = append(keys, k.String())
	}
	for _, k := range md.Keys() {
		if len(k) == 1 && !exact[k[0]] && !contains(keys, k.String()) {
			keys = append(keys, k.String())
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Strings(keys)
	return fmt.Errorf("unknown key(s) %s; known keys are %s",
		strings.Join(keys, ", "), strings.Join(known, ", "))
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
