package emv_test

import (
	"encoding/hex"
	"fmt"

	"github.com/yixin-emv/yixin/emv"
)

func ExampleParseTrack2() {
	// Track 2 Equivalent Data (57) of a real Mastercard debit card.
	raw, _ := hex.DecodeString("5375050000160110D24032212794329000000F")
	t2, err := emv.ParseTrack2(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println(t2) // masked: safe for logs
	fmt.Println("expiry", t2.Expiry, "service code", t2.ServiceCode)
	fmt.Println(emv.MaskTrack2(raw))

	_, err = emv.ParseTrack2([]byte{0x12, 0xD2, 0xA1, 0x21, 0x01})
	fmt.Println(err)
	// Output:
	// 537505******0110D2403221*************
	// expiry 2403 service code 221
	// 537505******0110D2403221*************F
	// emv: Track 2 Equivalent Data: expiry date at nibble 4: nibble A is not a digit
}

func ExampleParseAmount() {
	cny, _ := emv.ParseCurrency("156")
	a, err := emv.ParseAmount("12.34", cny)
	if err != nil {
		panic(err)
	}
	n := a.Numeric() // the n12 of 9F02
	fmt.Println(a, a.Minor)
	fmt.Printf("9F02 %X\n", n[:])

	jpy, _ := emv.ParseCurrency("JPY")
	fmt.Println(emv.Amount{Minor: 1234, Currency: jpy})

	_, err = emv.ParseAmount("12.345", cny)
	fmt.Println(err)
	// Output:
	// 12.34 CNY 1234
	// 9F02 000000001234
	// 1234 JPY
	// emv: amount at character 5: "12.345": CNY takes 2 decimals
}

func ExampleMaskPAN() {
	fmt.Println(emv.MaskPAN("5375050000160110"))
	fmt.Println(emv.MaskPAN("1234567890"))
	fmt.Println(emv.LuhnValid("5375050000160110"))
	d, _ := emv.LuhnDigit("537505000016011")
	fmt.Printf("%c\n", d)
	// Output:
	// 537505******0110
	// ******7890
	// true
	// 0
}

func ExampleParseDate() {
	d, err := emv.ParseDate([]byte{0x26, 0x11, 0x27}) // 9A Transaction Date, YYMMDD
	if err != nil {
		panic(err)
	}
	fmt.Println(d, d.After(emv.Date{Year: 2026, Month: 11, Day: 1}))
	_, err = emv.ParseDate([]byte{0x25, 0x02, 0x29})
	fmt.Println(err)
	// Output:
	// 2026-11-27 true
	// emv: date: day at nibble 4: day 29 of 2025-02
}
