// Package expr is the small symbolic expression language in which the
// plasticity-rule families of paradox are written, such as
//
//	aEE*E*(Eset - E)
//	-aEI*I*(Iset - I) - hEI*I*(Eset - E)
//
// It parses them, simplifies and differentiates them symbolically,
// prints them as text, LaTeX and MathML, and compiles them for fast
// evaluation.
//
// # Grammar
//
//	sum     = product { ("+" | "-") product }
//	product = unary { ("*" | "/") unary }
//	unary   = ("-" | "+") unary | power
//	power   = primary [ "^" unary ]
//	primary = number | ident | ident "(" sum { "," sum } ")" | "(" sum ")"
//	number  = digits [ "." [ digits ] ] [ exponent ] | "." digits [ exponent ]
//	exponent = ("e" | "E") [ "+" | "-" ] digits
//	ident   = [A-Za-z_][A-Za-z0-9_]*
//
// So + and - bind loosest and associate to the left, then * and /, then
// unary minus, then ^, which associates to the right: -x^2 is -(x^2),
// x^y^z is x^(y^z) and 2^-1 is 2^(-1). Blanks (space, tab, newline) are
// ignored. The functions are exp, log (natural), sqrt, abs, sign (−1, 0
// or 1), step (Heaviside, with step(0) = 1), min(a, b) and max(a, b);
// their names cannot name variables. NaN and Inf are not accepted, as
// literals or as names, and neither is a number that overflows float64.
// Parse reports an error as a *SyntaxError with the column of the
// offending token.
//
// # Trees
//
// An Expr is an immutable tree of numbers, variables, n-ary sums and
// products, powers and function calls. A difference a − b is stored as
// a + (−1)·b and a quotient a/b as a·b^(−1); the printers turn them back.
// The constructors only flatten nested sums and products and keep a
// sign in front (Neg(Num(2)) is −2, Neg(Neg(a)) is a, Mul(a, Neg(b)) is
// Neg(Mul(a, b))), so Parse(s) keeps the shape of s.
//
// # Simplify
//
// Simplify folds constants, removes 0 and 1 where they do nothing,
// collects numeric coefficients of like terms and like factors into
// powers, and sorts terms and factors deterministically: the
// coefficient first, then factors by their base (variables ignoring
// case, then calls, then sums), positive terms before negative ones. It is idempotent, and it never
// changes the value of an expression where that value is defined, up to
// rounding; it may define a value that was not (x/x simplifies to 1,
// which is also 1 at x = 0). It does not multiply out products of sums,
// factor, or use function identities beyond abs(abs(x)) = abs(x) and
// min(x, x) = x, so two equal expressions need not simplify to the same
// tree; Expand multiplies out, which decides equality of polynomials
// and of rational functions with monomial denominators.
//
// Folding never makes a non-finite number: 1/0 and log(0) stay as they
// are. A coefficient that is a small fraction, such as 1/3, is stored as
// its float64 value and printed as the fraction.
//
// # Derivatives
//
// Diff applies the usual rules and simplifies the result. The
// non-smooth functions get derivatives in the language: d abs(u) =
// sign(u) du, d min(a, b) = step(b − a) da + (1 − step(b − a)) db, and
// d sign(u) = d step(u) = 0, which are right except where the argument
// is at a kink.
//
// # Evaluation
//
// Eval is the slow reference evaluator. Compile and CompileVec build a
// tree of closures over slot indices with constant subtrees folded; its
// Eval does not allocate and performs the same floating-point operations
// as Eval in the same order, so the two agree to the last bit. Programs,
// like expressions, are immutable and safe for concurrent use by many
// goroutines: evaluation uses only the Go stack and the caller's slices.
package expr
