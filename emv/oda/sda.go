package oda

import (
	"fmt"

	"github.com/yixin-emv/yixin/emv"
)

// Record is a record read from the card: its short file identifier, its
// number and its data exactly as READ RECORD returned it.
type Record struct {
	SFI    int
	Number int
	Data   []byte
}

// AppendODARecord appends what one record flagged for offline data
// authentication contributes to the static data (Book 3 §10.3): for SFI
// 1–10 the value of its template 70, for SFI 11–30 the whole record. A
// record that breaks the rule is an *Error about ObjectStaticData wrapping
// ErrODARecord.
func AppendODARecord(dst []byte, sfi int, record []byte) ([]byte, error) {
	v, err := emv.ODARecord(sfi, record)
	if err != nil {
		return dst, fail(ObjectStaticData, ErrODARecord, "%v", err)
	}
	return append(dst, v...), nil
}

// AppendTagListData appends the data the static data authentication tag
// list (9F4A) names: Book 3 §10.3 allows it to list only the AIP (82), whose
// value is then appended. An absent or empty list appends nothing; a list
// naming anything else (including 82 twice) is an *Error wrapping
// ErrSDATagList; a missing or malformed AIP one wrapping ErrMissingData.
func AppendTagListData(dst, tagList, aip []byte) ([]byte, error) {
	switch {
	case len(tagList) == 0:
		return dst, nil
	case len(tagList) != 1 || tagList[0] != 0x82:
		return dst, fail(ObjectStaticData, ErrSDATagList, "9F4A is %X", tagList)
	case len(aip) != 2:
		return dst, fail(ObjectStaticData, ErrMissingData, "AIP (82) of %d bytes for 9F4A", len(aip))
	}
	return append(dst, aip...), nil
}

// StaticData returns the static data to be authenticated: the records the
// AFL flags for offline data authentication, in AFL order, then the AIP
// when the tag list (9F4A, nil if absent) asks for it. A flagged record
// missing from records is an *Error wrapping ErrMissingData.
func StaticData(afl []emv.AFLEntry, records []Record, aip, tagList []byte) ([]byte, error) {
	var out []byte
	for _, e := range afl {
		for n := e.First; n < e.First+e.ODACount; n++ {
			r, ok := findRecord(records, e.SFI, n)
			if !ok {
				return nil, fail(ObjectStaticData, ErrMissingData, "SFI %d record %d is flagged for ODA but was not read", e.SFI, n)
			}
			var err error
			if out, err = AppendODARecord(out, e.SFI, r); err != nil {
				return nil, err
			}
		}
	}
	return AppendTagListData(out, tagList, aip)
}

func findRecord(records []Record, sfi, n int) ([]byte, bool) {
	for _, r := range records {
		if r.SFI == sfi && r.Number == n {
			return r.Data, true
		}
	}
	return nil, false
}

// VerifySSAD verifies the signed static application data (93) with the
// issuer key over the static data to be authenticated and returns the data
// authentication code (9F45): Book 2 §5.4 for RSA, format 13 for SM2.
func VerifySSAD(issuer PublicKey, ssad, static []byte) ([2]byte, error) {
	if issuer.Algorithm == SM2 {
		return verifySM2SSAD(&issuer, ssad, static)
	}
	return recoverSSAD(&issuer, ssad, static)
}

// DynamicData is what a verified signed dynamic application data reveals.
type DynamicData struct {
	// ICCDynamicData is the whole ICC dynamic data field.
	ICCDynamicData []byte
	// IDN is the ICC dynamic number (9F4C), without its length byte.
	IDN []byte
}

// VerifyDDA verifies the signed dynamic application data (9F4B) of an
// INTERNAL AUTHENTICATE response with the ICC key over the DDOL data the
// terminal sent (Book 2 §6.5.2; format 15 for SM2) and returns the ICC
// dynamic data.
func VerifyDDA(icc PublicKey, sdad, ddolData []byte) (*DynamicData, error) {
	return verifyDynamic(ObjectSDAD, &icc, sdad, ddolData)
}

func verifyDynamic(obj Object, icc *PublicKey, sdad, terminal []byte) (*DynamicData, error) {
	var dyn []byte
	if icc.Algorithm == SM2 {
		var err error
		if dyn, err = verifySM2SDAD(obj, icc, sdad, terminal); err != nil {
			return nil, err
		}
	} else {
		rec, d, err := recoverSDAD(obj, icc, sdad)
		if err != nil {
			return nil, err
		}
		if err := hashCheck(obj, rec, 2, terminal); err != nil {
			return nil, err
		}
		dyn = d
	}
	n, _, err := idn(obj, dyn)
	if err != nil {
		return nil, err
	}
	return &DynamicData{ICCDynamicData: dyn, IDN: n}, nil
}

// ParseInternalAuthenticate returns the signed dynamic application data of
// an INTERNAL AUTHENTICATE response (its data, without the status word):
// format 1 is the single object 80 holding it, format 2 a template 77 that
// contains 9F4B (Book 3 §6.5.9.4). Anything else is an *Error about
// ObjectSDAD wrapping ErrResponseFormat.
func ParseInternalAuthenticate(resp []byte) ([]byte, error) {
	s := emv.Scanner(resp)
	var tag emv.Tag
	var v []byte
	if !s.ReadObject(&tag, &v) || s.More() {
		return nil, fail(ObjectSDAD, ErrResponseFormat, "not one well-formed TLV object")
	}
	switch tag {
	case 0x80:
		return v, nil
	case 0x77:
		if sdad, ok := findTop(v, 0x9F4B); ok {
			return sdad, nil
		}
		return nil, fail(ObjectSDAD, ErrResponseFormat, "template 77 without 9F4B")
	}
	return nil, fail(ObjectSDAD, ErrResponseFormat, "tag %s is neither 80 nor 77", tag)
}

// findTop finds a tag among the objects of b (one level, no descent),
// failing on malformed data.
func findTop(b []byte, want emv.Tag) ([]byte, bool) {
	s := emv.Scanner(b)
	var tag emv.Tag
	var v []byte
	for s.More() {
		if !s.ReadObject(&tag, &v) {
			return nil, false
		}
		if tag == want {
			return v, true
		}
	}
	return nil, false
}

// String shows the dynamic number.
func (d *DynamicData) String() string { return fmt.Sprintf("ICC dynamic number %X", d.IDN) }
