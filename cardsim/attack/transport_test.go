package attack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// Commands of the table tests.
const (
	selDomestic = "00A4040008" + aidDomestic + "00"
	selIntl     = "00A4040006" + aidIntl + "00"
	readPSE     = "00B2010C00"
	readApp     = "00B2011400"
	gpo2        = "80A8000002830000"
	gpo1        = "80A800000383010100" // the fake card answers format 1 to 83 01 01
	genAC       = "80AE80000401020304" + "00"
	genACWithCD = "80AE90000401020304" + "00"
	verify      = "0020008008241234FFFFFFFFFF"
	challenge   = "0084000000"
)

// exch is one exchange of a table test: the command sent and either the
// response expected (hex) or an error (errors.Is).
type exch struct {
	cmd  string
	resp string
	err  error
}

func TestTransport(t *testing.T) {
	tests := []struct {
		name  string
		rules []Rule
		steps []exch
		card  []string // what the card must have been sent, in order
		did   []string // substrings the events must show, in order
	}{
		{
			name:  "wedge answers VERIFY without the card",
			rules: []Rule{Wedge()},
			steps: []exch{{cmd: verify, resp: "9000"}, {cmd: challenge, resp: "01020304050607089000"}},
			card:  []string{challenge},
			did:   []string{"APDU 1 00200080 (wedge): [answered 9000]"},
		},
		{
			name:  "answer with forward lets the card see the command",
			rules: []Rule{{Match: Match{INS: bp(0x20)}, Action: Action{Answer: Hex{0x90, 0x00}, Forward: true}}},
			steps: []exch{{cmd: verify, resp: "9000"}},
			card:  []string{verify},
			did:   []string{"forwarded the command", "answered 9000"},
		},
		{
			name:  "brand mixup: SELECT of one AID answered by the other application",
			rules: BrandMixup(hx(aidIntl), hx(aidDomestic)),
			steps: []exch{
				{cmd: readPSE, resp: "701A610B4F06A00000002501870101610B4F06A00000002501870102" + "9000"},
				{cmd: selIntl, resp: "6F198406A00000002501A50F500A55494353204445424954870101" + "9000"},
				{cmd: readApp, resp: appRecord + "9000"},
			},
			card: []string{readPSE, selDomestic, readApp},
			did: []string{
				"APDU 1 00B2010C (brand mixup: AIDs): [replaced AID A000000333010102 by A00000002501 (1 times)]",
				"command data set to A000000333010102",
				"replaced AID A000000333010102 by A00000002501 (1 times)",
				"no AID A000000333010102 to replace",
			},
		},
		{
			name:  "DF name swap: the FCI names another AID",
			rules: []Rule{DFNameSwap(hx(aidDomestic), hx(aidIntl))},
			steps: []exch{
				{cmd: selDomestic, resp: "6F198406A00000002501A50F500A55494353204445424954870101" + "9000"},
				{cmd: selIntl, resp: fciIntl + "9000"},
			},
			card: []string{selDomestic, selIntl},
		},
		{
			name:  "CDA stripping removes 9F4B",
			rules: []Rule{StripCDA()},
			steps: []exch{{cmd: genACWithCD, resp: "77119F2701809F360200059F10050110A00000" + "9000"}},
			card:  []string{genACWithCD},
			did:   []string{"stripped 9F4B"},
		},
		{
			name:  "GENERATE AC without CDA, answered in format 1",
			rules: []Rule{WithoutCDA(true)},
			steps: []exch{{cmd: genACWithCD, resp: "801080000511223344556677880110A00000" + "9000"}},
			card:  []string{genAC},
			did:   []string{"cleared 10 of P1", "turned the response into format 1"},
		},
		{
			name:  "format 1 impossible without an AC",
			rules: []Rule{{Match: Match{INS: bp(0xAE)}, Action: Action{ResponseEdits: ResponseEdits{Format1: true}}}},
			steps: []exch{{cmd: genACWithCD, resp: genACCDA + "9000"}},
			did:   []string{"format 1 needs 9F26, absent"},
		},
		{
			name:  "format 1 of GET PROCESSING OPTIONS",
			rules: []Rule{{Match: Match{INS: bp(0xA8)}, Action: Action{ResponseEdits: ResponseEdits{Format1: true}}}},
			steps: []exch{{cmd: gpo2, resp: gpoFmt1 + "9000"}},
		},
		{
			name:  "AIP downgrade in format 2 and format 1",
			rules: []Rule{AIPDowngrade(0x2100)},
			steps: []exch{
				{cmd: gpo2, resp: "770E82025C0094081001010008010200" + "9000"},
				{cmd: gpo1, resp: "800A5C001001010008010200" + "9000"},
			},
			did: []string{"cleared 2100 of the AIP", "cleared 2100 of the AIP"},
		},
		{
			name:  "record changed after its first reading",
			rules: []Rule{ChangeRecord(2, 1, 2, Edit{Tag: 0x5F24, Value: Hex{0x20, 0x12, 0x31}})},
			steps: []exch{
				{cmd: readApp, resp: appRecord + "9000"},
				{cmd: readPSE, resp: pseRecord + "9000"},
				{cmd: readApp, resp: "70105A0837123456789012345F2403201231" + "9000"},
				{cmd: readApp, resp: "70105A0837123456789012345F2403201231" + "9000"},
			},
			did: []string{"APDU 3", "set 5F24 to 201231", "APDU 4"},
		},
		{
			name:  "xor flips bits of the PAN",
			rules: []Rule{{Match: Match{P2: bp(0x14)}, Action: Action{ResponseEdits: ResponseEdits{XOR: []Edit{{Tag: 0x5A, Value: Hex{0x01}}}}}}},
			steps: []exch{{cmd: readApp, resp: "70105A0836123456789012345F2403301231" + "9000"}},
		},
		{
			name:  "duplicated object",
			rules: []Rule{{Match: Match{INS: bp(0xB2)}, Action: Action{ResponseEdits: ResponseEdits{Duplicate: []Tag{0x5A}}}}},
			steps: []exch{{cmd: readApp, resp: "701A5A0837123456789012345A0837123456789012345F2403301231" + "9000"}},
		},
		{
			name:  "length overrun past the end of the data",
			rules: []Rule{{Match: Match{INS: bp(0xB2)}, Action: Action{ResponseEdits: ResponseEdits{Overrun: 0x5A}}}},
			steps: []exch{{cmd: readApp, resp: "70105A0F37123456789012345F2403301231" + "9000"}},
			did:   []string{"5A now claims 15 bytes"},
		},
		{
			name:  "truncation, appended bytes and status word",
			rules: []Rule{{Match: Match{INS: bp(0xB2)}, Action: Action{ResponseEdits: ResponseEdits{Truncate: 3, Append: Hex{0x9F, 0x47, 0x01}, SW: wp(0x6283)}}}},
			steps: []exch{{cmd: readApp, resp: "70105A0837123456789012345F24039F47016283"}},
			did:   []string{"truncated 3 bytes", "appended 9F4701", "status word set to 6283"},
		},
		{
			name:  "truncation longer than the data keeps the status word",
			rules: []Rule{{Action: Action{ResponseEdits: ResponseEdits{Truncate: 100}}}},
			steps: []exch{{cmd: readApp, resp: "9000"}},
			did:   []string{"truncated 18 bytes"},
		},
		{
			name:  "TLV edits leave a response that is not TLV alone",
			rules: []Rule{{Match: Match{INS: bp(0x84)}, Action: Action{ResponseEdits: ResponseEdits{Strip: []Tag{0x9F4B}}}}},
			steps: []exch{{cmd: challenge, resp: "01020304050607089000"}},
			did:   []string{"response data is not TLV"},
		},
		{
			name:  "nth matching command only",
			rules: []Rule{{Match: Match{INS: bp(0xB2), Nth: 2}, Action: Action{Fault: "6A83"}}},
			steps: []exch{{cmd: readPSE, resp: pseRecord + "9000"}, {cmd: challenge, resp: "01020304050607089000"}, {cmd: readApp, resp: "6A83"}, {cmd: readApp, resp: appRecord + "9000"}},
			card:  []string{readPSE, challenge, readApp},
			did:   []string{"APDU 3 00B20114 (rule 0): [answered 6A83]"},
		},
		{
			name:  "from a position on, at most twice",
			rules: []Rule{{Match: Match{From: 2, Times: 2}, Action: Action{Answer: Hex{0x69, 0x85}}}},
			steps: []exch{{cmd: challenge, resp: "01020304050607089000"}, {cmd: challenge, resp: "6985"}, {cmd: challenge, resp: "6985"}, {cmd: challenge, resp: "01020304050607089000"}},
		},
		{
			name:  "data prefix and CLA",
			rules: []Rule{{Match: Match{CLA: bp(0x00), DataPrefix: hx("A000000333")}, Action: Action{Fault: "6A81"}}},
			steps: []exch{{cmd: selIntl, resp: fciIntl + "9000"}, {cmd: selDomestic, resp: "6A81"}},
			card:  []string{selIntl},
		},
		{
			name:  "exact data does not match a longer command",
			rules: []Rule{{Match: Match{Data: hx("A000000333")}, Action: Action{Fault: "6A81"}}},
			steps: []exch{{cmd: selDomestic, resp: fciDomestic + "9000"}},
		},
		{
			name: "a later answer is superseded by the first",
			rules: []Rule{
				{Name: "first", Match: Match{INS: bp(0x20)}, Action: Action{Answer: Hex{0x90, 0x00}}},
				{Name: "second", Match: Match{INS: bp(0x20)}, Action: Action{Fault: FaultTransport}},
			},
			steps: []exch{{cmd: verify, resp: "9000"}},
			did:   []string{"(first): [answered 9000]", "(second): [superseded by first]"},
		},
		{
			name:  "answer edited by a later rule",
			rules: []Rule{{Match: Match{INS: bp(0xB2)}, Action: Action{Answer: hx(appRecord + "9000")}}, {Action: Action{ResponseEdits: ResponseEdits{Strip: []Tag{0x5F24}}}}},
			steps: []exch{{cmd: readPSE, resp: "700A5A0837123456789012349000"}},
			card:  []string{},
		},
		{
			name:  "card removed at APDU 2",
			rules: []Rule{RemoveAt(2)},
			steps: []exch{{cmd: challenge, resp: "01020304050607089000"}, {cmd: selDomestic, err: ErrCardRemoved}, {cmd: challenge, err: ErrCardRemoved}},
			card:  []string{challenge},
			did:   []string{"card removed"},
		},
		{
			name:  "card removed after processing the command",
			rules: []Rule{{Match: Match{INS: bp(0xAE)}, Action: Action{Fault: FaultRemoved, Forward: true}}},
			steps: []exch{{cmd: genAC, err: ErrCardRemoved}, {cmd: challenge, err: ErrCardRemoved}},
			card:  []string{genAC},
		},
		{
			name:  "transport error",
			rules: []Rule{FaultAt(1, FaultTransport)},
			steps: []exch{{cmd: challenge, err: ErrInjected}, {cmd: challenge, resp: "01020304050607089000"}},
			card:  []string{challenge},
		},
		{
			name:  "status word 6F00",
			rules: []Rule{FaultAt(2, "6F00")},
			steps: []exch{{cmd: challenge, resp: "01020304050607089000"}, {cmd: genAC, resp: "6F00"}},
			card:  []string{challenge},
		},
		{
			name:  "garbage, default and given",
			rules: []Rule{FaultAt(1, FaultGarbage), {Match: Match{At: 2}, Action: Action{Fault: FaultGarbage, Garbage: Hex{0x61}}}},
			steps: []exch{{cmd: challenge, resp: "DEADBEEF0102FFFF"}, {cmd: challenge, resp: "61"}},
			card:  []string{},
		},
		{
			name:  "short and empty responses",
			rules: []Rule{FaultAt(1, FaultShort), FaultAt(2, FaultEmpty)},
			steps: []exch{{cmd: challenge, resp: "6F"}, {cmd: challenge, resp: ""}},
		},
		{
			name:  "no answer until the deadline",
			rules: []Rule{FaultAt(1, FaultHang)},
			steps: []exch{{cmd: challenge, err: ErrNoAnswer}, {cmd: challenge, resp: "01020304050607089000"}},
			card:  []string{challenge},
		},
		{
			name:  "edits of a response shorter than a status word",
			rules: []Rule{FaultAt(1, FaultShort), {Action: Action{ResponseEdits: ResponseEdits{SW: wp(0x9000)}}}},
			steps: []exch{{cmd: challenge, resp: "6F"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := &fakeCard{}
			tr, err := New(card, tt.rules...)
			if err != nil {
				t.Fatal(err)
			}
			for i, st := range tt.steps {
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				got, err := tr.Transmit(ctx, mustHex(t, st.cmd))
				cancel()
				if st.err != nil {
					if !errors.Is(err, st.err) {
						t.Fatalf("step %d: error %v, want %v", i+1, err, st.err)
					}
					var fe *FaultError
					if !errors.As(err, &fe) || fe.Position != i+1 {
						t.Errorf("step %d: error %v is not a *FaultError at position %d", i+1, err, i+1)
					}
					continue
				}
				if err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
				if want := mustHex(t, st.resp); !bytes.Equal(got, want) {
					t.Errorf("step %d: response\n%X\nwant\n%X", i+1, got, want)
				}
			}
			if tt.card != nil {
				got := card.commands()
				if strings.Join(got, " ") != strings.Join(tt.card, " ") {
					t.Errorf("card was sent %v, want %v", got, tt.card)
				}
			}
			checkEvents(t, tr.Events(), tt.did)
			if tr.Position() != len(tt.steps) {
				t.Errorf("Position() = %d, want %d", tr.Position(), len(tt.steps))
			}
		})
	}
}

// checkEvents checks that the events, written out one after the other,
// show the substrings in order.
func checkEvents(t *testing.T, events []Event, did []string) {
	t.Helper()
	var all strings.Builder
	for _, e := range events {
		all.WriteString(e.String())
		all.WriteString("\n")
	}
	s := all.String()
	for _, d := range did {
		i := strings.Index(s, d)
		if i < 0 {
			t.Errorf("events do not show %q after what came before; events:\n%s", d, all.String())
			return
		}
		s = s[i+len(d):]
	}
}

func wp(w Word) *Word { return &w }

func TestOversize(t *testing.T) {
	for _, size := range []int{0, 200, 300} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			r := Rule{Match: Match{INS: bp(0xB2)}, Action: Action{ResponseEdits: ResponseEdits{Oversize: []Tag{0x5F24}, OversizeLen: size}}}
			tr, err := New(&fakeCard{}, r)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := tr.Transmit(context.Background(), mustHex(t, readApp))
			if err != nil {
				t.Fatal(err)
			}
			want := size
			if want == 0 {
				want = 255
			}
			v, ok := emv.Find(resp[:len(resp)-2], 0x5F24)
			if !ok || len(v) != want {
				t.Fatalf("5F24 is %d bytes (found %v), want %d: %X", len(v), ok, want, resp)
			}
			if !bytes.Equal(v[:6], hx("301231301231")) || !bytes.Equal(resp[len(resp)-2:], hx("9000")) {
				t.Errorf("oversized value %X…, status %X", v[:6], resp[len(resp)-2:])
			}
			if pan, _ := emv.Find(resp, 0x5A); !bytes.Equal(pan, hx("3712345678901234")) {
				t.Errorf("PAN changed: %X", pan)
			}
		})
	}
	// An object already long enough is left alone, and the event says so.
	tr, _ := New(&fakeCard{}, Rule{Action: Action{ResponseEdits: ResponseEdits{Oversize: []Tag{0x5A}, OversizeLen: 4}}})
	resp, _ := tr.Transmit(context.Background(), mustHex(t, readApp))
	if !bytes.Equal(resp, hx(appRecord+"9000")) {
		t.Errorf("response changed: %X", resp)
	}
	checkEvents(t, tr.Events(), []string{"5A is already 8 bytes"})
}

