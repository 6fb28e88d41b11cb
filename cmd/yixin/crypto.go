package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/pin"
)

// The "yixin crypto" subcommands are a stable contract for certification
// scripts: hex in (either case) and out (upper case, one value per line on
// standard output); any error is one line on standard error beginning
// "yixin: " followed by the subcommand's usage, with exit status 2.

const cryptoUsage = `usage: yixin crypto <subcommand> [flags]

subcommands:
  mk        ICC master key from an issuer master key (EMV Book 2 A1.4)
  sk        session key from an ICC master key and the ATC
  ac        8-byte application cryptogram (ARQC, TC, AAC)
  arpc      authorisation response cryptogram, method 1 or 2
  pinblock  ISO 9564-1 PIN block, formats 0 to 4

Run "yixin crypto <subcommand> -h" for its flags.
`

// cryptoSub is one "yixin crypto" subcommand: usage text, and a function
// that parses its flags and returns the bytes to print.
type cryptoSub struct {
	name, usage string
	run         func(e *env, fs *flag.FlagSet, args []string) ([]byte, error)
}

func cryptoSubs() []cryptoSub {
	return []cryptoSub{
		{"mk", usageMK, cryptoMK},
		{"sk", usageSK, cryptoSK},
		{"ac", usageAC, cryptoAC},
		{"arpc", usageARPC, cryptoARPC},
		{"pinblock", usagePINBlock, cryptoPINBlock},
	}
}

