package cardsim

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/pin"
)

// Environment of the crash child process.
const (
	envCrashChild = "YIXIN_CARDSIM_CRASH_CHILD" // the card file; set only in the child
	envCrashState = "YIXIN_CARDSIM_CRASH_STATE" // the state file
	crashKills    = 200
)

// TestCrashSafety runs the card in a child process (this test binary,
// re-executed) doing transactions against a state file, kills it with
// SIGKILL at random moments at least 200 times, and after each kill
// checks the state file: it must load, the ATC must not have gone back
// below any ATC the card gave out (so no ATC is ever used twice), and the
// PIN try counter must not have been restored above the last value the
// card reported, unless the card was given the right PIN.
//
// Nothing here depends on the machine's speed: every other child is killed
// only after it has answered one GENERATE AC (so at least half the runs
// die in the middle of transactions, however slow the machine), the others
// at a random moment after start-up.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: hundreds of process starts")
	}
	dir := t.TempDir()
	cardPath, statePath := filepath.Join(dir, "card.json"), filepath.Join(dir, "card.json.state")
	cf := goldenCard(t, "sda") // no ICC key: the child starts fast
	b, _ := cf.Marshal()
	if err := os.WriteFile(cardPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	limit := cf.Profile.Applications[0].PINTryLimit
	aid := cf.Profile.Applications[0].AID.String()
	w := &crashWatch{t: t, ptcBound: limit, seen: map[int]bool{}}
	rng := rand.New(rand.NewPCG(1, 2))
	kills := 0
	for ; kills < crashKills; kills++ {
		w.runChild(cardPath, statePath, time.Duration(rng.IntN(30000))*time.Microsecond, kills%2 == 1)
		st, err := LoadState(statePath)
		if err != nil {
			t.Fatalf("after kill %d the state file does not load: %v", kills+1, err)
		}
		w.check(kills+1, st.Apps[aid])
	}
	if w.transactions < kills/2 {
		t.Errorf("only %d cryptograms in %d runs: the kills came too early to test much", w.transactions, kills)
	}
	t.Logf("%d kills, %d cryptograms, last ATC %d", kills, w.transactions, w.maxATC)
}

// crashWatch follows what the child reports.
type crashWatch struct {
	t            *testing.T
	maxATC       int
	lastATC      int // the state's ATC after the previous kill
	ptcBound     int // the PIN try counter may not be above this
	seen         map[int]bool
	transactions int
}

// runChild starts the card, lets it run for wait after it is ready (or,
// with afterAC, after it has answered its first GENERATE AC), kills it and
// reads everything it reported.
func (w *crashWatch) runChild(cardPath, statePath string, wait time.Duration, afterAC bool) {
	t := w.t
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashChild+"="+cardPath, envCrashState+"="+statePath)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timer := time.NewTimer(time.Hour)
	killed := false
	for line := range lines {
		if !killed && (afterAC && strings.HasPrefix(line, "ATC ") || !afterAC && line == "READY") {
			timer.Reset(wait)
			go func() {
				<-timer.C
				cmd.Process.Kill()
			}()
			killed = true
		}
		if line != "READY" {
			w.report(line)
		}
	}
	if !killed {
		cmd.Process.Kill()
	}
	cmd.Wait()
}

// report takes one line of the child: "ATC n" when a GENERATE AC answered
// with ATC n, "PTC n" when VERIFY said n tries are left, "PIN" before the
// right PIN is sent.
func (w *crashWatch) report(line string) {
	kind, val, _ := strings.Cut(line, " ")
	n, _ := strconv.Atoi(val)
	switch kind {
	case "ATC":
		if w.seen[n] {
			w.t.Fatalf("ATC %d was given out twice", n)
		}
		w.seen[n] = true
		w.maxATC = max(w.maxATC, n)
		w.transactions++
	case "PTC":
		w.ptcBound = n
	case "PIN":
		w.ptcBound = 15 // the right PIN may reset the counter from here
	case "ERROR":
		w.t.Fatalf("child: %s", val)
	}
}

func (w *crashWatch) check(kill int, st *AppState) {
	t := w.t
	atc := int(st.ATC)
	if atc < w.maxATC || atc < w.lastATC {
		t.Fatalf("after kill %d: saved ATC %d, but the card had given out ATC %d (and saved %d before)", kill, atc, w.maxATC, w.lastATC)
	}
	if st.PINTries > w.ptcBound {
		t.Fatalf("after kill %d: saved PIN try counter %d, but the card had reported %d", kill, st.PINTries, w.ptcBound)
	}
	w.lastATC = atc
	w.ptcBound = st.PINTries
}

// TestCrashChild is the card process of TestCrashSafety; it runs only in
// the child, until it is killed.
func TestCrashChild(t *testing.T) {
	cardPath := os.Getenv(envCrashChild)
	if cardPath == "" {
		t.Skip("the child process of TestCrashSafety")
	}
	say := func(format string, args ...any) { os.Stdout.WriteString(fmt.Sprintf(format, args...) + "\n") }
	cf, err := LoadCardFile(cardPath)
	if err != nil {
		say("ERROR %v", err)
		return
	}
	c, err := New(cf, &Options{Store: &FileStore{Path: os.Getenv(envCrashState)}})
	if err != nil {
		say("ERROR %v", err)
		return
	}
	a := &cf.Profile.Applications[0]
	send := func(cmd apdu.Command) ([]byte, apdu.StatusWord) {
		b, _ := cmd.Bytes()
		out, _ := c.Transmit(context.Background(), b)
		r, _ := apdu.ParseResponse(out)
		return r.Data, r.SW
	}
	none := func(emv.Tag) ([]byte, bool) { return nil, false }
	pdol, _ := emv.ParseDOL(a.PDOL)
	cdol1, _ := emv.ParseDOL(a.CDOL1)
	pdolData, cdolData := pdol.Build(none), cdol1.Build(none)
	wrong, _ := pin.Format2("0000")
	right, _ := pin.Format2(a.PIN)
	say("READY")
	for {
		send(apdu.Select(a.AID, false))
		if _, sw := send(apdu.GetProcessingOptions(pdolData)); sw != apdu.SWNoError {
			say("ERROR GPO %s", sw)
			return
		}
		// A wrong PIN while two or more tries are left, else the right
		// one: the counter goes down and back up but never blocks.
		_, sw := send(apdu.Verify(apdu.VerifyPlaintextPIN, nil))
		if left, ok := sw.Counter(); ok && left >= 2 {
			if _, sw := send(apdu.Verify(apdu.VerifyPlaintextPIN, wrong)); sw.SW1() == 0x63 {
				say("PTC %d", sw.SW2()&0x0F)
			}
		} else if ok && left == 1 {
			say("PIN")
			send(apdu.Verify(apdu.VerifyPlaintextPIN, right))
		}
		rsp, sw := send(apdu.GenerateAC(apdu.RefControlAAC, cdolData))
		if atc, ok := emv.Find(rsp, 0x9F36); ok && sw == apdu.SWNoError && len(atc) == 2 {
			say("ATC %d", int(atc[0])<<8|int(atc[1]))
		}
	}
}
