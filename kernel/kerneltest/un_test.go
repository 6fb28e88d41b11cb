package kerneltest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"io"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// The unpredictable number (9F37) against the pre-play attack of Bond,
// Choudary, Murdoch, Skorobogatov and Anderson, "Chip and Skim: cloning EMV
// cards with the pre-play attack" (IEEE S&P 2014): terminals whose UN was a
// counter or a weak generator let an attacker who briefly holds the card
// harvest cryptograms for the UNs the terminal will draw later. The
// defence: 9F37 from a CSPRNG for every transaction (crypto/rand unless
// Config.Rand is set), never reused, and the same value sent to the card
// and to the issuer.

// atkUNDraws is how many unpredictable numbers the statistical test draws.
const atkUNDraws = 1_000_000

// Thresholds of the statistical test over atkUNDraws four-byte UNs. Each
// is two-sided with a tail probability of at most 1/6 × 10⁻⁶ on each side,
// so that a true random source fails the whole test with probability below
// 10⁻⁶ (three statistics, two tails each); a counter, a repeating sequence,
// a constant or a byte-biased generator fails it for certain. Computed
// with the regularised incomplete gamma function (chi-square) and the
// normal and Poisson distributions; TestUNThresholds recomputes the ones
// that the standard library can.
const (
	// Byte frequencies: chi-square with 255 degrees of freedom over the
	// 4×10⁶ bytes. P(χ² < 155.9) ≈ P(χ² > 387.4) ≈ 1.67×10⁻⁷ (for
	// reference, the 95% point is 293.25, NIST/SEMATECH e-Handbook of
	// Statistical Methods §1.3.6.7.4).
	atkChiLow, atkChiHigh = 155.9, 387.4
	// Monobit: the count of one bits among 32×10⁶ is binomial, mean
	// 16×10⁶, standard deviation √(32×10⁶)/2 ≈ 2828.4; |z| > 5.1036
	// has probability 3.3×10⁻⁷.
	atkMonobitMaxDeviation = 14436
	// Repeats: the number of pairs of equal UNs among 10⁶ draws from 2³²
	// values is Poisson with mean C(10⁶, 2)/2³² ≈ 116.4; P(X ≤ 65) ≈
	// 1.45×10⁻⁷, P(X ≥ 176) ≈ 1.66×10⁻⁷. A UN is 32 bits: repeats among
	// a million are expected, and their absence (a counter, a full-period
	// generator) is as suspect as their excess.
	atkRepeatsMin, atkRepeatsMax = 66, 175
)

// atkDrawUN runs the kernel's own unpredictable number code path once:
// a transaction is started (the UN is drawn from Config.Rand at the start
// of application selection) against a card that answers 6A81 to the first
// SELECT, and the UN is read back from the data record.
func atkDrawUN(cfg *kernel.Config, card apdu.Transport) ([4]byte, bool) {
	var un [4]byte
	tx, err := kernel.NewTransaction(cfg, card, kernel.Params{Amount: 100})
	if err != nil {
		return un, false
	}
	tx.Select(context.Background()) // terminated: card blocked
	v, ok := emv.Find(tx.DataRecord(), 0x9F37)
	if !ok || len(v) != 4 {
		return un, false
	}
	copy(un[:], v)
	return un, true
}

// atkBlockedCard answers every command 6A81.
var atkBlockedCard = apdu.TransportFunc(func(context.Context, []byte) ([]byte, error) {
	return []byte{0x6A, 0x81}, nil
})

