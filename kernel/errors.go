package kernel

import (
	"errors"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
)

// Phase names a step of the transaction, in the order Book 3 §10 runs them.
type Phase int

// The phases of a contact transaction. A [TerminatedError] and the
// [Outcome] say which one was reached.
const (
	PhaseNone           Phase = iota // nothing has run yet
	PhaseSelection                   // application selection (Book 1 §12)
	PhaseInitiation                  // initiate application processing: GET PROCESSING OPTIONS
	PhaseReadRecords                 // read application data
	PhaseODA                         // offline data authentication
	PhaseRestrictions                // processing restrictions
	PhaseCVM                         // cardholder verification
	PhaseRiskManagement              // terminal risk management
	PhaseActionAnalysis              // terminal and card action analysis: first GENERATE AC
	PhaseOnline                      // online processing and issuer authentication
	PhaseCompletion                  // issuer scripts and the second GENERATE AC
	phaseCount
)

var phaseNames = [...]string{
	PhaseNone:           "none",
	PhaseSelection:      "selection",
	PhaseInitiation:     "initiation",
	PhaseReadRecords:    "read-records",
	PhaseODA:            "oda",
	PhaseRestrictions:   "restrictions",
	PhaseCVM:            "cvm",
	PhaseRiskManagement: "risk-management",
	PhaseActionAnalysis: "action-analysis",
	PhaseOnline:         "online",
	PhaseCompletion:     "completion",
}

// String returns the phase's name as the JSON output of `yixin pay`
// writes it, e.g. "read-records".
func (p Phase) String() string {
	if p >= 0 && int(p) < len(phaseNames) {
		return phaseNames[p]
	}
	return fmt.Sprintf("phase(%d)", int(p))
}

// MarshalText implements encoding.TextMarshaler.
func (p Phase) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// TerminatedError is the error of a terminated transaction: the phase in
// which it stopped, the status word of the card's last response when a
// status word caused it (0 otherwise), and the cause. The causes are the
// sentinels of this package (errors.Is), an apdu.StatusWord, a transport or
// context error, or a parser's error from package emv.
//
// Failures that EMV records in the TVR (a failed ODA, an expired
// application, a wrong PIN) are not errors: the transaction goes on.
type TerminatedError struct {
	Phase Phase
	SW    apdu.StatusWord
	Cause error
}

// Error says where and why the transaction stopped.
func (e *TerminatedError) Error() string {
	if e.SW != 0 && !errors.Is(e.Cause, e.SW) {
		return fmt.Sprintf("kernel: transaction terminated in %s (SW %s): %v", e.Phase, e.SW, e.Cause)
	}
	return fmt.Sprintf("kernel: transaction terminated in %s: %v", e.Phase, e.Cause)
}

// Unwrap returns the cause.
func (e *TerminatedError) Unwrap() error { return e.Cause }

// Causes of termination. A TerminatedError wraps one of these, a status
// word, or the error of the transport.
var (
	// ErrNotAccepted: no application of the card is supported by the
	// terminal, or every candidate was refused, removed or declined by the
	// cardholder (Book 4 message "NOT ACCEPTED").
	ErrNotAccepted = errors.New("no mutually supported application (not accepted)")
	// ErrCardBlocked: the card answered 6A81 to SELECT (Book 1 §12.3).
	ErrCardBlocked = errors.New("card blocked or SELECT not supported (6A81)")
	// ErrCardData: the card's data breaks Book 3 (a malformed response,
	// a mandatory object missing, an object sent twice, a record that
	// is not a template 70).
	ErrCardData = errors.New("card data error")
	// ErrCardStatus: the card answered a status word that Book 3 treats
	// as fatal for that command.
	ErrCardStatus = errors.New("unexpected status word")
	// ErrServiceNotAllowed: the card answered GENERATE AC with a CID
	// that says "service not allowed", or a cryptogram it may not give.
	ErrServiceNotAllowed = errors.New("card refused the service")
	// ErrBrandMismatch: the application's brand (by its RID) differs from
	// the brand of the PAN's issuer identification number, or the DF name
	// of the final SELECT differs from the chosen AID — the card brand
	// mixup of Basin et al. (USENIX Security 2021).
	ErrBrandMismatch = errors.New("application brand does not match the PAN")
	// ErrNoCardholderInterface: the selection policy requires offering the
	// cardholder a choice but Config.Cardholder is nil.
	ErrNoCardholderInterface = errors.New("selection policy needs a cardholder interface")
	// ErrPhaseOrder: a phase method was called out of order or twice.
	ErrPhaseOrder = errors.New("phase called out of order")
	// ErrConfig: the configuration is unusable.
	ErrConfig = errors.New("invalid configuration")
)

// Errors an integrator's interfaces return to say what happened.
var (
	// ErrPINBypassed: the cardholder or attendant bypassed PIN entry
	// (TVR "PIN entry required, PIN pad present, but PIN was not entered").
	ErrPINBypassed = errors.New("PIN entry bypassed")
	// ErrPINPadUnavailable: the PIN pad is absent or out of order (TVR "PIN
	// entry required and PIN pad not present or not working").
	ErrPINPadUnavailable = errors.New("PIN pad not present or not working")
	// ErrHostUnavailable: the authorisation request could not be sent —
	// "unable to go online". No reversal is owed. Any other error from
	// Host.Authorize means the request may have reached the issuer, so a
	// reversal is owed.
	ErrHostUnavailable = errors.New("unable to go online")
)

// terminated builds the TerminatedError of phase p.
func terminated(p Phase, sw apdu.StatusWord, cause error) *TerminatedError {
	return &TerminatedError{Phase: p, SW: sw, Cause: cause}
}

// cardDataError wraps ErrCardData with what is wrong.
func cardDataError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCardData, fmt.Sprintf(format, args...))
}
