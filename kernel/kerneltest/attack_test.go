package kerneltest_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/cardsim/attack"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/kernel"
)

// The published attacks on EMV, each against the kernel's default
// configuration (kernel.DefaultConfig with the domestic-preference policy)
// and cardsim's golden dual-cn card, with cardsim/attack as the man in the
// middle: a terminal in the US runs the international application (CCD,
// RSA with CDA, TDES), one in China the domestic one (PBOC, SM2, SM4).
// Each test checks the defence, and runs the same transaction without the
// attack as a control, so that a defence is never "shown" by a setup that
// could not have approved anyway.

// atkMITM is a card behind a man in the middle: the kernel talks to mitm;
// seen records what reached the card.
type atkMITM struct {
	mitm *attack.Transport
	seen *apdu.Recorder
}

func atkAttack(t testing.TB, s *atkSim, rules ...attack.Rule) *atkMITM {
	t.Helper()
	seen := apdu.NewRecorder(s.card)
	at, err := attack.New(seen, rules...)
	if err != nil {
		t.Fatal(err)
	}
	return &atkMITM{mitm: at, seen: seen}
}

// count returns how many commands with this INS reached the card.
func (m *atkMITM) count(ins byte) int {
	n := 0
	for _, x := range m.seen.Exchanges() {
		if len(x.Command) >= 4 && x.Command[1] == ins {
			n++
		}
	}
	return n
}

// atkRequests returns how many authorisation requests reached the issuer.
func atkRequests(s *atkSim) int {
	s.host.mu.Lock()
	defer s.host.mu.Unlock()
	return len(s.host.reqs)
}

// TestAttackWedgeOnline reproduces the PIN-verify wedge of Murdoch, Drimer,
// Anderson and Bond, "Chip and PIN is Broken" (IEEE S&P 2010, §III): a
// device between card and terminal answers VERIFY with 9000 without the
// card seeing it. The terminal believes the PIN was verified; the card's
// Card Verification Results (in the Issuer Application Data, 9F10) say no
// offline PIN was verified. The defence the paper proposes, and the one a
// terminal owes: the CVM Results (9F34) go online in DE 55 (and in the
// CDOL1 data where the card asks for them), so that the issuer compares
// them with the CVR and declines. Both applications of dual-cn: the
// domestic one (PBOC CVR, VIS layout) and the international one (CCD CVR).
func TestAttackWedgeOnline(t *testing.T) {
	for _, c := range []struct {
		country string
		aid     []byte
		method  byte // the offline PIN CVM the card's list makes the terminal use
	}{
		{"CN", atkAIDDomestic, 0x01}, // offline plaintext PIN
		{"US", atkAIDIntl, 0x04},     // offline enciphered PIN
	} {
		t.Run(c.country, func(t *testing.T) {
			for _, wedged := range []bool{false, true} {
				s := atkNewSim(t)
				cfg := atkConfig(t, s, c.country)
				var rules []attack.Rule
				if wedged {
					rules = append(rules, attack.Wedge())
				}
				m := atkAttack(t, s, rules...)
				o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
				if err != nil {
					t.Fatalf("wedged %v: %v", wedged, err)
				}
				if !bytes.Equal(o.AID, c.aid) || o.CVMResults.Method() != c.method || o.CVMResults.Result() != emv.CVMResultSuccessful {
					t.Fatalf("wedged %v: AID %X, CVM Results %s; want %X, method %02X successful", wedged, o.AID, o.CVMResults, c.aid, c.method)
				}
				req, rsp, ok := s.host.last()
				if !ok {
					t.Fatalf("wedged %v: the terminal never went online", wedged)
				}
				if v, ok := emv.Find(req.DE55, 0x9F34); !ok || !bytes.Equal(v, o.CVMResults[:]) {
					t.Errorf("wedged %v: DE 55 carries 9F34 %X, want the CVM Results %X", wedged, v, o.CVMResults[:])
				}
				if !wedged {
					if o.Result != kernel.ResultOnlineApproved || m.count(0x20) == 0 {
						t.Errorf("control: %s (%s), %d VERIFY at the card", o.Result, o.Reason, m.count(0x20))
					}
					continue
				}
				if m.count(0x20) != 0 {
					t.Errorf("the wedge let %d VERIFY through", m.count(0x20))
				}
				if o.Result != kernel.ResultOnlineDeclined || rsp.Approved || rsp.Reason != issuer.ReasonCVR {
					t.Errorf("wedge: %s (%s), issuer %v %q (%s); want online-declined on the card verification results",
						o.Result, o.Reason, rsp.Approved, rsp.Reason, rsp.Detail)
				}
				if rsp.CVR == nil || rsp.CVR.OfflinePINPerformed {
					t.Errorf("wedge: the issuer read CVR %+v; want one where no offline PIN was performed", rsp.CVR)
				}
				if o.Reversal {
					t.Error("wedge: reversal owed for a declined authorisation")
				}
			}
		})
	}
}

