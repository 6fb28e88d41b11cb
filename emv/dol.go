package emv

import (
	"errors"
	"fmt"
)

// MaxDOLEntryLen is the longest entry length a DOL may ask for. A DOL's
// data travels in one short APDU, so no entry can usefully exceed 255
// bytes; longer ones are refused as malformed.
const MaxDOLEntryLen = 255

// ErrDOL is wrapped by every error about a data object list or its data.
var ErrDOL = errors.New("emv: malformed data object list")

// DOLEntry is one entry of a data object list: a tag and the length the
// card asks for.
type DOLEntry struct {
	Tag Tag
	Len int
}

// DOL is a data object list (PDOL 9F38, CDOL1 8C, CDOL2 8D, DDOL 9F49,
// TDOL 97, …): the tags and lengths of the data a card wants in a command.
// Entries keep the card's order; a tag listed twice is filled twice.
type DOL []DOLEntry

// ParseDOL parses the value of a DOL data object. Each entry is a tag and a
// one-byte (or BER long-form) length of at most MaxDOLEntryLen.
func ParseDOL(b []byte) (DOL, error) { return AppendDOL(nil, b) }

// AppendDOL is ParseDOL appending the entries to d, so that a caller on a
// hot path can parse into a buffer it keeps (emv.AppendDOL(buf[:0], b)).
// On error d is returned unchanged in length.
func AppendDOL(d DOL, b []byte) (DOL, error) {
	start := len(d)
	fail := func(err error) (DOL, error) { return d[:start], err }
	off := 0
	for off < len(b) {
		t, tn, code := readTag(b[off:])
		if code != errNone {
			return fail(fmt.Errorf("%w: entry at byte %d: tag: %s", ErrDOL, off, code))
		}
		if isPadding(b[off]) {
			return fail(fmt.Errorf("%w: entry at byte %d: %02X is not a valid tag", ErrDOL, off, b[off]))
		}
		l, ln, code := readLength(b[off+tn:])
		if code != errNone {
			return fail(fmt.Errorf("%w: entry at byte %d (tag %s): length: %s", ErrDOL, off, t, code))
		}
		if l > MaxDOLEntryLen {
			return fail(fmt.Errorf("%w: entry at byte %d (tag %s): length %d exceeds %d", ErrDOL, off, t, l, MaxDOLEntryLen))
		}
		d = append(d, DOLEntry{Tag: t, Len: l})
		off += tn + ln
	}
	return d, nil
}

// Len returns the length of the data the DOL asks for.
func (d DOL) Len() int {
	n := 0
	for _, e := range d {
		n += e.Len
	}
	return n
}

// Contains reports whether the DOL lists tag.
func (d DOL) Contains(tag Tag) bool {
	for _, e := range d {
		if e.Tag == tag {
			return true
		}
	}
	return false
}

// Bytes returns the DOL's encoding (tags and one-byte lengths).
func (d DOL) Bytes() []byte {
	var b []byte
	for _, e := range d {
		b = e.Tag.AppendTo(b)
		b = AppendLength(b, e.Len)
	}
	return b
}

// Build returns the data for the DOL, filled from lookup, exactly as EMV
// Book 3 §5.4 says. See AppendBuild.
func (d DOL) Build(lookup func(Tag) ([]byte, bool)) []byte {
	return d.AppendBuild(make([]byte, 0, d.Len()), lookup)
}

// AppendBuild appends the DOL's data to b. For each entry, in order
// (EMV Book 3 §5.4):
//
//   - a tag that lookup does not know, or a constructed tag, is filled
//     with zeros of the requested length (Book 3 §5.4: unknown, absent
//     optional and template data are zero-filled);
//   - a value longer than requested is truncated from the left when its
//     format is numeric (n), from the right otherwise;
//   - a value shorter than requested is padded on the left with 00 when it
//     is numeric (n), on the right with FF when compressed numeric (cn),
//     on the right with 00 otherwise.
//
// The format comes from the dictionary; tags the dictionary does not know
// are treated as binary. Entries listed twice are filled twice.
func (d DOL) AppendBuild(b []byte, lookup func(Tag) ([]byte, bool)) []byte {
	for _, e := range d {
		var v []byte
		ok := false
		if !e.Tag.Constructed() && lookup != nil {
			v, ok = lookup(e.Tag)
		}
		if !ok {
			b = appendFill(b, 0x00, e.Len)
			continue
		}
		b = appendFitted(b, v, e.Len, formatOf(e.Tag))
	}
	return b
}

func formatOf(t Tag) Format {
	if e, ok := index()[t]; ok {
		return e.Format
	}
	return FormatB
}

func appendFill(b []byte, c byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, c)
	}
	return b
}

// appendFitted appends v made exactly n bytes long by the rules of §5.4.
func appendFitted(b, v []byte, n int, f Format) []byte {
	switch {
	case len(v) == n:
		return append(b, v...)
	case len(v) > n && f == FormatN:
		return append(b, v[len(v)-n:]...)
	case len(v) > n:
		return append(b, v[:n]...)
	case f == FormatN:
		return append(appendFill(b, 0x00, n-len(v)), v...)
	case f == FormatCN:
		return appendFill(append(b, v...), 0xFF, n-len(v))
	default:
		return appendFill(append(b, v...), 0x00, n-len(v))
	}
}

// DOLField is one data element cut out of DOL-built data.
type DOLField struct {
	Tag   Tag
	Value []byte
}

// Split cuts data built for the DOL back into its fields, as a card does
// with the data of GET PROCESSING OPTIONS or GENERATE AC. The data must be
// exactly d.Len() bytes long. Values alias data.
func (d DOL) Split(data []byte) ([]DOLField, error) {
	if len(data) != d.Len() {
		return nil, fmt.Errorf("%w: data is %d bytes, the DOL asks for %d", ErrDOL, len(data), d.Len())
	}
	out := make([]DOLField, 0, len(d))
	off := 0
	for _, e := range d {
		out = append(out, DOLField{Tag: e.Tag, Value: data[off : off+e.Len : off+e.Len]})
		off += e.Len
	}
	return out, nil
}
