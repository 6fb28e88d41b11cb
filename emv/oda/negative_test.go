package oda

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

var (
	rsaChainOnce, sm2ChainOnce sync.Once
	rsaChain, sm2Chain         *testChain
)

// fixedChain returns a shared 1024/1024/768-bit RSA chain (exponent 3,
// so the issuer key needs a remainder) or an SM2 chain. Tests copy what
// they change.
func fixedChain(t *testing.T, alg Algorithm) *testChain {
	if alg == SM2 {
		sm2ChainOnce.Do(func() { sm2Chain = newChain(t, SM2, [3]int{}, 0, 77) })
		return sm2Chain
	}
	rsaChainOnce.Do(func() { rsaChain = newChain(t, RSA, [3]int{1024, 1024, 768}, 3, 78) })
	return rsaChain
}

// rehash recomputes the SHA-1 of a recovered record over rec[1:len-21] and
// extra, in place.
func rehash(rec []byte, extra ...[]byte) {
	h := sha1.New()
	h.Write(rec[1 : len(rec)-21])
	for _, e := range extra {
		h.Write(e)
	}
	copy(rec[len(rec)-21:], h.Sum(nil))
}

// craftIssuerCert returns an issuer certificate of the chain whose
// recovered data mutate changed; the hash is recomputed over the given
// remainder and exponent when rehashed is set.
func craftIssuerCert(t *testing.T, c *testChain, mutate func(rec []byte) (rem, exp []byte, rehashed bool)) []byte {
	t.Helper()
	id, _ := emv.EncodeCompressedNumeric(c.pan[:6], 4)
	head := append(append(id, 0x12, 0x30), 0, 0, 1)
	rec, _, err := rsaCertRecord(c.ca.Key.Public, c.issuer.Public, formatIssuer, head, issuerFixed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rem, exp, ok := mutate(rec); ok {
		rehash(rec, rem, exp)
	}
	return c.ca.Key.rsaPrivate(rec)
}

// negCase flips one thing and expects one failure kind about one object.
type negCase struct {
	name string
	kind error
	obj  Object
	run  func(t *testing.T, c *testChain) error
}

// issuerKeyWith runs IssuerKey on a copy of the chain's card changed by edit.
func issuerKeyWith(c *testChain, edit func(d *CardData, v *Verifier)) error {
	d, v := c.card, *c.verifier()
	edit(&d, &v)
	_, err := v.IssuerKey(c.ca.RID, &d)
	return err
}

// iccKeyWith runs the chain up to the ICC key with a changed card.
func iccKeyWith(t *testing.T, c *testChain, edit func(d *CardData), static []byte) error {
	d := c.card
	edit(&d)
	v := c.verifier()
	ic, err := v.IssuerKey(c.ca.RID, &d)
	if err != nil {
		t.Fatalf("issuer key: %v", err)
	}
	_, err = v.ICCKey(ic, &d, static)
	return err
}

func crafted(c *testChain, cert []byte, rem []byte) func(d *CardData, v *Verifier) {
	return func(d *CardData, v *Verifier) { d.IssuerCert, d.IssuerRemainder = cert, rem }
}

var rsaNegCases = []negCase{
	{"90 absent", ErrMissingData, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = nil })
	}},
	{"unknown CA index", ErrCAKeyNotFound, ObjectCAKey, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.CAIndex = []byte{0x99} })
	}},
	{"CA key expired", ErrCAKeyExpired, ObjectCAKey, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) {
			k := c.ca.CAKey()
			k.Expiry = c.date.AddDate(0, 0, -1)
			v.Store = NewStore(Test)
			v.Store.Add(k)
		})
	}},
	{"certificate one byte short", ErrCertLength, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = d.IssuerCert[:len(d.IssuerCert)-1] })
	}},
	{"trailer BD", ErrRecoveredTrailer, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) { rec[len(rec)-1] = 0xBD; return nil, nil, false })
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"header 6B", ErrRecoveredHeader, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) { rec[0] = 0x6B; return nil, nil, false })
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"format 04 in an issuer certificate", ErrCertFormat, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) {
			rec[1] = formatICC
			return c.card.IssuerRemainder, []byte{3}, true
		})
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"hash algorithm 02", ErrHashAlgorithm, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) {
			rec[11] = 0x02
			return c.card.IssuerRemainder, []byte{3}, true
		})
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"remainder byte changed", ErrHashMismatch, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		rem := bytes.Clone(c.card.IssuerRemainder)
		rem[0] ^= 1
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerRemainder = rem })
	}},
	{"PAN of another issuer", ErrIssuerIDMismatch, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.PAN = []byte{0x62, 0x12, 0x35, 0x67, 0x89, 0x01, 0x23, 0x45, 0x67} })
	}},
	{"issuer certificate expired", ErrCertExpired, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { v.Date = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) })
	}},
	{"serial revoked", ErrCertRevoked, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) {
			v.Store = NewStore(Test)
			v.Store.Add(c.ca.CAKey())
			v.Store.Revoke(c.ca.RID, c.ca.Index, [3]byte{0, 0, 1})
		})
	}},
	{"key algorithm 02", ErrKeyAlgorithm, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) {
			rec[12] = 0x02
			return c.card.IssuerRemainder, []byte{3}, true
		})
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"issuer key longer than the CA key", ErrKeyLength, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) { rec[13]++; return c.card.IssuerRemainder, []byte{3}, true })
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"exponent length 3 for 9F32 = 03", ErrExponent, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) { rec[14] = 3; return c.card.IssuerRemainder, []byte{3}, true })
		return issuerKeyWith(c, crafted(c, cert, c.card.IssuerRemainder))
	}},
	{"exponent 5", ErrExponent, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) { return c.card.IssuerRemainder, []byte{5}, true })
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert, d.IssuerExponent = cert, []byte{5} })
	}},
	{"92 absent", ErrRemainderMissing, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerRemainder = nil })
	}},
	{"92 one byte too long, signed so", ErrRemainderLength, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		rem := append(bytes.Clone(c.card.IssuerRemainder), 0x00)
		cert := craftIssuerCert(t, c, func(rec []byte) ([]byte, []byte, bool) { return rem, []byte{3}, true })
		return issuerKeyWith(c, crafted(c, cert, rem))
	}},
	{"ICC certificate over changed static data", ErrHashMismatch, ObjectICCCert, func(t *testing.T, c *testChain) error {
		static := bytes.Clone(c.static)
		static[3] ^= 1
		return iccKeyWith(t, c, func(d *CardData) {}, static)
	}},
	{"ICC certificate of another PAN", ErrPANMismatch, ObjectICCCert, func(t *testing.T, c *testChain) error {
		cc, err := IssueICCCertificate(seeded(1), c.issuer, c.icc.Public, CertInfo{ID: "6212345678901234568", Expiry: [2]byte{0x12, 0x29}}, c.static)
		if err != nil {
			t.Fatal(err)
		}
		return iccKeyWith(t, c, func(d *CardData) { d.ICCCert = cc.Cert }, c.static)
	}},
	{"ICC certificate expired", ErrCertExpired, ObjectICCCert, func(t *testing.T, c *testChain) error {
		cc, err := IssueICCCertificate(seeded(1), c.issuer, c.icc.Public, CertInfo{ID: c.pan, Expiry: [2]byte{0x05, 0x25}}, c.static)
		if err != nil {
			t.Fatal(err)
		}
		return iccKeyWith(t, c, func(d *CardData) { d.ICCCert = cc.Cert }, c.static)
	}},
	{"9F4A lists 9F37", ErrSDATagList, ObjectStaticData, func(t *testing.T, c *testChain) error {
		_, err := StaticData(c.afl, c.records, c.aip, []byte{0x9F, 0x37})
		return err
	}},
	{"ODA record of SFI 1 in template 71", ErrODARecord, ObjectStaticData, func(t *testing.T, c *testChain) error {
		recs := append([]Record(nil), c.records...)
		recs[0].Data = append([]byte{0x71}, recs[0].Data[1:]...)
		_, err := StaticData(c.afl, recs, c.aip, []byte{0x82})
		return err
	}},
	{"SSAD over changed static data", ErrHashMismatch, ObjectSSAD, func(t *testing.T, c *testChain) error {
		ic, _ := c.keys(t)
		static := bytes.Clone(c.static)
		static[len(static)-1] ^= 1
		_, err := VerifySSAD(ic.Key, c.card.SSAD, static)
		return err
	}},
	{"ICC dynamic number of 1 byte", ErrDynamicDataFormat, ObjectSDAD, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		sdad, err := SignDynamicData(seeded(2), c.icc, []byte{1, 0xAA}, []byte{1, 2, 3, 4})
		if err != nil {
			t.Fatal(err)
		}
		_, err = VerifyDDA(cc.Key, sdad, []byte{1, 2, 3, 4})
		return err
	}},
	{"CDA with CID 80 in 9F27, 40 signed", ErrCIDMismatch, ObjectCDA, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		in := cdaFor(t, c)
		in.CID = 0x80
		_, err := VerifyCDA(cc.Key, in)
		return err
	}},
	{"CDA with a response byte changed", ErrTransactionHash, ObjectCDA, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		in := cdaFor(t, c)
		in.Response = bytes.Clone(in.Response)
		in.Response[len(in.Response)-1] ^= 1
		_, err := VerifyCDA(cc.Key, in)
		return err
	}},
	{"CDA with another unpredictable number", ErrHashMismatch, ObjectCDA, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		in := cdaFor(t, c)
		in.UN = []byte{9, 9, 9, 9}
		_, err := VerifyCDA(cc.Key, in)
		return err
	}},
	{"INTERNAL AUTHENTICATE 77 without 9F4B", ErrResponseFormat, ObjectSDAD, func(t *testing.T, c *testChain) error {
		_, err := ParseInternalAuthenticate(unhex(t, "77049F270140"))
		return err
	}},
}