// TestAttackWedgeOfflineCDA is the wedge of Murdoch et al. (IEEE S&P 2010)
// in its original, offline setting: the card approves offline (it is not
// new, the amount is under every limit) and no issuer ever sees the CVR.
// Under CDA the Issuer Application Data is part of what the card signs
// (EMV 4.3 Book 2 §6.6.1: the transaction data hash covers the GENERATE AC
// response's data objects), and its CVR can be read where the layout is
// known: for the international application EMV 4.3 Book 3 Annex C (CCD,
// IAD format A: CVR byte 2 b4 "offline PIN verification performed", b3
// "offline PIN verification failed"), for the domestic one the VIS 1.4 /
// PBOC layout (CVR byte 1 b3, b2). So the terminal can itself see that the
// card never verified the PIN its CVM Results claim, and must not approve
// offline on the strength of that PIN.
func TestAttackWedgeOfflineCDA(t *testing.T) {
	for _, c := range []struct {
		country string
		oda     kernel.ODAMethod
	}{{"US", kernel.ODACDA}, {"CN", kernel.ODASM2}} {
		for _, wedged := range []bool{false, true} {
			s := atkNewSim(t)
			atkWarmUp(t, s, c.country)
			cfg := atkConfig(t, s, c.country)
			atkOffline(cfg)
			var rules []attack.Rule
			if wedged {
				rules = append(rules, attack.Wedge())
			}
			m := atkAttack(t, s, rules...)
			before := atkRequests(s)
			o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
			if err != nil {
				t.Fatalf("%s, wedged %v: %v", c.country, wedged, err)
			}
			if o.ODA != c.oda || !o.ODAOK {
				t.Fatalf("%s, wedged %v: ODA %s ok %v (%s); the card's signature must verify", c.country, wedged, o.ODA, o.ODAOK, o.ODAError)
			}
			if !wedged {
				if o.Result != kernel.ResultApproved || o.CID.Type() != emv.CryptogramTC {
					t.Fatalf("%s control: %s (%s) CID %v; this setup must approve offline", c.country, o.Result, o.Reason, o.CID)
				}
				continue
			}
			if o.Result == kernel.ResultApproved {
				t.Errorf("%s wedge: approved offline with CVM Results %s although the card's signed CVR (9F10 %X) says no offline PIN was verified",
					c.country, o.CVMResults, atkIAD(o))
			}
			if atkRequests(s) > before {
				if _, rsp, _ := s.host.last(); rsp.Approved {
					t.Errorf("%s wedge: online and approved (%s)", c.country, rsp.Detail)
				}
			}
		}
	}
}

// atkIAD returns the Issuer Application Data of the data record.
func atkIAD(o *kernel.Outcome) []byte {
	v, _ := emv.Find(o.DataRecord, 0x9F10)
	return v
}

