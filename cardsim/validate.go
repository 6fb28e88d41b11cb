package cardsim

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/yixin-emv/yixin/emv"
)

// Limits a profile must respect.
const (
	maxApplications = 8
	maxRecordLen    = 254 // a record, template 70 included (EMV Book 3 §5.2)
	maxPINTryLimit  = 15  // the CVR keeps the PIN try counter in a nibble
)

// Validate checks that the profile makes a usable card. The error is a
// *ProfileError wrapping ErrProfile, naming the first field that is wrong.
func (p *Profile) Validate() error {
	v := validator{profile: p.Name}
	v.check(p.Name != "", "name", "is empty")
	v.check(len(p.Applications) >= 1 && len(p.Applications) <= maxApplications,
		"applications", "must list 1 to %d applications, not %d", maxApplications, len(p.Applications))
	if p.ATR != nil {
		v.check(len(p.ATR) >= 2 && len(p.ATR) <= 33 && (p.ATR[0] == 0x3B || p.ATR[0] == 0x3F),
			"atr", "must be 2 to 33 bytes starting with 3B or 3F")
	}
	if p.PSE != nil {
		v.check(p.PSE.SFI >= 1 && p.PSE.SFI <= 10, "pse.sfi", "must be 1 to 10 (EMV Book 1 §12.2.3), not %d", p.PSE.SFI)
		v.language("pse.language", p.PSE.Language)
		v.check(p.PSE.IssuerCodeTable >= 0 && p.PSE.IssuerCodeTable <= 10, "pse.issuer_code_table", "must be 0 (none) to 10")
	}
	seen := map[string]bool{}
	for i := range p.Applications {
		a := &p.Applications[i]
		v.app = a.Name
		v.check(a.Name != "", "name", "application %d has no name", i+1)
		v.check(!seen[a.Name] && !seen[a.AID.String()], "aid", "duplicate application name or AID")
		seen[a.Name], seen[a.AID.String()] = true, true
		a.validate(&v)
		v.app = ""
	}
	return v.err
}

// validator keeps the first error met.
type validator struct {
	profile, app string
	err          error
}

func (v *validator) check(ok bool, field, format string, args ...any) {
	if ok || v.err != nil {
		return
	}
	v.err = &ProfileError{Profile: v.profile, App: v.app, Field: field,
		Err: fmt.Errorf("%w: %s", ErrProfile, fmt.Sprintf(format, args...))}
}

func (v *validator) fail(field string, err error) {
	if err != nil {
		v.check(false, field, "%v", err)
	}
}

func (v *validator) language(field, s string) {
	v.check(len(s)%2 == 0 && len(s) <= 8, field, "must be 1 to 4 two-letter ISO 639 codes, not %q", s)
	for i := 0; i < len(s); i++ {
		v.check(s[i] >= 'a' && s[i] <= 'z', field, "must be lower-case letters, not %q", s)
	}
}

func (v *validator) text(field, s string, minLen, maxLen int) {
	v.check(len(s) >= minLen && len(s) <= maxLen, field, "must be %d to %d characters, not %d", minLen, maxLen, len(s))
	for i := 0; i < len(s); i++ {
		v.check(s[i] >= 0x20 && s[i] < 0x7F, field, "must be printable ASCII (format ans), not %q", s)
	}
}

func (v *validator) digits(field, s string, minLen, maxLen int) {
	v.check(len(s) >= minLen && len(s) <= maxLen, field, "must be %d to %d digits, not %q", minLen, maxLen, s)
	for i := 0; i < len(s); i++ {
		v.check(s[i] >= '0' && s[i] <= '9', field, "must be digits, not %q", s)
	}
}

func (v *validator) date(field, s string) emv.Date {
	d, err := emv.ParseDateString(s)
	v.fail(field, err)
	return d
}

func (v *validator) dol(field string, b []byte) emv.DOL {
	d, err := emv.ParseDOL(b)
	v.fail(field, err)
	return d
}

func (v *validator) length(field string, b []byte, want ...int) {
	v.check(slices.Contains(want, len(b)), field, "must be %v bytes, not %d", want, len(b))
}