// cdaFor signs a CDA response of the chain's card (CID 40).
func cdaFor(t *testing.T, c *testChain) CDAInput {
	in := CDAInput{CID: 0x40, UN: []byte{1, 2, 3, 4}, CDOL1Data: bytes.Repeat([]byte{3}, 29), Response: unhex(t, "9F2701409F36020010")}
	var err error
	if in.SDAD, err = SignCDA(seeded(3), c.icc, []byte{5, 6, 7, 8}, 0x40, bytes.Repeat([]byte{0xAC}, 8), &in); err != nil {
		t.Fatal(err)
	}
	return in
}

// sm2Cert returns a copy of an SM2 certificate with byte i set to b.
func withByte(cert []byte, i int, b byte) []byte {
	c := bytes.Clone(cert)
	c[i] = b
	return c
}

var sm2NegCases = []negCase{
	{"SM2 issuer certificate one byte short", ErrCertLength, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = d.IssuerCert[:141] })
	}},
	{"SM2 issuer certificate format 02", ErrCertFormat, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = withByte(d.IssuerCert, 0, 0x02) })
	}},
	{"SM2 signature algorithm 05", ErrHashAlgorithm, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = withByte(d.IssuerCert, 10, 0x05) })
	}},
	{"SM2 parameter 12", ErrKeyAlgorithm, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = withByte(d.IssuerCert, 12, 0x12) })
	}},
	{"SM2 key length 41", ErrKeyLength, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = withByte(d.IssuerCert, 13, 0x41) })
	}},
	{"SM2 issuer key byte changed", ErrSignature, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = withByte(d.IssuerCert, 20, d.IssuerCert[20]^1) })
	}},
	{"SM2 issuer key off the curve, signed so", ErrInvalidKey, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		bad := c.issuer.Public
		bad.Modulus = bytes.Clone(bad.Modulus)
		bad.Modulus[63] ^= 1
		cert, err := sm2Cert(seeded(4), c.ca.Key, bad, formatSM2Issuer, append(unhex(t, "621234FF"), 0x12, 0x30, 0, 0, 1), nil, false)
		if err != nil {
			t.Fatal(err)
		}
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerCert = cert.Cert })
	}},
	{"SM2 PAN of another issuer", ErrIssuerIDMismatch, ObjectIssuerCert, func(t *testing.T, c *testChain) error {
		return issuerKeyWith(c, func(d *CardData, v *Verifier) { d.PAN = unhex(t, "6299345678901234567F") })
	}},
	{"SM2 ICC certificate over changed static data", ErrSignature, ObjectICCCert, func(t *testing.T, c *testChain) error {
		static := bytes.Clone(c.static)
		static[0] ^= 1
		return iccKeyWith(t, c, func(d *CardData) {}, static)
	}},
	{"SM2 ICC certificate format 12", ErrCertFormat, ObjectICCCert, func(t *testing.T, c *testChain) error {
		return iccKeyWith(t, c, func(d *CardData) { d.ICCCert = withByte(d.ICCCert, 0, 0x12) }, c.static)
	}},
	{"SM2 SSAD of 66 bytes", ErrCertLength, ObjectSSAD, func(t *testing.T, c *testChain) error {
		ic, _ := c.keys(t)
		_, err := VerifySSAD(ic.Key, c.card.SSAD[:66], c.static)
		return err
	}},
	{"SM2 CDA with another unpredictable number", ErrSignature, ObjectCDA, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		in := cdaFor(t, c)
		in.UN = []byte{9, 9, 9, 9}
		_, err := VerifyCDA(cc.Key, in)
		return err
	}},
	{"SM2 CDA with a response byte changed", ErrTransactionHash, ObjectCDA, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		in := cdaFor(t, c)
		in.PDOLData = []byte{0}
		_, err := VerifyCDA(cc.Key, in)
		return err
	}},
	{"SM2 dynamic data format 05", ErrCertFormat, ObjectSDAD, func(t *testing.T, c *testChain) error {
		_, cc := c.keys(t)
		sdad, _ := SignDynamicData(seeded(5), c.icc, ICCDynamicData([]byte{1, 2}), nil)
		_, err := VerifyDDA(cc.Key, withByte(sdad, 0, 0x05), nil)
		return err
	}},
}

