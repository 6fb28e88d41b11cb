package oda

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

// addFiles seeds a fuzz target with every file matching pattern (relative
// to the module's testdata) and, when lines is set, with each of its lines.
func addFiles(f *testing.F, pattern string, lines bool) {
	paths, err := filepath.Glob("../../testdata/" + pattern)
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files for %s: %v", pattern, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		if lines {
			for _, l := range strings.Split(string(b), "\n") {
				f.Add([]byte(l))
			}
		}
	}
}

// FuzzParseCAKeys: the capk.txt parser never panics, and every key it
// accepts has a checksum that matches and writes back to a line that reads
// as the same key.
func FuzzParseCAKeys(f *testing.F) {
	addFiles(f, "capk/*.txt", true)
	f.Add([]byte("a0:00:00:00:03 01 091231 rsa 03 c6 sha1 00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseCAKeys(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, k := range keys {
			if !bytes.Equal(k.Checksum, k.ComputeChecksum()) {
				t.Fatalf("%s accepted with checksum %X", &k, k.Checksum)
			}
			line, _ := k.MarshalText()
			again, err := ParseCAKeys(bytes.NewReader(line))
			if err != nil || len(again) != 1 || !bytes.Equal(again[0].Key.Modulus, k.Key.Modulus) {
				t.Fatalf("%s does not read back from %q: %v", &k, line, err)
			}
		}
	})
}

