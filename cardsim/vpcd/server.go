package vpcd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"syscall"
	"time"

	"github.com/yixin-emv/yixin/apdu"
)

// DefaultAddr is where Debian's vsmartcard-vpcd waits for the card of its
// first reader, "Virtual PCD 00 00" (the second, "Virtual PCD 00 01",
// listens on port 35964).
const DefaultAddr = "127.0.0.1:35963"

// Control bytes: a 1-byte payload from vpcd.
const (
	ctrlPowerOff = 0x00
	ctrlPowerOn  = 0x01
	ctrlReset    = 0x02
	ctrlATR      = 0x04
)

// Delays of Serve: between two attempts to reach vpcd, and between the end
// of a connection and the next (see Server.ReinsertDelay).
const (
	minBackoff           = 50 * time.Millisecond
	defaultMaxBackoff    = time.Second
	defaultReinsertDelay = time.Second
)

// swNoDiagnosis (6F00, "no precise diagnosis") is what the server answers
// in the card's place when the card's response cannot go on the wire.
var swNoDiagnosis = [2]byte{0x6F, 0x00}

// The two ATRs of shared/design/PCSC.md: pcscd negotiates T=1 with the
// first (TD1=80, TD2=01: T=1; TCK present) and T=0 with the second.
var (
	atrT1 = []byte{0x3B, 0x88, 0x80, 0x01, 0x00, 0x73, 0xC8, 0x40, 0x00, 0x00, 0x90, 0x00, 0x62}
	atrT0 = []byte{0x3B, 0x02, 0x14, 0x50}
)

// DefaultATR returns a copy of the ATR the server sends when Server.ATR is
// nil: 3B 88 80 01 00 73 C8 40 00 00 90 00 62, which makes pcscd use T=1.
func DefaultATR() []byte { return slices.Clone(atrT1) }

// T0ATR returns a copy of an ATR that makes pcscd use T=0: 3B 02 14 50.
func T0ATR() []byte { return slices.Clone(atrT0) }

// Configuration errors returned by Serve and ServeConn before any I/O, and
// the error that ends a connection when the card fails.
var (
	// ErrNoCard: Server.Card is nil.
	ErrNoCard = errors.New("vpcd: Server.Card is nil: give the server a card to serve")
	// ErrBadATR: Server.ATR is not 2 to 33 bytes starting with TS 3B or 3F.
	ErrBadATR = errors.New("vpcd: bad ATR")
	// ErrCardFailed: the card's Transmit returned an error. The server
	// drops the connection, which pcscd reports as a removed card.
	ErrCardFailed = errors.New("vpcd: the card failed to answer")
)

// Resetter is implemented by a card that keeps volatile state which a real
// card loses when its power is cut or it is reset: the selected
// application, a transaction in progress, session keys, a GET CHALLENGE
// number. The server calls Reset when vpcd powers the card off (00), powers
// it on (01) or resets it (02) — pcscd powers the card on each time it is
// inserted — from the goroutine that calls Transmit, never concurrently
// with it. Reset must not touch what a card keeps in non-volatile memory
// (ATC, PIN try counter).
type Resetter interface {
	Reset()
}

// Server puts a card (any apdu.Transport) behind pcscd as the card in a
// vsmartcard-vpcd reader. It dials vpcd, which listens; see the package
// documentation for the protocol. The zero value is not usable: set Card.
// Do not change the fields while Serve runs.
type Server struct {
	// Addr is vpcd's address; "" means DefaultAddr.
	Addr string
	// Card answers the command APDUs. If it also implements Resetter, it
	// is told about power cycles and resets.
	Card apdu.Transport
	// ATR is the Answer To Reset sent for control byte 04; nil means
	// DefaultATR (T=1).
	ATR []byte
	// Logf, when set, receives one line per event: connections, removals,
	// protocol errors, card failures. APDU contents are never logged (they
	// may hold PIN blocks and keys); only INS bytes and lengths are.
	Logf func(format string, args ...any)
	// MaxBackoff caps the wait between two attempts to reach vpcd; 0 means
	// one second.
	MaxBackoff time.Duration
	// ReinsertDelay is how long the card stays out of the reader after a
	// connection ends, before Serve connects again; 0 means one second.
	// pcscd sees a removal only if one of its polls (every 400 ms) finds
	// no card: a card that comes back sooner leaves pcscd believing the
	// old card is still there, in a state no program can use until the
	// next real removal. Whoever stops one Server and starts another on
	// the same reader must wait as long.
	ReinsertDelay time.Duration
}

