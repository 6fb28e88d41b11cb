package kerneltest

import (
	"context"
	"fmt"
	"sync"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// Exchange is one command the terminal sent and what came back, as the
// terminal saw it (after any misbehaviour). Command data is kept only for
// commands that carry no secret (SELECT, GET PROCESSING OPTIONS, READ
// RECORD, GET DATA, INTERNAL and EXTERNAL AUTHENTICATE, GENERATE AC).
type Exchange struct {
	Position int     `json:"position"`
	Name     string  `json:"name"`
	Header   [4]byte `json:"-"`
	Data     []byte  `json:"-"`
	// SW is the status word, 0 when the exchange failed (Err).
	SW  uint16 `json:"sw"`
	Err string `json:"error,omitempty"`
	// CID is the cryptogram type of a GENERATE AC response (ARQC, TC,
	// AAC), "" when the response carries none.
	CID string `json:"cid,omitempty"`
}

// String writes the exchange as a commands_in_order entry would match it.
func (x Exchange) String() string {
	if x.Err != "" {
		return fmt.Sprintf("%s (error: %s)", x.Name, x.Err)
	}
	return fmt.Sprintf("%s -> %04X", x.Name, x.SW)
}

// exchangeLog is a Transport that keeps an Exchange for every command.
type exchangeLog struct {
	next apdu.Transport
	mu   sync.Mutex
	xs   []Exchange
}

// insWithPublicData are the instructions whose command data may be kept.
var insWithPublicData = map[byte]bool{0xA4: true, 0xA8: true, 0xB2: true, 0xCA: true, 0x88: true, 0x82: true, 0xAE: true}

func (l *exchangeLog) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	x := Exchange{Name: "(short command)"}
	if len(cmd) >= 4 {
		copy(x.Header[:], cmd)
		x.Name = apdu.CommandName(cmd[0], cmd[1])
		if x.Name == "" {
			x.Name = fmt.Sprintf("INS %02X", cmd[1])
		}
		if c, err := apdu.ParseCommand(cmd); err == nil && insWithPublicData[cmd[1]] {
			x.Data = append([]byte(nil), c.Data...)
		}
	}
	rsp, err := l.next.Transmit(ctx, cmd)
	switch {
	case err != nil:
		x.Err = err.Error()
	case len(rsp) < 2:
		x.Err = fmt.Sprintf("response of %d bytes", len(rsp))
	default:
		n := len(rsp) - 2
		x.SW = uint16(rsp[n])<<8 | uint16(rsp[n+1])
		if len(cmd) >= 2 && cmd[1] == 0xAE && x.SW == 0x9000 {
			x.CID = cidOf(rsp[:n])
		}
	}
	l.mu.Lock()
	x.Position = len(l.xs) + 1
	l.xs = append(l.xs, x)
	l.mu.Unlock()
	return rsp, err
}

// exchanges returns a copy of the log.
func (l *exchangeLog) exchanges() []Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Exchange(nil), l.xs...)
}

// cidOf reads the cryptogram type of a GENERATE AC response: 9F27 in a
// format 2 template 77, the first byte of a format 1 template 80.
func cidOf(data []byte) string {
	var cid []byte
	if len(data) > 0 && data[0] == 0x80 {
		v, ok := emv.Find(data, 0x80)
		if !ok || len(v) == 0 {
			return ""
		}
		cid = v[:1]
	} else if v, ok := emv.Find(data, 0x9F27); ok && len(v) == 1 {
		cid = v
	} else {
		return ""
	}
	return emv.CID(cid[0]).Type().String()
}
