package kerneltest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// The fault injection matrix: every APDU position of a full online CDA
// transaction (the international application of dual-cn at a US terminal,
// 20 APDUs, then the same transaction with issuer scripts before and after
// the second GENERATE AC, 22 APDUs) crossed with every fault a reader or a
// card can produce. Each cell has a defined outcome: no panic, no hang, a
// *kernel.TerminatedError naming the phase and the cause, or a completed
// transaction where EMV says to go on; and a reversal owed exactly when
// the card had produced an ARQC (the issuer, who approves here, may have
// acted on it) and the transaction did not end with the card's TC.

// atkFaultDeadline is how long a card that never answers is waited for: the
// context of the phase in which the card falls silent has this timeout.
const atkFaultDeadline = 50 * time.Millisecond

// atkCaseDeadline bounds every cell of the matrix: a kernel that hangs in
// spite of its context fails the test instead of blocking it.
const atkCaseDeadline = 20 * time.Second

// atkFaultKind is one fault.
type atkFaultKind struct {
	name string
	rule func(pos int) attack.Rule
	// status is the status word of a fault that is an answer (6F00, the
	// garbage's FFFF); 0 for a fault of the transport.
	status apdu.StatusWord
	// cause is what the TerminatedError of a transport fault wraps.
	cause error
	hang  bool
}

var atkFaultKinds = []atkFaultKind{
	{name: "transport error", rule: func(n int) attack.Rule { return attack.FaultAt(n, attack.FaultTransport) }, cause: attack.ErrInjected},
	{name: "card removed", rule: attack.RemoveAt, cause: attack.ErrCardRemoved},
	{name: "6F00", rule: func(n int) attack.Rule { return attack.FaultAt(n, "6F00") }, status: 0x6F00},
	// DefaultGarbage: data that is not TLV, status word FFFF.
	{name: "garbage", rule: func(n int) attack.Rule { return attack.FaultAt(n, attack.FaultGarbage) }, status: 0xFFFF},
	{name: "no answer", rule: func(n int) attack.Rule { return attack.FaultAt(n, attack.FaultHang) }, cause: context.DeadlineExceeded, hang: true},
	// The card processes the command (its ATC, PIN try counter, script
	// state change) and the answer is lost: a torn exchange.
	{name: "answer lost", rule: func(n int) attack.Rule {
		r := attack.FaultAt(n, attack.FaultTransport)
		r.Forward = true
		return r
	}, cause: attack.ErrInjected},
}

// atkPosition says what a position of the conversation is and what a
// status word fault there leads to.
type atkPosition struct {
	ins byte   // its instruction byte
	cmd string // what the command is, for messages
	// goesOn: EMV handles a status word other than 9000 here and the
	// transaction continues (why: the rule); the transaction then ends
	// with result, with aid selected and the TVR bits set. Otherwise a
	// status word fault terminates the transaction.
	goesOn bool
	why    string
	result kernel.Result
	aid    []byte
	tvr    []emv.TVRBit
	check  func(o *kernel.Outcome) error
	// afterARQC: the card has produced an ARQC before this command.
	afterARQC bool
	// transportGoesOn: a transport fault does not undo what is already
	// final (a script after the card's TC): the transaction still
	// completes with result.
	transportGoesOn bool
}

