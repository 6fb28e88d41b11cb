package kernel

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// Transaction types (9C) the kernel knows how to check against the
// Application Usage Control.
const (
	TypePurchase         byte = 0x00
	TypeCash             byte = 0x01
	TypePurchaseCashback byte = 0x09
	TypeRefund           byte = 0x20
)

// Params are the data of one transaction that the merchant supplies.
type Params struct {
	// Amount is the Amount, Authorised (9F02), in minor units of the
	// terminal currency.
	Amount int64
	// OtherAmount is the Amount, Other (9F03): the cashback part.
	OtherAmount int64
	// Type is the transaction type (9C).
	Type byte
	// Services says the purchase is of services rather than goods (for the
	// Application Usage Control).
	Services bool
	// ForceOnline is the merchant forcing the transaction online.
	ForceOnline bool
	// Sequence is the Transaction Sequence Counter (9F41).
	Sequence uint32
}

// Transaction is one contact EMV transaction: the state of Book 3 §10's
// phases over one card. Run does everything; an integrator who needs to
// stop between phases (to show the selected application, to ask for the
// amount after selection) calls Select, then Continue or the phase methods
// one by one in the order of the Phase constants. A Transaction is not
// safe for concurrent use; many transactions may share one Config.
type Transaction struct {
	cfg    *Config
	card   apdu.Transport
	params Params
	rand   io.Reader
	now    time.Time

	next  Phase // the next phase to run
	err   error // the first fatal error sticks (STYLE §5)
	apdus int
	cmd   []byte // reusable command buffer

	// Selection (selection.go).
	cands []Candidate // replaced, never changed, once built (see propose)
	sel   Selection
	app   *Application

	// Data objects (data.go).
	term    dataStore
	icc     dataStore
	fciData dataStore
	termBuf []byte
	pan     string

	tvr emv.TVR
	tsi emv.TSI
	cvm emv.CVMResults
	aip emv.AIP

	// Read application data (initiate.go, records.go).
	afl      []byte // the AFL (94) as the card sent it, checked; entries by t.aflEntries
	pdolData []byte
	records  []oda.Record

	// Offline data authentication (oda.go).
	oda odaState

	// Cardholder verification (cvm.go).
	cvrMismatch bool // the card's CVR contradicts the CVM Results (cvr.go)
	pinBlock    []byte
	signature   bool
	pinBypassed bool
	ptc         int           // PIN Try Counter as last known
	ptcRead     bool          // ptc was read
	cvmErr      error         // why an enciphered PIN could not be sent, if it could not
	pinPub      rsa.PublicKey // the PIN encipherment key (pinKey)

	// Action analysis and completion (action.go, genac.go).
	ac1, ac2  acResult
	cdol1Data []byte
	online    onlineState
	scripts   []byte // Issuer Script Results (9F5B)
	result    Result
	reason    string
	reversal  bool

	// mem backs the slices above and the ODA certificates for a typical
	// transaction, so that one allocation serves them all, and Reset none.
	// The whole Transaction fits the 5376-byte size class (5336 bytes on
	// 64-bit platforms): a field added here may cost a larger allocation
	// per NewTransaction (see TestTransactionSize).
	mem struct {
		termTags [32]emv.Tag
		iccTags  [40]emv.Tag
		fciTags  [12]emv.Tag
		termVals [32][]byte
		iccVals  [40][]byte
		fciVals  [12][]byte
		termBuf  [160]byte // terminal data, the PDOL and CDOL data, values computed during the transaction
		un       [4]byte
		records  [2]oda.Record
		cmd      [272]byte
		// The certificates of offline data authentication (t.oda), which
		// nothing returned to the caller refers to.
		issuerCert oda.IssuerCertificate
		iccCert    oda.ICCCertificate
	}
}

// NewTransaction starts a transaction over card with the terminal cfg.
// Nothing is sent to the card until Run, Select or a phase method.
func NewTransaction(cfg *Config, card apdu.Transport, p Params) (*Transaction, error) {
	if err := checkStart(cfg, card, p); err != nil {
		return nil, err
	}
	t := new(Transaction)
	t.init(cfg, card, p)
	return t, nil
}

