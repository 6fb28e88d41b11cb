package oda

import (
	"crypto/sha1"
	"math/big"
	"sync"
	"testing"
	"time"
)

// benchCard is a CDA card under a 1984-bit CA, a 1408-bit issuer key and a
// 1152-bit ICC key (exponent 3), with one CDA GENERATE AC response.
type benchCard struct {
	c  *testChain
	in CDAInput
}

var benchCardOnce = sync.OnceValue(func() *benchCard {
	tb := &testing.T{}
	c := newChain(tb, RSA, [3]int{1984, 1408, 1152}, 3, 120)
	in := CDAInput{CID: 0x40, UN: []byte{0x12, 0x34, 0x57, 0x79}, CDOL1Data: unhex(tb, cdaCDOL1Data), Response: unhex(tb, cdaResponse)}
	var err error
	if in.SDAD, err = SignCDA(seeded(121), c.icc, []byte{1, 2, 3, 4, 5, 6, 7, 8}, 0x40, []byte{9, 9, 9, 9, 9, 9, 9, 9}, &in); err != nil {
		panic(err)
	}
	return &benchCard{c, in}
})

// verifyCDAOnce is what a kernel does for CDA after the first GENERATE AC:
// CA key lookup, issuer certificate recovery and checks, ICC certificate
// recovery and checks over the static data, and the CDA signature with its
// transaction data hash.
func verifyCDAOnce(tb testing.TB) func() {
	bc := benchCardOnce()
	c := bc.c
	v := c.verifier()
	return func() {
		ic, err := v.IssuerKey(c.ca.RID, &c.card)
		if err != nil {
			tb.Fatal(err)
		}
		cc, err := v.ICCKey(ic, &c.card, c.static)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := VerifyCDA(cc.Key, bc.in); err != nil {
			tb.Fatal(err)
		}
	}
}

// cdaFloorOnce is the least any implementation must do for the same card:
// the three RSA public operations (math/big, as crypto/rsa offers no raw
// operation; each from the bytes of its modulus except the CA's, which a
// terminal holds ready) and the four SHA-1 computations over the same
// inputs, prepared in advance.
func cdaFloorOnce(tb testing.TB) func() {
	bc := benchCardOnce()
	c := bc.c
	caN := new(big.Int).SetBytes(c.ca.Key.Public.Modulus)
	issuerMod, iccMod := c.issuer.Public.Modulus, c.icc.Public.Modulus
	e := big.NewInt(3)
	// The hash inputs, as the verifier builds them from the recovered data.
	ic, cc := c.keys(tb)
	recI := c.ca.Key.Public.rsaPublic(c.card.IssuerCert)
	recC := ic.Key.rsaPublic(c.card.ICCCert)
	recS := cc.Key.rsaPublic(bc.in.SDAD)
	hashInI := sm2Concat(recI[1:len(recI)-21], c.card.IssuerRemainder, c.card.IssuerExponent)
	hashInC := sm2Concat(recC[1:len(recC)-21], c.card.ICCRemainder, c.card.ICCExponent, c.static)
	hashInS := sm2Concat(recS[1:len(recS)-21], bc.in.UN)
	hashInT := sm2Concat(bc.in.PDOLData, bc.in.CDOL1Data, bc.in.Response)
	op := func(n *big.Int, x []byte, size int) []byte {
		m := new(big.Int).SetBytes(x)
		return m.Exp(m, e, n).FillBytes(make([]byte, size))
	}
	return func() {
		op(caN, c.card.IssuerCert, len(c.card.IssuerCert))
		op(new(big.Int).SetBytes(issuerMod), c.card.ICCCert, len(issuerMod))
		op(new(big.Int).SetBytes(iccMod), bc.in.SDAD, len(iccMod))
		sha1.Sum(hashInI)
		sha1.Sum(hashInC)
		sha1.Sum(hashInS)
		sha1.Sum(hashInT)
	}
}

// BenchmarkVerifyCDA times verifyCDAOnce. Compare with
// BenchmarkVerifyCDAFloor in the same run, or read the ratio that
// BenchmarkVerifyCDARatio reports.
func BenchmarkVerifyCDA(b *testing.B) {
	f := verifyCDAOnce(b)
	b.ReportAllocs()
	for b.Loop() {
		f()
	}
}

// BenchmarkVerifyCDAFloor times cdaFloorOnce.
func BenchmarkVerifyCDAFloor(b *testing.B) {
	f := cdaFloorOnce(b)
	b.ReportAllocs()
	for b.Loop() {
		f()
	}
}

// BenchmarkVerifyCDARatio runs ours and the floor alternately in one loop
// and reports ours ÷ floor as "ratio", so that load from other processes
// on the machine falls on both alike.
func BenchmarkVerifyCDARatio(b *testing.B) {
	ours, floor := verifyCDAOnce(b), cdaFloorOnce(b)
	var tOurs, tFloor time.Duration
	for b.Loop() {
		t0 := time.Now()
		ours()
		t1 := time.Now()
		floor()
		tOurs += t1.Sub(t0)
		tFloor += time.Since(t1)
	}
	b.ReportMetric(float64(tOurs)/float64(tFloor), "ratio")
}
