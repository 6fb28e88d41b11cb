package oda

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// ErrKeyFile is wrapped by every error about a malformed CA key file.
var ErrKeyFile = errors.New("malformed CA key file")

// ErrChecksum: a CA key's checksum does not match its RID, index, modulus
// and exponent.
var ErrChecksum = errors.New("CA key checksum mismatch")

// CAKey is a certification authority public key.
type CAKey struct {
	RID   [5]byte
	Index byte
	// Expiry is the last day the key may be used; the zero Time means
	// none (written 000000).
	Expiry time.Time
	Key    PublicKey
	// Checksum is the key's SHA-1 check value (SM3 for SM2 keys, see
	// Checksum), as it was loaded or computed.
	Checksum []byte
}

// ComputeChecksum returns the key's check value. For RSA it is EMV's SHA-1
// over RID ‖ index ‖ modulus ‖ exponent (Book 2 §11.2.2 and the CA key
// tables of the schemes). For SM2 no public definition was found: this
// package uses SM3 over RID ‖ index ‖ X ‖ Y and writes it with the
// algorithm word "sm3" — a convention of its own, documented here.
func (k *CAKey) ComputeChecksum() []byte {
	if k.Key.Algorithm == SM2 {
		h := sm3.New()
		h.Write(k.RID[:])
		h.Write([]byte{k.Index})
		h.Write(k.Key.Modulus)
		return h.Sum(nil)
	}
	h := sha1.New()
	h.Write(k.RID[:])
	h.Write([]byte{k.Index})
	h.Write(k.Key.Modulus)
	h.Write(k.Key.Exponent)
	return h.Sum(nil)
}

// checksumAlgorithm is the word written before the checksum.
func (k *CAKey) checksumAlgorithm() string {
	if k.Key.Algorithm == SM2 {
		return "sm3"
	}
	return "sha1"
}

// ExpiredAt reports whether the key may no longer be used on date.
func (k CAKey) ExpiredAt(date time.Time) bool {
	return !k.Expiry.IsZero() && day(date).After(k.Expiry)
}

// String names the key as RID/index, e.g. "A000000004/05".
func (k *CAKey) String() string { return fmt.Sprintf("%X/%02X", k.RID, k.Index) }

// MarshalText writes the key as one line of the capk.txt format, in the
// lower-case, colon-separated style of emv-tools and Proxmark3:
//
//	a0:00:00:00:03 01 091231 rsa 03 c6:96:…:75 sha1 d3:4a:…:cc
func (k *CAKey) MarshalText() ([]byte, error) {
	exp := "000000"
	if !k.Expiry.IsZero() {
		exp = k.Expiry.Format("060102")
	}
	e := "00"
	if k.Key.Algorithm == RSA {
		e = colonHex(k.Key.Exponent)
	}
	return fmt.Appendf(nil, "%s %02x %s %s %s %s %s %s", colonHex(k.RID[:]), k.Index, exp,
		k.Key.Algorithm, e, colonHex(k.Key.Modulus), k.checksumAlgorithm(), colonHex(k.ComputeChecksum())), nil
}

func colonHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(':')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

// parseHexField decodes hex written with or without colons, any case.
func parseHexField(s string) ([]byte, error) {
	return hex.DecodeString(strings.ReplaceAll(s, ":", ""))
}

// KeyFileError is an error in a CA key file, with the line (1-based) or,
// for JSON, the key's position (1-based) it concerns.
type KeyFileError struct {
	Line int
	Err  error
}

func (e *KeyFileError) Error() string {
	return fmt.Sprintf("oda: CA key file: line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause (wrapping ErrKeyFile, ErrChecksum, ErrExponent or
// ErrInvalidKey).
func (e *KeyFileError) Unwrap() error { return e.Err }

// ParseCAKeys reads CA keys in the capk.txt text format, one per line:
//
//	RID INDEX EXPIRY ALGORITHM EXPONENT MODULUS CHECKSUM-ALGORITHM CHECKSUM
//
// with hex fields written with or without colons, EXPIRY as YYMMDD (000000:
// none), ALGORITHM rsa or sm2 (for sm2 the exponent is 00 and the modulus
// field is the point X‖Y), and the checksum algorithm sha1 (RSA) or sm3
// (SM2, see CAKey.ComputeChecksum). Blank lines and lines starting with #
// are skipped. Every key's checksum is checked; the first error names its
// line.
func ParseCAKeys(r io.Reader) ([]CAKey, error) {
	keys, _, _, err := parseCAKeys(r)
	return keys, err
}

// parseCAKeys also returns each key's line and the kind a
// "# kind: test|production" comment declares (0 if none).
func parseCAKeys(r io.Reader) (keys []CAKey, lines []int, kind Kind, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			if k, ok := kindDirective(line); ok {
				kind = k
			}
			continue
		}
		k, err := parseCAKeyLine(line)
		if err != nil {
			return nil, nil, 0, &KeyFileError{Line: n, Err: err}
		}
		keys = append(keys, k)
		lines = append(lines, n)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, 0, fmt.Errorf("oda: CA key file: %w", err)
	}
	return keys, lines, kind, nil
}