// Reset makes t a new transaction over card with the same Config, as
// NewTransaction would, reusing t's memory: a terminal that runs one
// transaction after another (a certification harness runs hundreds) then
// allocates one Transaction, not one each time. Whatever t returned before
// (Outcome, Selection, DataRecord) stays valid: none of it shares t's
// memory. Reset fails, leaving t as it was, on the arguments NewTransaction
// refuses.
func (t *Transaction) Reset(card apdu.Transport, p Params) error {
	if t.cfg == nil {
		return fmt.Errorf("%w: Reset of a Transaction not made by NewTransaction", ErrConfig)
	}
	if err := checkStart(t.cfg, card, p); err != nil {
		return err
	}
	cfg := t.cfg
	*t = Transaction{}
	t.init(cfg, card, p)
	return nil
}

// checkStart is what NewTransaction and Reset refuse.
func checkStart(cfg *Config, card apdu.Transport, p Params) error {
	if cfg == nil || card == nil {
		return fmt.Errorf("%w: nil config or card", ErrConfig)
	}
	if p.Amount < 0 || p.Amount > emv.MaxAmountMinor || p.OtherAmount < 0 || p.OtherAmount > emv.MaxAmountMinor {
		return fmt.Errorf("%w: amount out of range (0 to %d minor units)", ErrConfig, int64(emv.MaxAmountMinor))
	}
	if len(cfg.Terminal.Type) != 1 || len(cfg.Terminal.Capabilities) != 3 || len(cfg.Terminal.AdditionalCaps) != 5 {
		return fmt.Errorf("%w: terminal type, capabilities or additional capabilities missing (call Config.Validate)", ErrConfig)
	}
	return nil
}

// init sets up a zero t for a transaction; the arguments are checked.
func (t *Transaction) init(cfg *Config, card apdu.Transport, p Params) {
	t.cfg, t.card, t.params, t.rand, t.next = cfg, card, p, cfg.Rand, PhaseSelection
	if t.rand == nil {
		t.rand = rand.Reader
	}
	if cfg.Clock != nil {
		t.now = cfg.Clock()
	} else {
		t.now = time.Now()
	}
	t.term.tags, t.term.vals = t.mem.termTags[:], t.mem.termVals[:]
	t.icc.tags, t.icc.vals = t.mem.iccTags[:], t.mem.iccVals[:]
	t.fciData.tags, t.fciData.vals = t.mem.fciTags[:], t.mem.fciVals[:]
	t.termBuf = t.mem.termBuf[:0]
	t.cmd = t.mem.cmd[:0]
	t.cvm = emv.CVMResults{0x3F, 0x00, 0x00}
}

// phases is the transaction: Book 3 §10's phases in order, each in the
// file named after it.
var phases = [phaseCount]func(*Transaction, context.Context) error{
	PhaseSelection:      (*Transaction).selectApplication, // selection.go
	PhaseInitiation:     (*Transaction).initiate,          // initiate.go
	PhaseReadRecords:    (*Transaction).readRecords,       // records.go
	PhaseODA:            (*Transaction).authenticate,      // oda.go
	PhaseRestrictions:   (*Transaction).checkRestrictions, // restrictions.go
	PhaseCVM:            (*Transaction).verifyCardholder,  // cvm.go
	PhaseRiskManagement: (*Transaction).manageRisk,        // risk.go
	PhaseActionAnalysis: (*Transaction).analyseActions,    // action.go, genac.go
	PhaseOnline:         (*Transaction).goOnline,          // genac.go
	PhaseCompletion:     (*Transaction).complete,          // genac.go
}

// Run performs the whole transaction, or what remains of it after the
// phase methods already called. It always returns the Outcome; the error
// is a *TerminatedError when the transaction was terminated (the Outcome
// then holds the partial results).
func (t *Transaction) Run(ctx context.Context) (*Outcome, error) {
	for t.err == nil && t.next < phaseCount {
		t.step(ctx, t.next)
	}
	return t.Outcome(), t.err
}

// Continue is Run, named for the phase API: Select, show the application,
// Continue.
func (t *Transaction) Continue(ctx context.Context) (*Outcome, error) { return t.Run(ctx) }

// Select performs application selection (Book 1 §12) and returns what was
// selected and why. The card is then ready for Continue.
func (t *Transaction) Select(ctx context.Context) (*Selection, error) {
	if err := t.step(ctx, PhaseSelection); err != nil {
		return nil, err
	}
	s := t.sel
	return &s, nil
}

// Initiate performs GET PROCESSING OPTIONS.
func (t *Transaction) Initiate(ctx context.Context) error { return t.step(ctx, PhaseInitiation) }

// ReadRecords reads the application data the AFL lists.
func (t *Transaction) ReadRecords(ctx context.Context) error { return t.step(ctx, PhaseReadRecords) }

