package expr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SyntaxError is the error Parse returns for malformed input.
type SyntaxError struct {
	// Src is the text given to Parse.
	Src string
	// Col is the 1-based column (in runes) of the offending token; one
	// past the end for an unexpected end of input.
	Col int
	// Msg says what is wrong, as in `unexpected ")"`.
	Msg string
}

// Error returns "col N: msg" followed by a line with the source and a
// line with a caret under column N.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "col %d: %s\n", e.Col, e.Msg)
	line := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, e.Src)
	b.WriteString(line)
	b.WriteByte('\n')
	col := 1
	for _, r := range line {
		if col >= e.Col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	for ; col < e.Col; col++ {
		b.WriteByte(' ')
	}
	b.WriteByte('^')
	return b.String()
}

// maxDepth bounds the nesting of parentheses, functions and unary
// operators, so that hostile input cannot exhaust the stack.
const maxDepth = 1000

type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tIdent
	tOp // one of + - * / ^ ( ) ,
)

type token struct {
	kind tokKind
	text string
	col  int
	num  float64
}

func (t token) String() string {
	if t.kind == tEOF {
		return "end of input"
	}
	return strconv.Quote(t.text)
}

// Parse parses src by the grammar in the package documentation. A
// malformed src is a *SyntaxError that gives the column of the offending
// token.
func Parse(src string) (e Expr, err error) {
	p := &parser{src: src}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*SyntaxError)
			if !ok {
				panic(r)
			}
			e, err = nil, se
		}
	}()
	p.lex()
	if p.peek().kind == tEOF {
		p.fail(p.peek(), "empty expression")
	}
	e = p.sum()
	if t := p.peek(); t.kind != tEOF {
		p.fail(t, "unexpected "+t.String())
	}
	return e, nil
}

// MustParse is Parse for expressions known to be valid, such as built-in
// tables. It panics on a syntax error.
func MustParse(src string) Expr {
	e, err := Parse(src)
	if err != nil {
		panic("expr: " + err.Error())
	}
	return e
}

type parser struct {
	src   string
	toks  []token
	pos   int
	depth int
}

