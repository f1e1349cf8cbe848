package model

import (
	"fmt"
	"os"

	"github.com/paradoxlab/paradox/internal/tomlx"
)

// LoadParams reads a TOML file of model constants over base. Keys are the
// lower-case symbols (taue, taui, thetae, thetai, ge, gi, eset, iset,
// iext); a key the file does not set keeps its value from base. An unknown
// key is an error that names it. The result is validated.
func LoadParams(path string, base Params) (Params, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, fmt.Errorf("model: %w", err)
	}
	p, err := DecodeParams(data, base)
	if err != nil {
		return base, fmt.Errorf("model: %s: %w", path, err)
	}
	return p, nil
}

// DecodeParams is LoadParams on the bytes of a TOML document.
func DecodeParams(data []byte, base Params) (Params, error) {
	p := base
	if err := tomlx.DecodeStrict(data, &p, ParamKeys()); err != nil {
		return base, err
	}
	if err := p.Validate(); err != nil {
		return base, err
	}
	return p, nil
}

// ParamKeys returns the TOML keys (and flag names) of Params in order.
func ParamKeys() []string {
	fs := Params{}.fields()
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.name
	}
	return keys
}

// Set sets the parameter named by its key (as in ParamKeys) to v.
func (p *Params) Set(key string, v float64) error {
	switch key {
	case "taue":
		p.TauE = v
	case "taui":
		p.TauI = v
	case "thetae":
		p.ThetaE = v
	case "thetai":
		p.ThetaI = v
	case "ge":
		p.GE = v
	case "gi":
		p.GI = v
	case "eset":
		p.Eset = v
	case "iset":
		p.Iset = v
	case "iext":
		p.Iext = v
	default:
		return fmt.Errorf("model: unknown parameter %q", key)
	}
	return nil
}

// Get returns the parameter named by its key (as in ParamKeys).
func (p Params) Get(key string) (float64, bool) {
	for _, f := range p.fields() {
		if f.name == key {
			return f.v, true
		}
	}
	return 0, false
}
