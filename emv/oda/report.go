package oda

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv"
)

// Report is the outcome of CheckImage for one application. A field is
// present (non-nil, non-empty) only when its check applies; hex is upper
// case; an IDN is the ICC dynamic number without its length byte. Failures
// says in words what failed; Errors holds the same as errors (errors.Is
// with the Err… kinds) for programs.
type Report struct {
	AID          Hex      `json:"aid"`
	IssuerID     Hex      `json:"issuer_id,omitempty"`
	IssuerExpiry Hex      `json:"issuer_expiry,omitempty"`
	IssuerCertOK *bool    `json:"issuer_cert_ok,omitempty"`
	ICCPAN       Hex      `json:"icc_pan,omitempty"`
	ICCExpiry    Hex      `json:"icc_expiry,omitempty"`
	ICCCertOK    *bool    `json:"icc_cert_ok,omitempty"`
	SDAOK        *bool    `json:"sda_ok,omitempty"`
	SDADAC       Hex      `json:"sda_dac,omitempty"`
	DDAOK        *bool    `json:"dda_ok,omitempty"`
	DDAIDN       Hex      `json:"dda_idn,omitempty"`
	CDAOK        *bool    `json:"cda_ok,omitempty"`
	CDAIDN       Hex      `json:"cda_idn,omitempty"`
	CDACID       Hex      `json:"cda_cid,omitempty"`
	CDAAC        Hex      `json:"cda_ac,omitempty"`
	Failures     []string `json:"failures"`
	Errors       []error  `json:"-"`

	masked bool
}

// MaskPAN makes the report show the ICC certificate's PAN masked (first 6
// and last 4 digits, emv.MaskPAN, then the F padding) in PANText and JSON:
// for output that may end up in logs.
func (r *Report) MaskPAN() { r.masked = true }

// PANText returns the ICC certificate's PAN as written out: upper-case hex
// with its F padding, masked after MaskPAN; "" when there is none.
func (r *Report) PANText() string {
	if len(r.ICCPAN) == 0 {
		return ""
	}
	h, _ := r.ICCPAN.MarshalText()
	digits, err := emv.DecodeCompressedNumeric(r.ICCPAN)
	if !r.masked || err != nil {
		return string(h)
	}
	return emv.MaskPAN(digits) + string(h[len(digits):])
}

// MarshalJSON writes the report's fields, the PAN as PANText gives it.
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report // without this method
	return json.Marshal(struct {
		*plain
		ICCPAN string `json:"icc_pan,omitempty"` // shadows plain's
	}{(*plain)(r), r.PANText()})
}

// OK reports whether every check that applied passed.
func (r *Report) OK() bool { return len(r.Failures) == 0 }

func (r *Report) fail(err error) {
	r.Errors = append(r.Errors, err)
	r.Failures = append(r.Failures, strings.TrimPrefix(err.Error(), "oda: "))
}

// errNotPerformed says a check could not run because one it depends on failed.
var errNotPerformed = errors.New("not performed")

func (r *Report) notPerformed(what, because string) {
	r.fail(fmt.Errorf("%s: %w: %s", what, errNotPerformed, because))
}

func okFlag(ok bool) *bool { return &ok }

// AIP byte 1 bits (EMV Book 3 Annex C1).
const (
	aipSDA = 0x40
	aipDDA = 0x20
	aipCDA = 0x01
)

// CheckImage runs every offline data authentication check that applies to
// a card image, with the CA keys of store, on date:
//
//   - the issuer certificate whenever any other check applies;
//   - SDA when the AIP claims it or the image holds 93;
//   - the ICC certificate when the AIP claims DDA or CDA, or the image holds
//     9F46 or a dda or cda exchange;
//   - DDA when the image holds a dda exchange, CDA when it holds a cda one.
//
// A check that cannot run because one it depends on failed is reported as
// failed too ("not performed"); an image that Validate refuses is one
// failure wrapping ErrImage.
func CheckImage(store *Store, img *Image, date time.Time) *Report {
	c := &imageCheck{r: &Report{AID: img.AID, Failures: []string{}}, img: img, v: Verifier{Store: store, Date: date}}
	if err := img.Validate(); err != nil {
		c.r.fail(fmt.Errorf("card image: %w: %v", ErrImage, err))
		return c.r
	}
	c.run()
	return c.r
}

// imageCheck is the state of one CheckImage: each step reads what the
// previous ones left.
type imageCheck struct {
	r      *Report
	img    *Image
	v      Verifier
	card   CardData
	static []byte
	stErr  error
	issuer *IssuerCertificate
	icc    *ICCCertificate
}

