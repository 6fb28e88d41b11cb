package issuer

import (
	"fmt"
	"slices"

	"github.com/yixin-emv/yixin/emv/cryptogram"
)

// Crypto says how an application computes its cryptograms. Its JSON
// fields are those of the "crypto" object of a cardsim profile, so that a
// card file's section can be handed to the host as it is; session_key,
// ac_data and padding, which cardsim does not have, override the rules of
// the scheme for other layouts.
type Crypto struct {
	// Scheme is one of the Scheme constants.
	Scheme string `json:"scheme"`
	// Algorithm is "tdes", "aes" or "sm4".
	Algorithm string `json:"algorithm"`
	// CVN, when not 0, must be the cryptogram version the Issuer
	// Application Data announces (the low nibble of the CCI for ccd,
	// byte 3 of 9F10 for the others).
	CVN int `json:"cvn,omitempty"`
	// DKI is the Derivation Key Index (informative).
	DKI int `json:"dki,omitempty"`
	// Derivation is the ICC master key option of EMV Book 2 Annex A1.4:
	// "auto" (default), "a" or "b".
	Derivation string `json:"derivation,omitempty"`
	// ARPCMethod is 1 or 2 (EMV Book 2 §8.2); 0 takes the scheme's.
	ARPCMethod int `json:"arpc_method,omitempty"`
	// ScriptMACLen is the length of the script command MAC, 4 to 8; 0
	// takes the scheme's.
	ScriptMACLen int `json:"script_mac_len,omitempty"`
	// ScriptEncipherment is "cbc" or "ecb-length"; "" takes the scheme's.
	ScriptEncipherment string `json:"script_encipherment,omitempty"`
	// IssuerMasterKeys are the issuer master keys the ICC master keys are
	// derived from (cardsim's field of the same name).
	IssuerMasterKeys *MasterKeys `json:"issuer_master_keys,omitempty"`

	// SessionKey overrides the AC session key rule: "common" (EMV Book 2
	// Annex A1.3, or the PBOC rule for SM4) or "none" (the ICC master key
	// itself, as Visa CVN 10 does).
	SessionKey string `json:"session_key,omitempty"`
	// ACData overrides what follows the CDOL1 data, the AIP and the ATC in
	// the cryptogram input: "iad" (the whole 9F10) or "cvr" (bytes 4–7 of
	// 9F10: the CVR with its length byte).
	ACData string `json:"ac_data,omitempty"`
	// Padding overrides the cryptogram's ISO/IEC 9797-1 padding, 1 or 2.
	Padding int `json:"padding,omitempty"`
}

// MasterKeys are the three keys of an application: application
// cryptogram, secure-messaging integrity and confidentiality.
type MasterKeys struct {
	AC  Key `json:"ac"`
	SMI Key `json:"smi"`
	SMC Key `json:"smc"`
}

// The schemes: the cryptogram, Issuer Application Data and script rules of
// a family of cards.
const (
	// SchemeCCD is EMV's Common Core Definitions (Book 3 Annex C), as
	// cardsim's profiles "ccd" implement them: common session key from the
	// ATC, cryptogram over CDOL1 data ‖ AIP ‖ ATC ‖ IAD with padding 2,
	// IAD format A with a 5-byte CVR, ARPC method 2, script keys from the
	// application cryptogram (R = AC), no transaction data in the MAC,
	// CBC encipherment of a format 2 PIN block.
	SchemeCCD = "ccd"
	// SchemePBOC is the domestic application as cardsim implements it
	// (PBOC 3.0 / JR/T 0025 style): session key from the ATC (the SM4 rule
	// for SM4), cryptogram over CDOL1 data ‖ AIP ‖ ATC ‖ CVR with its
	// length byte, padding 2, the VIS-style 3-byte CVR, ARPC method 1,
	// script keys from the ATC, ATC ‖ AC in the MAC, 4-byte MACs, ECB with
	// a length byte.
	SchemePBOC = "pboc"
	// SchemeVisaCVN10 is Visa VIS CVN 10: the ICC master key itself as
	// the cryptogram key, CDOL1 data ‖ AIP ‖ ATC ‖ CVR with padding 1,
	// ARPC method 1, Visa secure-messaging keys, ATC ‖ AC in the MAC.
	SchemeVisaCVN10 = "visa-cvn10"
	// SchemeVisaCVN18 is Visa VIS CVN 18: common session key, CDOL1 data ‖
	// AIP ‖ ATC ‖ IAD with padding 2, ARPC method 2, Visa secure-messaging
	// keys, ATC ‖ AC in the MAC.
	SchemeVisaCVN18 = "visa-cvn18"
)

// schemeRules is one scheme, as data.
type schemeRules struct {
	sessionKey string // "common" or "none"
	acData     string // "iad" or "cvr"
	padding    cryptogram.Padding
	arpcMethod int
	smKey      string // script session keys: "ac" (R = AC), "atc", "visa"
	smTxn      bool   // ATC ‖ AC between header and data in the MAC
	cvr        string // CVR layout: "ccd" or "vis"
	macLen     int
	enc        string
	pinBlock   bool // PIN CHANGE with an ISO 9564 format 2 PIN block
}

// Sources: cardsim (ccd, pboc: iad.go ACInput, crypto.go ScriptSessionKey
// and ScriptMACData); pyemv pyemv/cvn.py VisaCVN10 and VisaCVN18.
var schemes = map[string]schemeRules{
	SchemeCCD:       {"common", "iad", cryptogram.Pad2, 2, "ac", false, "ccd", 8, "cbc", true},
	SchemePBOC:      {"common", "cvr", cryptogram.Pad2, 1, "atc", true, "vis", 4, "ecb-length", true},
	SchemeVisaCVN10: {"none", "cvr", cryptogram.Pad1, 1, "visa", true, "vis", 8, "ecb-length", false},
	SchemeVisaCVN18: {"common", "iad", cryptogram.Pad2, 2, "visa", true, "vis", 8, "ecb-length", false},
}