// TestAttackBrandMixup reproduces the card brand mixup of Basin, Sasse and
// Toro-Pozo, "Card Brand Mixup Attack: Bypassing the PIN in non-Visa Cards
// by Using Them for Visa Transactions" (USENIX Security 2021, §3): the AID is
// not authenticated, so a man in the middle presents one brand's AID while
// the card runs another brand's application, with that brand's PAN and keys.
// Defence (SELECTION.md): the AID's brand must agree with the PAN's issuer
// identification number — the kernel terminates with ErrBrandMismatch as
// soon as it has the PAN, before any cryptogram or cardholder verification.
func TestAttackBrandMixup(t *testing.T) {
	for _, c := range []struct {
		name, country string
		shown, actual []byte
	}{
		{"UnionPay card shown as American Express in the US", "US", atkAIDIntl, atkAIDDomestic},
		{"American Express card shown as UnionPay in China", "CN", atkAIDDomestic, atkAIDIntl},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atkNewSim(t)
			cfg := atkConfig(t, s, c.country)
			m := atkAttack(t, s, attack.BrandMixup(c.shown, c.actual)...)
			o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
			if !errors.Is(err, kernel.ErrBrandMismatch) {
				t.Fatalf("err = %v (%s, %s); want ErrBrandMismatch", err, o.Result, o.Reason)
			}
			if !bytes.Equal(o.AID, c.shown) {
				t.Errorf("the terminal ran %X; the attack shows %X (the setup is wrong)", o.AID, c.shown)
			}
			for _, ins := range []byte{0x20, 0x88, 0xAE} { // VERIFY, INTERNAL AUTHENTICATE, GENERATE AC
				if n := m.count(ins); n != 0 {
					t.Errorf("%d commands with INS %02X reached the card after the mixup", n, ins)
				}
			}
			if atkRequests(s) != 0 || o.Reversal {
				t.Errorf("%d authorisation requests, reversal %v", atkRequests(s), o.Reversal)
			}
		})
	}
}

// TestAttackDFNameSwap is the cruder form of the brand mixup (Basin et
// al., USENIX Security 2021): the final SELECT reaches the card unchanged
// but the DF name (84) of its answer is rewritten. EMV 4.3 Book 1 §12.4:
// the DF name must equal the AID the terminal selected, otherwise the
// application is removed from the candidate list and selection goes on.
// The terminal must never run the application whose name was swapped, and
// must say in the authorisation which application ran (4F, 84, 9F06 in DE
// 55).
func TestAttackDFNameSwap(t *testing.T) {
	s := atkNewSim(t)
	cfg := atkConfig(t, s, "US")
	swapped := atkHex("A000000025010499")
	m := atkAttack(t, s, attack.DFNameSwap(atkAIDIntl, swapped))
	o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(o.AID, atkAIDIntl) || bytes.Equal(o.AID, swapped) {
		t.Fatalf("ran %X after its final SELECT answered DF name %X", o.AID, swapped)
	}
	removed := false
	for _, r := range o.Selection.Removed {
		removed = removed || bytes.Equal(r.AID, atkAIDIntl)
	}
	if !removed {
		t.Errorf("removed %+v; want %X removed", o.Selection.Removed, atkAIDIntl)
	}
	if o.Result != kernel.ResultOnlineApproved || !bytes.Equal(o.AID, atkAIDDomestic) {
		t.Errorf("%s (%s) with %X; want online-approved with the remaining application %X", o.Result, o.Reason, o.AID, atkAIDDomestic)
	}
	req, _, ok := s.host.last()
	if !ok {
		t.Fatal("never went online")
	}
	for _, tag := range []emv.Tag{0x4F, 0x84, 0x9F06} {
		if v, ok := emv.Find(req.DE55, tag); !ok || !bytes.Equal(v, o.AID) {
			t.Errorf("DE 55 %s = %X, want the application that ran, %X", tag, v, o.AID)
		}
	}
}