// TestUnpredictableNumberStatistics draws 10⁶ UNs through the kernel with
// its default random source and tests byte frequencies, the balance of
// bits and the number of repeats against fixed thresholds (see above).
func TestUnpredictableNumberStatistics(t *testing.T) {
	cfg, err := kernel.DefaultConfig("US", "USD")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rand != nil {
		t.Fatal("the default configuration must leave Rand nil (crypto/rand)")
	}
	uns := atkDrawUNs(t, cfg, atkUNDraws)
	chi, ones, repeats := atkUNStatistics(uns)
	t.Logf("%d UNs: byte chi-square %.1f (df 255), one bits %d of %d, repeated pairs %d", len(uns), chi, ones, 32*len(uns), repeats)
	if chi < atkChiLow || chi > atkChiHigh {
		t.Errorf("byte frequencies: chi-square %.1f outside [%.1f, %.1f]", chi, atkChiLow, atkChiHigh)
	}
	if d := ones - 16*int64(len(uns)); d < -atkMonobitMaxDeviation || d > atkMonobitMaxDeviation {
		t.Errorf("monobit: %d one bits, %+d from the mean (bound %d)", ones, d, atkMonobitMaxDeviation)
	}
	if repeats < atkRepeatsMin || repeats > atkRepeatsMax {
		t.Errorf("%d pairs of equal UNs, outside [%d, %d]", repeats, atkRepeatsMin, atkRepeatsMax)
	}
}

// atkDrawUNs draws n UNs through the kernel, on every CPU (transactions
// share the configuration, as the kernel allows).
func atkDrawUNs(t *testing.T, cfg *kernel.Config, n int) []uint32 {
	uns := make([]uint32, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bad := 0
			for i := w; i < n; i += workers {
				un, ok := atkDrawUN(cfg, atkBlockedCard)
				if !ok {
					bad++
				}
				uns[i] = binary.BigEndian.Uint32(un[:])
			}
			mu.Lock()
			failed += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	if failed > 0 {
		t.Fatalf("%d transactions had no 4-byte 9F37 in their data record", failed)
	}
	return uns
}

// atkUNStatistics returns the byte-frequency chi-square, the count of one
// bits and the number of pairs of equal values.
func atkUNStatistics(uns []uint32) (chi float64, ones int64, repeats int) {
	var freq [256]int64
	for _, u := range uns {
		ones += int64(bits.OnesCount32(u))
		for s := 0; s < 32; s += 8 {
			freq[byte(u>>s)]++
		}
	}
	want := float64(4*len(uns)) / 256
	for _, f := range freq {
		d := float64(f) - want
		chi += d * d / want
	}
	sorted := slices.Clone(uns)
	slices.Sort(sorted)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		repeats += (j - i) * (j - i - 1) / 2
		i = j
	}
	return chi, ones, repeats
}

// TestUNStatisticsRejectWeakSources checks that the statistics catch the
// weak unpredictable numbers "Chip and Skim" found in the field — a
// counter, a few fixed values, a generator with a biased byte — so that
// the statistical test above is not vacuous.
func TestUNStatisticsRejectWeakSources(t *testing.T) {
	const n = atkUNDraws
	gen := map[string]func(i int) uint32{
		// A counter (the ATM of §VI that counted up): no repeats at all.
		"counter": func(i int) uint32 { return uint32(i) * 2654435761 },
		// A 17-bit effective UN: many repeats.
		"17 bits": func(i int) uint32 { return (uint32(i) * 2654435761) >> 15 },
		// A good generator whose low byte is biased towards zero.
		"biased byte": func(i int) uint32 {
			var b [4]byte
			rand.Read(b[:])
			if b[3]&3 == 0 {
				b[3] = 0
			}
			return binary.BigEndian.Uint32(b[:])
		},
	}
	for name, g := range gen {
		uns := make([]uint32, n)
		for i := range uns {
			uns[i] = g(i)
		}
		chi, ones, repeats := atkUNStatistics(uns)
		d := ones - 16*int64(n)
		passes := chi >= atkChiLow && chi <= atkChiHigh && d >= -atkMonobitMaxDeviation && d <= atkMonobitMaxDeviation &&
			repeats >= atkRepeatsMin && repeats <= atkRepeatsMax
		if passes {
			t.Errorf("%s: chi-square %.1f, monobit %+d, repeats %d pass the test", name, chi, d, repeats)
		}
	}
}

