package oda

import (
	"math/big"

	"github.com/emmansun/gmsm/sm2"
)

// The SM2 formats of JR/T 0025.17 (PBOC 3.0 security enhancement, national
// algorithms), as read by the open kernel ChairmanYSL/L2_Auth_App
// (dllemvcontact.c: EmvContact_SM_FillIPK, _SM_GetICCPK, _SM_SDVerify,
// _SM_DynSignVerify) and checked against a UnionPay test card (see the
// tests). Certificates carry their fields in clear, then an SM2 signature
// r‖s (64 bytes) over SM3(Z ‖ signed part), Z with the signer's key and the
// default user ID.
//
//	issuer certificate (90), 142 bytes: 12 | issuer ID (4) | expiry MMYY (2) |
//	  serial (3) | signature algorithm 04 | encipherment algorithm | parameter 11 |
//	  key length 40 | issuer key X‖Y (64) | CA signature (64); signed: bytes 0–77
//	ICC certificate (9F46), 148 bytes: 14 | PAN (10) | expiry (2) | serial (3) |
//	  04 | encipherment algorithm | 11 | 40 | ICC key (64) | issuer signature (64);
//	  signed: bytes 0–83 ‖ static data to be authenticated
//	signed static data (93), 67 bytes: 13 | DAC (2) | issuer signature (64);
//	  signed: 13 ‖ DAC ‖ static data to be authenticated
//	signed dynamic data (9F4B): 15 | LDD | ICC dynamic data (LDD) | ICC signature (64);
//	  signed: 15 ‖ LDD ‖ ICC dynamic data ‖ terminal dynamic data
const (
	sm2SigLen        = 64
	sm2IssuerHead    = 14 // bytes before the key
	sm2ICCHead       = 20
	sm2IssuerCertLen = sm2IssuerHead + sm2KeyLen + sm2SigLen // 142
	sm2ICCCertLen    = sm2ICCHead + sm2KeyLen + sm2SigLen    // 148
	sm2SSADLen       = 3 + sm2SigLen                         // 67
)

// defaultUID is the SM2 default user ID (GB/T 32918.2, GM/T 0009).
var defaultUID = []byte("1234567812345678")

// sm2Verify verifies a raw r‖s signature of msg under key with the default
// user ID.
func sm2Verify(key *PublicKey, msg, sig []byte) bool {
	pub, err := key.sm2Key()
	if err != nil || len(sig) != sm2SigLen {
		return false
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:])
	return sm2.VerifyWithSM2(pub, defaultUID, msg, r, s)
}

// sm2Concat returns the concatenation of parts (the signed message).
func sm2Concat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sm2CertHeader checks the indicator bytes that follow the serial number:
// signature algorithm 04, parameter 11, key length 64.
func sm2CertHeader(obj Object, b []byte) error {
	switch {
	case b[0] != sigSM2:
		return fail(obj, ErrHashAlgorithm, "signature algorithm indicator %02X, want 04", b[0])
	case b[2] != sm2Curve:
		return fail(obj, ErrKeyAlgorithm, "parameter indicator %02X, want 11", b[2])
	case b[3] != sm2KeyLen:
		return fail(obj, ErrKeyLength, "key length %d, want 64", b[3])
	}
	return nil
}

func verifySM2IssuerCert(ca *PublicKey, cert []byte) (*IssuerCertificate, error) {
	const obj = ObjectIssuerCert
	if len(cert) != sm2IssuerCertLen {
		return nil, fail(obj, ErrCertLength, "%d bytes, want %d", len(cert), sm2IssuerCertLen)
	}
	if cert[0] != formatSM2Issuer {
		return nil, fail(obj, ErrCertFormat, "got %02X, want 12", cert[0])
	}
	if err := sm2CertHeader(obj, cert[10:14]); err != nil {
		return nil, err
	}
	signed := cert[:sm2IssuerHead+sm2KeyLen]
	if !sm2Verify(ca, signed, cert[len(signed):]) {
		return nil, fail(obj, ErrSignature, "")
	}
	key, err := NewSM2PublicKey(cert[sm2IssuerHead : sm2IssuerHead+sm2KeyLen])
	if err != nil {
		return nil, &Error{Object: obj, Err: err}
	}
	c := &IssuerCertificate{HashAlgorithm: cert[10], KeyAlgorithm: cert[11], Key: key}
	copy(c.IssuerID[:], cert[1:5])
	copy(c.Expiry[:], cert[5:7])
	copy(c.Serial[:], cert[7:10])
	return c, nil
}

func verifySM2ICCCert(issuer *PublicKey, cert, static []byte) (*ICCCertificate, error) {
	const obj = ObjectICCCert
	if len(cert) != sm2ICCCertLen {
		return nil, fail(obj, ErrCertLength, "%d bytes, want %d", len(cert), sm2ICCCertLen)
	}
	if cert[0] != formatSM2ICC {
		return nil, fail(obj, ErrCertFormat, "got %02X, want 14", cert[0])
	}
	if err := sm2CertHeader(obj, cert[16:20]); err != nil {
		return nil, err
	}
	signed := cert[:sm2ICCHead+sm2KeyLen]
	if !sm2Verify(issuer, sm2Concat(signed, static), cert[len(signed):]) {
		return nil, fail(obj, ErrSignature, "")
	}
	key, err := NewSM2PublicKey(cert[sm2ICCHead : sm2ICCHead+sm2KeyLen])
	if err != nil {
		return nil, &Error{Object: obj, Err: err}
	}
	c := &ICCCertificate{HashAlgorithm: cert[16], KeyAlgorithm: cert[17], Key: key}
	copy(c.PAN[:], cert[1:11])
	copy(c.Expiry[:], cert[11:13])
	copy(c.Serial[:], cert[13:16])
	return c, nil
}

func verifySM2SSAD(issuer *PublicKey, ssad, static []byte) ([2]byte, error) {
	const obj = ObjectSSAD
	if len(ssad) != sm2SSADLen {
		return [2]byte{}, fail(obj, ErrCertLength, "%d bytes, want %d", len(ssad), sm2SSADLen)
	}
	if ssad[0] != formatSM2SSAD {
		return [2]byte{}, fail(obj, ErrCertFormat, "got %02X, want 13", ssad[0])
	}
	if !sm2Verify(issuer, sm2Concat(ssad[:3], static), ssad[3:]) {
		return [2]byte{}, fail(obj, ErrSignature, "")
	}
	return [2]byte{ssad[1], ssad[2]}, nil
}

// verifySM2SDAD verifies SM2 signed dynamic data over terminal data and
// returns the ICC dynamic data.
func verifySM2SDAD(obj Object, icc *PublicKey, sdad, terminal []byte) ([]byte, error) {
	if len(sdad) < 2+sm2SigLen {
		return nil, fail(obj, ErrCertLength, "%d bytes, too short for format 15", len(sdad))
	}
	if sdad[0] != formatSM2Dynamic {
		return nil, fail(obj, ErrCertFormat, "got %02X, want 15", sdad[0])
	}
	ldd := int(sdad[1])
	if len(sdad) != 2+ldd+sm2SigLen {
		return nil, fail(obj, ErrCertLength, "%d bytes, but ICC dynamic data of %d bytes and a signature make %d", len(sdad), ldd, 2+ldd+sm2SigLen)
	}
	if !sm2Verify(icc, sm2Concat(sdad[:2+ldd], terminal), sdad[2+ldd:]) {
		return nil, fail(obj, ErrSignature, "")
	}
	return sdad[2 : 2+ldd], nil
}
