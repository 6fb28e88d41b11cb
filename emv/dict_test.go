package emv

import (
	"slices"
	"strings"
	"testing"
)

// dictAnnexA holds rows of EMV Book 3 v4.3 Annex A, Table 33 "Data
// Elements Dictionary" (columns Source, Format, Template, Length), copied
// from the published table: lengths in bytes, as the table gives them.
// The v4.4 edition of the annex gives the same values for these rows (as
// transcribed in Denom.org's TagEmv.java, org/denom/smartcard/emv).
var dictAnnexA = []struct {
	tag       Tag
	format    Format
	min, max  int
	source    Source
	templates []Tag
}{
	{0x42, FormatN, 3, 3, SourceCard, []Tag{0xBF0C, 0x73}},     // IIN: n 6
	{0x4F, FormatB, 5, 16, SourceCard, []Tag{0x61}},            // ADF Name
	{0x50, FormatANS, 1, 16, SourceCard, []Tag{0x61, 0xA5}},    // Application Label
	{0x57, FormatB, 0, 19, SourceCard, []Tag{0x70, 0x77}},      // Track 2: var. up to 19
	{0x5A, FormatCN, 0, 10, SourceCard, []Tag{0x70, 0x77}},     // PAN: cn var. up to 19
	{0x81, FormatB, 4, 4, SourceTerminal, nil},                 // Amount, Authorised (Binary)
	{0x82, FormatB, 2, 2, SourceCard, []Tag{0x77, 0x80}},       // AIP
	{0x84, FormatB, 5, 16, SourceCard, []Tag{0x6F}},            // DF Name
	{0x86, FormatB, 0, 261, SourceIssuer, []Tag{0x71, 0x72}},   // Issuer Script Command: up to 261
	{0x87, FormatB, 1, 1, SourceCard, []Tag{0x61, 0xA5}},       // Application Priority Indicator
	{0x88, FormatB, 1, 1, SourceCard, []Tag{0xA5}},             // SFI
	{0x8A, FormatAN, 2, 2, SourceIssuer, nil},                  // ARC: an 2
	{0x8C, FormatB, 0, 252, SourceCard, []Tag{0x70, 0x77}},     // CDOL1: up to 252
	{0x8D, FormatB, 0, 252, SourceCard, []Tag{0x70, 0x77}},     // CDOL2: up to 252
	{0x8E, FormatB, 10, 252, SourceCard, []Tag{0x70, 0x77}},    // CVM List: 10-252
	{0x91, FormatB, 8, 16, SourceIssuer, nil},                  // Issuer Authentication Data
	{0x94, FormatVar, 0, 252, SourceCard, []Tag{0x77, 0x80}},   // AFL: var. up to 252
	{0x95, FormatB, 5, 5, SourceTerminal, nil},                 // TVR
	{0x97, FormatB, 0, 252, SourceCard, []Tag{0x70, 0x77}},     // TDOL
	{0x98, FormatB, 20, 20, SourceTerminal, nil},               // TC Hash Value
	{0x9A, FormatN, 3, 3, SourceTerminal, nil},                 // Transaction Date: n 6 YYMMDD
	{0x9B, FormatB, 2, 2, SourceTerminal, nil},                 // TSI
	{0x9C, FormatN, 1, 1, SourceTerminal, nil},                 // Transaction Type: n 2
	{0xBF0C, FormatVar, 0, 222, SourceCard, []Tag{0xA5}},       // FCI Issuer Discretionary Data
	{0x5F20, FormatANS, 2, 26, SourceCard, []Tag{0x70, 0x77}},  // Cardholder Name
	{0x5F24, FormatN, 3, 3, SourceCard, []Tag{0x70, 0x77}},     // Expiration Date
	{0x5F2A, FormatN, 2, 2, SourceTerminal, nil},               // Transaction Currency Code: n 3
	{0x5F2D, FormatAN, 2, 8, SourceCard, []Tag{0xA5}},          // Language Preference
	{0x5F34, FormatN, 1, 1, SourceCard, []Tag{0x70, 0x77}},     // PAN Sequence Number: n 2
	{0x5F36, FormatN, 1, 1, SourceTerminal, nil},               // Transaction Currency Exponent
	{0x5F55, FormatA, 2, 2, SourceCard, []Tag{0xBF0C, 0x73}},   // Issuer Country Code (alpha2)
	{0x5F56, FormatA, 3, 3, SourceCard, []Tag{0xBF0C, 0x73}},   // Issuer Country Code (alpha3)
	{0x9F01, FormatN, 6, 6, SourceTerminal, nil},               // Acquirer Identifier: n 6-11
	{0x9F02, FormatN, 6, 6, SourceTerminal, nil},               // Amount, Authorised: n 12
	{0x9F03, FormatN, 6, 6, SourceTerminal, nil},               // Amount, Other: n 12
	{0x9F0B, FormatANS, 27, 45, SourceCard, []Tag{0x70, 0x77}}, // Cardholder Name Extended
	{0x9F10, FormatB, 0, 32, SourceCard, []Tag{0x77, 0x80}},    // IAD: up to 32
	{0x9F16, FormatANS, 15, 15, SourceTerminal, nil},           // Merchant Identifier
	{0x9F18, FormatB, 4, 4, SourceIssuer, []Tag{0x71, 0x72}},   // Issuer Script Identifier
	{0x9F1C, FormatAN, 8, 8, SourceTerminal, nil},              // Terminal Identification
	{0x9F1D, FormatB, 1, 8, SourceTerminal, nil},               // Terminal Risk Management Data
	{0x9F26, FormatB, 8, 8, SourceCard, []Tag{0x77, 0x80}},     // Application Cryptogram
	{0x9F27, FormatB, 1, 1, SourceCard, []Tag{0x77, 0x80}},     // CID
	{0x9F33, FormatB, 3, 3, SourceTerminal, nil},               // Terminal Capabilities
	{0x9F36, FormatB, 2, 2, SourceCard, []Tag{0x77, 0x80}},     // ATC
	{0x9F37, FormatB, 4, 4, SourceTerminal, nil},               // Unpredictable Number
	{0x9F3B, FormatN, 2, 8, SourceCard, []Tag{0x70, 0x77}},     // Application Reference Currency
	{0x9F41, FormatN, 2, 4, SourceTerminal, nil},               // Transaction Sequence Counter: n 4-8
	{0x9F43, FormatN, 1, 4, SourceCard, []Tag{0x70, 0x77}},     // Application Reference Currency Exponent
	{0x9F4C, FormatB, 2, 8, SourceCard, nil},                   // ICC Dynamic Number
	{0x9F4D, FormatB, 2, 2, SourceCard, []Tag{0xBF0C, 0x73}},   // Log Entry
	{0x9F40, FormatB, 5, 5, SourceTerminal, nil},               // Additional Terminal Capabilities
	{0x9F0D, FormatB, 5, 5, SourceCard, []Tag{0x70, 0x77}},     // IAC - Default
}

