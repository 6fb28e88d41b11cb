package attack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Rule is one misbehaviour: when its Match holds for a command, its
// Action is taken. Rules are plain data; a Transport keeps the counters
// (position, matches, firings), so one list of rules can drive many
// Transports. In JSON the fields of Match and Action sit side by side:
//
//	{"name": "wedge", "ins": "20", "answer": "9000"}
type Rule struct {
	// Name identifies the rule in errors and events; "rule N" when empty.
	Name string `json:"name,omitempty"`
	Match
	Action
}

// Match says which commands a rule acts on. Every field that is set must
// hold; a Match with no field set holds for every command.
//
// CLA, INS, P1, P2, Data and DataPrefix look at the command. At and From
// look at its position: the number of commands the Transport has been
// given so far, this one included (the first is 1). Nth and FromNth count
// only the commands that satisfied the header and data conditions of this
// rule (the second READ RECORD of SFI 2 record 1, say). Times bounds the
// number of firings.
type Match struct {
	CLA        *Byte `json:"cla,omitempty"`
	INS        *Byte `json:"ins,omitempty"`
	P1         *Byte `json:"p1,omitempty"`
	P2         *Byte `json:"p2,omitempty"`
	Data       Hex   `json:"data,omitempty"`        // the command data equals this
	DataPrefix Hex   `json:"data_prefix,omitempty"` // the command data starts with this
	At         int   `json:"at,omitempty"`          // only the command at this position
	From       int   `json:"from,omitempty"`        // the command at this position and all later ones
	Nth        int   `json:"nth,omitempty"`         // only the nth matching command
	FromNth    int   `json:"from_nth,omitempty"`    // the nth matching command and all later ones
	Times      int   `json:"times,omitempty"`       // fire at most this many times (0: no bound)
}

// Action says what a rule does to a command and its response. It has
// three parts, applied in this order:
//
//  1. command edits, before the command goes on: ClearP1, SetData;
//  2. a replacement of the card: Answer or Fault. Without Forward the
//     command never reaches the card; with Forward the card processes it
//     and its response is thrown away (a torn transaction);
//  3. response edits, on the card's response or on the Answer (see
//     ResponseEdits for their order).
type Action struct {
	// ClearP1 clears these bits of P1 (10: GENERATE AC without the CDA
	// request).
	ClearP1 Byte `json:"clear_p1,omitempty"`
	// SetData replaces the command data (Lc follows). With the SELECT
	// of one AID this sends the card another.
	SetData Hex `json:"set_data,omitempty"`

	// Answer is a whole response APDU (data and SW1 SW2) given instead
	// of the card's.
	Answer Hex `json:"answer,omitempty"`
	// Fault makes the exchange fail: see the Fault constants, or four
	// hex digits for a bare status word ("6F00").
	Fault string `json:"fault,omitempty"`
	// Garbage is the response of the fault "garbage"; DefaultGarbage
	// when empty.
	Garbage Hex `json:"garbage,omitempty"`
	// Forward sends the command to the card before Answer or Fault
	// replaces its response.
	Forward bool `json:"forward,omitempty"`

	ResponseEdits
}

