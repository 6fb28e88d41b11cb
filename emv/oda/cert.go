package oda

import (
	"bytes"
	"fmt"
	"time"
)

// Certificate formats and indicators (Book 2 Tables 6, 7, 14, 17;
// JR/T 0025.17 for the SM2 ones).
const (
	formatIssuer  = 0x02
	formatSSAD    = 0x03
	formatICC     = 0x04
	formatDynamic = 0x05

	formatSM2Issuer  = 0x12
	formatSM2SSAD    = 0x13
	formatSM2ICC     = 0x14
	formatSM2Dynamic = 0x15

	hashSHA1   = 0x01 // hash algorithm indicator: SHA-1
	keyRSA     = 0x01 // public key algorithm indicator: RSA
	sigSM2     = 0x04 // SM2 signature algorithm indicator (SM2 with SM3)
	sm2Curve   = 0x11 // SM2 parameter indicator: the SM2 recommended curve
	headerByte = 0x6A
	trailer    = 0xBC
	padByte    = 0xBB
)

// IssuerCertificate is the content of a verified issuer public key
// certificate (90): Book 2 Table 6, or its SM2 form (format 12).
type IssuerCertificate struct {
	// IssuerID is the leftmost 3–8 digits of the PAN, padded with F.
	IssuerID [4]byte
	// Expiry is the certificate expiration date, MMYY.
	Expiry [2]byte
	// Serial is the certificate serial number given by the CA.
	Serial [3]byte
	// HashAlgorithm is 01 (SHA-1) for RSA, the signature algorithm
	// indicator 04 (SM2 with SM3) for SM2.
	HashAlgorithm byte
	// KeyAlgorithm is the public key algorithm indicator: 01 (RSA); for SM2
	// the certificate's encipherment algorithm indicator byte, as read.
	KeyAlgorithm byte
	// Key is the issuer public key.
	Key PublicKey

	mem rsaKeyMem // backs Key for RSA: the certificate and its key are one allocation
}

// ICCCertificate is the content of a verified ICC public key certificate
// (9F46): Book 2 Table 14, or its SM2 form (format 14).
type ICCCertificate struct {
	// PAN is the application PAN, padded with F to 10 bytes.
	PAN           [10]byte
	Expiry        [2]byte
	Serial        [3]byte
	HashAlgorithm byte
	KeyAlgorithm  byte
	Key           PublicKey

	mem rsaKeyMem // backs Key for RSA, as in IssuerCertificate
}

// Check performs the checks of the issuer certificate that need the
// transaction: the issuer identifier against the PAN (5A, Book 2 §5.3 step
// 8) and the expiry against the transaction date (step 9).
func (c *IssuerCertificate) Check(pan []byte, date time.Time) error {
	if err := checkIssuerID(c.IssuerID, pan); err != nil {
		return fail(ObjectIssuerCert, ErrIssuerIDMismatch, "%v", err)
	}
	return checkExpiry(ObjectIssuerCert, c.Expiry, date)
}

// Check performs the checks of the ICC certificate that need the
// transaction: its PAN against the application PAN (5A, Book 2 §6.4 step 8)
// and its expiry against the transaction date (step 9).
func (c *ICCCertificate) Check(pan []byte, date time.Time) error {
	var gb, wb [2 * 16]byte
	got, ok1 := panDigits(gb[:0], c.PAN[:])
	want, ok2 := panDigits(wb[:0], pan)
	if !ok1 || !ok2 || !bytes.Equal(got, want) {
		return fail(ObjectICCCert, ErrPANMismatch, "certificate %X, card %X", c.PAN, pan)
	}
	return checkExpiry(ObjectICCCert, c.Expiry, date)
}

func checkExpiry(obj Object, mmyy [2]byte, date time.Time) error {
	expired, err := certExpired(mmyy, date)
	if err != nil {
		return fail(obj, ErrCertExpired, "%v", err)
	}
	if expired {
		return fail(obj, ErrCertExpired, "expiry %X (MMYY) is before %s", mmyy, day(date).Format("2006-01-02"))
	}
	return nil
}

