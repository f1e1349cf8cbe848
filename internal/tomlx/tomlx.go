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
	un := md.Undecoded()
	if len(un) == 0 {
		return nil
	}
	keys := make([]string, len(un))
	for i, k := range un {
		keys[i] = k.String()
	}
	sort.Strings(keys)
	return fmt.Errorf("unknown key(s) %s; known keys are %s",
		strings.Join(keys, ", "), strings.Join(known, ", "))
}