// ResponseEdits change a response. The TLV edits decode the response data
// (SW1 SW2 excluded), change the tree and encode it again in canonical
// form; a response whose data is not well-formed TLV is left alone by them
// and the event says so. The raw edits work on bytes. The order:
//
//	replace_aid, set, xor, clear_aip, strip, format1, duplicate, oversize
//	(TLV), then overrun, truncate, append, sw (raw).
type ResponseEdits struct {
	// ReplaceAID rewrites every AID (4F, 84, 9F06) equal to From into To.
	ReplaceAID *AIDSwap `json:"replace_aid,omitempty"`
	// Set gives every object with the tag a new value.
	Set []Edit `json:"set,omitempty"`
	// XOR flips bits in the value of every object with the tag.
	XOR []Edit `json:"xor,omitempty"`
	// ClearAIP clears these bits of the Application Interchange Profile:
	// in 82, and in the first two bytes of a format 1 (80) response to
	// GET PROCESSING OPTIONS. 2100 clears DDA (byte 1 b6) and CDA (byte 1
	// b1), 6100 SDA (b7) too.
	ClearAIP Word `json:"clear_aip,omitempty"`
	// Strip removes every object with one of these tags (9F4B: CDA
	// stripping).
	Strip []Tag `json:"strip,omitempty"`
	// Format1 turns a format 2 response (77) into format 1 (80): for GET
	// PROCESSING OPTIONS AIP‖AFL, for GENERATE AC CID‖ATC‖AC‖IAD, for
	// INTERNAL AUTHENTICATE the signed dynamic data.
	Format1 bool `json:"format1,omitempty"`
	// Duplicate inserts a copy of the first object with each tag right
	// after it.
	Duplicate []Tag `json:"duplicate,omitempty"`
	// Oversize lengthens the first object with each tag to OversizeLen
	// bytes (255 when 0) by repeating its value.
	Oversize    []Tag `json:"oversize,omitempty"`
	OversizeLen int   `json:"oversize_len,omitempty"`

	// Overrun rewrites the length of the first object with this tag so
	// that its value runs one byte past the end of the response data.
	Overrun Tag `json:"overrun,omitempty"`
	// Truncate removes this many bytes from the end of the response data
	// (the status word stays).
	Truncate int `json:"truncate,omitempty"`
	// Append adds these bytes to the end of the response data.
	Append Hex `json:"append,omitempty"`
	// SW replaces the status word.
	SW *Word `json:"sw,omitempty"`
}

// Edit names a data object and a value: the new value for Set, the mask
// for XOR (byte i of the mask is XORed into byte i of the value).
type Edit struct {
	Tag   Tag `json:"tag"`
	Value Hex `json:"value"`
}

// AIDSwap is a pair of application identifiers.
type AIDSwap struct {
	From Hex `json:"from"`
	To   Hex `json:"to"`
}

// The faults. A status word fault is written as four hex digits instead.
const (
	// FaultTransport: the reader reports an error (ErrInjected) and there
	// is no response.
	FaultTransport = "error"
	// FaultRemoved: the card is gone (ErrCardRemoved), for this APDU and
	// every later one.
	FaultRemoved = "removed"
	// FaultHang: no answer; Transmit blocks until the context is done,
	// then fails with ErrNoAnswer and the context's error. Without a
	// deadline or a cancel it blocks for ever, as a mute card does.
	FaultHang = "hang"
	// FaultGarbage: the response is Garbage (DefaultGarbage when unset).
	FaultGarbage = "garbage"
	// FaultShort: a one-byte response, shorter than a status word.
	FaultShort = "short"
	// FaultEmpty: a response of no bytes at all.
	FaultEmpty = "empty"
)

// DefaultGarbage is the response of the fault "garbage" when the rule
// gives none: data that is not TLV (a tag whose length runs past the end)
// and a status word whose SW1 (FF) no card may send.
var DefaultGarbage = []byte{0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0xFF, 0xFF}

// maxOversize bounds oversize_len: a response longer than an extended
// APDU's 65536 data bytes would be no test of a kernel.
const maxOversize = 65535

// ParseRules reads rules from JSON: an array of rule objects, or a single
// rule object. Unknown fields are errors, and each rule is validated. The
// errors are *RuleError values wrapping ErrRule.
func ParseRules(b []byte) ([]Rule, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var r Rule
		if err := decodeStrict(b, &r); err != nil {
			return nil, &RuleError{Err: fmt.Errorf("%w: %v", ErrRule, err)}
		}
		if err := r.validate(0); err != nil {
			return nil, err
		}
		return []Rule{r}, nil
	}
	var raws []json.RawMessage
	if err := decodeStrict(b, &raws); err != nil {
		return nil, &RuleError{Err: fmt.Errorf("%w: want a JSON array of rules or one rule object: %v", ErrRule, err)}
	}
	rules := make([]Rule, len(raws))
	for i, raw := range raws {
		if err := decodeStrict(raw, &rules[i]); err != nil {
			return nil, &RuleError{Index: i, Err: fmt.Errorf("%w: %v", ErrRule, err)}
		}
		if err := rules[i].validate(i); err != nil {
			return nil, err
		}
	}
	return rules, nil
}

// decodeStrict decodes one JSON value, rejecting unknown fields and
// trailing data.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

// Validate checks that the rule can be used. The error is a *RuleError
// wrapping ErrRule.
func (r *Rule) Validate() error { return r.validate(0) }

