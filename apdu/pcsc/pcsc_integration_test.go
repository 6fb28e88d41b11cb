//go:build pcsc

package pcsc_test

// End-to-end tests through the real stack: apdu/pcsc → libpcsclite → pcscd
// → vsmartcard-vpcd → cardsim/vpcd.Server → testCard. Set up the stack with
// `bash scripts/pcsc-up.sh` (as root). Without it these tests skip, unless
// YIXIN_REQUIRE_PCSC=1 (CI), which makes them fail.
//
// They use vpcd's second slot, reader "Virtual PCD 00 01" on port 35964,
// and leave the first to `yixin card serve` and other packages' tests.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ebfe/scard"
	"github.com/yixin-emv/yixin/apdu/pcsc"
	"github.com/yixin-emv/yixin/cardsim/vpcd"
)

const (
	testReader = "Virtual PCD 00 01"
	testAddr   = "127.0.0.1:35964"
	// cardTimeout bounds every wait for pcscd to notice an insertion or a
	// removal, which it does by polling about every 400 ms.
	cardTimeout = 10 * time.Second
	// reinsertDelay is vpcd.Server's default ReinsertDelay.
	reinsertDelay = time.Second
)

// needStack skips the test, or fails it when YIXIN_REQUIRE_PCSC=1, unless
// pcscd runs and has the vpcd reader.
func needStack(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	readers, err := pcsc.ListReaders(ctx)
	if err == nil && !slices.Contains(readers, testReader) {
		err = fmt.Errorf("pcscd has no reader %q (it has %q): is vsmartcard-vpcd installed?", testReader, readers)
	}
	if err == nil {
		return
	}
	msg := fmt.Sprintf("the PC/SC stack is not available: %v\nset it up, as root, with: bash scripts/pcsc-up.sh", err)
	if os.Getenv("YIXIN_REQUIRE_PCSC") == "1" {
		tb.Fatal(msg + "\nYIXIN_REQUIRE_PCSC=1: this is a failure, not a skip")
	}
	tb.Skip(msg + "\n(set YIXIN_REQUIRE_PCSC=1 to make this a failure)")
}

// served is a card served in the test reader by a vpcd.Server.
type served struct {
	tb      testing.TB
	cancel  context.CancelFunc
	done    chan error
	removed sync.Once
	emptied sync.Once
}

// serveCard puts card in the test reader with the given ATR (nil: T=1)
// until the test ends or remove or stop is called.
func serveCard(tb testing.TB, card *testCard, atr []byte) *served {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{tb: tb, cancel: cancel, done: make(chan error, 1)}
	srv := &vpcd.Server{Addr: testAddr, Card: card, ATR: atr, Logf: tb.Logf}
	go func() { s.done <- srv.Serve(ctx) }()
	tb.Cleanup(s.stop)
	return s
}

