package oda

import (
	"crypto/sha1"
	"crypto/subtle"

	"github.com/emmansun/gmsm/sm3"
	"github.com/yixin-emv/yixin/emv"
)

// CDAInput is what the terminal holds when it verifies combined DDA/AC
// generation after a GENERATE AC (Book 2 §6.6.2).
type CDAInput struct {
	// SDAD is the signed dynamic application data (9F4B) of the response.
	SDAD []byte
	// CID is the cryptogram information data (9F27) of the response.
	CID byte
	// UN is the unpredictable number (9F37) the terminal sent in the command.
	UN []byte
	// PDOLData is the data the terminal sent for the PDOL in GET PROCESSING
	// OPTIONS (the value of 83, without tag and length); nil if no PDOL.
	PDOLData []byte
	// CDOL1Data is the data sent for CDOL1 in the first GENERATE AC.
	CDOL1Data []byte
	// CDOL2Data is the data sent for CDOL2 in the second GENERATE AC; nil
	// when verifying the first.
	CDOL2Data []byte
	// Response is the response's data objects other than 9F4B, each as
	// received (tag, length, value), in the order received. See
	// ParseGenerateAC.
	Response []byte
}

// CDAResult is what a verified CDA signature reveals.
type CDAResult struct {
	// IDN is the ICC dynamic number without its length byte.
	IDN []byte
	// CID is the signed cryptogram information data.
	CID byte
	// AC is the application cryptogram (TC or ARQC) the card signed.
	AC []byte
	// TransactionHash is the transaction data hash code the card signed.
	TransactionHash []byte
}

// TransactionDataHash returns the transaction data hash code of Book 2
// §6.6.1: SHA-1 over the PDOL data, the CDOL1 data, the CDOL2 data (second
// GENERATE AC only) and the response objects other than 9F4B — or SM3 for
// an SM2 key (JR/T 0025.17's CDA; not confirmed by a published vector).
func TransactionDataHash(alg Algorithm, in *CDAInput) []byte {
	if alg == SM2 {
		h := sm3.New()
		h.Write(in.PDOLData)
		h.Write(in.CDOL1Data)
		h.Write(in.CDOL2Data)
		h.Write(in.Response)
		return h.Sum(nil)
	}
	sum := transactionDataSHA1(in)
	return sum[:]
}

// transactionDataSHA1 is TransactionDataHash for RSA keys without an
// allocation: the input is assembled in one buffer for sha1.Sum.
func transactionDataSHA1(in *CDAInput) [sha1.Size]byte {
	var buf [1024]byte
	b := append(buf[:0], in.PDOLData...)
	b = append(b, in.CDOL1Data...)
	b = append(b, in.CDOL2Data...)
	b = append(b, in.Response...)
	return sha1.Sum(b)
}

// VerifyCDA verifies the signature of a GENERATE AC response with combined
// DDA/AC generation, performing the steps of Book 2 §6.6.2 in order:
// recovery (length, trailer, header, format 05), the ICC dynamic data's
// layout, its CID against 9F27, the hash over the recovered data and the
// unpredictable number, then the transaction data hash. For an SM2 key the
// format is 15 and the signature is verified over 15 ‖ LDD ‖ ICC dynamic
// data ‖ UN (JR/T 0025.17, as read in open kernel code; no published
// vector). It returns the IDN, CID and application cryptogram.
func VerifyCDA(icc PublicKey, in CDAInput) (*CDAResult, error) {
	// Small enough to be inlined, so that a caller that does not keep the
	// result holds it on its stack.
	return verifyCDA(&icc, &in, new(CDAResult))
}

// verifyCDA is VerifyCDA filling res, which it returns; nil on error.
func verifyCDA(icc *PublicKey, in *CDAInput, res *CDAResult) (*CDAResult, error) {
	const obj = ObjectCDA
	hashSize := 20
	var dyn []byte
	var rec []byte
	if icc.Algorithm == SM2 {
		hashSize = 32
		var err error
		if dyn, err = verifySM2SDAD(obj, icc, in.SDAD, in.UN); err != nil {
			return nil, err
		}
	} else {
		var err error
		if rec, dyn, err = recoverSDAD(obj, icc, in.SDAD); err != nil {
			return nil, err
		}
	}
	if err := splitCDADynamic(dyn, hashSize, res); err != nil {
		return nil, err
	}
	if res.CID != in.CID {
		return nil, fail(obj, ErrCIDMismatch, "signed %02X, response 9F27 %02X", res.CID, in.CID)
	}
	if rec != nil {
		if err := hashCheck(obj, rec, 2, in.UN); err != nil {
			return nil, err
		}
	}
	var ok bool
	if icc.Algorithm == SM2 {
		ok = equalHash(TransactionDataHash(SM2, in), res.TransactionHash)
	} else {
		sum := transactionDataSHA1(in)
		ok = equalHash(sum[:], res.TransactionHash)
	}
	if !ok {
		return nil, fail(obj, ErrTransactionHash, "")
	}
	return res, nil
}

