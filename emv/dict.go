package emv

import (
	"slices"
	"sync"
)

// Format is the format of a data element's value, as EMV Book 3 §4.3
// defines them.
type Format uint8

// The data element formats of EMV Book 3 §4.3.
const (
	// FormatB is binary.
	FormatB Format = iota
	// FormatN is numeric: BCD, right-justified, left-padded with zeros.
	FormatN
	// FormatCN is compressed numeric: BCD, left-justified, right-padded
	// with F.
	FormatCN
	// FormatA is alphabetic.
	FormatA
	// FormatAN is alphanumeric.
	FormatAN
	// FormatANS is alphanumeric and special characters.
	FormatANS
	// FormatVar marks elements whose format varies (for example a
	// template, or "var." in Annex A). DOL building treats it as binary.
	FormatVar
)

// String returns the format's abbreviation as EMV writes it.
func (f Format) String() string {
	switch f {
	case FormatB:
		return "b"
	case FormatN:
		return "n"
	case FormatCN:
		return "cn"
	case FormatA:
		return "a"
	case FormatAN:
		return "an"
	case FormatANS:
		return "ans"
	}
	return "var"
}

// Source says where a data element comes from.
type Source uint8

// The sources of data elements in EMV Book 3 Annex A.
const (
	SourceCard Source = iota + 1
	SourceTerminal
	SourceIssuer
)

// String names the source.
func (s Source) String() string {
	switch s {
	case SourceCard:
		return "card"
	case SourceTerminal:
		return "terminal"
	case SourceIssuer:
		return "issuer"
	}
	return "unknown"
}

// Element describes one data element of the dictionary.
type Element struct {
	Tag    Tag
	Name   string
	Format Format
	// MinLen and MaxLen bound the length of the value in bytes.
	MinLen, MaxLen int
	Source         Source
	// Templates lists the templates the element may appear in (empty when
	// it is not carried in a template, e.g. a terminal-only element).
	Templates []Tag
	// Sensitive marks cardholder data and secrets (PAN, track data,
	// cardholder name, PIN data) that traces and logs mask by default.
	Sensitive bool
}

// index is the dictionary keyed by tag, built once from the table.
var index = sync.OnceValue(func() map[Tag]*Element {
	m := make(map[Tag]*Element, len(dictionary))
	for i := range dictionary {
		m[dictionary[i].Tag] = &dictionary[i]
	}
	return m
})

// Lookup returns the dictionary's description of a tag.
func Lookup(t Tag) (Element, bool) {
	e, ok := index()[t]
	if !ok {
		return Element{}, false
	}
	c := *e
	c.Templates = slices.Clone(e.Templates)
	return c, true
}

// Name returns the tag's name from the dictionary, or "" when the tag is
// not known.
func (t Tag) Name() string {
	if e, ok := index()[t]; ok {
		return e.Name
	}
	return ""
}

// Elements returns a copy of the whole dictionary, ordered by tag.
func Elements() []Element {
	out := slices.Clone(dictionary[:])
	for i := range out {
		out[i].Templates = slices.Clone(out[i].Templates)
	}
	slices.SortFunc(out, func(a, b Element) int { return int(a.Tag) - int(b.Tag) })
	return out
}
