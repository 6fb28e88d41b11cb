package vpcd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
)

// testCard answers every command with the function respond and counts the
// power cycles and resets it is told about (it implements Resetter).
type testCard struct {
	respond func(cmd []byte) ([]byte, error)
	resets  atomic.Int32
	mu      sync.Mutex
	got     [][]byte // commands received, copied
}

func (c *testCard) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	c.mu.Lock()
	c.got = append(c.got, bytes.Clone(cmd))
	c.mu.Unlock()
	return c.respond(cmd)
}

func (c *testCard) Reset() { c.resets.Add(1) }

func (c *testCard) commands() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got
}

// echoCard answers data 9000 where data is the command with its first byte
// changed, so a test sees that the command arrived whole.
func echoCard() *testCard {
	return &testCard{respond: func(cmd []byte) ([]byte, error) {
		rsp := append([]byte{0xEE}, cmd[1:]...)
		return append(rsp, 0x90, 0x00), nil
	}}
}

// vpcdSide plays vpcd: it listens, accepts the server's connection and
// exchanges frames with it.
type vpcdSide struct {
	t    testing.TB
	ln   net.Listener
	conn net.Conn
}

func newVPCDSide(t testing.TB) *vpcdSide {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return &vpcdSide{t: t, ln: ln}
}

// accept waits (bounded) for the server to connect.
func (v *vpcdSide) accept() {
	v.t.Helper()
	v.ln.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
	conn, err := v.ln.Accept()
	if err != nil {
		v.t.Fatalf("the server did not connect: %v", err)
	}
	v.t.Cleanup(func() { conn.Close() })
	v.conn = conn
}

func (v *vpcdSide) sendRaw(b []byte) {
	v.t.Helper()
	v.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := v.conn.Write(b); err != nil {
		v.t.Fatalf("vpcd side: write: %v", err)
	}
}

func (v *vpcdSide) send(payload ...byte) {
	v.t.Helper()
	frame, err := appendFrame(nil, payload)
	if err != nil {
		v.t.Fatal(err)
	}
	v.sendRaw(frame)
}

func (v *vpcdSide) recv() []byte {
	v.t.Helper()
	v.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	p, err := readFrame(v.conn, nil)
	if err != nil {
		v.t.Fatalf("vpcd side: reading a reply: %v", err)
	}
	return p
}

// expectClosed checks that the server dropped the connection.
func (v *vpcdSide) expectClosed() {
	v.t.Helper()
	v.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := v.conn.Read(make([]byte, 16)); err != io.EOF {
		v.t.Fatalf("vpcd side: read %d bytes, %v; want the server to close the connection", n, err)
	}
}

// logBuffer collects Server.Logf lines.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuffer) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logBuffer) waitFor(t *testing.T, substr string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		l.mu.Lock()
		text := strings.Join(l.lines, "\n")
		l.mu.Unlock()
		if strings.Contains(text, substr) {
			return
		}
	}
	t.Fatalf("no log line contains %q; log:\n%s", substr, strings.Join(l.lines, "\n"))
}

// running is a Serve call in a goroutine.
type running struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

