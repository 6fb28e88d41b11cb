package emv_test

import (
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

func ExampleTVR_String() {
	var tvr emv.TVR
	tvr.Set(emv.TVROfflineDataAuthNotPerformed)
	tvr.Set(emv.TVRFloorLimitExceeded)
	fmt.Printf("%X\n", tvr[:])
	fmt.Println(tvr)
	fmt.Println(tvr.Has(emv.TVRFloorLimitExceeded), tvr.Has(emv.TVRNewCard))
	// Output:
	// 8000008000
	// Offline data authentication was not performed; Transaction exceeds floor limit
	// true false
}

func ExampleParseAIP() {
	aip, err := emv.ParseAIP([]byte{0x19, 0x80})
	if err != nil {
		panic(err)
	}
	fmt.Println("CDA:", aip.Has(emv.AIPCDASupported))
	fmt.Println("SDA:", aip.Has(emv.AIPSDASupported))
	// Output:
	// CDA: true
	// SDA: false
}

func ExampleCVMResults_String() {
	r, _ := emv.ParseCVMResults([]byte{0x01, 0x03, 0x02})
	fmt.Println(r)
	// Output:
	// offline plaintext PIN, if terminal supports the CVM; successful
}

func ExampleDescribeBits() {
	names, _ := emv.DescribeBits(0x9F33, []byte{0xE0, 0xB8, 0xC8})
	fmt.Println(strings.Join(names, "\n"))
	// Output:
	// Manual key entry
	// Magnetic stripe
	// IC with contacts
	// Plaintext PIN for ICC verification
	// Signature (paper)
	// Enciphered PIN for offline verification (RSA)
	// No CVM required
	// SDA
	// DDA
	// CDA
}