func kindDirective(line string) (Kind, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "#")), "kind:")
	if !ok {
		return 0, false
	}
	var k Kind
	if k.UnmarshalText([]byte(strings.TrimSpace(rest))) != nil {
		return 0, false
	}
	return k, true
}

func parseCAKeyLine(line string) (CAKey, error) {
	f := strings.Fields(line)
	if len(f) != 8 {
		return CAKey{}, fmt.Errorf("%w: %d fields, want 8 (rid index expiry algorithm exponent modulus checksum-algorithm checksum)", ErrKeyFile, len(f))
	}
	var alg Algorithm
	switch strings.ToLower(f[3]) {
	case "rsa":
		alg = RSA
	case "sm2":
		alg = SM2
	default:
		return CAKey{}, fmt.Errorf("%w: algorithm %q is not rsa or sm2", ErrKeyFile, f[3])
	}
	return newCAKey(f[0], f[1], f[2], alg, f[4], f[5], f[6], f[7])
}

// newCAKey builds and checks a key from its textual fields (shared by the
// text and JSON forms). An empty sumS means
// "no checksum given": it is computed instead of checked.
func newCAKey(ridS, indexS, expS string, alg Algorithm, expoS, modS, sumAlg, sumS string) (CAKey, error) {
	var k CAKey
	rid, err := parseHexField(ridS)
	if err != nil || len(rid) != 5 {
		return k, fmt.Errorf("%w: RID %q is not 5 hex bytes", ErrKeyFile, ridS)
	}
	copy(k.RID[:], rid)
	idx, err := parseHexField(indexS)
	if err != nil || len(idx) != 1 {
		return k, fmt.Errorf("%w: index %q is not one hex byte", ErrKeyFile, indexS)
	}
	k.Index = idx[0]
	if expS != "000000" {
		if k.Expiry, err = parseYYMMDD(expS); err != nil {
			return k, fmt.Errorf("%w: expiry: %v", ErrKeyFile, err)
		}
	}
	mod, err1 := parseHexField(modS)
	expo, err2 := parseHexField(expoS)
	if err1 != nil || err2 != nil {
		return k, fmt.Errorf("%w: exponent or modulus is not hex", ErrKeyFile)
	}
	if alg == SM2 {
		if !bytes.Equal(expo, []byte{0}) {
			return k, fmt.Errorf("%w: an sm2 key's exponent field must be 00, not %q", ErrKeyFile, expoS)
		}
		k.Key, err = NewSM2PublicKey(mod)
	} else {
		k.Key, err = NewRSAPublicKey(mod, expo)
	}
	if err != nil {
		return k, fmt.Errorf("key %s: %w", &k, err)
	}
	if sumS == "" { // the JSON form may leave the checksum out
		k.Checksum = k.ComputeChecksum()
		return k, nil
	}
	err = k.setChecksum(sumAlg, sumS)
	return k, err
}

// setChecksum checks a loaded checksum against the computed one.
func (k *CAKey) setChecksum(alg, s string) error {
	if want := k.checksumAlgorithm(); !strings.EqualFold(alg, want) {
		return fmt.Errorf("%w: key %s: checksum algorithm %q, want %q", ErrKeyFile, k, alg, want)
	}
	sum, err := parseHexField(s)
	if err != nil {
		return fmt.Errorf("%w: key %s: checksum is not hex", ErrKeyFile, k)
	}
	if got := k.ComputeChecksum(); !bytes.Equal(sum, got) {
		return fmt.Errorf("%w: key %s: file says %X, key gives %X", ErrChecksum, k, sum, got)
	}
	k.Checksum = sum
	return nil
}
