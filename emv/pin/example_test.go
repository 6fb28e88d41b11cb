package pin_test

import (
	"fmt"

	"github.com/yixin-emv/yixin/emv/pin"
)

// A format 0 PIN block for a PAN, and reading it back. The block itself
// prints masked; converting it to []byte shows its bytes deliberately.
func ExampleFormat0() {
	b, err := pin.Format0("1234", "0123456789012345")
	if err != nil {
		panic(err)
	}
	fmt.Println(b)
	fmt.Printf("%X\n", []byte(b))
	p, format, err := pin.Parse(b, "0123456789012345")
	fmt.Println(p, format, err)
	// Output:
	// PIN block (masked, 8 bytes)
	// 041200A9876FEDCB
	// 1234 0 <nil>
}

// The plaintext PIN block a terminal sends to the card in VERIFY (P2 = 80),
// and, enciphered with the card's key, in VERIFY P2 = 88 (see
// EncipherOffline).
func ExampleFormat2() {
	b, _ := pin.Format2("9999")
	fmt.Printf("%X\n", []byte(b))
	// Output: 249999FFFFFFFFFF
}