// TestAttackCDAStripping: the terminal asked for a CDA signature on the
// GENERATE AC and the answer comes without one — the signature removed
// (9F4B stripped), the CDA request bit cleared on the way to the card, or
// the answer turned into format 1, which cannot carry a signature. This is
// the man in the middle of Basin, Sasse and Toro-Pozo, "The EMV Standard:
// Break, Fix, Verify" (IEEE S&P 2021, §V: offline approvals must be bound to
// CDA). EMV 4.3 Book 2 §6.6.2 and Book 3 §10.8: without the signature that
// was asked for, CDA has failed ("CDA failed" in the TVR) and a TC must not
// be taken as an offline approval.
func TestAttackCDAStripping(t *testing.T) {
	for _, c := range []struct {
		name  string
		rules []attack.Rule
	}{
		{"control", nil},
		{"9F4B stripped", []attack.Rule{attack.StripCDA()}},
		{"CDA request cleared", []attack.Rule{attack.WithoutCDA(false)}},
		{"CDA request cleared, format 1 answer", []attack.Rule{attack.WithoutCDA(true)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atkNewSim(t)
			atkWarmUp(t, s, "US")
			cfg := atkConfig(t, s, "US")
			atkOffline(cfg)
			m := atkAttack(t, s, c.rules...)
			o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
			if err != nil {
				t.Fatal(err)
			}
			if c.rules == nil {
				if o.Result != kernel.ResultApproved || o.ODA != kernel.ODACDA || !o.ODAOK {
					t.Fatalf("control: %s (%s), ODA %s ok %v; this setup must approve offline with CDA", o.Result, o.Reason, o.ODA, o.ODAOK)
				}
				return
			}
			if o.Result == kernel.ResultApproved {
				t.Errorf("approved offline without the CDA signature (CID %v, ODA %s ok %v)", o.CID, o.ODA, o.ODAOK)
			}
			if !o.TVR.Has(emv.TVRCDAFailed) || o.ODAOK {
				t.Errorf("TVR %s, ODA ok %v; want CDA failed", o.TVR, o.ODAOK)
			}
			if o.Reversal {
				t.Error("reversal owed without any authorisation")
			}
		})
	}
}

