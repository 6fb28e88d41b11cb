package emv

import (
	"errors"
	"fmt"
)

// MaxDepth bounds the nesting of constructed objects that Decode, Find and
// Walk will descend into. EMV templates nest three or four deep at most
// (6F > A5 > BF0C > 61); anything deeper than this is refused as hostile.
const MaxDepth = 16

// MaxLengthBytes is the longest length field accepted: the initial byte plus
// up to three subsequent bytes (81 xx, 82 xx xx, 83 xx xx xx).
const MaxLengthBytes = 4

// Sentinel errors carried by *SyntaxError; test for them with errors.Is.
var (
	// ErrTruncated: the input ends inside a tag, a length or a value.
	ErrTruncated = errors.New("truncated")
	// ErrIndefiniteLength: a length byte of 80, which EMV does not allow.
	ErrIndefiniteLength = errors.New("indefinite length (80) is not allowed")
	// ErrLengthTooLong: a length field of more than four bytes.
	ErrLengthTooLong = errors.New("length field longer than 4 bytes")
	// ErrTagTooLong: a tag of more than MaxTagLen bytes.
	ErrTagTooLong = errors.New("tag longer than 3 bytes")
	// ErrBadTag: a tag whose subsequent bytes are not well-formed BER.
	ErrBadTag = errors.New("malformed tag")
	// ErrTooDeep: constructed objects nested deeper than MaxDepth.
	ErrTooDeep = errors.New("objects nested too deep")
)

// syntaxCode names a syntax failure without allocating, so that the bool
// scanner and the error-returning decoder share one reading of the bytes.
type syntaxCode uint8

const (
	errNone syntaxCode = iota
	errTruncatedTag
	errTagTooLong
	errBadTag
	errTruncatedLength
	errIndefinite
	errLengthTooLong
	errTruncatedValue
	errTooDeep
)

func (c syntaxCode) String() string { return c.err().Error() }

func (c syntaxCode) err() error {
	switch c {
	case errTruncatedTag, errTruncatedLength, errTruncatedValue:
		return ErrTruncated
	case errTagTooLong:
		return ErrTagTooLong
	case errBadTag:
		return ErrBadTag
	case errIndefinite:
		return ErrIndefiniteLength
	case errLengthTooLong:
		return ErrLengthTooLong
	case errTooDeep:
		return ErrTooDeep
	}
	return nil
}

// where says which part of an object a failure is in.
func (c syntaxCode) where() string {
	switch c {
	case errTruncatedTag, errTagTooLong, errBadTag:
		return "tag"
	case errTruncatedLength, errIndefinite, errLengthTooLong:
		return "length"
	case errTruncatedValue:
		return "value"
	}
	return "object"
}

// SyntaxError reports malformed TLV data: what is wrong and at which byte
// offset of the input. It wraps one of the sentinel errors above.
type SyntaxError struct {
	Offset int    // byte offset in the decoded input where the problem starts
	Tag    Tag    // the tag of the object concerned, when it was read
	Part   string // "tag", "length", "value" or "object"
	Err    error  // the sentinel: ErrTruncated, ErrIndefiniteLength, …
	Detail string // optional extra words, e.g. the declared and remaining lengths
}

