package cryptogram

import (
	"bytes"
	"errors"
	"testing"
)

// Command MACs. Sources: knovichikhin/pyemv pyemv/sm.py docstrings
// (generate_command_mac, encrypt_command_data), tests/test_sm_hsm.py
// (Mastercard, VIS and CCD PIN change), tests/test_kd_hsm.py
// (test_derive_visa_sm_sk) and tests/test_cvn_hsm.py (Visa CVN 10, Interac
// CVN 133); DOMESTIC.md for SM4.
func TestScriptMACVectors(t *testing.T) {
	sk := h(t, "0123456789ABCDEFFEDCBA9876543210")
	unblock := ScriptCommand{CLA: 0x80, INS: 0x24}
	in := must[[]byte](t)(unblock.MACInput(h(t, "FFFF 1234567890123456"), 8))
	eqHex(t, "MAC input", in, "8424000008 FFFF 1234567890123456")
	eqHex(t, "docstring MAC", must[[]byte](t)(ScriptMAC(TDES, sk, in, 8)), "E07B8DF1B4184282")

	// test_sm_hsm.py test_generate_command_mac: SMI via the common session
	// key with R = ABCDEF1234567890.
	r := h(t, "ABCDEF1234567890")
	mkSMI := must[[]byte](t)(DeriveICCMasterKey(sk, "1234567890123456", "01", OptionA))
	skSMI := must[[]byte](t)(DeriveCommonSessionKey(TDES, mkSMI, r))
	if got := kcv(t, skSMI, 3); got != "F088F8" {
		t.Errorf("SMI SK KCV %s, want F088F8", got)
	}
	eqHex(t, "CCD unblock", must[[]byte](t)(SecureScriptCommand(TDES, skSMI, unblock, nil, 8)), "8424000008 CF323F09A0F6AB9E")

	// test_kd_hsm.py test_derive_visa_sm_sk and test_cvn_hsm.py CVN 10:
	// APPLICATION UNBLOCK with ATC ‖ ARQC between header and data.
	mk := must[[]byte](t)(DeriveICCMasterKey(h(t, "FEDCBA98765432100123456789ABCDEF"), "1234567890123456", "", OptionA))
	if got := kcv(t, mk, 2); got != "F010" {
		t.Errorf("SMI MK KCV %s, want F010", got)
	}
	skSM := must[[]byte](t)(DeriveSessionKeyVisaSM(mk, h(t, "001C")))
	if got := kcv(t, skSM, 2); got != "DB10" {
		t.Errorf("Visa SM SK KCV %s, want DB10", got)
	}
	appUnblock := ScriptCommand{CLA: 0x80, INS: 0x18}
	eqHex(t, "VIS app unblock", must[[]byte](t)(SecureScriptCommand(TDES, skSM, appUnblock, h(t, "001C 29CCA15AE665FA2E"), 8)),
		"8418000008 DB56BA60087CEFD3")

	// DOMESTIC.md: SM4 PUT DATA with ATC ‖ cryptogram, 4-byte MAC.
	skSM4 := h(t, "B6FA9E085B5773C1E3AA2E4738831F73")
	put := ScriptCommand{CLA: 0x00, INS: 0xDA, P1: 0x9F, P2: 0x79, Data: h(t, "000000100099")}
	eqHex(t, "SM4 PUT DATA", must[[]byte](t)(SecureScriptCommand(SM4, skSM4, put, h(t, "0003 35304180BE2CBD3F"), 4)),
		"04DA9F790A 000000100099 95FD68F5")
}