// TestAttackAIPDowngrade clears offline data authentication bits of the
// Application Interchange Profile in the answer to GET PROCESSING OPTIONS,
// to push the terminal to a weaker method or none (the downgrade of Basin et
// al., IEEE S&P 2021; in the spirit of the SDA-only terminals that "Chip and
// PIN is Broken" relied on). What the terminal can detect, and what it
// cannot:
//
//   - dual-cn lists the AIP in its Static Data Authentication Tag List
//     (9F4A = 82), so the AIP is in the signed static data: with CDA
//     cleared the terminal runs DDA, whose ICC certificate hash no longer
//     matches the static data (EMV 4.3 Book 2 §6.4, §5.4): DDA failed; with
//     DDA and CDA cleared on the domestic card it runs SDA, which fails the
//     same way (Book 2 §5.4).
//   - With every method cleared (the international application has no SDA
//     bit) there is nothing to verify offline: the terminal sets "offline
//     data authentication was not performed"; the card's IAC-Online sends
//     it online, and the issuer, whose ARQC input holds the AIP (Book 2 Annex
//     A1.2.1), finds that the AIP of DE 55 is not the card's and declines.
//   - Had the card not listed 82 in 9F4A, the first case would go
//     undetected offline; the issuer's ARQC check would remain.
//
// In no case may the transaction be approved.
func TestAttackAIPDowngrade(t *testing.T) {
	for _, c := range []struct {
		name    string
		country string
		mask    attack.Word
		oda     kernel.ODAMethod
		tvr     []emv.TVRBit
	}{
		{"CDA cleared: DDA on a signed AIP", "US", 0x0100, kernel.ODADDA, []emv.TVRBit{emv.TVRDDAFailed}},
		{"DDA and CDA cleared: nothing left", "US", 0x2100, kernel.ODANone, []emv.TVRBit{emv.TVROfflineDataAuthNotPerformed}},
		{"DDA and CDA cleared: SDA on a signed AIP", "CN", 0x2100, kernel.ODASM2, []emv.TVRBit{emv.TVRSDASelected, emv.TVRSDAFailed}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atkNewSim(t)
			atkWarmUp(t, s, c.country)
			cfg := atkConfig(t, s, c.country)
			atkOffline(cfg)
			m := atkAttack(t, s, attack.AIPDowngrade(c.mask))
			before := atkRequests(s)
			o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
			if err != nil {
				t.Fatal(err)
			}
			if o.ODA != c.oda || o.ODAOK {
				t.Errorf("ODA %s ok %v; want %s, failed or not performed", o.ODA, o.ODAOK, c.oda)
			}
			for _, b := range c.tvr {
				if !o.TVR.Has(b) {
					t.Errorf("TVR %s lacks %v", o.TVR, b)
				}
			}
			if o.Result == kernel.ResultApproved || o.Result == kernel.ResultOnlineApproved {
				t.Errorf("%s (%s) after the AIP was downgraded", o.Result, o.Reason)
			}
			if atkRequests(s) > before {
				_, rsp, _ := s.host.last()
				if rsp.Approved || rsp.Reason != issuer.ReasonCryptogram {
					t.Errorf("issuer %v %q (%s); want a declined cryptogram (its input holds the true AIP)", rsp.Approved, rsp.Reason, rsp.Detail)
				}
				if v, ok := emv.Find(atkLastDE55(s), 0x82); !ok || len(v) != 2 || v[0]&byte(c.mask>>8) != 0 {
					t.Errorf("DE 55 AIP %X; the issuer must see the AIP the terminal acted on", v)
				}
			}
		})
	}
}

func atkLastDE55(s *atkSim) []byte {
	req, _, _ := s.host.last()
	return req.DE55
}

// TestAttackRecordChanged changes a record that offline data
// authentication covers (SFI 2 record 1: PAN, expiry date, CVM list, IACs,
// CDOLs) — a time-of-check/time-of-use attack. The terminal must
// authenticate the record bytes exactly as it read and used them (EMV 4.3
// Book 3 §10.3: records of SFI 1–10 enter the static data as the content of
// template 70), and read each record once. So:
//
//   - a record changed at its one reading (the expiry date pushed to 2035)
//     makes ODA fail — the signature was made over the original bytes — and
//     the changed value can only be used under a failed ODA, which forbids
//     offline approval;
//   - a record that would change from its second reading on never does:
//     the kernel does not read it again between reading and ODA.
func TestAttackRecordChanged(t *testing.T) {
	edit := attack.Edit{Tag: 0x5F24, Value: atkHex("351231")}
	for _, c := range []struct {
		name    string
		country string
		fromNth int
		oda     kernel.ODAMethod
		fails   bool
	}{
		{"changed at the reading, CDA", "US", 1, kernel.ODACDA, true},
		{"changed at the reading, SM2", "CN", 1, kernel.ODASM2, true},
		{"changed from a second reading, CDA", "US", 2, kernel.ODACDA, false},
		{"changed from a second reading, SM2", "CN", 2, kernel.ODASM2, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := atkNewSim(t)
			atkWarmUp(t, s, c.country)
			cfg := atkConfig(t, s, c.country)
			atkOffline(cfg)
			m := atkAttack(t, s, attack.ChangeRecord(2, 1, c.fromNth, edit))
			o, err := atkRun(t, context.Background(), cfg, m.mitm, kernel.Params{Amount: 2500})
			if err != nil {
				t.Fatal(err)
			}
			reads := 0
			for _, x := range m.seen.Exchanges() {
				if bytes.HasPrefix(x.Command, []byte{0x00, 0xB2, 0x01, 0x14}) {
					reads++
				}
			}
			if reads != 1 {
				t.Errorf("SFI 2 record 1 read %d times; want once", reads)
			}
			if o.ODA != c.oda {
				t.Fatalf("ODA %s, want %s", o.ODA, c.oda)
			}
			if !c.fails {
				if !o.ODAOK || o.Result != kernel.ResultApproved {
					t.Errorf("%s (%s), ODA ok %v (%s); want approved offline with ODA", o.Result, o.Reason, o.ODAOK, o.ODAError)
				}
				return
			}
			if o.ODAOK || !o.TVR.Has(emv.TVRCDAFailed) {
				t.Errorf("ODA ok %v, TVR %s; want CDA failed", o.ODAOK, o.TVR)
			}
			if o.Result == kernel.ResultApproved {
				t.Errorf("approved offline with a record that does not match its signature")
			}
		})
	}
}

