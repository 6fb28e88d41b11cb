package oda

import (
	"crypto/sha1"
	"fmt"
	"io"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

// CA is a certification authority of the issuance side: a test CA for
// simulated cards (never a payment system's production CA).
type CA struct {
	RID    [5]byte
	Index  byte
	Expiry time.Time // zero: none
	Key    *PrivateKey
}

// GenerateCA generates a CA key (RSA of bits bits with the given exponent,
// or SM2) from rand.
func GenerateCA(rand io.Reader, rid [5]byte, index byte, alg Algorithm, bits, exponent int) (*CA, error) {
	k, err := GenerateKey(rand, alg, bits, exponent)
	if err != nil {
		return nil, err
	}
	return &CA{RID: rid, Index: index, Key: k}, nil
}

// CAKey returns the CA's public key as a terminal's store holds it.
func (ca *CA) CAKey() CAKey {
	k := CAKey{RID: ca.RID, Index: ca.Index, Expiry: ca.Expiry, Key: ca.Key.Public}
	k.Checksum = k.ComputeChecksum()
	return k
}

// CAPKLine returns the CA's public key as one capk.txt line.
func (ca *CA) CAPKLine() string {
	k := ca.CAKey()
	b, _ := k.MarshalText() // cannot fail for a generated key
	return string(b)
}

// CertInfo is what a certificate says about its subject besides the key.
type CertInfo struct {
	// ID is, for an issuer certificate, the issuer identifier: the leftmost
	// 3 to 8 digits of the PANs it serves; for an ICC certificate the
	// application PAN (up to 19 digits).
	ID string
	// Expiry is the certificate expiration date, MMYY in BCD (e.g. 12 30).
	Expiry [2]byte
	// Serial is the certificate serial number.
	Serial [3]byte
}

// Certificate is an issued certificate as the card carries it.
type Certificate struct {
	// Cert is 90 (issuer) or 9F46 (ICC).
	Cert []byte
	// Remainder is 92 or 9F48: the key bytes that did not fit, nil if none.
	Remainder []byte
	// Exponent is 9F32 or 9F47 (RSA only).
	Exponent []byte

	icc bool
}

// TLV returns the certificate's data objects, encoded: 90, 92, 9F32 for an
// issuer certificate, 9F46, 9F48, 9F47 for an ICC one; the remainder only
// when there is one, the exponent only for RSA.
func (c *Certificate) TLV() []byte {
	tags := [3]emv.Tag{0x90, 0x92, 0x9F32}
	if c.icc {
		tags = [3]emv.Tag{0x9F46, 0x9F48, 0x9F47}
	}
	b := emv.AppendTLV(nil, tags[0], c.Cert)
	if len(c.Remainder) > 0 {
		b = emv.AppendTLV(b, tags[1], c.Remainder)
	}
	if len(c.Exponent) > 0 {
		b = emv.AppendTLV(b, tags[2], c.Exponent)
	}
	return b
}

// IssueIssuerCertificate has the CA sign an issuer public key certificate:
// Book 2 Table 6 (RSA, recovered by the CA key) or format 12 (SM2, signed
// by it). rand is read only for SM2 signatures.
func IssueIssuerCertificate(rand io.Reader, ca *PrivateKey, issuer PublicKey, info CertInfo) (*Certificate, error) {
	if err := ca.usable(); err != nil {
		return nil, err
	}
	id, err := emv.EncodeCompressedNumeric(info.ID, 4)
	if err != nil || len(info.ID) < 3 {
		return nil, fmt.Errorf("oda: issuer identifier %q: want 3 to 8 digits", info.ID)
	}
	head := append(append(id, info.Expiry[:]...), info.Serial[:]...) // ID, expiry, serial
	if ca.Public.Algorithm == SM2 {
		return sm2Cert(rand, ca, issuer, formatSM2Issuer, head, nil, false)
	}
	return rsaCert(ca, issuer, formatIssuer, head, issuerFixed, nil, false)
}

// IssueICCCertificate has the issuer sign an ICC public key certificate
// over the static data to be authenticated: Book 2 Table 14 (RSA) or
// format 14 (SM2).
func IssueICCCertificate(rand io.Reader, issuer *PrivateKey, icc PublicKey, info CertInfo, static []byte) (*Certificate, error) {
	if err := issuer.usable(); err != nil {
		return nil, err
	}
	pan, err := emv.EncodeCompressedNumeric(info.ID, 10)
	if err != nil {
		return nil, fmt.Errorf("oda: ICC certificate PAN %q: %w", info.ID, err)
	}
	head := append(append(pan, info.Expiry[:]...), info.Serial[:]...)
	if issuer.Public.Algorithm == SM2 {
		return sm2Cert(rand, issuer, icc, formatSM2ICC, head, static, true)
	}
	return rsaCert(issuer, icc, formatICC, head, iccFixed, static, true)
}

// rsaCert builds, hashes and signs an RSA certificate of Table 6 or 14.
func rsaCert(signer *PrivateKey, subject PublicKey, format byte, head []byte, fixed int, static []byte, icc bool) (*Certificate, error) {
	rec, rem, err := rsaCertRecord(signer.Public, subject, format, head, fixed, static)
	if err != nil {
		return nil, err
	}
	return &Certificate{Cert: signer.rsaPrivate(rec), Remainder: rem, Exponent: append([]byte(nil), subject.Exponent...), icc: icc}, nil
}

// rsaCertRecord returns the data to sign for an RSA certificate of Table 6
// or 14, with its hash, and the remainder.
func rsaCertRecord(signer, subject PublicKey, format byte, head []byte, fixed int, static []byte) (rec, rem []byte, err error) {
	n, ni := signer.Len(), subject.Len()
	if signer.Algorithm != RSA || subject.Algorithm != RSA {
		return nil, nil, fmt.Errorf("oda: an RSA certificate needs RSA keys, not %s signing %s", signer.Algorithm, subject.Algorithm)
	}
	if ni > n || n < fixed+1 {
		return nil, nil, fmt.Errorf("oda: %w: a %d-byte key cannot certify a %d-byte key", ErrKeyLength, n, ni)
	}
	room := n - fixed
	rec = make([]byte, 0, n)
	rec = append(rec, headerByte, format)
	rec = append(rec, head...)
	rec = append(rec, hashSHA1, keyRSA, byte(ni), byte(len(subject.Exponent)))
	rec = append(rec, subject.Modulus[:min(ni, room)]...)
	for len(rec) < n-hashLen-1 {
		rec = append(rec, padByte)
	}
	if ni > room {
		rem = append([]byte(nil), subject.Modulus[room:]...)
	}
	h := sha1.New()
	h.Write(rec[1:])
	h.Write(rem)
	h.Write(subject.Exponent)
	h.Write(static)
	rec = h.Sum(rec)
	return append(rec, trailer), rem, nil
}

// sm2Cert builds and signs an SM2 certificate of format 12 or 14.
func sm2Cert(rand io.Reader, signer *PrivateKey, subject PublicKey, format byte, head, static []byte, icc bool) (*Certificate, error) {
	if signer.Public.Algorithm != SM2 || subject.Algorithm != SM2 {
		return nil, fmt.Errorf("oda: an SM2 certificate needs SM2 keys, not %s signing %s", signer.Public.Algorithm, subject.Algorithm)
	}
	cert := append([]byte{format}, head...)
	cert = append(cert, sigSM2, 0x00, sm2Curve, sm2KeyLen)
	cert = append(cert, subject.Modulus...)
	sig, err := signer.sm2Sign(rand, sm2Concat(cert, static))
	if err != nil {
		return nil, err
	}
	return &Certificate{Cert: append(cert, sig...), icc: icc}, nil
}

// SignStaticData has the issuer sign the static data to be authenticated
// with a data authentication code: the signed static application data (93)
// of Book 2 Table 7 (RSA) or format 13 (SM2).
func SignStaticData(rand io.Reader, issuer *PrivateKey, dac [2]byte, static []byte) ([]byte, error) {
	if err := issuer.usable(); err != nil {
		return nil, err
	}
	if issuer.Public.Algorithm == SM2 {
		head := []byte{formatSM2SSAD, dac[0], dac[1]}
		sig, err := issuer.sm2Sign(rand, sm2Concat(head, static))
		if err != nil {
			return nil, err
		}
		return append(head, sig...), nil
	}
	n := issuer.Public.Len()
	if n < ssadFixed {
		return nil, fmt.Errorf("oda: %w: %d-byte issuer key", ErrKeyLength, n)
	}
	rec := make([]byte, 0, n)
	rec = append(rec, headerByte, formatSSAD, hashSHA1, dac[0], dac[1])
	return issuer.rsaSigned(rec, static), nil
}

// rsaSigned pads rec with BB to leave room for the hash and trailer,
// appends SHA-1 over rec[1:] ‖ extra and BC, and signs it.
func (k *PrivateKey) rsaSigned(rec, extra []byte) []byte {
	n := k.Public.Len()
	for len(rec) < n-hashLen-1 {
		rec = append(rec, padByte)
	}
	h := sha1.New()
	h.Write(rec[1:])
	h.Write(extra)
	rec = append(h.Sum(rec), trailer)
	return k.rsaPrivate(rec)
}

// ICCDynamicData returns the ICC dynamic data of DDA and fDDA for an ICC
// dynamic number of 2 to 8 bytes: its length, then the number.
func ICCDynamicData(idn []byte) []byte { return append([]byte{byte(len(idn))}, idn...) }

// SignDynamicData has the card sign ICC dynamic data over the terminal's
// dynamic data: the signed dynamic application data (9F4B) of Book 2 Table
// 17 (RSA) or format 15 (SM2). For DDA terminal is the DDOL data; for fDDA
// FDDATerminalData.
func SignDynamicData(rand io.Reader, icc *PrivateKey, iccDynamic, terminal []byte) ([]byte, error) {
	if err := icc.usable(); err != nil {
		return nil, err
	}
	if len(iccDynamic) > 255 {
		return nil, fmt.Errorf("oda: %w: %d bytes of ICC dynamic data", ErrDynamicDataFormat, len(iccDynamic))
	}
	if icc.Public.Algorithm == SM2 {
		head := append([]byte{formatSM2Dynamic, byte(len(iccDynamic))}, iccDynamic...)
		sig, err := icc.sm2Sign(rand, sm2Concat(head, terminal))
		if err != nil {
			return nil, err
		}
		return append(head, sig...), nil
	}
	n := icc.Public.Len()
	if len(iccDynamic) > n-sdadFixed {
		return nil, fmt.Errorf("oda: %w: %d bytes of ICC dynamic data do not fit a %d-byte key", ErrDynamicDataFormat, len(iccDynamic), n)
	}
	rec := make([]byte, 0, n)
	rec = append(rec, headerByte, formatDynamic, hashSHA1, byte(len(iccDynamic)))
	rec = append(rec, iccDynamic...)
	return icc.rsaSigned(rec, terminal), nil
}

// SignCDA has the card sign a GENERATE AC response with combined DDA/AC
// generation (Book 2 §6.6.1): the ICC dynamic data is the ICC dynamic
// number, the CID, the cryptogram and the transaction data hash code of in
// (whose SDAD and CID fields are ignored), signed over in.UN.
func SignCDA(rand io.Reader, icc *PrivateKey, idn []byte, cid byte, ac []byte, in *CDAInput) ([]byte, error) {
	if err := icc.usable(); err != nil {
		return nil, err
	}
	if len(idn) < 2 || len(idn) > 8 || len(ac) != 8 {
		return nil, fmt.Errorf("oda: %w: ICC dynamic number of %d bytes (2–8), cryptogram of %d (8)", ErrDynamicDataFormat, len(idn), len(ac))
	}
	dyn := ICCDynamicData(idn)
	dyn = append(dyn, cid)
	dyn = append(dyn, ac...)
	dyn = append(dyn, TransactionDataHash(icc.Public.Algorithm, in)...)
	return SignDynamicData(rand, icc, dyn, in.UN)
}