func (e *SyntaxError) Error() string {
	msg := fmt.Sprintf("malformed TLV at byte %d", e.Offset)
	if e.Tag != 0 {
		msg += " (tag " + e.Tag.String() + ")"
	}
	msg += ": " + e.Part + ": " + e.Err.Error()
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// Unwrap returns the sentinel error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// isPadding reports whether b may stand between objects: EMV Book 3 Annex B
// (after ISO/IEC 7816-4) lets 00 and FF bytes appear before, between and
// after TLV objects, and neither is a valid first tag byte.
func isPadding(b byte) bool { return b == 0x00 || b == 0xFF }

// readTag reads a tag at the start of b. It returns the tag and its length
// in bytes, or a failure code.
func readTag(b []byte) (Tag, int, syntaxCode) {
	if len(b) == 0 {
		return 0, 0, errTruncatedTag
	}
	t := Tag(b[0])
	if b[0]&0x1F != 0x1F {
		return t, 1, errNone
	}
	for i := 1; ; i++ {
		if i >= len(b) {
			return 0, 0, errTruncatedTag
		}
		if i >= MaxTagLen {
			return 0, 0, errTagTooLong
		}
		// ISO/IEC 8825-1 8.1.2.4.2: the first subsequent byte may not
		// have b7–b1 all zero (that would be a non-minimal encoding).
		if i == 1 && b[1] == 0x80 {
			return 0, 0, errBadTag
		}
		t = t<<8 | Tag(b[i])
		if b[i]&0x80 == 0 {
			return t, i + 1, errNone
		}
	}
}

// readLength reads a length field at the start of b: the length it gives
// and the number of bytes the field takes.
func readLength(b []byte) (int, int, syntaxCode) {
	if len(b) == 0 {
		return 0, 0, errTruncatedLength
	}
	if b[0] < 0x80 {
		return int(b[0]), 1, errNone
	}
	n := int(b[0] & 0x7F)
	if n == 0 {
		return 0, 0, errIndefinite
	}
	if n+1 > MaxLengthBytes {
		return 0, 0, errLengthTooLong
	}
	if len(b) < n+1 {
		return 0, 0, errTruncatedLength
	}
	l := 0
	for _, c := range b[1 : n+1] {
		l = l<<8 | int(c)
	}
	return l, n + 1, errNone
}

// readObject reads one object (no leading padding) at the start of b: its
// tag, the length of its header (tag and length fields) and of its value.
//
// Nearly every EMV object has a tag of one or two bytes and a length
// below 128, which the fast path here reads inline; anything else goes to
// readObjectSlow, which readObject must agree with (FuzzReadObject).
func readObject(b []byte) (t Tag, hdr, vlen int, code syntaxCode) {
	if len(b) >= 3 {
		b0, b1 := b[0], b[1]
		switch {
		case b0&0x1F != 0x1F && b1 < 0x80: // one-byte tag, short length
			t, hdr, vlen = Tag(b0), 2, int(b1)
		case b0&0x1F == 0x1F && b1&0x80 == 0 && b[2] < 0x80: // two-byte tag, short length
			t, hdr, vlen = Tag(b0)<<8|Tag(b1), 3, int(b[2])
		default:
			return readObjectSlow(b)
		}
		if vlen > len(b)-hdr {
			return t, hdr, vlen, errTruncatedValue
		}
		return t, hdr, vlen, errNone
	}
	return readObjectSlow(b)
}

// readObjectSlow is readObject for any encoding.
func readObjectSlow(b []byte) (t Tag, hdr, vlen int, code syntaxCode) {
	t, tn, code := readTag(b)
	if code != errNone {
		return 0, 0, 0, code
	}
	l, ln, code := readLength(b[tn:])
	if code != errNone {
		return t, tn, 0, code
	}
	hdr = tn + ln
	if l > len(b)-hdr {
		return t, hdr, l, errTruncatedValue
	}
	return t, hdr, l, errNone
}

// Scanner reads TLV objects from a byte slice in the style of
// golang.org/x/crypto/cryptobyte: every Read method returns false and leaves
// the Scanner unchanged when the input does not hold what was asked for, and
// advances past what it read on success. A Scanner never allocates and never
// reads beyond its slice; values returned alias the input.
//
// Padding bytes (00 and FF) before an object are skipped, as EMV Book 3
// Annex B allows.
type Scanner []byte

// SkipPadding advances past any 00 and FF padding bytes.
func (s *Scanner) SkipPadding() {
	i := 0
	for i < len(*s) && isPadding((*s)[i]) {
		i++
	}
	*s = (*s)[i:]
}

// More skips padding and reports whether any bytes remain to be read.
func (s *Scanner) More() bool {
	s.SkipPadding()
	return len(*s) > 0
}

// Empty reports whether nothing at all (not even padding) remains.
func (s *Scanner) Empty() bool { return len(*s) == 0 }

// ReadTag reads a tag (without skipping padding).
func (s *Scanner) ReadTag(tag *Tag) bool {
	t, n, code := readTag(*s)
	if code != errNone {
		return false
	}
	*tag = t
	*s = (*s)[n:]
	return true
}

// ReadLength reads a length field of at most four bytes, and checks that
// the value it announces fits in what remains.
func (s *Scanner) ReadLength(length *int) bool {
	l, n, code := readLength(*s)
	if code != errNone || l > len(*s)-n {
		return false
	}
	*length = l
	*s = (*s)[n:]
	return true
}

// ReadObject skips padding and reads one whole object, setting its tag and
// value. The value aliases the input.
func (s *Scanner) ReadObject(tag *Tag, value *[]byte) bool {
	// Small enough to be inlined, so that a caller's Scanner and results
	// on its stack are written without the garbage collector's write
	// barrier; the reading is in nextObject, which writes nothing.
	t, v, rest := nextValue(*s)
	if t == 0 {
		return false
	}
	*tag, *value, *s = t, v, rest
	return true
}

// Next skips padding and reads one object, returning its tag and value
// and the Scanner past it; the tag is 0 (no tag is 0) when no well-formed
// object is there. It is ReadObject for a loop that keeps its Scanner in a
// local variable: it writes through no pointer, so the garbage collector's
// write barrier is never on its path.
func (s Scanner) Next() (tag Tag, value []byte, rest Scanner) {
	t, v, r := nextValue(s)
	return t, v, Scanner(r)
}

// nextValue is nextObject without the encoding.
func nextValue(b []byte) (t Tag, value, rest []byte) {
	t, _, value, rest = nextObject(b)
	return t, value, rest
}

// ReadRawObject is like ReadObject and also sets raw to the object's
// original encoding (tag, length and value), which SDA and CDA hash as read.
func (s *Scanner) ReadRawObject(tag *Tag, value, raw *[]byte) bool {
	t, r, v, rest := nextObject(*s)
	if t == 0 {
		return false
	}
	*tag, *value, *raw, *s = t, v, r, rest
	return true
}

// nextObject skips padding at the start of b and reads the object after
// it: its tag, its encoding, its value, and what follows it. The tag is 0
// when no well-formed object is there (no tag is 0: a first byte 00 is
// padding).
func nextObject(b []byte) (t Tag, raw, value, rest []byte) {
	p := 0
	for p < len(b) && isPadding(b[p]) {
		p++
	}
	var hdr, l int
	if in := b[p:]; len(in) >= 3 && in[0]&0x1F != 0x1F && in[1] < 0x80 {
		t, hdr, l = Tag(in[0]), 2, int(in[1]) // readObject's first fast case, without the call
		if l > len(in)-2 {
			return 0, nil, nil, nil
		}
	} else {
		var code syntaxCode
		if t, hdr, l, code = readObject(in); code != errNone {
			return 0, nil, nil, nil
		}
	}
	v, end := p+hdr, p+hdr+l
	return t, b[p:end:end], b[v:end:end], b[end:]
}

// ReadTagged reads the next object only if it has the given tag.
func (s *Scanner) ReadTagged(tag Tag, value *[]byte) bool {
	in := *s
	var t Tag
	var v []byte
	if !in.ReadObject(&t, &v) || t != tag {
		return false
	}
	*value, *s = v, in
	return true
}

// Find searches b, a sequence of TLV objects, for the first object with the
// given tag, depth first, descending into constructed objects up to
// MaxDepth. It returns the value (aliasing b) and whether it was found. It
// never allocates; malformed data ends the search with false.
func Find(b []byte, tag Tag) ([]byte, bool) {
	return find(b, tag, 0)
}

func find(b []byte, tag Tag, depth int) ([]byte, bool) {
	if depth >= MaxDepth {
		return nil, false
	}
	for s := Scanner(b); s.More(); {
		t, v, rest := s.Next()
		if t == 0 {
			return nil, false
		}
		s = rest
		if t == tag {
			return v, true
		}
		if t.Constructed() {
			if found, ok := find(v, tag, depth+1); ok {
				return found, true
			}
		}
	}
	return nil, false
}

// Validate checks that b is a well-formed sequence of TLV objects, with
// every constructed object's value well-formed too, without allocating.
// It returns nil or a *SyntaxError.
func Validate(b []byte) error {
	return walk(b, 0, 0, nil)
}

// walk checks b (at offset base of the original input) and calls visit for
// every object, depth first. visit may be nil.
func walk(b []byte, base, depth int, visit func(t Tag, value []byte, offset, depth int) error) error {
	if depth >= MaxDepth {
		return &SyntaxError{Offset: base, Part: "object", Err: ErrTooDeep,
			Detail: fmt.Sprintf("more than %d levels", MaxDepth)}
	}
	off := 0
	for {
		for off < len(b) && isPadding(b[off]) {
			off++
		}
		if off == len(b) {
			return nil
		}
		t, hdr, l, code := readObject(b[off:])
		if code != errNone {
			return syntaxError(b[off:], base+off, t, hdr, l, code)
		}
		v := b[off+hdr : off+hdr+l]
		if visit != nil {
			if err := visit(t, v, base+off, depth); err != nil {
				return err
			}
		}
		if t.Constructed() {
			if err := walk(v, base+off+hdr, depth+1, visit); err != nil {
				return err
			}
		}
		off += hdr + l
	}
}

func syntaxError(b []byte, offset int, t Tag, hdr, l int, code syntaxCode) error {
	e := &SyntaxError{Offset: offset, Part: code.where(), Err: code.err()}
	switch code {
	case errTruncatedValue:
		e.Tag = t
		e.Offset = offset + hdr
		e.Detail = fmt.Sprintf("length %d but %d bytes remain", l, len(b)-hdr)
	case errTruncatedLength, errIndefinite, errLengthTooLong:
		e.Tag = t
		e.Offset = offset + t.Len()
	}
	return e
}

// Walk calls fn for every object in b, depth first, with its tag, value,
// byte offset in b and nesting depth (0 at the top). It stops at the first
// error, from fn or a *SyntaxError.
func Walk(b []byte, fn func(t Tag, value []byte, offset, depth int) error) error {
	return walk(b, 0, 0, fn)
}

// Object is one decoded TLV object of a tree built by Decode.
type Object struct {
	Tag Tag
	// Value is the value field as read. For a constructed object it holds
	// the encoded children; Encode ignores it when Children is not nil.
	Value []byte
	// Children are the decoded objects inside a constructed object.
	Children []Object
	// Offset is the byte offset of the object's tag in the input of
	// Decode (0 for objects built by hand).
	Offset int
}

// Decode parses b into a tree of objects, rejecting anything malformed
// (with a *SyntaxError giving the byte offset). Values alias b.
func Decode(b []byte) ([]Object, error) {
	if err := Validate(b); err != nil {
		return nil, err
	}
	return build(b, 0), nil
}

// build makes the tree of b, which has been validated.
func build(b []byte, base int) []Object {
	s := Scanner(b)
	var objs []Object
	var t Tag
	var v, raw []byte
	for s.More() {
		off := base + len(b) - len(s)
		s.ReadRawObject(&t, &v, &raw)
		o := Object{Tag: t, Value: v, Offset: off}
		if t.Constructed() {
			o.Children = build(v, off+len(raw)-len(v))
			if o.Children == nil {
				o.Children = []Object{}
			}
		}
		objs = append(objs, o)
	}
	return objs
}

// AppendLength appends the canonical (shortest) encoding of length n.
func AppendLength(b []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(b, byte(n))
	case n <= 0xFF:
		return append(b, 0x81, byte(n))
	case n <= 0xFFFF:
		return append(b, 0x82, byte(n>>8), byte(n))
	default:
		return append(b, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
}

// AppendTLV appends one primitive object with the canonical length form.
// It panics if the value is longer than a four-byte length can say
// (16 MiB), which no EMV object comes near.
func AppendTLV(b []byte, tag Tag, value []byte) []byte {
	if len(value) > 0xFFFFFF {
		panic("emv: value too long for a TLV length")
	}
	b = tag.AppendTo(b)
	b = AppendLength(b, len(value))
	return append(b, value...)
}

// Encode returns the canonical encoding of objs: shortest length forms, no
// padding, children encoded from Children when it is not nil.
func Encode(objs []Object) []byte { return AppendObjects(nil, objs) }

// AppendObjects appends the canonical encoding of objs to b.
func AppendObjects(b []byte, objs []Object) []byte {
	for _, o := range objs {
		if o.Children != nil {
			b = AppendTLV(b, o.Tag, AppendObjects(nil, o.Children))
		} else {
			b = AppendTLV(b, o.Tag, o.Value)
		}
	}
	return b
}

// FindObject searches a decoded tree depth first for the first object with
// the given tag.
func FindObject(objs []Object, tag Tag) (*Object, bool) {
	for i := range objs {
		if objs[i].Tag == tag {
			return &objs[i], true
		}
		if o, ok := FindObject(objs[i].Children, tag); ok {
			return o, true
		}
	}
	return nil, false
}
