//go:build pcsc

package pcsc

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ebfe/scard"
	"github.com/yixin-emv/yixin/apdu"
)

var _ apdu.Transport = (*Card)(nil)

// The errors of shared/design/PCSC.md ("Error texts a user will meet")
// come out as the sentinel the user can test for and a text that says what
// to do.
func TestTranslate(t *testing.T) {
	tests := []struct {
		code   scard.Error
		kind   error
		advice string
	}{
		{scard.ErrNoService, ErrNoService, "pcscd is not running: start it"},
		{scard.ErrServiceStopped, ErrNoService, "start it again"},
		{scard.ErrNoReadersAvailable, ErrNoReader, "plug one in"},
		{scard.ErrUnknownReader, ErrNoReader, "use one of those names"},
		{scard.ErrNoSmartcard, ErrNoCard, "insert one"},
		{scard.ErrRemovedCard, ErrCardRemoved, "card was removed: insert it and retry"},
		{scard.ErrResetCard, ErrCardReset, "call Reconnect"},
		{scard.ErrSharingViolation, ErrReaderBusy, "another program"},
		{scard.ErrUnresponsiveCard, ErrCardMute, "does not answer"},
		{scard.ErrProtoMismatch, ErrProtocolMismatch, "Protocol Any"},
		{scard.ErrNotTransacted, nil, "still inserted"},
		{scard.ErrInternalError, nil, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%#x", uint32(tt.code)), func(t *testing.T) {
			err := translate("transmit", "Reader 0", tt.code)
			if !errors.Is(err, tt.code) {
				t.Errorf("%v does not wrap %#x", err, uint32(tt.code))
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("%v: want kind %v", err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Op != "transmit" || e.Reader != "Reader 0" {
				t.Fatalf("translate = %#v", err)
			}
			if !strings.Contains(err.Error(), tt.advice) {
				t.Errorf("%q lacks %q", err, tt.advice)
			}
		})
	}
}

// Every sentinel is reachable from some PC/SC code.
func TestEveryKindHasACode(t *testing.T) {
	reached := map[error]bool{}
	for _, x := range explanations {
		reached[x.kind] = true
	}
	for _, k := range []error{ErrNoService, ErrNoReader, ErrNoCard, ErrCardRemoved, ErrCardReset, ErrReaderBusy, ErrCardMute, ErrProtocolMismatch} {
		if !reached[k] {
			t.Errorf("no PC/SC code translates to %v", k)
		}
	}
}