// panDigits appends to dst the digits of a PAN or PAN prefix written as
// compressed numeric (digits, then only F padding: emv's format cn) and
// reports whether b is one with at least one digit. It decodes in place
// of emv.DecodeCompressedNumeric, which allocates, as it runs in every
// transaction; callers pass a buffer on their stack.
func panDigits(dst, b []byte) ([]byte, bool) {
	start := len(dst)
	for i := range 2 * len(b) {
		d := b[i/2] >> 4
		if i%2 == 1 {
			d = b[i/2] & 0x0F
		}
		switch {
		case d <= 9 && len(dst)-start == i: // a digit before any padding
			dst = append(dst, '0'+d)
		case d == 0x0F:
		default: // not a digit, or a digit after the padding
			return dst, false
		}
	}
	return dst, len(dst) > start
}

// checkIssuerID verifies that id (3–8 digits padded with F) is the start
// of the PAN.
func checkIssuerID(id [4]byte, pan []byte) error {
	var ib, pb [2 * 16]byte
	idDigits, ok := panDigits(ib[:0], id[:])
	if !ok || len(idDigits) < 3 {
		return fmt.Errorf("issuer identifier %X is not 3–8 digits padded with F", id)
	}
	p, ok := panDigits(pb[:0], pan)
	if !ok {
		return fmt.Errorf("PAN %X is not a PAN", pan)
	}
	if len(p) < len(idDigits) || !bytes.Equal(p[:len(idDigits)], idDigits) {
		return fmt.Errorf("issuer identifier %X, PAN starts %s", id, string(p[:min(len(p), len(idDigits))]))
	}
	return nil
}

// RecoverIssuerCertificate recovers (RSA) or verifies (SM2) the issuer
// public key certificate 90 with the CA key, performing every check of
// Book 2 §5.3 that needs only the certificate: steps 1–7, 11 and 12 (length,
// trailer, header, format, hash algorithm, hash, key algorithm, key and
// remainder lengths, exponent). The remainder (92) may be nil; the exponent
// is 9F32. The checks that need the transaction are IssuerCertificate.Check
// and the revocation list (Verifier.IssuerKey does all of them).
func RecoverIssuerCertificate(ca PublicKey, cert, remainder, exponent []byte) (*IssuerCertificate, error) {
	c := new(IssuerCertificate)
	if err := recoverIssuerCertTo(c, &ca, cert, remainder, exponent); err != nil {
		return nil, err
	}
	return c, nil
}

// recoverIssuerCertTo is RecoverIssuerCertificate into c.
func recoverIssuerCertTo(c *IssuerCertificate, ca *PublicKey, cert, remainder, exponent []byte) error {
	if ca.Algorithm == SM2 {
		sc, err := verifySM2IssuerCert(ca, cert)
		if err != nil {
			return err
		}
		*c = *sc
		return nil
	}
	return recoverRSAIssuerCert(c, ca, cert, remainder, exponent)
}

// RecoverICCCertificate recovers (RSA) or verifies (SM2) the ICC public key
// certificate 9F46 with the issuer key, performing Book 2 §6.4 steps 1–7, 10
// and 11; static is the static data to be authenticated (see StaticData),
// remainder is 9F48 (may be nil) and exponent 9F47. ICCCertificate.Check
// performs the remaining steps.
func RecoverICCCertificate(issuer PublicKey, cert, remainder, exponent, static []byte) (*ICCCertificate, error) {
	c := new(ICCCertificate)
	if err := recoverICCCertTo(c, &issuer, cert, remainder, exponent, static); err != nil {
		return nil, err
	}
	return c, nil
}

// recoverICCCertTo is RecoverICCCertificate into c.
func recoverICCCertTo(c *ICCCertificate, issuer *PublicKey, cert, remainder, exponent, static []byte) error {
	if issuer.Algorithm == SM2 {
		sc, err := verifySM2ICCCert(issuer, cert, static)
		if err != nil {
			return err
		}
		*c = *sc
		return nil
	}
	return recoverRSAICCCert(c, issuer, cert, remainder, exponent, static)
}
