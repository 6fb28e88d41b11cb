package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/yixin-emv/yixin/kernel/kerneltest"
)

const certifyUsage = `usage: yixin certify DIR|FILE... [--junit FILE] [--html FILE] [--json]
                     [--run REGEXP] [--parallel N] [--timeout DURATION] [-v]

Runs certification test cases (JSON, schema in testdata/cases/README.md)
against the terminal kernel, each with its simulated card, issuer host and
cardholder, in parallel, and prints every failing case with its first
difference, then a summary line "N passed, M failed".

  DIR|FILE      case files, or directories searched for *.json files
  --run REGEXP  only the cases whose ID matches
  --junit FILE  write a JUnit XML report (for CI systems)
  --html FILE   write a self-contained HTML report: for every case the
                verdict, expected against actual, and the APDU trace
  --json        print the results as JSON on standard output (progress
                and summary then go to standard error)
  --parallel N  cases run at once (default GOMAXPROCS)
  --timeout D   time limit of one case (default 20s)
  -v            print every case, not only the failing ones

Progress is shown when standard output is a terminal. Traces mask PANs,
track 2 and PIN data.

Exit status: 0 every case passed, 1 a case failed, 2 bad arguments or
case files that cannot be read.
`

// certifyArgs holds the flags of certify.
type certifyArgs struct {
	paths         []string
	junit, html   string
	json, verbose bool
	run           *regexp.Regexp
	parallel      int
	timeout       time.Duration
	runPattern    string
}

func runCertify(e *env) int {
	a, code := parseCertify(e)
	if a == nil {
		return code
	}
	cases, err := kerneltest.Load(a.paths...)
	if err != nil {
		fail(e, "certify: %v", err)
		return exitUsage
	}
	cases = kerneltest.Filter(cases, a.run)
	if len(cases) == 0 {
		fail(e, "certify: no case to run (pattern %q)", a.runPattern)
		return exitUsage
	}
	out, info := e.stdout, e.stdout
	if a.json {
		info = e.stderr
	}
	r := &kerneltest.Runner{Parallel: a.parallel, Timeout: a.timeout}
	r.Progress = progressPrinter(info, a, isTerminal(info))
	start := time.Now()
	results := r.Run(e.ctx, cases)
	wall := time.Since(start)
	if err := writeReports(e, a, results, out); err != nil {
		fail(e, "certify: %v", err)
		return exitFailure
	}
	s := kerneltest.Summarise(results)
	fmt.Fprintf(info, "%d cases in %.2fs (%.1f cases/s)\n", s.Total, wall.Seconds(), float64(s.Total)/wall.Seconds())
	fmt.Fprintf(info, "%d passed, %d failed\n", s.Passed, s.Failed)
	if s.Failed > 0 {
		return exitFailure
	}
	return exitOK
}

// parseCertify reads the arguments; flags may come before, between or
// after the paths. A nil result comes with the exit status.
func parseCertify(e *env) (*certifyArgs, int) {
	a := &certifyArgs{}
	fs := flag.NewFlagSet("certify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.junit, "junit", "", "")
	fs.StringVar(&a.html, "html", "", "")
	fs.BoolVar(&a.json, "json", false, "")
	fs.StringVar(&a.runPattern, "run", "", "")
	fs.IntVar(&a.parallel, "parallel", 0, "")
	fs.DurationVar(&a.timeout, "timeout", 0, "")
	fs.BoolVar(&a.verbose, "v", false, "")
	args := e.args
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(e.stdout, certifyUsage)
				return nil, exitOK
			}
			fail(e, "certify: %v (run \"yixin certify -h\")", err)
			return nil, exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		a.paths = append(a.paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(a.paths) == 0 {
		fail(e, "certify: give case files or directories (run \"yixin certify -h\")")
		return nil, exitUsage
	}
	if a.parallel < 0 || a.timeout < 0 {
		fail(e, "certify: --parallel and --timeout must not be negative")
		return nil, exitUsage
	}
	if a.runPattern != "" {
		re, err := regexp.Compile(a.runPattern)
		if err != nil {
			fail(e, "certify: --run: %v", err)
			return nil, exitUsage
		}
		a.run = re
	}
	return a, exitOK
}

// progressPrinter reports each case: on a terminal a progress line that
// rewrites itself, with failures kept above it; otherwise one line per
// failing case (every case with -v).
func progressPrinter(w io.Writer, a *certifyArgs, tty bool) func(*kerneltest.Result, int, int) {
	return func(r *kerneltest.Result, done, total int) {
		if tty {
			fmt.Fprint(w, "\r\x1b[K")
		}
		switch {
		case !r.Passed:
			fmt.Fprintf(w, "FAIL %s: %s\n", r.Case.ID, r.Summary())
		case a.verbose:
			fmt.Fprintf(w, "ok   %s (%s)\n", r.Case.ID, r.Duration.Round(time.Millisecond))
		}
		if tty {
			if done < total {
				fmt.Fprintf(w, "[%d/%d] %s", done, total, r.Case.ID)
			}
		}
	}
}

// writeReports writes the JUnit, HTML and JSON reports the flags ask for.
func writeReports(e *env, a *certifyArgs, results []*kerneltest.Result, out io.Writer) error {
	if a.json {
		if err := kerneltest.WriteJSON(out, results); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		path  string
		write func(io.Writer) error
	}{
		{a.junit, func(w io.Writer) error { return kerneltest.WriteJUnit(w, results) }},
		{a.html, func(w io.Writer) error { return kerneltest.WriteHTML(w, "yixin certification report", results) }},
	} {
		if f.path == "" {
			continue
		}
		if err := writeFile(f.path, f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes a report file, reporting the first error of writing or
// closing it.
func writeFile(path string, write func(io.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(fh); err != nil {
		fh.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return fh.Close()
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