// remove takes the card out of the reader: the server stops and closes its
// connection to vpcd. pcscd notices within about 400 ms.
func (s *served) remove() {
	s.removed.Do(func() {
		s.cancel()
		select {
		case err := <-s.done:
			if !errors.Is(err, context.Canceled) {
				s.tb.Errorf("vpcd.Server.Serve = %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			s.tb.Fatal("vpcd.Server.Serve did not return 5 s after cancel")
		}
	})
}

// stop removes the card, waits until pcscd reports the reader empty, then
// keeps the card out for as long as vpcd.Server does between two
// connections (ReinsertDelay): the reported state alone does not prove
// that pcscd's poller saw the reader empty (a failed reset on disconnect
// marks it empty too), and a card back before that goes unnoticed.
func (s *served) stop() {
	s.remove()
	s.emptied.Do(func() {
		waitEmpty(s.tb)
		time.Sleep(reinsertDelay)
	})
}

// waitEmpty waits until pcscd reports the test reader empty. It talks to
// scard directly: the package has no "wait for removal".
func waitEmpty(tb testing.TB) {
	tb.Helper()
	sc, err := scard.EstablishContext()
	if err != nil {
		tb.Fatalf("scard.EstablishContext: %v", err)
	}
	defer sc.Release()
	rs := []scard.ReaderState{{Reader: testReader, CurrentState: scard.StateUnaware}}
	for deadline := time.Now().Add(cardTimeout); time.Now().Before(deadline); {
		err := sc.GetStatusChange(rs, 500*time.Millisecond)
		if err != nil && !errors.Is(err, scard.ErrTimeout) {
			tb.Fatalf("waiting for the removal: %v", err)
		}
		if rs[0].EventState&scard.StateEmpty != 0 {
			return
		}
		rs[0].CurrentState = rs[0].EventState &^ scard.StateChanged
	}
	tb.Fatalf("pcscd still sees a card in %q %v after the server stopped", testReader, cardTimeout)
}

// openCard waits for the served card and opens it.
func openCard(tb testing.TB, opts pcsc.Options) *pcsc.Card {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cardTimeout)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, testReader); err != nil {
		tb.Fatalf("WaitForCard(%q): %v", testReader, err)
	}
	c, err := pcsc.Open(ctx, testReader, opts)
	if err != nil {
		tb.Fatalf("Open(%q, %+v): %v", testReader, opts, err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func transmit(t *testing.T, c *pcsc.Card, cmd []byte) []byte {
	t.Helper()
	rsp, err := c.Transmit(context.Background(), cmd)
	if err != nil {
		t.Fatalf("Transmit(% X): %v", cmd, err)
	}
	return rsp
}

func TestListReadersHasVPCD(t *testing.T) {
	needStack(t)
	readers, err := pcsc.ListReaders(context.Background())
	if err != nil || !slices.Contains(readers, testReader) || !slices.Contains(readers, "Virtual PCD 00 00") {
		t.Fatalf("ListReaders = %q, %v; want both vpcd readers", readers, err)
	}
}

// T=1: the ATR, the protocol, a SELECT, a 256-byte response and an error
// status word all come through pcscd unchanged.
func TestTransmitT1(t *testing.T) {
	needStack(t)
	card := &testCard{}
	serveCard(t, card, vpcd.DefaultATR())
	c := openCard(t, pcsc.Options{Protocol: pcsc.T1})
	if c.Protocol() != pcsc.T1 || !bytes.Equal(c.ATR(), vpcd.DefaultATR()) || c.Reader() != testReader {
		t.Fatalf("opened %s in %q with ATR % X; want T=1, ATR % X", c.Protocol(), c.Reader(), c.ATR(), vpcd.DefaultATR())
	}
	tests := []struct {
		name string
		cmd  []byte
		want []byte
	}{
		{"SELECT test AID", selectCmd(testAID), append(bytes.Clone(testFCI), sw9000...)},
		{"SELECT unknown AID", selectCmd([]byte{0xA0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10}), sw6A82},
		{"READ BINARY 256 bytes", []byte{0x00, 0xB0, 0x00, 0x00, 0x00}, append(bytes.Clone(bigData), sw9000...)},
		{"unknown INS", []byte{0x80, 0x50, 0x00, 0x00, 0x00}, sw6D00},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transmit(t, c, tt.cmd); !bytes.Equal(got, tt.want) {
				t.Fatalf("response (%d bytes) % X\nwant (%d bytes) % X", len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

// T=0: the reader negotiates T=0 from the ATR, and a case 4 command is
// answered 61xx, then GET RESPONSE.
func TestTransmitT0(t *testing.T) {
	needStack(t)
	card := &testCard{t0: true}
	serveCard(t, card, vpcd.T0ATR())
	c := openCard(t, pcsc.Options{})
	if c.Protocol() != pcsc.T0 {
		t.Fatalf("protocol %s, want T=0 for ATR % X", c.Protocol(), vpcd.T0ATR())
	}
	want61 := []byte{0x61, byte(len(testFCI))}
	if got := transmit(t, c, selectCmd(testAID)[:5+len(testAID)]); !bytes.Equal(got, want61) {
		t.Fatalf("SELECT under T=0 = % X, want % X", got, want61)
	}
	got := transmit(t, c, []byte{0x00, 0xC0, 0x00, 0x00, byte(len(testFCI))})
	if want := append(bytes.Clone(testFCI), sw9000...); !bytes.Equal(got, want) {
		t.Fatalf("GET RESPONSE = % X, want % X", got, want)
	}
}

// Asking for T=1 from a card that offers only T=0 is a protocol mismatch.
func TestOpenProtocolMismatch(t *testing.T) {
	needStack(t)
	serveCard(t, &testCard{t0: true}, vpcd.T0ATR())
	ctx, cancel := context.WithTimeout(context.Background(), cardTimeout)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, testReader); err != nil {
		t.Fatal(err)
	}
	c, err := pcsc.Open(ctx, testReader, pcsc.Options{Protocol: pcsc.T1})
	if err == nil {
		c.Close()
		t.Fatal("Open with T=1 of a T=0 card succeeded")
	}
	if !errors.Is(err, pcsc.ErrProtocolMismatch) || !errors.Is(err, scard.ErrProtoMismatch) {
		t.Fatalf("Open error = %v, want ErrProtocolMismatch wrapping scard.ErrProtoMismatch", err)
	}
	t.Logf("as the user sees it: %v", err)
}

// Removal: stop the server (the card leaves the reader). Transmit fails
// with ErrCardRemoved, both at once (pcscd has not polled yet: vpcd finds
// the socket closed, the status check says removed) and after pcscd has
// seen the reader empty; Reconnect on the empty reader says ErrNoCard.
// Serve the card again, and Reconnect continues with the same Card.
func TestRemovalAndReconnect(t *testing.T) {
	needStack(t)
	for _, waitForPCSCD := range []bool{false, true} {
		t.Run(fmt.Sprintf("pcscd noticed=%v", waitForPCSCD), func(t *testing.T) {
			card := &testCard{}
			s := serveCard(t, card, nil)
			c := openCard(t, pcsc.Options{})
			transmit(t, c, selectCmd(testAID))

			if waitForPCSCD {
				s.stop()
			} else {
				s.remove()
			}
			_, err := c.Transmit(context.Background(), selectCmd(testAID))
			if !errors.Is(err, pcsc.ErrCardRemoved) {
				t.Fatalf("Transmit after removal: %v; want ErrCardRemoved", err)
			}
			if !strings.Contains(err.Error(), "card was removed: insert it and retry") {
				t.Errorf("Transmit after removal: %q does not say what to do", err)
			}
			t.Logf("as the user sees it: %v", err)
			s.stop()
			if err := c.Reconnect(context.Background()); !errors.Is(err, pcsc.ErrNoCard) {
				t.Fatalf("Reconnect on an empty reader: %v; want ErrNoCard", err)
			}
			reinsertAndReconnect(t, card, c)
		})
	}
}

func reinsertAndReconnect(t *testing.T, card *testCard, c *pcsc.Card) {
	t.Helper()
	resetsBefore, _ := card.counts()
	serveCard(t, card, nil)
	ctx, cancel := context.WithTimeout(context.Background(), cardTimeout)
	defer cancel()
	if err := pcsc.WaitForCard(ctx, testReader); err != nil {
		t.Fatal(err)
	}
	if err := c.Reconnect(ctx); err != nil {
		t.Fatalf("Reconnect after reinsertion: %v", err)
	}
	if got := transmit(t, c, selectCmd(testAID)); !bytes.Equal(got, append(bytes.Clone(testFCI), sw9000...)) {
		t.Fatalf("SELECT after Reconnect = % X", got)
	}
	if resets, _ := card.counts(); resets <= resetsBefore {
		t.Fatalf("the card saw no power-on or reset after reinsertion (%d, before %d)", resets, resetsBefore)
	}
}

// Reconnect on a present card resets it (the card's Resetter is told) and
// keeps working.
func TestReconnectResetsCard(t *testing.T) {
	needStack(t)
	card := &testCard{t0: true}
	serveCard(t, card, vpcd.T0ATR())
	c := openCard(t, pcsc.Options{})
	transmit(t, c, selectCmd(testAID)[:5+len(testAID)]) // leaves a GET RESPONSE pending
	before, _ := card.counts()
	if err := c.Reconnect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after, _ := card.counts(); after <= before {
		t.Fatalf("Reconnect did not reset the card (resets %d → %d)", before, after)
	}
	if got := transmit(t, c, []byte{0x00, 0xC0, 0x00, 0x00, byte(len(testFCI))}); !bytes.Equal(got, sw6985) {
		t.Fatalf("GET RESPONSE after reset = % X, want 6985 (nothing pending)", got)
	}
}

// Errors that need no card: a reader that does not exist, an empty reader,
// a wait that ends with its context, commands refused before PC/SC.
func TestErrorsWithoutCard(t *testing.T) {
	needStack(t)
	ctx := context.Background()
	if err := pcsc.WaitForCard(ctx, "No Such Reader 00 00"); !errors.Is(err, pcsc.ErrNoReader) {
		t.Errorf("WaitForCard(no such reader) = %v, want ErrNoReader", err)
	}
	if _, err := pcsc.Open(ctx, "No Such Reader 00 00", pcsc.Options{}); !errors.Is(err, pcsc.ErrNoReader) {
		t.Errorf("Open(no such reader) = %v, want ErrNoReader", err)
	}
	if _, err := pcsc.Open(ctx, testReader, pcsc.Options{}); !errors.Is(err, pcsc.ErrNoCard) {
		t.Errorf("Open(empty reader) = %v, want ErrNoCard", err)
	} else if !strings.Contains(err.Error(), "insert") {
		t.Errorf("Open(empty reader): %q does not tell the user to insert a card", err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := pcsc.WaitForCard(short, testReader); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitForCard on an empty reader = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("WaitForCard returned %v after its context ended", d)
	}
	if _, err := pcsc.Open(ctx, testReader, pcsc.Options{Protocol: 7}); err == nil {
		t.Error("Open with Protocol(7) succeeded")
	}
}

func TestTransmitRefusesBadCommands(t *testing.T) {
	needStack(t)
	card := &testCard{}
	serveCard(t, card, nil)
	c := openCard(t, pcsc.Options{})
	ctx := context.Background()
	if _, err := c.Transmit(ctx, nil); !errors.Is(err, pcsc.ErrEmptyCommand) {
		t.Errorf("Transmit(nil) = %v, want ErrEmptyCommand", err)
	}
	if _, err := c.Transmit(ctx, make([]byte, 65545)); !errors.Is(err, pcsc.ErrCommandTooLong) {
		t.Errorf("Transmit(65545 bytes) = %v, want ErrCommandTooLong", err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Transmit(done, selectCmd(testAID)); !errors.Is(err, context.Canceled) {
		t.Errorf("Transmit with a done context = %v, want context.Canceled", err)
	}
	if _, n := card.counts(); n != 0 {
		t.Errorf("the card received %d commands; refused commands must not reach it", n)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Transmit(ctx, selectCmd(testAID)); !errors.Is(err, pcsc.ErrClosed) {
		t.Errorf("Transmit after Close = %v, want ErrClosed", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
}

// Without pcscd: run this test binary again with libpcsclite pointed at a
// socket where nothing listens (PCSCLITE_CSOCK_NAME; libpcsclite reads it
// once per process, hence the child process).
func TestNoService(t *testing.T) {
	if os.Getenv("YIXIN_PCSC_CHILD") == "no-service" {
		_, err := pcsc.ListReaders(context.Background())
		if !errors.Is(err, pcsc.ErrNoService) || !errors.Is(err, scard.ErrNoService) {
			t.Fatalf("ListReaders without pcscd = %v, want ErrNoService", err)
		}
		if err := pcsc.WaitForCard(context.Background(), ""); !errors.Is(err, pcsc.ErrNoService) {
			t.Fatalf("WaitForCard without pcscd = %v, want ErrNoService", err)
		}
		fmt.Printf("user sees: %v\n", err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoService$", "-test.v")
	cmd.Env = append(os.Environ(), "YIXIN_PCSC_CHILD=no-service", "PCSCLITE_CSOCK_NAME="+t.TempDir()+"/nobody-listens")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "user sees: apdu/pcsc: list readers: pcscd is not running: start it") {
		t.Fatalf("child process output lacks the advice:\n%s", out)
	}
}
