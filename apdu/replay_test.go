package apdu

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestParseTrace(t *testing.T) {
	in := "\uFEFF# a comment\n" +
		"\n" +
		"00A4 0400\t07 a0000000041010 00\r\n" +
		"   # an indented comment between command and response\n" +
		"6A82\n" +
		"\n" +
		"0084000000\n" +
		"0102030405060708 9000\n"
	got, err := ParseTrace(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Exchange{
		{Command: mustHex(t, "00A4040007A000000004101000"), Response: mustHex(t, "6A82"), Line: 3},
		{Command: mustHex(t, "0084000000"), Response: mustHex(t, "01020304050607089000"), Line: 7},
	}
	if len(got) != len(want) {
		t.Fatalf("%d exchanges, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i].Command, want[i].Command) || !bytes.Equal(got[i].Response, want[i].Response) || got[i].Line != want[i].Line {
			t.Errorf("exchange %d = %X / %X line %d, want %X / %X line %d", i+1,
				got[i].Command, got[i].Response, got[i].Line, want[i].Command, want[i].Response, want[i].Line)
		}
	}
	if ex, err := ParseTrace(strings.NewReader("# only comments\n\n")); err != nil || len(ex) != 0 {
		t.Errorf("empty trace: %v, %v", ex, err)
	}
}

func TestParseTraceErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		line   int
		detail string
	}{
		{"odd hex digits", "00A404000\n9000\n", 1, "odd number of hex digits"},
		{"not hex", "# c\n00A4040G\n9000\n", 2, `column 8: 'G' is not a hex digit`},
		{"comment after hex", "00A40400 # select\n9000\n", 1, "not a hex digit"},
		{"command shorter than a header", "00A404\n9000\n", 1, "shorter than the 4-byte header"},
		{"response without SW2", "00A40400\n90\n", 2, "shorter than SW1 SW2"},
		{"empty response after spaces", "00A40400\n \n", 0, "command without a response"},
		{"odd number of lines", "00A40400\n9000\n\n# next\n0084000000\n", 5, "command without a response at the end"},
		{"line too long", "00A40400\n" + strings.Repeat("0", maxTraceLine+2) + "\n", 2, "line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := ParseTrace(strings.NewReader(tt.in))
			if !errors.Is(err, ErrMalformedTrace) {
				t.Fatalf("ParseTrace = %v, %v; want ErrMalformedTrace", ex, err)
			}
			var te *TraceError
			if !errors.As(err, &te) {
				t.Fatalf("error %T is not a *TraceError", err)
			}
			if tt.line != 0 && te.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", te.Line, tt.line, err)
			}
			if !strings.Contains(te.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", te.Detail, tt.detail)
			}
			if !strings.Contains(err.Error(), "line ") {
				t.Errorf("message does not name the line: %v", err)
			}
		})
	}
}

func TestWriteTraceRoundTrip(t *testing.T) {
	ex := loadTrace(t, "Mastercard-ContactlessRead")
	var buf bytes.Buffer
	if err := WriteTrace(&buf, ex); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "# 1 SELECT (00 A4 04 00) -> 9000: normal processing\n00A404000E") {
		t.Errorf("unexpected start:\n%.200s", buf.String())
	}
	back, err := ParseTrace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(ex) {
		t.Fatalf("%d exchanges back, want %d", len(back), len(ex))
	}
	for i := range ex {
		if !bytes.Equal(back[i].Command, ex[i].Command) || !bytes.Equal(back[i].Response, ex[i].Response) {
			t.Errorf("exchange %d differs", i+1)
		}
	}
	if err := WriteTrace(&buf, []Exchange{{Command: []byte{0}, Response: []byte{0x90, 0}}}); !errors.Is(err, ErrMalformedTrace) {
		t.Errorf("WriteTrace of a 1-byte command: %v", err)
	}
}

// TestReplayPublishedTrace drives the published Mastercard read with this
// package's constructors: the replay is strict, so every command built
// here equals, byte for byte, the one the published terminal sent.
func TestReplayPublishedTrace(t *testing.T) {
	card := NewReplayer(loadTrace(t, "Mastercard-ContactlessRead"), ReplayStrict)
	responses := readMastercard(t, card)
	if err := card.Done(); err != nil {
		t.Fatal(err)
	}
	if len(responses) != 7 {
		t.Fatalf("%d responses", len(responses))
	}
	// The GPO response as VECTORS.md quotes it.
	if r := responses[2]; !bytes.Equal(r.Data, mustHex(t, "771282021980940C080101001001010120010200")) || !r.SW.OK() {
		t.Errorf("GPO response %X %v", r.Data, r.SW)
	}
}