func (a *AppProfile) validate(v *validator) {
	v.check(len(a.AID) >= 5 && len(a.AID) <= 16, "aid", "must be 5 to 16 bytes, not %d", len(a.AID))
	v.text("label", a.Label, 1, 16)
	v.text("preferred_name", a.PreferredName, 0, 16)
	v.check(a.IssuerCodeTable >= 0 && a.IssuerCodeTable <= 10, "issuer_code_table", "must be 0 (none) to 10")
	v.check(a.Priority >= 0 && a.Priority <= 15, "priority", "must be 0 to 15, not %d", a.Priority)
	v.language("language", a.Language)
	a.validateCardholder(v)
	a.validateData(v)
	a.validateCounters(v)
	a.Crypto.validate(v)
	a.validateODA(v)
	a.Risk.validate(v)
	a.validateRecords(v)
}

func (a *AppProfile) validateCardholder(v *validator) {
	v.digits("pan", a.PAN, 12, emv.MaxPANDigits)
	v.check(emv.LuhnValid(a.PAN), "pan", "fails the Luhn check")
	if a.PSN != "" {
		v.digits("psn", a.PSN, 2, 2)
	}
	eff, exp := v.date("effective", a.Effective), v.date("expiry", a.Expiry)
	v.check(v.err != nil || eff.Before(exp), "expiry", "must be after the effective date")
	v.digits("currency", a.Currency, 3, 3)
	_, okCur := emv.CurrencyByNumeric(atoi(a.Currency))
	v.check(okCur, "currency", "%q is not an ISO 4217 numeric code", a.Currency)
	v.check(a.CurrencyExponent >= 0 && a.CurrencyExponent <= 3, "currency_exponent", "must be 0 to 3")
	v.digits("country", a.Country, 3, 3)
	_, okCty := emv.CountryByNumeric(atoi(a.Country))
	v.check(okCty, "country", "%q is not an ISO 3166-1 numeric code", a.Country)
	v.text("cardholder_name", a.CardholderName, 0, 26)
	v.digits("service_code", a.ServiceCode, 3, 3)
	v.digits("track2_discretionary", a.Track2Discretionary, 0, 16)
	v.digits("pin", a.PIN, 4, 12)
	v.check(a.PINTryLimit >= 1 && a.PINTryLimit <= maxPINTryLimit, "pin_try_limit", "must be 1 to %d", maxPINTryLimit)
}

func (a *AppProfile) validateData(v *validator) {
	v.length("aip", a.AIP, 2)
	v.length("auc", a.AUC, 2)
	v.length("iac.default", a.IAC.Default, 5)
	v.length("iac.denial", a.IAC.Denial, 5)
	v.length("iac.online", a.IAC.Online, 5)
	v.check(len(a.CVMList) >= 8 && len(a.CVMList)%2 == 0, "cvm_list", "must be amounts X and Y (8 bytes) then 2-byte rules")
	v.dol("pdol", a.PDOL)
	v.check(len(v.dol("cdol1", a.CDOL1)) > 0, "cdol1", "is empty")
	v.check(len(v.dol("cdol2", a.CDOL2)) > 0, "cdol2", "is empty")
	v.dol("ddol", a.DDOL)
	for k, val := range a.Data {
		t, err := emv.ParseTag(k)
		v.fail("data."+k, err)
		v.check(len(val) <= 252, "data."+k, "value of %d bytes is too long for a record", len(val))
		if t == 0x9F4A {
			v.check(len(val) == 1 && val[0] == 0x82, "data.9F4A", "may list only the AIP (82)")
		}
	}
	for _, k := range a.FCIIssuerData {
		_, ok := a.Data[k]
		v.check(ok, "fci_issuer_data", "tag %s has no value in data", k)
	}
	for _, k := range a.GetData {
		t, err := emv.ParseTag(k)
		v.fail("get_data", err)
		v.check(t.Len() <= 2, "get_data", "tag %s does not fit in P1 P2", k)
	}
}

