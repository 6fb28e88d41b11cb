package kernel

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/pin"
)

// PINPad collects the cardholder's PIN. Both methods return ErrPINBypassed
// when PIN entry is bypassed and ErrPINPadUnavailable when the pad does
// not work; any other error counts as "not working".
type PINPad interface {
	// OfflinePIN returns the PIN digits, which the kernel sends to the card
	// in VERIFY (in plaintext or enciphered with the card's key).
	OfflinePIN(ctx context.Context, req PINRequest) (string, error)
	// OnlinePIN returns the PIN block, enciphered under the acquirer's PIN
	// key, that goes to the issuer in the authorisation request.
	OnlinePIN(ctx context.Context, req PINRequest) ([]byte, error)
}

// PINRequest tells the PIN pad what to show.
type PINRequest struct {
	// Amount is the transaction amount, for display.
	Amount emv.Amount
	// PAN is the application PAN, for the online PIN block.
	PAN string
	// TriesLeft is the card's PIN try counter (9F17), -1 when unknown.
	TriesLeft int
	// Retry is set after a wrong PIN.
	Retry bool
}

// FixedPIN is a PINPad that always enters the same PIN, for tests,
// demonstrations and unattended test benches. Its online PIN block is an
// ISO 9564 format 4 block enciphered under Key (AES) when Key is set, else
// a clear format 0 block (a test host can read it; never use it with a
// real acquirer).
type FixedPIN struct {
	PIN string
	Key []byte
}

// OfflinePIN returns the PIN.
func (p FixedPIN) OfflinePIN(context.Context, PINRequest) (string, error) {
	if p.PIN == "" {
		return "", ErrPINBypassed
	}
	return p.PIN, nil
}

// OnlinePIN returns the PIN block for req.PAN.
func (p FixedPIN) OnlinePIN(_ context.Context, req PINRequest) ([]byte, error) {
	if p.PIN == "" {
		return nil, ErrPINBypassed
	}
	if p.Key != nil {
		return pin.EncipherFormat4(p.Key, p.PIN, req.PAN, nil)
	}
	return pin.Format0(p.PIN, req.PAN)
}

// Cardholder is the cardholder's side of application selection.
type Cardholder interface {
	// ChooseApplication shows the candidates in the order proposed (the
	// proposed one at index proposed) and returns the index chosen.
	ChooseApplication(ctx context.Context, candidates []Candidate, proposed int) (int, error)
	// ConfirmApplication asks the cardholder to confirm an application
	// whose Application Priority Indicator requires it (87 b8).
	ConfirmApplication(ctx context.Context, c Candidate) (bool, error)
}

// AcceptProposal is a Cardholder who takes whatever the terminal proposes
// and confirms every application: a stand-in for unattended test benches
// and demonstrations, where a real terminal would ask.
type AcceptProposal struct{}

// ChooseApplication returns proposed.
func (AcceptProposal) ChooseApplication(_ context.Context, _ []Candidate, proposed int) (int, error) {
	return proposed, nil
}

// ConfirmApplication returns true.
func (AcceptProposal) ConfirmApplication(context.Context, Candidate) (bool, error) { return true, nil }

// ChooseAID is a Cardholder who picks the candidate with the given AID (or
// the proposal when none has it) and confirms every application.
type ChooseAID []byte

// ChooseApplication returns the index of the candidate named by the AID.
func (a ChooseAID) ChooseApplication(_ context.Context, cs []Candidate, proposed int) (int, error) {
	for i, c := range cs {
		if string(c.AID) == string(a) {
			return i, nil
		}
	}
	return proposed, nil
}

// ConfirmApplication returns true.
func (ChooseAID) ConfirmApplication(context.Context, Candidate) (bool, error) { return true, nil }

// Host is the acquirer/issuer side of online authorisation.
type Host interface {
	// Authorize sends the authorisation request. It returns an error
	// wrapping ErrHostUnavailable when the request could not be sent;
	// any other error means the outcome is unknown (a reversal is owed).
	Authorize(ctx context.Context, req *AuthorizationRequest) (*AuthorizationResponse, error)
}

