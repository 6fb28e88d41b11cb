package kernel

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// DefaultDataRecord is the authorisation data record (ISO 8583 DE 55) sent
// when Config.DataRecord is empty: the objects the schemes' acquirer
// specifications commonly require, plus 4F, 84 and 9F06 so that the issuer
// sees which application ran (the defence against brand mixup of
// SELECTION.md), and 9F5B once scripts ran. PAN and track 2 are never in
// it: they travel in DE 2 and DE 35. It is a read-only table: set
// Config.DataRecord to send another list.
var DefaultDataRecord = []uint32{
	0x4F, 0x82, 0x84, 0x95, 0x9A, 0x9B, 0x9C, 0x5F2A, 0x5F34,
	0x9F02, 0x9F03, 0x9F06, 0x9F09, 0x9F10, 0x9F1A, 0x9F1E, 0x9F26,
	0x9F27, 0x9F33, 0x9F34, 0x9F35, 0x9F36, 0x9F37, 0x9F41, 0x9F5B, 0x8A,
}

// defaultApps is the built-in list of AIDs: the common AIDs of the major
// schemes, all with partial matching, with typical terminal action codes
// and application version numbers. The TACs are the values commonly
// published in acquirer terminal specifications; an acquirer's own values
// replace them in a real deployment.
var defaultApps = []struct {
	aid, name, versions        string
	denial, online, defaultTAC string
	domestic                   *[2]string
}{
	{"A0000000031010", "Visa credit/debit", "0096 008C 008D", "0010000000", "DC4004F800", "DC4000A800", nil},
	{"A0000000032010", "Visa Electron", "0096 008C 008D", "0010000000", "DC4004F800", "DC4000A800", nil},
	{"A0000000038010", "Visa Plus", "0096 008C 008D", "0010000000", "DC4004F800", "DC4000A800", nil},
	{"A0000000980840", "Visa US common debit", "0096 008C", "0010000000", "DC4004F800", "DC4000A800", &[2]string{"US", "USD"}},
	{"A0000000041010", "Mastercard", "0002", "0000000000", "FC50BCF800", "FC50BCA000", nil},
	{"A0000000043060", "Maestro", "0002", "0000000000", "FC50BCF800", "FC50BCA000", nil},
	{"A0000000042203", "Mastercard US common debit", "0002", "0000000000", "FC50BCF800", "FC50BCA000", &[2]string{"US", "USD"}},
	{"A00000002501", "American Express", "0001", "0000000000", "C800000000", "DC50840000", nil},
	{"A000000333010101", "UnionPay debit", "0030 0020", "0010000000", "D84004F800", "D84004A800", &[2]string{"CN", "CNY"}},
	{"A000000333010102", "UnionPay credit", "0030 0020", "0010000000", "D84004F800", "D84004A800", &[2]string{"CN", "CNY"}},
	{"A000000333010103", "UnionPay quasi-credit", "0030 0020", "0010000000", "D84004F800", "D84004A800", &[2]string{"CN", "CNY"}},
	{"A0000000651010", "JCB", "0200", "0010000000", "FC60ACF800", "FC6024A800", nil},
	{"A0000001523010", "Discover", "0001", "0010000000", "FCE09CF800", "DC00002000", nil},
	{"A0000001524010", "Discover US common debit", "0001", "0010000000", "FCE09CF800", "DC00002000", &[2]string{"US", "USD"}},
}

// Default terminal data: an attended, online-capable POS terminal with
// offline capability (9F35 22) that reads chip, stripe and keyed PANs,
// supports plaintext and enciphered offline PIN, enciphered online PIN,
// signature and no CVM, SDA, DDA and CDA (9F33 E0F8C8), and sells goods
// and services with a numeric keypad, an attendant printer and display
// (9F40 6000F0A001).
const (
	defaultTerminalType   = "22"
	defaultCapabilities   = "E0F8C8"
	defaultAdditionalCaps = "6000F0A001"
	// defaultDDOL asks for the unpredictable number only (Book 2 §6.5.1).
	defaultDDOL = "9F3704"
	// defaultTDOL hashes the terminal's view of the transaction.
	defaultTDOL = "9F02065F2A029A039C0195059F3704"
)

// DefaultConfig returns the built-in configuration of a terminal in the
// given country and currency ("CN", "CNY"; numeric codes work too): the
// common AIDs of Visa, Mastercard, American Express, UnionPay, JCB and
// Discover with partial matching, floor limit 0 (every transaction goes
// online when the terminal can), random selection off, issuer-priority
// selection and no CA keys (set CAKeys for ODA). Country and currency are
// arguments so that they are never assumed.
func DefaultConfig(country, currency string) (*Config, error) {
	c := &Config{}
	t := &c.Terminal
	if err := t.Country.UnmarshalText([]byte(country)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if err := t.Currency.UnmarshalText([]byte(currency)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	t.Type = mustHex(defaultTerminalType)
	t.Capabilities = mustHex(defaultCapabilities)
	t.AdditionalCaps = mustHex(defaultAdditionalCaps)
	t.TerminalID = "YIXIN001"
	t.MerchantCategoryCode = "5411"
	t.MerchantID = "YIXIN MERCHANT"
	t.IFDSerial = "00000001"
	for _, d := range defaultApps {
		a := Application{
			AID: mustHex(d.aid), Name: d.name, PartialMatch: true,
			TACDenial: mustHex(d.denial), TACOnline: mustHex(d.online), TACDefault: mustHex(d.defaultTAC),
			DefaultDDOL: mustHex(defaultDDOL), DefaultTDOL: mustHex(defaultTDOL),
		}
		for _, v := range strings.Fields(d.versions) {
			a.Versions = append(a.Versions, mustHex(v))
		}
		if d.domestic != nil {
			a.Domestic = &Region{}
			if err := a.Domestic.Country.UnmarshalText([]byte(d.domestic[0])); err != nil {
				return nil, err
			}
			if err := a.Domestic.Currency.UnmarshalText([]byte(d.domestic[1])); err != nil {
				return nil, err
			}
		}
		c.Applications = append(c.Applications, a)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func mustHex(s string) Hex {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic("kernel: bad built-in hex " + s)
	}
	return b
}