// Serve connects to vpcd and serves the card until ctx is done, then
// returns ctx.Err(). While vpcd is not listening (pcscd not started yet,
// or restarting) it retries with a growing delay, up to MaxBackoff. When a
// connection ends — vpcd went away, a malformed frame, the card failed —
// the card counts as removed: Serve logs why, waits ReinsertDelay and
// connects again, which pcscd sees as a new insertion. It returns earlier
// only for a configuration error (ErrNoCard, ErrBadATR).
func (s *Server) Serve(ctx context.Context) error {
	if err := s.check(); err != nil {
		return err
	}
	var d net.Dialer
	backoff := minBackoff
	unreachable := false
	for {
		conn, err := d.DialContext(ctx, "tcp", s.addr())
		switch {
		case ctx.Err() != nil:
			if err == nil {
				conn.Close()
			}
			return ctx.Err()
		case err != nil:
			if !unreachable {
				s.logf("vpcd: cannot reach vpcd at %s: %v: retrying until it listens (is pcscd running with vsmartcard-vpcd? scripts/pcsc-up.sh starts it)", s.addr(), err)
			}
			unreachable = true
		default:
			unreachable = false
			if s.insert(ctx, conn) {
				backoff = minBackoff
			}
			if err := sleep(ctx, s.reinsertDelay()); err != nil {
				return err
			}
		}
		if err := sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, s.maxBackoff())
	}
}

// insert serves one connection — one insertion of the card — closes it,
// and reports whether anything was exchanged over it.
func (s *Server) insert(ctx context.Context, conn net.Conn) bool {
	defer conn.Close()
	s.logf("vpcd: card inserted: connected to vpcd at %s", s.addr())
	served, err := s.serveConn(ctx, conn)
	if ctx.Err() == nil {
		s.logRemoval(err)
	}
	return served
}

// ServeConn serves the card over one established connection to vpcd until
// vpcd closes it (it then returns nil), ctx is done (ctx.Err()), or the
// connection breaks: a *FrameError, ErrUnknownControl, ErrCardFailed or an
// I/O error. It does not close conn, but when ctx is done it sets conn's
// deadline in the past to stop a blocked read. Serve calls it for each
// connection; call it yourself to serve a connection you made.
func (s *Server) ServeConn(ctx context.Context, conn net.Conn) error {
	if err := s.check(); err != nil {
		return err
	}
	_, err := s.serveConn(ctx, conn)
	return err
}

// serveConn is ServeConn without the configuration check; served reports
// whether at least one frame was answered or acted upon.
func (s *Server) serveConn(ctx context.Context, conn net.Conn) (served bool, err error) {
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	sess := newSession(s, conn)
	for {
		payload, err := readFrame(sess.r, sess.rbuf)
		if err == nil {
			sess.rbuf = payload[:cap(payload)]
			err = sess.handle(ctx, payload)
		}
		switch {
		case ctx.Err() != nil:
			return served, ctx.Err()
		case err == io.EOF:
			return served, nil
		case err != nil:
			return served, err
		}
		served = true
	}
}

func (s *Server) check() error {
	if s.Card == nil {
		return ErrNoCard
	}
	if s.ATR != nil {
		return checkATR(s.ATR)
	}
	return nil
}

// checkATR accepts what ISO/IEC 7816-3 allows in size: TS plus at most 32
// bytes, with TS 3B (direct) or 3F (inverse convention). pcscd parses the
// rest and refuses a card whose ATR it cannot use.
func checkATR(atr []byte) error {
	if len(atr) < 2 || len(atr) > 33 {
		return fmt.Errorf("%w: %d bytes, want 2 to 33", ErrBadATR, len(atr))
	}
	if atr[0] != 0x3B && atr[0] != 0x3F {
		return fmt.Errorf("%w: TS is %02X, want 3B or 3F", ErrBadATR, atr[0])
	}
	return nil
}

