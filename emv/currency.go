package emv

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
)

// Sentinel errors of currency, country and amount parsing.
var (
	// ErrUnknownCurrency: not an ISO 4217 code in the table.
	ErrUnknownCurrency = errors.New("emv: unknown currency")
	// ErrUnknownCountry: not an ISO 3166-1 code in the table.
	ErrUnknownCountry = errors.New("emv: unknown country")
	// ErrInvalidAmount: an amount that is malformed, negative, has more
	// decimals than its currency or does not fit in 12 digits.
	ErrInvalidAmount = errors.New("emv: invalid amount")
)

// NoMinorUnits is the Exponent of ISO 4217 codes that have no minor unit
// ("N.A." in the standard: precious metals, SDR, testing and "no
// currency" codes). Amounts cannot be expressed in them.
const NoMinorUnits = -1

// Currency is an ISO 4217 currency: the alphabetic code, the numeric code
// that EMV carries in 5F2A and 9F42 (n3), the exponent (minor units,
// 5F36 / 9F44) and the name.
type Currency struct {
	Alpha    string
	Numeric  int
	Exponent int
	Name     string
}

// String returns the alphabetic code.
func (c Currency) String() string { return c.Alpha }

// Code returns the numeric code as the 2-byte n3 value of 5F2A or 9F42.
func (c Currency) Code() [2]byte { return numericCode(c.Numeric) }

func numericCode(n int) [2]byte {
	n = max(n, 0) % 1000
	return [2]byte{byte(n / 100), byte(n/10%10)<<4 | byte(n%10)}
}

type currencyIndex struct {
	alpha   map[string]*Currency
	numeric map[int]*Currency
}

var currencies = sync.OnceValue(func() currencyIndex {
	ix := currencyIndex{make(map[string]*Currency, len(currencyTable)), make(map[int]*Currency, len(currencyTable))}
	for i := range currencyTable {
		c := &currencyTable[i]
		ix.alpha[c.Alpha], ix.numeric[c.Numeric] = c, c
	}
	return ix
})

// CurrencyByAlpha returns the currency with the alphabetic code s
// (case-insensitive).
func CurrencyByAlpha(s string) (Currency, bool) {
	c, ok := currencies().alpha[strings.ToUpper(s)]
	if !ok {
		return Currency{}, false
	}
	return *c, true
}

// CurrencyByNumeric returns the currency with numeric code n.
func CurrencyByNumeric(n int) (Currency, bool) {
	c, ok := currencies().numeric[n]
	if !ok {
		return Currency{}, false
	}
	return *c, true
}

// ParseCurrency accepts an alphabetic code ("CNY", any case) or a numeric
// one ("156").
func ParseCurrency(s string) (Currency, error) {
	var c Currency
	var ok bool
	if n, isNum := parseCode3(s); isNum {
		c, ok = CurrencyByNumeric(n)
	} else if len(s) == 3 {
		c, ok = CurrencyByAlpha(s)
	}
	if !ok {
		return Currency{}, &DataError{Field: "currency", Pos: -1, Err: ErrUnknownCurrency, Detail: fmt.Sprintf("%q is not an ISO 4217 code", s)}
	}
	return c, nil
}

// CurrencyFromCode reads a 2-byte n3 currency code (5F2A, 9F42, 9F51).
func CurrencyFromCode(b []byte) (Currency, error) {
	n, err := decodeCode3("currency code", b)
	if err != nil {
		return Currency{}, err
	}
	c, ok := CurrencyByNumeric(n)
	if !ok {
		return Currency{}, &DataError{Field: "currency code", Pos: -1, Err: ErrUnknownCurrency, Detail: fmt.Sprintf("%03d is not an ISO 4217 code", n)}
	}
	return c, nil
}

