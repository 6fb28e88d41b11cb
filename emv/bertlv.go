package emv

import (
	"fmt"

	"github.com/moov-io/bertlv"
)

// DecodeBerTLV parses b with yixin's strict scanner and returns the tree as
// github.com/moov-io/bertlv values, for code that already works with that
// library. The bytes are never handed to bertlv.Decode, which panics on
// some malformed lengths (v0.1.0: 5A 88 FF FF FF FF FF FF FF FF) and accepts
// the indefinite length 80 that EMV forbids.
func DecodeBerTLV(b []byte) ([]bertlv.TLV, error) {
	objs, err := Decode(b)
	if err != nil {
		return nil, err
	}
	return ToBerTLV(objs), nil
}

// ToBerTLV converts a decoded tree to bertlv's representation. Constructed
// objects carry their children in TLVs and no Value, as bertlv expects.
func ToBerTLV(objs []Object) []bertlv.TLV {
	out := make([]bertlv.TLV, 0, len(objs))
	for _, o := range objs {
		t := bertlv.TLV{Tag: o.Tag.String()}
		if o.Children != nil {
			t.TLVs = ToBerTLV(o.Children)
		} else {
			t.Value = o.Value
		}
		out = append(out, t)
	}
	return out
}

// FromBerTLV converts bertlv values to a tree of Objects, checking every
// tag. Offsets are those the objects would have in Encode's output.
func FromBerTLV(tlvs []bertlv.TLV) ([]Object, error) {
	objs, err := fromBerTLV(tlvs, 0)
	if err != nil {
		return nil, err
	}
	// Fill the offsets by decoding the canonical encoding once more.
	return Decode(Encode(objs))
}

func fromBerTLV(tlvs []bertlv.TLV, depth int) ([]Object, error) {
	if depth >= MaxDepth {
		return nil, fmt.Errorf("emv: bertlv tree: %w", ErrTooDeep)
	}
	out := make([]Object, 0, len(tlvs))
	for i, t := range tlvs {
		tag, err := ParseTag(t.Tag)
		if err != nil {
			return nil, fmt.Errorf("emv: bertlv object %d: %w", i, err)
		}
		o := Object{Tag: tag}
		switch {
		case tag.Constructed():
			if len(t.TLVs) == 0 && len(t.Value) > 0 {
				// bertlv lets a constructed tag carry raw bytes; accept
				// them only if they are themselves valid TLV.
				kids, err := Decode(t.Value)
				if err != nil {
					return nil, fmt.Errorf("emv: bertlv object %d (tag %s): %w", i, tag, err)
				}
				o.Children = kids
			} else {
				kids, err := fromBerTLV(t.TLVs, depth+1)
				if err != nil {
					return nil, err
				}
				o.Children = kids
			}
		case len(t.TLVs) > 0:
			return nil, fmt.Errorf("emv: bertlv object %d: primitive tag %s has children", i, tag)
		default:
			o.Value = t.Value
		}
		out = append(out, o)
	}
	return out, nil
}