// readMastercard runs the published conversation: PPSE, the application,
// GPO, then the records the AFL lists (read from the AFL, not hard-coded).
func readMastercard(t *testing.T, card Transport) []Response {
	t.Helper()
	var out []Response
	send := func(c Command) Response {
		t.Helper()
		b, err := c.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := card.Transmit(context.Background(), b)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseResponse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Err(); err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		out = append(out, r)
		return r
	}
	send(Select([]byte("2PAY.SYS.DDF01"), false))
	send(Select(mustHex(t, "A0000000041010"), false))
	gpo := send(GetProcessingOptions(nil))
	afl := gpo.Data[len(gpo.Data)-12:] // 94 0C … at the end of template 77
	for i := 0; i+4 <= len(afl); i += 4 {
		sfi := int(afl[i] >> 3)
		for rec := int(afl[i+1]); rec <= int(afl[i+2]); rec++ {
			c, err := ReadRecord(sfi, rec)
			if err != nil {
				t.Fatal(err)
			}
			send(c)
		}
	}
	return out
}

// TestReplayT0Framing replays the T=0 framing of the same card below a
// T0Transport: the layer above must see the published responses.
func TestReplayT0Framing(t *testing.T) {
	published := loadTrace(t, "Mastercard-ContactlessRead")
	replayer := NewReplayer(loadTrace(t, "Mastercard-T0Contact"), ReplayStrict)
	card := T0(replayer)
	ctx := context.Background()
	for _, i := range []int{1, 2, 4, 5} { // SELECT, GPO, SFI 2 rec 1, SFI 4 rec 1
		got, err := card.Transmit(ctx, published[i].Command)
		if err != nil {
			t.Fatalf("%s: %v", describeCommand(published[i].Command), err)
		}
		if !bytes.Equal(got, published[i].Response) {
			t.Errorf("%s: got %X, want the published %X", describeCommand(published[i].Command), got, published[i].Response)
		}
	}
	if err := replayer.Done(); err != nil {
		t.Fatal(err)
	}
}

func TestReplayerStrictMismatch(t *testing.T) {
	ex := loadTrace(t, "Mastercard-ContactlessRead")
	tests := []struct {
		name string
		cmd  string
		at   string
	}{
		{"last byte differs", "00A404000E325041592E5359532E444446303101", "byte 19"},
		{"one byte longer, equal prefix", "00A404000E325041592E5359532E44444630310000", "byte 20"},
		{"one byte shorter, equal prefix", "00A404000E325041592E5359532E4444463031", "byte 19"},
		{"other P2", "00A404020E325041592E5359532E444446303100", "byte 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReplayer(ex, ReplayStrict)
			got := mustHex(t, tt.cmd)
			_, err := r.Transmit(context.Background(), got)
			if !errors.Is(err, ErrReplayMismatch) {
				t.Fatalf("err = %v, want ErrReplayMismatch", err)
			}
			var me *MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("%T is not a *MismatchError", err)
			}
			if me.Exchange != 1 || me.Line != ex[0].Line || !bytes.Equal(me.Got, got) || !bytes.Equal(me.Want, ex[0].Command) {
				t.Errorf("MismatchError = %+v", me)
			}
			msg := err.Error()
			for _, s := range []string{"exchange 1", "line 14", tt.at, "want 00A404000E325041592E5359532E444446303100", "got  " + strings.ToUpper(tt.cmd)} {
				if !strings.Contains(msg, s) {
					t.Errorf("message lacks %q:\n%s", s, msg)
				}
			}
			// The failure sticks: the right command is refused now too.
			if _, err2 := r.Transmit(context.Background(), ex[0].Command); !errors.Is(err2, ErrReplayMismatch) {
				t.Errorf("after a mismatch, Transmit = %v", err2)
			}
			if !errors.Is(r.Done(), ErrReplayMismatch) {
				t.Errorf("Done = %v, want the mismatch", r.Done())
			}
		})
	}
}

func TestReplayerMismatchMasksSecrets(t *testing.T) {
	ex := []Exchange{{Command: mustHex(t, "0020008008241234FFFFFFFFFF"), Response: mustHex(t, "9000")}}
	r := NewReplayer(ex, ReplayStrict)
	_, err := r.Transmit(context.Background(), mustHex(t, "0020008008249999FFFFFFFFFF"))
	if !errors.Is(err, ErrReplayMismatch) {
		t.Fatal(err)
	}
	if msg := err.Error(); strings.Contains(msg, "241234") || strings.Contains(msg, "249999") || !strings.Contains(msg, "byte 6") {
		t.Errorf("message:\n%s", msg)
	}
}