// HostFunc adapts a function to the Host interface.
type HostFunc func(ctx context.Context, req *AuthorizationRequest) (*AuthorizationResponse, error)

// Authorize calls f.
func (f HostFunc) Authorize(ctx context.Context, req *AuthorizationRequest) (*AuthorizationResponse, error) {
	return f(ctx, req)
}

// AuthorizationRequest is what the terminal sends online.
type AuthorizationRequest struct {
	// AID is the selected application's DF name.
	AID []byte
	// PAN and PANSequence identify the card (DE 2, DE 23).
	PAN         string
	PANSequence []byte
	// Track2 is the Track 2 Equivalent Data (57), nil if absent (DE 35).
	Track2 []byte
	// Amount and OtherAmount in the transaction currency (DE 4, DE 54).
	Amount      emv.Amount
	OtherAmount emv.Amount
	// Type is the transaction type (9C).
	Type byte
	// PINBlock is the enciphered online PIN block, nil without online PIN
	// (DE 52).
	PINBlock []byte
	// DE55 is the ICC data: the data record, TLV-encoded.
	DE55 []byte
}

// AuthorizationResponse is the issuer's answer.
type AuthorizationResponse struct {
	// Approved is the issuer's decision.
	Approved bool
	// ResponseCode is the Authorisation Response Code (8A) given to the
	// card, two an characters such as "00" or "05". Empty means "00"
	// when approved and "05" otherwise.
	ResponseCode string
	// IssuerAuthenticationData is 91, nil if absent.
	IssuerAuthenticationData []byte
	// Scripts holds the issuer script templates (71 and 72), TLV-encoded,
	// in the order received.
	Scripts []byte
}

// TransactionLog remembers approved transactions so that a split sale (one
// purchase paid in parts below the floor limit) is caught: Book 3 §10.6.1
// adds the amounts of the card's recent transactions to the current one.
type TransactionLog interface {
	// Total returns the sum, in minor units of the terminal currency, of
	// the logged transactions of this card.
	Total(pan string, psn []byte) int64
	// Add logs an approved transaction.
	Add(pan string, psn []byte, amount int64)
}

// MemoryLog is a TransactionLog in memory, safe for concurrent use. The
// zero value is ready; the merchant clears it at batch close.
type MemoryLog struct {
	mu     sync.Mutex
	totals map[string]int64
}

func logKey(pan string, psn []byte) string { return pan + "/" + fmt.Sprintf("%X", psn) }

// Total returns the logged total of the card.
func (l *MemoryLog) Total(pan string, psn []byte) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.totals[logKey(pan, psn)]
}

// Add logs amount for the card.
func (l *MemoryLog) Add(pan string, psn []byte, amount int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.totals == nil {
		l.totals = make(map[string]int64)
	}
	l.totals[logKey(pan, psn)] += amount
}

// Clear empties the log.
func (l *MemoryLog) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.totals = nil
}

// ExceptionFile is the terminal's hot list (Book 4 §6.3.5).
type ExceptionFile interface {
	// Listed reports whether the card is on the list.
	Listed(pan string, psn []byte) bool
}

// ExceptionList is an ExceptionFile held in memory: PANs, or PAN and PAN
// sequence number pairs written "PAN/PSN" with the PSN in hex.
type ExceptionList map[string]bool

// Listed reports whether the PAN, or the PAN with this sequence number,
// is on the list.
func (l ExceptionList) Listed(pan string, psn []byte) bool {
	return l[pan] || (psn != nil && l[logKey(pan, psn)])
}

// LoadExceptionList reads an exception file: one PAN per line, optionally
// followed by the PAN sequence number in hex; # starts a comment.
func LoadExceptionList(path string) (ExceptionList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	defer f.Close()
	l := ExceptionList{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if !isDigits(fs[0]) || len(fs[0]) > emv.MaxPANDigits || len(fs) > 2 {
			return nil, fmt.Errorf("%w: %s:%d: want a PAN and an optional PAN sequence number", ErrConfig, path, n)
		}
		if len(fs) == 2 {
			l[fs[0]+"/"+strings.ToUpper(fs[1])] = true
		} else {
			l[fs[0]] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrConfig, path, err)
	}
	return l, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
