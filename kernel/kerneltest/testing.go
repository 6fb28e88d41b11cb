package kerneltest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Run loads the cases under paths and runs each as a parallel subtest of
// t named after its ID (so that go test -run 'TestCases/oda' selects
// some), failing it with every difference and its trace. It returns the
// results once all subtests have finished. One Runner serves the whole
// call, so cards shared by several cases are personalised once.
func Run(t *testing.T, paths ...string) []*Result {
	t.Helper()
	cases, err := Load(paths...)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{}
	// Under go test the test binary's own -timeout is the guard against a
	// hang; a fixed per-case timeout would make the result depend on how
	// fast (or loaded) the machine is, e.g. under -race.
	if d, ok := t.Deadline(); ok {
		r.Timeout = time.Until(d)
	}
	results := make([]*Result, len(cases))
	t.Run("cases", func(t *testing.T) {
		for i, c := range cases {
			t.Run(c.ID, func(t *testing.T) {
				t.Parallel()
				res := r.RunCase(context.Background(), c)
				results[i] = res
				report(t, res)
			})
		}
	})
	return results
}

// report fails t with the result's differences and trace.
func report(t *testing.T, res *Result) {
	t.Helper()
	if res.Passed {
		return
	}
	var b strings.Builder
	b.WriteString(res.Case.File + ": " + res.Case.Title + " (" + res.Case.Requirement + ")\n")
	if res.Err != nil {
		b.WriteString("  error: " + res.Err.Error() + "\n")
	}
	for _, d := range res.Differences {
		b.WriteString("  " + d.String() + "\n")
	}
	if res.Actual != nil {
		b.WriteString("  actual: result " + res.Actual.Result + ", reason " + quote(res.Actual.Reason) +
			", TVR " + res.Actual.TVR + " " + list(res.Actual.TVRNames) + "\n")
	}
	if res.Trace != "" {
		b.WriteString("trace:\n" + res.Trace)
	}
	t.Error(b.String())
}
