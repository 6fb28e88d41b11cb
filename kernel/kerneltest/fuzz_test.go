package kerneltest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// FuzzTransaction drives a whole transaction of the kernel against a card
// whose every answer, and the issuer's, come from the fuzzer.
//
// The input is a list of chunks, each a two-byte big-endian length and
// that many bytes (a length past the end takes what is left):
//
//	chunk 0   the terminal and the host: byte 0 b2–b1 the host (0 approves,
//	          1 declines, 2 is unreachable — ErrHostUnavailable —, 3 loses
//	          its answer — an error after sending, a reversal is owed), b3 a
//	          terminal that approves offline (floor limit above the amount,
//	          zero TACs), b4 a terminal in China (else the US); the rest is
//	          the Issuer Authentication Data (91) of the host's answer
//	chunk 1   the issuer scripts (71, 72) of the host's answer
//	chunk 2…  the card's responses (data and SW1 SW2), in order, whatever
//	          the command; when they run out the card repeats the last one
//	          (6F00 if there is none) — so loops on a card that always
//	          says the same meet the bound — and after atkFuzzMaxAPDUs
//	          commands it fails every exchange.
//
// The terminals are the ones of the attack tests: the built-in
// configuration with the golden dual-cn card's test CA keys and
// cardholder PINs, a fixed clock and random source. The seeds in
// testdata/fuzz/FuzzTransaction are conversations recorded from the
// simulated card with those terminals (TestFuzzTransactionSeeds), so the
// fuzzer starts from transactions whose signatures and cryptograms are
// valid — offline and online, CDA and SM2, with scripts — and mutates them.
//
// Whatever the input, the kernel must: not panic; return an Outcome and
// either no error and a final result, or a *kernel.TerminatedError
// (atkCheckEnding); send at most atkFuzzMaxAPDUs well-formed command APDUs
// and count them right; owe a reversal only when the host was asked and
// did not refuse to be reached; approve (offline or online) only with a
// TC, online only when the host approved, and offline after CDA only with
// a verified signature; and put in the data record only the objects of
// kernel.DefaultDataRecord (never the PAN or track data).
func FuzzTransaction(f *testing.F) {
	f.Add([]byte{})
	f.Add(atkJoinChunks([][]byte{{0}, nil, {0x6A, 0x82}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		stop := atkHangAlarm(data)
		defer stop()
		if err := atkFuzzOne(t, data).check(); err != nil {
			t.Fatal(err)
		}
	})
}

// atkHangAlarm crashes the process, with every goroutine's stack, when a
// transaction runs longer than atkFuzzHang: a kernel that loops without
// sending commands would otherwise stall the fuzzer silently. The crash
// makes the fuzzer keep the input.
func atkHangAlarm(data []byte) (stop func() bool) {
	return time.AfterFunc(atkFuzzHang, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("FuzzTransaction: a transaction still runs after %v (input %X)\n%s", atkFuzzHang, data, buf))
	}).Stop
}

// atkFuzzHang is how long one transaction of the fuzz target may take.
const atkFuzzHang = 10 * time.Second

// atkFuzzMaxAPDUs bounds the commands of one transaction. The kernel's own
// bounds allow far fewer in any one phase (64 directory records, 16 SELECT
// next per AID, 128 records, 8 PIN tries per CVM, 128 bytes of scripts);
// a transaction past this one loops.
const atkFuzzMaxAPDUs = 2048

// atkFuzzTerminals are the four terminals of the fuzz target, built once:
// index b3 + 2×b4 of the first byte.
var atkFuzzTerminals = sync.OnceValues(func() ([4]*kernel.Config, error) {
	var cfgs [4]*kernel.Config
	g, err := atkLoaded()
	if err != nil {
		return cfgs, err
	}
	pins := atkPINs{}
	for _, a := range g.cf.Profile.Applications {
		pins[a.PAN] = a.PIN
	}
	for i := range cfgs {
		country, currency := "US", "USD"
		if i&2 != 0 {
			country, currency = "CN", "CNY"
		}
		c, err := kernel.DefaultConfig(country, currency)
		if err != nil {
			return cfgs, err
		}
		c.Selection.Policy = kernel.PolicyDomesticPreference
		c.Rand = atkRepeat(0x11)
		c.Clock = func() time.Time { return atkTime }
		c.CAKeys, c.PINPad, c.Cardholder = g.store, pins, kernel.AcceptProposal{}
		if i&1 != 0 {
			atkOffline(c)
		}
		if err := c.Validate(); err != nil {
			return cfgs, err
		}
		cfgs[i] = c
	}
	return cfgs, nil
})

// atkSplitChunks cuts fuzz input into chunks (see FuzzTransaction).
func atkSplitChunks(b []byte) [][]byte {
	var out [][]byte
	for len(b) >= 2 && len(out) < 1024 {
		n := min(int(binary.BigEndian.Uint16(b)), len(b)-2)
		out = append(out, b[2:2+n:2+n])
		b = b[2+n:]
	}
	return out
}

