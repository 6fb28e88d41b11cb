package apdu

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// traceSeeds returns the exchanges of every recorded trace in
// ../testdata/traces, the fuzz targets' seeds (with the checked-in corpora
// under testdata/fuzz/).
func traceSeeds(f *testing.F) (files [][]byte, exchanges []Exchange) {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join(tracesDir, "*-*"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no traces in %s: %v", tracesDir, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		ex, err := ParseTrace(bytes.NewReader(b))
		if err != nil {
			f.Fatalf("%s: %v", p, err)
		}
		files = append(files, b)
		exchanges = append(exchanges, ex...)
	}
	return files, exchanges
}

// FuzzParseCommand: ParseCommand never panics, fails only with
// ErrMalformedCommand, and whatever it accepts encodes back to the same
// bytes with the same case.
func FuzzParseCommand(f *testing.F) {
	_, ex := traceSeeds(f)
	for _, x := range ex {
		f.Add(x.Command)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err != nil {
			if !errors.Is(err, ErrMalformedCommand) {
				t.Fatalf("error %v does not wrap ErrMalformedCommand", err)
			}
			return
		}
		out, err := c.Bytes()
		if err != nil {
			t.Fatalf("parsed %X but cannot encode %+v: %v", b, c, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip %X -> %+v -> %X", b, c, out)
		}
		if c.Len() != len(b) {
			t.Fatalf("Len %d, encoding %d", c.Len(), len(b))
		}
		again, err := ParseCommand(out)
		if err != nil || again.Case() != c.Case() || again.Ne != c.Ne || !bytes.Equal(again.Data, c.Data) {
			t.Fatalf("re-parse differs: %+v, %v", again, err)
		}
	})
}

// FuzzParseResponse: ParseResponse fails exactly on inputs shorter than
// two bytes, with ErrMalformedResponse, and otherwise round-trips.
func FuzzParseResponse(f *testing.F) {
	_, ex := traceSeeds(f)
	for _, x := range ex {
		f.Add(x.Response)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if len(b) < 2 {
			if !errors.Is(err, ErrMalformedResponse) {
				t.Fatalf("ParseResponse(%X) = %v, %v", b, r, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatalf("round trip %X -> %X", b, r.Bytes())
		}
		_ = r.SW.Meaning()
		_ = r.SW.Error()
	})
}

// FuzzParseTrace: ParseTrace never panics, fails only with a *TraceError,
// and what it accepts survives WriteTrace and a second ParseTrace.
func FuzzParseTrace(f *testing.F) {
	files, _ := traceSeeds(f)
	for _, b := range files {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ex, err := ParseTrace(bytes.NewReader(b))
		if err != nil {
			var te *TraceError
			if !errors.As(err, &te) || !errors.Is(err, ErrMalformedTrace) {
				t.Fatalf("error %v is not a *TraceError", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteTrace(&buf, ex); err != nil {
			t.Fatal(err)
		}
		back, err := ParseTrace(&buf)
		if err != nil {
			t.Fatalf("WriteTrace output does not parse: %v\n%s", err, buf.String())
		}
		if len(back) != len(ex) {
			t.Fatalf("%d exchanges, then %d", len(ex), len(back))
		}
		for i := range ex {
			if !bytes.Equal(back[i].Command, ex[i].Command) || !bytes.Equal(back[i].Response, ex[i].Response) {
				t.Fatalf("exchange %d changed", i+1)
			}
		}
	})
}

// FuzzTracer: the tracer renders any command and any response without
// panicking, masked or not, and passes the response on unchanged.
func FuzzTracer(f *testing.F) {
	_, ex := traceSeeds(f)
	for _, x := range ex {
		f.Add(x.Command, x.Response)
	}
	f.Fuzz(func(t *testing.T, cmd, resp []byte) {
		card := TransportFunc(func(context.Context, []byte) ([]byte, error) {
			return bytes.Clone(resp), nil
		})
		for _, reveal := range []bool{false, true} {
			tr := NewTracer(card, io.Discard, TraceOptions{Reveal: reveal})
			got, err := tr.Transmit(context.Background(), cmd)
			if err != nil || !bytes.Equal(got, resp) {
				t.Fatalf("tracer changed the exchange: %X, %v", got, err)
			}
		}
	})
}

// FuzzT0: whatever a card answers, T0Transport ends within its bound and
// returns either an error or a response of at least two bytes. The input
// is the card's answers, each preceded by its length.
func FuzzT0(f *testing.F) {
	f.Add([]byte{2, 0x61, 0x04, 6, 1, 2, 3, 4, 0x90, 0x00})
	f.Add([]byte{2, 0x6C, 0x02, 4, 1, 2, 0x90, 0x00})
	f.Add([]byte{2, 0x6C, 0x02, 2, 0x6C, 0x01})
	f.Add([]byte{2, 0x62, 0x83, 3, 9, 0x90, 0x00})
	f.Add([]byte{2, 0x61, 0x01, 3, 1, 0x61, 0x01, 3, 2, 0x61, 0x01})
	f.Fuzz(func(t *testing.T, script []byte) {
		sent := 0
		card := TransportFunc(func(context.Context, []byte) ([]byte, error) {
			sent++
			if len(script) == 0 {
				return nil, errCardRemoved
			}
			n := min(int(script[0]), len(script)-1)
			resp := script[1 : 1+n]
			script = script[1+n:]
			return resp, nil
		})
		t0 := &T0Transport{Next: card, MaxGetResponse: 4}
		resp, err := t0.Transmit(context.Background(), mustHex(t, "80AE8000020102 00"))
		if sent > 4+2 { // the command, its resend after 6Cxx, 4 GET RESPONSE
			t.Fatalf("%d commands sent, more than the bound allows", sent)
		}
		if err == nil && len(resp) < 2 {
			t.Fatalf("response %X without an error", resp)
		}
	})
}
