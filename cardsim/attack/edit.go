package attack

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// Tags the response edits know.
const (
	tagAID         = emv.Tag(0x4F)
	tagDFName      = emv.Tag(0x84)
	tagTermAID     = emv.Tag(0x9F06)
	tagAIP         = emv.Tag(0x82)
	tagAFL         = emv.Tag(0x94)
	tagFormat1     = emv.Tag(0x80)
	tagFormat2     = emv.Tag(0x77)
	tagCID         = emv.Tag(0x9F27)
	tagATC         = emv.Tag(0x9F36)
	tagAC          = emv.Tag(0x9F26)
	tagIAD         = emv.Tag(0x9F10)
	tagSignedDynam = emv.Tag(0x9F4B)
)

// editResponse applies the response edits of every firing rule.
func (t *Transport) editResponse(x *exchange, resp []byte) []byte {
	for _, r := range x.fired {
		if !r.ResponseEdits.any() {
			continue
		}
		var notes []string
		resp, notes = r.ResponseEdits.apply(x.ins, resp)
		for _, n := range notes {
			t.note(x, r, n)
		}
	}
	return resp
}

// apply edits one response APDU to a command with instruction ins and
// says what it did. resp is not modified.
func (e *ResponseEdits) apply(ins byte, resp []byte) ([]byte, []string) {
	if len(resp) < 2 {
		return resp, []string{"response shorter than SW1 SW2: not edited"}
	}
	data := bytes.Clone(resp[:len(resp)-2])
	sw := resp[len(resp)-2:]
	var notes []string
	if e.tlvEdits() {
		data, notes = e.applyTLV(ins, data)
	}
	if e.Overrun != 0 {
		var n string
		data, n = overrun(data, emv.Tag(e.Overrun))
		notes = append(notes, n)
	}
	if e.Truncate != 0 {
		cut := min(e.Truncate, len(data))
		data = data[:len(data)-cut]
		notes = append(notes, fmt.Sprintf("truncated %d bytes", cut))
	}
	if e.Append != nil {
		data = append(data, e.Append...)
		notes = append(notes, "appended "+e.Append.String())
	}
	if e.SW != nil {
		sw = []byte{byte(*e.SW >> 8), byte(*e.SW)}
		notes = append(notes, "status word set to "+e.SW.String())
	}
	return append(data, sw...), notes
}

func (e *ResponseEdits) tlvEdits() bool {
	return e.ReplaceAID != nil || len(e.Set) > 0 || len(e.XOR) > 0 || e.ClearAIP != 0 ||
		len(e.Strip) > 0 || e.Format1 || len(e.Duplicate) > 0 || len(e.Oversize) > 0
}

// applyTLV decodes data, runs the TLV edits and encodes it again when one
// of them changed something.
func (e *ResponseEdits) applyTLV(ins byte, data []byte) ([]byte, []string) {
	objs, err := emv.Decode(data)
	if err != nil {
		return data, []string{"response data is not TLV, TLV edits skipped: " + err.Error()}
	}
	var notes []string
	changed := false
	say := func(did bool, yes, no string) {
		changed = changed || did
		if did {
			notes = append(notes, yes)
		} else {
			notes = append(notes, no)
		}
	}
	if s := e.ReplaceAID; s != nil {
		n := replaceAID(objs, s.From, s.To)
		say(n > 0, fmt.Sprintf("replaced AID %s by %s (%d times)", s.From, s.To, n), "no AID "+s.From.String()+" to replace")
	}
	for _, ed := range e.Set {
		n := setValue(objs, emv.Tag(ed.Tag), ed.Value)
		say(n > 0, fmt.Sprintf("set %s to %s", ed.Tag, ed.Value), "no "+ed.Tag.String()+" to set")
	}
	for _, ed := range e.XOR {
		n := xorValue(objs, emv.Tag(ed.Tag), ed.Value)
		say(n > 0, fmt.Sprintf("XORed %s into %s", ed.Value, ed.Tag), "no "+ed.Tag.String()+" to XOR")
	}
	if e.ClearAIP != 0 {
		n := clearAIP(objs, ins, e.ClearAIP)
		say(n > 0, "cleared "+e.ClearAIP.String()+" of the AIP", "no AIP to change")
	}
	for _, tag := range e.Strip {
		var n int
		objs, n = strip(objs, emv.Tag(tag))
		say(n > 0, "stripped "+tag.String(), "no "+tag.String()+" to strip")
	}
	if e.Format1 {
		var why string
		objs, why = toFormat1(objs, ins)
		say(why == "", "turned the response into format 1", why)
	}
	for _, tag := range e.Duplicate {
		say(duplicate(&objs, emv.Tag(tag)), "duplicated "+tag.String(), "no "+tag.String()+" to duplicate")
	}
	size := e.OversizeLen
	if size == 0 {
		size = 255
	}
	for _, tag := range e.Oversize {
		ok, why := oversize(objs, emv.Tag(tag), size)
		say(ok, fmt.Sprintf("lengthened %s to %d bytes", tag, size), why)
	}
	if !changed {
		return data, notes
	}
	return emv.Encode(objs), notes
}

// visit calls fn on every object of the tree, parents before children.
func visit(objs []emv.Object, fn func(o *emv.Object)) {
	for i := range objs {
		fn(&objs[i])
		visit(objs[i].Children, fn)
	}
}

func replaceAID(objs []emv.Object, from, to []byte) int {
	n := 0
	visit(objs, func(o *emv.Object) {
		switch o.Tag {
		case tagAID, tagDFName, tagTermAID:
			if bytes.Equal(o.Value, from) {
				o.Value = bytes.Clone(to)
				n++
			}
		}
	})
	return n
}