func (a *AppProfile) validateCounters(v *validator) {
	v.check(a.LCOL >= 0 && a.LCOL <= a.UCOL && a.UCOL <= 255, "lcol", "want 0 <= lcol <= ucol <= 255")
	v.check(a.LCOTA >= 0 && (a.UCOTA == 0 || a.LCOTA <= a.UCOTA), "lcota", "want 0 <= lcota <= ucota")
	v.check(a.ATC >= 0 && a.ATC < 0xFFFF, "atc", "must be 0 to 65534")
	v.check(a.ResponseFormat == 1 || a.ResponseFormat == 2, "response_format", "must be 1 or 2")
}

func (c *CryptoProfile) validate(v *validator) {
	alg, err := c.algorithm()
	v.fail("crypto.algorithm", err)
	switch c.Scheme {
	case schemeCCD:
		v.check(c.CVN == 5 || c.CVN == 6, "crypto.cvn", "CCD cryptogram version must be 5 (TDES) or 6 (AES)")
		v.check(c.ARPCMethod == 2, "crypto.arpc_method", "CCD uses ARPC method 2 with a Card Status Update")
	case schemePBOC:
		v.check(c.CVN >= 1 && c.CVN <= 255, "crypto.cvn", "must be 1 to 255")
		v.check(c.ARPCMethod == 1 || c.ARPCMethod == 2, "crypto.arpc_method", "must be 1 or 2")
	default:
		v.check(false, "crypto.scheme", "must be %q or %q, not %q", schemeCCD, schemePBOC, c.Scheme)
	}
	v.check(c.DKI >= 0 && c.DKI <= 255, "crypto.dki", "must be 0 to 255")
	_, err = c.option()
	v.fail("crypto.derivation", err)
	v.check(c.ScriptMACLen >= 4 && c.ScriptMACLen <= 8, "crypto.script_mac_len", "must be 4 to 8")
	_, err = c.encipherment()
	v.fail("crypto.script_encipherment", err)
	if k := c.IssuerMasterKeys; k != nil && v.err == nil {
		n := alg.BlockSize()
		for _, f := range []struct {
			name string
			key  []byte
		}{{"ac", k.AC}, {"smi", k.SMI}, {"smc", k.SMC}} {
			v.check(len(f.key) == 16 || (n == 16 && (len(f.key) == 24 || len(f.key) == 32)),
				"crypto.issuer_master_keys."+f.name, "key of %d bytes", len(f.key))
		}
	}
}

func (a *AppProfile) validateODA(v *validator) {
	if len(a.AIP) != 2 {
		return
	}
	aip := emv.AIP{a.AIP[0], a.AIP[1]}
	needsODA := aip.Has(emv.AIPSDASupported) || aip.Has(emv.AIPDDASupported) || aip.Has(emv.AIPCDASupported)
	o := a.ODA
	v.check(o != nil || !needsODA, "oda", "the AIP announces offline data authentication but there are no ODA keys")
	if o == nil {
		return
	}
	v.check(len(o.CAIndex) == 1, "oda.ca_index", "must be one byte")
	v.date("oda.ca_expiry", o.CAExpiry)
	v.date("oda.issuer_expiry", o.IssuerExpiry)
	v.length("oda.issuer_serial", o.IssuerSerial, 3)
	switch o.Algorithm {
	case "rsa":
		v.check(o.CABits >= 512 && o.CABits <= 1984 && o.CABits%8 == 0, "oda.ca_bits", "must be a multiple of 8 from 512 to 1984")
		v.check(o.IssuerBits >= 512 && o.IssuerBits <= o.CABits && o.IssuerBits%8 == 0, "oda.issuer_bits",
			"must be a multiple of 8, at least 512 and at most ca_bits (EMV Book 2 §5.1)")
		v.check(o.ICCBits == 0 || (o.ICCBits >= 512 && o.ICCBits <= o.IssuerBits && o.ICCBits%8 == 0), "oda.icc_bits",
			"must be 0 or a multiple of 8, at least 512 and at most issuer_bits")
		for _, e := range []struct {
			f string
			e int
		}{{"oda.ca_exponent", o.CAExponent}, {"oda.issuer_exponent", o.IssuerExponent}} {
			v.check(e.e == 3 || e.e == 65537, e.f, "must be 3 or 65537")
		}
		v.check(o.ICCBits == 0 || o.ICCExponent == 3 || o.ICCExponent == 65537, "oda.icc_exponent", "must be 3 or 65537")
	case "sm2":
		v.check(o.CABits == 0 && o.IssuerBits == 0 && o.ICCBits == 0, "oda", "SM2 keys have no size to choose: leave the *_bits fields out")
	default:
		v.check(false, "oda.algorithm", "must be \"rsa\" or \"sm2\", not %q", o.Algorithm)
	}
	needsICC := aip.Has(emv.AIPDDASupported) || aip.Has(emv.AIPCDASupported)
	v.check(o.HasICCKey() || !needsICC, "oda.icc_bits", "the AIP announces DDA or CDA, which need an ICC key")
}

