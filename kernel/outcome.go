package kernel

import (
	"bytes"
	"encoding/binary"
	"slices"

	"github.com/yixin-emv/yixin/emv"
)

// Result is how a transaction ended.
type Result string

// Results.
const (
	ResultApproved       Result = "approved"        // offline, by a TC (or unable to go online and approved)
	ResultDeclined       Result = "declined"        // offline, by an AAC
	ResultOnlineApproved Result = "online-approved" // the issuer approved and the card gave a TC
	ResultOnlineDeclined Result = "online-declined" // the issuer declined, or the card did after the issuer approved
	ResultTerminated     Result = "terminated"      // stopped before a final cryptogram; see the error
)

// Outcome is what a transaction produced, complete or partial: when it was
// terminated, the fields hold what was done up to Phase.
type Outcome struct {
	Result Result
	Reason string
	// Phase is the last phase reached.
	Phase Phase
	// Selection is the selected application and why; AID is its DF name.
	Selection Selection
	AID       []byte
	// MaskedPAN is the application PAN with its middle hidden.
	MaskedPAN string
	// ODA is the method performed (sda, dda, cda, or sm2 for any method
	// with SM2 keys; none) and ODAOK whether it succeeded; ODAError says
	// why it did not.
	ODA      ODAMethod
	ODAOK    bool
	ODAError string
	TVR      emv.TVR
	TSI      emv.TSI
	// CVMResults is 9F34; Signature says the receipt needs a signature
	// line; OnlinePIN that a PIN block went online.
	CVMResults emv.CVMResults
	Signature  bool
	OnlinePIN  bool
	// CVMError says why an offline enciphered PIN could not be sent (the
	// key could not be retrieved, GET CHALLENGE failed), "" otherwise.
	CVMError string
	// CVRMismatch says the card's Card Verification Results (in 9F10,
	// where their layout is known) deny the offline PIN the CVM Results
	// claim: the sign of a wedge. An offline approval is then refused.
	CVRMismatch bool
	// CID, Cryptogram and ATC are from the last GENERATE AC.
	CID        emv.CID
	Cryptogram []byte
	ATC        uint16
	// ResponseCode is the Authorisation Response Code (8A), "" if none.
	ResponseCode string
	// ScriptResults is the Issuer Script Results (9F5B), nil if none ran.
	ScriptResults []byte
	// DataRecord is the authorisation data record, TLV-encoded, for ISO
	// 8583 DE 55.
	DataRecord []byte
	// Reversal says a reversal is owed: the issuer approved (or may have,
	// when its answer was lost) and the card did not finish with a TC.
	Reversal bool
	// APDUs counts the commands sent to the card.
	APDUs int
}

// Outcome returns the transaction's outcome as it stands.
func (t *Transaction) Outcome() *Outcome {
	o := &Outcome{
		Result: t.result, Reason: t.reason, Phase: t.Phase(), Selection: t.sel, AID: t.sel.AID,
		TVR: t.tvr, TSI: t.tsi, CVMResults: t.cvm, Signature: t.signature, OnlinePIN: t.pinBlock != nil,
		Reversal: t.reversal, APDUs: t.apdus, CVRMismatch: t.cvrMismatch, ScriptResults: t.scripts, ODA: t.oda.method, ODAOK: t.oda.ok,
	}
	if o.Result == "" {
		o.Result = ResultTerminated
		if t.err == nil {
			o.Reason = "the transaction has not finished (phase " + o.Phase.String() + ")"
		}
	}
	if o.ODA == "" {
		o.ODA = ODANone
	}
	if t.oda.sm2 && o.ODA != ODANone {
		o.ODA = ODASM2
	}
	if t.oda.err != nil {
		o.ODAError = t.oda.err.Error()
	}
	if t.cvmErr != nil {
		o.CVMError = t.cvmErr.Error()
	}
	if t.pan != "" {
		o.MaskedPAN = emv.MaskPAN(t.pan)
	}
	last := &t.ac1
	if t.ac2.done {
		last = &t.ac2
	}
	if last.done {
		o.CID, o.Cryptogram = last.cid, bytes.Clone(last.ac)
		if len(last.atc) == 2 {
			o.ATC = binary.BigEndian.Uint16(last.atc)
		}
	}
	if arc, ok := t.term.get(0x8A); ok {
		o.ResponseCode = responseCode(arc)
	}
	if t.next > PhaseSelection {
		o.DataRecord = t.DataRecord()
	}
	return o
}