func setValue(objs []emv.Object, tag emv.Tag, v []byte) int {
	n := 0
	visit(objs, func(o *emv.Object) {
		if o.Tag == tag {
			o.Value, o.Children = bytes.Clone(v), nil
			n++
		}
	})
	return n
}

func xorValue(objs []emv.Object, tag emv.Tag, mask []byte) int {
	n := 0
	visit(objs, func(o *emv.Object) {
		if o.Tag != tag || o.Children != nil || len(o.Value) == 0 {
			return
		}
		v := bytes.Clone(o.Value)
		for i := 0; i < len(v) && i < len(mask); i++ {
			v[i] ^= mask[i]
		}
		o.Value = v
		n++
	})
	return n
}

// clearAIP clears bits of every 82 and, in a format 1 answer to GET
// PROCESSING OPTIONS, of its first two bytes.
func clearAIP(objs []emv.Object, ins byte, mask Word) int {
	n := 0
	clear2 := func(o *emv.Object) {
		v := bytes.Clone(o.Value)
		v[0] &^= byte(mask >> 8)
		v[1] &^= byte(mask)
		o.Value = v
		n++
	}
	visit(objs, func(o *emv.Object) {
		if o.Tag == tagAIP && len(o.Value) == 2 {
			clear2(o)
		}
	})
	if ins == apdu.INSGetProcessingOptions && len(objs) > 0 && objs[0].Tag == tagFormat1 && len(objs[0].Value) >= 2 {
		clear2(&objs[0])
	}
	return n
}

// strip removes every object with the tag, at any depth.
func strip(objs []emv.Object, tag emv.Tag) ([]emv.Object, int) {
	n := 0
	out := objs[:0:0]
	for _, o := range objs {
		if o.Tag == tag {
			n++
			continue
		}
		if o.Children != nil {
			var k int
			o.Children, k = strip(o.Children, tag)
			n += k
		}
		out = append(out, o)
	}
	return out, n
}

// format1Layout lists, per command, the objects whose values make the
// format 1 (80) response, and how many of them are mandatory (EMV 4.3
// Book 3 §6.5.5.4, §6.5.8.4; Book 2 §6.5.9 for INTERNAL AUTHENTICATE).
var format1Layout = map[byte]struct {
	tags      []emv.Tag
	mandatory int
}{
	apdu.INSGetProcessingOptions: {[]emv.Tag{tagAIP, tagAFL}, 2},
	apdu.INSGenerateAC:           {[]emv.Tag{tagCID, tagATC, tagAC, tagIAD}, 3},
	apdu.INSInternalAuthenticate: {[]emv.Tag{tagSignedDynam}, 1},
}

// toFormat1 replaces a top-level 77 with the 80 of the same content, or
// says why it cannot.
func toFormat1(objs []emv.Object, ins byte) ([]emv.Object, string) {
	layout, ok := format1Layout[ins]
	if !ok {
		return objs, fmt.Sprintf("no format 1 for INS %02X", ins)
	}
	for i := range objs {
		if objs[i].Tag != tagFormat2 {
			continue
		}
		var v []byte
		for j, tag := range layout.tags {
			o, found := emv.FindObject(objs[i].Children, tag)
			if !found {
				if j < layout.mandatory {
					return objs, "format 1 needs " + tag.String() + ", absent"
				}
				continue
			}
			v = append(v, o.Value...)
		}
		objs[i] = emv.Object{Tag: tagFormat1, Value: v}
		return objs, ""
	}
	return objs, "no format 2 template (77) to turn into format 1"
}

// duplicate inserts a copy of the first object with the tag after it.
func duplicate(objs *[]emv.Object, tag emv.Tag) bool {
	s := *objs
	for i := range s {
		if s[i].Tag == tag {
			out := make([]emv.Object, 0, len(s)+1)
			out = append(out, s[:i+1]...)
			out = append(out, s[i])
			*objs = append(out, s[i+1:]...)
			return true
		}
		if s[i].Children != nil && duplicate(&s[i].Children, tag) {
			return true
		}
	}
	return false
}

// oversize lengthens the first object with the tag to size bytes by
// repeating its value (zeros when it is empty).
func oversize(objs []emv.Object, tag emv.Tag, size int) (bool, string) {
	o, ok := emv.FindObject(objs, tag)
	if !ok {
		return false, "no " + tag.String() + " to lengthen"
	}
	v := o.Value
	if o.Children != nil {
		v = emv.Encode(o.Children)
	}
	if len(v) >= size {
		return false, fmt.Sprintf("%s is already %d bytes", tag, len(v))
	}
	nv := make([]byte, size)
	if len(v) > 0 {
		for i := range nv {
			nv[i] = v[i%len(v)]
		}
	}
	o.Value, o.Children = nv, nil
	return true, ""
}

var errStop = errors.New("stop")

// overrun rewrites the length field of the first object with the tag so
// that its value runs one byte past the end of data.
func overrun(data []byte, tag emv.Tag) ([]byte, string) {
	off := -1
	err := emv.Walk(data, func(t emv.Tag, _ []byte, o, _ int) error {
		if t == tag {
			off = o
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return data, "response data is not TLV, overrun skipped: " + err.Error()
	}
	if off < 0 {
		return data, "no " + tag.String() + " to overrun"
	}
	lenAt := off + tag.Len()
	lenLen := 1
	if data[lenAt] >= 0x80 {
		lenLen += int(data[lenAt] & 0x7F)
	}
	claim := len(data) - (lenAt + lenLen) + 1
	out := append([]byte(nil), data[:lenAt]...)
	out = emv.AppendLength(out, claim)
	out = append(out, data[lenAt+lenLen:]...)
	return out, fmt.Sprintf("%s now claims %d bytes, past the end of the data", tag, claim)
}
