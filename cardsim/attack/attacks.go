package attack

import (
	"bytes"

	"github.com/yixin-emv/yixin/apdu"
)

// The rules of the published attacks and of the usual faults. Each
// returns plain data: pass it to New, change it, or write it out as JSON
// for a harness case.

// Wedge is the man-in-the-middle of Murdoch, Drimer, Anderson and Bond,
// "Chip and PIN is Broken" (IEEE Symposium on Security and Privacy 2010):
// VERIFY is answered 9000 and never reaches the card, so the
// terminal believes the PIN was verified while the card's CVR says that
// offline PIN verification was not performed. The terminal-side defence is
// to send the CVM Results (9F34) to the issuer, who compares them with the
// CVR in the Issuer Application Data (9F10).
func Wedge() Rule {
	return Rule{Name: "wedge", Match: Match{INS: bp(apdu.INSVerify)}, Action: Action{Answer: Hex{0x90, 0x00}}}
}

// BrandMixup is the card brand mixup of Basin, Sasse and Toro-Pozo, "Card
// Brand Mixup Attack: Bypassing the PIN in non-Visa Cards by Using Them
// for Visa Transactions" (USENIX Security 2021): the AID is not
// authenticated, so a device between terminal and card presents the
// application shown while the card runs the application actual, whose PAN
// belongs to another brand.
//
// The first rule answers the SELECT of shown with the card's application
// actual (the card is sent SELECT actual); the second rewrites actual into
// shown in every response: the DF name (84) of the FCI, the AIDs (4F) of
// the PSE directory records and of the PPSE. The terminal sees a
// consistent application shown, with the PAN and keys of actual. The
// defence: the AID's brand must agree with the PAN's.
func BrandMixup(shown, actual []byte) []Rule {
	return []Rule{
		{
			Name:   "brand mixup: select",
			Match:  Match{INS: bp(apdu.INSSelect), P1: bp(0x04), Data: bytes.Clone(shown)},
			Action: Action{SetData: bytes.Clone(actual)},
		},
		{
			Name:   "brand mixup: AIDs",
			Action: Action{ResponseEdits: ResponseEdits{ReplaceAID: &AIDSwap{From: bytes.Clone(actual), To: bytes.Clone(shown)}}},
		},
	}
}

// DFNameSwap is the cruder form of the brand mixup: the SELECT of selected
// reaches the card unchanged and the DF name (84) of its FCI is rewritten
// to shown, so that it differs from the AID the terminal selected. EMV 4.3
// Book 1 §12.4 makes the terminal drop such an application.
func DFNameSwap(selected, shown []byte) Rule {
	return Rule{
		Name:   "DF name swap",
		Match:  Match{INS: bp(apdu.INSSelect), P1: bp(0x04), Data: bytes.Clone(selected)},
		Action: Action{ResponseEdits: ResponseEdits{ReplaceAID: &AIDSwap{From: bytes.Clone(selected), To: bytes.Clone(shown)}}},
	}
}

// StripCDA removes the Signed Dynamic Application Data (9F4B) from the
// responses to GENERATE AC: the terminal asked for a CDA signature and
// gets none. A kernel must then set "CDA failed" in the TVR (EMV 4.3
// Book 2 §6.6.2) instead of trusting the cryptogram type. Such
// modifications of unauthenticated card data by a man in the middle are
// the attacker model of Basin, Sasse and Toro-Pozo, "The EMV Standard:
// Break, Fix, Verify" (IEEE S&P 2021).
func StripCDA() Rule {
	return Rule{
		Name:   "CDA stripping",
		Match:  Match{INS: bp(apdu.INSGenerateAC)},
		Action: Action{ResponseEdits: ResponseEdits{Strip: []Tag{Tag(tagSignedDynam)}}},
	}
}

// WithoutCDA clears the CDA request bit (P1 b5) of GENERATE AC before it
// reaches the card, which then answers with a plain cryptogram; with
// format1 the answer is also turned into a format 1 (80) response, which
// can carry no signature at all.
func WithoutCDA(format1 bool) Rule {
	return Rule{
		Name:   "GENERATE AC without CDA",
		Match:  Match{INS: bp(apdu.INSGenerateAC)},
		Action: Action{ClearP1: Byte(apdu.RefControlCDA), ResponseEdits: ResponseEdits{Format1: format1}},
	}
}

// AIPDowngrade clears bits of the AIP in the response to GET PROCESSING
// OPTIONS (format 1 or 2): 2100 (byte 1 b6 and b1) makes a DDA/CDA card
// look SDA-only, 6100 makes it offer no offline data authentication at
// all. The AIP is signed (it is in the static data when 9F4A lists 82), so
// SDA or the ICC certificate check must then fail.
func AIPDowngrade(mask Word) Rule {
	return Rule{
		Name:   "AIP downgrade",
		Match:  Match{INS: bp(apdu.INSGetProcessingOptions)},
		Action: Action{ResponseEdits: ResponseEdits{ClearAIP: mask}},
	}
}

// ChangeRecord changes data objects in READ RECORD of record rec of file
// sfi from its fromNth reading on (1: every reading; 2: every reading
// after the first). Read once for offline data authentication and again
// later, the record then differs from what was authenticated: the
// time-of-check/time-of-use gap a kernel must not open.
func ChangeRecord(sfi, rec, fromNth int, edits ...Edit) Rule {
	return Rule{
		Name:   "record changed after ODA",
		Match:  Match{INS: bp(apdu.INSReadRecord), P1: bp(byte(rec)), P2: bp(byte(sfi<<3 | 4)), FromNth: fromNth},
		Action: Action{ResponseEdits: ResponseEdits{Set: edits}},
	}
}

// GetResponseForever answers every command 61xx (xx = sw2 more bytes
// available) after letting the card process it, and every GET RESPONSE
// 61xx again without passing it on: a T=0 layer that does not bound its
// GET RESPONSE loop never returns (apdu.T0Transport stops after
// MaxGetResponse rounds).
func GetResponseForever(sw2 byte) []Rule {
	answer := Hex{0x61, sw2}
	return []Rule{
		{Name: "61xx forever: GET RESPONSE", Match: Match{INS: bp(apdu.INSGetResponse)}, Action: Action{Answer: answer}},
		{Name: "61xx forever", Action: Action{Answer: bytes.Clone(answer), Forward: true}},
	}
}

// RemoveAt removes the card at APDU n (counting from 1): that command and
// every later one fail with ErrCardRemoved. The command at n does not
// reach the card.
func RemoveAt(n int) Rule {
	return Rule{Name: "card removed", Match: Match{At: n}, Action: Action{Fault: FaultRemoved}}
}

// FaultAt makes APDU n fail with the given fault: one of the Fault
// constants or a status word in four hex digits ("6F00").
func FaultAt(n int, fault string) Rule {
	return Rule{Name: "fault " + fault, Match: Match{At: n}, Action: Action{Fault: fault}}
}

func bp(b byte) *Byte { v := Byte(b); return &v }
