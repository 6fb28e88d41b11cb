package emv

// dictionary is the data dictionary, as data. Sources: EMV Book 3 v4.3
// Annex A (A1, "Data Elements Dictionary"), and for scheme and contactless
// elements EMV Contactless Books A–C.
var dictionary = [...]Element{
	{Tag: 0x4F, Name: "Application Identifier (AID) – card", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceCard, Templates: []Tag{0x61}},
	{Tag: 0x57, Name: "Track 2 Equivalent Data", Format: FormatB, MinLen: 0, MaxLen: 19, Source: SourceCard, Templates: []Tag{0x70, 0x77}},
	{Tag: 0x5A, Name: "Application Primary Account Number (PAN)", Format: FormatCN, MinLen: 0, MaxLen: 10, Source: SourceCard, Templates: []Tag{0x70, 0x77}},
	{Tag: 0x9F02, Name: "Amount, Authorised (Numeric)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F26, Name: "Application Cryptogram", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceCard, Templates: []Tag{0x77, 0x80}},
}
