//go:build pcsc

package pcsc

import (
	"errors"

	"github.com/ebfe/scard"
)

// Advice texts used in more than one place.
const (
	adviceNoService = "pcscd is not running: start it (e.g. pcscd -f &, or as root: bash scripts/pcsc-up.sh) and retry"
	adviceRemoved   = "card was removed: insert it and retry (then call Reconnect)"
	adviceReconnect = "card is disconnected: call Reconnect"
)

// errDisconnected is the cause when Transmit finds no handle (a Reconnect
// that failed left the Card without one).
var errDisconnected = errors.New("no card handle")

// explanation is what a PC/SC error code means to the user.
type explanation struct {
	kind   error
	advice string
}

// explanations maps the PC/SC errors a user meets to what to do about them
// (texts as pcsc-lite prints them are in shared/design/PCSC.md). Codes not
// listed keep pcsc-lite's own text and no Kind.
var explanations = map[scard.Error]explanation{
	scard.ErrNoService:          {ErrNoService, adviceNoService},
	scard.ErrServiceStopped:     {ErrNoService, "pcscd stopped: start it again (e.g. pcscd -f &) and retry"},
	scard.ErrNoReadersAvailable: {ErrNoReader, "no smart card reader found: plug one in, or install vsmartcard-vpcd for a virtual one (bash scripts/pcsc-up.sh)"},
	scard.ErrUnknownReader:      {ErrNoReader, "no reader by that name: list the readers (ListReaders, or pcsc_scan) and use one of those names"},
	scard.ErrReaderUnavailable:  {ErrNoReader, "the reader is not available: unplug it, plug it in again and retry"},
	scard.ErrNoSmartcard:        {ErrNoCard, "no card in the reader: insert one and retry"},
	scard.ErrRemovedCard:        {ErrCardRemoved, adviceRemoved},
	scard.ErrResetCard:          {ErrCardReset, "card was reset by another program: call Reconnect, then select the application again"},
	scard.ErrSharingViolation:   {ErrReaderBusy, "another program is using the card: close it (pcsc_scan, a browser with a smart card extension…), or open the card shared"},
	scard.ErrUnresponsiveCard:   {ErrCardMute, "the card does not answer its reset: check that it is inserted chip first and the right way up, or try another card"},
	scard.ErrUnpoweredCard:      {ErrCardMute, "the card is not powered: call Reconnect"},
	scard.ErrUnsupportedCard:    {ErrCardMute, "the reader cannot use this card (its ATR is not supported)"},
	scard.ErrCardUnsupported:    {ErrCardMute, "the reader cannot use this card (its ATR is not supported)"},
	scard.ErrProtoMismatch:      {ErrProtocolMismatch, "the card does not offer the protocol asked for: open it with Protocol Any"},
	scard.ErrNotTransacted:      {nil, "the exchange with the card failed: check that the card is still inserted, Reconnect and retry"},
	scard.ErrCommError:          {nil, "communication with the reader failed: check its cable, Reconnect and retry"},
	scard.ErrTimeout:            {nil, "the reader timed out"},
}

// translate wraps a PC/SC error in an *Error that says what to do.
func translate(op, reader string, err error) error {
	e := &Error{Op: op, Reader: reader, Err: err}
	var code scard.Error
	if errors.As(err, &code) {
		if x, ok := explanations[code]; ok {
			e.Kind, e.Advice = x.kind, x.advice
		}
	}
	return e
}

// isRemoval reports whether err says the card is gone.
func isRemoval(err error) bool {
	return errors.Is(err, scard.ErrRemovedCard) || errors.Is(err, scard.ErrNoSmartcard)
}
