package kernel_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv/pin"
	"github.com/yixin-emv/yixin/kernel"
)

// TestBrands checks the RID and IIN tables against the schemes' published
// ranges (ISO/IEC 7812 IINs as the schemes list them).
func TestBrands(t *testing.T) {
	for _, c := range []struct {
		aid   string
		brand kernel.Brand
	}{
		{"A0000000031010", kernel.BrandVisa}, {"A0000000980840", kernel.BrandVisa},
		{"A0000000041010", kernel.BrandMastercard}, {"A000000025010402", kernel.BrandAmex},
		{"A000000333010101", kernel.BrandUnionPay}, {"A0000000651010", kernel.BrandJCB},
		{"A0000001523010", kernel.BrandDiscover}, {"A0000009990101", ""}, {"A0", ""},
	} {
		if got := kernel.BrandOfAID(h(c.aid)); got != c.brand {
			t.Errorf("BrandOfAID(%s) = %q, want %q", c.aid, got, c.brand)
		}
	}
	for _, c := range []struct {
		pan  string
		want []kernel.Brand
	}{
		{"4111111111111111", []kernel.Brand{kernel.BrandVisa}},
		{"5375050000160110", []kernel.Brand{kernel.BrandMastercard}},
		{"2221000000000009", []kernel.Brand{kernel.BrandMastercard}},
		{"2721000000000000", nil},
		{"371234567890120", []kernel.Brand{kernel.BrandAmex}},
		{"6212345678901232", []kernel.Brand{kernel.BrandUnionPay}},
		{"6221260000000000", []kernel.Brand{kernel.BrandUnionPay, kernel.BrandDiscover}},
		{"3530111333300000", []kernel.Brand{kernel.BrandJCB}},
		{"6011000990139424", []kernel.Brand{kernel.BrandDiscover}},
		{"36227206271667", []kernel.Brand{kernel.BrandDiners, kernel.BrandDiscover}},
		{"9999", nil}, {"", nil}, {"4", []kernel.Brand{kernel.BrandVisa}},
	} {
		got := kernel.BrandsOfPAN(c.pan)
		if strings.Join(brandStrings(got), ",") != strings.Join(brandStrings(c.want), ",") {
			t.Errorf("BrandsOfPAN(%s) = %v, want %v", c.pan, got, c.want)
		}
	}
}

func brandStrings(bs []kernel.Brand) []string {
	var out []string
	for _, b := range bs {
		out = append(out, string(b))
	}
	return out
}

func TestInterfaces(t *testing.T) {
	ctx := context.Background()
	// FixedPIN: clear format 0 without a key (ISO 9564 vector of
	// ilya-dubinsky/cfpp c/test/test_pin.c: PIN 1234, PAN 0123456789012345
	// gives 041200A9876FEDCB), format 4 with an AES key.
	b, err := kernel.FixedPIN{PIN: "1234"}.OnlinePIN(ctx, kernel.PINRequest{PAN: "0123456789012345"})
	if err != nil || hexU(b) != "041200A9876FEDCB" {
		t.Errorf("format 0 block %X, %v", b, err)
	}
	key := h("00112233445566778899AABBCCDDEEFF")
	b, err = kernel.FixedPIN{PIN: "1234", Key: key}.OnlinePIN(ctx, kernel.PINRequest{PAN: "6212345678901232"})
	if err != nil || len(b) != pin.Format4Len {
		t.Fatalf("format 4 block %X, %v", b, err)
	}
	if p, err := pin.DecipherFormat4(key, b, "6212345678901232"); err != nil || p != "1234" {
		t.Errorf("format 4 deciphers to %q, %v", p, err)
	}
	if _, err := (kernel.FixedPIN{}).OfflinePIN(ctx, kernel.PINRequest{}); !errors.Is(err, kernel.ErrPINBypassed) {
		t.Errorf("empty FixedPIN: %v", err)
	}
	if _, err := (kernel.FixedPIN{}).OnlinePIN(ctx, kernel.PINRequest{}); !errors.Is(err, kernel.ErrPINBypassed) {
		t.Errorf("empty FixedPIN online: %v", err)
	}
	// Cardholders.
	cs := []kernel.Candidate{{AID: aidAmex}, {AID: aidUP}}
	if i, _ := kernel.ChooseAID(aidUP).ChooseApplication(ctx, cs, 0); i != 1 {
		t.Errorf("ChooseAID picked %d", i)
	}
	if i, _ := kernel.ChooseAID(h("A0000000031010")).ChooseApplication(ctx, cs, 0); i != 0 {
		t.Errorf("ChooseAID without a match picked %d", i)
	}
	if ok, _ := kernel.ChooseAID(aidUP).ConfirmApplication(ctx, cs[0]); !ok {
		t.Error("ChooseAID does not confirm")
	}
	if ok, _ := (kernel.AcceptProposal{}).ConfirmApplication(ctx, cs[0]); !ok {
		t.Error("AcceptProposal does not confirm")
	}
	// The split-sale log.
	var l kernel.MemoryLog
	l.Add("6212", h("01"), 100)
	l.Add("6212", h("01"), 50)
	l.Add("6212", h("02"), 7)
	if l.Total("6212", h("01")) != 150 || l.Total("6212", h("02")) != 7 {
		t.Errorf("log totals %d, %d", l.Total("6212", h("01")), l.Total("6212", h("02")))
	}
	l.Clear()
	if l.Total("6212", h("01")) != 0 {
		t.Error("Clear")
	}
}