func TestDictAnnexA(t *testing.T) {
	for _, want := range dictAnnexA {
		e, ok := Lookup(want.tag)
		if !ok {
			t.Errorf("%s: not in the dictionary", want.tag)
			continue
		}
		if e.Format != want.format || e.MinLen != want.min || e.MaxLen != want.max || e.Source != want.source {
			t.Errorf("%s %s: got %s %d-%d %s, Annex A says %s %d-%d %s", want.tag, e.Name,
				e.Format, e.MinLen, e.MaxLen, e.Source, want.format, want.min, want.max, want.source)
		}
		if !slices.Equal(e.Templates, want.templates) {
			t.Errorf("%s %s: templates %v, Annex A says %v", want.tag, e.Name, e.Templates, want.templates)
		}
	}
}

// dictSchemeLengths lists, for tags that schemes use differently, each
// meaning the entry names and a length that meaning's published dictionary
// gives: the entry's range must admit it.
var dictSchemeLengths = []struct {
	tag     Tag
	meaning string
	length  int
	source  string
}{
	{0x9F66, "Terminal Transaction Qualifiers", 4, "EMV Book 3 v4.4 Annex A; Contactless Book A Table 5-4"},
	{0x9F6C, "Card Transaction Qualifiers", 2, "EMV Contactless Book C-3 Annex A"},
	{0x9F6D, "Contactless Reader Capabilities", 1, "EMV Contactless Book C-4 Table 4-2 (openemv/emv-utils src/emv_strings.c)"},
	{0x9F6D, "EC Reset Threshold", 6, "PBOC n 12 (ChairmanYSL/L3TestApp app/src/main/jni/export/emv_tag.h)"},
	{0x9F6E, "Form Factor Indicator", 4, "VCPS 2.2 Annex D (openemv/emv-utils src/emv_strings.c)"},
	{0x9F6E, "Third Party Data", 5, "EMV Contactless Book C-2 Annex A: 5-32"},
	{0x9F6E, "Third Party Data", 32, "EMV Contactless Book C-2 Annex A: 5-32"},
	{0x9F6E, "Enhanced Contactless Reader Capabilities", 4, "EMV Contactless Book C-4 Table 4-4"},
	{0x9F5D, "Available Offline Spending Amount", 6, "n 12 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F61, "Cardholder ID Number", 40, "PBOC an 1-40 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F63, "Product Identification Information", 16, "PBOC b 16 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F63, "PUNATC (Track1)", 6, "EMV Contactless Book C-2 Annex A"},
	{0x9F69, "Card Authentication Related Data", 5, "EMV Contactless Book C-3: 5-16"},
	{0x9F69, "Card Authentication Related Data", 16, "EMV Contactless Book C-3: 5-16"},
	{0x9F6B, "Track 2 Data", 19, "EMV Contactless Book C-2 Annex A: up to 19"},
	{0x9F6B, "Card CVM Limit", 6, "PBOC/qVSDC n 12"},
	{0x9F70, "Protected Data Envelope 1", 192, "EMV Contactless Book C-2 Annex A: up to 192"},
	{0x9F74, "EC Issuer Authorisation Code", 6, "PBOC a 6 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F77, "EC Balance Limit", 6, "PBOC n 12 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F78, "EC Single Transaction Limit", 6, "PBOC n 12 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F79, "EC Balance", 6, "PBOC n 12 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F7B, "EC Terminal Transaction Limit", 6, "PBOC n 12 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0x9F7C, "Merchant Custom Data", 20, "EMV Contactless Book C-2 Annex A"},
	{0x9F7C, "Customer Exclusive Data", 32, "EMV Contactless Book C-3: up to 32"},
	{0xDF69, "SM Algorithm Supported Indicator", 1, "PBOC b 1 (ChairmanYSL/L3TestApp emv_tag.h)"},
	{0xDF8116, "User Interface Request Data", 22, "EMV Contactless Book C-2 Annex A"},
	{0xDF8129, "Outcome Parameter Set", 8, "EMV Contactless Book C-2 Annex A"},
}

func TestDictSchemeElements(t *testing.T) {
	for _, c := range dictSchemeLengths {
		e, ok := Lookup(c.tag)
		if !ok {
			t.Errorf("%s: not in the dictionary", c.tag)
			continue
		}
		if !strings.Contains(e.Name, c.meaning) {
			t.Errorf("%s: name %q does not mention %q", c.tag, e.Name, c.meaning)
		}
		if c.length < e.MinLen || c.length > e.MaxLen {
			t.Errorf("%s %q: range %d-%d refuses %d bytes (%s)", c.tag, c.meaning, e.MinLen, e.MaxLen, c.length, c.source)
		}
	}
}

// dictLongElements are the documented exceptions to "MaxLen <= 255".
var dictLongElements = map[Tag]int{
	0x86:     261,        // Annex A: Issuer Script Command, var. up to 261
	0x71:     dictBERMax, // issuer script templates: no bound in Annex A
	0x72:     dictBERMax,
	0xFF8101: dictBERMax, // Kernel 2 data exchange templates
	0xFF8102: dictBERMax,
	0xFF8103: dictBERMax,
	0xFF8104: dictBERMax,
	0xFF8105: dictBERMax,
	0xFF8106: dictBERMax,
}

func TestDictInvariants(t *testing.T) {
	if n := len(dictionary); n < 180 {
		t.Errorf("dictionary has %d entries, want at least 180", n)
	}
	names := make(map[string]Tag)
	for i, e := range dictionary {
		if i > 0 && dictionary[i-1].Tag >= e.Tag {
			t.Errorf("entry %d: %s follows %s: not sorted, or a duplicate", i, e.Tag, dictionary[i-1].Tag)
		}
		if p, err := ParseTag(e.Tag.String()); err != nil || p != e.Tag {
			t.Errorf("%s: not a valid BER tag (parsed %s, %v)", e.Tag, p, err)
		}
		if e.Name == "" || strings.TrimSpace(e.Name) != e.Name {
			t.Errorf("%s: bad name %q", e.Tag, e.Name)
		}
		if prev, dup := names[e.Name]; dup {
			t.Errorf("%s and %s share the name %q", prev, e.Tag, e.Name)
		}
		names[e.Name] = e.Tag
		if e.Source != SourceCard && e.Source != SourceTerminal && e.Source != SourceIssuer {
			t.Errorf("%s: source %d not set", e.Tag, e.Source)
		}
		if e.Format > FormatVar {
			t.Errorf("%s: format %d out of range", e.Tag, e.Format)
		}
		if e.MinLen < 0 || e.MinLen > e.MaxLen {
			t.Errorf("%s: length range %d-%d", e.Tag, e.MinLen, e.MaxLen)
		}
		if want, long := dictLongElements[e.Tag]; long {
			if e.MaxLen != want {
				t.Errorf("%s: MaxLen %d, want the documented %d", e.Tag, e.MaxLen, want)
			}
		} else if e.MaxLen > 255 {
			t.Errorf("%s: MaxLen %d > 255 and not a documented exception", e.Tag, e.MaxLen)
		}
		if e.Tag.Constructed() && e.Format != FormatVar && e.Format != FormatB {
			t.Errorf("%s: constructed tag with format %s", e.Tag, e.Format)
		}
		dictCheckTemplates(t, e)
	}
}

// dictCheckTemplates checks that the templates an element lists are
// templates: constructed tags (80, whose value is values without tags,
// is the one primitive template, EMV Book 3 §6.5.x response format 1),
// described as such when the dictionary knows them.
func dictCheckTemplates(t *testing.T, e Element) {
	t.Helper()
	for _, tpl := range e.Templates {
		if tpl == e.Tag {
			t.Errorf("%s lists itself as its template", e.Tag)
		}
		if !tpl.Constructed() && tpl != 0x80 {
			t.Errorf("%s: template %s is a primitive tag", e.Tag, tpl)
		}
		if te, ok := Lookup(tpl); ok && te.Format != FormatVar {
			t.Errorf("%s: template %s has format %s, want var", e.Tag, tpl, te.Format)
		}
	}
}

// TestDictSensitive pins the set of masked elements: cardholder data and
// PIN data, and nothing else.
func TestDictSensitive(t *testing.T) {
	want := []Tag{0x56, 0x57, 0x5A, 0x99, 0x5F20, 0x9F0B, 0x9F1F, 0x9F20, 0x9F61, 0x9F6B, 0xDF812A, 0xDF812B}
	var got []Tag
	for _, e := range dictionary {
		if e.Sensitive {
			got = append(got, e.Tag)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("sensitive elements %v, want %v", got, want)
	}
	for _, tag := range []Tag{0x5F24, 0x9F24, 0x9F25, 0x9F62, 0x9F63, 0x9F64, 0x9F65} {
		if e, _ := Lookup(tag); e.Sensitive {
			t.Errorf("%s %s is marked sensitive", tag, e.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	e, ok := Lookup(0x9F26)
	if !ok || e.Tag != 0x9F26 || e.Name != "Application Cryptogram" {
		t.Fatalf("Lookup(9F26) = %+v, %v", e, ok)
	}
	orig := e
	e.Name, e.MaxLen = "changed", -1
	if again, _ := Lookup(0x9F26); again.Name != orig.Name || again.MaxLen != orig.MaxLen {
		t.Errorf("changing a looked-up Element changed the dictionary: %+v", again)
	}
	for _, unknown := range []Tag{0, 0x9F8F, 0xDF8F01, 0x5F99} {
		if e, ok := Lookup(unknown); ok || e.Name != "" || e.Tag != 0 {
			t.Errorf("Lookup(%s) = %+v, %v; want zero, false", unknown, e, ok)
		}
	}
}

func TestLookupTagName(t *testing.T) {
	cases := []struct {
		tag  Tag
		name string
	}{
		{0x9F02, "Amount, Authorised (Numeric)"},
		{0x5A, "Application Primary Account Number (PAN)"},
		{0xBF0C, "File Control Information (FCI) Issuer Discretionary Data"},
		{0xDF8129, "Outcome Parameter Set"},
		{0xDF69, "SM Algorithm Supported Indicator (PBOC)"},
		{0x9F8F, ""},
	}
	for _, c := range cases {
		if got := c.tag.Name(); got != c.name {
			t.Errorf("%s.Name() = %q, want %q", c.tag, got, c.name)
		}
	}
}

func TestElementsSortedCopy(t *testing.T) {
	all := Elements()
	if len(all) != len(dictionary) {
		t.Fatalf("Elements() has %d entries, dictionary %d", len(all), len(dictionary))
	}
	if !slices.IsSortedFunc(all, func(a, b Element) int { return int(a.Tag) - int(b.Tag) }) {
		t.Error("Elements() is not sorted by tag")
	}
	for i := range all {
		if all[i].Tag != dictionary[i].Tag || all[i].Name != dictionary[i].Name {
			t.Fatalf("Elements()[%d] = %s, dictionary has %s", i, all[i].Tag, dictionary[i].Tag)
		}
	}
	first := all[0]
	all[0].Name, all[0].MaxLen, all[0].Sensitive = "changed", -1, !first.Sensitive
	if e, _ := Lookup(first.Tag); e.Name != first.Name || e.MaxLen != first.MaxLen || e.Sensitive != first.Sensitive {
		t.Errorf("changing Elements() changed Lookup(%s): %+v", first.Tag, e)
	}
	if again := Elements(); again[0].Name != first.Name {
		t.Errorf("changing Elements() changed a later Elements(): %q", again[0].Name)
	}
}
