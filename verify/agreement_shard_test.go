package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// The agreement claims computed cell range by cell range, with any
// number of workers, and assembled by AgreementResults give the results
// of Run, but for the timing; a range may span two claims.
func TestAgreementShardsMatchRun(t *testing.T) {
	prof := Quick()
	prof.AgreementCells, prof.AgreementTrials = 3, 60
	claims, err := Select(Catalogue(), []string{"agreement.*"})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Profile: prof, Seed: 1, Workers: 2}
	want, err := Run(context.Background(), claims, opt)
	if err != nil {
		t.Fatal(err)
	}

	jobs, err := AgreementJobs(claims, opt)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range jobs {
		n += len(j.Cells)
	}
	if len(jobs) != len(claims) || n <= len(jobs[0].Cells) {
		t.Fatalf("%d jobs of %d cells, want %d jobs and cells beyond the first claim", len(jobs), n, len(claims))
	}
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			var cells []AgreementCell
			for i := 0; i < shards; i++ {
				part, err := AgreementCells(context.Background(), jobs, i*n/shards, (i+1)*n/shards, 1+i%2)
				if err != nil {
					t.Fatal(err)
				}
				cells = append(cells, part...)
			}
			got, err := AgreementResults(jobs, cells)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := untimed(t, got), untimed(t, want); g != w {
				t.Errorf("got\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// untimed returns the JSON form of rs without their Seconds.
func untimed(t *testing.T, rs []Result) string {
	t.Helper()
	rs = append([]Result(nil), rs...)
	for i := range rs {
		rs[i].Seconds = 0
	}
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// AgreementJobs refuses claims that are not agreement claims without
// running their checks, and AgreementCells a range outside the list.
func TestAgreementJobsErrors(t *testing.T) {
	ran := false
	other := Claim{ID: "cross.other", Check: func(context.Context, *Env) Outcome { ran = true; return Outcome{} }}
	if _, err := AgreementJobs([]Claim{other}, Options{}); err == nil || ran {
		t.Errorf("non-agreement claim: err %v, check ran %v; want an error and no run", err, ran)
	}
	named := other
	named.ID = "agreement.other"
	if _, err := AgreementJobs([]Claim{named}, Options{}); err == nil {
		t.Error("a claim named agreement.* without an agreement check was accepted")
	}
	claims, _ := Select(Catalogue(), []string{"agreement.twoterm"})
	prof := Quick()
	prof.AgreementCells = 2
	jobs, err := AgreementJobs(claims, Options{Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	n := len(jobs[0].Cells)
	if _, err := AgreementCells(context.Background(), jobs, 0, n+1, 1); err == nil {
		t.Errorf("cells 0-%d of %d were accepted", n, n)
	}
	if _, err := AgreementResults(jobs, nil); err == nil && n > 0 {
		t.Error("AgreementResults accepted too few cells")
	}
}