func TestPINChangeVectors(t *testing.T) {
	r := h(t, "ABCDEF1234567890")
	mkSMC := must[[]byte](t)(DeriveICCMasterKey(h(t, "11111111111111112222222222222222"), "1234567890123456", "01", OptionA))
	mkSMI := must[[]byte](t)(DeriveICCMasterKey(h(t, "0123456789ABCDEFFEDCBA9876543210"), "1234567890123456", "01", OptionA))
	skSMC := must[[]byte](t)(DeriveCommonSessionKey(TDES, mkSMC, r))
	skSMI := must[[]byte](t)(DeriveCommonSessionKey(TDES, mkSMI, r))
	if got := kcv(t, skSMC, 3); got != "D694B8" {
		t.Errorf("SMC SK KCV %s, want D694B8", got)
	}

	// Mastercard: CBC, no padding for a whole block; PIN CHANGE 84 24 00 02.
	for _, c := range []struct{ block, enc, mac string }{
		{"249999FFFFFFFFFF", "28367E05DE3381C2", "8C4D10091A093B5B"},
		{"2C999999999999FF", "99AD3AF9EB3ECF0C", "1471D88C6393BE21"},
	} {
		enc := must[[]byte](t)(EncryptPINChange(TDES, skSMC, h(t, c.block), CBCPadIfNeeded))
		eqHex(t, "Mastercard PIN", enc, c.enc)
		cmd := ScriptCommand{CLA: 0x80, INS: 0x24, P2: 0x02, Data: enc}
		eqHex(t, "Mastercard command", must[[]byte](t)(SecureScriptCommand(TDES, skSMI, cmd, nil, 8)), "8424000210"+c.enc+c.mac)
	}

	// CCD: CBC, always padded. pyemv MACs the header 8424000210 literally
	// (its Lc does not count the 16 data bytes), so ScriptMAC is given that
	// exact input.
	enc := must[[]byte](t)(EncryptPINChange(TDES, skSMC, h(t, "249999FFFFFFFFFF"), CBCPadded))
	eqHex(t, "CCD PIN", enc, "28367E05DE3381C29D30A6055A8DEB86")
	eqHex(t, "CCD MAC", must[[]byte](t)(ScriptMAC(TDES, skSMI, append(h(t, "8424000210"), enc...), 8)), "69DA1EE208823022")

	// VIS: length byte, padding, ECB, Visa SM keys (ATC FFFF); PIN block
	// given by the test. Same literal-header remark.
	visSMC := must[[]byte](t)(DeriveSessionKeyVisaSM(mkSMC, h(t, "FFFF")))
	visSMI := must[[]byte](t)(DeriveSessionKeyVisaSM(mkSMI, h(t, "FFFF")))
	if got := kcv(t, visSMC, 3); got != "BD7C46" {
		t.Errorf("VIS SMC KCV %s, want BD7C46", got)
	}
	enc = must[[]byte](t)(EncryptPINChange(TDES, visSMC, h(t, "049999FFC4B001F1"), ECBWithLength))
	eqHex(t, "VIS PIN", enc, "D421231A6FD2F0FAEE671384F0D3A7B9")
	eqHex(t, "VIS MAC", must[[]byte](t)(ScriptMAC(TDES, visSMI, append(h(t, "8424000210"), enc...), 8)), "F67E37E67B06AB99")

	// pyemv/sm.py encrypt_command_data docstring.
	eqHex(t, "docstring", must[[]byte](t)(EncryptScriptData(TDES, h(t, "0123456789ABCDEFFEDCBA9876543210"), h(t, "241234FFFFFFFFFF"), CBCPadIfNeeded)),
		"9859240AE52820C3")
}

