package emv

// The data dictionary, as data.
//
// Sources, cited per group below:
//   - EMV Book 3 v4.3 Annex A1, Table 33 "Data Elements Dictionary" (and the
//     v4.4 edition of the same annex for the elements it added: 9F0C, 9F19,
//     9F24, 9F25, 9F2A, 9F30, 9F31, 9F66, the biometric templates);
//   - EMV Book 1 Annex B and EMV Contactless Book B (Entry Point) for the
//     directory and PPSE elements;
//   - EMV Contactless Books C-2 (Mastercard), C-3 (Visa), C-4 (American
//     Express), Visa VIS 1.5 (VSDC) and JR/T 0025 (PBOC 3.0) for the
//     scheme and domestic elements of 9F50–9F7F, DF.. and DF81...
//
// Conventions, chosen here and tested in dict_test.go:
//   - MinLen and MaxLen are value lengths in bytes, as Annex A's "Length"
//     column gives them (format n 12 is 6 bytes).
//   - Where Annex A gives only an upper bound ("var. up to n") MinLen is 0.
//   - Where Annex A gives none ("var."), MaxLen is dictVarMax, dictResponseMax
//     or dictBERMax, whichever the element's transport bounds (see below).
//   - Certificates, signatures and remainders are bounded by the largest
//     key EMV Book 2 allows: N_CA <= 248 bytes, so N_I, N_IC, N_PE <= 248,
//     the issuer remainder N_I - N_CA + 36 <= 36 and the ICC remainders
//     N_IC - N_I + 42 <= 42.
//   - Templates are FormatVar.
//   - A tag that schemes use for different data elements has one entry: the
//     Name leads with the meaning this project meets first and lists the
//     others after " / " with the scheme in brackets; Format and Source are
//     those of the first meaning, and MinLen/MaxLen span every meaning named,
//     so that a length check never rejects a value that one of the named
//     schemes allows. Each such entry says why its first meaning was chosen.
//   - Sensitive marks cardholder data that traces mask: PAN, track data and
//     their discretionary parts, cardholder name, cardholder ID number, PIN
//     data.
//
// Keep the table sorted by tag value (one-byte tags, then two-byte, then
// three-byte); dict_test.go checks it.

// Length bounds used where the specifications give none.
const (
	// dictVarMax bounds "var." elements carried in a record, an FCI or a
	// terminal message. It is the bound Annex A itself gives to every
	// template and list it does bound (61, 6F, 70, 73, 8C, 8D, 8E, 94, 97,
	// 9F49): a record or FCI of a short R-APDU holds no more.
	dictVarMax = 252
	// dictResponseMax bounds the response templates 77 and 80: the 256 data
	// bytes of a short R-APDU less the tag and a two-byte length field.
	dictResponseMax = 253
	// dictBERMax bounds elements that no APDU limits (issuer script
	// templates, which may hold several 261-byte commands, and the Kernel 2
	// data exchange templates): the largest value a three-byte EMV length
	// field ('82 FF FF', EMV Book 3 Annex B1) can express.
	dictBERMax = 0xFFFF
	// dictDataEnvelopeMax is the bound of Kernel 2's data envelopes
	// (9F70–9F79), EMV Contactless Book C-2 Annex A.
	dictDataEnvelopeMax = 192
)

// The templates of Annex A's "Template" column.
var (
	dictInRecord      = []Tag{0x70, 0x77}   // "70 or 77": record or response format 2
	dictInResponse    = []Tag{0x77, 0x80}   // "77 or 80": GPO / GENERATE AC response
	dictInDirEntry    = []Tag{0x61, 0xA5}   // "61 or A5": directory entry or FCI
	dictInFCIProp     = []Tag{0xA5}         // FCI proprietary template
	dictInFCI         = []Tag{0x6F}         // FCI template
	dictInIssuerDisc  = []Tag{0xBF0C, 0x73} // "BF0C or 73": FCI or directory discretionary data
	dictInScript      = []Tag{0x71, 0x72}   // issuer script templates
	dictInApplication = []Tag{0x61}         // application template (directory entry)
)