// method is a Crypto resolved against its scheme: everything the host
// needs to check a cryptogram and answer it.
type method struct {
	schemeRules
	name    string
	alg     cryptogram.Algorithm
	opt     cryptogram.Option
	encMode cryptogram.Encipherment
	cvn     int
}

// resolve checks c and fills in the scheme's defaults.
func (c *Crypto) resolve() (*method, error) {
	r, ok := schemes[c.Scheme]
	if !ok {
		return nil, fmt.Errorf("%w: scheme %q (want %s)", ErrConfig, c.Scheme, schemeList())
	}
	m := &method{schemeRules: r, name: c.Scheme, cvn: c.CVN}
	var err error
	if m.alg, err = cryptogram.ParseAlgorithm(c.Algorithm); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	switch c.Derivation {
	case "", "auto":
		m.opt = cryptogram.OptionAuto
	case "a":
		m.opt = cryptogram.OptionA
	case "b":
		m.opt = cryptogram.OptionB
	default:
		return nil, fmt.Errorf("%w: derivation %q (want auto, a or b)", ErrConfig, c.Derivation)
	}
	if err := m.override(c); err != nil {
		return nil, err
	}
	switch m.enc {
	case "cbc":
		m.encMode = cryptogram.CBCPadded
	case "ecb-length":
		m.encMode = cryptogram.ECBWithLength
	default:
		return nil, fmt.Errorf("%w: script encipherment %q (want cbc or ecb-length)", ErrConfig, m.enc)
	}
	return m, nil
}

// override applies the fields of c that replace the scheme's rules.
func (m *method) override(c *Crypto) error {
	if c.SessionKey != "" {
		m.sessionKey = c.SessionKey
	}
	if c.ACData != "" {
		m.acData = c.ACData
	}
	if c.Padding != 0 {
		m.padding = cryptogram.Padding(c.Padding)
	}
	if c.ARPCMethod != 0 {
		m.arpcMethod = c.ARPCMethod
	}
	if c.ScriptMACLen != 0 {
		m.macLen = c.ScriptMACLen
	}
	if c.ScriptEncipherment != "" {
		m.enc = c.ScriptEncipherment
	}
	switch {
	case m.sessionKey != "common" && m.sessionKey != "none":
		return fmt.Errorf("%w: session_key %q (want common or none)", ErrConfig, m.sessionKey)
	case m.acData != "iad" && m.acData != "cvr":
		return fmt.Errorf("%w: ac_data %q (want iad or cvr)", ErrConfig, m.acData)
	case m.padding != cryptogram.Pad1 && m.padding != cryptogram.Pad2:
		return fmt.Errorf("%w: padding %d (want 1 or 2)", ErrConfig, m.padding)
	case m.arpcMethod != 1 && m.arpcMethod != 2:
		return fmt.Errorf("%w: arpc_method %d (want 1 or 2)", ErrConfig, m.arpcMethod)
	case m.macLen < 4 || m.macLen > 8:
		return fmt.Errorf("%w: script_mac_len %d (want 4 to 8)", ErrConfig, m.macLen)
	}
	return nil
}

func schemeList() string {
	names := make([]string, 0, len(schemes))
	for n := range schemes {
		names = append(names, n)
	}
	slices.Sort(names)
	return fmt.Sprint(names)
}

// iccKey derives one ICC master key from an issuer master key, the way
// cardsim's CryptoProfile.DeriveICCMasterKey does: Option A/B for TDES
// and AES, the SM4 transposition for SM4.
func (m *method) iccKey(imk []byte, pan, psn string) ([]byte, error) {
	if m.alg == cryptogram.SM4 {
		return cryptogram.DeriveICCMasterKeySM4(imk, pan, psn, m.opt)
	}
	return cryptogram.DeriveICCMasterKey(imk, pan, psn, m.opt)
}

// acKey is the key of the application cryptogram and of the ARPC.
func (m *method) acKey(mk, atc []byte) ([]byte, error) {
	if m.sessionKey == "none" {
		return mk, nil
	}
	return cryptogram.DeriveSessionKey(m.alg, mk, atc)
}

// acInput is the data the application cryptogram covers.
func (m *method) acInput(cdolData, aip, atc, iad []byte) []byte {
	in := slices.Concat(cdolData, aip, atc)
	if m.acData == "cvr" {
		if len(iad) >= 7 {
			return append(in, iad[3:7]...)
		}
		return in
	}
	return append(in, iad...)
}

// smKey derives a secure-messaging session key (integrity or
// confidentiality) from its ICC master key.
func (m *method) smSessionKey(mk, atc, ac []byte) ([]byte, error) {
	switch m.smKey {
	case "atc":
		return cryptogram.DeriveSessionKey(m.alg, mk, atc)
	case "visa":
		return cryptogram.DeriveSessionKeyVisaSM(mk, atc)
	}
	r := make([]byte, m.alg.BlockSize())
	copy(r, ac)
	return cryptogram.DeriveCommonSessionKey(m.alg, mk, r)
}

// smTxnData is what the MAC covers between header and data.
func (m *method) smTxnData(atc, ac []byte) []byte {
	if !m.smTxn {
		return nil
	}
	return slices.Concat(atc, ac)
}