func (p *parser) fail(t token, msg string) {
	panic(&SyntaxError{Src: p.src, Col: t.col, Msg: msg})
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

// isOp reports whether the next token is the operator op.
func (p *parser) isOp(op string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == op
}

// enter guards against deep nesting at token t.
func (p *parser) enter(t token) {
	p.depth++
	if p.depth > maxDepth {
		p.fail(t, "expression nested too deeply")
	}
}

func (p *parser) leave() { p.depth-- }

// sum := product (("+" | "-") product)*
func (p *parser) sum() Expr {
	e := p.product()
	for p.isOp("+") || p.isOp("-") {
		op := p.next()
		r := p.product()
		if op.text == "+" {
			e = Add(e, r)
		} else {
			e = Sub(e, r)
		}
	}
	return e
}

// product := unary (("*" | "/") unary)*
func (p *parser) product() Expr {
	e := p.unary()
	for p.isOp("*") || p.isOp("/") {
		op := p.next()
		r := p.unary()
		if op.text == "*" {
			e = Mul(e, r)
		} else {
			e = Div(e, r)
		}
	}
	return e
}

// unary := ("-" | "+") unary | power
func (p *parser) unary() Expr {
	if !p.isOp("-") && !p.isOp("+") {
		return p.power()
	}
	op := p.next()
	p.enter(op)
	defer p.leave()
	e := p.unary()
	if op.text == "-" {
		return Neg(e)
	}
	return e
}

// power := primary ("^" unary)?
//
// The exponent is a unary, so ^ is right-associative and binds tighter
// than a unary minus on its left: -x^2 is -(x^2), 2^-1 is 2^(-1).
func (p *parser) power() Expr {
	e := p.primary()
	if !p.isOp("^") {
		return e
	}
	op := p.next()
	p.enter(op)
	defer p.leave()
	return Pow(e, p.unary())
}

// primary := number | ident | ident "(" args ")" | "(" sum ")"
func (p *parser) primary() Expr {
	t := p.next()
	switch {
	case t.kind == tNum:
		return Num(t.num)
	case t.kind == tIdent:
		return p.ident(t)
	case t.kind == tOp && t.text == "(":
		p.enter(t)
		defer p.leave()
		e := p.sum()
		p.close(t)
		return e
	case t.kind == tEOF:
		p.fail(t, "unexpected end of input")
	}
	p.fail(t, "unexpected "+t.String())
	panic("unreachable")
}

// close consumes the ")" that matches the "(" at open.
func (p *parser) close(open token) {
	t := p.peek()
	switch {
	case t.kind == tOp && t.text == ")":
		p.next()
	case t.kind == tEOF:
		p.fail(open, `unclosed "("`)
	default:
		p.fail(t, "unexpected "+t.String())
	}
}

// ident parses a variable or, before "(", a function call.
func (p *parser) ident(t token) Expr {
	fn, isFunc := lookupFunc(t.text)
	if !p.isOp("(") {
		switch {
		case isFunc:
			p.fail(t, fmt.Sprintf("%s is a function; want %s(...)",
				t.text, t.text))
		case reservedName(t.text):
			p.fail(t, fmt.Sprintf("%s: NaN and Inf are not accepted",
				t.text))
		}
		return &variable{t.text}
	}
	if !isFunc {
		p.fail(t, fmt.Sprintf("unknown function %q", t.text))
	}
	open := p.next()
	p.enter(open)
	defer p.leave()
	var args []Expr
	if !p.isOp(")") {
		args = append(args, p.sum())
		for p.isOp(",") {
			p.next()
			args = append(args, p.sum())
		}
	}
	p.close(open)
	if n := fn.arity(); len(args) != n {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		p.fail(t, fmt.Sprintf("%s takes %d argument%s, got %d",
			t.text, n, plural, len(args)))
	}
	return &call{fn, args}
}

// lex splits p.src into p.toks, ending with a tEOF token.
func (p *parser) lex() {
	src := p.src
	col := 1
	for i := 0; i < len(src); {
		c := src[i]
		start, startCol := i, col
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("+-*/^(),", c) >= 0:
			i++
			p.toks = append(p.toks, token{kind: tOp, text: src[start:i],
				col: startCol})
		case isLetter(c):
			for i < len(src) && (isLetter(src[i]) || isDigit(src[i])) {
				i++
			}
			p.toks = append(p.toks, token{kind: tIdent,
				text: src[start:i], col: startCol})
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			i = p.lexNumber(start, startCol)
		default:
			r, _ := utf8.DecodeRuneInString(src[i:])
			p.fail(token{col: col}, fmt.Sprintf("unexpected character %s",
				strconv.Quote(string(r))))
		}
		col += utf8.RuneCountInString(src[start:i])
	}
	p.toks = append(p.toks, token{kind: tEOF, col: col})
}

// lexNumber scans the number at src[start:] and returns the index after
// it: digits, an optional fraction and an optional exponent. A number
// run into letters, digits or dots ("2x", "1.2.3", "1e") is an error.
func (p *parser) lexNumber(start, col int) int {
	src := p.src
	i := start
	digits := func() {
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	digits()
	if i < len(src) && src[i] == '.' {
		i++
		digits()
	}
	ok := true
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		ok = i < len(src) && isDigit(src[i])
		digits()
	}
	for i < len(src) && (isLetter(src[i]) || isDigit(src[i]) ||
		src[i] == '.') {
		ok = false
		i++
	}
	text := src[start:i]
	bad := token{col: col}
	if !ok {
		p.fail(bad, fmt.Sprintf("bad number %q", text))
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		p.fail(bad, fmt.Sprintf("bad number %q: out of range", text))
	}
	p.toks = append(p.toks, token{kind: tNum, text: text, col: col, num: v})
	return i
}