// TestFailureKinds flips one thing per case and checks the kind of failure
// (errors.Is) and the object the *Error names.
func TestFailureKinds(t *testing.T) {
	for _, set := range []struct {
		alg   Algorithm
		cases []negCase
	}{{RSA, rsaNegCases}, {SM2, sm2NegCases}} {
		c := fixedChain(t, set.alg)
		if _, _ = c.keys(t); t.Failed() {
			t.Fatalf("%s chain does not verify unchanged", set.alg)
		}
		for _, tc := range set.cases {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.run(t, c)
				if !errors.Is(err, tc.kind) {
					t.Fatalf("got %v, want %v", err, tc.kind)
				}
				var e *Error
				if !errors.As(err, &e) || e.Object != tc.obj {
					t.Errorf("error %v is not an *Error about %s", err, tc.obj)
				}
			})
		}
	}
}

// A missing remainder is also missing ICC data (Book 2 §5.1), so that the
// kernel sets "ICC data missing".
func TestRemainderMissingIsMissingData(t *testing.T) {
	c := fixedChain(t, RSA)
	err := issuerKeyWith(c, func(d *CardData, v *Verifier) { d.IssuerRemainder = nil })
	if !errors.Is(err, ErrRemainderMissing) || !errors.Is(err, ErrMissingData) {
		t.Errorf("got %v", err)
	}
}

func TestInvalidKeys(t *testing.T) {
	for _, c := range []struct {
		name     string
		mod, exp []byte
		kind     error
	}{
		{"even modulus", []byte{0xC1, 0x02}, []byte{3}, ErrInvalidKey},
		{"leading zero", []byte{0x00, 0x03}, []byte{3}, ErrInvalidKey},
		{"exponent 2", []byte{0xC1, 0x03}, []byte{2}, ErrExponent},
		{"exponent of 4 bytes", []byte{0xC1, 0x03}, []byte{0, 1, 0, 1}, ErrExponent},
	} {
		if _, err := NewRSAPublicKey(c.mod, c.exp); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", c.name, err, c.kind)
		}
	}
	if _, err := NewSM2PublicKey(bytes.Repeat([]byte{1}, 64)); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("SM2 point off the curve: %v", err)
	}
}