// stop cancels Serve and checks (bounded) that it returns want.
func (r *running) stop(t testing.TB, want error) {
	t.Helper()
	r.cancel()
	select {
	case <-r.done:
		if !errors.Is(r.err, want) {
			t.Fatalf("Serve returned %v, want %v", r.err, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return within 5 s")
	}
}

func start(s *Server) *running {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = s.Serve(ctx)
	}()
	return r
}

// serve runs s.Serve against a fresh vpcd side until the test ends.
func serve(t testing.TB, s *Server) (*vpcdSide, *logBuffer, *running) {
	t.Helper()
	v := newVPCDSide(t)
	logs := &logBuffer{}
	s.Addr = v.ln.Addr().String()
	s.Logf = logs.logf
	if s.ReinsertDelay == 0 {
		s.ReinsertDelay = 10 * time.Millisecond
	}
	r := start(s)
	t.Cleanup(func() { r.stop(t, context.Canceled) })
	v.accept()
	return v, logs, r
}

// pcscd's opening sequence (04 01 04, PCSC.md), then an APDU.
func TestServeInsertionSequence(t *testing.T) {
	card := echoCard()
	v, _, _ := serve(t, &Server{Card: card})
	v.send(ctrlATR)
	if got := v.recv(); !bytes.Equal(got, DefaultATR()) {
		t.Fatalf("ATR = % X, want % X", got, DefaultATR())
	}
	v.send(ctrlPowerOn)
	v.send(ctrlATR)
	if got := v.recv(); !bytes.Equal(got, DefaultATR()) {
		t.Fatalf("ATR after power on = % X (a control byte must not be answered)", got)
	}
	cmd := []byte{0x00, 0xA4, 0x04, 0x00, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x25, 0x01, 0x08, 0x00}
	v.send(cmd...)
	want := append(append([]byte{0xEE}, cmd[1:]...), 0x90, 0x00)
	if got := v.recv(); !bytes.Equal(got, want) {
		t.Fatalf("response = % X, want % X", got, want)
	}
	if got := card.commands(); len(got) != 1 || !bytes.Equal(got[0], cmd) {
		t.Fatalf("card received % X, want exactly [% X]", got, cmd)
	}
	if n := card.resets.Load(); n != 1 {
		t.Fatalf("Reset called %d times, want 1 (power on)", n)
	}
}

// Power off, power on and reset reach a Resetter card and get no reply.
func TestServeControlBytes(t *testing.T) {
	atr := T0ATR()
	card := echoCard()
	v, _, _ := serve(t, &Server{Card: card, ATR: atr})
	for _, b := range []byte{ctrlPowerOff, ctrlPowerOn, ctrlReset, ctrlReset} {
		v.send(b)
	}
	v.send(ctrlATR)
	if got := v.recv(); !bytes.Equal(got, atr) {
		t.Fatalf("reply after four control bytes = % X, want only the ATR % X", got, atr)
	}
	if n := card.resets.Load(); n != 4 {
		t.Fatalf("Reset called %d times, want 4", n)
	}
}

// Frames that vpcd never sends end the connection with a clear log line,
// and the server connects again (the card is reinserted).
func TestServeProtocolViolations(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		log  string
	}{
		{"unknown control byte", []byte{0x00, 0x01, 0x03}, "unknown control byte 03"},
		{"empty frame", []byte{0x00, 0x00}, "empty frame"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, logs, _ := serve(t, &Server{Card: echoCard()})
			v.sendRaw(tt.raw)
			v.expectClosed()
			logs.waitFor(t, tt.log)
			v.accept()
			v.send(ctrlATR)
			if got := v.recv(); !bytes.Equal(got, DefaultATR()) {
				t.Fatalf("after reconnecting: ATR = % X", got)
			}
		})
	}
}

// After a connection ends the card stays out for ReinsertDelay, so that
// pcscd's next poll finds the reader empty.
func TestServeWaitsBeforeReinsertion(t *testing.T) {
	const delay = 300 * time.Millisecond
	v, _, _ := serve(t, &Server{Card: echoCard(), ReinsertDelay: delay})
	v.sendRaw([]byte{0x00, 0x00})
	v.expectClosed()
	dropped := time.Now()
	v.accept()
	if d := time.Since(dropped); d < delay {
		t.Fatalf("the server connected again %v after the drop, before ReinsertDelay %v", d, delay)
	}
}

// vpcd going away inside a frame is logged as such, and the server waits
// for vpcd to listen again.
func TestServeTruncatedFrame(t *testing.T) {
	v, logs, _ := serve(t, &Server{Card: echoCard()})
	v.sendRaw([]byte{0x00, 0x05, 0x00, 0xA4})
	v.conn.Close()
	logs.waitFor(t, "connection ended inside a frame")
	v.accept()
}

// Responses the protocol cannot carry are replaced by 6F00; the largest
// one it can carry goes through.
func TestServeResponseLengths(t *testing.T) {
	largest := bytes.Repeat([]byte{0x5A}, MaxPayload)
	tests := []struct {
		name string
		rsp  []byte
		want []byte
	}{
		{"empty", nil, []byte{0x6F, 0x00}},
		{"one byte", []byte{0x90}, []byte{0x6F, 0x00}},
		{"65 538 bytes (65 536 + SW)", make([]byte, 65538), []byte{0x6F, 0x00}},
		{"65 535 bytes", largest, largest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			card := &testCard{respond: func([]byte) ([]byte, error) { return tt.rsp, nil }}
			v, _, _ := serve(t, &Server{Card: card})
			v.send(0x00, 0xB0, 0x00, 0x00, 0x00)
			if got := v.recv(); !bytes.Equal(got, tt.want) {
				t.Fatalf("reply of %d bytes, want %d bytes (% X…)", len(got), len(tt.want), tt.want[:2])
			}
		})
	}
}

// A card whose Transmit fails is mute: the connection drops (pcscd sees a
// removal), and the card is inserted again.
func TestServeCardFailure(t *testing.T) {
	boom := errors.New("card on fire")
	card := &testCard{respond: func([]byte) ([]byte, error) { return nil, boom }}
	v, logs, _ := serve(t, &Server{Card: card})
	v.send(0x80, 0xAE, 0x80, 0x00, 0x00)
	v.expectClosed()
	logs.waitFor(t, "card failed on INS AE")
	logs.waitFor(t, "card on fire")
	v.accept()
}

// Cancelling the context ends Serve while it waits for a frame.
func TestServeCancelWhileConnected(t *testing.T) {
	v, _, r := serve(t, &Server{Card: echoCard()})
	v.send(ctrlATR)
	v.recv()
	r.stop(t, context.Canceled)
	v.expectClosed()
}