func TestExceptionList(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "hot.txt")
	os.WriteFile(p, []byte("# hot list\n6212345678901232\n371234567890120 00\n\n"), 0o644)
	l, err := kernel.LoadExceptionList(p)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Listed("6212345678901232", h("01")) || !l.Listed("371234567890120", h("00")) || l.Listed("371234567890120", h("01")) {
		t.Errorf("list %v", l)
	}
	for _, bad := range []string{"62123456789012AB\n", "6212 01 02\n", "12345678901234567890\n"} {
		os.WriteFile(p, []byte(bad), 0o644)
		if _, err := kernel.LoadExceptionList(p); !errors.Is(err, kernel.ErrConfig) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := kernel.LoadExceptionList(filepath.Join(dir, "none")); !errors.Is(err, kernel.ErrConfig) {
		t.Errorf("missing file: %v", err)
	}
}

func TestErrorsAndPhases(t *testing.T) {
	e := &kernel.TerminatedError{Phase: kernel.PhaseReadRecords, SW: 0x6A83, Cause: kernel.ErrCardStatus}
	if s := e.Error(); !strings.Contains(s, "read-records") || !strings.Contains(s, "6A83") {
		t.Errorf("%q", s)
	}
	if !errors.Is(e, kernel.ErrCardStatus) {
		t.Error("Unwrap")
	}
	e2 := &kernel.TerminatedError{Phase: kernel.PhaseInitiation, SW: 0x6985, Cause: apdu.StatusWord(0x6985)}
	if strings.Count(e2.Error(), "6985") != 1 {
		t.Errorf("%q repeats the status word", e2.Error())
	}
	if kernel.Phase(99).String() != "phase(99)" || kernel.PhaseCompletion.String() != "completion" {
		t.Error("Phase.String")
	}
	if b, _ := kernel.PhaseODA.MarshalText(); string(b) != "oda" {
		t.Error("Phase.MarshalText")
	}
}

// TestPhaseByPhase drives the phases one by one and checks that each can
// run once, in order, and that a termination sticks.
func TestPhaseByPhase(t *testing.T) {
	e := newEnv(t)
	tx, _ := kernel.NewTransaction(e.cfg, e.card, e.p)
	ctx := context.Background()
	if _, err := tx.Select(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Select(ctx); !errors.Is(err, kernel.ErrPhaseOrder) {
		t.Errorf("second Select: %v", err)
	}
	for _, step := range []func(context.Context) error{tx.Initiate, tx.ReadRecords, tx.Authenticate, tx.CheckRestrictions,
		tx.VerifyCardholder, tx.ManageRisk, tx.AnalyseActions, tx.GoOnline, tx.Complete} {
		if err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	o, err := tx.Continue(ctx) // nothing left
	if err != nil || o.Result != kernel.ResultOnlineApproved || tx.Phase() != kernel.PhaseCompletion {
		t.Errorf("%v %s %s", err, o.Result, tx.Phase())
	}

	// A terminated transaction stays terminated.
	e = newEnv(t)
	e.card.genacSW = 0x6985
	tx, _ = kernel.NewTransaction(e.cfg, e.card, e.p)
	_, err = tx.Run(ctx)
	if err2 := tx.Complete(ctx); err2 != err {
		t.Errorf("after termination: %v, then %v", err, err2)
	}
	// A cancelled context terminates before the next phase.
	e = newEnv(t)
	tx, _ = kernel.NewTransaction(e.cfg, e.card, e.p)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := tx.Run(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestOutcomeBeforeRun is the outcome of a transaction not yet run.
func TestOutcomeBeforeRun(t *testing.T) {
	e := newEnv(t)
	tx, _ := kernel.NewTransaction(e.cfg, e.card, e.p)
	o := tx.Outcome()
	if o.Result != kernel.ResultTerminated || o.Phase != kernel.PhaseNone || o.DataRecord != nil || o.APDUs != 0 {
		t.Errorf("%+v", o)
	}
}

// TestDataRecordConfig checks the configured DE 55 list: order kept,
// absent objects skipped, the PAN never included.
func TestDataRecordConfig(t *testing.T) {
	e := newEnv(t)
	e.cfg.DataRecord = []kernel.Hex{h("9F26"), h("5A"), h("9F36"), h("9F7C")}
	o, err := e.run(t)
	if err != nil {
		t.Fatal(err)
	}
	want := cat(tlv(0x9F26, o.Cryptogram), tlv(0x9F36, []byte{byte(o.ATC >> 8), byte(o.ATC)}))
	if hexU(o.DataRecord) != hexU(want) {
		t.Errorf("data record %X, want %X", o.DataRecord, want)
	}
}

// TestCVRLayouts reads the offline-PIN bit of the Card Verification
// Results in the layouts the kernel knows. The VIS layout is checked on the
// Visa CVN 10 vector of knovichikhin/pyemv (tests/test_cvn_hsm.py; shared/
// refs/VECTORS.md), whose cryptogram input ends with the IAD's CVR 03A06010:
// no offline PIN.
func TestCVRLayouts(t *testing.T) {
	for _, c := range []struct {
		iad             string
		performed, know bool
	}{
		{"06010A03A06010", false, true},                                                // VIS, CVN 10 (pyemv)
		{"06010A03A46010", true, true},                                                 // VIS, byte 1 b3 set
		{"07010103A0000000", false, true},                                              // PBOC (DOMESTIC.md layout)
		{"0FA501983000000000010000000025000F00", false, true},                          // CCD format A, from cardsim
		{"0FA501983800000000010000000025000F00", true, true},                           // CCD, byte 2 b4 set
		{"0110A00003220000000000000000000000FF", false, false},                         // M/Chip: not read
		{"0F", false, false}, {"", false, false}, {"0F5501983800000000", false, false}, // CCD length, wrong format code
	} {
		p, k := kernel.CVROfflinePIN(h(c.iad))
		if p != c.performed || k != c.know {
			t.Errorf("%s: performed %v known %v, want %v %v", c.iad, p, k, c.performed, c.know)
		}
	}
}
