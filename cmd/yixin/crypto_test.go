package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/yixin-emv/yixin/emv/pin"
)

// runYixin runs the command in-process and returns its exit status, standard
// output and standard error.
func runYixin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{ctx: context.Background(), args: args, stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
	return code, out.String(), errb.String()
}

// Every expected value is a published vector (shared/refs/VECTORS.md and
// the package tests): knovichikhin/pyemv tests/test_kd_hsm.py,
// test_ac_hsm.py, test_cvn_hsm.py and docstrings; ilya-dubinsky/cfpp
// c/test/test_pin.c; DOMESTIC.md (SM4 session key); RFC 4493 (AES-CMAC).
func TestCryptoVectors(t *testing.T) {
	const imk = "0123456789ABCDEFFEDCBA9876543210"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"mk option a", []string{"mk", "--imk", imk, "--pan", "12345678901234567", "--psn", "45", "--option", "a"}, "946DC1A8C78A624519BC4645CB073737"},
		{"mk equal halves", []string{"mk", "--imk", "0123456789ABCDEF0123456789ABCDEF", "--pan", "43219876543210987", "--psn", "00", "--option", "a"}, "C8B507136D921FD05864C81F79F2D30B"},
		{"mk option b", []string{"mk", "--imk", imk, "--pan", "12345678901234567", "--psn", "45", "--option", "b"}, "F767ECC2263B2C543775CB62AB6B57D6"},
		{"mk default b for 17 digits", []string{"mk", "--imk", imk, "--pan", "12345678901234567", "--psn", "45"}, "F767ECC2263B2C543775CB62AB6B57D6"},
		{"mk option B upper", []string{"mk", "--imk", imk, "--pan", "000000000000000005", "--psn", "23", "--option", "B"}, "2608BAA2378C92DAE0948A97E0CD230B"},
		{"mk default a, default psn, lower hex", []string{"mk", "--imk", strings.ToLower(imk), "--pan", "1234567890123456"}, "154F349D8585CB7F6B0798E9839B10C1"},
		{"sk tdes", []string{"sk", "--mk", imk, "--atc", "001C"}, "E9FB384AF807B940FEDCEA613461B0C4"},
		{"sk cvn 18", []string{"sk", "--mk", "154F349D8585CB7F6B0798E9839B10C1", "--atc", "001c", "--alg", "tdes"}, "436B942AD637E08564B532B0EC97CB26"},
		{"sk sm4", []string{"sk", "--mk", "8B4F854F0831FBF2635A212E4DDDB92A", "--atc", "0003", "--alg", "sm4"}, "B6FA9E085B5773C1E3AA2E4738831F73"},
		{"ac arqc", []string{"ac", "--key", "29B33180E567CE38EA4CBC9D753B0E61", "--data", "0123456789ABCDEF0123456789ABCDEF"}, "FA624250B008B59A"},
		{"ac cvn 18", []string{"ac", "--key", "436B942AD637E08564B532B0EC97CB26", "--data", "0000000040000000000000000124800004800001241911050152BF45851800001C06011203A0B800", "--pad", "2"}, "7A788EA6B8A3E733"},
		{"ac cvn 10 pad 1", []string{"ac", "--key", "154F349D8585CB7F6B0798E9839B10C1", "--data", "0000000040000000000000000124800004800001241911050152BF45851800001C03A06010", "--pad", "1"}, "29CCA15AE665FA2E"},
		{"ac hello world pad 1", []string{"ac", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--data", hex.EncodeToString([]byte("hello world")), "--pad", "1"}, "78DA3D3DEB48FD4D"},
		{"ac hello world pad 2", []string{"ac", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--data", hex.EncodeToString([]byte("hello world"))}, "2BC2D9EDE0CF31F6"},
		{"ac aes", []string{"ac", "--key", "2B7E151628AED2A6ABF7158809CF4F3C", "--data", "6BC1BEE22E409F96E93D7E117393172A", "--alg", "aes"}, "070A16B46B4D4144"},
		{"arpc 1", []string{"arpc", "--key", "29B33180E567CE38EA4CBC9D753B0E61", "--arqc", "FA624250B008B59A", "--method", "1", "--arc", "0000"}, "45D4255EEF10C920"},
		{"arpc 1 cvn 10", []string{"arpc", "--key", "154F349D8585CB7F6B0798E9839B10C1", "--arqc", "29CCA15AE665FA2E", "--method", "1", "--arc", "3030"}, "28993816AFAE4AEB"},
		{"arpc 2", []string{"arpc", "--key", "29B33180E567CE38EA4CBC9D753B0E61", "--arqc", "FA624250B008B59A", "--method", "2", "--csu", "00000000"}, "CB56FA40"},
		{"arpc 2 cvn 18", []string{"arpc", "--key", "436B942AD637E08564B532B0EC97CB26", "--arqc", "7A788EA6B8A3E733", "--method", "2", "--csu", "00000000"}, "9AF514C1"},
		{"pinblock 0", []string{"pinblock", "--format", "0", "--pin", "1234", "--pan", "0123456789012345"}, "041200A9876FEDCB"},
		{"pinblock 0 five digits", []string{"pinblock", "--format", "0", "--pin", "12345", "--pan", "0123456789012345"}, "05120009876FEDCB"},
		{"pinblock 2", []string{"pinblock", "--format", "2", "--pin", "9999"}, "249999FFFFFFFFFF"},
		{"pinblock 2 twelve digits", []string{"pinblock", "--format", "2", "--pin", "123456789012"}, "2C123456789012FF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runYixin(t, append([]string{"crypto"}, tt.args...)...)
			if code != exitOK || out != tt.want+"\n" || errs != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0, %q", code, out, errs, tt.want+"\n")
			}
		})
	}
}

