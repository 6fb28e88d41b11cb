package kerneltest

import (
	"errors"

	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/kernel"
)

// errorNames are the names expect.error may give a termination's cause.
var errorNames = []struct {
	name string
	err  error
}{
	{"not-accepted", kernel.ErrNotAccepted},
	{"card-blocked", kernel.ErrCardBlocked},
	{"card-data", kernel.ErrCardData},
	{"card-status", kernel.ErrCardStatus},
	{"service-not-allowed", kernel.ErrServiceNotAllowed},
	{"brand-mismatch", kernel.ErrBrandMismatch},
	{"no-cardholder-interface", kernel.ErrNoCardholderInterface},
	{"pin-bypassed", kernel.ErrPINBypassed},
	{"pin-pad-unavailable", kernel.ErrPINPadUnavailable},
	{"host-unavailable", kernel.ErrHostUnavailable},
	{"card-removed", attack.ErrCardRemoved},
	{"injected", attack.ErrInjected},
	{"no-answer", attack.ErrNoAnswer},
}

func knownError(name string) bool {
	for _, e := range errorNames {
		if e.name == name {
			return true
		}
	}
	return false
}

// errorName names err by the first entry of errorNames it wraps, "" when
// none.
func errorName(err error) string {
	for _, e := range errorNames {
		if errors.Is(err, e.err) {
			return e.name
		}
	}
	return ""
}

// errorMatches reports whether err wraps the error of that name.
func errorMatches(err error, name string) bool {
	for _, e := range errorNames {
		if e.name == name {
			return errors.Is(err, e.err)
		}
	}
	return false
}
