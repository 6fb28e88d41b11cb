package kernel_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"fmt"
	"math/big"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
)

// benchTrace is the transaction both benchmarks measure: the simulated
// dual-cn card's international application approving offline with CDA in
// the United States (1984-bit CA, 1408-bit issuer, 1152-bit ICC key,
// exponent 3), with an offline enciphered PIN.
const benchTrace = traceDir + "/kernel-Dual-USA-OfflineCDA"

func benchSetup(b *testing.B) ([]apdu.Exchange, *kernel.Config, kernel.Params) {
	b.Helper()
	f, err := os.Open(benchTrace)
	if err != nil {
		b.Fatalf("%v (record it: go test ./kernel -run TestTraces -update)", err)
	}
	defer f.Close()
	ex, err := apdu.ParseTrace(f)
	if err != nil {
		b.Fatal(err)
	}
	tc := simTraces[len(simTraces)-1]
	return ex, tc.config(b), tc.params
}

// BenchmarkTransaction is a whole CDA transaction, selection to the
// approval, against the replayed trace: only the kernel (and the replayer's
// comparisons) is timed. One Transaction is reset for each, as a terminal
// running one transaction after another does (Transaction.Reset). Compare
// with BenchmarkODAFloor in the same run, or read
// BenchmarkTransactionRatio.
func BenchmarkTransaction(b *testing.B) {
	tx := transactionOnce(b)
	b.ReportAllocs()
	for b.Loop() {
		tx()
	}
}

// BenchmarkTransactionNew is BenchmarkTransaction with a new Transaction
// for each transaction (NewTransaction rather than Reset): what an
// integrator who does not keep one pays.
func BenchmarkTransactionNew(b *testing.B) {
	ex, cfg, p := benchSetup(b)
	ctx := context.Background()
	r := &rewindCard{ex: ex}
	b.ReportAllocs()
	for b.Loop() {
		r.n = 0
		tx, err := kernel.NewTransaction(cfg, r, p)
		if err != nil {
			b.Fatal(err)
		}
		if o, err := tx.Run(ctx); err != nil || o.Result != kernel.ResultApproved || r.n != len(ex) {
			b.Fatalf("%v %v, %d of %d exchanges", err, o.Result, r.n, len(ex))
		}
	}
}

// transactionOnce returns one iteration of BenchmarkTransaction.
func transactionOnce(b *testing.B) func() {
	ex, cfg, p := benchSetup(b)
	ctx := context.Background()
	r := &rewindCard{ex: ex}
	tx, err := kernel.NewTransaction(cfg, r, p)
	if err != nil {
		b.Fatal(err)
	}
	return func() {
		r.n = 0
		if err := tx.Reset(r, p); err != nil {
			b.Fatal(err)
		}
		o, err := tx.Run(ctx)
		if err != nil || o.Result != kernel.ResultApproved || !o.ODAOK || r.n != len(ex) {
			b.Fatalf("%v %v %s, %d of %d exchanges", err, o.Result, o.ODAError, r.n, len(ex))
		}
	}
}

// BenchmarkTransactionRatio runs one kernel transaction and one floor
// iteration alternately in one loop, timing each, and reports the
// kernel's total time over the floor's as "ratio". The machine the
// benchmarks run on is shared; interleaving puts the same load on both,
// which two benchmarks run one after the other do not. A few iterations
// descheduled by the system still weigh on the totals, so it also reports
// the ratio of the median iterations, "p50-ratio", which they do not move.
func BenchmarkTransactionRatio(b *testing.B) {
	ours, floor := transactionOnce(b), odaFloorOnce(b)
	var tOurs, tFloor time.Duration
	var dOurs, dFloor []time.Duration
	for b.Loop() {
		t0 := time.Now()
		ours()
		t1 := time.Now()
		floor()
		t2 := time.Now()
		tOurs += t1.Sub(t0)
		tFloor += t2.Sub(t1)
		dOurs, dFloor = append(dOurs, t1.Sub(t0)), append(dFloor, t2.Sub(t1))
	}
	b.ReportMetric(float64(tOurs)/float64(tFloor), "ratio")
	b.ReportMetric(float64(median(dOurs))/float64(median(dFloor)), "p50-ratio")
}

// median returns the median of d, which it sorts.
func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// rewindCard replays a trace strictly, like apdu.Replayer, but can be
// rewound instead of rebuilt: apdu.NewReplayer copies its trace, which a
// benchmark of the kernel must not time. TestTraces replays the same trace
// with apdu.Replayer.
type rewindCard struct {
	ex []apdu.Exchange
	n  int
}

func (c *rewindCard) Transmit(_ context.Context, cmd []byte) ([]byte, error) {
	if c.n >= len(c.ex) || !bytes.Equal(c.ex[c.n].Command, cmd) {
		return nil, fmt.Errorf("exchange %d: %w", c.n+1, apdu.ErrReplayMismatch)
	}
	c.n++
	return c.ex[c.n-1].Response, nil
}

