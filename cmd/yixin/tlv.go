package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// maxTLVInput bounds the hex read from standard input (in characters), so
// that a runaway pipe cannot exhaust memory: 1 MiB of hex is far more than
// any card response.
const maxTLVInput = 1 << 20

const tlvUsage = `usage: yixin tlv [--json] [--reveal] [HEX ...]

Decodes BER-TLV data given as hex in the arguments (joined) or, without
arguments, on standard input. Spaces, newlines and colons between digits are
ignored. Prints an indented tree with tag names and, for bit-field tags
(82, 95, 9B, 9F07, 9F27, 9F33, 9F34, 9F35, 9F40, 9F66, 9F6C, 9F6E), the bits
that are set, in words.

Cardholder data (PAN, track 1 and 2, cardholder name, PIN data) is masked
unless --reveal is given, in the tree and in JSON alike; a masked JSON
object carries "masked": true and its value is then not hex.

  --json     print a JSON array of {"tag", "name", "value", "children"}
  --reveal   show cardholder data in clear

Exit status: 0 decoded, 1 malformed input, 2 bad arguments.
`

func runTLV(e *env) int {
	fs := flag.NewFlagSet("tlv", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	reveal := fs.Bool("reveal", false, "")
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, tlvUsage)
			return exitOK
		}
		fail(e, "tlv: %v (run \"yixin tlv -h\")", err)
		return exitUsage
	}
	text := strings.Join(fs.Args(), "")
	if fs.NArg() == 0 {
		in, err := io.ReadAll(io.LimitReader(e.stdin, maxTLVInput+1))
		if err != nil {
			fail(e, "tlv: reading standard input: %v", err)
			return exitFailure
		}
		if len(in) > maxTLVInput {
			fail(e, "tlv: standard input is longer than %d characters", maxTLVInput)
			return exitFailure
		}
		text = string(in)
	}
	data, err := parseHexInput(text)
	if err != nil {
		fail(e, "tlv: %v", err)
		return exitFailure
	}
	if len(data) == 0 {
		fail(e, "tlv: no data: give hex as arguments or on standard input")
		return exitFailure
	}
	objs, err := emv.Decode(data)
	if err != nil {
		fail(e, "tlv: %v", err)
		return exitFailure
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jsonObjects(objs, *reveal)); err != nil {
			fail(e, "tlv: %v", err)
			return exitFailure
		}
		return exitOK
	}
	printTree(e.stdout, objs, 0, *reveal)
	return exitOK
}

// parseHexInput decodes hex, ignoring whitespace and colons, and says at
// which character of the input a bad digit stands.
func parseHexInput(s string) ([]byte, error) {
	digits := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':':
			continue
		case (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'):
			digits = append(digits, c)
		default:
			return nil, fmt.Errorf("input is not hex: character %q at position %d", c, i)
		}
	}
	if len(digits)%2 != 0 {
		return nil, fmt.Errorf("input has an odd number of hex digits (%d)", len(digits))
	}
	out := make([]byte, len(digits)/2)
	if _, err := hex.Decode(out, digits); err != nil {
		return nil, fmt.Errorf("input is not hex: %v", err)
	}
	return out, nil
}

// maskedValue returns how a sensitive value is shown, and whether it was
// masked at all.
func maskedValue(t emv.Tag, v []byte, reveal bool) (string, bool) {
	el, known := emv.Lookup(t)
	if !reveal && t == 0x9F46 && len(v) > 11 && v[0] == 0x14 {
		// A PBOC SM2 ICC certificate (format 14) holds the PAN in clear
		// in bytes 2-11.
		h := strings.ToUpper(hex.EncodeToString(v))
		return h[:2] + strings.Repeat("*", 20) + h[22:], true
	}
	if reveal || !known || !el.Sensitive {
		return strings.ToUpper(hex.EncodeToString(v)), false
	}
	switch t {
	case 0x5A:
		if pan, err := emv.ParsePAN(v); err == nil {
			return emv.MaskPAN(pan), true
		}
	case 0x57:
		return emv.MaskTrack2(v), true
	}
	return fmt.Sprintf("<%d bytes masked>", len(v)), true
}

func printTree(w io.Writer, objs []emv.Object, depth int, reveal bool) {
	indent := strings.Repeat("  ", depth)
	for _, o := range objs {
		name := o.Tag.Name()
		if name == "" {
			name = "(unknown tag)"
		}
		if o.Children != nil {
			fmt.Fprintf(w, "%s%s %s (%d bytes)\n", indent, o.Tag, name, len(o.Value))
			printTree(w, o.Children, depth+1, reveal)
			continue
		}
		val, masked := maskedValue(o.Tag, o.Value, reveal)
		line := fmt.Sprintf("%s%s %s: %s", indent, o.Tag, name, val)
		if s, ok := printable(o.Tag, o.Value); ok && !masked {
			line += fmt.Sprintf(" %q", s)
		}
		fmt.Fprintln(w, line)
		if bits, ok := emv.DescribeBits(o.Tag, o.Value); ok {
			for _, b := range bits {
				fmt.Fprintf(w, "%s    - %s\n", indent, b)
			}
		}
	}
}

// printable returns the text of a/an/ans values that are plain ASCII.
func printable(t emv.Tag, v []byte) (string, bool) {
	el, ok := emv.Lookup(t)
	if !ok || len(v) == 0 || (el.Format != emv.FormatA && el.Format != emv.FormatAN && el.Format != emv.FormatANS) {
		return "", false
	}
	for _, c := range v {
		if c < 0x20 || c > 0x7E {
			return "", false
		}
	}
	return string(v), true
}

// jsonObject is the stable JSON form of one object.
type jsonObject struct {
	Tag      string       `json:"tag"`
	Name     string       `json:"name"`
	Value    string       `json:"value"`
	Masked   bool         `json:"masked,omitempty"`
	Bits     []string     `json:"bits,omitempty"`
	Children []jsonObject `json:"children,omitempty"`
}

func jsonObjects(objs []emv.Object, reveal bool) []jsonObject {
	out := make([]jsonObject, 0, len(objs))
	for _, o := range objs {
		j := jsonObject{Tag: o.Tag.String(), Name: o.Tag.Name()}
		if o.Children != nil {
			j.Value = strings.ToUpper(hex.EncodeToString(o.Value))
			j.Children = jsonObjects(o.Children, reveal)
			if j.Children == nil {
				j.Children = []jsonObject{}
			}
			// A template holding cardholder data is masked as a whole.
			if !reveal && containsSensitive(o.Children) {
				j.Value, j.Masked = fmt.Sprintf("<%d bytes masked>", len(o.Value)), true
			}
		} else {
			j.Value, j.Masked = maskedValue(o.Tag, o.Value, reveal)
			if bits, ok := emv.DescribeBits(o.Tag, o.Value); ok {
				j.Bits = bits
			}
		}
		out = append(out, j)
	}
	return out
}

func containsSensitive(objs []emv.Object) bool {
	for _, o := range objs {
		if el, ok := emv.Lookup(o.Tag); ok && el.Sensitive {
			return true
		}
		if containsSensitive(o.Children) {
			return true
		}
	}
	return false
}
