package expr_test

import (
	"fmt"

	"github.com/paradoxlab/paradox/jacobian/expr"
)

func ExampleParse() {
	e, err := expr.Parse("-aEI*I*(Iset-I) - hEI*I*(Eset-E)")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e)
	fmt.Println(expr.Vars(e))

	_, err = expr.Parse("aEE*E*(Eset - E))")
	fmt.Println(err)
	// Output:
	// -aEI*I*(Iset - I) - hEI*I*(Eset - E)
	// [E Eset I Iset aEI hEI]
	// col 17: unexpected ")"
	// aEE*E*(Eset - E))
	//                 ^
}

func ExampleDiff() {
	rule := expr.MustParse("aEE*E*(Eset - E)")
	fmt.Println(expr.Diff(rule, "E"))
	fmt.Println(expr.Expand(expr.Diff(rule, "E")))

	plane := expr.MustParse("aEE*gE*gI*Eset*Iset*" +
		"((gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE) - WEI)")
	fmt.Println(expr.Diff(plane, "WEE"))
	fmt.Println(expr.Diff(plane, "WEI"))
	// Output:
	// aEE*(Eset - E) - aEE*E
	// aEE*Eset - 2*aEE*E
	// aEE*Eset^2*gE*gI
	// -aEE*Eset*gE*gI*Iset
}

func ExampleSimplify() {
	for _, src := range []string{"2*x + 3*x", "x*x/y", "-(x - 1)", "(2*x)^2/3"} {
		fmt.Println(expr.Simplify(expr.MustParse(src)))
	}
	// Output:
	// 5*x
	// x^2/y
	// 1 - x
	// 4*x^2/3
}

func ExampleLaTeX() {
	e := expr.MustParse("(gE*(Eset*WEE - thetaE + Iext) - Eset)/(Iset*gE)")
	fmt.Println(expr.LaTeX(e))
	// Output:
	// \frac{g_{E} \left(E_{set} W_{EE} - \theta_{E} + I_{ext}\right) - E_{set}}{I_{set} g_{E}}
}

func ExampleMathML() {
	fmt.Println(expr.MathML(expr.MustParse("tauE/x^2")))
	// Output:
	// <mrow><mfrac><msub><mi>τ</mi><mi>E</mi></msub><msup><mi>x</mi><mn>2</mn></msup></mfrac></mrow>
}

func ExampleCompile() {
	vars := []string{"aEE", "E", "Eset"}
	p, err := expr.Compile(expr.MustParse("aEE*E*(Eset - E)"), vars)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Eval([]float64{0.5, 4, 5}))

	_, err = expr.Compile(expr.MustParse("aEE*E*(Eset - E)"), vars[:2])
	fmt.Println(err)
	// Output:
	// 2
	// expr: unbound variable Eset
}