// Authenticate performs offline data authentication (for CDA, the key
// retrieval; the signature is checked at GENERATE AC).
func (t *Transaction) Authenticate(ctx context.Context) error { return t.step(ctx, PhaseODA) }

// CheckRestrictions performs processing restrictions.
func (t *Transaction) CheckRestrictions(ctx context.Context) error {
	return t.step(ctx, PhaseRestrictions)
}

// VerifyCardholder performs cardholder verification.
func (t *Transaction) VerifyCardholder(ctx context.Context) error { return t.step(ctx, PhaseCVM) }

// ManageRisk performs terminal risk management.
func (t *Transaction) ManageRisk(ctx context.Context) error {
	return t.step(ctx, PhaseRiskManagement)
}

// AnalyseActions performs terminal action analysis and the first GENERATE
// AC (card action analysis).
func (t *Transaction) AnalyseActions(ctx context.Context) error {
	return t.step(ctx, PhaseActionAnalysis)
}

// GoOnline performs online authorisation and issuer authentication when
// the card asked for it.
func (t *Transaction) GoOnline(ctx context.Context) error { return t.step(ctx, PhaseOnline) }

// Complete processes issuer scripts and the second GENERATE AC.
func (t *Transaction) Complete(ctx context.Context) error { return t.step(ctx, PhaseCompletion) }

// Phase returns the last phase reached.
func (t *Transaction) Phase() Phase {
	if t.err != nil {
		var te *TerminatedError
		if errors.As(t.err, &te) {
			return te.Phase
		}
	}
	return t.next - 1
}

// step runs phase p if it is the next one. A phase that fails terminates
// the transaction; the error sticks and every later call returns it.
func (t *Transaction) step(ctx context.Context, p Phase) error {
	if t.err != nil {
		return t.err
	}
	if p != t.next {
		return fmt.Errorf("%w: %s called, %s is next", ErrPhaseOrder, p, t.next)
	}
	if err := ctx.Err(); err != nil {
		t.fail(p, 0, err)
		return t.err
	}
	if err := phases[p](t, ctx); err != nil {
		var te *TerminatedError
		if errors.As(err, &te) {
			t.err = te
		} else {
			t.fail(p, swOf(err), err)
		}
		t.afterError()
		return t.err
	}
	t.next = p + 1
	return nil
}

// fail records the termination of the transaction in phase p.
func (t *Transaction) fail(p Phase, sw apdu.StatusWord, cause error) {
	t.err = terminated(p, sw, cause)
	t.result = ResultTerminated
	t.reason = cause.Error()
}

// afterError settles what a termination owes: a reversal when the issuer
// may have approved online and the card did not end with a TC.
func (t *Transaction) afterError() {
	t.result = ResultTerminated
	var te *TerminatedError
	if errors.As(t.err, &te) {
		t.reason = te.Cause.Error()
	}
	if t.online.sent && !t.online.unsent && (t.online.approved || t.online.unknown) &&
		!(t.ac2.done && t.ac2.cid.Type() == emv.CryptogramTC) {
		t.reversal = true
	}
}

// swOf returns the status word an error carries, 0 when none.
func swOf(err error) apdu.StatusWord {
	var sw apdu.StatusWord
	if errors.As(err, &sw) {
		return sw
	}
	return 0
}

// transmit sends one command and splits the response into data and status
// word. Transport errors and responses shorter than a status word are
// errors; a status word is not.
func (t *Transaction) transmit(ctx context.Context, c apdu.Command) ([]byte, apdu.StatusWord, error) {
	b, err := c.AppendTo(t.cmd[:0])
	if err != nil {
		return nil, 0, err
	}
	if cap(b) != cap(t.cmd) { // grown (an extended command): keep the larger buffer
		t.cmd = b[:0]
	}
	t.apdus++
	resp, err := t.card.Transmit(ctx, b)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", apdu.CommandName(c.CLA, c.INS), err)
	}
	if len(resp) < 2 {
		return nil, 0, fmt.Errorf("%s: %w: %d bytes", apdu.CommandName(c.CLA, c.INS), apdu.ErrMalformedResponse, len(resp))
	}
	n := len(resp) - 2
	return resp[:n:n], apdu.StatusWord(uint16(resp[n])<<8 | uint16(resp[n+1])), nil
}

// random fills b from the configured random source.
func (t *Transaction) random(b []byte) error {
	if _, err := io.ReadFull(t.rand, b); err != nil {
		return fmt.Errorf("kernel: reading the random source: %w", err)
	}
	return nil
}