var dictionary = [...]Element{
	// --- One-byte tags. EMV Book 3 Annex A1, Table 33, unless noted. ---
	{Tag: 0x42, Name: "Issuer Identification Number (IIN)", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x4F, Name: "Application Identifier (AID) - card", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceCard, Templates: dictInApplication},
	{Tag: 0x50, Name: "Application Label", Format: FormatANS, MinLen: 1, MaxLen: 16, Source: SourceCard, Templates: dictInDirEntry},
	// 56: EMV Contactless Book C-2 Annex A (mag-stripe mode), ans up to 76.
	{Tag: 0x56, Name: "Track 1 Data", Format: FormatANS, MinLen: 0, MaxLen: 76, Source: SourceCard, Templates: []Tag{0x70}, Sensitive: true},
	{Tag: 0x57, Name: "Track 2 Equivalent Data", Format: FormatB, MinLen: 0, MaxLen: 19, Source: SourceCard, Templates: dictInRecord, Sensitive: true},
	{Tag: 0x5A, Name: "Application Primary Account Number (PAN)", Format: FormatCN, MinLen: 0, MaxLen: 10, Source: SourceCard, Templates: dictInRecord, Sensitive: true},
	// 61: Annex A gives template 70 (PSE record); Book B adds BF0C (PPSE FCI).
	{Tag: 0x61, Name: "Application Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: []Tag{0x70, 0xBF0C}},
	{Tag: 0x6F, Name: "File Control Information (FCI) Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},
	{Tag: 0x70, Name: "READ RECORD Response Message Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},
	{Tag: 0x71, Name: "Issuer Script Template 1", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceIssuer},
	{Tag: 0x72, Name: "Issuer Script Template 2", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceIssuer},
	{Tag: 0x73, Name: "Directory Discretionary Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInApplication},
	{Tag: 0x77, Name: "Response Message Template Format 2", Format: FormatVar, MinLen: 0, MaxLen: dictResponseMax, Source: SourceCard},
	// 80 is a primitive tag used as a template: its value is the
	// concatenation of values without tags and lengths.
	{Tag: 0x80, Name: "Response Message Template Format 1", Format: FormatVar, MinLen: 0, MaxLen: dictResponseMax, Source: SourceCard},
	{Tag: 0x81, Name: "Amount, Authorised (Binary)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x82, Name: "Application Interchange Profile (AIP)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInResponse},
	{Tag: 0x83, Name: "Command Template", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0x84, Name: "Dedicated File (DF) Name", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceCard, Templates: dictInFCI},
	{Tag: 0x86, Name: "Issuer Script Command", Format: FormatB, MinLen: 0, MaxLen: 261, Source: SourceIssuer, Templates: dictInScript},
	{Tag: 0x87, Name: "Application Priority Indicator", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInDirEntry},
	{Tag: 0x88, Name: "Short File Identifier (SFI)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInFCIProp},
	// 89: Annex A leaves the format to the payment system; M/Chip and VCPS
	// both define ans 6, which is what is met.
	{Tag: 0x89, Name: "Authorisation Code", Format: FormatANS, MinLen: 6, MaxLen: 6, Source: SourceIssuer},
	// 8A: Annex A's source is "Issuer/Terminal" (the terminal sets it only
	// when it decides offline); the issuer is the usual source.
	{Tag: 0x8A, Name: "Authorisation Response Code", Format: FormatAN, MinLen: 2, MaxLen: 2, Source: SourceIssuer},
	{Tag: 0x8C, Name: "Card Risk Management Data Object List 1 (CDOL1)", Format: FormatB, MinLen: 0, MaxLen: 252, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x8D, Name: "Card Risk Management Data Object List 2 (CDOL2)", Format: FormatB, MinLen: 0, MaxLen: 252, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x8E, Name: "Cardholder Verification Method (CVM) List", Format: FormatB, MinLen: 10, MaxLen: 252, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x8F, Name: "Certification Authority Public Key Index", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x90, Name: "Issuer Public Key Certificate", Format: FormatB, MinLen: 0, MaxLen: 248, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x91, Name: "Issuer Authentication Data", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceIssuer},
	{Tag: 0x92, Name: "Issuer Public Key Remainder", Format: FormatB, MinLen: 0, MaxLen: 36, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x93, Name: "Signed Static Application Data", Format: FormatB, MinLen: 0, MaxLen: 248, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x94, Name: "Application File Locator (AFL)", Format: FormatVar, MinLen: 0, MaxLen: 252, Source: SourceCard, Templates: dictInResponse},
	{Tag: 0x95, Name: "Terminal Verification Results (TVR)", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0x97, Name: "Transaction Certificate Data Object List (TDOL)", Format: FormatB, MinLen: 0, MaxLen: 252, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x98, Name: "Transaction Certificate (TC) Hash Value", Format: FormatB, MinLen: 20, MaxLen: 20, Source: SourceTerminal},
	{Tag: 0x99, Name: "Transaction Personal Identification Number (PIN) Data", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal, Sensitive: true},
	{Tag: 0x9A, Name: "Transaction Date", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9B, Name: "Transaction Status Information (TSI)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9C, Name: "Transaction Type", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9D, Name: "Directory Definition File (DDF) Name", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceCard, Templates: dictInApplication},
	{Tag: 0xA5, Name: "File Control Information (FCI) Proprietary Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInFCI},

	// --- Two-byte tags 5F.., 7F..: EMV Book 3 Annex A1, Table 33. ---
	{Tag: 0x5F20, Name: "Cardholder Name", Format: FormatANS, MinLen: 2, MaxLen: 26, Source: SourceCard, Templates: dictInRecord, Sensitive: true},
	{Tag: 0x5F24, Name: "Application Expiration Date", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x5F25, Name: "Application Effective Date", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x5F28, Name: "Issuer Country Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x5F2A, Name: "Transaction Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x5F2D, Name: "Language Preference", Format: FormatAN, MinLen: 2, MaxLen: 8, Source: SourceCard, Templates: dictInFCIProp},
	{Tag: 0x5F30, Name: "Service Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x5F34, Name: "Application Primary Account Number (PAN) Sequence Number", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x5F36, Name: "Transaction Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x5F50, Name: "Issuer URL", Format: FormatANS, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x5F53, Name: "International Bank Account Number (IBAN)", Format: FormatVar, MinLen: 0, MaxLen: 34, Source: SourceCard, Templates: dictInIssuerDisc},
	// 5F54: Annex A allows 8 or 11 bytes only; the range admits 9 and 10.
	{Tag: 0x5F54, Name: "Bank Identifier Code (BIC)", Format: FormatVar, MinLen: 8, MaxLen: 11, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x5F55, Name: "Issuer Country Code (alpha2 format)", Format: FormatA, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x5F56, Name: "Issuer Country Code (alpha3 format)", Format: FormatA, MinLen: 3, MaxLen: 3, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x5F57, Name: "Account Type", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	// 7F60: EMV Book 3 v4.4 (biometric CVM); card or terminal, nested in the
	// BIT group templates.
	{Tag: 0x7F60, Name: "Biometric Information Template (BIT)", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},

	// --- 9F01–9F4F: EMV Book 3 Annex A1, Table 33 (v4.4 where noted). ---
	{Tag: 0x9F01, Name: "Acquirer Identifier", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F02, Name: "Amount, Authorised (Numeric)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F03, Name: "Amount, Other (Numeric)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0x9F04, Name: "Amount, Other (Binary)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F05, Name: "Application Discretionary Data", Format: FormatB, MinLen: 1, MaxLen: 32, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F06, Name: "Application Identifier (AID) - terminal", Format: FormatB, MinLen: 5, MaxLen: 16, Source: SourceTerminal},
	{Tag: 0x9F07, Name: "Application Usage Control", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F08, Name: "Application Version Number", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F09, Name: "Application Version Number - terminal", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F0A, Name: "Application Selection Registered Proprietary Data (ASRPD)", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: []Tag{0x73, 0xBF0C}},
	{Tag: 0x9F0B, Name: "Cardholder Name Extended", Format: FormatANS, MinLen: 27, MaxLen: 45, Source: SourceCard, Templates: dictInRecord, Sensitive: true},
	// 9F0C: v4.4, n 6-8 in 3 or 4 bytes.
	{Tag: 0x9F0C, Name: "Issuer Identification Number Extended (IINE)", Format: FormatN, MinLen: 3, MaxLen: 4, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x9F0D, Name: "Issuer Action Code - Default", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F0E, Name: "Issuer Action Code - Denial", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F0F, Name: "Issuer Action Code - Online", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F10, Name: "Issuer Application Data (IAD)", Format: FormatB, MinLen: 0, MaxLen: 32, Source: SourceCard, Templates: dictInResponse},
	{Tag: 0x9F11, Name: "Issuer Code Table Index", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInFCIProp},
	{Tag: 0x9F12, Name: "Application Preferred Name", Format: FormatANS, MinLen: 1, MaxLen: 16, Source: SourceCard, Templates: dictInDirEntry},
	{Tag: 0x9F13, Name: "Last Online Application Transaction Counter (ATC) Register", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard},
	{Tag: 0x9F14, Name: "Lower Consecutive Offline Limit", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F15, Name: "Merchant Category Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F16, Name: "Merchant Identifier", Format: FormatANS, MinLen: 15, MaxLen: 15, Source: SourceTerminal},
	{Tag: 0x9F17, Name: "Personal Identification Number (PIN) Try Counter", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F18, Name: "Issuer Script Identifier", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceIssuer, Templates: dictInScript},
	// 9F19, 9F24, 9F25: v4.4, from the EMV Payment Tokenisation Framework.
	{Tag: 0x9F19, Name: "Token Requestor ID", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F1A, Name: "Terminal Country Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F1B, Name: "Terminal Floor Limit", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F1C, Name: "Terminal Identification", Format: FormatAN, MinLen: 8, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0x9F1D, Name: "Terminal Risk Management Data", Format: FormatB, MinLen: 1, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0x9F1E, Name: "Interface Device (IFD) Serial Number", Format: FormatAN, MinLen: 8, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0x9F1F, Name: "Track 1 Discretionary Data", Format: FormatANS, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInRecord, Sensitive: true},
	{Tag: 0x9F20, Name: "Track 2 Discretionary Data", Format: FormatCN, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInRecord, Sensitive: true},
	{Tag: 0x9F21, Name: "Transaction Time", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9F22, Name: "Certification Authority Public Key Index - terminal", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F23, Name: "Upper Consecutive Offline Limit", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F24, Name: "Payment Account Reference (PAR)", Format: FormatAN, MinLen: 29, MaxLen: 29, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F25, Name: "Last 4 Digits of PAN", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F26, Name: "Application Cryptogram", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceCard, Templates: dictInResponse},
	{Tag: 0x9F27, Name: "Cryptogram Information Data", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInResponse},
	// 9F29, 9F2A: EMV Contactless Book B (Entry Point), carried in the PPSE
	// directory entry; v4.4 Annex A gives 9F2A as 1 or 3-8 bytes.
	{Tag: 0x9F29, Name: "Extended Selection", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInApplication},
	{Tag: 0x9F2A, Name: "Kernel Identifier", Format: FormatB, MinLen: 1, MaxLen: 8, Source: SourceCard, Templates: dictInApplication},
	{Tag: 0x9F2D, Name: "ICC PIN Encipherment Public Key Certificate", Format: FormatB, MinLen: 0, MaxLen: 248, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F2E, Name: "ICC PIN Encipherment Public Key Exponent", Format: FormatB, MinLen: 1, MaxLen: 3, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F2F, Name: "ICC PIN Encipherment Public Key Remainder", Format: FormatB, MinLen: 0, MaxLen: 42, Source: SourceCard, Templates: dictInRecord},
	// 9F30, 9F31: v4.4 (biometric CVM). 9F31 is a primitive tag that Annex
	// A calls a template; its value is BIT objects.
	{Tag: 0x9F30, Name: "Biometric Terminal Capabilities", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9F31, Name: "Card BIT Group Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: []Tag{0x70}},
	{Tag: 0x9F32, Name: "Issuer Public Key Exponent", Format: FormatB, MinLen: 1, MaxLen: 3, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F33, Name: "Terminal Capabilities", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9F34, Name: "Cardholder Verification Method (CVM) Results", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0x9F35, Name: "Terminal Type", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F36, Name: "Application Transaction Counter (ATC)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInResponse},
	{Tag: 0x9F37, Name: "Unpredictable Number", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F38, Name: "Processing Options Data Object List (PDOL)", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInFCIProp},
	{Tag: 0x9F39, Name: "Point-of-Service (POS) Entry Mode", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F3A, Name: "Amount, Reference Currency", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F3B, Name: "Application Reference Currency", Format: FormatN, MinLen: 2, MaxLen: 8, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F3C, Name: "Transaction Reference Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0x9F3D, Name: "Transaction Reference Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F40, Name: "Additional Terminal Capabilities", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0x9F41, Name: "Transaction Sequence Counter", Format: FormatN, MinLen: 2, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F42, Name: "Application Currency Code", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F43, Name: "Application Reference Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 4, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F44, Name: "Application Currency Exponent", Format: FormatN, MinLen: 1, MaxLen: 1, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F45, Name: "Data Authentication Code", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard},
	{Tag: 0x9F46, Name: "ICC Public Key Certificate", Format: FormatB, MinLen: 0, MaxLen: 248, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F47, Name: "ICC Public Key Exponent", Format: FormatB, MinLen: 1, MaxLen: 3, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F48, Name: "ICC Public Key Remainder", Format: FormatB, MinLen: 0, MaxLen: 42, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F49, Name: "Dynamic Data Authentication Data Object List (DDOL)", Format: FormatB, MinLen: 0, MaxLen: 252, Source: SourceCard, Templates: dictInRecord},
	// 9F4A: Annex A gives no format; its value is a list of tags.
	{Tag: 0x9F4A, Name: "Static Data Authentication Tag List", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard, Templates: dictInRecord},
	{Tag: 0x9F4B, Name: "Signed Dynamic Application Data", Format: FormatB, MinLen: 0, MaxLen: 248, Source: SourceCard, Templates: dictInResponse},
	{Tag: 0x9F4C, Name: "ICC Dynamic Number", Format: FormatB, MinLen: 2, MaxLen: 8, Source: SourceCard},
	{Tag: 0x9F4D, Name: "Log Entry", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: dictInIssuerDisc},
	{Tag: 0x9F4E, Name: "Merchant Name and Location", Format: FormatANS, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0x9F4F, Name: "Log Format", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},

	// --- 9F50–9F7F: scheme and domestic elements, outside Annex A (except
	// 9F66). Schemes reuse these tags, so most entries name several data
	// elements. Unless an entry says otherwise, the first meaning is the
	// one this product's applications use: the domestic PBOC (JR/T 0025,
	// which shares these tags with Visa VSDC/qVSDC) or Entry Point's.
	// Mastercard meanings are from EMV Contactless Book C-2 Annex A, Visa's
	// from Book C-3 and VIS 1.5, American Express's from Book C-4. ---
	{Tag: 0x9F50, Name: "Offline Accumulator Balance (Mastercard)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0x9F51, Name: "Application Currency Code (VSDC, PBOC) / DRDOL (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},
	{Tag: 0x9F52, Name: "Application Default Action (ADA) (VSDC, PBOC) / Terminal Compatibility Indicator (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 2, Source: SourceCard},
	{Tag: 0x9F53, Name: "Consecutive Transaction Limit (International) (VSDC, PBOC) / Transaction Category Code (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F54, Name: "Cumulative Total Transaction Amount Limit (VSDC, PBOC) / DS ODS Card (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: 160, Source: SourceCard},
	{Tag: 0x9F55, Name: "Geographic Indicator (VSDC)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F56, Name: "Issuer Authentication Indicator (VSDC, PBOC)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F57, Name: "Issuer Country Code (VSDC, PBOC)", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceCard},
	{Tag: 0x9F58, Name: "Lower Consecutive Offline Limit (PBOC) / Consecutive Transaction Counter Limit (VSDC)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F59, Name: "Upper Consecutive Offline Limit (PBOC) / Consecutive Transaction Counter Upper Limit (VSDC)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	// 9F5A: Entry Point's (Visa's) meaning first: it is in the PPSE entry
	// that selection reads.
	{Tag: 0x9F5A, Name: "Application Program Identifier (Program ID) / Issuer URL2 (PBOC)", Format: FormatB, MinLen: 1, MaxLen: dictVarMax, Source: SourceCard, Templates: []Tag{0xBF0C}},
	// 9F5B: not in Annex A (which gives Issuer Script Results no tag) but the
	// tag terminals send it under (Visa, PBOC).
	{Tag: 0x9F5B, Name: "Issuer Script Results / DSDOL (Mastercard)", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0x9F5C, Name: "Cumulative Total Transaction Amount Upper Limit (VSDC, PBOC) / DS Requested Operator ID (Mastercard)", Format: FormatN, MinLen: 6, MaxLen: 8, Source: SourceCard},
	{Tag: 0x9F5D, Name: "Available Offline Spending Amount (qVSDC, PBOC) / Application Capabilities Information (Mastercard)", Format: FormatN, MinLen: 3, MaxLen: 6, Source: SourceCard},
	// 9F5E: Mastercard's meaning first: VSDC's use is rare and unbounded in
	// the sources found.
	{Tag: 0x9F5E, Name: "Data Storage Identifier (Mastercard) / Consecutive Transaction International Upper Limit (VSDC)", Format: FormatB, MinLen: 1, MaxLen: 11, Source: SourceCard},
	{Tag: 0x9F5F, Name: "DS Slot Availability (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F60, Name: "CVC3 (Track1) (Mastercard)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard},
	// 9F61, 9F62: the PBOC cardholder ID (an up to 40, and its type) is
	// personal data: 9F61 is masked.
	{Tag: 0x9F61, Name: "Cardholder ID Number (PBOC) / CVC3 (Track2) (Mastercard)", Format: FormatAN, MinLen: 1, MaxLen: 40, Source: SourceCard, Sensitive: true},
	{Tag: 0x9F62, Name: "Cardholder ID Type (PBOC) / PCVC3 (Track1) (Mastercard)", Format: FormatCN, MinLen: 1, MaxLen: 6, Source: SourceCard},
	{Tag: 0x9F63, Name: "Product Identification Information (PBOC) / PUNATC (Track1) (Mastercard)", Format: FormatB, MinLen: 6, MaxLen: 16, Source: SourceCard},
	{Tag: 0x9F64, Name: "NATC (Track1) (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F65, Name: "PCVC3 (Track2) (Mastercard)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard},
	// 9F66: EMV Book 3 v4.4 Annex A and Contactless Book A (4 bytes).
	{Tag: 0x9F66, Name: "Terminal Transaction Qualifiers (TTQ) / PUNATC (Track2) (Mastercard)", Format: FormatB, MinLen: 2, MaxLen: 4, Source: SourceTerminal},
	{Tag: 0x9F67, Name: "MSD Offset (Visa) / NATC (Track2) (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F68, Name: "Card Additional Processes (qVSDC, PBOC)", Format: FormatB, MinLen: 4, MaxLen: 4, Source: SourceCard},
	// 9F69: fDDA data is 5-16 bytes; Mastercard's UDOL is a DOL.
	{Tag: 0x9F69, Name: "Card Authentication Related Data (qVSDC, PBOC) / UDOL (Mastercard)", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},
	{Tag: 0x9F6A, Name: "Unpredictable Number (Numeric) (Mastercard)", Format: FormatN, MinLen: 4, MaxLen: 4, Source: SourceTerminal},
	// 9F6B: Mastercard's Track 2 Data first, and masked, so that a trace
	// never shows track data under the other name (Card CVM Limit, n 12).
	{Tag: 0x9F6B, Name: "Track 2 Data (Mastercard) / Card CVM Limit (qVSDC, PBOC)", Format: FormatB, MinLen: 0, MaxLen: 19, Source: SourceCard, Sensitive: true},
	{Tag: 0x9F6C, Name: "Card Transaction Qualifiers (CTQ) / Mag-stripe Application Version Number (Card) (Mastercard)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard},
	// 9F6D: PBOC's EC Reset Threshold (n 12) is read with GET DATA only;
	// the one DOL use is American Express's 1-byte reader capabilities, so
	// the format is b (DOL padding follows the format).
	{Tag: 0x9F6D, Name: "EC Reset Threshold (PBOC) / VLP Reset Threshold (VSDC) / Mag-stripe Application Version Number (Reader) (Mastercard) / Contactless Reader Capabilities (Amex)", Format: FormatB, MinLen: 1, MaxLen: 6, Source: SourceCard},
	// 9F6E: three schemes, three elements: Visa's card FFI (4 bytes),
	// Mastercard's card Third Party Data (5-32) and American Express's
	// terminal Enhanced Contactless Reader Capabilities (4, in the PDOL).
	{Tag: 0x9F6E, Name: "Form Factor Indicator (Visa) / Third Party Data (Mastercard) / Enhanced Contactless Reader Capabilities (Amex)", Format: FormatB, MinLen: 4, MaxLen: 32, Source: SourceCard},
	{Tag: 0x9F6F, Name: "DS Slot Management Control (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceCard},
	{Tag: 0x9F70, Name: "Protected Data Envelope 1 (Mastercard) / Card Interface and Payment Capabilities (Amex)", Format: FormatB, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F71, Name: "Protected Data Envelope 2 (Mastercard) / Mobile CVM Results (Amex)", Format: FormatB, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F72, Name: "Consecutive Transaction Limit (International - Country) (PBOC) / Protected Data Envelope 3 (Mastercard)", Format: FormatB, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F73, Name: "Currency Conversion Factor (PBOC) / Protected Data Envelope 4 (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	// 9F74: 6 characters, "ECC001" for an offline-approved EC purchase;
	// sources say "a 6" but the value has digits, so an.
	{Tag: 0x9F74, Name: "EC Issuer Authorisation Code (PBOC) / VLP Issuer Authorisation Code (VSDC) / Protected Data Envelope 5 (Mastercard)", Format: FormatAN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F75, Name: "Cumulative Total Transaction Amount Limit (Dual Currency) (PBOC) / Unprotected Data Envelope 1 (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F76, Name: "Secondary Application Currency Code (PBOC) / Unprotected Data Envelope 2 (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F77, Name: "EC Balance Limit (PBOC) / Unprotected Data Envelope 3 (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F78, Name: "EC Single Transaction Limit (PBOC) / Unprotected Data Envelope 4 (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F79, Name: "EC Balance (PBOC) / Unprotected Data Envelope 5 (Mastercard)", Format: FormatN, MinLen: 0, MaxLen: dictDataEnvelopeMax, Source: SourceCard},
	{Tag: 0x9F7A, Name: "EC Terminal Support Indicator (PBOC) / VLP Terminal Support Indicator (VSDC)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0x9F7B, Name: "EC Terminal Transaction Limit (PBOC) / VLP Terminal Transaction Limit (VSDC)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	// 9F7C: Visa's card data first (Mastercard's is terminal data, 20 bytes).
	{Tag: 0x9F7C, Name: "Customer Exclusive Data (Visa) / Merchant Custom Data (Mastercard)", Format: FormatB, MinLen: 0, MaxLen: 32, Source: SourceCard},
	{Tag: 0x9F7D, Name: "DS Summary 1 (Mastercard)", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceCard},
	{Tag: 0x9F7E, Name: "Mobile Support Indicator (Mastercard) / Application Life Cycle Data (VSDC)", Format: FormatB, MinLen: 1, MaxLen: 48, Source: SourceCard},
	// 9F7F: GET DATA 9F7F returns the GlobalPlatform CPLC (42 bytes) on
	// most cards, so that meaning comes first.
	{Tag: 0x9F7F, Name: "Card Production Life Cycle Data (CPLC) / DS Unpredictable Number (Mastercard)", Format: FormatB, MinLen: 4, MaxLen: 42, Source: SourceCard},

	// --- BF.. templates: EMV Book 3 Annex A1 (BF4C, BF4E: v4.4). ---
	{Tag: 0xBF0C, Name: "File Control Information (FCI) Issuer Discretionary Data", Format: FormatVar, MinLen: 0, MaxLen: 222, Source: SourceCard, Templates: dictInFCIProp},
	{Tag: 0xBF4C, Name: "Biometric Try Counters Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},
	{Tag: 0xBF4E, Name: "Biometric Verification Data Template", Format: FormatVar, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},

	// --- DF.. private-class elements: PBOC (JR/T 0025) and Mastercard
	// (Book C-2 Annex A). The PBOC lengths of DF60-DF63 and DF71-DF79 are
	// inferred (DF7x by analogy with their first-currency twins 9F5x-9F7x)
	// and not confirmed by a published table; the ranges also admit the
	// Mastercard lengths. ---
	{Tag: 0xDF4D, Name: "Load Log Entry (PBOC)", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceCard, Templates: []Tag{0xBF0C}},
	{Tag: 0xDF4F, Name: "Load Log Format (PBOC)", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceCard},
	{Tag: 0xDF60, Name: "CAPP Transaction Indicator (PBOC) / DS Input (Card) (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 8, Source: SourceCard},
	{Tag: 0xDF61, Name: "Segmented Charging Application ID (PBOC) / DS Digest H (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 8, Source: SourceCard},
	{Tag: 0xDF62, Name: "EC Segmented Charging Deduction Limit (PBOC) / DS ODS Info (Mastercard)", Format: FormatB, MinLen: 1, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF63, Name: "EC Segmented Charging Deducted Amount (PBOC) / DS ODS Term (Mastercard)", Format: FormatB, MinLen: 0, MaxLen: 160, Source: SourceCard},
	// DF69: the terminal fills it in the PDOL: 01 when it supports SM2/SM3/SM4.
	{Tag: 0xDF69, Name: "SM Algorithm Supported Indicator (PBOC)", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF71, Name: "Second Currency EC Application Currency Code (PBOC)", Format: FormatN, MinLen: 2, MaxLen: 2, Source: SourceCard},
	{Tag: 0xDF72, Name: "Second Currency Card CVM Limit (PBOC)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF76, Name: "Second Currency EC Reset Threshold (PBOC)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF77, Name: "Second Currency EC Balance Limit (PBOC)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF78, Name: "Second Currency EC Single Transaction Limit (PBOC)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF79, Name: "Second Currency EC Balance (PBOC)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},

	// --- Three-byte tags: EMV Contactless Book C-2 (Kernel 2) Annex A.
	// Kernel and reader data; "card" where the value comes from the card. ---
	{Tag: 0xDF8101, Name: "DS Summary 2", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceCard},
	{Tag: 0xDF8102, Name: "DS Summary 3", Format: FormatB, MinLen: 8, MaxLen: 16, Source: SourceCard},
	{Tag: 0xDF8104, Name: "Balance Read Before Gen AC", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF8105, Name: "Balance Read After Gen AC", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceCard},
	{Tag: 0xDF8106, Name: "Data Needed", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0xDF8107, Name: "CDOL1 Related Data", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0xDF8108, Name: "DS AC Type", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8109, Name: "DS Input (Term)", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0xDF810A, Name: "DS ODS Info For Reader", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF810B, Name: "DS Summary Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF810C, Name: "Kernel ID", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF810D, Name: "DSVN Term", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0xDF810E, Name: "Post-Gen AC Put Data Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF810F, Name: "Pre-Gen AC Put Data Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8110, Name: "Proceed To First Write Flag", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8111, Name: "PDOL Related Data", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0xDF8112, Name: "Tags To Read", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0xDF8113, Name: "DRDOL Related Data", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	{Tag: 0xDF8114, Name: "Reference Control Parameter", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8115, Name: "Error Indication", Format: FormatB, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0xDF8116, Name: "User Interface Request Data", Format: FormatB, MinLen: 22, MaxLen: 22, Source: SourceTerminal},
	{Tag: 0xDF8117, Name: "Card Data Input Capability", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8118, Name: "CVM Capability - CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8119, Name: "CVM Capability - No CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF811A, Name: "Default UDOL", Format: FormatB, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0xDF811B, Name: "Kernel Configuration", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF811C, Name: "Max Lifetime of Torn Transaction Log Record", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0xDF811D, Name: "Max Number of Torn Transaction Log Records", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF811E, Name: "Mag-stripe CVM Capability - CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF811F, Name: "Security Capability", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8120, Name: "Terminal Action Code - Default", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0xDF8121, Name: "Terminal Action Code - Denial", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0xDF8122, Name: "Terminal Action Code - Online", Format: FormatB, MinLen: 5, MaxLen: 5, Source: SourceTerminal},
	{Tag: 0xDF8123, Name: "Reader Contactless Floor Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0xDF8124, Name: "Reader Contactless Transaction Limit (No On-device CVM)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0xDF8125, Name: "Reader Contactless Transaction Limit (On-device CVM)", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0xDF8126, Name: "Reader CVM Required Limit", Format: FormatN, MinLen: 6, MaxLen: 6, Source: SourceTerminal},
	{Tag: 0xDF8127, Name: "Time Out Value", Format: FormatB, MinLen: 2, MaxLen: 2, Source: SourceTerminal},
	{Tag: 0xDF8128, Name: "IDS Status", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8129, Name: "Outcome Parameter Set", Format: FormatB, MinLen: 8, MaxLen: 8, Source: SourceTerminal},
	{Tag: 0xDF812A, Name: "DD Card (Track1)", Format: FormatANS, MinLen: 0, MaxLen: 56, Source: SourceCard, Sensitive: true},
	{Tag: 0xDF812B, Name: "DD Card (Track2)", Format: FormatCN, MinLen: 0, MaxLen: 8, Source: SourceCard, Sensitive: true},
	{Tag: 0xDF812C, Name: "Mag-stripe CVM Capability - No CVM Required", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF812D, Name: "Message Hold Time", Format: FormatN, MinLen: 3, MaxLen: 3, Source: SourceTerminal},
	{Tag: 0xDF8130, Name: "Hold Time Value", Format: FormatB, MinLen: 1, MaxLen: 1, Source: SourceTerminal},
	{Tag: 0xDF8131, Name: "Phone Message Table", Format: FormatB, MinLen: 0, MaxLen: dictVarMax, Source: SourceTerminal},
	// FF8101-FF8106: Kernel 2's data exchange templates, between kernel and
	// terminal only, so no APDU bounds them.
	{Tag: 0xFF8101, Name: "Torn Record", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceTerminal},
	{Tag: 0xFF8102, Name: "Tags To Write Before Gen AC", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceTerminal},
	{Tag: 0xFF8103, Name: "Tags To Write After Gen AC", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceTerminal},
	{Tag: 0xFF8104, Name: "Data To Send", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceTerminal},
	{Tag: 0xFF8105, Name: "Data Record", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceTerminal},
	{Tag: 0xFF8106, Name: "Discretionary Data", Format: FormatVar, MinLen: 0, MaxLen: dictBERMax, Source: SourceTerminal},
}