// Whole PIN CHANGE commands from pyemv tests/test_cvn_hsm.py: Visa CVN 10
// (VIS PIN block, Visa SM keys, ATC ‖ ARQC in the MAC) and Interac CVN 133
// (format 2 PIN block, SM keys from the ARQC, Mastercard encipherment).
func TestPINChangeCommands(t *testing.T) {
	imkAC := h(t, "0123456789ABCDEFFEDCBA9876543210")
	imkSMI := h(t, "FEDCBA98765432100123456789ABCDEF")
	imkSMC := h(t, "89ABCDEF0123456776543210FEDCBA98")
	derive := func(imk []byte) []byte {
		return must[[]byte](t)(DeriveICCMasterKey(imk, "1234567890123456", "00", OptionA))
	}
	mkAC, mkSMI, mkSMC := derive(imkAC), derive(imkSMI), derive(imkSMC)
	if got := kcv(t, mkSMC, 2); got != "B154" {
		t.Errorf("SMC MK KCV %s, want B154", got)
	}
	atc, arqc := h(t, "001C"), h(t, "29CCA15AE665FA2E")

	// The VIS PIN block (pyemv/sm.py format_vis_pin_block): (00·4 ‖ MK_AC
	// bytes 4–7) ⊕ (PIN length ‖ PIN ‖ F padding).
	vis := h(t, "049999FFFFFFFFFF")
	xorInto(vis[4:], vis[4:], mkAC[4:8])
	skSMC := must[[]byte](t)(DeriveSessionKeyVisaSM(mkSMC, atc))
	skSMI := must[[]byte](t)(DeriveSessionKeyVisaSM(mkSMI, atc))
	enc := must[[]byte](t)(EncryptPINChange(TDES, skSMC, vis, ECBWithLength))
	cmd := ScriptCommand{CLA: 0x80, INS: 0x24, P2: 0x02, Data: enc}
	txn := append(append([]byte{}, atc...), arqc...)
	eqHex(t, "CVN 10 PIN change", must[[]byte](t)(SecureScriptCommand(TDES, skSMI, cmd, txn, 8)),
		"8424000218 BB221AF527377A2811D2B6EBC396A939 1A965A5CB2CE62DA")

	// Interac CVN 133.
	arqc133 := h(t, "18932FECA2D84326")
	skSMI = must[[]byte](t)(DeriveCommonSessionKey(TDES, mkSMI, arqc133))
	skSMC = must[[]byte](t)(DeriveCommonSessionKey(TDES, mkSMC, arqc133))
	if got := kcv(t, skSMI, 2); got != "08DF" {
		t.Errorf("CVN 133 SMI KCV %s, want 08DF", got)
	}
	eqHex(t, "CVN 133 unblock MAC", must[[]byte](t)(SecureScriptCommand(TDES, skSMI, ScriptCommand{CLA: 0x80, INS: 0x24}, nil, 8)),
		"8424000008 B574ABB0A485A330")
	enc = must[[]byte](t)(EncryptPINChange(TDES, skSMC, h(t, "249999FFFFFFFFFF"), CBCPadIfNeeded))
	cmd = ScriptCommand{CLA: 0x80, INS: 0x24, P2: 0x02, Data: enc}
	eqHex(t, "CVN 133 PIN change", must[[]byte](t)(SecureScriptCommand(TDES, skSMI, cmd, nil, 8)),
		"8424000210 382F36D5920D2391 5CC7573F770298C9")
}

func TestVerifyScriptCommand(t *testing.T) {
	sk := h(t, "B6FA9E085B5773C1E3AA2E4738831F73")
	txn := h(t, "0003 35304180BE2CBD3F")
	apdu := h(t, "04DA9F790A 000000100099 95FD68F5")
	c, err := VerifyScriptCommand(SM4, sk, apdu, txn, 4)
	if err != nil {
		t.Fatal(err)
	}
	if c.CLA != 0 || c.INS != 0xDA || c.P1 != 0x9F || c.P2 != 0x79 || !bytes.Equal(c.Data, h(t, "000000100099")) {
		t.Errorf("command %+v", c)
	}
	for i := range apdu {
		if i == 0 || i == 4 { // CLA bit and Lc have their own errors below
			continue
		}
		bad := append([]byte{}, apdu...)
		bad[i] ^= 0x10
		if _, err := VerifyScriptCommand(SM4, sk, bad, txn, 4); !errors.Is(err, ErrMACMismatch) {
			t.Errorf("flipped byte %d: %v", i, err)
		}
	}
	if _, err := VerifyScriptCommand(SM4, sk, apdu, h(t, "0004 35304180BE2CBD3F"), 4); !errors.Is(err, ErrMACMismatch) {
		t.Errorf("other ATC: %v", err)
	}
	noSM := append([]byte{}, apdu...)
	noSM[0] = 0x00
	if _, err := VerifyScriptCommand(SM4, sk, noSM, txn, 4); !errors.Is(err, ErrMACMismatch) {
		t.Errorf("CLA without SM bit: %v", err)
	}
	for _, bad := range [][]byte{apdu[:4], apdu[:len(apdu)-1], h(t, "04DA9F7902 0102")} {
		if _, err := VerifyScriptCommand(SM4, sk, bad, txn, 4); !errors.Is(err, ErrLength) {
			t.Errorf("%X: %v", bad, err)
		}
	}
	if _, err := VerifyScriptCommand(SM4, sk, apdu, txn, 3); !errors.Is(err, ErrLength) {
		t.Errorf("MAC length 3: %v", err)
	}
}

