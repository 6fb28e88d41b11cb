package kernel

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// Config is a terminal: its own data, the applications it accepts with
// their parameters, the application selection policy, the CA public keys
// and the interfaces to the outside world (randomness, clock, PIN pad,
// cardholder, online host, transaction log, exception file).
//
// A Config is read-only once transactions use it: any number of
// concurrent transactions may share one. The interfaces it holds must then
// be safe for concurrent use too.
//
// The JSON form (see LoadConfig, and testdata/config/*.json in the
// repository) holds everything but the interfaces; hex fields are strings
// of hex digits, amounts are integers in minor units of the terminal's
// currency.
type Config struct {
	Terminal     Terminal        `json:"terminal"`
	Applications []Application   `json:"applications"`
	Selection    SelectionConfig `json:"selection"`

	// CAKeyFile is the CA public key file (the capk.txt format of
	// emv-tools and Proxmark3, or the JSON form of package oda), relative
	// to the configuration file. LoadConfig reads it into CAKeys.
	CAKeyFile string `json:"ca_keys,omitempty"`
	// RevocationFile lists revoked issuer certificates, one per line:
	// RID, CA index and certificate serial number in hex ("A000000333 18
	// 000123"); # starts a comment. LoadConfig adds them to CAKeys.
	RevocationFile string `json:"revocation_list,omitempty"`
	// ExceptionFile lists PANs (one per line, optionally followed by the
	// PAN sequence number) on the terminal exception file. LoadConfig
	// reads it into Exceptions.
	ExceptionFile string `json:"exception_file,omitempty"`

	// DataRecord lists the tags of the authorisation data record (ISO 8583
	// DE 55), in order. Empty means DefaultDataRecord.
	DataRecord []Hex `json:"data_record,omitempty"`
	// MaxScriptLength bounds the total length of the issuer scripts of one
	// response (Book 4 §6.3.9: at least 128 bytes must be supported).
	// 0 means 128.
	MaxScriptLength int `json:"max_script_length,omitempty"`
	// BrandCheck is what to do when the AID's brand and the PAN's brand
	// differ: "terminate" (the default) or "off".
	BrandCheck string `json:"brand_check,omitempty"`
	// AlwaysRiskManagement runs terminal risk management even when the
	// card's AIP does not ask for it (Book 3 §10.6 allows it).
	AlwaysRiskManagement bool `json:"always_risk_management,omitempty"`
	// DisableSM makes the terminal answer 00 ("not supported") for DF69,
	// the PBOC algorithm negotiation a PDOL may ask for (neil-pan-s/
	// qpboc-kernel QAppInit.java); by default it answers 01, since the
	// kernel verifies SM2 offline data authentication.
	DisableSM bool `json:"disable_sm_algorithms,omitempty"`

	// CAKeys is the CA public key store (and revocation list). Nil means
	// no keys: every ODA fails for want of the CA key.
	CAKeys *oda.Store `json:"-"`
	// Rand supplies the unpredictable number (9F37) and random selection;
	// nil means crypto/rand.
	Rand io.Reader `json:"-"`
	// Clock gives the transaction date and time; nil means time.Now.
	Clock func() time.Time `json:"-"`
	// PINPad collects PINs; nil means the terminal has no PIN pad.
	PINPad PINPad `json:"-"`
	// Cardholder chooses and confirms applications; nil means the terminal
	// cannot ask the cardholder (applications that require confirmation
	// are then excluded, as Book 1 §12.4 says).
	Cardholder Cardholder `json:"-"`
	// Host authorises online; nil means the terminal cannot go online
	// (an ARQC is then completed as "unable to go online").
	Host Host `json:"-"`
	// Log is the transaction log used to detect split sales for the
	// floor limit check; nil means none.
	Log TransactionLog `json:"-"`
	// Exceptions is the terminal exception file (hot list); nil means
	// none.
	Exceptions ExceptionFile `json:"-"`
}