// atkOnlinePositions is the plain online CDA transaction, position by
// position (recorded from the simulator: see TestFaultMatrixBaseline).
var atkOnlinePositions = []atkPosition{
	{ins: 0xA4, cmd: "SELECT PSE", goesOn: true, why: "Book 1 §12.3.2 step 1: a PSE that cannot be selected leads to the list of AIDs",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl},
	{ins: 0xB2, cmd: "READ RECORD PSE 1", goesOn: true, why: "Book 1 §12.3.2 step 2: a directory record that cannot be read is skipped (openemv/emv-utils emv_tal_read_pse)",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl},
	{ins: 0xB2, cmd: "READ RECORD PSE 2", goesOn: true, why: "Book 1 §12.3.2 step 2: the record listing the international application is skipped; the domestic one remains",
		result: kernel.ResultOnlineApproved, aid: atkAIDDomestic},
	{ins: 0xB2, cmd: "READ RECORD PSE 3", goesOn: true, why: "Book 1 §12.3.2 step 2: the end-of-directory answer replaced is skipped; the next record answers 6A83",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl},
	{ins: 0xA4, cmd: "SELECT international", goesOn: true, why: "Book 1 §12.4: a final SELECT that fails removes the application; the other is selected",
		result: kernel.ResultOnlineApproved, aid: atkAIDDomestic},
	{ins: 0xA8, cmd: "GET PROCESSING OPTIONS"}, // Book 3 §10.1: other than 9000 or 6985 terminates
	{ins: 0xB2, cmd: "READ RECORD 1/1"},        // Book 3 §10.2: a record that cannot be read terminates
	{ins: 0xB2, cmd: "READ RECORD 2/1"},
	{ins: 0xB2, cmd: "READ RECORD 2/2"},
	{ins: 0xB2, cmd: "READ RECORD 3/1"},
	{ins: 0xB2, cmd: "READ RECORD 3/2"},
	{ins: 0xB2, cmd: "READ RECORD 3/3"},
	{ins: 0xB2, cmd: "READ RECORD 3/4"},
	{ins: 0xCA, cmd: "GET DATA 9F17", goesOn: true, why: "Book 3 §10.5.1: the PIN Try Counter is optional; unknown, PIN entry goes on",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl},
	{ins: 0x84, cmd: "GET CHALLENGE", goesOn: true, why: "Book 3 §10.5.1: without a challenge the enciphered PIN cannot be sent; that CVM fails and the next rule (plaintext PIN) applies",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl, check: func(o *kernel.Outcome) error {
			if o.CVMResults.Method() == 0x04 && o.CVMResults.Result() == emv.CVMResultSuccessful {
				return fmt.Errorf("CVM Results %s claim an enciphered PIN that was never sent", o.CVMResults)
			}
			return nil
		}},
	{ins: 0x20, cmd: "VERIFY"}, // Book 3 §10.5.1: VERIFY answered other than 9000, 63Cx, 6983, 6984 terminates
	{ins: 0xCA, cmd: "GET DATA 9F36", goesOn: true, why: "Book 3 §10.6.3: without the ATC both consecutive offline limit bits are set",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl,
		tvr: []emv.TVRBit{emv.TVRLowerConsecutiveOfflineLimitExceeded, emv.TVRUpperConsecutiveOfflineLimitExceeded}},
	{ins: 0xCA, cmd: "GET DATA 9F13", goesOn: true, why: "Book 3 §10.6.3: without the last online ATC both consecutive offline limit bits are set",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl,
		tvr: []emv.TVRBit{emv.TVRLowerConsecutiveOfflineLimitExceeded, emv.TVRUpperConsecutiveOfflineLimitExceeded}},
	{ins: 0xAE, cmd: "GENERATE AC 1"}, // Book 3 §10.8: a GENERATE AC that fails terminates
	{ins: 0xAE, cmd: "GENERATE AC 2", afterARQC: true},
}

// atkScriptPositions is the online CDA transaction with an issuer script
// in template 71 (PIN unblock, before the second GENERATE AC) and one in
// 72 (PUT DATA, after it), from the first GENERATE AC on; positions 1–18
// are the commands of atkOnlinePositions.
var atkScriptPositions = []atkPosition{
	{ins: 0xAE, cmd: "GENERATE AC 1"},
	{ins: 0x24, cmd: "script 71: PIN UNBLOCK", afterARQC: true, goesOn: true,
		why:    "Book 3 §10.10: a script command that fails ends that script, sets the TVR bit and the 9F5B result; the transaction goes on",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl, tvr: []emv.TVRBit{emv.TVRScriptFailedBeforeFinalGenAC}},
	{ins: 0xAE, cmd: "GENERATE AC 2", afterARQC: true},
	{ins: 0xDA, cmd: "script 72: PUT DATA", afterARQC: true, goesOn: true, transportGoesOn: true,
		why:    "Book 3 §10.10: after the card's TC the transaction is decided; a script that fails sets the TVR bit and the 9F5B result",
		result: kernel.ResultOnlineApproved, aid: atkAIDIntl, tvr: []emv.TVRBit{emv.TVRScriptFailedAfterFinalGenAC}},
}

