package oda

import (
	"crypto/sha1"
	"fmt"
)

// Fixed parts of the recovered RSA formats (Book 2 Tables 6, 7, 14, 17):
// bytes around the variable field.
const (
	issuerFixed = 36 // header … exponent length (15) + hash (20) + trailer (1)
	iccFixed    = 42 // header … exponent length (21) + hash (20) + trailer (1)
	ssadFixed   = 26 // header, format, hash alg, DAC (5) + hash (20) + trailer (1)
	sdadFixed   = 25 // header, format, hash alg, LDD (4) + hash (20) + trailer (1)
	hashLen     = 20
)

// recoverRSA performs the steps every RSA object shares (Book 2 §5.3 steps
// 1–4 and their equivalents in §5.4, §6.4, §6.5, §6.6): the object is as long
// as the key, the recovered data ends with BC, starts with 6A and carries
// the expected format. minLen guards the format's fixed part. The
// recovered data is written to buf when it is long enough (callers that do
// not keep it pass a buffer on their stack), else to a new slice.
func recoverRSA(obj Object, key *PublicKey, data []byte, format byte, minLen int, buf []byte) ([]byte, error) {
	if key.Algorithm != RSA {
		return nil, fail(obj, ErrKeyAlgorithm, "an %s key cannot recover an RSA object", key.Algorithm)
	}
	if len(data) != key.Len() {
		return nil, fail(obj, ErrCertLength, "%d bytes, key is %d", len(data), key.Len())
	}
	if key.Len() < minLen {
		return nil, fail(obj, ErrKeyLength, "a %d-byte key cannot hold this format (%d bytes at least)", key.Len(), minLen)
	}
	rec := key.rsaPublicTo(buf, data)
	switch {
	case rec[len(rec)-1] != trailer:
		return nil, fail(obj, ErrRecoveredTrailer, "got %02X", rec[len(rec)-1])
	case rec[0] != headerByte:
		return nil, fail(obj, ErrRecoveredHeader, "got %02X", rec[0])
	case rec[1] != format:
		return nil, fail(obj, ErrCertFormat, "got %02X, want %02X", rec[1], format)
	}
	return rec, nil
}

// hashCheck performs the hash steps: the hash algorithm indicator (at
// rec[alg]) must be SHA-1, and SHA-1 over rec[1 : len-21] followed by extra
// must equal the recovered hash result.
func hashCheck(obj Object, rec []byte, alg int, extra ...[]byte) error {
	if rec[alg] != hashSHA1 {
		return fail(obj, ErrHashAlgorithm, "got %02X", rec[alg])
	}
	// The input is assembled in one buffer for sha1.Sum: crypto/sha1's
	// streaming hash would allocate its state on every check.
	var buf [1024]byte
	in := append(buf[:0], rec[1:len(rec)-hashLen-1]...)
	for _, e := range extra {
		in = append(in, e...)
	}
	sum := sha1.Sum(in)
	if !equalHash(sum[:], rec[len(rec)-hashLen-1:len(rec)-1]) {
		return fail(obj, ErrHashMismatch, "")
	}
	return nil
}

// rsaCertKey performs the key steps shared by the issuer and ICC
// certificates: the remainder is present when the key does not fit in the
// certificate (checked before hashing, since the hash covers it), and,
// after the hash, keyParts assembles and checks the key.
type rsaCertLayout struct {
	obj        Object
	lenAt      int // offset of the key length byte; exponent length follows, key after
	fixed      int // issuerFixed or iccFixed
	remTag     string
	certifying int // length of the certifying key
}

// remainderFor checks that the remainder is there when needed (Book 2 §5.1:
// a missing remainder is missing ICC data).
func (l rsaCertLayout) remainderFor(rec, remainder []byte) error {
	n := int(rec[l.lenAt])
	if n > len(rec)-l.fixed && len(remainder) == 0 {
		return fail(l.obj, ErrRemainderMissing, "%w: key of %d bytes needs %s (%d bytes)", ErrMissingData, n, l.remTag, n-(len(rec)-l.fixed))
	}
	return nil
}

// key performs Book 2 §5.3 steps 11–12 (§6.4 steps 10–11): the key
// algorithm is RSA, the key length fits the certifying key, the remainder
// is exactly what the certificate leaves out, the exponent is 3 or 65537 of
// the stated length; then it returns the key.
func (l rsaCertLayout) key(rec, remainder, exponent []byte, mem *rsaKeyMem) (PublicKey, error) {
	n, elen := int(rec[l.lenAt]), int(rec[l.lenAt+1])
	room := len(rec) - l.fixed
	if rec[l.lenAt-1] != keyRSA {
		return PublicKey{}, fail(l.obj, ErrKeyAlgorithm, "got %02X", rec[l.lenAt-1])
	}
	if n == 0 || n > l.certifying {
		return PublicKey{}, fail(l.obj, ErrKeyLength, "key of %d bytes certified by a %d-byte key", n, l.certifying)
	}
	want := max(n-room, 0)
	if len(remainder) != want {
		return PublicKey{}, fail(l.obj, ErrRemainderLength, "%s is %d bytes, the key of %d bytes leaves %d out", l.remTag, len(remainder), n, want)
	}
	if elen != len(exponent) {
		return PublicKey{}, fail(l.obj, ErrExponent, "certificate says %d bytes, the exponent is %d", elen, len(exponent))
	}
	// The certificate's memory holds the key's modulus and exponent (n is
	// at most the certifying key's length, at most MaxRSAModulusLen; the
	// exponent, checked below, is at most 3 bytes).
	var b []byte
	if n+len(exponent) <= len(mem.b) {
		b = mem.b[: 0 : n+len(exponent)]
	} else {
		b = make([]byte, 0, n+len(exponent))
	}
	b = append(b, rec[l.lenAt+2:l.lenAt+2+min(n, room)]...)
	b = append(b, remainder...)
	mod := b[:n:n]
	b = append(b, exponent...)
	k, err := newRSAPublicKeyIn(mod, b[n:], mem)
	if err != nil {
		return PublicKey{}, &Error{Object: l.obj, Err: err}
	}
	return k, nil
}

