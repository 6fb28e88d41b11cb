package cardsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// ErrProfile is wrapped by every error about a profile or card file that
// does not make a usable card.
var ErrProfile = errors.New("cardsim: invalid profile")

// ProfileError says which profile, application and field is wrong.
type ProfileError struct {
	Profile string // the profile's name, "" when unknown
	App     string // the application's name, "" for card-level fields
	Field   string // the JSON field, e.g. "oda.icc_bits"
	Err     error  // the cause; wraps ErrProfile
}

func (e *ProfileError) Error() string {
	where := "cardsim: invalid profile " + strconv.Quote(e.Profile)
	if e.App != "" {
		where += " application " + strconv.Quote(e.App)
	}
	if e.Field != "" {
		where += " field " + e.Field
	}
	return where + ": " + strings.TrimPrefix(e.Err.Error(), ErrProfile.Error()+": ")
}

// Unwrap returns the cause.
func (e *ProfileError) Unwrap() error { return e.Err }

// Profile is a card template: the card-level structure (PSE, PPSE) and
// one or more applications. It holds no key material of its own beyond
// optional fixed issuer master keys; Personalise turns it into a CardFile.
// The JSON schema is described in the package documentation.
type Profile struct {
	Name         string       `json:"name"`
	Description  string       `json:"description,omitempty"`
	ATR          HexBytes     `json:"atr,omitempty"`
	PSE          *Directory   `json:"pse,omitempty"`
	PPSE         bool         `json:"ppse,omitempty"`
	Applications []AppProfile `json:"applications"`
}

// Directory describes the Payment System Environment (1PAY.SYS.DDF01):
// its directory file and the FCI data it returns. Its records are made
// from the applications (one entry per record).
type Directory struct {
	SFI             int    `json:"sfi"`
	Language        string `json:"language,omitempty"`
	IssuerCodeTable int    `json:"issuer_code_table,omitempty"`
}

// AppProfile is the template of one application.
type AppProfile struct {
	// Name is a short handle for commands and messages ("domestic").
	Name                 string   `json:"name"`
	AID                  HexBytes `json:"aid"`
	Label                string   `json:"label"`
	PreferredName        string   `json:"preferred_name,omitempty"`
	IssuerCodeTable      int      `json:"issuer_code_table,omitempty"`
	Priority             int      `json:"priority"`
	ConfirmationRequired bool     `json:"confirmation_required,omitempty"`
	Language             string   `json:"language,omitempty"`

	PAN              string `json:"pan"`
	PSN              string `json:"psn,omitempty"`
	Effective        string `json:"effective"`
	Expiry           string `json:"expiry"`
	Currency         string `json:"currency"`
	CurrencyExponent int    `json:"currency_exponent"`
	Country          string `json:"country"`
	CardholderName   string `json:"cardholder_name,omitempty"`
	ServiceCode      string `json:"service_code"`
	// Track2Discretionary is the discretionary data of the generated
	// Track 2 Equivalent Data (57), digits only.
	Track2Discretionary string `json:"track2_discretionary,omitempty"`

	AIP     HexBytes `json:"aip"`
	AUC     HexBytes `json:"auc"`
	IAC     IACs     `json:"iac"`
	CVMList HexBytes `json:"cvm_list"`
	PDOL    HexBytes `json:"pdol,omitempty"`
	CDOL1   HexBytes `json:"cdol1"`
	CDOL2   HexBytes `json:"cdol2"`
	DDOL    HexBytes `json:"ddol,omitempty"`

	// LCOL and UCOL are the Lower and Upper Consecutive Offline Limits
	// (9F14, 9F23). LCOTA and UCOTA bound the cumulative offline amount in
	// minor units of Currency; 0 means no limit.
	LCOL  int   `json:"lcol"`
	UCOL  int   `json:"ucol"`
	LCOTA int64 `json:"lcota,omitempty"`
	UCOTA int64 `json:"ucota,omitempty"`

	PIN         string `json:"pin"`
	PINTryLimit int    `json:"pin_try_limit"`
	// ATC is the Application Transaction Counter of a new card.
	ATC int `json:"atc,omitempty"`

	// ResponseFormat is 1 (template 80) or 2 (template 77) for the
	// responses of GET PROCESSING OPTIONS, INTERNAL AUTHENTICATE and
	// GENERATE AC. A CDA signature always comes in format 2.
	ResponseFormat int `json:"response_format"`

	Crypto CryptoProfile `json:"crypto"`
	ODA    *ODAProfile   `json:"oda,omitempty"`
	Risk   RiskProfile   `json:"risk"`

	Records []RecordLayout `json:"records"`
	// Data holds further data objects by tag ("9F08": "0030"), for the
	// records, the FCI and GET DATA.
	Data map[string]HexBytes `json:"data,omitempty"`
	// FCIIssuerData lists tags (from Data) that go into the FCI Issuer
	// Discretionary Data (BF0C) of the application's FCI, e.g. 9F4D.
	FCIIssuerData []string `json:"fci_issuer_data,omitempty"`
	// GetData lists the tags GET DATA returns besides 9F36, 9F13 and 9F17;
	// issuer scripts may PUT DATA them.
	GetData []string `json:"get_data,omitempty"`
}

// IACs are the Issuer Action Codes the card gives the terminal (9F0D,
// 9F0E, 9F0F).
type IACs struct {
	Default HexBytes `json:"default"`
	Denial  HexBytes `json:"denial"`
	Online  HexBytes `json:"online"`
}