// atkScriptAnswer is the issuer's approval with the two scripts.
func atkScriptAnswer() issuer.Answer {
	return issuer.Answer{Approve: true, Scripts: []issuer.Script{
		{BeforeSecondAC: true, ID: atkHex("00000001"), Commands: []issuer.Command{{Kind: issuer.KindPINUnblock}}},
		{ID: atkHex("00000002"), Commands: []issuer.Command{{Kind: issuer.KindPutData, Tag: "9F14", Value: atkHex("02")}}},
	}}
}

// atkMatrix is one transaction of the matrix.
type atkMatrix struct {
	name      string
	answers   []issuer.Answer
	first     int // the position of the first entry of positions
	positions []atkPosition
	// phases is the phase of every position (from 1), filled by the
	// baseline.
	phases []kernel.Phase
}

func atkMatrices() []*atkMatrix {
	return []*atkMatrix{
		{name: "online CDA", first: 1, positions: atkOnlinePositions},
		{name: "online CDA with scripts", answers: []issuer.Answer{atkScriptAnswer()}, first: 19, positions: atkScriptPositions},
	}
}

// atkPhaseSteps are the phase methods in order.
var atkPhaseSteps = []struct {
	phase kernel.Phase
	run   func(*kernel.Transaction, context.Context) error
}{
	{kernel.PhaseSelection, func(t *kernel.Transaction, ctx context.Context) error { _, err := t.Select(ctx); return err }},
	{kernel.PhaseInitiation, (*kernel.Transaction).Initiate},
	{kernel.PhaseReadRecords, (*kernel.Transaction).ReadRecords},
	{kernel.PhaseODA, (*kernel.Transaction).Authenticate},
	{kernel.PhaseRestrictions, (*kernel.Transaction).CheckRestrictions},
	{kernel.PhaseCVM, (*kernel.Transaction).VerifyCardholder},
	{kernel.PhaseRiskManagement, (*kernel.Transaction).ManageRisk},
	{kernel.PhaseActionAnalysis, (*kernel.Transaction).AnalyseActions},
	{kernel.PhaseOnline, (*kernel.Transaction).GoOnline},
	{kernel.PhaseCompletion, (*kernel.Transaction).Complete},
}

// baseline runs the transaction without a fault, phase by phase, and
// records the phase of every APDU. It checks that the conversation is the
// one the position table describes.
func (m *atkMatrix) baseline(t *testing.T) {
	t.Helper()
	s := atkNewSim(t, m.answers...)
	cfg := atkConfig(t, s, "US")
	rec := apdu.NewRecorder(s.card)
	tx, err := kernel.NewTransaction(cfg, rec, kernel.Params{Amount: 2500})
	if err != nil {
		t.Fatal(err)
	}
	m.phases = []kernel.Phase{0} // positions count from 1
	for _, st := range atkPhaseSteps {
		if err := st.run(tx, context.Background()); err != nil {
			t.Fatalf("%s: %v", st.phase, err)
		}
		for len(m.phases) <= len(rec.Exchanges()) {
			m.phases = append(m.phases, st.phase)
		}
	}
	o := tx.Outcome()
	if o.Result != kernel.ResultOnlineApproved || o.ODA != kernel.ODACDA || !o.ODAOK || o.Reversal {
		t.Fatalf("baseline: %s (%s), ODA %s ok %v, reversal %v", o.Result, o.Reason, o.ODA, o.ODAOK, o.Reversal)
	}
	if want := m.first + len(m.positions) - 1; o.APDUs != want || len(m.phases)-1 != want {
		t.Fatalf("baseline: %d APDUs; the position table describes %d", o.APDUs, want)
	}
	for i, p := range m.positions {
		x := rec.Exchanges()[m.first+i-1]
		if x.Command[1] != p.ins {
			t.Fatalf("baseline: APDU %d is %s, the table says %s", m.first+i, apdu.CommandName(x.Command[0], x.Command[1]), p.cmd)
		}
	}
}

