package emv_test

import (
	"fmt"

	"github.com/yixin-emv/yixin/emv"
)

// Look up a tag to learn what it holds, how long it may be, and where it
// comes from.
func ExampleLookup() {
	e, ok := emv.Lookup(0x9F02)
	fmt.Println(ok, e.Name)
	fmt.Println(e.Format, e.MinLen, e.MaxLen, e.Source)

	pan, _ := emv.Lookup(0x5A)
	fmt.Println(pan.Name, "in", pan.Templates, "sensitive:", pan.Sensitive)

	_, ok = emv.Lookup(0xDF8F01)
	fmt.Println(ok)
	// Output:
	// true Amount, Authorised (Numeric)
	// n 6 6 terminal
	// Application Primary Account Number (PAN) in [70 77] sensitive: true
	// false
}

func ExampleTag_Name() {
	for _, t := range []emv.Tag{0x9F26, 0x9F79, 0x9F8F} {
		fmt.Printf("%s %q\n", t, t.Name())
	}
	// Output:
	// 9F26 "Application Cryptogram"
	// 9F79 "EC Balance (PBOC) / Unprotected Data Envelope 5 (Mastercard)"
	// 9F8F ""
}
