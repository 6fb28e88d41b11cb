package apdu

import (
	"errors"
	"fmt"
	"strings"

	"github.com/yixin-emv/yixin/emv"
)

// sensitiveTags are the data elements a trace masks even if the dictionary
// (emv.Element.Sensitive) were to miss them: PAN, track data, cardholder
// name, PIN data. A secret must not leak because a dictionary entry is
// missing, so both are consulted.
var sensitiveTags = map[emv.Tag]bool{
	0x56:   true, // Track 1 Data
	0x57:   true, // Track 2 Equivalent Data
	0x5A:   true, // Application PAN
	0x5F20: true, // Cardholder Name
	0x99:   true, // Transaction PIN Data
	0x9F0B: true, // Cardholder Name Extended
	0x9F1F: true, // Track 1 Discretionary Data
	0x9F20: true, // Track 2 Discretionary Data
	0x9F6B: true, // Track 2 Data (Mastercard)
}

// isSensitive reports whether values of tag t are masked by default.
func isSensitive(t emv.Tag) bool {
	if sensitiveTags[t] {
		return true
	}
	e, ok := emv.Lookup(t)
	return ok && e.Sensitive
}

// dataPolicy says how a trace shows a command's data field.
type dataPolicy uint8

const (
	policyPlain  dataPolicy = iota // hex as it is (SELECT's AID, CDOL data …)
	policyTLV                      // a TLV tree with sensitive values masked
	policySecret                   // masked entirely unless Reveal is set
)

// commandPolicy chooses how to show the data of a command. Secrets: the
// PIN data of VERIFY, the PIN blocks of PIN CHANGE/UNBLOCK (and the ISO
// commands with the same role), keys of PUT KEY and STORE DATA, and PUT
// DATA of any data object that is not a known, non-sensitive dictionary
// element (issuer scripts load keys with PUT DATA of proprietary tags).
func commandPolicy(cla, ins, p1, p2 byte, data []byte) dataPolicy {
	class, _ := classOf(cla)
	switch {
	case ins == INSVerify, ins == INSPINChangeUnblock, ins == INSResetRetryCounter:
		return policySecret
	case class == classProp && (ins == INSStoreData || ins == INSPutKey):
		return policySecret
	case ins == INSPutData || ins == INSPutDataTLV:
		return putDataPolicy(ins, emv.Tag(p1)<<8|emv.Tag(p2))
	case ins == INSGetProcessingOptions, ins == INSUpdateRecord, ins == INSUpdateRecordOdd, ins == 0xE2:
		return policyTLV
	case CommandName(cla, ins) == "" && emv.Validate(data) == nil:
		return policyTLV
	}
	return policyPlain
}

// putDataPolicy: P1 P2 of PUT DATA name the data object (P1 00 for a
// one-byte tag).
func putDataPolicy(ins byte, tag emv.Tag) dataPolicy {
	e, ok := emv.Lookup(tag)
	switch {
	case !ok || e.Sensitive || sensitiveTags[tag]:
		return policySecret
	case ins == INSPutDataTLV:
		return policyTLV
	}
	return policyPlain
}

// masked is a byte slice with the bytes a trace must not show.
type masked struct {
	b    []byte
	mask []bool // nil when nothing is masked
}

func (m *masked) hide(off, n int) {
	if n <= 0 {
		return
	}
	if m.mask == nil {
		m.mask = make([]bool, len(m.b))
	}
	for i := off; i < off+n && i < len(m.b); i++ {
		m.mask[i] = true
	}
}

// hex returns the bytes from off to end in upper-case hex, each masked
// byte as "**".
func (m *masked) hex(off, end int) string {
	const digits = "0123456789ABCDEF"
	var sb strings.Builder
	sb.Grow(2 * (end - off))
	for i := off; i < end; i++ {
		if m.mask != nil && m.mask[i] {
			sb.WriteString("**")
			continue
		}
		sb.WriteByte(digits[m.b[i]>>4])
		sb.WriteByte(digits[m.b[i]&0x0F])
	}
	return sb.String()
}