// A whole issuer-side chain through the command line, from pyemv
// tests/test_kd_hsm.py test_derive_icc_mk_b_sha_pad: Option B master key,
// session key, ARQC, ARPC method 2 with proprietary data.
func TestCryptoChain(t *testing.T) {
	step := func(args ...string) string {
		t.Helper()
		code, out, errs := runYixin(t, append([]string{"crypto"}, args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
		return strings.TrimSpace(out)
	}
	mk := step("mk", "--imk", "0123456789ABCDEFFEDCBA9876543210", "--pan", "000000000000000005", "--psn", "23")
	sk := step("sk", "--mk", mk, "--atc", "001C")
	arqc := step("ac", "--key", sk, "--data", "0000000040000000000000000124800004800001241911050152BF45851800001C06011203A0B800")
	if arqc != "8CAD6F2489C640B1" {
		t.Errorf("ARQC %s, want 8CAD6F2489C640B1", arqc)
	}
	if arpc := step("arpc", "--key", sk, "--arqc", arqc, "--method", "2", "--csu", "00000000", "--prop", "12345678"); arpc != "E39F1876" {
		t.Errorf("ARPC %s, want E39F1876", arpc)
	}
}

// Formats 1, 3 and 4 have random fill: check what they print reads back.
func TestCryptoRandomPINBlocks(t *testing.T) {
	const pan, key = "5555555551234567", "00112233445566778899AABBCCDDEEFF"
	for _, args := range [][]string{
		{"--format", "1", "--pin", "12345"},
		{"--format", "3", "--pin", "12345", "--pan", pan},
		{"--format", "4", "--pin", "12345", "--pan", pan, "--key", key},
	} {
		code, out, errs := runYixin(t, append([]string{"crypto", "pinblock"}, args...)...)
		if code != exitOK || errs != "" {
			t.Fatalf("%v: exit %d, %s", args, code, errs)
		}
		line := strings.TrimSpace(out)
		if line != strings.ToUpper(line) {
			t.Errorf("%v: output %q is not upper case", args, line)
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatalf("%v: output %q: %v", args, line, err)
		}
		var got string
		if args[1] == "4" {
			k, _ := hex.DecodeString(key)
			got, err = pin.DecipherFormat4(k, b, pan)
		} else {
			got, _, err = pin.Parse(b, pan)
		}
		if err != nil || got != "12345" {
			t.Errorf("%v: %X reads back as %q, %v", args, b, got, err)
		}
	}
}

func TestCryptoBadArguments(t *testing.T) {
	const key = "0123456789ABCDEFFEDCBA9876543210"
	tests := [][]string{
		{},
		{"bogus"},
		{"mk"},
		{"mk", "--pan", "1234567890123456"},
		{"mk", "--imk", key},
		{"mk", "--imk", "XYZ", "--pan", "1234567890123456"},
		{"mk", "--imk", "0123456789ABCDEFFEDCBA987654321", "--pan", "1234567890123456"},
		{"mk", "--imk", key[:16], "--pan", "1234567890123456"},
		{"mk", "--imk", key, "--pan", "12345678901234X6"},
		{"mk", "--imk", key, "--pan", "1234567890123456", "--psn", "1"},
		{"mk", "--imk", key, "--pan", "1234567890123456", "--option", "c"},
		{"mk", "--imk", key, "--pan", "1234567890123456", "--alg", "aes"},
		{"mk", "--imk", key, "--pan", "1234567890123456", "extra"},
		{"mk", "--imk", key, "--pan", "1234567890123456", "--bogus"},
		{"sk", "--mk", key, "--atc", "00001C"},
		{"sk", "--mk", key, "--atc", "001C", "--alg", "des"},
		{"sk", "--mk", key},
		{"ac", "--key", key},
		{"ac", "--key", key, "--data", "00", "--pad", "3"},
		{"ac", "--key", key[:30], "--data", "00"},
		{"ac", "--key", key, "--data", "00", "--alg", "sm4", "--pad", "0"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B59A", "--method", "3"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B59A", "--arc", "0000"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B59A", "--method", "1"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B59A", "--method", "1", "--arc", "0000", "--csu", "00000000"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B59A", "--method", "2", "--arc", "0000"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B59A", "--method", "2", "--csu", "00000000", "--prop", "000000000000000000"},
		{"arpc", "--key", key, "--arqc", "FA624250B008B5", "--method", "1", "--arc", "0000"},
		{"pinblock", "--pin", "1234"},
		{"pinblock", "--format", "5", "--pin", "1234"},
		{"pinblock", "--format", "0", "--pin", "1234"},
		{"pinblock", "--format", "2", "--pin", "1234", "--pan", "5555555551234567"},
		{"pinblock", "--format", "2", "--pin", "123"},
		{"pinblock", "--format", "2"},
		{"pinblock", "--format", "0", "--pin", "1234", "--pan", "5555555551234567", "--key", key},
		{"pinblock", "--format", "4", "--pin", "1234", "--pan", "5555555551234567"},
		{"pinblock", "--format", "4", "--pin", "1234", "--pan", "5555555551234567", "--key", key[:20]},
		{"pinblock", "--format", "x", "--pin", "1234"},
	}
	for _, args := range tests {
		code, out, errs := runYixin(t, append([]string{"crypto"}, args...)...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, "yixin: ") {
			t.Errorf("crypto %v: exit %d, stdout %q, stderr %q; want exit 2, a \"yixin: \" line", args, code, out, errs)
		}
		first, _, _ := strings.Cut(errs, "\n")
		if strings.Contains(strings.ToUpper(first), key[:16]) || strings.Contains(first, "1234567890123456") {
			t.Errorf("crypto %v: error line %q echoes a key or PAN", args, first)
		}
	}
}

func TestCryptoHelp(t *testing.T) {
	for _, args := range [][]string{{"crypto", "help"}, {"crypto", "-h"}, {"crypto", "mk", "-h"}, {"crypto", "pinblock", "--help"}} {
		code, out, errs := runYixin(t, args...)
		if code != exitOK || !strings.HasPrefix(out, "usage: yixin crypto") || errs != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if _, out, _ := runYixin(t, "help"); !strings.Contains(out, "crypto") {
		t.Errorf("yixin help does not list crypto: %q", out)
	}
}
