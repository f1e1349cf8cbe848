package verify

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The JUnit XML schema as CI systems read it (the Ant/Surefire form):
// one <testsuite> with one <testcase> per claim; a failed claim carries a
// <failure>, a claim whose check could not run an <error>.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes rs as JUnit XML: one test case per claim, named by
// its id, with classname "paradox.verify.<group>" (the id up to its first
// dot). A failure's message holds the measured and expected values; the
// statement, source and details go into the case's system-out. props are
// written as suite properties (provenance, profile, seed).
func WriteJUnit(w io.Writer, suite string, rs []Result, props map[string]string) error {
	s := junitSuite{Name: suite, Tests: len(rs)}
	var total float64
	for _, r := range rs {
		total += r.Seconds
		group, _, _ := strings.Cut(r.ID, ".")
		c := junitCase{
			Name: r.ID, Classname: "paradox.verify." + group,
			Time:      fmt.Sprintf("%.3f", r.Seconds),
			SystemOut: caseText(r),
		}
		f := &junitFailure{
			Message: fmt.Sprintf("measured %s; expected %s", r.Measured, r.Expected),
			Type:    r.Verdict.String(),
			Text:    strings.Join(r.Details, "\n"),
		}
		switch r.Verdict {
		case Pass:
		case Fail:
			c.Failure = f
			s.Failures++
		default:
			c.Error = f
			s.Errors++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Time = fmt.Sprintf("%.3f", total)
	for _, k := range sortedKeys(props) {
		s.Properties = append(s.Properties, junitProperty{Name: k, Value: props[k]})
	}
	doc := junitSuites{Name: suite, Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Time: s.Time, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// caseText is the readable account of one result.
func caseText(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nsource: %s\nverdict: %s\nmeasured: %s\nexpected: %s\n", r.Statement, r.Source, r.Verdict, r.Measured, r.Expected)
	for _, d := range r.Details {
		fmt.Fprintf(&b, "  %s\n", d)
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