// TestOverrunIsMalformed checks that an overrun makes the response data
// fail the strict decoder, at any depth and with long length forms.
func TestOverrunIsMalformed(t *testing.T) {
	long := "7081" + "85" + "5A08" + "3712345678901234" + "9F4B78" + strings.Repeat("AB", 120)
	for _, tc := range []struct{ data, tag string }{
		{appRecord, "70"}, {appRecord, "5A"}, {appRecord, "5F24"}, {pseRecord, "4F"}, {long, "9F4B"}, {long, "70"},
	} {
		if err := emv.Validate(hx(tc.data)); err != nil {
			t.Fatalf("test data %s: %v", tc.data, err)
		}
		tag := emv.MustParseTag(tc.tag)
		out, note := overrun(hx(tc.data), tag)
		if err := emv.Validate(out); err == nil {
			t.Errorf("overrun of %s in %s gives valid TLV %X (%s)", tc.tag, tc.data, out, note)
		}
		var se *emv.SyntaxError
		if !errors.As(emv.Validate(out), &se) || !errors.Is(se, emv.ErrTruncated) {
			t.Errorf("overrun of %s: %v, want a truncation", tc.tag, emv.Validate(out))
		}
	}
	// A tag that is not there, and data that is not TLV, are left alone.
	for _, data := range []string{appRecord, "0102030405"} {
		out, note := overrun(hx(data), 0x9F4B)
		if !bytes.Equal(out, hx(data)) || note == "" {
			t.Errorf("overrun of absent 9F4B in %s: %X, %q", data, out, note)
		}
	}
}

