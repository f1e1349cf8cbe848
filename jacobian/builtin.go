package jacobian

import (
	"fmt"
	"strings"
)

// builtinSrc are the built-in families. Each expression is dW/dt for one
// weight, in the order WEE, WEI, WIE, WII.
var builtinSrc = []struct {
	name, doc string
	src       [4]string
}{
	{
		"standard",
		"Standard homeostatic rules (Methods Eq. 6): each weight moves with its own " +
			"population's error, E-side with aEE, aEI and I-side with aIE, aII. With " +
			"negative rates a term becomes anti-homeostatic (the homeo/anti-homeo family " +
			"of SI 1.2).",
		[4]string{
			"aEE*E*(Eset - E)",
			"-aEI*I*(Eset - E)",
			"aIE*E*(Iset - I)",
			"-aII*I*(Iset - I)",
		},
	},
	{
		"cross",
		"Cross-homeostatic rules (Methods Eq. 7): weights onto E follow the I error " +
			"and weights onto I follow the E error.",
		[4]string{
			"aEE*E*(Iset - I)",
			"-aEI*I*(Iset - I)",
			"-aIE*E*(Eset - E)",
			"aII*I*(Eset - E)",
		},
	},
	{
		"twoterm",
		"Two-term rules (Methods Eq. 8; SI 1.4): the cross-homeostatic term with " +
			"rates aXX plus the standard homeostatic term with rates hXX, one pair " +
			"per weight (analytics.md 5.4). With aXX = hXX this is Eq. 8.",
		[4]string{
			"aEE*E*(Iset - I) + hEE*E*(Eset - E)",
			"-aEI*I*(Iset - I) - hEI*I*(Eset - E)",
			"-aIE*E*(Eset - E) + hIE*E*(Iset - I)",
			"aII*I*(Eset - E) - hII*I*(Iset - I)",
		},
	},
	{
		"synscale",
		"Synaptic scaling (SI 1.5): the standard rule with the weight itself as " +
			"the factor instead of the presynaptic rate.",
		[4]string{
			"aEE*(Eset - E)*WEE",
			"-aEI*(Eset - E)*WEI",
			"aIE*(Iset - I)*WIE",
			"-aII*(Iset - I)*WII",
		},
	},
	{
		"forcedbalance",
		"Forced balance (SI 1.6; analytics.md 5.6): WEE and WIE follow homeostatic " +
			"terms with rates aEE (alpha1) and aIE (alpha3), and WEI and WII relax " +
			"linearly to the setpoint plane (Methods Eqs. 4-5) with time constant " +
			"tau0 = 1/(aEE gE gI Eset Iset). The WIE term carries the minus sign of the " +
			"authors' SageMath notebook, which is the sign the SI's stability formulas " +
			"(Eqs. 16a/b) need; the SI's printed summary has a plus. aEI and aII are " +
			"unused.",
		[4]string{
			"aEE*gE*E*(Eset - E)",
			"aEE*gE*gI*Eset*Iset*((gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE) - WEI)",
			"-aIE*gI*E*(Iset - I)",
			"aEE*gE*gI*Eset*Iset*((gI*(Eset*WIE - thetaI) - Iset)/(Iset*gI) - WII)",
		},
	},
}

var builtins = func() map[string]*Family {
	m := map[string]*Family{}
	for _, b := range builtinSrc {
		f, err := NewFamily(b.name, b.doc, b.src, nil)
		if err != nil {
			panic(err)
		}
		m[b.name] = f
	}
	return m
}()

// Builtin returns the built-in family of the given name.
func Builtin(name string) (*Family, error) {
	if f, ok := builtins[name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("jacobian: unknown rule %q (built in: %s)", name, strings.Join(BuiltinNames(), ", "))
}

// BuiltinNames returns the built-in families' names in a fixed order.
func BuiltinNames() []string {
	names := make([]string, len(builtinSrc))
	for i, b := range builtinSrc {
		names[i] = b.name
	}
	return names
}

// Builtins returns the built-in families in BuiltinNames order.
func Builtins() []*Family {
	fs := make([]*Family, len(builtinSrc))
	for i, b := range builtinSrc {
		fs[i] = builtins[b.name]
	}
	return fs
}