func TestReplayerExhaustedAndLeftover(t *testing.T) {
	ex := loadTrace(t, "Mastercard-ContactlessRead")[:2]
	ctx := context.Background()

	r := NewReplayer(ex, ReplayStrict)
	if _, err := r.Transmit(ctx, ex[0].Command); err != nil {
		t.Fatal(err)
	}
	err := r.Done()
	if !errors.Is(err, ErrReplayLeftover) || !strings.Contains(err.Error(), "1 of 2") || !strings.Contains(err.Error(), "line 18") {
		t.Errorf("Done with one left = %v", err)
	}
	if r.Remaining() != 1 {
		t.Errorf("Remaining = %d", r.Remaining())
	}

	if _, err := r.Transmit(ctx, ex[1].Command); err != nil {
		t.Fatal(err)
	}
	if err := r.Done(); err != nil {
		t.Errorf("Done = %v", err)
	}
	_, err = r.Transmit(ctx, ex[1].Command)
	if !errors.Is(err, ErrReplayExhausted) || !strings.Contains(err.Error(), "exchange 3") {
		t.Errorf("past the end: %v", err)
	}
	if !errors.Is(r.Done(), ErrReplayExhausted) {
		t.Errorf("Done after exhaustion = %v", r.Done())
	}
}

func TestReplayerLenient(t *testing.T) {
	// A GENERATE AC whose CDOL data holds the terminal's random number.
	ex := []Exchange{
		{Command: mustHex(t, "80AE8000080000000011223344"+"00"), Response: mustHex(t, "77049F2701809000")},
		{Command: mustHex(t, "0084000000"), Response: mustHex(t, "01020304050607089000")},
	}
	ctx := context.Background()
	r := NewReplayer(ex, ReplayLenient)
	if _, err := r.Transmit(ctx, mustHex(t, "80AE8000080000000099887766"+"00")); err != nil {
		t.Fatalf("other data, same header: %v", err)
	}
	_, err := r.Transmit(ctx, mustHex(t, "0084000100"))
	if !errors.Is(err, ErrReplayMismatch) || !strings.Contains(err.Error(), "lenient") || !strings.Contains(err.Error(), "header") {
		t.Errorf("other header: %v", err)
	}

	strict := NewReplayer(ex, ReplayStrict)
	if _, err := strict.Transmit(ctx, mustHex(t, "80AE8000080000000099887766"+"00")); !errors.Is(err, ErrReplayMismatch) {
		t.Errorf("strict replay accepted other data: %v", err)
	}
}

func TestReplayerCopies(t *testing.T) {
	ex := []Exchange{{Command: mustHex(t, "0084000000"), Response: mustHex(t, "01029000")}}
	r := NewReplayer(ex, ReplayStrict)
	ex[0].Command[1] = 0xFF
	ex[0].Response[0] = 0xFF
	resp, err := r.Transmit(context.Background(), mustHex(t, "0084000000"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp, mustHex(t, "01029000")) {
		t.Errorf("response %X: the replayer shares the caller's slices", resp)
	}
}

func TestReplayerContext(t *testing.T) {
	ex := []Exchange{{Command: mustHex(t, "0084000000"), Response: mustHex(t, "9000")}}
	r := NewReplayer(ex, ReplayStrict)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Transmit(ctx, ex[0].Command); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if r.Remaining() != 1 {
		t.Error("a cancelled call consumed an exchange")
	}
}

func TestRecorder(t *testing.T) {
	source := loadTrace(t, "Mastercard-ContactlessRead")
	rec := NewRecorder(NewReplayer(source, ReplayStrict))
	readMastercard(t, rec)
	got := rec.Exchanges()
	if len(got) != len(source) {
		t.Fatalf("%d exchanges recorded, want %d", len(got), len(source))
	}
	got[0].Command[0] = 0xEE // a copy: the recorder keeps its own
	if rec.Exchanges()[0].Command[0] == 0xEE {
		t.Error("Exchanges shares the recorder's slices")
	}

	var buf bytes.Buffer
	if err := WriteTrace(&buf, rec.Exchanges()); err != nil {
		t.Fatal(err)
	}
	again, err := ParseTrace(&buf)
	if err != nil {
		t.Fatal(err)
	}
	replay := NewReplayer(again, ReplayStrict)
	readMastercard(t, replay)
	if err := replay.Done(); err != nil {
		t.Fatal(err)
	}

	failing := NewRecorder(&scripted{t: t, steps: []step{{"0084000000", "", errCardRemoved}}})
	if _, err := failing.Transmit(context.Background(), mustHex(t, "0084000000")); !errors.Is(err, errCardRemoved) {
		t.Fatal(err)
	}
	if n := len(failing.Exchanges()); n != 0 {
		t.Errorf("a failed exchange was recorded (%d)", n)
	}
}
