package cryptogram_test

import (
	"encoding/hex"
	"fmt"

	"github.com/yixin-emv/yixin/emv/cryptogram"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// The card's master key for application cryptograms, derived by the issuer
// at personalisation (values from knovichikhin/pyemv).
func ExampleDeriveICCMasterKey() {
	imk := unhex("0123456789ABCDEFFEDCBA9876543210")
	mk, err := cryptogram.DeriveICCMasterKey(imk, "12345678901234567", "45", cryptogram.OptionA)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", mk)
	// Output: 946DC1A8C78A624519BC4645CB073737
}

// The session key of one transaction, from the card's master key and the
// ATC (EMV common session key derivation).
func ExampleDeriveSessionKey() {
	mk := unhex("0123456789ABCDEFFEDCBA9876543210")
	sk, err := cryptogram.DeriveSessionKey(cryptogram.TDES, mk, unhex("001C"))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%X\n", sk)
	// Output: E9FB384AF807B940FEDCEA613461B0C4
}

// An ARQC over CDOL1 data, then the issuer's ARPC (method 1) and the card's
// check of it.
func ExampleGenerateAC() {
	sk := unhex("29B33180E567CE38EA4CBC9D753B0E61")
	arqc, err := cryptogram.GenerateAC(cryptogram.TDES, sk, unhex("0123456789ABCDEF0123456789ABCDEF"), cryptogram.Pad2)
	if err != nil {
		panic(err)
	}
	arpc, err := cryptogram.ARPCMethod1(cryptogram.TDES, sk, arqc, unhex("0000"))
	if err != nil {
		panic(err)
	}
	fmt.Printf("ARQC %X\nARPC %X\n", arqc, arpc)
	fmt.Println(cryptogram.VerifyARPCMethod1(cryptogram.TDES, sk, arqc, unhex("0000"), arpc))
	// Output:
	// ARQC FA624250B008B59A
	// ARPC 45D4255EEF10C920
	// <nil>
}