// splitCDADynamic cuts the ICC dynamic data of CDA (Book 2 Table 19):
// IDN length, IDN, CID, AC (8), transaction data hash code.
func splitCDADynamic(dyn []byte, hashSize int, res *CDAResult) error {
	n, rest, err := idn(ObjectCDA, dyn)
	if err != nil {
		return err
	}
	if len(rest) < 1+8+hashSize {
		return fail(ObjectCDA, ErrDynamicDataFormat, "%d bytes after the ICC dynamic number, need CID, AC and a %d-byte hash", len(rest), hashSize)
	}
	*res = CDAResult{IDN: n, CID: rest[0], AC: rest[1:9], TransactionHash: rest[9 : 9+hashSize]}
	return nil
}

func equalHash(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// GenerateACResponse is a parsed GENERATE AC response.
type GenerateACResponse struct {
	// Format is 1 (template 80) or 2 (template 77).
	Format int
	// CID (9F27), ATC (9F36), AC (9F26, absent when CDA was performed),
	// IAD (9F10, optional) and SDAD (9F4B, CDA only); nil when absent.
	CID  []byte
	ATC  []byte
	AC   []byte
	IAD  []byte
	SDAD []byte
	// Signed holds the format 2 objects other than 9F4B as received, in
	// order: the last part of CDA's transaction data hash.
	Signed []byte
}

// ParseGenerateAC parses the data of a GENERATE AC response (Book 3
// §6.5.5.4): format 1 is 80 holding CID (1), ATC (2), AC (8) and optional
// issuer application data; format 2 is a template 77 of data objects, which
// must include 9F27 and 9F36. Errors are *Error about ObjectCDA wrapping
// ErrResponseFormat. The fields alias resp.
func ParseGenerateAC(resp []byte) (*GenerateACResponse, error) {
	// Small enough to be inlined, so that a caller that does not keep the
	// result holds it on its stack.
	r := new(GenerateACResponse)
	if err := r.parse(resp); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *GenerateACResponse) parse(resp []byte) error {
	s := emv.Scanner(resp)
	var tag emv.Tag
	var v []byte
	if !s.ReadObject(&tag, &v) || s.More() {
		return fail(ObjectCDA, ErrResponseFormat, "not one well-formed TLV object")
	}
	switch tag {
	case 0x80:
		if len(v) < 11 {
			return fail(ObjectCDA, ErrResponseFormat, "format 1 response of %d bytes", len(v))
		}
		*r = GenerateACResponse{Format: 1, CID: v[:1], ATC: v[1:3], AC: v[3:11], IAD: v[11:]}
		return nil
	case 0x77:
		return r.parseFormat2(v)
	}
	return fail(ObjectCDA, ErrResponseFormat, "tag %s is neither 80 nor 77", tag)
}

func (r *GenerateACResponse) parseFormat2(v []byte) error {
	*r = GenerateACResponse{Format: 2}
	s := emv.Scanner(v)
	var tag emv.Tag
	var val, raw []byte
	// Signed is v[start:end] while the objects other than 9F4B follow one
	// another in v (9F4B first, last or absent, as cards send it), and a
	// copy once they do not.
	start, end, copied := -1, -1, false
	for s.More() {
		at := len(v) - len(s)
		if !s.ReadRawObject(&tag, &val, &raw) {
			return fail(ObjectCDA, ErrResponseFormat, "malformed object in template 77")
		}
		switch tag {
		case 0x9F4B:
			r.SDAD = val
			continue
		case 0x9F27:
			r.CID = val
		case 0x9F36:
			r.ATC = val
		case 0x9F26:
			r.AC = val
		case 0x9F10:
			r.IAD = val
		}
		switch {
		case copied:
			r.Signed = append(r.Signed, raw...)
		case start < 0:
			start, end = at, at+len(raw)
		case at == end:
			end += len(raw)
		default:
			r.Signed = append(append(make([]byte, 0, len(v)), v[start:end]...), raw...)
			copied = true
		}
	}
	if !copied && start >= 0 {
		r.Signed = v[start:end:end]
	}
	if len(r.CID) != 1 || len(r.ATC) != 2 {
		return fail(ObjectCDA, ErrResponseFormat, "template 77 lacks a one-byte 9F27 or a two-byte 9F36")
	}
	return nil
}
