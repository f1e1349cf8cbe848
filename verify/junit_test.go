package verify

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"
)

// The JUnit file parses with encoding/xml into the schema CI systems
// read, with one test case per claim and a failure or error where due.
func TestJUnitParses(t *testing.T) {
	mk := func(id string, v Verdict) Claim {
		return Claim{ID: id, Statement: "s " + id, Source: "src", Check: func(context.Context, *Env) Outcome {
			return Outcome{Verdict: v, Measured: "m<&>" + id, Expected: "e", Details: []string{"d1", "d2 & more"}}
		}}
	}
	rs, err := Run(context.Background(), []Claim{mk("a.ok", Pass), mk("b.bad", Fail), mk("c.err", Error)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, "paradox verify", rs, map[string]string{"seed": "1"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Props []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Message string `xml:"message,attr"`
				} `xml:"error"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Errors != 1 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 3 {
		t.Fatalf("got %+v", doc)
	}
	cs := doc.Suites[0].Cases
	if cs[0].Name != "a.ok" || cs[0].Classname != "paradox.verify.a" || cs[0].Failure != nil || cs[0].Error != nil {
		t.Errorf("pass case: %+v", cs[0])
	}
	if cs[1].Failure == nil || !strings.Contains(cs[1].Failure.Message, "m<&>b.bad") || !strings.Contains(cs[1].Failure.Text, "d2 & more") {
		t.Errorf("fail case: %+v", cs[1])
	}
	if cs[2].Error == nil || cs[2].Failure != nil {
		t.Errorf("error case: %+v", cs[2])
	}
	if !strings.Contains(cs[0].SystemOut, "s a.ok") || len(doc.Suites[0].Props) != 1 {
		t.Errorf("system-out or properties missing: %+v", doc.Suites[0])
	}
}
