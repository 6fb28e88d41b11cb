package oda

import (
	"errors"
	"fmt"
)

// Failure kinds. Every error this package returns from a verification wraps
// exactly one of these, so that a kernel can map it to a TVR bit with
// errors.Is; the surrounding *Error says which object and step failed.
var (
	// ErrMissingData: a data object the method needs is absent (TVR "ICC
	// data missing" as well as the method's own bit).
	ErrMissingData = errors.New("required data object missing")
	// ErrCAKeyNotFound: no CA public key with the card's RID and index.
	ErrCAKeyNotFound = errors.New("CA public key not found")
	// ErrCAKeyExpired: the CA public key expired before the transaction date.
	ErrCAKeyExpired = errors.New("CA public key expired")
	// ErrCertLength: a certificate or signature is not as long as the key
	// that recovers or verifies it (Book 2 §5.3 step 1, §5.4 step 1, …).
	ErrCertLength = errors.New("certificate or signature length differs from the key length")
	// ErrRecoveredTrailer: the recovered data does not end with BC.
	ErrRecoveredTrailer = errors.New("recovered data trailer is not BC")
	// ErrRecoveredHeader: the recovered data does not begin with 6A.
	ErrRecoveredHeader = errors.New("recovered data header is not 6A")
	// ErrCertFormat: the certificate or signed data format byte is wrong
	// (02 issuer, 04 ICC, 03 static, 05 dynamic; 12, 14, 13, 15 for SM2).
	ErrCertFormat = errors.New("wrong certificate or signed data format")
	// ErrHashAlgorithm: the hash (or SM2 signature) algorithm indicator is
	// not one this package knows (01 SHA-1; 04 SM2 with SM3).
	ErrHashAlgorithm = errors.New("unknown hash algorithm indicator")
	// ErrHashMismatch: the recovered hash differs from the computed one.
	ErrHashMismatch = errors.New("hash result mismatch")
	// ErrSignature: an SM2 signature does not verify.
	ErrSignature = errors.New("SM2 signature does not verify")
	// ErrIssuerIDMismatch: the issuer identifier is not the PAN's leftmost
	// 3–8 digits.
	ErrIssuerIDMismatch = errors.New("issuer identifier does not match the PAN")
	// ErrCertExpired: the certificate expired before the transaction date.
	ErrCertExpired = errors.New("certificate expired")
	// ErrCertRevoked: the issuer certificate (RID, CA index, serial) is on
	// the revocation list.
	ErrCertRevoked = errors.New("issuer certificate revoked")
	// ErrKeyAlgorithm: the public key algorithm indicator is not 01 (RSA),
	// or for SM2 the parameter indicator is not 11.
	ErrKeyAlgorithm = errors.New("unknown public key algorithm")
	// ErrKeyLength: a key length field is impossible (longer than the
	// certifying key, zero, or not 64 for SM2).
	ErrKeyLength = errors.New("public key length inconsistent")
	// ErrInvalidKey: a public key is not usable (an SM2 point off the curve,
	// an RSA modulus that is even or has a leading zero byte).
	ErrInvalidKey = errors.New("invalid public key")
	// ErrExponent: a public key exponent is not 3 or 65537, or its length
	// differs from the one the certificate states.
	ErrExponent = errors.New("public key exponent not 3 or 65537 or inconsistent")
	// ErrRemainderMissing: the key does not fit in the certificate and the
	// remainder (92 or 9F48) is absent.
	ErrRemainderMissing = errors.New("public key remainder missing")
	// ErrRemainderLength: the remainder is present but not exactly the bytes
	// the certificate leaves out (including present when nothing is left out).
	ErrRemainderLength = errors.New("public key remainder length inconsistent")
	// ErrPANMismatch: the ICC certificate's PAN is not the card's PAN (5A).
	ErrPANMismatch = errors.New("ICC certificate PAN does not match the application PAN")
	// ErrSDATagList: the static data authentication tag list (9F4A) lists
	// something other than 82.
	ErrSDATagList = errors.New("static data authentication tag list lists tags other than 82")
	// ErrODARecord: a record read for offline data authentication breaks the
	// template rule (SFI 1–10 must hold exactly one template 70).
	ErrODARecord = errors.New("record for offline data authentication is malformed")
	// ErrDynamicDataFormat: the ICC dynamic data inside signed dynamic data
	// is malformed (its length, the ICC dynamic number's length).
	ErrDynamicDataFormat = errors.New("ICC dynamic data malformed")
	// ErrCIDMismatch: the CID in CDA's signed data differs from 9F27.
	ErrCIDMismatch = errors.New("cryptogram information data differs from the signed one")
	// ErrTransactionHash: the CDA transaction data hash differs from the one
	// computed over PDOL, CDOL and response data.
	ErrTransactionHash = errors.New("transaction data hash code mismatch")
	// ErrResponseFormat: an INTERNAL AUTHENTICATE or GENERATE AC response is
	// malformed or lacks the signed dynamic application data.
	ErrResponseFormat = errors.New("response format error")
)

// Object names the certificate, signature or data that a check concerns.
type Object uint8

// Objects of offline data authentication.
const (
	ObjectCAKey      Object = iota + 1 // CA public key (8F and the key store)
	ObjectIssuerCert                   // issuer public key certificate (90)
	ObjectICCCert                      // ICC public key certificate (9F46)
	ObjectStaticData                   // static data to be authenticated
	ObjectSSAD                         // signed static application data (93)
	ObjectSDAD                         // signed dynamic application data for DDA (9F4B)
	ObjectCDA                          // signed dynamic application data for CDA (9F4B)
	ObjectFDDA                         // signed dynamic application data for fDDA (9F4B)
)

var objectNames = [...]string{
	ObjectCAKey:      "CA public key",
	ObjectIssuerCert: "issuer public key certificate (90)",
	ObjectICCCert:    "ICC public key certificate (9F46)",
	ObjectStaticData: "static data to be authenticated",
	ObjectSSAD:       "signed static application data (93)",
	ObjectSDAD:       "signed dynamic application data (9F4B, DDA)",
	ObjectCDA:        "signed dynamic application data (9F4B, CDA)",
	ObjectFDDA:       "signed dynamic application data (9F4B, fDDA)",
}

// String returns the object's name with its tag.
func (o Object) String() string {
	if int(o) < len(objectNames) && objectNames[o] != "" {
		return objectNames[o]
	}
	return fmt.Sprintf("object(%d)", uint8(o))
}

// Error is the error every verification returns: which object failed, and
// the cause, which wraps one of the Err… kinds above.
type Error struct {
	Object Object
	Err    error
}

func (e *Error) Error() string { return "oda: " + e.Object.String() + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// fail wraps kind with an optional detail into an *Error about obj.
func fail(obj Object, kind error, format string, args ...any) error {
	if format == "" {
		return &Error{Object: obj, Err: kind}
	}
	return &Error{Object: obj, Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)}
}