func TestGetResponseForeverExhaustsT0(t *testing.T) {
	card := &fakeCard{}
	tr, err := New(card, GetResponseForever(0x10)...)
	if err != nil {
		t.Fatal(err)
	}
	t0 := apdu.T0(tr)
	_, err = t0.Transmit(context.Background(), mustHex(t, selDomestic))
	if !errors.Is(err, apdu.ErrTooManyGetResponse) {
		t.Fatalf("error %v, want ErrTooManyGetResponse", err)
	}
	if got := card.commands(); len(got) != 1 || got[0] != selDomestic {
		t.Errorf("card was sent %v, want only the SELECT", got)
	}
	if tr.Position() != 1+apdu.DefaultMaxGetResponse {
		t.Errorf("%d commands went through, want 1 + %d GET RESPONSE", tr.Position(), apdu.DefaultMaxGetResponse)
	}
}

func TestHangHonoursCancel(t *testing.T) {
	tr, err := New(&fakeCard{}, FaultAt(1, FaultHang))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := tr.Transmit(ctx, mustHex(t, challenge))
		done <- err
	}()
	for len(tr.Events()) == 0 || len(tr.Events()[0].Did) == 0 { // wait until it hangs
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNoAnswer) || !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want ErrNoAnswer and context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Transmit did not return after cancel")
	}
	// A context that is done before the command is not sent at all.
	if _, err := tr.Transmit(ctx, mustHex(t, challenge)); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// TestCommandEditOfMalformedCommand: a command that does not parse is