// Terminal holds the terminal's own data elements.
type Terminal struct {
	Country  CountryCode  `json:"country"`  // 9F1A, "CN" or "156"
	Currency CurrencyCode `json:"currency"` // 5F2A, "CNY" or "156"
	// CurrencyExponent is 5F36; omitted, the ISO 4217 exponent of
	// Currency.
	CurrencyExponent *int `json:"currency_exponent,omitempty"`
	Type             Hex  `json:"type"`                    // 9F35, 1 byte
	Capabilities     Hex  `json:"capabilities"`            // 9F33, 3 bytes
	AdditionalCaps   Hex  `json:"additional_capabilities"` // 9F40, 5 bytes
	// TerminalID is 9F1C (an 8).
	TerminalID string `json:"terminal_id"`
	// MerchantCategoryCode is 9F15 (n 4).
	MerchantCategoryCode string `json:"merchant_category_code"`
	// MerchantID is 9F16 (ans 15).
	MerchantID string `json:"merchant_id"`
	// MerchantNameLocation is 9F4E (ans).
	MerchantNameLocation string `json:"merchant_name_location,omitempty"`
	// IFDSerial is the interface device serial number 9F1E (an 8).
	IFDSerial string `json:"ifd_serial"`
	// AcquirerID is 9F01 (n 6–11).
	AcquirerID string `json:"acquirer_id,omitempty"`
	// POSEntryMode is 9F39; omitted, 05 (integrated circuit card).
	POSEntryMode Hex `json:"pos_entry_mode,omitempty"`
	// CodeTables lists the ISO/IEC 8859 parts the display supports, for
	// the Application Preferred Name (9F11/9F12). Omitted: part 1.
	CodeTables []int `json:"code_tables,omitempty"`
}

// Application holds the terminal's parameters for one AID of its list.
type Application struct {
	// AID is the terminal's AID (9F06), 5 to 16 bytes.
	AID Hex `json:"aid"`
	// Name is for people reading the configuration.
	Name string `json:"name,omitempty"`
	// Brand is the payment brand; omitted, it follows from the RID.
	Brand Brand `json:"brand,omitempty"`
	// PartialMatch is the Application Selection Indicator: true allows a
	// card application whose name is longer than AID and starts with it.
	PartialMatch bool `json:"partial_match"`
	// Versions are the application version numbers the terminal supports
	// (9F09, 2 bytes each); the first is sent as 9F09. A card version
	// (9F08) outside the list sets "ICC and terminal have different
	// application versions".
	Versions []Hex `json:"versions,omitempty"`
	// Terminal Action Codes (5 bytes each; omitted: all zero).
	TACDenial  Hex `json:"tac_denial,omitempty"`
	TACOnline  Hex `json:"tac_online,omitempty"`
	TACDefault Hex `json:"tac_default,omitempty"`
	// FloorLimit is the terminal floor limit (9F1B), minor units of the
	// terminal currency.
	FloorLimit int64 `json:"floor_limit"`
	// RandomSelection parameterises random transaction selection.
	RandomSelection RandomSelection `json:"random_selection"`
	// DefaultDDOL and DefaultTDOL replace the card's absent DDOL/TDOL.
	DefaultDDOL Hex `json:"default_ddol,omitempty"`
	DefaultTDOL Hex `json:"default_tdol,omitempty"`
	// CVMs lists the cardholder verification methods the terminal supports
	// for this application (names of CVMethod). Omitted: those Terminal
	// Capabilities (9F33) announce.
	CVMs []CVMethod `json:"cvms,omitempty"`
	// ODA lists the offline data authentication methods the terminal
	// performs for this application ("sda", "dda", "cda"). Omitted: those
	// 9F33 announces.
	ODA []ODAMethod `json:"oda,omitempty"`
	// Domestic says where the application is domestic: the country and
	// currency of its scheme (e.g. UnionPay debit/credit: CN, CNY). Used
	// by the domestic-preference selection policy when the card itself does
	// not say (see SelectionConfig).
	Domestic *Region `json:"domestic,omitempty"`
}

// Region is a country and a currency.
type Region struct {
	Country  CountryCode  `json:"country"`
	Currency CurrencyCode `json:"currency"`
}

// RandomSelection holds the parameters of Book 3 §10.6.2: transactions
// below Threshold are selected with probability TargetPercent; from
// Threshold up to the floor limit the probability rises linearly to
// MaxTargetPercent.
type RandomSelection struct {
	Threshold        int64 `json:"threshold"`
	TargetPercent    int   `json:"target_percent"`
	MaxTargetPercent int   `json:"max_target_percent"`
}