func runCrypto(e *env) int {
	subs := cryptoSubs()
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	i, code, done := pickSub(e, "crypto", cryptoUsage, names...)
	if done {
		return code
	}
	s := subs[i]
	fs := flag.NewFlagSet("yixin crypto "+s.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by fail, usage below
	out, err := s.run(e, fs, e.args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.WriteString(e.stdout, s.usage)
		return exitOK
	case err != nil:
		fail(e, "crypto %s: %v", s.name, err)
		io.WriteString(e.stderr, s.usage)
		return exitUsage
	}
	fmt.Fprintf(e.stdout, "%X\n", out)
	return exitOK
}

// parseFlags parses args and refuses positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// hexFlag decodes the value of a hex flag, which must be present unless
// optional. Its value is never echoed: it may be a key.
func hexFlag(name, value string, optional bool) ([]byte, error) {
	if value == "" {
		if optional {
			return nil, nil
		}
		return nil, fmt.Errorf("--%s is required", name)
	}
	b, err := hex.DecodeString(value)
	if err != nil {
		return nil, fmt.Errorf("--%s is not an even number of hex digits", name)
	}
	return b, nil
}

// hexFlags decodes several required hex flags in order.
func hexFlags(pairs ...string) ([][]byte, error) {
	out := make([][]byte, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		b, err := hexFlag(pairs[i], pairs[i+1], false)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

func algFlag(s string) (cryptogram.Algorithm, error) {
	a, err := cryptogram.ParseAlgorithm(s)
	if err != nil {
		return 0, fmt.Errorf("--alg %q: want tdes, aes or sm4", s)
	}
	return a, nil
}

const usageMK = `usage: yixin crypto mk --imk HEX --pan DIGITS [--psn NN] [--option a|b] [--alg tdes|sm4]

Prints the 16-byte ICC master key derived from the issuer master key (EMV
Book 2 Annex A1.4). --option defaults to a for PANs of up to 16 digits and
to b for longer ones; b on a PAN of 16 digits or fewer is a. --psn defaults
to 00. TDES keys are printed with odd parity. --alg sm4 uses the SM4 variant
SM4(IMK)[Y || not Y], an inference for the domestic application.
`

func cryptoMK(e *env, fs *flag.FlagSet, args []string) ([]byte, error) {
	imkHex := fs.String("imk", "", "issuer master key, hex")
	pan := fs.String("pan", "", "PAN digits")
	psn := fs.String("psn", "00", "PAN sequence number, 2 digits")
	option := fs.String("option", "", "a or b")
	alg := fs.String("alg", "tdes", "tdes or sm4")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	imk, err := hexFlag("imk", *imkHex, false)
	if err != nil {
		return nil, err
	}
	if *pan == "" {
		return nil, errors.New("--pan is required")
	}
	var opt cryptogram.Option
	switch strings.ToLower(*option) {
	case "":
		opt = cryptogram.OptionAuto
	case "a":
		opt = cryptogram.OptionA
	case "b":
		opt = cryptogram.OptionB
	default:
		return nil, fmt.Errorf("--option %q: want a or b", *option)
	}
	switch strings.ToLower(*alg) {
	case "tdes":
		return cryptogram.DeriveICCMasterKey(imk, *pan, *psn, opt)
	case "sm4":
		return cryptogram.DeriveICCMasterKeySM4(imk, *pan, *psn, opt)
	}
	return nil, fmt.Errorf("--alg %q: want tdes or sm4", *alg)
}

const usageSK = `usage: yixin crypto sk --mk HEX --atc HEX [--alg tdes|aes|sm4]

Prints the application cryptogram session key: the EMV common session key
(Book 2 Annex A1.3, R = ATC || 00..00) for tdes (the default) and aes, the
PBOC rule SM4(MK)[000000000000 || ATC || 000000000000 || not ATC] for sm4.
--atc is 2 bytes.
`

func cryptoSK(e *env, fs *flag.FlagSet, args []string) ([]byte, error) {
	mk := fs.String("mk", "", "ICC master key, hex")
	atc := fs.String("atc", "", "ATC, 2 bytes hex")
	alg := fs.String("alg", "tdes", "tdes, aes or sm4")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	v, err := hexFlags("mk", *mk, "atc", *atc)
	if err != nil {
		return nil, err
	}
	a, err := algFlag(*alg)
	if err != nil {
		return nil, err
	}
	return cryptogram.DeriveSessionKey(a, v[0], v[1])
}

const usageAC = `usage: yixin crypto ac --key HEX --data HEX [--alg tdes|aes|sm4] [--pad 1|2]

Prints the 8-byte application cryptogram over the data (the CDOL values,
concatenated) under the session key: the leftmost 8 bytes of the ISO/IEC
9797-1 algorithm 3 MAC for tdes (the default), of AES-CMAC for aes, of the
SM4 CBC-MAC for sm4. --pad is the ISO/IEC 9797-1 padding method, 2 by
default; aes ignores it (CMAC pads itself).
`

func cryptoAC(e *env, fs *flag.FlagSet, args []string) ([]byte, error) {
	key := fs.String("key", "", "session key, hex")
	data := fs.String("data", "", "data, hex")
	alg := fs.String("alg", "tdes", "tdes, aes or sm4")
	pad := fs.Int("pad", 2, "padding method 1 or 2")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	k, err := hexFlag("key", *key, false)
	if err != nil {
		return nil, err
	}
	d, err := hexFlag("data", *data, false)
	if err != nil {
		return nil, err
	}
	a, err := algFlag(*alg)
	if err != nil {
		return nil, err
	}
	if *pad != 1 && *pad != 2 {
		return nil, fmt.Errorf("--pad %d: want 1 or 2", *pad)
	}
	return cryptogram.GenerateAC(a, k, d, cryptogram.Padding(*pad))
}

const usageARPC = `usage: yixin crypto arpc --key HEX --arqc HEX --method 1 --arc HEX [--alg tdes|aes|sm4]
       yixin crypto arpc --key HEX --arqc HEX --method 2 --csu HEX [--prop HEX] [--alg tdes|aes|sm4]

Prints the ARPC (EMV Book 2 8.2) under the session key: method 1 gives 8
bytes from the ARQC (8 bytes) and the authorisation response code (--arc, 2
bytes); method 2 gives 4 bytes from the ARQC, the card status update (--csu,
4 bytes) and optional proprietary authentication data (--prop, 0 to 8
bytes).
`

func cryptoARPC(e *env, fs *flag.FlagSet, args []string) ([]byte, error) {
	key := fs.String("key", "", "session key, hex")
	arqc := fs.String("arqc", "", "ARQC, 8 bytes hex")
	method := fs.Int("method", 0, "1 or 2")
	arc := fs.String("arc", "", "authorisation response code, 2 bytes hex (method 1)")
	csu := fs.String("csu", "", "card status update, 4 bytes hex (method 2)")
	prop := fs.String("prop", "", "proprietary authentication data, hex (method 2)")
	alg := fs.String("alg", "tdes", "tdes, aes or sm4")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	v, err := hexFlags("key", *key, "arqc", *arqc)
	if err != nil {
		return nil, err
	}
	a, err := algFlag(*alg)
	if err != nil {
		return nil, err
	}
	switch *method {
	case 1:
		if *csu != "" || *prop != "" {
			return nil, errors.New("--csu and --prop belong to --method 2")
		}
		r, err := hexFlag("arc", *arc, false)
		if err != nil {
			return nil, err
		}
		return cryptogram.ARPCMethod1(a, v[0], v[1], r)
	case 2:
		if *arc != "" {
			return nil, errors.New("--arc belongs to --method 1")
		}
		c, err := hexFlag("csu", *csu, false)
		if err != nil {
			return nil, err
		}
		p, err := hexFlag("prop", *prop, true)
		if err != nil {
			return nil, err
		}
		return cryptogram.ARPCMethod2(a, v[0], v[1], c, p)
	}
	return nil, fmt.Errorf("--method %d: want 1 or 2", *method)
}

const usagePINBlock = `usage: yixin crypto pinblock --format 0|1|2|3 --pin DIGITS [--pan DIGITS]
       yixin crypto pinblock --format 4 --pin DIGITS --pan DIGITS --key HEX

Prints an ISO 9564-1 PIN block. The PIN has 4 to 12 digits. Formats 0 and 3
need --pan; formats 1 and 2 take none. Format 4 needs --pan and the AES key
(--key, 16, 24 or 32 bytes) and prints the enciphered 16-byte block, since a
format 4 block only exists enciphered. Formats 1, 3 and 4 contain random fill
(from the system's secure random source), so they differ from run to run.
`

func cryptoPINBlock(e *env, fs *flag.FlagSet, args []string) ([]byte, error) {
	format := fs.Int("format", -1, "0 to 4")
	p := fs.String("pin", "", "PIN digits")
	pan := fs.String("pan", "", "PAN digits (formats 0, 3, 4)")
	key := fs.String("key", "", "AES key, hex (format 4)")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if *format == -1 {
		return nil, errors.New("--format is required")
	}
	if *format < 0 || *format > 4 {
		return nil, fmt.Errorf("--format %d: want 0 to 4", *format)
	}
	if *p == "" {
		return nil, errors.New("--pin is required")
	}
	if *key != "" && *format != 4 {
		return nil, errors.New("--key belongs to --format 4")
	}
	needPAN := *format == 0 || *format == 3 || *format == 4
	switch {
	case needPAN && *pan == "":
		return nil, fmt.Errorf("--format %d needs --pan", *format)
	case !needPAN && *pan != "":
		return nil, fmt.Errorf("--format %d takes no --pan", *format)
	}
	var b pin.Block
	var err error
	switch *format {
	case 0:
		b, err = pin.Format0(*p, *pan)
	case 1:
		b, err = pin.Format1(*p, nil)
	case 2:
		b, err = pin.Format2(*p)
	case 3:
		b, err = pin.Format3(*p, *pan, nil)
	default: // 4
		var k []byte
		if k, err = hexFlag("key", *key, false); err == nil {
			b, err = pin.EncipherFormat4(k, *p, *pan, nil)
		}
	}
	return []byte(b), err
}