// passed on unchanged and the event says why.
func TestCommandEditOfMalformedCommand(t *testing.T) {
	card := &fakeCard{}
	tr, err := New(card, Rule{Match: Match{INS: bp(0xAE)}, Action: Action{ClearP1: 0x10}})
	if err != nil {
		t.Fatal(err)
	}
	bad := "80AE900004010203" // Lc says 4, 3 bytes follow
	if _, err := tr.Transmit(context.Background(), mustHex(t, bad)); err != nil {
		t.Fatal(err)
	}
	if got := card.commands(); len(got) != 1 || got[0] != bad {
		t.Errorf("card was sent %v, want %s", got, bad)
	}
	checkEvents(t, tr.Events(), []string{"command left as is"})
}

// TestEventsHideCommandData: the events of a wedge never hold the PIN
// block of the VERIFY they answered.
func TestEventsHideCommandData(t *testing.T) {
	tr, _ := New(&fakeCard{}, Wedge())
	if _, err := tr.Transmit(context.Background(), mustHex(t, verify)); err != nil {
		t.Fatal(err)
	}
	for _, e := range tr.Events() {
		if s := e.String(); strings.Contains(strings.ToUpper(s), "241234") {
			t.Errorf("event %q shows the PIN block", s)
		}
	}
}

// TestResponseNotAliased: editing never changes the slice the card gave.
func TestResponseNotAliased(t *testing.T) {
	orig := hx(appRecord + "9000")
	keep := bytes.Clone(orig)
	card := apdu.TransportFunc(func(context.Context, []byte) ([]byte, error) { return orig, nil })
	tr, _ := New(card, Rule{Action: Action{ResponseEdits: ResponseEdits{XOR: []Edit{{Tag: 0x5A, Value: Hex{0xFF}}}, Truncate: 1, SW: wp(0x6A83)}}})
	if _, err := tr.Transmit(context.Background(), mustHex(t, readApp)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(orig, keep) {
		t.Errorf("the card's response was modified: %X", orig)
	}
}

func TestCardError(t *testing.T) {
	boom := errors.New("reader unplugged")
	card := apdu.TransportFunc(func(context.Context, []byte) ([]byte, error) { return nil, boom })
	for _, r := range []Rule{{Action: Action{ResponseEdits: ResponseEdits{Truncate: 1}}}, {Action: Action{Answer: Hex{0x90, 0}, Forward: true}}} {
		tr, _ := New(card, r)
		if _, err := tr.Transmit(context.Background(), mustHex(t, challenge)); !errors.Is(err, boom) {
			t.Errorf("error %v, want the card's", err)
		}
	}
}

func TestEventString(t *testing.T) {
	e := Event{Position: 3, Rule: "wedge", Header: [4]byte{0, 0x20, 0, 0x80}, Did: []string{"answered 9000"}}
	if got, want := e.String(), "APDU 3 00200080 (wedge): [answered 9000]"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