// TestUNThresholds recomputes the tail probabilities of the monobit and
// repeat thresholds from their distributions (the chi-square ones need the
// incomplete gamma function; their values are documented above).
func TestUNThresholds(t *testing.T) {
	const budget = 1e-6 / 6
	z := float64(atkMonobitMaxDeviation) / (math.Sqrt(32*atkUNDraws) / 2)
	if p := math.Erfc(z/math.Sqrt2) / 2; p > budget {
		t.Errorf("monobit tail %.3g > %.3g", p, budget)
	}
	lambda := float64(atkUNDraws) * float64(atkUNDraws-1) / 2 / (1 << 32)
	pmf := func(k int) float64 {
		lg, _ := math.Lgamma(float64(k + 1))
		return math.Exp(-lambda + float64(k)*math.Log(lambda) - lg)
	}
	var low, high float64
	for k := 0; k < atkRepeatsMin; k++ {
		low += pmf(k)
	}
	for k := atkRepeatsMax + 1; k < 2000; k++ {
		high += pmf(k)
	}
	if low > budget || high > budget {
		t.Errorf("repeat tails %.3g and %.3g; budget %.3g each", low, high, budget)
	}
}

// TestUnpredictableNumberFromConfigRand checks that the UN comes from
// Config.Rand when it is set: the first four bytes the kernel reads are
// the 9F37 it sends (so that a test, or a terminal with a hardware RNG, can
// supply it).
func TestUnpredictableNumberFromConfigRand(t *testing.T) {
	cfg, err := kernel.DefaultConfig("US", "USD")
	if err != nil {
		t.Fatal(err)
	}
	src := &atkRecordingReader{r: rand.Reader}
	cfg.Rand = src
	un, ok := atkDrawUN(cfg, atkBlockedCard)
	if !ok {
		t.Fatal("no 9F37 in the data record")
	}
	if len(src.read) < 4 || !bytes.Equal(src.read[:4], un[:]) {
		t.Errorf("9F37 %X; Config.Rand gave %X", un, src.read)
	}
}

// atkRecordingReader keeps what was read through it.
type atkRecordingReader struct {
	r    io.Reader
	mu   sync.Mutex
	read []byte
}

func (r *atkRecordingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.mu.Lock()
	r.read = append(r.read, p[:n]...)
	r.mu.Unlock()
	return n, err
}

// TestUnpredictableNumberPerTransaction runs whole transactions with the
// default random source and checks that every one has its own UN, and
// that the UN the card signed with (in the first GENERATE AC's CDOL1 data)
// is the one the issuer receives in DE 55 and the Outcome reports. 64
// transactions: a repeat among 64 random 32-bit values has probability
// 4.7×10⁻⁷.
func TestUnpredictableNumberPerTransaction(t *testing.T) {
	const n = 64
	seen := map[[4]byte]int{}
	for i := range n {
		s := atkNewSim(t)
		cfg := atkConfig(t, s, "US")
		cfg.Rand = nil
		rec := apdu.NewRecorder(s.card)
		o, err := atkRun(t, context.Background(), cfg, rec, kernel.Params{Amount: 2500})
		if err != nil || o.Result != kernel.ResultOnlineApproved {
			t.Fatalf("transaction %d: %s (%s) %v", i, o.Result, o.Reason, err)
		}
		un, ok := emv.Find(o.DataRecord, 0x9F37)
		if !ok || len(un) != 4 {
			t.Fatalf("transaction %d: 9F37 %X in the data record", i, un)
		}
		req, _, _ := s.host.last()
		if v, _ := emv.Find(req.DE55, 0x9F37); !bytes.Equal(v, un) {
			t.Errorf("transaction %d: DE 55 9F37 %X, data record %X", i, v, un)
		}
		// The international application's CDOL1 puts 9F37 after
		// 9F02 06, 9F03 06, 9F1A 02, 95 05, 5F2A 02, 9A 03, 9C 01.
		genAC := atkFirstCommand(rec, 0xAE)
		if len(genAC) < 5+25+4 || !bytes.Equal(genAC[5+25:5+29], un) {
			t.Errorf("transaction %d: the first GENERATE AC carries %X, not the UN %X", i, genAC, un)
		}
		k := [4]byte(un)
		if j, dup := seen[k]; dup {
			t.Errorf("transactions %d and %d share the UN %X", j, i, un)
		}
		seen[k] = i
	}
}

// atkFirstCommand returns the first command with this INS.
func atkFirstCommand(rec *apdu.Recorder, ins byte) []byte {
	for _, x := range rec.Exchanges() {
		if len(x.Command) > 1 && x.Command[1] == ins {
			return x.Command
		}
	}
	return nil
}