// responseCode returns the Authorisation Response Code as text: the codes
// a transaction commonly ends with are constants rather than an allocation
// each time (Book 4 Annex A6: Y1/Z1 offline, Y3/Z3 unable to go online,
// and the issuer's usual 00 and 05).
func responseCode(arc []byte) string {
	switch string(arc) { // compared without a conversion
	case "Y1":
		return "Y1"
	case "Z1":
		return "Z1"
	case "Y3":
		return "Y3"
	case "Z3":
		return "Z3"
	case "00":
		return "00"
	case "05":
		return "05"
	}
	return string(arc)
}

// DataRecord returns the authorisation data record as it stands: the
// objects named by Config.DataRecord (or DefaultDataRecord) that are
// present, TLV-encoded in that order. Sensitive objects (PAN, track data,
// cardholder name, PIN data) are never included.
func (t *Transaction) DataRecord() []byte {
	// Built on the stack, then copied once at its size: a record is
	// typically 100 to 200 bytes, and an allocation of a guessed capacity
	// would be either too small or mostly empty.
	var buf [512]byte
	out := buf[:0]
	if len(t.cfg.DataRecord) > 0 {
		for _, h := range t.cfg.DataRecord {
			if tag, err := parseTagBytes(h); err == nil {
				out = t.appendRecordObject(out, tag)
			}
		}
	} else {
		for _, tag := range DefaultDataRecord {
			out = t.appendRecordObject(out, emv.Tag(tag))
		}
	}
	return bytes.Clone(out)
}

// appendRecordObject appends tag's object to the data record out, unless
// it is absent or sensitive. (A function rather than a closure over out:
// a closure would write out's pointer through its context, behind the
// garbage collector's write barrier.)
func (t *Transaction) appendRecordObject(out []byte, tag emv.Tag) []byte {
	if sensitiveTags.has(tag) {
		return out
	}
	v, ok := t.lookup(tag)
	switch {
	case !ok || v == nil:
		return out
	case tag <= 0xFF && len(v) < 0x80: // emv.AppendTLV's encoding, written in place
		return append(append(out, byte(tag), byte(len(v))), v...)
	case tag <= 0xFFFF && len(v) < 0x80:
		return append(append(out, byte(tag>>8), byte(tag), byte(len(v))), v...)
	}
	return emv.AppendTLV(out, tag, v)
}

// sensitiveTags are the dictionary's sensitive elements (emv.Element
// .Sensitive), which never enter the data record. Read-only after init.
var sensitiveTags = newTagSet(func() []emv.Tag {
	var s []emv.Tag
	for _, e := range emv.Elements() {
		if e.Sensitive {
			s = append(s, e.Tag)
		}
	}
	return s
}())

// tagSet is a small set of tags with a 64-bit filter in front of its
// list: the data record asks it about every tag, and nearly all are not
// in it.
type tagSet struct {
	filter uint64
	tags   []emv.Tag
}

func newTagSet(tags []emv.Tag) tagSet {
	s := tagSet{tags: tags}
	for _, t := range tags {
		s.filter |= 1 << slotOf(t)
	}
	return s
}

// has reports whether tag is in the set.
func (s *tagSet) has(tag emv.Tag) bool {
	return s.filter&(1<<slotOf(tag)) != 0 && slices.Contains(s.tags, tag)
}