// atkJoinChunks is the inverse of atkSplitChunks.
func atkJoinChunks(chunks [][]byte) []byte {
	var out []byte
	for _, c := range chunks {
		out = binary.BigEndian.AppendUint16(out, uint16(len(c)))
		out = append(out, c...)
	}
	return out
}

// atkFuzzCard answers with the fuzzer's responses and keeps the commands.
type atkFuzzCard struct {
	resp [][]byte
	cmds [][]byte
	bad  error // the first command that did not parse
}

var errAtkFuzzCardGone = errors.New("fuzz card: too many commands")

func (c *atkFuzzCard) Transmit(_ context.Context, cmd []byte) ([]byte, error) {
	c.cmds = append(c.cmds, bytes.Clone(cmd))
	if _, err := apdu.ParseCommand(cmd); err != nil && c.bad == nil {
		c.bad = fmt.Errorf("command %d %X: %w", len(c.cmds), cmd, err)
	}
	n := len(c.cmds)
	switch {
	case n > atkFuzzMaxAPDUs:
		return nil, errAtkFuzzCardGone
	case n <= len(c.resp):
		return bytes.Clone(c.resp[n-1]), nil
	case len(c.resp) > 0:
		return bytes.Clone(c.resp[len(c.resp)-1]), nil
	}
	return []byte{0x6F, 0x00}, nil
}

// atkFuzzRun is one transaction of the fuzz target and what the checks
// need.
type atkFuzzRun struct {
	hostMode  byte // 0 approve, 1 decline, 2 unreachable, 3 answer lost
	hostAsked bool
	card      *atkFuzzCard
	o         *kernel.Outcome
	err       error
}

// atkFuzzOne runs the transaction the input describes.
func atkFuzzOne(t testing.TB, data []byte) *atkFuzzRun {
	cfgs, err := atkFuzzTerminals()
	if err != nil {
		t.Fatal(err)
	}
	chunks := atkSplitChunks(data)
	for len(chunks) < 2 {
		chunks = append(chunks, nil)
	}
	var ctl byte
	var iad []byte
	if len(chunks[0]) > 0 {
		ctl, iad = chunks[0][0], chunks[0][1:]
	}
	scripts := chunks[1]
	r := &atkFuzzRun{hostMode: ctl & 3, card: &atkFuzzCard{resp: chunks[2:]}}
	c := *cfgs[ctl>>2&3]
	c.Host = kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
		r.hostAsked = true
		switch r.hostMode {
		case 2:
			return nil, fmt.Errorf("fuzz host: %w", kernel.ErrHostUnavailable)
		case 3:
			return nil, errors.New("fuzz host: the answer was lost")
		}
		return &kernel.AuthorizationResponse{Approved: r.hostMode == 0, IssuerAuthenticationData: iad, Scripts: scripts}, nil
	})
	tx, err := kernel.NewTransaction(&c, r.card, kernel.Params{Amount: 2500})
	if err != nil {
		t.Fatal(err)
	}
	r.o, r.err = tx.Run(context.Background())
	return r
}

// check verifies the invariants of FuzzTransaction.
func (r *atkFuzzRun) check() error {
	o := r.o
	if err := atkCheckEnding(o, r.err); err != nil {
		return err
	}
	if len(r.card.cmds) > atkFuzzMaxAPDUs {
		return fmt.Errorf("%d APDUs: the kernel does not stop (last %X)", len(r.card.cmds), r.card.cmds[len(r.card.cmds)-1])
	}
	if o.APDUs != len(r.card.cmds) {
		return fmt.Errorf("the outcome counts %d APDUs, the card saw %d", o.APDUs, len(r.card.cmds))
	}
	if r.card.bad != nil {
		return fmt.Errorf("malformed command APDU: %w", r.card.bad)
	}
	if o.Reversal && (!r.hostAsked || r.hostMode == 1 || r.hostMode == 2) {
		return fmt.Errorf("reversal owed with host asked %v, host mode %d", r.hostAsked, r.hostMode)
	}
	switch o.Result {
	case kernel.ResultApproved:
		if o.CID.Type() != emv.CryptogramTC {
			return fmt.Errorf("approved offline with CID %v", o.CID)
		}
		if o.ODA == kernel.ODACDA && !o.ODAOK {
			return fmt.Errorf("approved offline after a failed CDA (%s)", o.ODAError)
		}
	case kernel.ResultOnlineApproved:
		if o.CID.Type() != emv.CryptogramTC || !r.hostAsked || r.hostMode != 0 {
			return fmt.Errorf("online-approved with CID %v, host asked %v mode %d", o.CID, r.hostAsked, r.hostMode)
		}
	}
	return atkCheckDataRecord(o.DataRecord)
}

// atkCheckDataRecord checks that the data record is well-formed TLV made
// only of the objects of kernel.DefaultDataRecord, each once.
func atkCheckDataRecord(b []byte) error {
	allowed := map[emv.Tag]bool{}
	for _, tag := range kernel.DefaultDataRecord {
		allowed[emv.Tag(tag)] = true
	}
	seen := map[emv.Tag]bool{}
	sc := emv.Scanner(b)
	for sc.More() {
		var tag emv.Tag
		var v []byte
		if !sc.ReadObject(&tag, &v) {
			return fmt.Errorf("data record %X is not TLV", b)
		}
		if !allowed[tag] || seen[tag] {
			return fmt.Errorf("data record holds %s (allowed %v, twice %v)", tag, allowed[tag], seen[tag])
		}
		seen[tag] = true
	}
	return nil
}