// tlvView renders TLV data as an indented tree, masking the values of
// sensitive elements and, unless reveal is set, whatever does not parse
// (a PAN in a malformed record is still a PAN).
type tlvView struct {
	m      *masked
	origin int // where the data field starts in m.b; offsets are reported from it
	reveal bool
	lines  []string
}

func (v *tlvView) add(depth int, s string) {
	v.lines = append(v.lines, strings.Repeat("  ", depth)+s)
}

// objects renders b, which starts at byte base of v.m.b.
func (v *tlvView) objects(b []byte, base, depth int) {
	s := emv.Scanner(b)
	for {
		s.SkipPadding()
		if s.Empty() {
			return
		}
		off := len(b) - len(s)
		var t emv.Tag
		var val, raw []byte
		if depth >= emv.MaxDepth || !s.ReadRawObject(&t, &val, &raw) {
			v.notTLV(b[off:], base+off, depth)
			return
		}
		v.object(t, val, base+off+len(raw)-len(val), depth)
	}
}

func (v *tlvView) object(t emv.Tag, val []byte, off, depth int) {
	label := tagLabel(t)
	switch {
	case !v.reveal && isSensitive(t):
		v.m.hide(off, len(val))
		v.add(depth, label+": "+maskValue(t, val)+" (masked)")
	case !v.reveal && isSM2ICCCert(t, val):
		// A PBOC SM2 ICC certificate carries the PAN in clear in bytes
		// 2-11 (format 14, shared/refs/DOMESTIC.md): hide those.
		v.m.hide(off+1, sm2CertPANLen)
		v.add(depth, label+": "+v.m.hex(off, off+len(val))+" (PAN masked)")
	case t.Constructed():
		if len(val) == 0 {
			v.add(depth, label+" (empty)")
			return
		}
		v.add(depth, label)
		v.objects(val, off, depth+1)
	default:
		v.add(depth, label+": "+showValue(t, val))
	}
}

func (v *tlvView) notTLV(rest []byte, off, depth int) {
	why := "nested too deep"
	var se *emv.SyntaxError
	if err := emv.Validate(rest); errors.As(err, &se) {
		why = se.Part + ": " + se.Err.Error()
	}
	if v.reveal {
		v.add(depth, fmt.Sprintf("not TLV from byte %d (%s): %X", off-v.origin, why, rest))
		return
	}
	v.m.hide(off, len(rest))
	v.add(depth, fmt.Sprintf("not TLV from byte %d (%s): %d bytes masked", off-v.origin, why, len(rest)))
}

// sm2CertPANLen is the length of the PAN field of an SM2 ICC certificate.
const sm2CertPANLen = 10

// isSM2ICCCert reports whether val, the value of t, is a PBOC SM2 ICC
// public key certificate (9F46 beginning with the format byte 14). RSA
// certificates are enciphered and need no masking.
func isSM2ICCCert(t emv.Tag, val []byte) bool {
	return t == 0x9F46 && len(val) > 1+sm2CertPANLen && val[0] == 0x14
}

func tagLabel(t emv.Tag) string {
	if name := t.Name(); name != "" {
		return t.String() + " " + name
	}
	return t.String() + " (unknown tag)"
}

// maskValue shows a sensitive value: a PAN with its first 6 and last 4
// digits, track 2 with its PAN so masked and its discretionary data
// hidden, anything else as its length only.
func maskValue(t emv.Tag, val []byte) string {
	switch t {
	case 0x5A:
		return emv.MaskPAN(strings.TrimRight(fmt.Sprintf("%X", val), "F"))
	case 0x57, 0x9F6B:
		return emv.MaskTrack2(val)
	}
	return fmt.Sprintf("%d bytes", len(val))
}

// showValue shows a value in hex, and as text too when the dictionary says
// it is alphanumeric and every byte is printable ASCII.
func showValue(t emv.Tag, val []byte) string {
	if len(val) == 0 {
		return "(empty)"
	}
	s := fmt.Sprintf("%X", val)
	if e, ok := emv.Lookup(t); ok && (e.Format == emv.FormatA || e.Format == emv.FormatAN || e.Format == emv.FormatANS) && printable(val) {
		s += fmt.Sprintf(" %q", val)
	}
	return s
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}
