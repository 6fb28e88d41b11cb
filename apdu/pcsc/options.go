package pcsc

import "strconv"

// Protocol is a transmission protocol between reader and card.
type Protocol uint8

// The protocols. The zero value, Any, lets the reader choose from what the
// card's ATR offers.
const (
	Any Protocol = iota // T=0 or T=1, the reader's choice
	T0                  // T=0: byte-oriented; case 4 commands answer 61xx
	T1                  // T=1: block-oriented
)

// String returns "any", "T=0" or "T=1".
func (p Protocol) String() string {
	switch p {
	case Any:
		return "any"
	case T0:
		return "T=0"
	case T1:
		return "T=1"
	}
	return "Protocol(" + strconv.Itoa(int(p)) + ")"
}

// Options says how to open a card.
type Options struct {
	// Protocol to use; Any (the zero value) accepts T=0 and T=1.
	Protocol Protocol
	// Shared lets other programs use the card at the same time. The default
	// is exclusive access, which a payment transaction normally wants: no
	// other program can select another application in the middle of it.
	Shared bool
}
