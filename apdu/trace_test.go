package apdu

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden trace files in testdata/")

// tracesDir holds the module's recorded traces.
const tracesDir = "../testdata/traces"

func loadTrace(t testing.TB, name string) []Exchange {
	t.Helper()
	f, err := os.Open(filepath.Join(tracesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ParseTrace(f)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// traceText replays exchanges through a Tracer and returns its output.
func traceText(t testing.TB, exchanges []Exchange, opts TraceOptions) string {
	t.Helper()
	var out bytes.Buffer
	tr := NewTracer(NewReplayer(exchanges, ReplayStrict), &out, opts)
	for _, x := range exchanges {
		resp, err := tr.Transmit(context.Background(), x.Command)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(resp, x.Response) {
			t.Fatalf("tracer changed the response: %X", resp)
		}
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The published Mastercard card (MichaelsPlayground/TalkToYourCreditCardPart7)
// carries its PAN in 5A, in track 2 (57), in Mastercard's track 2 (9F6B)
// and in ASCII in track 1 (56): none of them may reach the trace.
var publishedSecrets = []string{
	"5375050000160110",                 // the PAN, as digits and as the hex of 5A
	"35333735303530303030313630313130", // the PAN in ASCII (track 1), as hex
	"D24032212794329",                  // track 2 expiry, service code, discretionary data
	"2794329",                          // the discretionary data of 57
	"5E202F5E",                         // track 1 separators and name, as hex
	"^ /^",                             // the same as text
}

func TestTracerMasksPublishedCard(t *testing.T) {
	ex := loadTrace(t, "Mastercard-ContactlessRead")
	masked := traceText(t, ex, TraceOptions{})
	for _, s := range publishedSecrets {
		if strings.Contains(masked, s) {
			t.Errorf("masked trace contains %q", s)
		}
	}
	for _, s := range []string{
		"537505******0110 (masked)",
		"57 Track 2 Equivalent Data: 537505******0110D2403221*************F (masked)",
		"56 Track 1 Data: 52 bytes (masked)",
		"5A08****************5F3401", // the raw line hides the PAN's value, not its tag or length
		"> #4 READ RECORD",
		"< #2 9000: normal processing",
		"9F46 ICC Public Key Certificate: 3CADA902",
	} {
		if !strings.Contains(masked, s) {
			t.Errorf("masked trace lacks %q", s)
		}
	}

	revealed := traceText(t, ex, TraceOptions{Reveal: true})
	for _, s := range publishedSecrets[:3] {
		if !strings.Contains(revealed, s) {
			t.Errorf("revealed trace lacks %q", s)
		}
	}
	if strings.Contains(revealed, "(masked)") || strings.Contains(revealed, "**") {
		t.Error("revealed trace masks something")
	}
}

// TestTracerGolden pins the trace format: regenerate with -update and
// review the diff.
func TestTracerGolden(t *testing.T) {
	got := traceText(t, loadTrace(t, "Mastercard-ContactlessRead"), TraceOptions{})
	golden := filepath.Join("testdata", "Mastercard-ContactlessRead.trace")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("trace differs from %s (run with -update to accept):\n%s", golden, got)
	}
	if again := traceText(t, loadTrace(t, "Mastercard-ContactlessRead"), TraceOptions{}); again != got {
		t.Error("two traces of the same exchanges differ")
	}
}

// TestTracerMasksCommands: secrets in command data. The PIN block is the
// ISO 9564 format 2 block of PIN 9999 from pyemv (shared/refs/VECTORS.md).
func TestTracerMasksCommands(t *testing.T) {
	tests := []struct {
		name   string
		cmd    string
		resp   string
		secret string   // must not appear unless Reveal
		shown  []string // must appear either way
	}{
		{"VERIFY plaintext PIN block", "0020008008249999FFFFFFFFFF", "9000", "249999FFFFFFFFFF",
			[]string{"> #1 VERIFY", "> 00200080 08 ****************", "data masked: 8 secret bytes"}},
		{"VERIFY enciphered PIN", "0020008880" + strings.Repeat("5CA7", 64), "63C2", "5CA75CA7",
			[]string{"63C2: warning: counter 2 (after VERIFY: PIN tries left)"}},
		{"PIN CHANGE/UNBLOCK", "8424000210" + "0123456789ABCDEF" + "1122334455667788", "9000", "0123456789ABCDEF",
			[]string{"PIN CHANGE/UNBLOCK", "data masked: 16 secret bytes"}},
		{"RESET RETRY COUNTER", "002C000008" + "3132333435363738", "9000", "3132333435363738", nil},
		{"STORE DATA (personalisation keys)", "80E2000010" + "8F0E" + "00112233445566778899AABBCCDD", "9000", "00112233445566778899AABBCCDD",
			[]string{"STORE DATA"}},
		{"PUT KEY", "80D8018110" + "FEDCBA98765432100123456789ABCDEF", "9000", "FEDCBA9876543210", nil},
		{"PUT DATA of a proprietary tag (a key)", "04DADF0114" + "A1A2A3A4A5A6A7A8A9AAABACADAEAFB0" + "01020304", "9000", "A1A2A3A4A5A6A7A8", nil},
		{"PUT DATA of the PAN", "04DA005A0C" + "5375050000160110" + "01020304", "9000", "5375050000160110", nil},
		{"UPDATE RECORD with a PAN and a MAC", "04DC011C10" + "700A5A085375050000160110" + "C0FFEE42", "9000", "5375050000160110",
			[]string{"5A Application Primary Account Number (PAN): 537505******0110 (masked)", "not TLV from byte 12"}},
		{"malformed VERIFY (Lc too long)", "0020008009249999FFFFFFFFFF", "6700", "249999FFFFFFFFFF",
			[]string{"malformed command APDU"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := []Exchange{{Command: mustHex(t, tt.cmd), Response: mustHex(t, tt.resp)}}
			masked := traceText(t, ex, TraceOptions{})
			if strings.Contains(masked, tt.secret) {
				t.Errorf("masked trace shows %s:\n%s", tt.secret, masked)
			}
			for _, s := range tt.shown {
				if !strings.Contains(masked, s) {
					t.Errorf("masked trace lacks %q:\n%s", s, masked)
				}
			}
			revealed := traceText(t, ex, TraceOptions{Reveal: true})
			if !strings.Contains(revealed, tt.secret) {
				t.Errorf("revealed trace lacks %s:\n%s", tt.secret, revealed)
			}
		})
	}
}

func TestTracerShowsPublicData(t *testing.T) {
	tests := []struct {
		name, cmd, resp string
		want            []string
	}{
		{"PUT DATA of a known public element is shown", "04DA9F1405" + "05" + "01020304", "9000",
			[]string{"> 04DA9F14 05 0501020304"}},
		{"GET CHALLENGE's random number is plain hex", "0084000000", "1122334455667788" + "9000",
			[]string{"< 1122334455667788 9000", "unpredictable number (8 bytes)"}},
		{"GET DATA", "80CA9F1700", "9F170103" + "9000",
			[]string{"> #1 GET DATA", "9F17 Personal Identification Number (PIN) Try Counter: 03"}},
		{"error status without data", "00A4040007A000000004101000", "6A82",
			[]string{"< #1 6A82: file or application not found", "< 6A82\n"}},
		{"GENERATE AC CDOL data is plain", "80AE800004" + "01020304" + "00", "77" + "0A9F2701809F360200019F26" + "9000",
			[]string{"> 80AE8000 04 01020304 00", "not TLV from byte 11 (tag: truncated): 1 bytes masked"}},
		{"unknown command", "00990000020102", "9000", []string{"> #1 command"}},
		{"extended command", "00D60000000003AABBCC", "9000", []string{"> 00D60000 000003 AABBCC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := []Exchange{{Command: mustHex(t, tt.cmd), Response: mustHex(t, tt.resp)}}
			got := traceText(t, ex, TraceOptions{})
			for _, s := range tt.want {
				if !strings.Contains(got, s) {
					t.Errorf("trace lacks %q:\n%s", s, got)
				}
			}
		})
	}
}

// A malformed record from a hostile card still hides the PAN in it.
func TestTracerMasksMalformedResponses(t *testing.T) {
	pan := "5375050000160110"
	tests := []struct {
		name, data string
	}{
		{"template longer than the data", "7020" + "5A08" + pan},
		{"PAN then a truncated tag", "5A08" + pan + "9F"},
		{"PAN value truncated", "5A0A" + pan},
		{"indefinite length", "7080" + "5A08" + pan + "0000"},
		{"bare digits, not TLV", "FF" + pan},
		{"nested too deep", strings.Repeat("E1", 20) + "5A08" + pan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := []Exchange{{Command: mustHex(t, "00B2011400"), Response: mustHex(t, tt.data+"9000")}}
			got := traceText(t, ex, TraceOptions{})
			if strings.Contains(got, pan) || strings.Contains(got, "00001601") {
				t.Errorf("trace shows the PAN:\n%s", got)
			}
			if !strings.Contains(got, "masked") {
				t.Errorf("trace does not say what it masked:\n%s", got)
			}
			if revealed := traceText(t, ex, TraceOptions{Reveal: true}); !strings.Contains(revealed, pan) {
				t.Errorf("revealed trace lacks the data:\n%s", revealed)
			}
		})
	}
}

func TestTracerClock(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC)
	clock := func() time.Time {
		now = now.Add(5 * time.Millisecond)
		return now
	}
	ex := []Exchange{{Command: mustHex(t, "0084000000"), Response: mustHex(t, "01020304050607089000")}}
	got := traceText(t, ex, TraceOptions{Clock: clock})
	for _, s := range []string{"> #1 GET CHALLENGE at 12:30:45.005", "< #1 9000: normal processing (5ms)"} {
		if !strings.Contains(got, s) {
			t.Errorf("trace lacks %q:\n%s", s, got)
		}
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.n++
	if w.n > 1 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestTracerWriteError(t *testing.T) {
	ex := []Exchange{
		{Command: mustHex(t, "0084000000"), Response: mustHex(t, "01020304050607089000")},
		{Command: mustHex(t, "0084000000"), Response: mustHex(t, "11121314151617189000")},
	}
	w := &failingWriter{}
	tr := NewTracer(NewReplayer(ex, ReplayStrict), w, TraceOptions{})
	for _, x := range ex {
		resp, err := tr.Transmit(context.Background(), x.Command)
		if err != nil || !bytes.Equal(resp, x.Response) {
			t.Fatalf("a write error failed the exchange: %X, %v", resp, err)
		}
	}
	if err := tr.Err(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Err = %v", err)
	}
	if w.n != 2 {
		t.Errorf("%d writes; the trace should stop after the first failure", w.n)
	}
}

func TestTracerErrors(t *testing.T) {
	var out bytes.Buffer
	card := &scripted{t: t, steps: []step{{"0084000000", "", errCardRemoved}}}
	tr := NewTracer(card, &out, TraceOptions{})
	if _, err := tr.Transmit(context.Background(), mustHex(t, "0084000000")); !errors.Is(err, errCardRemoved) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(out.String(), "< #1 error: card removed") {
		t.Errorf("trace:\n%s", out.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	card = &scripted{t: t}
	tr = NewTracer(card, &out, TraceOptions{})
	if _, err := tr.Transmit(ctx, mustHex(t, "0084000000")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}

	card = &scripted{t: t, steps: []step{{"0084000000", "90", nil}}}
	out.Reset()
	tr = NewTracer(card, &out, TraceOptions{})
	if _, err := tr.Transmit(context.Background(), mustHex(t, "0084000000")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "malformed response APDU") {
		t.Errorf("trace of a 1-byte response:\n%s", out.String())
	}
}

// TestTracerMasksSM2Certificate: a PBOC SM2 ICC certificate (9F46, format
// 14) holds the PAN in clear. The certificate below is the UnionPay test
// card of shared/refs/DOMESTIC.md (PAN 3104895199900000003).
func TestTracerMasksSM2Certificate(t *testing.T) {
	cert := "143104895199900000003F124000003104001140307E7978B05F376E1155351E115771040E1F463133AE426E34B3303CAD50C7C7724E44A8FA5C11933AA7B1F57A1C49F389E6A785C9F08B07594A35AF4144826FDE70E59AD7D2F9215D1685AFFE4864F5C631188CF9C9BC2055F537EFB37D5EFB7AECBC3F0826CA2579008464D0863DBDDB3F9219DBBF04A0B4BC67DA4EE36358"
	rec := "708198" + "9F468194" + cert
	ex := []Exchange{{Command: mustHex(t, "00B2031C00"), Response: mustHex(t, rec+"9000")}}
	got := traceText(t, ex, TraceOptions{})
	if strings.Contains(got, "3104895199900000003") || strings.Contains(got, "31048951") {
		t.Fatalf("trace shows the PAN of the SM2 certificate:\n%s", got)
	}
	if !strings.Contains(got, "14********************124000") || !strings.Contains(got, "(PAN masked)") {
		t.Errorf("certificate not shown with its PAN masked:\n%s", got)
	}
	if revealed := traceText(t, ex, TraceOptions{Reveal: true}); !strings.Contains(revealed, cert) {
		t.Errorf("revealed trace lacks the certificate:\n%s", revealed)
	}
}