// SelectionPolicy names a dual-application selection policy.
type SelectionPolicy string

// Selection policies. See SelectionConfig.
const (
	// PolicyIssuerPriority orders the candidates by their Application
	// Priority Indicator (87) as Book 1 §12.4 does and takes the first.
	PolicyIssuerPriority SelectionPolicy = "issuer-priority"
	// PolicyDomesticPreference puts first the applications that are
	// domestic to the terminal (their country and currency equal the
	// terminal's), then the international ones, then those domestic to
	// another country; within each group the issuer's priority decides.
	PolicyDomesticPreference SelectionPolicy = "domestic-preference"
	// PolicyCardholderChoice orders the candidates by an automatic
	// preference (SelectionConfig.Preference) and always lets the
	// cardholder override it — the rule of EU Regulation 2015/751 Art.
	// 8(6) for co-badged cards.
	PolicyCardholderChoice SelectionPolicy = "cardholder-choice"
)

// SelectionConfig is the application selection policy.
//
// Book 1 §12 builds the candidate list (PSE, else the list of AIDs) and
// orders it by the Application Priority Indicator; the policy then decides
// which candidate is proposed first. Whatever the policy, an application
// whose 87 has b8 set is never selected without the cardholder's
// confirmation.
//
// An application is domestic to the terminal when its country and currency
// equal the terminal's 9F1A and 5F2A. Its country and currency are the
// Issuer Country Code (5F28) and Application Currency Code (9F42) when the
// card gives them at selection time (in the PSE directory entry or the FCI's
// issuer discretionary data); otherwise the Domestic region of the terminal
// application it matched. An application with neither is international.
type SelectionConfig struct {
	// Policy is one of the SelectionPolicy values; empty means
	// issuer-priority.
	Policy SelectionPolicy `json:"policy,omitempty"`
	// Preference is the automatic order proposed under cardholder-choice:
	// issuer-priority (the default) or domestic-preference.
	Preference SelectionPolicy `json:"preference,omitempty"`
	// SkipPSE goes straight to the list of AIDs.
	SkipPSE bool `json:"skip_pse,omitempty"`
}

// CVMethod names a cardholder verification method a terminal can support.
type CVMethod string

// Cardholder verification methods.
const (
	CVMPlaintextPIN  CVMethod = "plaintext-pin"  // offline plaintext PIN verified by the ICC
	CVMEncipheredPIN CVMethod = "enciphered-pin" // offline enciphered PIN verified by the ICC
	CVMOnlinePIN     CVMethod = "online-pin"     // enciphered PIN verified online
	CVMSignature     CVMethod = "signature"      // signature on paper
	CVMNoCVM         CVMethod = "no-cvm"         // no CVM required
)

// ODAMethod names an offline data authentication method. In an Outcome
// it also takes the values "sm2" (any method with SM2 keys, for the
// domestic application) and "none".
type ODAMethod string

// Offline data authentication methods.
const (
	ODANone ODAMethod = "none"
	ODASDA  ODAMethod = "sda"
	ODADDA  ODAMethod = "dda"
	ODACDA  ODAMethod = "cda"
	ODASM2  ODAMethod = "sm2"
)

// Hex is a byte string written in JSON as hex digits.
type Hex []byte

// MarshalText writes upper-case hex.
func (h Hex) MarshalText() ([]byte, error) {
	return []byte(strings.ToUpper(hex.EncodeToString(h))), nil
}

// UnmarshalText reads hex digits; spaces are ignored.
func (h *Hex) UnmarshalText(b []byte) error {
	s := strings.ReplaceAll(string(b), " ", "")
	v, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("hex %q: %w", s, err)
	}
	*h = v
	return nil
}

// CountryCode is an ISO 3166-1 numeric country code, written in JSON as
// "CN", "CHN" or "156".
type CountryCode int

// UnmarshalText accepts an alpha-2, alpha-3 or numeric code.
func (c *CountryCode) UnmarshalText(b []byte) error {
	v, err := emv.ParseCountry(string(b))
	if err != nil {
		return err
	}
	*c = CountryCode(v.Numeric)
	return nil
}

// MarshalText writes the three-digit numeric code.
func (c CountryCode) MarshalText() ([]byte, error) { return []byte(fmt.Sprintf("%03d", int(c))), nil }

