package kernel

import (
	"bytes"
	"strconv"
)

// Brand is a payment brand (scheme).
type Brand string

// Brands the kernel knows by RID and by IIN.
const (
	BrandVisa       Brand = "visa"
	BrandMastercard Brand = "mastercard"
	BrandAmex       Brand = "amex"
	BrandUnionPay   Brand = "unionpay"
	BrandJCB        Brand = "jcb"
	BrandDiscover   Brand = "discover"
	BrandDiners     Brand = "diners"
)

// ridBrands maps registered application provider identifiers to brands.
// Sources: the RIDs of EMV Contactless Book B Table 3-6 and the schemes'
// published AIDs; A000000790 is listed by openemv/emv-utils
// (src/emv_fields.c) as American Express in China, not confirmed elsewhere.
var ridBrands = []struct {
	rid   []byte
	brand Brand
}{
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x03}, BrandVisa},
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x98}, BrandVisa}, // US common debit A0000000980840
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x04}, BrandMastercard},
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x25}, BrandAmex},
	{[]byte{0xA0, 0x00, 0x00, 0x07, 0x90}, BrandAmex},
	{[]byte{0xA0, 0x00, 0x00, 0x03, 0x33}, BrandUnionPay},
	{[]byte{0xA0, 0x00, 0x00, 0x06, 0x32}, BrandUnionPay}, // UICS test AIDs (DOMESTIC.md vector)
	{[]byte{0xA0, 0x00, 0x00, 0x00, 0x65}, BrandJCB},
	{[]byte{0xA0, 0x00, 0x00, 0x01, 0x52}, BrandDiscover},
	{[]byte{0xA0, 0x00, 0x00, 0x03, 0x24}, BrandDiscover},
}

// BrandOfAID returns the brand of an AID's RID, "" when unknown.
func BrandOfAID(aid []byte) Brand {
	for _, r := range ridBrands {
		if bytes.HasPrefix(aid, r.rid) {
			return r.brand
		}
	}
	return ""
}

// iinRanges maps ranges of the PAN's leading digits to brands (ISO/IEC
// 7812 issuer identification numbers as the schemes publish them). A range
// is [lo, hi] over the first len(lo) digits. Some ranges belong to two
// brands (Discover acquires UnionPay 622126–622925, and Diners).
var iinRanges = []struct {
	lo, hi string
	brands []Brand
}{
	{"4", "4", []Brand{BrandVisa}},
	{"51", "55", []Brand{BrandMastercard}},
	{"2221", "2720", []Brand{BrandMastercard}},
	{"34", "34", []Brand{BrandAmex}},
	{"37", "37", []Brand{BrandAmex}},
	{"622126", "622925", []Brand{BrandUnionPay, BrandDiscover}},
	{"62", "62", []Brand{BrandUnionPay}},
	{"81", "81", []Brand{BrandUnionPay}},
	{"3528", "3589", []Brand{BrandJCB}},
	{"6011", "6011", []Brand{BrandDiscover}},
	{"644", "649", []Brand{BrandDiscover}},
	{"65", "65", []Brand{BrandDiscover}},
	{"300", "305", []Brand{BrandDiners, BrandDiscover}},
	{"36", "36", []Brand{BrandDiners, BrandDiscover}},
	{"38", "39", []Brand{BrandDiners, BrandDiscover}},
}

// iinBounds are the bounds of iinRanges as numbers, parsed once.
// Read-only after init.
var iinBounds = func() [][2]int {
	b := make([][2]int, len(iinRanges))
	for i, r := range iinRanges {
		b[i][0], _ = strconv.Atoi(r.lo)
		b[i][1], _ = strconv.Atoi(r.hi)
	}
	return b
}()

// BrandsOfPAN returns the brands the PAN's issuer identification number
// belongs to, nil when it is in no known range.
func BrandsOfPAN(pan string) []Brand {
	for i, r := range iinRanges {
		n := len(r.lo)
		if len(pan) < n {
			continue
		}
		v, err := strconv.Atoi(pan[:n])
		if err != nil {
			return nil
		}
		if v >= iinBounds[i][0] && v <= iinBounds[i][1] {
			return r.brands
		}
	}
	return nil
}

// brandMismatch reports whether the application's brand contradicts the
// PAN's: both are known and the PAN's IIN does not belong to the brand.
func brandMismatch(app Brand, pan string) bool {
	if app == "" {
		return false
	}
	bs := BrandsOfPAN(pan)
	if bs == nil {
		return false
	}
	for _, b := range bs {
		if b == app {
			return false
		}
	}
	return true
}
