package kerneltest

import (
	"encoding/json"
	"io"
	"sort"
	"time"
)

// Summary counts results.
type Summary struct {
	Total, Passed, Failed int
	// ByArea counts the cases of each area, FailedByArea the failures.
	ByArea       map[string]int
	FailedByArea map[string]int
	// Duration is the sum of the cases' durations (not the wall time of a
	// parallel run).
	Duration time.Duration
}

// Summarise counts the results.
func Summarise(results []*Result) Summary {
	s := Summary{ByArea: map[string]int{}, FailedByArea: map[string]int{}}
	for _, r := range results {
		s.Total++
		s.ByArea[r.Case.Area]++
		s.Duration += r.Duration
		if r.Passed {
			s.Passed++
		} else {
			s.Failed++
			s.FailedByArea[r.Case.Area]++
		}
	}
	return s
}

// Areas returns the areas present, in the order of the package's Areas
// list (unknown ones last, sorted).
func (s Summary) Areas() []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range Areas {
		if s.ByArea[a] > 0 {
			out = append(out, a)
			seen[a] = true
		}
	}
	var rest []string
	for a := range s.ByArea {
		if !seen[a] {
			rest = append(rest, a)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// jsonResult is the JSON form of a Result.
type jsonResult struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Requirement string       `json:"requirement"`
	Area        string       `json:"area"`
	File        string       `json:"file"`
	Passed      bool         `json:"passed"`
	Error       string       `json:"error,omitempty"`
	Summary     string       `json:"summary"`
	Differences []Difference `json:"differences"`
	Actual      *Actual      `json:"actual,omitempty"`
	Trace       string       `json:"trace,omitempty"`
	Millis      float64      `json:"ms"`
}

// jsonReport is the JSON report.
type jsonReport struct {
	Passed  int          `json:"passed"`
	Failed  int          `json:"failed"`
	Results []jsonResult `json:"results"`
}

// WriteJSON writes the results as one JSON object: the counts and, for
// every case, its verdict, differences, what actually happened and the
// trace.
func WriteJSON(w io.Writer, results []*Result) error {
	s := Summarise(results)
	rep := jsonReport{Passed: s.Passed, Failed: s.Failed, Results: []jsonResult{}}
	for _, r := range results {
		j := jsonResult{ID: r.Case.ID, Title: r.Case.Title, Requirement: r.Case.Requirement, Area: r.Case.Area,
			File: r.Case.File, Passed: r.Passed, Summary: r.Summary(), Differences: r.Differences,
			Actual: r.Actual, Trace: r.Trace, Millis: float64(r.Duration.Microseconds()) / 1000}
		if j.Differences == nil {
			j.Differences = []Difference{}
		}
		if r.Err != nil {
			j.Error = r.Err.Error()
		}
		rep.Results = append(rep.Results, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