// atkUpdateSeeds re-records the checked-in seeds of FuzzTransaction.
var atkUpdateSeeds = flag.Bool("atk.update-fuzz-seeds", false, "re-record kernel/kerneltest/testdata/fuzz/FuzzTransaction from the simulated card")

// atkSeedDir holds the checked-in corpus of FuzzTransaction.
const atkSeedDir = "testdata/fuzz/FuzzTransaction"

// atkSeeds are the recorded conversations of the corpus: the terminal and
// host (byte 0 of chunk 0), the issuer's answers, warm-up transactions
// before the recording (so that the card may approve offline), and the
// result the conversation gives when replayed.
var atkSeeds = []struct {
	name    string
	ctl     byte
	answers []issuer.Answer
	warmUp  bool
	result  kernel.Result
	apdus   int
}{
	{"us-online-cda-approved", 0x00, nil, false, kernel.ResultOnlineApproved, 20},
	{"us-online-cda-scripts", 0x00, []issuer.Answer{atkScriptAnswer()}, false, kernel.ResultOnlineApproved, 22},
	{"us-online-cda-declined", 0x01, []issuer.Answer{{Approve: false}}, false, kernel.ResultOnlineDeclined, 20},
	{"us-unable-to-go-online", 0x02, nil, false, kernel.ResultDeclined, 20},
	{"us-offline-cda-approved", 0x04, nil, true, kernel.ResultApproved, 19},
	{"cn-online-sm2-approved", 0x08, nil, false, kernel.ResultOnlineApproved, 0},
	{"cn-offline-sm2-approved", 0x0C, nil, true, kernel.ResultApproved, 0},
}

// TestFuzzTransactionSeeds replays every checked-in seed of
// FuzzTransaction and checks that it still reaches the result it was
// recorded with — a seed whose responses no longer fit the kernel's
// commands would only exercise the first phase. With
// -atk.update-fuzz-seeds it records them again from the simulated card.
func TestFuzzTransactionSeeds(t *testing.T) {
	if *atkUpdateSeeds {
		atkRecordSeeds(t)
	}
	for _, s := range atkSeeds {
		data, err := atkReadCorpusFile(filepath.Join(atkSeedDir, s.name))
		if err != nil {
			t.Fatalf("%v (record with -atk.update-fuzz-seeds)", err)
		}
		r := atkFuzzOne(t, data)
		if err := r.check(); err != nil {
			t.Errorf("%s: %v", s.name, err)
		}
		if r.o.Result != s.result || r.err != nil || !r.o.ODAOK || (s.apdus != 0 && r.o.APDUs != s.apdus) {
			t.Errorf("%s: %s (%s) after %d APDUs, %v; recorded %s", s.name, r.o.Result, r.o.Reason, r.o.APDUs, r.err, s.result)
		}
	}
}

// atkRecordSeeds records the seeds from the simulated card.
func atkRecordSeeds(t *testing.T) {
	if err := os.MkdirAll(atkSeedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range atkSeeds {
		sim := atkNewSim(t, s.answers...)
		country := "US"
		if s.ctl&0x08 != 0 {
			country = "CN"
		}
		if s.warmUp {
			atkWarmUp(t, sim, country)
		}
		cfg := atkConfig(t, sim, country)
		if s.ctl&0x04 != 0 {
			atkOffline(cfg)
		}
		if s.ctl&3 == 2 {
			cfg.Host = kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
				return nil, kernel.ErrHostUnavailable
			})
		}
		before := atkRequests(sim)
		rec := apdu.NewRecorder(sim.card)
		if _, err := atkRun(t, context.Background(), cfg, rec, kernel.Params{Amount: 2500}); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		host := []byte{s.ctl}
		var scripts []byte
		if atkRequests(sim) > before {
			_, rsp, _ := sim.host.last()
			host = append(host, rsp.IssuerAuthenticationData...)
			scripts = rsp.Scripts
		}
		chunks := [][]byte{host, scripts}
		for _, x := range rec.Exchanges() {
			chunks = append(chunks, x.Response)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(atkJoinChunks(chunks))))
		if err := os.WriteFile(filepath.Join(atkSeedDir, s.name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// atkReadCorpusFile reads a corpus file of one []byte value in the format
// of Go's fuzzing ("go test fuzz v1").
func atkReadCorpusFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSpace(string(b))
	head, rest, ok := strings.Cut(s, "\n")
	if !ok || head != "go test fuzz v1" || !strings.HasPrefix(rest, "[]byte(") || !strings.HasSuffix(rest, ")") {
		return nil, fmt.Errorf("%s: not a corpus file of one []byte", path)
	}
	v, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(rest, "[]byte("), ")"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return []byte(v), nil
}