// recoverRSAIssuerCert recovers an RSA issuer certificate into c, whose
// contents are unspecified on error.
func recoverRSAIssuerCert(c *IssuerCertificate, ca *PublicKey, cert, remainder, exponent []byte) error {
	const obj = ObjectIssuerCert
	var buf [MaxRSAModulusLen]byte // the recovered data is not kept
	rec, err := recoverRSA(obj, ca, cert, formatIssuer, issuerFixed+1, buf[:])
	if err != nil {
		return err
	}
	l := rsaCertLayout{obj: obj, lenAt: 13, fixed: issuerFixed, remTag: "92", certifying: ca.Len()}
	if err := l.remainderFor(rec, remainder); err != nil {
		return err
	}
	if err := hashCheck(obj, rec, 11, remainder, exponent); err != nil {
		return err
	}
	key, err := l.key(rec, remainder, exponent, &c.mem)
	if err != nil {
		return err
	}
	c.HashAlgorithm, c.KeyAlgorithm, c.Key = rec[11], rec[12], key
	copy(c.IssuerID[:], rec[2:6])
	copy(c.Expiry[:], rec[6:8])
	copy(c.Serial[:], rec[8:11])
	return nil
}

// recoverRSAICCCert recovers an RSA ICC certificate into c, whose contents
// are unspecified on error.
func recoverRSAICCCert(c *ICCCertificate, issuer *PublicKey, cert, remainder, exponent, static []byte) error {
	const obj = ObjectICCCert
	var buf [MaxRSAModulusLen]byte // the recovered data is not kept
	rec, err := recoverRSA(obj, issuer, cert, formatICC, iccFixed+1, buf[:])
	if err != nil {
		return err
	}
	l := rsaCertLayout{obj: obj, lenAt: 19, fixed: iccFixed, remTag: "9F48", certifying: issuer.Len()}
	if err := l.remainderFor(rec, remainder); err != nil {
		return err
	}
	if err := hashCheck(obj, rec, 17, remainder, exponent, static); err != nil {
		return err
	}
	key, err := l.key(rec, remainder, exponent, &c.mem)
	if err != nil {
		return err
	}
	c.HashAlgorithm, c.KeyAlgorithm, c.Key = rec[17], rec[18], key
	copy(c.PAN[:], rec[2:12])
	copy(c.Expiry[:], rec[12:14])
	copy(c.Serial[:], rec[14:17])
	return nil
}

// recoverSSAD performs Book 2 §5.4 steps 1–7 for signed static application
// data and returns the data authentication code.
func recoverSSAD(issuer *PublicKey, ssad, static []byte) ([2]byte, error) {
	const obj = ObjectSSAD
	var buf [MaxRSAModulusLen]byte // the recovered data is not kept
	rec, err := recoverRSA(obj, issuer, ssad, formatSSAD, ssadFixed, buf[:])
	if err != nil {
		return [2]byte{}, err
	}
	if err := hashCheck(obj, rec, 2, static); err != nil {
		return [2]byte{}, err
	}
	return [2]byte{rec[3], rec[4]}, nil
}

// recoverSDAD performs Book 2 §6.5.2 steps 1–4 for signed dynamic
// application data and returns the recovered data and the ICC dynamic data
// (checked against the length the format allows).
func recoverSDAD(obj Object, icc *PublicKey, sdad []byte) (rec, dyn []byte, err error) {
	rec, err = recoverRSA(obj, icc, sdad, formatDynamic, sdadFixed, nil) // the caller keeps parts of it
	if err != nil {
		return nil, nil, err
	}
	ldd := int(rec[3])
	if ldd > len(rec)-sdadFixed {
		return nil, nil, fail(obj, ErrDynamicDataFormat, "ICC dynamic data length %d exceeds %d", ldd, len(rec)-sdadFixed)
	}
	return rec, rec[4 : 4+ldd], nil
}

// idn splits the ICC dynamic number (9F4C, 2–8 bytes) off the ICC dynamic
// data and returns it and what follows.
func idn(obj Object, dyn []byte) (number, rest []byte, err error) {
	if len(dyn) == 0 {
		return nil, nil, fail(obj, ErrDynamicDataFormat, "empty ICC dynamic data")
	}
	n := int(dyn[0])
	if n < 2 || n > 8 || n > len(dyn)-1 {
		return nil, nil, fail(obj, ErrDynamicDataFormat, "ICC dynamic number length %d (2–8, within %d bytes)", n, len(dyn)-1)
	}
	return dyn[1 : 1+n], dyn[1+n:], nil
}

// String names a certificate by its issuer, e.g. "issuer 537505FF, expiry 1224".
func (c *IssuerCertificate) String() string {
	return fmt.Sprintf("issuer %X, expiry %X, serial %X, %s key of %d bytes", c.IssuerID, c.Expiry, c.Serial, c.Key.Algorithm, c.Key.Len())
}