// Code returns the n3 value of 9F1A or 5F28.
func (c CountryCode) Code() [2]byte { return n3(int(c)) }

// CurrencyCode is an ISO 4217 numeric currency code, written in JSON as
// "CNY" or "156".
type CurrencyCode int

// UnmarshalText accepts an alphabetic or numeric code.
func (c *CurrencyCode) UnmarshalText(b []byte) error {
	v, err := emv.ParseCurrency(string(b))
	if err != nil {
		return err
	}
	*c = CurrencyCode(v.Numeric)
	return nil
}

// MarshalText writes the three-digit numeric code.
func (c CurrencyCode) MarshalText() ([]byte, error) {
	return []byte(fmt.Sprintf("%03d", int(c))), nil
}

// Code returns the n3 value of 5F2A or 9F42.
func (c CurrencyCode) Code() [2]byte { return n3(int(c)) }

// n3 encodes a number below 1000 as two bytes of packed BCD, 0 first.
func n3(v int) [2]byte {
	if v < 0 || v > 999 {
		return [2]byte{}
	}
	return [2]byte{byte(v / 100), byte(v/10%10)<<4 | byte(v%10)}
}

// ParseConfig reads a configuration in JSON. Unknown fields are errors (a
// misspelt TAC must not pass silently). Files it names are not read: see
// LoadConfig.
func ParseConfig(r io.Reader) (*Config, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// LoadConfig reads the JSON configuration at path and the CA key file,
// revocation list and exception file it names (relative to its directory).
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	c, err := ParseConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	if c.CAKeyFile != "" {
		if c.CAKeys, err = LoadCAKeys(rel(c.CAKeyFile)); err != nil {
			return nil, err
		}
	}
	if c.RevocationFile != "" {
		if c.CAKeys == nil {
			return nil, fmt.Errorf("%w: %s: a revocation list needs a CA key file", ErrConfig, path)
		}
		if err := loadRevocations(rel(c.RevocationFile), c.CAKeys); err != nil {
			return nil, err
		}
	}
	if c.ExceptionFile != "" {
		ex, err := LoadExceptionList(rel(c.ExceptionFile))
		if err != nil {
			return nil, err
		}
		c.Exceptions = ex
	}
	return c, nil
}

// LoadCAKeys reads a CA key file with oda.ReadStore: the capk.txt text
// format (kind from a "# kind: test|production" line) or the JSON form.
func LoadCAKeys(path string) (*oda.Store, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	defer f.Close()
	s, err := oda.ReadStore(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// loadRevocations reads a revocation list into s.
func loadRevocations(path string, s *oda.Store) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		rid, err1 := hex.DecodeString(get(f, 0))
		idx, err2 := hex.DecodeString(get(f, 1))
		ser, err3 := hex.DecodeString(get(f, 2))
		if len(f) != 3 || err1 != nil || err2 != nil || err3 != nil || len(rid) != 5 || len(idx) != 1 || len(ser) != 3 {
			return fmt.Errorf("%w: %s:%d: want RID (5 bytes) CA-index (1) serial (3) in hex", ErrConfig, path, i+1)
		}
		s.Revoke([5]byte(rid), idx[0], [3]byte(ser))
	}
	return nil
}

func get(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}