// parseCode3 reads a string of exactly three digits.
func parseCode3(s string) (int, bool) {
	if len(s) != 3 || checkDigits(s) >= 0 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// decodeCode3 reads an n3 code held in two bytes (the first nibble 0).
func decodeCode3(field string, b []byte) (int, error) {
	if len(b) != 2 {
		return 0, fieldLengthError(field, 2, len(b))
	}
	s, err := DecodeNumeric(b)
	if err != nil {
		return 0, err
	}
	if s[0] != '0' {
		return 0, &DataError{Field: field, Pos: 0, Err: ErrTooManyDigits, Detail: "n3 code with a fourth digit " + s}
	}
	n, _ := strconv.Atoi(s)
	return n, nil
}

// Country is an ISO 3166-1 country: the alpha-2 and alpha-3 codes, the
// numeric code that EMV carries in 5F28 and 9F1A (n3), and the name.
type Country struct {
	Alpha2, Alpha3 string
	Numeric        int
	Name           string
}

// String returns the alpha-2 code.
func (c Country) String() string { return c.Alpha2 }

// Code returns the numeric code as the 2-byte n3 value of 5F28 or 9F1A.
func (c Country) Code() [2]byte { return numericCode(c.Numeric) }

type countryIndex struct {
	alpha   map[string]*Country
	numeric map[int]*Country
}

var countries = sync.OnceValue(func() countryIndex {
	ix := countryIndex{make(map[string]*Country, 2*len(countryTable)), make(map[int]*Country, len(countryTable))}
	for i := range countryTable {
		c := &countryTable[i]
		ix.alpha[c.Alpha2], ix.alpha[c.Alpha3], ix.numeric[c.Numeric] = c, c, c
	}
	return ix
})

// CountryByAlpha returns the country with the alpha-2 or alpha-3 code s
// (case-insensitive).
func CountryByAlpha(s string) (Country, bool) {
	c, ok := countries().alpha[strings.ToUpper(s)]
	if !ok {
		return Country{}, false
	}
	return *c, true
}

// CountryByNumeric returns the country with numeric code n.
func CountryByNumeric(n int) (Country, bool) {
	c, ok := countries().numeric[n]
	if !ok {
		return Country{}, false
	}
	return *c, true
}

// ParseCountry accepts an alpha-2 ("CN"), alpha-3 ("CHN") or numeric
// ("156") code, letters in any case.
func ParseCountry(s string) (Country, error) {
	var c Country
	var ok bool
	if n, isNum := parseCode3(s); isNum {
		c, ok = CountryByNumeric(n)
	} else if len(s) == 2 || len(s) == 3 {
		c, ok = CountryByAlpha(s)
	}
	if !ok {
		return Country{}, &DataError{Field: "country", Pos: -1, Err: ErrUnknownCountry, Detail: fmt.Sprintf("%q is not an ISO 3166-1 code", s)}
	}
	return c, nil
}

// CountryFromCode reads a 2-byte n3 country code (5F28, 9F1A, 9F57).
func CountryFromCode(b []byte) (Country, error) {
	n, err := decodeCode3("country code", b)
	if err != nil {
		return Country{}, err
	}
	c, ok := CountryByNumeric(n)
	if !ok {
		return Country{}, &DataError{Field: "country code", Pos: -1, Err: ErrUnknownCountry, Detail: fmt.Sprintf("%03d is not an ISO 3166-1 code", n)}
	}
	return c, nil
}

// MaxAmountMinor is the largest amount that fits in the n12 of 9F02 and
// 9F03: 999 999 999 999 minor units.
const MaxAmountMinor = 999_999_999_999

// Amount is a sum of money in minor units of its currency (cents, fen;
// yen for a currency with exponent 0).
type Amount struct {
	Minor    int64
	Currency Currency
}

// ParseAmount reads a decimal amount such as "12.34" in currency c: at
// most c.Exponent decimals, no sign, no grouping, and at most 12 digits in
// minor units. With exponent 2, "12.34" is 1234 minor units and "12" is
// 1200.
func ParseAmount(s string, c Currency) (Amount, error) {
	bad := func(pos int, detail string) (Amount, error) {
		return Amount{}, &DataError{Field: "amount", Pos: pos, Text: true, Err: ErrInvalidAmount, Detail: detail}
	}
	if c.Exponent < 0 {
		return bad(-1, c.Alpha+" has no minor unit")
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" {
		return bad(0, fmt.Sprintf("%q has no digits before the decimal point", s))
	}
	if hasPoint && frac == "" {
		return bad(len(whole), fmt.Sprintf("%q has no digits after the decimal point", s))
	}
	if len(frac) > c.Exponent {
		return bad(len(whole)+1+c.Exponent, fmt.Sprintf("%q: %s takes %d decimals", s, c.Alpha, c.Exponent))
	}
	digits := whole + frac + strings.Repeat("0", c.Exponent-len(frac))
	if i := checkDigits(whole + frac); i >= 0 {
		if i >= len(whole) {
			i++
		}
		return bad(i, fmt.Sprintf("%q: %q is not a digit", s, s[i]))
	}
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 12 {
		return bad(-1, fmt.Sprintf("%q is more than 12 digits in minor units", s))
	}
	n, _ := strconv.ParseInt("0"+digits, 10, 64)
	return Amount{Minor: n, Currency: c}, nil
}

// AmountFromNumeric reads the 6-byte n12 value of 9F02 or 9F03.
func AmountFromNumeric(b []byte, c Currency) (Amount, error) {
	if len(b) != 6 {
		return Amount{}, fieldLengthError("amount (n12)", 6, len(b))
	}
	s, err := DecodeNumeric(b)
	if err != nil {
		return Amount{}, err
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return Amount{Minor: n, Currency: c}, nil
}

// Valid reports whether a fits the n12 of 9F02: 0 to MaxAmountMinor.
func (a Amount) Valid() bool { return a.Minor >= 0 && a.Minor <= MaxAmountMinor }

// Numeric encodes a as n12 for 9F02 / 9F03. An amount that is not Valid
// is clamped to 0 or 999999999999 rather than wrapped.
func (a Amount) Numeric() [6]byte {
	v := min(max(a.Minor, 0), MaxAmountMinor)
	var out [6]byte
	for i := 5; i >= 0; i-- {
		out[i] = byte(v%10) | byte(v/10%10)<<4
		v /= 100
	}
	return out
}

// Binary encodes a as the 4-byte unsigned binary of 81 (Amount,
// Authorised) and 9F04 (Amount, Other). Amounts above 2^32-1 minor units
// are clamped to FFFFFFFF, negative ones to 0.
func (a Amount) Binary() [4]byte {
	v := uint32(min(max(a.Minor, 0), math.MaxUint32))
	return [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// String writes the amount with its currency's decimals and alphabetic
// code: "12.34 CNY", "1234 JPY", "1.234 BHD".
func (a Amount) String() string {
	sign, v := "", a.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatUint(uint64(v), 10)
	if e := a.Currency.Exponent; e > 0 {
		s = strings.Repeat("0", max(e+1-len(s), 0)) + s
		s = s[:len(s)-e] + "." + s[len(s)-e:]
	}
	if a.Currency.Alpha == "" {
		return sign + s
	}
	return sign + s + " " + a.Currency.Alpha
}

// currencyTable is ISO 4217 List One as published by SIX on 2024-06-25
// (codes, minor units and names; the names as in Debian iso-codes 4.15).
// Withdrawn codes (HRK, SLL, ZWL) are not listed.
var currencyTable = [...]Currency{
	{"AED", 784, 2, "UAE Dirham"},
	{"AFN", 971, 2, "Afghani"},
	{"ALL", 8, 2, "Lek"},
	{"AMD", 51, 2, "Armenian Dram"},
	{"ANG", 532, 2, "Netherlands Antillean Guilder"},
	{"AOA", 973, 2, "Kwanza"},
	{"ARS", 32, 2, "Argentine Peso"},
	{"AUD", 36, 2, "Australian Dollar"},
	{"AWG", 533, 2, "Aruban Florin"},
	{"AZN", 944, 2, "Azerbaijan Manat"},
	{"BAM", 977, 2, "Convertible Mark"},
	{"BBD", 52, 2, "Barbados Dollar"},
	{"BDT", 50, 2, "Taka"},
	{"BGN", 975, 2, "Bulgarian Lev"},
	{"BHD", 48, 3, "Bahraini Dinar"},
	{"BIF", 108, 0, "Burundi Franc"},
	{"BMD", 60, 2, "Bermudian Dollar"},
	{"BND", 96, 2, "Brunei Dollar"},
	{"BOB", 68, 2, "Boliviano"},
	{"BOV", 984, 2, "Mvdol"},
	{"BRL", 986, 2, "Brazilian Real"},
	{"BSD", 44, 2, "Bahamian Dollar"},
	{"BTN", 64, 2, "Ngultrum"},
	{"BWP", 72, 2, "Pula"},
	{"BYN", 933, 2, "Belarusian Ruble"},
	{"BZD", 84, 2, "Belize Dollar"},
	{"CAD", 124, 2, "Canadian Dollar"},
	{"CDF", 976, 2, "Congolese Franc"},
	{"CHE", 947, 2, "WIR Euro"},
	{"CHF", 756, 2, "Swiss Franc"},
	{"CHW", 948, 2, "WIR Franc"},
	{"CLF", 990, 4, "Unidad de Fomento"},
	{"CLP", 152, 0, "Chilean Peso"},
	{"CNY", 156, 2, "Yuan Renminbi"},
	{"COP", 170, 2, "Colombian Peso"},
	{"COU", 970, 2, "Unidad de Valor Real"},
	{"CRC", 188, 2, "Costa Rican Colon"},
	{"CUC", 931, 2, "Peso Convertible"},
	{"CUP", 192, 2, "Cuban Peso"},
	{"CVE", 132, 2, "Cabo Verde Escudo"},
	{"CZK", 203, 2, "Czech Koruna"},
	{"DJF", 262, 0, "Djibouti Franc"},
	{"DKK", 208, 2, "Danish Krone"},
	{"DOP", 214, 2, "Dominican Peso"},
	{"DZD", 12, 2, "Algerian Dinar"},
	{"EGP", 818, 2, "Egyptian Pound"},
	{"ERN", 232, 2, "Nakfa"},
	{"ETB", 230, 2, "Ethiopian Birr"},
	{"EUR", 978, 2, "Euro"},
	{"FJD", 242, 2, "Fiji Dollar"},
	{"FKP", 238, 2, "Falkland Islands Pound"},
	{"GBP", 826, 2, "Pound Sterling"},
	{"GEL", 981, 2, "Lari"},
	{"GHS", 936, 2, "Ghana Cedi"},
	{"GIP", 292, 2, "Gibraltar Pound"},
	{"GMD", 270, 2, "Dalasi"},
	{"GNF", 324, 0, "Guinean Franc"},
	{"GTQ", 320, 2, "Quetzal"},
	{"GYD", 328, 2, "Guyana Dollar"},
	{"HKD", 344, 2, "Hong Kong Dollar"},
	{"HNL", 340, 2, "Lempira"},
	{"HTG", 332, 2, "Gourde"},
	{"HUF", 348, 2, "Forint"},
	{"IDR", 360, 2, "Rupiah"},
	{"ILS", 376, 2, "New Israeli Sheqel"},
	{"INR", 356, 2, "Indian Rupee"},
	{"IQD", 368, 3, "Iraqi Dinar"},
	{"IRR", 364, 2, "Iranian Rial"},
	{"ISK", 352, 0, "Iceland Krona"},
	{"JMD", 388, 2, "Jamaican Dollar"},
	{"JOD", 400, 3, "Jordanian Dinar"},
	{"JPY", 392, 0, "Yen"},
	{"KES", 404, 2, "Kenyan Shilling"},
	{"KGS", 417, 2, "Som"},
	{"KHR", 116, 2, "Riel"},
	{"KMF", 174, 0, "Comorian Franc"},
	{"KPW", 408, 2, "North Korean Won"},
	{"KRW", 410, 0, "Won"},
	{"KWD", 414, 3, "Kuwaiti Dinar"},
	{"KYD", 136, 2, "Cayman Islands Dollar"},
	{"KZT", 398, 2, "Tenge"},
	{"LAK", 418, 2, "Lao Kip"},
	{"LBP", 422, 2, "Lebanese Pound"},
	{"LKR", 144, 2, "Sri Lanka Rupee"},
	{"LRD", 430, 2, "Liberian Dollar"},
	{"LSL", 426, 2, "Loti"},
	{"LYD", 434, 3, "Libyan Dinar"},
	{"MAD", 504, 2, "Moroccan Dirham"},
	{"MDL", 498, 2, "Moldovan Leu"},
	{"MGA", 969, 2, "Malagasy Ariary"},
	{"MKD", 807, 2, "Denar"},
	{"MMK", 104, 2, "Kyat"},
	{"MNT", 496, 2, "Tugrik"},
	{"MOP", 446, 2, "Pataca"},
	{"MRU", 929, 2, "Ouguiya"},
	{"MUR", 480, 2, "Mauritius Rupee"},
	{"MVR", 462, 2, "Rufiyaa"},
	{"MWK", 454, 2, "Malawi Kwacha"},
	{"MXN", 484, 2, "Mexican Peso"},
	{"MXV", 979, 2, "Mexican Unidad de Inversion (UDI)"},
	{"MYR", 458, 2, "Malaysian Ringgit"},
	{"MZN", 943, 2, "Mozambique Metical"},
	{"NAD", 516, 2, "Namibia Dollar"},
	{"NGN", 566, 2, "Naira"},
	{"NIO", 558, 2, "Cordoba Oro"},
	{"NOK", 578, 2, "Norwegian Krone"},
	{"NPR", 524, 2, "Nepalese Rupee"},
	{"NZD", 554, 2, "New Zealand Dollar"},
	{"OMR", 512, 3, "Rial Omani"},
	{"PAB", 590, 2, "Balboa"},
	{"PEN", 604, 2, "Sol"},
	{"PGK", 598, 2, "Kina"},
	{"PHP", 608, 2, "Philippine Peso"},
	{"PKR", 586, 2, "Pakistan Rupee"},
	{"PLN", 985, 2, "Zloty"},
	{"PYG", 600, 0, "Guarani"},
	{"QAR", 634, 2, "Qatari Rial"},
	{"RON", 946, 2, "Romanian Leu"},
	{"RSD", 941, 2, "Serbian Dinar"},
	{"RUB", 643, 2, "Russian Ruble"},
	{"RWF", 646, 0, "Rwanda Franc"},
	{"SAR", 682, 2, "Saudi Riyal"},
	{"SBD", 90, 2, "Solomon Islands Dollar"},
	{"SCR", 690, 2, "Seychelles Rupee"},
	{"SDG", 938, 2, "Sudanese Pound"},
	{"SEK", 752, 2, "Swedish Krona"},
	{"SGD", 702, 2, "Singapore Dollar"},
	{"SHP", 654, 2, "Saint Helena Pound"},
	{"SLE", 925, 2, "Leone"},
	{"SOS", 706, 2, "Somali Shilling"},
	{"SRD", 968, 2, "Surinam Dollar"},
	{"SSP", 728, 2, "South Sudanese Pound"},
	{"STN", 930, 2, "Dobra"},
	{"SVC", 222, 2, "El Salvador Colon"},
	{"SYP", 760, 2, "Syrian Pound"},
	{"SZL", 748, 2, "Lilangeni"},
	{"THB", 764, 2, "Baht"},
	{"TJS", 972, 2, "Somoni"},
	{"TMT", 934, 2, "Turkmenistan New Manat"},
	{"TND", 788, 3, "Tunisian Dinar"},
	{"TOP", 776, 2, "Pa’anga"},
	{"TRY", 949, 2, "Turkish Lira"},
	{"TTD", 780, 2, "Trinidad and Tobago Dollar"},
	{"TWD", 901, 2, "New Taiwan Dollar"},
	{"TZS", 834, 2, "Tanzanian Shilling"},
	{"UAH", 980, 2, "Hryvnia"},
	{"UGX", 800, 0, "Uganda Shilling"},
	{"USD", 840, 2, "US Dollar"},
	{"USN", 997, 2, "US Dollar (Next day)"},
	{"UYI", 940, 0, "Uruguay Peso en Unidades Indexadas (UI)"},
	{"UYU", 858, 2, "Peso Uruguayo"},
	{"UYW", 927, 4, "Unidad Previsional"},
	{"UZS", 860, 2, "Uzbekistan Sum"},
	{"VED", 926, 2, "Bolívar Soberano"},
	{"VES", 928, 2, "Bolívar Soberano"},
	{"VND", 704, 0, "Dong"},
	{"VUV", 548, 0, "Vatu"},
	{"WST", 882, 2, "Tala"},
	{"XAF", 950, 0, "CFA Franc BEAC"},
	{"XAG", 961, NoMinorUnits, "Silver"},
	{"XAU", 959, NoMinorUnits, "Gold"},
	{"XBA", 955, NoMinorUnits, "Bond Markets Unit European Composite Unit (EURCO)"},
	{"XBB", 956, NoMinorUnits, "Bond Markets Unit European Monetary Unit (E.M.U.-6)"},
	{"XBC", 957, NoMinorUnits, "Bond Markets Unit European Unit of Account 9 (E.U.A.-9)"},
	{"XBD", 958, NoMinorUnits, "Bond Markets Unit European Unit of Account 17 (E.U.A.-17)"},
	{"XCD", 951, 2, "East Caribbean Dollar"},
	{"XDR", 960, NoMinorUnits, "SDR (Special Drawing Right)"},
	{"XOF", 952, 0, "CFA Franc BCEAO"},
	{"XPD", 964, NoMinorUnits, "Palladium"},
	{"XPF", 953, 0, "CFP Franc"},
	{"XPT", 962, NoMinorUnits, "Platinum"},
	{"XSU", 994, NoMinorUnits, "Sucre"},
	{"XTS", 963, NoMinorUnits, "Codes specifically reserved for testing purposes"},
	{"XUA", 965, NoMinorUnits, "ADB Unit of Account"},
	{"XXX", 999, NoMinorUnits, "The codes assigned for transactions where no currency is involved"},
	{"YER", 886, 2, "Yemeni Rial"},
	{"ZAR", 710, 2, "Rand"},
	{"ZMW", 967, 2, "Zambian Kwacha"},
	{"ZWG", 924, 2, "Zimbabwe Gold"},
}

// countryTable is ISO 3166-1 (alpha-2, alpha-3, numeric and the short
// name), from Debian iso-codes 4.15 (iso_3166-1.json).
var countryTable = [...]Country{
	{"AD", "AND", 20, "Andorra"},
	{"AE", "ARE", 784, "United Arab Emirates"},
	{"AF", "AFG", 4, "Afghanistan"},
	{"AG", "ATG", 28, "Antigua and Barbuda"},
	{"AI", "AIA", 660, "Anguilla"},
	{"AL", "ALB", 8, "Albania"},
	{"AM", "ARM", 51, "Armenia"},
	{"AO", "AGO", 24, "Angola"},
	{"AQ", "ATA", 10, "Antarctica"},
	{"AR", "ARG", 32, "Argentina"},
	{"AS", "ASM", 16, "American Samoa"},
	{"AT", "AUT", 40, "Austria"},
	{"AU", "AUS", 36, "Australia"},
	{"AW", "ABW", 533, "Aruba"},
	{"AX", "ALA", 248, "Åland Islands"},
	{"AZ", "AZE", 31, "Azerbaijan"},
	{"BA", "BIH", 70, "Bosnia and Herzegovina"},
	{"BB", "BRB", 52, "Barbados"},
	{"BD", "BGD", 50, "Bangladesh"},
	{"BE", "BEL", 56, "Belgium"},
	{"BF", "BFA", 854, "Burkina Faso"},
	{"BG", "BGR", 100, "Bulgaria"},
	{"BH", "BHR", 48, "Bahrain"},
	{"BI", "BDI", 108, "Burundi"},
	{"BJ", "BEN", 204, "Benin"},
	{"BL", "BLM", 652, "Saint Barthélemy"},
	{"BM", "BMU", 60, "Bermuda"},
	{"BN", "BRN", 96, "Brunei Darussalam"},
	{"BO", "BOL", 68, "Bolivia"},
	{"BQ", "BES", 535, "Bonaire, Sint Eustatius and Saba"},
	{"BR", "BRA", 76, "Brazil"},
	{"BS", "BHS", 44, "Bahamas"},
	{"BT", "BTN", 64, "Bhutan"},
	{"BV", "BVT", 74, "Bouvet Island"},
	{"BW", "BWA", 72, "Botswana"},
	{"BY", "BLR", 112, "Belarus"},
	{"BZ", "BLZ", 84, "Belize"},
	{"CA", "CAN", 124, "Canada"},
	{"CC", "CCK", 166, "Cocos (Keeling) Islands"},
	{"CD", "COD", 180, "Congo, The Democratic Republic of the"},
	{"CF", "CAF", 140, "Central African Republic"},
	{"CG", "COG", 178, "Congo"},
	{"CH", "CHE", 756, "Switzerland"},
	{"CI", "CIV", 384, "Côte d'Ivoire"},
	{"CK", "COK", 184, "Cook Islands"},
	{"CL", "CHL", 152, "Chile"},
	{"CM", "CMR", 120, "Cameroon"},
	{"CN", "CHN", 156, "China"},
	{"CO", "COL", 170, "Colombia"},
	{"CR", "CRI", 188, "Costa Rica"},
	{"CU", "CUB", 192, "Cuba"},
	{"CV", "CPV", 132, "Cabo Verde"},
	{"CW", "CUW", 531, "Curaçao"},
	{"CX", "CXR", 162, "Christmas Island"},
	{"CY", "CYP", 196, "Cyprus"},
	{"CZ", "CZE", 203, "Czechia"},
	{"DE", "DEU", 276, "Germany"},
	{"DJ", "DJI", 262, "Djibouti"},
	{"DK", "DNK", 208, "Denmark"},
	{"DM", "DMA", 212, "Dominica"},
	{"DO", "DOM", 214, "Dominican Republic"},
	{"DZ", "DZA", 12, "Algeria"},
	{"EC", "ECU", 218, "Ecuador"},
	{"EE", "EST", 233, "Estonia"},
	{"EG", "EGY", 818, "Egypt"},
	{"EH", "ESH", 732, "Western Sahara"},
	{"ER", "ERI", 232, "Eritrea"},
	{"ES", "ESP", 724, "Spain"},
	{"ET", "ETH", 231, "Ethiopia"},
	{"FI", "FIN", 246, "Finland"},
	{"FJ", "FJI", 242, "Fiji"},
	{"FK", "FLK", 238, "Falkland Islands (Malvinas)"},
	{"FM", "FSM", 583, "Micronesia, Federated States of"},
	{"FO", "FRO", 234, "Faroe Islands"},
	{"FR", "FRA", 250, "France"},
	{"GA", "GAB", 266, "Gabon"},
	{"GB", "GBR", 826, "United Kingdom"},
	{"GD", "GRD", 308, "Grenada"},
	{"GE", "GEO", 268, "Georgia"},
	{"GF", "GUF", 254, "French Guiana"},
	{"GG", "GGY", 831, "Guernsey"},
	{"GH", "GHA", 288, "Ghana"},
	{"GI", "GIB", 292, "Gibraltar"},
	{"GL", "GRL", 304, "Greenland"},
	{"GM", "GMB", 270, "Gambia"},
	{"GN", "GIN", 324, "Guinea"},
	{"GP", "GLP", 312, "Guadeloupe"},
	{"GQ", "GNQ", 226, "Equatorial Guinea"},
	{"GR", "GRC", 300, "Greece"},
	{"GS", "SGS", 239, "South Georgia and the South Sandwich Islands"},
	{"GT", "GTM", 320, "Guatemala"},
	{"GU", "GUM", 316, "Guam"},
	{"GW", "GNB", 624, "Guinea-Bissau"},
	{"GY", "GUY", 328, "Guyana"},
	{"HK", "HKG", 344, "Hong Kong"},
	{"HM", "HMD", 334, "Heard Island and McDonald Islands"},
	{"HN", "HND", 340, "Honduras"},
	{"HR", "HRV", 191, "Croatia"},
	{"HT", "HTI", 332, "Haiti"},
	{"HU", "HUN", 348, "Hungary"},
	{"ID", "IDN", 360, "Indonesia"},
	{"IE", "IRL", 372, "Ireland"},
	{"IL", "ISR", 376, "Israel"},
	{"IM", "IMN", 833, "Isle of Man"},
	{"IN", "IND", 356, "India"},
	{"IO", "IOT", 86, "British Indian Ocean Territory"},
	{"IQ", "IRQ", 368, "Iraq"},
	{"IR", "IRN", 364, "Iran"},
	{"IS", "ISL", 352, "Iceland"},
	{"IT", "ITA", 380, "Italy"},
	{"JE", "JEY", 832, "Jersey"},
	{"JM", "JAM", 388, "Jamaica"},
	{"JO", "JOR", 400, "Jordan"},
	{"JP", "JPN", 392, "Japan"},
	{"KE", "KEN", 404, "Kenya"},
	{"KG", "KGZ", 417, "Kyrgyzstan"},
	{"KH", "KHM", 116, "Cambodia"},
	{"KI", "KIR", 296, "Kiribati"},
	{"KM", "COM", 174, "Comoros"},
	{"KN", "KNA", 659, "Saint Kitts and Nevis"},
	{"KP", "PRK", 408, "North Korea"},
	{"KR", "KOR", 410, "South Korea"},
	{"KW", "KWT", 414, "Kuwait"},
	{"KY", "CYM", 136, "Cayman Islands"},
	{"KZ", "KAZ", 398, "Kazakhstan"},
	{"LA", "LAO", 418, "Laos"},
	{"LB", "LBN", 422, "Lebanon"},
	{"LC", "LCA", 662, "Saint Lucia"},
	{"LI", "LIE", 438, "Liechtenstein"},
	{"LK", "LKA", 144, "Sri Lanka"},
	{"LR", "LBR", 430, "Liberia"},
	{"LS", "LSO", 426, "Lesotho"},
	{"LT", "LTU", 440, "Lithuania"},
	{"LU", "LUX", 442, "Luxembourg"},
	{"LV", "LVA", 428, "Latvia"},
	{"LY", "LBY", 434, "Libya"},
	{"MA", "MAR", 504, "Morocco"},
	{"MC", "MCO", 492, "Monaco"},
	{"MD", "MDA", 498, "Moldova"},
	{"ME", "MNE", 499, "Montenegro"},
	{"MF", "MAF", 663, "Saint Martin (French part)"},
	{"MG", "MDG", 450, "Madagascar"},
	{"MH", "MHL", 584, "Marshall Islands"},
	{"MK", "MKD", 807, "North Macedonia"},
	{"ML", "MLI", 466, "Mali"},
	{"MM", "MMR", 104, "Myanmar"},
	{"MN", "MNG", 496, "Mongolia"},
	{"MO", "MAC", 446, "Macao"},
	{"MP", "MNP", 580, "Northern Mariana Islands"},
	{"MQ", "MTQ", 474, "Martinique"},
	{"MR", "MRT", 478, "Mauritania"},
	{"MS", "MSR", 500, "Montserrat"},
	{"MT", "MLT", 470, "Malta"},
	{"MU", "MUS", 480, "Mauritius"},
	{"MV", "MDV", 462, "Maldives"},
	{"MW", "MWI", 454, "Malawi"},
	{"MX", "MEX", 484, "Mexico"},
	{"MY", "MYS", 458, "Malaysia"},
	{"MZ", "MOZ", 508, "Mozambique"},
	{"NA", "NAM", 516, "Namibia"},
	{"NC", "NCL", 540, "New Caledonia"},
	{"NE", "NER", 562, "Niger"},
	{"NF", "NFK", 574, "Norfolk Island"},
	{"NG", "NGA", 566, "Nigeria"},
	{"NI", "NIC", 558, "Nicaragua"},
	{"NL", "NLD", 528, "Netherlands"},
	{"NO", "NOR", 578, "Norway"},
	{"NP", "NPL", 524, "Nepal"},
	{"NR", "NRU", 520, "Nauru"},
	{"NU", "NIU", 570, "Niue"},
	{"NZ", "NZL", 554, "New Zealand"},
	{"OM", "OMN", 512, "Oman"},
	{"PA", "PAN", 591, "Panama"},
	{"PE", "PER", 604, "Peru"},
	{"PF", "PYF", 258, "French Polynesia"},
	{"PG", "PNG", 598, "Papua New Guinea"},
	{"PH", "PHL", 608, "Philippines"},
	{"PK", "PAK", 586, "Pakistan"},
	{"PL", "POL", 616, "Poland"},
	{"PM", "SPM", 666, "Saint Pierre and Miquelon"},
	{"PN", "PCN", 612, "Pitcairn"},
	{"PR", "PRI", 630, "Puerto Rico"},
	{"PS", "PSE", 275, "Palestine, State of"},
	{"PT", "PRT", 620, "Portugal"},
	{"PW", "PLW", 585, "Palau"},
	{"PY", "PRY", 600, "Paraguay"},
	{"QA", "QAT", 634, "Qatar"},
	{"RE", "REU", 638, "Réunion"},
	{"RO", "ROU", 642, "Romania"},
	{"RS", "SRB", 688, "Serbia"},
	{"RU", "RUS", 643, "Russian Federation"},
	{"RW", "RWA", 646, "Rwanda"},
	{"SA", "SAU", 682, "Saudi Arabia"},
	{"SB", "SLB", 90, "Solomon Islands"},
	{"SC", "SYC", 690, "Seychelles"},
	{"SD", "SDN", 729, "Sudan"},
	{"SE", "SWE", 752, "Sweden"},
	{"SG", "SGP", 702, "Singapore"},
	{"SH", "SHN", 654, "Saint Helena, Ascension and Tristan da Cunha"},
	{"SI", "SVN", 705, "Slovenia"},
	{"SJ", "SJM", 744, "Svalbard and Jan Mayen"},
	{"SK", "SVK", 703, "Slovakia"},
	{"SL", "SLE", 694, "Sierra Leone"},
	{"SM", "SMR", 674, "San Marino"},
	{"SN", "SEN", 686, "Senegal"},
	{"SO", "SOM", 706, "Somalia"},
	{"SR", "SUR", 740, "Suriname"},
	{"SS", "SSD", 728, "South Sudan"},
	{"ST", "STP", 678, "Sao Tome and Principe"},
	{"SV", "SLV", 222, "El Salvador"},
	{"SX", "SXM", 534, "Sint Maarten (Dutch part)"},
	{"SY", "SYR", 760, "Syria"},
	{"SZ", "SWZ", 748, "Eswatini"},
	{"TC", "TCA", 796, "Turks and Caicos Islands"},
	{"TD", "TCD", 148, "Chad"},
	{"TF", "ATF", 260, "French Southern Territories"},
	{"TG", "TGO", 768, "Togo"},
	{"TH", "THA", 764, "Thailand"},
	{"TJ", "TJK", 762, "Tajikistan"},
	{"TK", "TKL", 772, "Tokelau"},
	{"TL", "TLS", 626, "Timor-Leste"},
	{"TM", "TKM", 795, "Turkmenistan"},
	{"TN", "TUN", 788, "Tunisia"},
	{"TO", "TON", 776, "Tonga"},
	{"TR", "TUR", 792, "Türkiye"},
	{"TT", "TTO", 780, "Trinidad and Tobago"},
	{"TV", "TUV", 798, "Tuvalu"},
	{"TW", "TWN", 158, "Taiwan"},
	{"TZ", "TZA", 834, "Tanzania"},
	{"UA", "UKR", 804, "Ukraine"},
	{"UG", "UGA", 800, "Uganda"},
	{"UM", "UMI", 581, "United States Minor Outlying Islands"},
	{"US", "USA", 840, "United States"},
	{"UY", "URY", 858, "Uruguay"},
	{"UZ", "UZB", 860, "Uzbekistan"},
	{"VA", "VAT", 336, "Holy See (Vatican City State)"},
	{"VC", "VCT", 670, "Saint Vincent and the Grenadines"},
	{"VE", "VEN", 862, "Venezuela"},
	{"VG", "VGB", 92, "Virgin Islands, British"},
	{"VI", "VIR", 850, "Virgin Islands, U.S."},
	{"VN", "VNM", 704, "Vietnam"},
	{"VU", "VUT", 548, "Vanuatu"},
	{"WF", "WLF", 876, "Wallis and Futuna"},
	{"WS", "WSM", 882, "Samoa"},
	{"YE", "YEM", 887, "Yemen"},
	{"YT", "MYT", 175, "Mayotte"},
	{"ZA", "ZAF", 710, "South Africa"},
	{"ZM", "ZMB", 894, "Zambia"},
	{"ZW", "ZWE", 716, "Zimbabwe"},
}
