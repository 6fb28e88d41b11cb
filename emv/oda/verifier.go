package oda

import (
	"fmt"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

// CardData holds the card's data objects that offline data authentication
// uses. A nil field is an absent object.
type CardData struct {
	PAN             []byte // 5A
	CAIndex         []byte // 8F
	IssuerCert      []byte // 90
	IssuerRemainder []byte // 92
	IssuerExponent  []byte // 9F32
	ICCCert         []byte // 9F46
	ICCRemainder    []byte // 9F48
	ICCExponent     []byte // 9F47
	SSAD            []byte // 93
	SDATagList      []byte // 9F4A
	AIP             []byte // 82
	DDOL            []byte // 9F49
	CDOL1           []byte // 8C
}

// field returns the CardData field that holds tag, or nil.
func (d *CardData) field(tag emv.Tag) *[]byte {
	switch tag {
	case 0x5A:
		return &d.PAN
	case 0x8F:
		return &d.CAIndex
	case 0x90:
		return &d.IssuerCert
	case 0x92:
		return &d.IssuerRemainder
	case 0x9F32:
		return &d.IssuerExponent
	case 0x9F46:
		return &d.ICCCert
	case 0x9F48:
		return &d.ICCRemainder
	case 0x9F47:
		return &d.ICCExponent
	case 0x93:
		return &d.SSAD
	case 0x9F4A:
		return &d.SDATagList
	case 0x82:
		return &d.AIP
	case 0x9F49:
		return &d.DDOL
	case 0x8C:
		return &d.CDOL1
	}
	return nil
}

// Set stores v as the value of tag if CardData has a field for it, and
// reports whether it had. The first value of a tag wins (a card that sends
// an object twice does not get to replace it).
func (d *CardData) Set(tag emv.Tag, v []byte) bool {
	f := d.field(tag)
	if f == nil {
		return false
	}
	if *f == nil {
		*f = append([]byte{}, v...)
	}
	return true
}

// AddRecord stores the data objects of a record (the objects inside its
// template 70, or at top level for records of SFI 11–30 that have none).
func (d *CardData) AddRecord(record []byte) error {
	body := record
	if v, ok := findTop(record, 0x70); ok {
		body = v
	}
	s := emv.Scanner(body)
	var tag emv.Tag
	var v []byte
	for s.More() {
		if !s.ReadObject(&tag, &v) {
			return fmt.Errorf("oda: record %X…: malformed TLV", record[:min(len(record), 8)])
		}
		d.Set(tag, v)
	}
	return nil
}

// RID returns the registered application provider identifier of an AID:
// its first 5 bytes.
func RID(aid []byte) ([5]byte, error) {
	if len(aid) < 5 {
		return [5]byte{}, fmt.Errorf("oda: AID %X is shorter than a RID", aid)
	}
	return [5]byte(aid[:5]), nil
}

// Verifier recovers the certificate chain of one transaction: the CA key
// store the terminal trusts and the transaction date.
type Verifier struct {
	Store *Store
	Date  time.Time
}

// IssuerKey retrieves the issuer public key as Book 2 §5.3 (and §6.3)
// describes: it finds the CA key (RID, 8F), recovers the issuer certificate
// (90, 92, 9F32), checks the issuer identifier against the PAN, the expiry
// against the transaction date and the revocation list.
func (v *Verifier) IssuerKey(rid [5]byte, d *CardData) (*IssuerCertificate, error) {
	c := new(IssuerCertificate)
	if err := v.IssuerKeyTo(c, rid, d); err != nil {
		return nil, err
	}
	return c, nil
}

// IssuerKeyTo is IssuerKey writing the certificate to c instead of a new
// one, for a terminal that keeps its certificates in memory of its own
// from one transaction to the next. On error c's contents are unspecified.
func (v *Verifier) IssuerKeyTo(c *IssuerCertificate, rid [5]byte, d *CardData) error {
	const obj = ObjectIssuerCert
	if len(d.CAIndex) != 1 {
		return fail(ObjectCAKey, ErrMissingData, "CA public key index (8F) absent or not one byte")
	}
	ca, err := v.Store.Key(rid, d.CAIndex[0], v.Date)
	if err != nil {
		return err
	}
	switch {
	case d.IssuerCert == nil:
		return fail(obj, ErrMissingData, "90 absent")
	case ca.Key.Algorithm == RSA && d.IssuerExponent == nil:
		return fail(obj, ErrMissingData, "issuer public key exponent (9F32) absent")
	case d.PAN == nil:
		return fail(obj, ErrMissingData, "application PAN (5A) absent")
	}
	if err := recoverIssuerCertTo(c, &ca.Key, d.IssuerCert, d.IssuerRemainder, d.IssuerExponent); err != nil {
		return err
	}
	if err := c.Check(d.PAN, v.Date); err != nil {
		return err
	}
	if v.Store.Revoked(rid, ca.Index, c.Serial) {
		return fail(obj, ErrCertRevoked, "serial %X under CA key %s", c.Serial, ca.String())
	}
	return nil
}

// ICCKey retrieves the ICC public key as Book 2 §6.4 describes, from the
// issuer certificate IssuerKey returned, the card's 9F46, 9F48, 9F47 and
// PAN, and the static data to be authenticated.
func (v *Verifier) ICCKey(issuer *IssuerCertificate, d *CardData, static []byte) (*ICCCertificate, error) {
	c := new(ICCCertificate)
	if err := v.ICCKeyTo(c, issuer, d, static); err != nil {
		return nil, err
	}
	return c, nil
}

// ICCKeyTo is ICCKey writing the certificate to c instead of a new one
// (see IssuerKeyTo). On error c's contents are unspecified.
func (v *Verifier) ICCKeyTo(c *ICCCertificate, issuer *IssuerCertificate, d *CardData, static []byte) error {
	const obj = ObjectICCCert
	switch {
	case d.ICCCert == nil:
		return fail(obj, ErrMissingData, "9F46 absent")
	case issuer.Key.Algorithm == RSA && d.ICCExponent == nil:
		return fail(obj, ErrMissingData, "ICC public key exponent (9F47) absent")
	case d.PAN == nil:
		return fail(obj, ErrMissingData, "application PAN (5A) absent")
	}
	if err := recoverICCCertTo(c, &issuer.Key, d.ICCCert, d.ICCRemainder, d.ICCExponent, static); err != nil {
		return err
	}
	return c.Check(d.PAN, v.Date)
}