// Validate checks the configuration: lengths of the hex fields, AIDs,
// percentages, policy names. ParseConfig calls it; call it on a Config
// built in code before sharing it.
func (c *Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	t := &c.Terminal
	if _, ok := emv.CountryByNumeric(int(t.Country)); !ok {
		return bad("terminal country %03d is not an ISO 3166 code", int(t.Country))
	}
	if _, ok := emv.CurrencyByNumeric(int(t.Currency)); !ok && t.CurrencyExponent == nil {
		return bad("terminal currency %03d is not an ISO 4217 code (set currency_exponent to use it anyway)", int(t.Currency))
	}
	for _, f := range []struct {
		name string
		v    Hex
		n    int
	}{{"terminal type (9F35)", t.Type, 1}, {"terminal capabilities (9F33)", t.Capabilities, 3},
		{"additional terminal capabilities (9F40)", t.AdditionalCaps, 5}} {
		if len(f.v) != f.n {
			return bad("%s must be %d bytes, is %d", f.name, f.n, len(f.v))
		}
	}
	if !emv.TerminalType(t.Type[0]).Valid() {
		return bad("terminal type %02X is not defined by Book 4 Annex A1", t.Type[0])
	}
	if t.POSEntryMode != nil && len(t.POSEntryMode) != 1 {
		return bad("POS entry mode (9F39) must be 1 byte")
	}
	if len(c.Applications) == 0 {
		return bad("no applications")
	}
	for i := range c.Applications {
		if err := c.Applications[i].validate(); err != nil {
			return bad("application %d (%X): %v", i+1, []byte(c.Applications[i].AID), err)
		}
	}
	switch c.Selection.Policy {
	case "", PolicyIssuerPriority, PolicyDomesticPreference, PolicyCardholderChoice:
	default:
		return bad("unknown selection policy %q", c.Selection.Policy)
	}
	switch c.Selection.Preference {
	case "", PolicyIssuerPriority, PolicyDomesticPreference:
	default:
		return bad("selection preference must be issuer-priority or domestic-preference, not %q", c.Selection.Preference)
	}
	switch c.BrandCheck {
	case "", "terminate", "off":
	default:
		return bad("brand_check must be terminate or off, not %q", c.BrandCheck)
	}
	for _, tag := range c.DataRecord {
		if _, err := parseTagBytes(tag); err != nil {
			return bad("data record tag %X: %v", []byte(tag), err)
		}
	}
	if c.MaxScriptLength < 0 {
		return bad("negative max_script_length")
	}
	return nil
}

func (a *Application) validate() error {
	if len(a.AID) < 5 || len(a.AID) > 16 {
		return fmt.Errorf("AID must be 5 to 16 bytes")
	}
	for _, v := range a.Versions {
		if len(v) != 2 {
			return fmt.Errorf("application version numbers are 2 bytes")
		}
	}
	for _, f := range []Hex{a.TACDenial, a.TACOnline, a.TACDefault} {
		if f != nil && len(f) != 5 {
			return fmt.Errorf("terminal action codes are 5 bytes")
		}
	}
	if a.FloorLimit < 0 || a.RandomSelection.Threshold < 0 {
		return fmt.Errorf("negative floor limit or threshold")
	}
	rs := a.RandomSelection
	if rs.TargetPercent < 0 || rs.TargetPercent > 99 || rs.MaxTargetPercent < 0 || rs.MaxTargetPercent > 99 ||
		rs.MaxTargetPercent < rs.TargetPercent {
		return fmt.Errorf("random selection percentages must be 0–99 with max ≥ target")
	}
	for _, d := range []Hex{a.DefaultDDOL, a.DefaultTDOL} {
		if _, err := emv.ParseDOL(d); err != nil {
			return err
		}
	}
	for _, m := range a.CVMs {
		if _, ok := cvmCode(m); !ok {
			return fmt.Errorf("unknown CVM %q", m)
		}
	}
	for _, m := range a.ODA {
		if m != ODASDA && m != ODADDA && m != ODACDA {
			return fmt.Errorf("unknown ODA method %q (sda, dda or cda)", m)
		}
	}
	return nil
}

// parseTagBytes reads a tag written as its bytes.
func parseTagBytes(b []byte) (emv.Tag, error) {
	s := emv.Scanner(b)
	var t emv.Tag
	if !s.ReadTag(&t) || !s.Empty() {
		return 0, fmt.Errorf("not one BER-TLV tag")
	}
	return t, nil
}

// policy returns the effective selection policy.
func (c *Config) policy() SelectionPolicy {
	if c.Selection.Policy == "" {
		return PolicyIssuerPriority
	}
	return c.Selection.Policy
}

// currency returns the terminal's currency with its exponent (5F36): the
// configured CurrencyExponent, else ISO 4217's, else 2.
func (t *Terminal) currency() emv.Currency {
	c, ok := emv.CurrencyByNumeric(int(t.Currency))
	if !ok {
		c = emv.Currency{Alpha: strconv.Itoa(int(t.Currency)), Numeric: int(t.Currency), Exponent: 2}
	}
	if t.CurrencyExponent != nil {
		c.Exponent = *t.CurrencyExponent
	}
	return c
}