func TestScriptDataRoundTrip(t *testing.T) {
	keys := map[Algorithm][]byte{TDES: h(t, "0123456789ABCDEFFEDCBA9876543210"), AES: make([]byte, 32), SM4: make([]byte, 16)}
	for alg, k := range keys {
		for _, mode := range []Encipherment{ECBWithLength, CBCPadded, CBCPadIfNeeded} {
			for n := 0; n <= 33; n++ {
				data := bytes.Repeat([]byte{0xA5}, n)
				ct := must[[]byte](t)(EncryptScriptData(alg, k, data, mode))
				if len(ct)%alg.BlockSize() != 0 || len(ct) == 0 {
					t.Fatalf("%v mode %d n %d: %d bytes", alg, mode, n, len(ct))
				}
				pt := must[[]byte](t)(DecryptScriptData(alg, k, ct, mode))
				if mode == CBCPadIfNeeded {
					pt = pt[:n]
				}
				if !bytes.Equal(pt, data) {
					t.Errorf("%v mode %d n %d: round trip %X", alg, mode, n, pt)
				}
			}
		}
	}
}

func TestScriptDataErrors(t *testing.T) {
	k := h(t, "0123456789ABCDEFFEDCBA9876543210")
	// A block of zeros enciphered: its plaintext has neither a valid length
	// byte followed by padding nor method 2 padding.
	zero := must[[]byte](t)(EncryptScriptData(TDES, k, make([]byte, 8), CBCPadIfNeeded))
	for _, mode := range []Encipherment{ECBWithLength, CBCPadded} {
		if _, err := DecryptScriptData(TDES, k, zero, mode); !errors.Is(err, ErrPadding) {
			t.Errorf("mode %d: %v", mode, err)
		}
	}
	if _, err := DecryptScriptData(TDES, k, make([]byte, 7), CBCPadded); !errors.Is(err, ErrLength) {
		t.Errorf("7 bytes: %v", err)
	}
	if _, err := DecryptScriptData(TDES, k, nil, CBCPadded); !errors.Is(err, ErrLength) {
		t.Errorf("empty: %v", err)
	}
	if _, err := EncryptScriptData(TDES, k, nil, Encipherment(9)); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("mode 9: %v", err)
	}
	if _, err := DecryptScriptData(TDES, k, zero, Encipherment(9)); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("decrypt mode 9: %v", err)
	}
	if _, err := EncryptScriptData(TDES, k, make([]byte, 256), ECBWithLength); !errors.Is(err, ErrLength) {
		t.Errorf("256 bytes: %v", err)
	}
	if _, err := EncryptPINChange(TDES, k, make([]byte, 9), CBCPadded); !errors.Is(err, ErrLength) {
		t.Errorf("9-byte PIN block: %v", err)
	}
	if _, err := (ScriptCommand{Data: make([]byte, 250)}).MACInput(nil, 8); !errors.Is(err, ErrLength) {
		t.Errorf("Lc over 255: %v", err)
	}
	if _, err := ScriptMAC(TDES, k, nil, 9); !errors.Is(err, ErrLength) {
		t.Errorf("MAC length 9: %v", err)
	}
}