func (s *Server) addr() string {
	if s.Addr == "" {
		return DefaultAddr
	}
	return s.Addr
}

func (s *Server) atr() []byte {
	if s.ATR == nil {
		return atrT1
	}
	return s.ATR
}

func (s *Server) maxBackoff() time.Duration {
	if s.MaxBackoff <= 0 {
		return defaultMaxBackoff
	}
	return max(s.MaxBackoff, minBackoff)
}

func (s *Server) reinsertDelay() time.Duration {
	if s.ReinsertDelay <= 0 {
		return defaultReinsertDelay
	}
	return s.ReinsertDelay
}

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

func (s *Server) logRemoval(err error) {
	if err == nil {
		s.logf("vpcd: card removed: vpcd closed the connection")
		return
	}
	s.logf("vpcd: card removed: %v", err)
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// session is the state of one connection: buffers reused from frame to
// frame, and the socket on which to set TCP_QUICKACK.
type session struct {
	s    *Server
	conn net.Conn
	r    *ackReader
	rbuf []byte
	wbuf []byte
}

func newSession(s *Server, conn net.Conn) *session {
	r := &ackReader{conn: conn, logf: s.logf}
	if sc, ok := conn.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			r.raw = raw
		}
	}
	return &session{s: s, conn: conn, r: r, rbuf: make([]byte, 0, 512), wbuf: make([]byte, 0, 512)}
}

// handle acts on one payload from vpcd and writes the reply, if any.
func (c *session) handle(ctx context.Context, p []byte) error {
	if len(p) == 1 {
		return c.control(p[0])
	}
	rsp, err := c.s.Card.Transmit(ctx, p)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.s.logf("vpcd: card failed on INS %02X (%d-byte command): %v: dropping the connection (pcscd will see a removal)", p[1], len(p), err)
		return fmt.Errorf("%w: INS %02X: %w", ErrCardFailed, p[1], err)
	}
	if len(rsp) < 2 || len(rsp) > MaxPayload {
		c.s.logf("vpcd: card answered INS %02X with %d bytes, which vpcd cannot carry as a response (2 to %d bytes): sending 6F00", p[1], len(rsp), MaxPayload)
		rsp = swNoDiagnosis[:]
	}
	return c.reply(rsp)
}

// control acts on a control byte: only 04 (get ATR) has a reply.
func (c *session) control(b byte) error {
	switch b {
	case ctrlPowerOff, ctrlPowerOn, ctrlReset:
		if r, ok := c.s.Card.(Resetter); ok {
			r.Reset()
		}
		return nil
	case ctrlATR:
		return c.reply(c.s.atr())
	default:
		return fmt.Errorf("%w %02X", ErrUnknownControl, b)
	}
}

// reply writes one frame in a single Write: a header sent apart would wait
// for an ACK on the other side (see quickAck).
func (c *session) reply(payload []byte) error {
	var err error
	c.wbuf, err = appendFrame(c.wbuf[:0], payload)
	if err != nil {
		return err
	}
	if _, err := c.conn.Write(c.wbuf); err != nil {
		return fmt.Errorf("vpcd: writing a %d-byte reply: %w", len(payload), err)
	}
	return nil
}

// ackReader reads from the connection and sets TCP_QUICKACK after every
// read (where the connection is a socket).
type ackReader struct {
	conn   net.Conn
	raw    syscall.RawConn
	logf   func(string, ...any)
	failed bool
}

func (r *ackReader) Read(p []byte) (int, error) {
	n, err := r.conn.Read(p)
	if r.raw != nil && !r.failed {
		if aerr := quickAck(r.raw); aerr != nil {
			r.failed = true
			r.logf("vpcd: cannot set TCP_QUICKACK (%v): APDUs may wait ~40 ms for delayed ACKs", aerr)
		}
	}
	return n, err
}