// BenchmarkODAFloor is the least any kernel must compute for the same
// transaction: the four RSA public operations (issuer certificate under
// the CA key, ICC certificate under the issuer key, the offline PIN
// encipherment and the CDA signature under the ICC key; math/big, as
// crypto/rsa offers no raw operation; moduli from their bytes except the
// CA's, which a terminal holds ready) and the four SHA-1 hashes over the
// same inputs, prepared in advance.
func BenchmarkODAFloor(b *testing.B) {
	floor := odaFloorOnce(b)
	b.ReportAllocs()
	for b.Loop() {
		floor()
	}
}

// odaFloorOnce returns one iteration of BenchmarkODAFloor.
func odaFloorOnce(b *testing.B) func() {
	ex, cfg, _ := benchSetup(b)
	d := benchData(b, ex, cfg)
	e := big.NewInt(3)
	op := func(n *big.Int, x []byte, size int) []byte {
		m := new(big.Int).SetBytes(x)
		return m.Exp(m, e, n).FillBytes(make([]byte, size))
	}
	caN := new(big.Int).SetBytes(d.caMod)
	return func() {
		op(caN, d.issuerCert, len(d.caMod))
		op(new(big.Int).SetBytes(d.issuerMod), d.iccCert, len(d.issuerMod))
		iccN := new(big.Int).SetBytes(d.iccMod)
		op(iccN, d.pinMsg, len(d.iccMod))
		op(iccN, d.sdad, len(d.iccMod))
		for _, in := range d.hashIn {
			sha1.Sum(in)
		}
	}
}

// floorData is what the floor computes on.
type floorData struct {
	caMod, issuerMod, iccMod  []byte
	issuerCert, iccCert, sdad []byte
	pinMsg                    []byte
	hashIn                    [][]byte
}

// benchData gathers the trace's certificates and signature and the hash
// inputs a verifier builds, with package oda outside the timed loop.
func benchData(b *testing.B, ex []apdu.Exchange, cfg *kernel.Config) *floorData {
	var d floorData
	var card oda.CardData
	var records []oda.Record
	var afl []emv.AFLEntry
	var aip, tagList, pdolData, cdol1Data, genac []byte
	for _, x := range ex {
		resp := x.Response[:len(x.Response)-2]
		c, _ := apdu.ParseCommand(x.Command)
		switch c.INS {
		case apdu.INSReadRecord:
			records = append(records, oda.Record{SFI: int(c.P2 >> 3), Number: int(c.P1), Data: resp})
			if body, ok := emv.Find(resp, 0x70); ok {
				card.AddRecord(resp)
				if v, ok := emv.Find(body, 0x9F4A); ok {
					tagList = v
				}
			}
		case apdu.INSGetProcessingOptions:
			pdolData = c.Data[2:]
			if v, ok := emv.Find(resp, 0x82); ok {
				aip = v
			}
			if v, ok := emv.Find(resp, 0x94); ok {
				afl, _ = emv.ParseAFL(v)
			}
		case apdu.INSGenerateAC:
			cdol1Data, genac = c.Data, resp
		}
	}
	card.AIP = aip
	static, err := oda.StaticData(afl, records, aip, tagList)
	if err != nil {
		b.Fatal(err)
	}
	rid := [5]byte{0xA0, 0x00, 0x00, 0x00, 0x25}
	v := oda.Verifier{Store: cfg.CAKeys, Date: testTime}
	ic, err := v.IssuerKey(rid, &card)
	if err != nil {
		b.Fatal(err)
	}
	cc, err := v.ICCKey(ic, &card, static)
	if err != nil {
		b.Fatal(err)
	}
	ca, _ := cfg.CAKeys.Lookup(rid, card.CAIndex[0])
	r, err := oda.ParseGenerateAC(genac)
	if err != nil {
		b.Fatal(err)
	}
	d.caMod, d.issuerMod, d.iccMod = ca.Key.Modulus, ic.Key.Modulus, cc.Key.Modulus
	d.issuerCert, d.iccCert, d.sdad = card.IssuerCert, card.ICCCert, r.SDAD
	d.pinMsg = append([]byte{0x7F}, make([]byte, len(d.iccMod)-1)...)
	rec := func(mod, x []byte) []byte {
		m := new(big.Int).SetBytes(x)
		return m.Exp(m, big.NewInt(3), new(big.Int).SetBytes(mod)).FillBytes(make([]byte, len(mod)))
	}
	ri, rc, rs := rec(d.caMod, d.issuerCert), rec(d.issuerMod, d.iccCert), rec(d.iccMod, d.sdad)
	cat := func(p ...[]byte) (out []byte) {
		for _, x := range p {
			out = append(out, x...)
		}
		return out
	}
	d.hashIn = [][]byte{
		cat(ri[1:len(ri)-21], card.IssuerRemainder, card.IssuerExponent),
		cat(rc[1:len(rc)-21], card.ICCRemainder, card.ICCExponent, static),
		cat(rs[1:len(rs)-21], cdol1Data[25:29]), // 9F37 in the Amex CDOL1
		cat(pdolData, cdol1Data, r.Signed),
	}
	return &d
}