// Cancelling the context ends Serve while vpcd is not listening.
func TestServeCancelWhileUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	logs := &logBuffer{}
	r := start(&Server{Addr: addr, Card: echoCard(), Logf: logs.logf})
	logs.waitFor(t, "cannot reach vpcd at "+addr)
	r.stop(t, context.Canceled)
}

// A card returning ctx's error after cancellation is not reported as a
// failed card.
func TestServeConnCancelDuringTransmit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	card := &testCard{respond: func([]byte) ([]byte, error) {
		cancel()
		return nil, ctx.Err()
	}}
	srv, vp := net.Pipe()
	defer vp.Close()
	defer srv.Close()
	errc := make(chan error, 1)
	go func() { errc <- (&Server{Card: card}).ServeConn(ctx, srv) }()
	frame, _ := appendFrame(nil, []byte{0x00, 0x84, 0x00, 0x00, 0x08})
	vp.Write(frame)
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("ServeConn = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeConn did not return")
	}
}

// ServeConn returns nil when vpcd closes the connection between frames.
func TestServeConnPeerClosed(t *testing.T) {
	srv, vp := net.Pipe()
	defer srv.Close()
	errc := make(chan error, 1)
	go func() { errc <- (&Server{Card: echoCard()}).ServeConn(context.Background(), srv) }()
	frame, _ := appendFrame(nil, []byte{ctrlPowerOn})
	vp.Write(frame)
	vp.Close()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("ServeConn = %v, want nil after a clean close", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeConn did not return")
	}
}

// The built-in ATRs are well formed (ISO/IEC 7816-3, 8.2): the interface
// bytes announced by T0 and TDi are there, the historical bytes fill the
// rest, and TCK, present when a protocol other than T=0 is offered, makes
// the XOR of T0 … TCK zero.
func TestBuiltinATRs(t *testing.T) {
	tests := []struct {
		name      string
		atr       []byte
		protocols []byte
	}{
		{"DefaultATR", DefaultATR(), []byte{0, 1}}, // TD1 says T=0, TD2 says T=1
		{"T0ATR", T0ATR(), nil},                    // no TD1: T=0 only
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkATR(tt.atr); err != nil {
				t.Fatal(err)
			}
			protocols, rest := atrProtocols(t, tt.atr)
			if !bytes.Equal(protocols, tt.protocols) {
				t.Errorf("protocols %v, want %v", protocols, tt.protocols)
			}
			needTCK := slices.ContainsFunc(protocols, func(p byte) bool { return p != 0 })
			historical := int(tt.atr[1] & 0x0F)
			if needTCK {
				var x byte
				for _, b := range tt.atr[1:] {
					x ^= b
				}
				if x != 0 {
					t.Errorf("XOR of T0…TCK = %02X, want 00", x)
				}
				historical++
			}
			if rest != historical {
				t.Errorf("%d bytes after the interface bytes, want %d", rest, historical)
			}
		})
	}
}

// atrProtocols walks the interface bytes of an ATR and returns the
// protocols TD1, TD2… announce and how many bytes follow them.
func atrProtocols(t *testing.T, atr []byte) (protocols []byte, rest int) {
	i, y := 2, atr[1]>>4 // after TS and T0
	for {
		for bit := byte(1); bit <= 8; bit <<= 1 { // TA, TB, TC, TD
			if y&bit != 0 {
				i++
			}
		}
		if y&8 == 0 {
			return protocols, len(atr) - i
		}
		if i > len(atr) {
			t.Fatalf("ATR % X is cut in its interface bytes", atr)
		}
		td := atr[i-1]
		protocols = append(protocols, td&0x0F)
		y = td >> 4
	}
}

func TestServerConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		s    Server
		want error
	}{
		{"no card", Server{}, ErrNoCard},
		{"ATR too short", Server{Card: echoCard(), ATR: []byte{0x3B}}, ErrBadATR},
		{"ATR too long", Server{Card: echoCard(), ATR: append([]byte{0x3B}, make([]byte, 33)...)}, ErrBadATR},
		{"bad TS", Server{Card: echoCard(), ATR: []byte{0x3C, 0x00}}, ErrBadATR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.s.Serve(context.Background()); !errors.Is(err, tt.want) {
				t.Errorf("Serve = %v, want %v", err, tt.want)
			}
			srv, vp := net.Pipe()
			defer srv.Close()
			defer vp.Close()
			if err := tt.s.ServeConn(context.Background(), srv); !errors.Is(err, tt.want) {
				t.Errorf("ServeConn = %v, want %v", err, tt.want)
			}
		})
	}
}

var _ apdu.Transport = (*testCard)(nil)
var _ Resetter = (*testCard)(nil)