func (r *RiskProfile) validate(v *validator) {
	for _, l := range []struct {
		field string
		names []string
	}{{"risk.decline", r.Decline}, {"risk.online", r.Online}, {"risk.default", r.Default}, {"risk.online_decline", r.OnlineDecline}} {
		_, err := parseIndicators(l.names)
		v.fail(l.field, err)
	}
}

func (a *AppProfile) validateRecords(v *validator) {
	v.check(len(a.Records) > 0, "records", "is empty")
	pos := map[[2]int]bool{}
	listed := map[emv.Tag]bool{}
	for i, r := range a.Records {
		f := "records[" + strconv.Itoa(i) + "]"
		v.check(r.SFI >= 1 && r.SFI <= 30, f+".sfi", "must be 1 to 30, not %d", r.SFI)
		v.check(r.Record >= 1 && r.Record <= 254, f+".record", "must be 1 to 254, not %d", r.Record)
		v.check(!pos[[2]int{r.SFI, r.Record}], f, "SFI %d record %d is listed twice", r.SFI, r.Record)
		pos[[2]int{r.SFI, r.Record}] = true
		v.check(len(r.Tags) > 0, f+".tags", "is empty")
		for _, k := range r.Tags {
			t, err := emv.ParseTag(k)
			v.fail(f+".tags", err)
			v.check(!listed[t], f+".tags", "tag %s is in two records", k)
			listed[t] = true
			v.check(a.canProvide(t), f+".tags", "nothing provides tag %s: add it to data", k)
			v.check(!r.ODA || !signedOverStaticData(t), f+".tags",
				"tag %s is signed over the static data and cannot be part of it (record is flagged oda)", k)
		}
	}
	for _, t := range a.requiredTags() {
		v.check(listed[t], "records", "no record carries %s (%s), which this application needs", t, t.Name())
	}
	_, err := layoutAFL(a.Records)
	v.fail("records", err)
}

// requiredTags lists the data objects the records must carry: those EMV
// Book 3 §7.2 makes mandatory, and those of the ODA methods the AIP
// announces (Book 2 §5, §6).
func (a *AppProfile) requiredTags() []emv.Tag {
	req := []emv.Tag{0x5A, 0x5F24, 0x8C, 0x8D}
	if len(a.AIP) != 2 || a.ODA == nil {
		return req
	}
	aip := emv.AIP{a.AIP[0], a.AIP[1]}
	if aip.Has(emv.AIPSDASupported) || aip.Has(emv.AIPDDASupported) || aip.Has(emv.AIPCDASupported) {
		req = append(req, 0x8F, 0x90)
		if a.ODA.Algorithm == "rsa" {
			req = append(req, 0x9F32)
		}
	}
	if aip.Has(emv.AIPSDASupported) {
		req = append(req, 0x93)
	}
	if aip.Has(emv.AIPDDASupported) || aip.Has(emv.AIPCDASupported) {
		req = append(req, 0x9F46)
		if a.ODA.Algorithm == "rsa" {
			req = append(req, 0x9F47)
		}
	}
	return req
}

// signedOverStaticData reports whether a tag's value is a signature over
// the static data, so that it cannot itself be in an ODA record.
func signedOverStaticData(t emv.Tag) bool {
	return t == 0x93 || t == 0x9F46 || t == 0x9F48
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}