// CryptoProfile chooses the application's symmetric cryptography and the
// layout of its Issuer Application Data.
type CryptoProfile struct {
	// Scheme is "ccd" (EMV Common Core Definitions, Book 3 Annex C: IAD
	// format A, CVR of 5 bytes, ARPC method 2 with a Card Status Update)
	// or "pboc" (PBOC 3.0 / JR/T 0025 style: 9F10 with CVN and a 3-byte
	// CVR, ARPC method 1 via EXTERNAL AUTHENTICATE).
	Scheme string `json:"scheme"`
	// Algorithm is "tdes", "aes" or "sm4".
	Algorithm string `json:"algorithm"`
	// CVN is the cryptogram version: for "pboc" the CVN byte of 9F10,
	// for "ccd" the cryptogram version nibble of the CCI (5 TDES, 6 AES).
	CVN int `json:"cvn"`
	// DKI is the Derivation Key Index.
	DKI int `json:"dki"`
	// Derivation is the ICC master key option: "auto" (default), "a", "b".
	Derivation string `json:"derivation,omitempty"`
	// ARPCMethod is 1 or 2 (EMV Book 2 §8.2).
	ARPCMethod int `json:"arpc_method"`
	// ScriptMACLen is the length of the secure-messaging MAC, 4 to 8.
	ScriptMACLen int `json:"script_mac_len"`
	// ScriptEncipherment is "cbc" or "ecb-length" (EMV Book 2 §9.3).
	ScriptEncipherment string `json:"script_encipherment"`
	// IssuerMasterKeys, when set, are used instead of random ones.
	IssuerMasterKeys *MasterKeys `json:"issuer_master_keys,omitempty"`
}

// MasterKeys are the three keys of an application: application
// cryptogram, secure-messaging integrity and confidentiality.
type MasterKeys struct {
	AC  HexBytes `json:"ac"`
	SMI HexBytes `json:"smi"`
	SMC HexBytes `json:"smc"`
}

// ODAProfile sets the key sizes of offline data authentication.
type ODAProfile struct {
	// Algorithm is "rsa" or "sm2".
	Algorithm string `json:"algorithm"`
	// CAIndex is the CA public key index (8F), as two hex digits.
	CAIndex HexBytes `json:"ca_index"`
	// CABits, IssuerBits and ICCBits are RSA modulus sizes (ignored for
	// SM2); ICCBits 0 means no ICC key (SDA only). Exponents are 3 or
	// 65537.
	CABits         int    `json:"ca_bits,omitempty"`
	CAExponent     int    `json:"ca_exponent,omitempty"`
	CAExpiry       string `json:"ca_expiry"`
	IssuerBits     int    `json:"issuer_bits,omitempty"`
	IssuerExponent int    `json:"issuer_exponent,omitempty"`
	// IssuerExpiry is the issuer certificate's expiry, YYMMDD (the
	// certificate keeps the month).
	IssuerExpiry string   `json:"issuer_expiry"`
	IssuerSerial HexBytes `json:"issuer_serial"`
	ICCBits      int      `json:"icc_bits,omitempty"`
	ICCExponent  int      `json:"icc_exponent,omitempty"`
	// ICC is true when the application has an ICC key pair (DDA, CDA,
	// enciphered PIN). For RSA it follows from ICCBits.
	ICC bool `json:"icc,omitempty"`
}

// HasICCKey reports whether the application gets an ICC key pair.
func (o *ODAProfile) HasICCKey() bool {
	return o != nil && (o.ICC || o.ICCBits > 0)
}

// RiskProfile is the card risk management of the application as data:
// lists of indicator names (see the package documentation) that make the
// card decline, go online, decline when it cannot go online, or decline
// after an online authorisation.
type RiskProfile struct {
	Decline       []string `json:"decline,omitempty"`
	Online        []string `json:"online,omitempty"`
	Default       []string `json:"default,omitempty"`
	OnlineDecline []string `json:"online_decline,omitempty"`
}

// RecordLayout is one record of the application: where it is and which
// data objects it carries, in order. The values come from the
// application's fields, its Data, and at personalisation from the
// generated keys and certificates.
type RecordLayout struct {
	SFI    int      `json:"sfi"`
	Record int      `json:"record"`
	ODA    bool     `json:"oda,omitempty"`
	Tags   []string `json:"tags"`
}

// ParseProfile reads a profile from JSON, rejecting unknown fields, and
// validates it.
func ParseProfile(r io.Reader) (*Profile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, &ProfileError{Err: fmt.Errorf("%w: %v", ErrProfile, err)}
	}
	if dec.More() {
		return nil, &ProfileError{Profile: p.Name, Err: fmt.Errorf("%w: trailing data after the JSON object", ErrProfile)}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// ParseProfileBytes is ParseProfile of a byte slice.
func ParseProfileBytes(b []byte) (*Profile, error) {
	return ParseProfile(bytes.NewReader(b))
}

// App returns the application with the given name or AID (hex).
func (p *Profile) App(nameOrAID string) (*AppProfile, bool) {
	for i := range p.Applications {
		a := &p.Applications[i]
		if a.Name == nameOrAID || a.AID.String() == nameOrAID {
			return a, true
		}
	}
	return nil, false
}

// tagValue returns a value from Data by tag.
func (a *AppProfile) tagValue(t emv.Tag) ([]byte, bool) {
	v, ok := a.Data[t.String()]
	return v, ok
}