// TestAttackReplayedATC: a cryptogram harvested or replayed carries an ATC
// the issuer has already seen — the pre-play of Bond, Choudary, Murdoch,
// Skorobogatov and Anderson, "Chip and Skim: cloning EMV cards with the
// pre-play attack" (IEEE S&P 2014, §V: issuers should check the ATC), and a
// card cloned with its counters. The terminal's part is to send the ATC
// (9F36) in DE 55; the issuer host (cardsim/issuer) declines an ATC that is
// not above the last one it saw.
func TestAttackReplayedATC(t *testing.T) {
	t.Run("authorisation resent", func(t *testing.T) {
		s := atkNewSim(t)
		cfg := atkConfig(t, s, "US")
		o, err := atkRun(t, context.Background(), cfg, s.card, kernel.Params{Amount: 2500})
		if err != nil || o.Result != kernel.ResultOnlineApproved {
			t.Fatalf("%s (%s) %v", o.Result, o.Reason, err)
		}
		req, _, _ := s.host.last()
		atc, ok := emv.Find(req.DE55, 0x9F36)
		if !ok || len(atc) != 2 || uint16(atc[0])<<8|uint16(atc[1]) != o.ATC {
			t.Fatalf("DE 55 ATC %X, outcome ATC %04X", atc, o.ATC)
		}
		rsp, err := s.issuer.Authorise(context.Background(), atkIssuerRequest(&req))
		if err != nil {
			t.Fatal(err)
		}
		if rsp.Approved || rsp.Reason != issuer.ReasonATCReplay || !rsp.ARQCValid {
			t.Errorf("replayed request: approved %v, %q (%s); want a valid ARQC declined as an ATC replay", rsp.Approved, rsp.Reason, rsp.Detail)
		}
	})
	t.Run("cloned card", func(t *testing.T) {
		s := atkNewSim(t)
		cfg := atkConfig(t, s, "US")
		for i := range 2 { // the genuine card is used twice
			if o, err := atkRun(t, context.Background(), cfg, s.card, kernel.Params{Amount: 2500}); err != nil || o.Result != kernel.ResultOnlineApproved {
				t.Fatalf("genuine transaction %d: %s (%s) %v", i+1, o.Result, o.Reason, err)
			}
			s.card.Reset()
		}
		clone := atkNewSim(t) // the same card file, with the counters it had when new
		o, err := atkRun(t, context.Background(), cfg, clone.card, kernel.Params{Amount: 2500})
		if err != nil {
			t.Fatal(err)
		}
		_, rsp, _ := s.host.last()
		if o.Result != kernel.ResultOnlineDeclined || rsp.Reason != issuer.ReasonATCReplay {
			t.Errorf("clone: %s (%s), issuer %q (%s); want online-declined as an ATC replay", o.Result, o.Reason, rsp.Reason, rsp.Detail)
		}
		if o.Reversal {
			t.Error("clone: reversal owed for a declined authorisation")
		}
	})
}