func (c *imageCheck) run() {
	for _, rec := range c.img.Records {
		if err := c.card.AddRecord(rec.Data); err != nil {
			c.r.fail(fmt.Errorf("SFI %d record %d: %w", rec.SFI, rec.Record, err))
		}
	}
	c.card.AIP = c.img.AIP
	aip := c.img.AIP[0]
	sda := aip&aipSDA != 0 || c.card.SSAD != nil
	icc := aip&(aipDDA|aipCDA) != 0 || c.card.ICCCert != nil || c.img.DDA != nil || c.img.CDA != nil
	if !sda && !icc {
		return
	}
	afl, _ := emv.ParseAFL(c.img.AFL) // validated by ParseImages
	c.static, c.stErr = StaticData(afl, c.img.records(), c.img.AIP, c.card.SDATagList)
	if c.stErr != nil {
		c.r.fail(c.stErr)
	}
	c.issuerCert()
	if sda {
		c.sda()
	}
	if icc {
		c.iccCert()
	}
	if c.img.DDA != nil {
		c.dda()
	}
	if c.img.CDA != nil {
		c.cda()
	}
}

func (c *imageCheck) issuerCert() {
	rid, _ := RID(c.img.AID)
	ic, err := c.v.IssuerKey(rid, &c.card)
	c.r.IssuerCertOK = okFlag(err == nil)
	if err != nil {
		c.r.fail(err)
		return
	}
	c.issuer = ic
	c.r.IssuerID, c.r.IssuerExpiry = ic.IssuerID[:], ic.Expiry[:]
}

// ready reports whether what a check needs is there, recording why not.
func (c *imageCheck) ready(what string, needICC bool) bool {
	switch {
	case c.issuer == nil:
		c.r.notPerformed(what, "no issuer public key")
	case c.stErr != nil && !needICC:
		c.r.notPerformed(what, "no static data to authenticate")
	case needICC && c.icc == nil:
		c.r.notPerformed(what, "no ICC public key")
	default:
		return true
	}
	return false
}

func (c *imageCheck) sda() {
	c.r.SDAOK = okFlag(false)
	if !c.ready("SDA", false) {
		return
	}
	if c.card.SSAD == nil {
		c.r.fail(fail(ObjectSSAD, ErrMissingData, "93 absent"))
		return
	}
	dac, err := VerifySSAD(c.issuer.Key, c.card.SSAD, c.static)
	if err != nil {
		c.r.fail(err)
		return
	}
	c.r.SDAOK, c.r.SDADAC = okFlag(true), dac[:]
}

func (c *imageCheck) iccCert() {
	c.r.ICCCertOK = okFlag(false)
	if !c.ready("ICC public key certificate (9F46)", false) {
		return
	}
	cc, err := c.v.ICCKey(c.issuer, &c.card, c.static)
	if err != nil {
		c.r.fail(err)
		return
	}
	c.icc = cc
	c.r.ICCCertOK, c.r.ICCPAN, c.r.ICCExpiry = okFlag(true), cc.PAN[:], cc.Expiry[:]
}

func (c *imageCheck) dda() {
	c.r.DDAOK = okFlag(false)
	if !c.ready("DDA", true) {
		return
	}
	sdad, err := ParseInternalAuthenticate(c.img.DDA.Response)
	if err != nil {
		c.r.fail(err)
		return
	}
	dd, err := VerifyDDA(c.icc.Key, sdad, c.img.DDA.DDOLData)
	if err != nil {
		c.r.fail(err)
		return
	}
	c.r.DDAOK, c.r.DDAIDN = okFlag(true), dd.IDN
}

func (c *imageCheck) cda() {
	c.r.CDAOK = okFlag(false)
	if !c.ready("CDA", true) {
		return
	}
	x := c.img.CDA
	resp, err := ParseGenerateAC(x.GenACResponse)
	if err == nil && resp.SDAD == nil {
		err = fail(ObjectCDA, ErrMissingData, "the GENERATE AC response has no 9F4B")
	}
	if err != nil {
		c.r.fail(err)
		return
	}
	res, err := VerifyCDA(c.icc.Key, CDAInput{
		SDAD: resp.SDAD, CID: resp.CID[0], UN: x.Unpredictable(c.card.CDOL1),
		PDOLData: x.PDOLData, CDOL1Data: x.CDOL1Data, Response: resp.Signed,
	})
	if err != nil {
		c.r.fail(err)
		return
	}
	c.r.CDAOK, c.r.CDAIDN, c.r.CDACID, c.r.CDAAC = okFlag(true), res.IDN, []byte{res.CID}, res.AC
}