// TestFaultMatrix runs every cell of the matrices and reports the count.
func TestFaultMatrix(t *testing.T) {
	cells := 0
	for _, m := range atkMatrices() {
		t.Run(m.name, func(t *testing.T) {
			m.baseline(t)
			for i, p := range m.positions {
				pos := m.first + i
				for _, f := range atkFaultKinds {
					cells++
					t.Run(fmt.Sprintf("%02d %s/%s", pos, p.cmd, f.name), func(t *testing.T) {
						atkWithin(t, atkCaseDeadline, func() { m.cell(t, pos, p, f) })
					})
				}
			}
		})
	}
	t.Logf("fault matrix: %d cells (%d faults × (%d + %d positions))", cells, len(atkFaultKinds), len(atkOnlinePositions), len(atkScriptPositions))
}

// atkWithin runs fn and fails the test if it does not return within d.
func atkWithin(t *testing.T, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %v: the kernel hangs", d)
	}
}

// cell runs one fault at one position and checks the outcome.
func (m *atkMatrix) cell(t *testing.T, pos int, p atkPosition, f atkFaultKind) {
	o, err := m.run(t, pos, f)
	if cerr := atkCheckEnding(o, err); cerr != nil {
		t.Fatal(cerr)
	}
	goesOn := p.goesOn && f.status != 0 || p.transportGoesOn && f.status == 0
	if goesOn {
		if err != nil {
			t.Fatalf("terminated (%v); want the transaction to go on (%s)", err, p.why)
		}
		if o.Result != p.result || string(o.AID) != string(p.aid) {
			t.Errorf("%s (%s) with %X; want %s with %X (%s)", o.Result, o.Reason, o.AID, p.result, p.aid, p.why)
		}
		for _, b := range p.tvr {
			if !o.TVR.Has(b) {
				t.Errorf("TVR %s lacks %v", o.TVR, b)
			}
		}
		if p.check != nil {
			if err := p.check(o); err != nil {
				t.Error(err)
			}
		}
		if o.Reversal {
			t.Errorf("reversal owed although the transaction completed %s", o.Result)
		}
		return
	}
	var te *kernel.TerminatedError
	if !errors.As(err, &te) {
		t.Fatalf("%s (%s), err %v; want the transaction terminated", o.Result, o.Reason, err)
	}
	if o.APDUs != pos || te.Phase != m.phases[pos] {
		t.Errorf("terminated in %s after %d APDUs; want %s at APDU %d", te.Phase, o.APDUs, m.phases[pos], pos)
	}
	switch {
	case f.status != 0 && te.SW != f.status:
		t.Errorf("status word %v in the error, want %v: %v", te.SW, f.status, err)
	case f.cause != nil && !errors.Is(err, f.cause):
		t.Errorf("error %v does not wrap %v", err, f.cause)
	}
	if f.hang && !errors.Is(err, attack.ErrNoAnswer) {
		t.Errorf("error %v does not say the card did not answer", err)
	}
	if o.Reversal != p.afterARQC {
		t.Errorf("reversal %v; want %v (an ARQC produced: %v)", o.Reversal, p.afterARQC, p.afterARQC)
	}
}

// run performs the transaction with fault f at position pos. Phases run one
// by one; the phase in which a silent card is met gets a context with
// atkFaultDeadline (should the work before the silent command exhaust the
// deadline, the cell is run again with a longer one).
func (m *atkMatrix) run(t *testing.T, pos int, f atkFaultKind) (*kernel.Outcome, error) {
	deadline := atkFaultDeadline
	for attempt := 0; ; attempt++ {
		s := atkNewSim(t, m.answers...)
		cfg := atkConfig(t, s, "US")
		at, err := attack.New(s.card, f.rule(pos))
		if err != nil {
			t.Fatal(err)
		}
		tx, err := kernel.NewTransaction(cfg, at, kernel.Params{Amount: 2500})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range atkPhaseSteps {
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if f.hang && st.phase == m.phases[pos] {
				ctx, cancel = context.WithTimeout(ctx, deadline)
			}
			err = st.run(tx, ctx)
			cancel()
			if err != nil {
				break
			}
		}
		o, err := tx.Run(context.Background()) // the outcome, and the error that stuck
		if f.hang && at.Position() < pos && attempt < 4 {
			deadline *= 4 // the deadline passed before the card fell silent
			continue
		}
		return o, err
	}
}
