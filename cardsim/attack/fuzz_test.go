package attack

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParseRules: ParseRules never panics; what it accepts builds a
// Transport, survives a short conversation with the fake card, and
// marshals to JSON that parses to the same JSON again.
func FuzzParseRules(f *testing.F) {
	files, _ := filepath.Glob("testdata/rules/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rules, err := ParseRules(b)
		if err != nil {
			return
		}
		out, err := json.Marshal(rules)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := ParseRules(out)
		if err != nil {
			t.Fatalf("accepted %q but not its own JSON %s: %v", b, out, err)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("JSON round trip:\n%s\n%s", out, out2)
		}
		tr, err := New(&fakeCard{}, rules...)
		if err != nil {
			t.Fatalf("ParseRules accepted what New refuses: %v", err)
		}
		// Hang faults wait for the context: give them a done one after
		// the first command so that the conversation stays short.
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		for _, c := range []string{selDomestic, readPSE, readApp, gpo2, genACWithCD, verify, challenge, "00C0000010", "80", ""} {
			tr.Transmit(ctx, hx(c))
		}
	})
}

// everyEdit is one rule with every response edit, for FuzzResponseEdits.
var everyEdit = ResponseEdits{
	ReplaceAID: &AIDSwap{From: hx(aidDomestic), To: hx(aidIntl)},
	Set:        []Edit{{Tag: 0x5F24, Value: hx("201231")}, {Tag: 0x70, Value: hx("5A00")}},
	XOR:        []Edit{{Tag: 0x5A, Value: hx("FF00FF")}},
	ClearAIP:   0x6100,
	Strip:      []Tag{0x9F4B, 0x61},
	Format1:    true,
	Duplicate:  []Tag{0x9F10, 0x77},
	Oversize:   []Tag{0x9F36},
	Overrun:    0x9F27,
	Truncate:   1,
	Append:     hx("00"),
	SW:         wp(0x9000),
}

// FuzzResponseEdits: response edits never panic on what a card sends,
// never modify the card's bytes, and always leave a status word when
// there was one.
func FuzzResponseEdits(f *testing.F) {
	for _, s := range []string{fciDomestic, fciIntl, pseRecord, appRecord, gpoFmt1, gpoFmt2, genACPlain, genACCDA, "0102030405", ""} {
		for _, ins := range []byte{0xA4, 0xB2, 0xA8, 0xAE, 0x88} {
			f.Add(ins, hx(s+"9000"))
		}
	}
	f.Fuzz(func(t *testing.T, ins byte, resp []byte) {
		keep := bytes.Clone(resp)
		for _, e := range []ResponseEdits{everyEdit, {Format1: true}, {Overrun: 0x70}, {Oversize: []Tag{0x5A}, OversizeLen: 300}} {
			out, notes := e.apply(ins, resp)
			if !bytes.Equal(resp, keep) {
				t.Fatalf("input modified")
			}
			if len(resp) >= 2 && len(out) < 2 {
				t.Fatalf("status word lost: %X -> %X", resp, out)
			}
			if len(notes) == 0 {
				t.Fatalf("no notes for %X", resp)
			}
		}
	})
}
