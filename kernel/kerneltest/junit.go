package kerneltest

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// JUnit XML, the format CI systems read (Jenkins, GitLab, GitHub actions):
// one testsuite per area, one testcase per case.

// JUnitSuites is the root element of a JUnit report.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is the cases of one area.
type JUnitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []JUnitCase `xml:"testcase"`
}

// JUnitCase is one case: a failure lists every difference, an error says
// why the case could not run; system-out holds the requirement and the
// trace.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *JUnitProblem `xml:"failure"`
	Error     *JUnitProblem `xml:"error"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// JUnitProblem is a failure or an error: a one-line message and the
// details.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit builds the JUnit report of results.
func JUnit(results []*Result) *JUnitSuites {
	root := &JUnitSuites{Name: "yixin certify"}
	byArea := map[string]*JUnitSuite{}
	var order []string
	var total time.Duration
	for _, r := range results {
		s := byArea[r.Case.Area]
		if s == nil {
			s = &JUnitSuite{Name: r.Case.Area}
			byArea[r.Case.Area] = s
			order = append(order, r.Case.Area)
		}
		jc := JUnitCase{Name: r.Case.ID, ClassName: "certify." + r.Case.Area, Time: seconds(r.Duration),
			SystemOut: systemOut(r)}
		switch {
		case r.Err != nil:
			jc.Error = &JUnitProblem{Message: xmlSafe(r.Err.Error()), Type: "setup", Text: xmlSafe(r.Err.Error())}
			s.Errors++
		case !r.Passed:
			jc.Failure = &JUnitProblem{Message: xmlSafe(r.Summary()), Type: "difference", Text: xmlSafe(differenceText(r))}
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
		total += r.Duration
	}
	for _, a := range order {
		s := byArea[a]
		var d time.Duration
		for _, r := range results {
			if r.Case.Area == a {
				d += r.Duration
			}
		}
		s.Time = seconds(d)
		root.Tests += s.Tests
		root.Failures += s.Failures
		root.Errors += s.Errors
		root.Suites = append(root.Suites, *s)
	}
	root.Time = seconds(total)
	return root
}

// WriteJUnit writes the JUnit XML report of results.
func WriteJUnit(w io.Writer, results []*Result) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(JUnit(results)); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func differenceText(r *Result) string {
	var b strings.Builder
	for _, d := range r.Differences {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

func systemOut(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nrequirement: %s\nfile: %s\n", r.Case.Title, r.Case.Requirement, r.Case.File)
	if r.Actual != nil {
		fmt.Fprintf(&b, "result: %s (%s)\nTVR %s %s\n", r.Actual.Result, r.Actual.Reason, r.Actual.TVR, list(r.Actual.TVRNames))
	}
	if r.Trace != "" {
		b.WriteString("\n" + r.Trace)
	}
	return xmlSafe(b.String())
}

// xmlSafe drops the characters XML 1.0 cannot carry (control characters
// other than tab, newline and carriage return), which encoding/xml would
// otherwise escape into character references a parser rejects.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF) {
			return r
		}
		return -1
	}, s)
}
