package issuer_test

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// A Visa CVN 18 card of pyemv's tests (knovichikhin/pyemv
// tests/test_cvn_hsm.py): the host verifies its ARQC 7A788EA6B8A3E733,
// approves by its rules and unblocks the application by script.
func ExampleHost_Authorise() {
	host, err := issuer.New(issuer.Account{
		Name:  "visa",
		PAN:   "1234567890123456",
		CDOL1: unhex("9F02069F03069F1A0295055F2A029A039C019F3704"),
		Crypto: issuer.Crypto{Scheme: issuer.SchemeVisaCVN18, Algorithm: "tdes", IssuerMasterKeys: &issuer.MasterKeys{
			AC:  unhex("0123456789ABCDEFFEDCBA9876543210"),
			SMI: unhex("FEDCBA98765432100123456789ABCDEF"),
			SMC: unhex("89ABCDEF0123456776543210FEDCBA98"),
		}},
		Rules: &issuer.Rules{MaxAmount: 10000, Scripts: []issuer.Script{
			{Commands: []issuer.Command{{Kind: issuer.KindApplicationUnblock}}},
		}},
	})
	if err != nil {
		panic(err)
	}
	var de55 []byte // what the terminal sends
	for _, o := range []struct{ tag, value string }{
		{"9F02", "000000004000"}, {"9F03", "000000000000"}, {"9F1A", "0124"}, {"95", "8000048000"},
		{"5F2A", "0124"}, {"9A", "191105"}, {"9C", "01"}, {"9F37", "52BF4585"}, {"82", "1800"},
		{"9F36", "001C"}, {"9F10", "06011203A0B800"}, {"9F26", "7A788EA6B8A3E733"}, {"9F27", "80"},
	} {
		de55 = emv.AppendTLV(de55, emv.MustParseTag(o.tag), unhex(o.value))
	}
	resp, err := host.Authorise(context.Background(), issuer.Request{PAN: "1234567890123456", DE55: de55})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Account, resp.Approved, resp.ARC, resp.Reason)
	fmt.Printf("card's CVR %X, new card %v\n", resp.CVR.Raw, resp.CVR.NewCard)
	fmt.Printf("91 %X\n", resp.IssuerAuthenticationData)
	fmt.Printf("scripts %X\n", resp.Scripts)
	// Output:
	// visa true 00 approved
	// card's CVR A0B800, new card true
	// 91 CE49A69000820000
	// scripts 720F860D841800000804EDE90BC24CC35E
}
