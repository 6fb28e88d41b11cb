package kerneltest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseCases feeds case files to the loader: it returns cases or an
// error wrapping ErrCase, never panics, and every case it returns passes
// Check. Seeded with the shipped case files.
func FuzzParseCases(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/cases/*/*.json")
	more, _ := filepath.Glob("../../testdata/cases/*.json")
	for _, name := range append(files, more...) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"defaults": {"area": "cvm"}, "cases": [{"id": "a", "title": "t", "requirement": "r", "expect": {"result": "approved"}}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		cases, err := ParseCases(b, "fuzz.json")
		if err != nil {
			if !errors.Is(err, ErrCase) {
				t.Fatalf("error does not wrap ErrCase: %v", err)
			}
			return
		}
		for _, c := range cases {
			if err := c.Check(); err != nil {
				t.Fatalf("a returned case fails Check: %v", err)
			}
		}
	})
}

// FuzzCommandPattern parses commands_in_order entries and matches them
// against an exchange: no panic, and a pattern that parses always matches
// an exchange built from its own parts.
func FuzzCommandPattern(f *testing.F) {
	for _, s := range []string{"SELECT", "SELECT 1PAY.SYS.DDF01 -> 6A82", "GENERATE AC P1=90 P2=00 0102 -> 9000",
		"GET DATA P1=9F P2=17", "READ RECORD P1=", "PIN CHANGE/UNBLOCK -> 6988", "VERIFY P2=88 -> 63C2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseCommandPattern(s)
		if err != nil {
			return
		}
		x := Exchange{Name: p.name, Data: p.data}
		if p.p1 >= 0 {
			x.Header[2] = byte(p.p1)
		}
		if p.p2 >= 0 {
			x.Header[3] = byte(p.p2)
		}
		if p.hasW {
			x.SW = p.sw
		}
		if !p.matches(x) {
			t.Fatalf("%q does not match an exchange made from it: %+v", s, x)
		}
	})
}
