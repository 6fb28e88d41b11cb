package pcsc

import (
	"errors"
	"testing"
)

// errCode stands for a PC/SC library error in builds without scard.
type errCode string

func (e errCode) Error() string { return string(e) }

func TestErrorText(t *testing.T) {
	cause := errCode("scard: Card was removed.")
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"advice and reader", &Error{Op: "transmit", Reader: "Virtual PCD 00 00", Kind: ErrCardRemoved, Advice: "card was removed: insert it and retry", Err: cause},
			`apdu/pcsc: transmit on "Virtual PCD 00 00": card was removed: insert it and retry (scard: Card was removed.)`},
		{"no reader, no advice", &Error{Op: "list readers", Err: cause},
			`apdu/pcsc: list readers: scard: Card was removed.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q\nwant      %q", got, tt.want)
			}
			if !errors.Is(tt.err, cause) {
				t.Error("errors.Is(err, cause) = false")
			}
			if tt.err.Kind != nil && !errors.Is(tt.err, tt.err.Kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.err.Kind)
			}
			if errors.Is(tt.err, ErrNoService) {
				t.Error("errors.Is(err, ErrNoService) = true for another kind")
			}
			var code errCode
			if !errors.As(tt.err, &code) || code != cause {
				t.Errorf("errors.As did not find the cause %q", cause)
			}
		})
	}
}

func TestProtocolString(t *testing.T) {
	for p, want := range map[Protocol]string{Any: "any", T0: "T=0", T1: "T=1", 9: "Protocol(9)"} {
		if got := p.String(); got != want {
			t.Errorf("Protocol(%d).String() = %q, want %q", p, got, want)
		}
	}
}