func (r *Rule) validate(index int) error {
	err := r.Match.validate()
	if err == nil {
		err = r.Action.validate()
	}
	if err != nil {
		re := err.(*RuleError)
		re.Index, re.Name = index, r.Name
		return re
	}
	return nil
}

func (m *Match) validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"at", m.At}, {"from", m.From}, {"nth", m.Nth}, {"from_nth", m.FromNth}, {"times", m.Times}} {
		if f.v < 0 {
			return ruleErr(f.name, "%d is negative", f.v)
		}
	}
	switch {
	case m.At != 0 && m.From != 0:
		return ruleErr("at", "at and from exclude each other")
	case m.Nth != 0 && m.FromNth != 0:
		return ruleErr("nth", "nth and from_nth exclude each other")
	case m.Data != nil && m.DataPrefix != nil:
		return ruleErr("data", "data and data_prefix exclude each other")
	}
	return nil
}

func (a *Action) validate() error {
	if a.Answer != nil && len(a.Answer) == 0 {
		return ruleErr("answer", "empty answer: use the fault %q", FaultEmpty)
	}
	if a.Answer != nil && a.Fault != "" {
		return ruleErr("fault", "answer and fault exclude each other")
	}
	if a.Forward && a.Answer == nil && a.Fault == "" {
		return ruleErr("forward", "forward needs an answer or a fault")
	}
	if a.Fault != "" {
		if _, err := parseFault(a.Fault); err != nil {
			return err
		}
		if a.ResponseEdits.any() {
			return ruleErr("fault", "a fault's response is not edited: use answer with edits instead")
		}
	}
	if a.Garbage != nil && a.Fault != FaultGarbage {
		return ruleErr("garbage", "garbage goes with the fault %q", FaultGarbage)
	}
	return a.ResponseEdits.validate()
}

func (e *ResponseEdits) validate() error {
	if s := e.ReplaceAID; s != nil && (len(s.From) == 0 || len(s.To) == 0 || len(s.From) > 16 || len(s.To) > 16) {
		return ruleErr("replace_aid", "from and to must be AIDs of 1 to 16 bytes")
	}
	for _, f := range []struct {
		name  string
		edits []Edit
	}{{"set", e.Set}, {"xor", e.XOR}} {
		for _, ed := range f.edits {
			if ed.Tag == 0 {
				return ruleErr(f.name, "an edit needs a tag")
			}
		}
	}
	for _, ed := range e.XOR {
		if len(ed.Value) == 0 {
			return ruleErr("xor", "tag %s: empty mask", ed.Tag)
		}
	}
	if e.OversizeLen < 0 || e.OversizeLen > maxOversize {
		return ruleErr("oversize_len", "%d is outside 1 to %d", e.OversizeLen, maxOversize)
	}
	if e.OversizeLen != 0 && len(e.Oversize) == 0 {
		return ruleErr("oversize_len", "goes with oversize")
	}
	if e.Truncate < 0 {
		return ruleErr("truncate", "%d is negative", e.Truncate)
	}
	return nil
}

// any reports whether some response edit is set.
func (e *ResponseEdits) any() bool {
	return e.ReplaceAID != nil || len(e.Set) > 0 || len(e.XOR) > 0 || e.ClearAIP != 0 ||
		len(e.Strip) > 0 || e.Format1 || len(e.Duplicate) > 0 || len(e.Oversize) > 0 ||
		e.Overrun != 0 || e.Truncate != 0 || e.Append != nil || e.SW != nil
}

// fault is a parsed Action.Fault.
type fault struct {
	kind string // one of the Fault constants, or "sw"
	sw   Word
}

func parseFault(s string) (fault, error) {
	switch s {
	case FaultTransport, FaultRemoved, FaultHang, FaultGarbage, FaultShort, FaultEmpty:
		return fault{kind: s}, nil
	}
	var w Word
	if len(s) == 4 && w.UnmarshalText([]byte(s)) == nil {
		return fault{kind: "sw", sw: w}, nil
	}
	return fault{}, ruleErr("fault", "%q is not %q, %q, %q, %q, %q, %q or a status word of four hex digits",
		s, FaultTransport, FaultRemoved, FaultHang, FaultGarbage, FaultShort, FaultEmpty)
}