// FuzzReadStore: the store reader (text and JSON) never panics; a store it
// accepts writes to JSON that reads back with the same keys.
func FuzzReadStore(f *testing.F) {
	addFiles(f, "capk/*.txt", false)
	f.Add([]byte(`{"kind":"test","keys":[{"rid":"A000000333","index":"18","algorithm":"sm2","modulus":"37710FEB7CC3617767874E85509C268E8F931D68773E93A89F39A4247DFE2D280FC5BC838353885B6DAD447C8F90116BD9D314047591989F67F319544D42A48B"}],"revoked":[{"rid":"A000000333","index":"18","serial":"000001"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadStore(bytes.NewReader(data))
		if err != nil {
			return
		}
		j, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := ReadStore(bytes.NewReader(j))
		if err != nil || len(s2.Keys()) != len(s.Keys()) || s2.Kind() != s.Kind() {
			t.Fatalf("JSON %s does not read back: %v", j, err)
		}
	})
}

// FuzzParseImages: the card image parser never panics, and CheckImage
// never panics on an image it accepts.
func FuzzParseImages(f *testing.F) {
	addFiles(f, "images/*.json", false)
	store := NewStore(Production)
	for _, name := range []string{"production.txt"} {
		b, err := os.ReadFile("../../testdata/capk/" + name)
		if err != nil {
			f.Fatal(err)
		}
		keys, err := ParseCAKeys(bytes.NewReader(b))
		if err != nil {
			f.Fatal(err)
		}
		for _, k := range keys {
			store.Add(k)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		imgs, err := ParseImages(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrImage) {
				t.Fatalf("error %v does not wrap ErrImage", err)
			}
			return
		}
		for i := range imgs {
			r := CheckImage(store, &imgs[i], dateOfVectors)
			if len(r.Failures) != len(r.Errors) {
				t.Fatal("failures and errors differ")
			}
		}
	})
}

var dateOfVectors = mustDate("150101")

func mustDate(s string) time.Time {
	d, err := parseYYMMDD(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fuzzKeys are a CA, issuer and ICC key (1024, 1024, 768 bits, exponent 3)
// generated once for the certificate fuzz targets.
var fuzzKeys = sync.OnceValue(func() [3]*PrivateKey {
	r := seeded(250)
	var k [3]*PrivateKey
	for i, bits := range []int{1024, 1024, 768} {
		var err error
		if k[i], err = GenerateRSAKey(r, bits, 3); err != nil {
			panic(err)
		}
	}
	return k
})

// fuzzRecord pads or cuts content to n bytes.
func fuzzRecord(content []byte, n int) []byte {
	rec := make([]byte, n)
	copy(rec, content)
	return rec
}

// FuzzRecoverIssuerCert feeds certificate bytes to recovery with the
// Mastercard production key 05 of the published vectors: never a panic,
// and every error is an *Error.
func FuzzRecoverIssuerCert(f *testing.F) {
	f.Add(unhex(f, ddaIssuerCert), unhex(f, ddaRemainder), []byte{3})
	f.Add(unhex(f, ddaIssuerCert)[1:], []byte(nil), []byte{1, 0, 1})
	ca, err := NewRSAPublicKey(unhex(f, "B8048ABC30C90D976336543E3FD7091C8FE4800DF820ED55E7E94813ED00555B573FECA3D84AF6131A651D66CFF4284FB13B635EDD0EE40176D8BF04B7FD1C7BACF9AC7327DFAA8AA72D10DB3B8E70B2DDD811CB4196525EA386ACC33C0D9D4575916469C4E4F53E8E1C912CC618CB22DDE7C3568E90022E6BBA770202E4522A2DD623D180E215BD1D1507FE3DC90CA310D27B3EFCCD8F83DE3052CAD1E48938C68D095AAC91B5F37E28BB49EC7ED597"), []byte{3})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cert, rem, exp []byte) {
		c, err := RecoverIssuerCertificate(ca, cert, rem, exp)
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %v is not an *Error", err)
		}
		if err == nil && c.Key.Len() > ca.Len() {
			t.Fatalf("issuer key longer than the CA key")
		}
	})
}

// FuzzIssuerCertContent signs fuzzed recovered data with a known CA key, so
// that every check after the recovery is reached: never a panic, errors are
// *Error, and an accepted certificate yields exactly the key it describes
// (leftmost digits, then the remainder).
func FuzzIssuerCertContent(f *testing.F) {
	keys := fuzzKeys()
	rec, rem, err := rsaCertRecord(keys[0].Public, keys[1].Public, formatIssuer, unhex(f, "621234FF1230000001"), issuerFixed, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(rec, rem, []byte{3})
	f.Add(rec[:40], []byte(nil), []byte{1, 0, 1})
	f.Fuzz(func(t *testing.T, content, rem, exp []byte) {
		n := keys[0].Public.Len()
		rec := fuzzRecord(content, n)
		rec[0] = 0x6A // recovered data above the modulus cannot be signed
		cert := keys[0].rsaPrivate(rec)
		c, err := RecoverIssuerCertificate(keys[0].Public, cert, rem, exp)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		ni := int(rec[13])
		want := append(append([]byte(nil), rec[15:15+min(ni, n-issuerFixed)]...), rem...)
		if !bytes.Equal(c.Key.Modulus, want) || c.Key.Len() != ni {
			t.Fatalf("accepted a certificate whose key is not what it says")
		}
	})
}

// FuzzICCCertContent does the same for ICC certificates.
func FuzzICCCertContent(f *testing.F) {
	keys := fuzzKeys()
	static := []byte{0x5A, 0x02, 0x12, 0x34}
	rec, rem, err := rsaCertRecord(keys[1].Public, keys[2].Public, formatICC, unhex(f, "1234FFFFFFFFFFFFFFFF1230000002"), iccFixed, static)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(rec, rem, []byte{3}, static)
	f.Fuzz(func(t *testing.T, content, rem, exp, static []byte) {
		rec := fuzzRecord(content, keys[1].Public.Len())
		rec[0] = 0x6A
		c, err := RecoverICCCertificate(keys[1].Public, keys[1].rsaPrivate(rec), rem, exp, static)
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("error %v is not an *Error", err)
		}
		if err == nil && c.Key.Len() != int(rec[19]) {
			t.Fatalf("ICC key of %d bytes, certificate says %d", c.Key.Len(), rec[19])
		}
	})
}

// FuzzDynamicContent signs fuzzed signed-dynamic-data content with the ICC
// key and verifies it as DDA and as CDA: never a panic; a verified CDA's
// AC and CID lie inside the ICC dynamic data.
func FuzzDynamicContent(f *testing.F) {
	keys := fuzzKeys()
	f.Add(append([]byte{0x6A, 0x05, 0x01, 0x09, 0x08}, bytes.Repeat([]byte{1}, 8)...), []byte{1, 2, 3, 4}, byte(0x40))
	f.Fuzz(func(t *testing.T, content, terminal []byte, cid byte) {
		n := keys[2].Public.Len()
		rec := fuzzRecord(content, n)
		rec[0] = 0x6A
		sdad := keys[2].rsaPrivate(rec)
		if dd, err := VerifyDDA(keys[2].Public, sdad, terminal); err == nil && (len(dd.IDN) < 2 || len(dd.IDN) > 8) {
			t.Fatalf("IDN of %d bytes accepted", len(dd.IDN))
		}
		r, err := VerifyCDA(keys[2].Public, CDAInput{SDAD: sdad, CID: cid, UN: terminal})
		if err == nil && (r.CID != cid || len(r.AC) != 8) {
			t.Fatalf("CDA result %+v", r)
		}
	})
}

// FuzzSM2Objects feeds bytes to the SM2 certificate and signed data
// parsers, with the issuer key of the UnionPay test card: never a panic.
func FuzzSM2Objects(f *testing.F) {
	issuer, err := NewSM2PublicKey(unhex(f, upIssuerKey))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(unhex(f, upICCCert), unhex(f, upStatic))
	f.Add(unhex(f, upSSAD), unhex(f, upStatic))
	f.Fuzz(func(t *testing.T, obj, data []byte) {
		RecoverIssuerCertificate(issuer, obj, nil, nil)
		RecoverICCCertificate(issuer, obj, nil, nil, data)
		VerifySSAD(issuer, obj, data)
		VerifyDDA(issuer, obj, data)
		VerifyCDA(issuer, CDAInput{SDAD: obj, UN: data})
	})
}

// FuzzResponses feeds bytes to the INTERNAL AUTHENTICATE and GENERATE AC
// response parsers: never a panic; a parsed format 2 response's signed
// objects are a sequence of whole TLV objects without 9F4B.
func FuzzResponses(f *testing.F) {
	f.Add(unhex(f, "8003010203"))
	f.Add(unhex(f, "77079F4B04CAFEBABE"))
	f.Add(unhex(f, "771B9F2701409F360200109F4B0401020304"+"9F10050102030405"))
	f.Add(unhex(f, "800B8000011234567890123456"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ParseInternalAuthenticate(data)
		r, err := ParseGenerateAC(data)
		if err != nil || r.Format != 2 {
			return
		}
		s := emv.Scanner(r.Signed)
		var tag emv.Tag
		var v []byte
		for s.More() {
			if !s.ReadObject(&tag, &v) {
				t.Fatalf("signed objects %X do not scan", r.Signed)
			}
		}
		if _, ok := findTop(r.Signed, 0x9F4B); ok {
			t.Fatal("9F4B among the signed objects")
		}
	})
}
