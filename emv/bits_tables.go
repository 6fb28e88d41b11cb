package emv

// The named bits of every bit field, as data. Each constant is a Bit: the
// 0-based byte index in the high byte, the bit's mask in the low byte. The
// comments give EMV's own notation (byte 1 is the leftmost, b8 the most
// significant bit).
//
// Sources: EMV 4.4 Book 3 Annex C1 (AIP), C2 (AUC), C5 (TVR), C6 (TSI);
// EMV 4.4 Book 4 Annex A2 (9F33) and A3 (9F40); EMV Contactless Book A
// Table 5-4 and Book C-3 Annex A.2 (TTQ, CTQ); Book C-2 Annex A.1.16 (the
// contactless bits of the AIP and TVR byte 5); Book C-4 §4.3.4 (9F6E).
// Positions were checked against openemv/emv-utils src/emv_fields.h and
// RfidResearchGroup/proxmark3 client/src/emv/emv_tags.c (see bits_test.go).

// TVRBit is one bit of the Terminal Verification Results (95), and of the
// Issuer and Terminal Action Codes, which share its layout.
type TVRBit Bit

// Terminal Verification Results, EMV 4.4 Book 3 Annex C5.
const (
	TVROfflineDataAuthNotPerformed TVRBit = 0x0080 // byte 1 b8
	TVRSDAFailed                   TVRBit = 0x0040 // byte 1 b7
	TVRICCDataMissing              TVRBit = 0x0020 // byte 1 b6
	TVRCardOnExceptionFile         TVRBit = 0x0010 // byte 1 b5
	TVRDDAFailed                   TVRBit = 0x0008 // byte 1 b4
	TVRCDAFailed                   TVRBit = 0x0004 // byte 1 b3
	TVRSDASelected                 TVRBit = 0x0002 // byte 1 b2
	TVRXDASelected                 TVRBit = 0x0001 // byte 1 b1 (EMV 4.4)

	TVRICCAndTerminalDifferentVersions     TVRBit = 0x0180 // byte 2 b8
	TVRExpiredApplication                  TVRBit = 0x0140 // byte 2 b7
	TVRApplicationNotYetEffective          TVRBit = 0x0120 // byte 2 b6
	TVRServiceNotAllowed                   TVRBit = 0x0110 // byte 2 b5
	TVRNewCard                             TVRBit = 0x0108 // byte 2 b4
	TVRBiometricPerformedSuccessful        TVRBit = 0x0102 // byte 2 b2 (EMV 4.4)
	TVRBiometricTemplateFormatNotSupported TVRBit = 0x0101 // byte 2 b1 (EMV 4.4)

	TVRCardholderVerificationNotSuccessful TVRBit = 0x0280 // byte 3 b8
	TVRUnrecognisedCVM                     TVRBit = 0x0240 // byte 3 b7
	TVRPINTryLimitExceeded                 TVRBit = 0x0220 // byte 3 b6
	TVRPINPadNotPresentOrNotWorking        TVRBit = 0x0210 // byte 3 b5
	TVRPINNotEntered                       TVRBit = 0x0208 // byte 3 b4
	TVROnlinePINEntered                    TVRBit = 0x0204 // byte 3 b3 (EMV 4.4 "Online CVM captured")
	TVRBiometricCaptureDeviceNotWorking    TVRBit = 0x0202 // byte 3 b2 (EMV 4.4)
	TVRBiometricSubtypeBypassed            TVRBit = 0x0201 // byte 3 b1 (EMV 4.4)

	TVRFloorLimitExceeded                   TVRBit = 0x0380 // byte 4 b8
	TVRLowerConsecutiveOfflineLimitExceeded TVRBit = 0x0340 // byte 4 b7
	TVRUpperConsecutiveOfflineLimitExceeded TVRBit = 0x0320 // byte 4 b6
	TVRRandomlySelectedOnline               TVRBit = 0x0310 // byte 4 b5
	TVRMerchantForcedOnline                 TVRBit = 0x0308 // byte 4 b4
	TVRBiometricTryLimitExceeded            TVRBit = 0x0304 // byte 4 b3 (EMV 4.4)
	TVRBiometricTypeNotSupported            TVRBit = 0x0302 // byte 4 b2 (EMV 4.4)
	TVRXDAFailed                            TVRBit = 0x0301 // byte 4 b1 (EMV 4.4)

	TVRDefaultTDOLUsed                  TVRBit = 0x0480 // byte 5 b8
	TVRIssuerAuthenticationFailed       TVRBit = 0x0440 // byte 5 b7
	TVRScriptFailedBeforeFinalGenAC     TVRBit = 0x0420 // byte 5 b6
	TVRScriptFailedAfterFinalGenAC      TVRBit = 0x0410 // byte 5 b5
	TVRRelayResistanceThresholdExceeded TVRBit = 0x0408 // byte 5 b4 (Book C-2; EMV 4.4 reserves it for contactless)
	TVRCAECCKeyMissing                  TVRBit = 0x0404 // byte 5 b3 (EMV 4.4)
	TVRECCKeyRecoveryFailed             TVRBit = 0x0402 // byte 5 b2 (EMV 4.4)
)

// The TVR layout follows EMV 4.4 Book 3 Table 46. Byte 5 b3 and b2 are
// where EMV 4.4 and Book C-2 (Kernel 2) disagree: EMV 4.4 names them "CA
// ECC key missing" and "ECC key recovery failed", Kernel 2 uses them for
// relay resistance (time limits exceeded; b2-b1 = outcome of the relay
// resistance protocol). yixin is a contact kernel, so EMV 4.4 wins and the
// names mention the Kernel 2 reading. Byte 5 b1 is "reserved for the EMV
// contactless specifications" in EMV 4.4 and is kept unnamed (RFU).
var tvrTable = bitTable{
	name: "TVR",
	size: 5,
	bits: []BitDef{
		{0, 0x80, "Offline data authentication was not performed"},
		{0, 0x40, "SDA failed"},
		{0, 0x20, "ICC data missing"},
		{0, 0x10, "Card appears on terminal exception file"},
		{0, 0x08, "DDA failed"},
		{0, 0x04, "CDA failed"},
		{0, 0x02, "SDA selected"},
		{0, 0x01, "XDA selected"},
		{1, 0x80, "ICC and terminal have different application versions"},
		{1, 0x40, "Expired application"},
		{1, 0x20, "Application not yet effective"},
		{1, 0x10, "Requested service not allowed for card product"},
		{1, 0x08, "New card"},
		{1, 0x02, "Biometric performed and successful"},
		{1, 0x01, "Biometric template format not supported"},
		{2, 0x80, "Cardholder verification was not successful"},
		{2, 0x40, "Unrecognised CVM"},
		{2, 0x20, "PIN Try Limit exceeded"},
		{2, 0x10, "PIN entry required and PIN pad not present or not working"},
		{2, 0x08, "PIN entry required, PIN pad present, but PIN was not entered"},
		{2, 0x04, "Online PIN entered (online CVM captured)"},
		{2, 0x02, "Biometric required but biometric capture device not working"},
		{2, 0x01, "Biometric required, capture device present, but biometric subtype entry bypassed"},
		{3, 0x80, "Transaction exceeds floor limit"},
		{3, 0x40, "Lower consecutive offline limit exceeded"},
		{3, 0x20, "Upper consecutive offline limit exceeded"},
		{3, 0x10, "Transaction selected randomly for online processing"},
		{3, 0x08, "Merchant forced transaction online"},
		{3, 0x04, "Biometric Try Limit exceeded"},
		{3, 0x02, "A selected biometric type not supported"},
		{3, 0x01, "XDA signature verification failed"},
		{4, 0x80, "Default TDOL used"},
		{4, 0x40, "Issuer authentication failed"},
		{4, 0x20, "Script processing failed before final GENERATE AC"},
		{4, 0x10, "Script processing failed after final GENERATE AC"},
		{4, 0x08, "Relay resistance threshold exceeded (Kernel 2)"},
		{4, 0x04, "CA ECC key missing (Kernel 2: relay resistance time limits exceeded)"},
		{4, 0x02, "ECC key recovery failed (Kernel 2: relay resistance performed)"},
	},
	rfu: []byte{0x00, 0x04, 0x00, 0x00, 0x01},
}

// TSIBit is one bit of the Transaction Status Information (9B).
type TSIBit Bit

// Transaction Status Information, EMV 4.4 Book 3 Annex C6.
const (
	TSIODAPerformed                    TSIBit = 0x0080 // byte 1 b8
	TSICardholderVerificationPerformed TSIBit = 0x0040 // byte 1 b7
	TSICardRiskManagementPerformed     TSIBit = 0x0020 // byte 1 b6
	TSIIssuerAuthenticationPerformed   TSIBit = 0x0010 // byte 1 b5
	TSITerminalRiskManagementPerformed TSIBit = 0x0008 // byte 1 b4
	TSIScriptProcessingPerformed       TSIBit = 0x0004 // byte 1 b3
)

var tsiTable = bitTable{
	name: "TSI",
	size: 2,
	bits: []BitDef{
		{0, 0x80, "Offline data authentication was performed"},
		{0, 0x40, "Cardholder verification was performed"},
		{0, 0x20, "Card risk management was performed"},
		{0, 0x10, "Issuer authentication was performed"},
		{0, 0x08, "Terminal risk management was performed"},
		{0, 0x04, "Script processing was performed"},
	},
	rfu: []byte{0x03, 0xFF},
}

// AIPBit is one bit of the Application Interchange Profile (82).
type AIPBit Bit

// Application Interchange Profile, EMV 4.4 Book 3 Annex C1; byte 1 b2 and
// byte 2 from EMV Contactless Book C-2 Annex A.1.16 (Book C-3 reads byte 2
// b8 as "MSD supported").
const (
	AIPXDASupported                    AIPBit = 0x0080 // byte 1 b8 (EMV 4.4)
	AIPSDASupported                    AIPBit = 0x0040 // byte 1 b7
	AIPDDASupported                    AIPBit = 0x0020 // byte 1 b6
	AIPCardholderVerificationSupported AIPBit = 0x0010 // byte 1 b5
	AIPTerminalRiskManagementRequired  AIPBit = 0x0008 // byte 1 b4
	AIPIssuerAuthenticationSupported   AIPBit = 0x0004 // byte 1 b3
	AIPOnDeviceCVMSupported            AIPBit = 0x0002 // byte 1 b2 (contactless)
	AIPCDASupported                    AIPBit = 0x0001 // byte 1 b1

	AIPEMVModeSupported       AIPBit = 0x0180 // byte 2 b8 (contactless)
	AIPMobilePhone            AIPBit = 0x0140 // byte 2 b7 (contactless)
	AIPContactlessTransaction AIPBit = 0x0120 // byte 2 b6 (contactless)
	AIPRRPSupported           AIPBit = 0x0101 // byte 2 b1 (contactless)
)

var aipTable = bitTable{
	name: "AIP",
	size: 2,
	bits: []BitDef{
		{0, 0x80, "XDA supported"},
		{0, 0x40, "SDA supported"},
		{0, 0x20, "DDA supported"},
		{0, 0x10, "Cardholder verification is supported"},
		{0, 0x08, "Terminal risk management is to be performed"},
		{0, 0x04, "Issuer authentication is supported"},
		{0, 0x02, "On device cardholder verification is supported (contactless)"},
		{0, 0x01, "CDA supported"},
		{1, 0x80, "EMV mode is supported (contactless; Kernel 3: MSD supported)"},
		{1, 0x40, "Mobile phone (contactless)"},
		{1, 0x20, "Contactless transaction"},
		{1, 0x01, "Relay Resistance Protocol is supported (contactless)"},
	},
	rfu: []byte{0x00, 0x1E},
}

// AUCBit is one bit of the Application Usage Control (9F07).
type AUCBit Bit

// Application Usage Control, EMV 4.4 Book 3 Annex C2.
const (
	AUCDomesticCash          AUCBit = 0x0080 // byte 1 b8
	AUCInternationalCash     AUCBit = 0x0040 // byte 1 b7
	AUCDomesticGoods         AUCBit = 0x0020 // byte 1 b6
	AUCInternationalGoods    AUCBit = 0x0010 // byte 1 b5
	AUCDomesticServices      AUCBit = 0x0008 // byte 1 b4
	AUCInternationalServices AUCBit = 0x0004 // byte 1 b3
	AUCATMs                  AUCBit = 0x0002 // byte 1 b2
	AUCNonATMTerminals       AUCBit = 0x0001 // byte 1 b1
	AUCDomesticCashback      AUCBit = 0x0180 // byte 2 b8
	AUCInternationalCashback AUCBit = 0x0140 // byte 2 b7
)

var aucTable = bitTable{
	name: "AUC",
	size: 2,
	bits: []BitDef{
		{0, 0x80, "Valid for domestic cash transactions"},
		{0, 0x40, "Valid for international cash transactions"},
		{0, 0x20, "Valid for domestic goods"},
		{0, 0x10, "Valid for international goods"},
		{0, 0x08, "Valid for domestic services"},
		{0, 0x04, "Valid for international services"},
		{0, 0x02, "Valid at ATMs"},
		{0, 0x01, "Valid at terminals other than ATMs"},
		{1, 0x80, "Domestic cashback allowed"},
		{1, 0x40, "International cashback allowed"},
	},
	rfu: []byte{0x00, 0x3F},
}

// TerminalCapabilitiesBit is one bit of the Terminal Capabilities (9F33).
type TerminalCapabilitiesBit Bit

// Terminal Capabilities, EMV 4.4 Book 4 Annex A2.
const (
	TCManualKeyEntry TerminalCapabilitiesBit = 0x0080 // byte 1 b8
	TCMagneticStripe TerminalCapabilitiesBit = 0x0040 // byte 1 b7
	TCICWithContacts TerminalCapabilitiesBit = 0x0020 // byte 1 b6

	TCPlaintextPINForICC     TerminalCapabilitiesBit = 0x0180 // byte 2 b8
	TCEncipheredPINOnline    TerminalCapabilitiesBit = 0x0140 // byte 2 b7
	TCSignature              TerminalCapabilitiesBit = 0x0120 // byte 2 b6
	TCEncipheredPINOffline   TerminalCapabilitiesBit = 0x0110 // byte 2 b5 (RSA ODE in EMV 4.4)
	TCNoCVMRequired          TerminalCapabilitiesBit = 0x0108 // byte 2 b4
	TCOnlineBiometric        TerminalCapabilitiesBit = 0x0104 // byte 2 b3 (EMV 4.4)
	TCOfflineBiometric       TerminalCapabilitiesBit = 0x0102 // byte 2 b2 (EMV 4.4)
	TCEncipheredPINOfflineEC TerminalCapabilitiesBit = 0x0101 // byte 2 b1 (ECC ODE, EMV 4.4)

	TCSDA         TerminalCapabilitiesBit = 0x0280 // byte 3 b8
	TCDDA         TerminalCapabilitiesBit = 0x0240 // byte 3 b7
	TCCardCapture TerminalCapabilitiesBit = 0x0220 // byte 3 b6
	TCCDA         TerminalCapabilitiesBit = 0x0208 // byte 3 b4
	TCXDA         TerminalCapabilitiesBit = 0x0204 // byte 3 b3 (EMV 4.4)
)

var terminalCapabilitiesTable = bitTable{
	name: "Terminal Capabilities",
	size: 3,
	bits: []BitDef{
		{0, 0x80, "Manual key entry"},
		{0, 0x40, "Magnetic stripe"},
		{0, 0x20, "IC with contacts"},
		{1, 0x80, "Plaintext PIN for ICC verification"},
		{1, 0x40, "Enciphered PIN for online verification"},
		{1, 0x20, "Signature (paper)"},
		{1, 0x10, "Enciphered PIN for offline verification (RSA)"},
		{1, 0x08, "No CVM required"},
		{1, 0x04, "Online biometric"},
		{1, 0x02, "Offline biometric"},
		{1, 0x01, "Enciphered PIN for offline verification (ECC)"},
		{2, 0x80, "SDA"},
		{2, 0x40, "DDA"},
		{2, 0x20, "Card capture"},
		{2, 0x08, "CDA"},
		{2, 0x04, "XDA"},
	},
	rfu: []byte{0x1F, 0x00, 0x13},
}

// AdditionalTerminalCapabilitiesBit is one bit of the Additional Terminal
// Capabilities (9F40).
type AdditionalTerminalCapabilitiesBit Bit

// Additional Terminal Capabilities, EMV 4.4 Book 4 Annex A3.
const (
	ATCCash           AdditionalTerminalCapabilitiesBit = 0x0080 // byte 1 b8
	ATCGoods          AdditionalTerminalCapabilitiesBit = 0x0040 // byte 1 b7
	ATCServices       AdditionalTerminalCapabilitiesBit = 0x0020 // byte 1 b6
	ATCCashback       AdditionalTerminalCapabilitiesBit = 0x0010 // byte 1 b5
	ATCInquiry        AdditionalTerminalCapabilitiesBit = 0x0008 // byte 1 b4
	ATCTransfer       AdditionalTerminalCapabilitiesBit = 0x0004 // byte 1 b3
	ATCPayment        AdditionalTerminalCapabilitiesBit = 0x0002 // byte 1 b2
	ATCAdministrative AdditionalTerminalCapabilitiesBit = 0x0001 // byte 1 b1
	ATCCashDeposit    AdditionalTerminalCapabilitiesBit = 0x0180 // byte 2 b8

	ATCNumericKeys           AdditionalTerminalCapabilitiesBit = 0x0280 // byte 3 b8
	ATCAlphabeticSpecialKeys AdditionalTerminalCapabilitiesBit = 0x0240 // byte 3 b7
	ATCCommandKeys           AdditionalTerminalCapabilitiesBit = 0x0220 // byte 3 b6
	ATCFunctionKeys          AdditionalTerminalCapabilitiesBit = 0x0210 // byte 3 b5
	ATCPrintAttendant        AdditionalTerminalCapabilitiesBit = 0x0380 // byte 4 b8
	ATCPrintCardholder       AdditionalTerminalCapabilitiesBit = 0x0340 // byte 4 b7
	ATCDisplayAttendant      AdditionalTerminalCapabilitiesBit = 0x0320 // byte 4 b6
	ATCDisplayCardholder     AdditionalTerminalCapabilitiesBit = 0x0310 // byte 4 b5
	ATCCodeTable10           AdditionalTerminalCapabilitiesBit = 0x0302 // byte 4 b2
	ATCCodeTable9            AdditionalTerminalCapabilitiesBit = 0x0301 // byte 4 b1
	ATCCodeTable8            AdditionalTerminalCapabilitiesBit = 0x0480 // byte 5 b8
	ATCCodeTable7            AdditionalTerminalCapabilitiesBit = 0x0440 // byte 5 b7
	ATCCodeTable6            AdditionalTerminalCapabilitiesBit = 0x0420 // byte 5 b6
	ATCCodeTable5            AdditionalTerminalCapabilitiesBit = 0x0410 // byte 5 b5
	ATCCodeTable4            AdditionalTerminalCapabilitiesBit = 0x0408 // byte 5 b4
	ATCCodeTable3            AdditionalTerminalCapabilitiesBit = 0x0404 // byte 5 b3
	ATCCodeTable2            AdditionalTerminalCapabilitiesBit = 0x0402 // byte 5 b2
	ATCCodeTable1            AdditionalTerminalCapabilitiesBit = 0x0401 // byte 5 b1
)

var additionalTerminalCapabilitiesTable = bitTable{
	name: "Additional Terminal Capabilities",
	size: 5,
	bits: []BitDef{
		{0, 0x80, "Cash"},
		{0, 0x40, "Goods"},
		{0, 0x20, "Services"},
		{0, 0x10, "Cashback"},
		{0, 0x08, "Inquiry"},
		{0, 0x04, "Transfer"},
		{0, 0x02, "Payment"},
		{0, 0x01, "Administrative"},
		{1, 0x80, "Cash deposit"},
		{2, 0x80, "Numeric keys"},
		{2, 0x40, "Alphabetic and special characters keys"},
		{2, 0x20, "Command keys"},
		{2, 0x10, "Function keys"},
		{3, 0x80, "Print or electronic, attendant"},
		{3, 0x40, "Print or electronic, cardholder"},
		{3, 0x20, "Display, attendant"},
		{3, 0x10, "Display, cardholder"},
		{3, 0x02, "Code table 10"},
		{3, 0x01, "Code table 9"},
		{4, 0x80, "Code table 8"},
		{4, 0x40, "Code table 7"},
		{4, 0x20, "Code table 6"},
		{4, 0x10, "Code table 5"},
		{4, 0x08, "Code table 4"},
		{4, 0x04, "Code table 3"},
		{4, 0x02, "Code table 2"},
		{4, 0x01, "Code table 1"},
	},
	rfu: []byte{0x00, 0x7F, 0x0F, 0x0C, 0x00},
}

// TTQBit is one bit of the Terminal Transaction Qualifiers (9F66).
type TTQBit Bit

// Terminal Transaction Qualifiers, EMV Contactless Book A Table 5-4 and
// Book C-3 Annex A.2. Byte 1 b7 is RFU in Book C-3 (older Visa documents
// used it for "VSDC supported").
const (
	TTQMagStripeModeSupported     TTQBit = 0x0080 // byte 1 b8
	TTQEMVModeSupported           TTQBit = 0x0020 // byte 1 b6
	TTQEMVContactChipSupported    TTQBit = 0x0010 // byte 1 b5
	TTQOfflineOnlyReader          TTQBit = 0x0008 // byte 1 b4
	TTQOnlinePINSupported         TTQBit = 0x0004 // byte 1 b3
	TTQSignatureSupported         TTQBit = 0x0002 // byte 1 b2
	TTQODAForOnlineAuthSupported  TTQBit = 0x0001 // byte 1 b1
	TTQOnlineCryptogramRequired   TTQBit = 0x0180 // byte 2 b8
	TTQCVMRequired                TTQBit = 0x0140 // byte 2 b7
	TTQContactChipOfflinePIN      TTQBit = 0x0120 // byte 2 b6
	TTQIssuerUpdateProcessing     TTQBit = 0x0280 // byte 3 b8
	TTQConsumerDeviceCVMSupported TTQBit = 0x0240 // byte 3 b7
	TTQConsumerDeviceCVMRequired  TTQBit = 0x0208 // byte 3 b4 (Book C-6)
	TTQFDDAV1Supported            TTQBit = 0x0380 // byte 4 b8
)

var ttqTable = bitTable{
	name: "TTQ",
	size: 4,
	bits: []BitDef{
		{0, 0x80, "Mag-stripe mode supported"},
		{0, 0x20, "EMV mode supported"},
		{0, 0x10, "EMV contact chip supported"},
		{0, 0x08, "Offline-only reader"},
		{0, 0x04, "Online PIN supported"},
		{0, 0x02, "Signature supported"},
		{0, 0x01, "Offline Data Authentication for online authorisations supported"},
		{1, 0x80, "Online cryptogram required"},
		{1, 0x40, "CVM required"},
		{1, 0x20, "(Contact chip) offline PIN supported"},
		{2, 0x80, "Issuer Update Processing supported"},
		{2, 0x40, "Consumer Device CVM supported"},
		{2, 0x08, "Consumer Device CVM required"},
		{3, 0x80, "fDDA v1.0 supported"},
	},
	rfu: []byte{0x40, 0x1F, 0x37, 0x7F},
}

// CTQBit is one bit of the Card Transaction Qualifiers (9F6C).
type CTQBit Bit

// Card Transaction Qualifiers, EMV Contactless Book C-3 Annex A.2.
const (
	CTQOnlinePINRequired             CTQBit = 0x0080 // byte 1 b8
	CTQSignatureRequired             CTQBit = 0x0040 // byte 1 b7
	CTQOnlineIfODAFails              CTQBit = 0x0020 // byte 1 b6
	CTQSwitchInterfaceIfODAFails     CTQBit = 0x0010 // byte 1 b5
	CTQOnlineIfApplicationExpired    CTQBit = 0x0008 // byte 1 b4
	CTQSwitchInterfaceForCash        CTQBit = 0x0004 // byte 1 b3
	CTQSwitchInterfaceForCashback    CTQBit = 0x0002 // byte 1 b2
	CTQNotValidForContactlessATM     CTQBit = 0x0001 // byte 1 b1
	CTQConsumerDeviceCVMPerformed    CTQBit = 0x0180 // byte 2 b8
	CTQIssuerUpdateProcessingSupport CTQBit = 0x0140 // byte 2 b7
)

var ctqTable = bitTable{
	name: "CTQ",
	size: 2,
	bits: []BitDef{
		{0, 0x80, "Online PIN required"},
		{0, 0x40, "Signature required"},
		{0, 0x20, "Go online if offline data authentication fails and reader is online capable"},
		{0, 0x10, "Switch interface if offline data authentication fails and reader supports contact chip"},
		{0, 0x08, "Go online if application expired"},
		{0, 0x04, "Switch interface for cash transactions"},
		{0, 0x02, "Switch interface for cashback transactions"},
		{0, 0x01, "Not valid for contactless ATM transactions"},
		{1, 0x80, "Consumer Device CVM performed"},
		{1, 0x40, "Card supports Issuer Update Processing at the POS"},
	},
	rfu: []byte{0x00, 0x3F},
}

// ContactlessReaderCapabilitiesBit is one bit of the Enhanced Contactless
// Reader Capabilities (9F6E as a terminal data element).
type ContactlessReaderCapabilitiesBit Bit

// Enhanced Contactless Reader Capabilities, EMV Contactless Book C-4
// §4.3.4 Table 4-4. Byte 4 b3-b1 is not a set of bits but the kernel
// version; see [ContactlessReaderCapabilities.KernelVersion].
const (
	CRCContactSupported                ContactlessReaderCapabilitiesBit = 0x0080 // byte 1 b8
	CRCMagStripeModeSupported          ContactlessReaderCapabilitiesBit = 0x0040 // byte 1 b7
	CRCFullOnlineModeSupported         ContactlessReaderCapabilitiesBit = 0x0020 // byte 1 b6
	CRCPartialOnlineModeSupported      ContactlessReaderCapabilitiesBit = 0x0010 // byte 1 b5
	CRCMobileSupported                 ContactlessReaderCapabilitiesBit = 0x0008 // byte 1 b4
	CRCTryAnotherInterfaceAfterDecline ContactlessReaderCapabilitiesBit = 0x0004 // byte 1 b3
	CRCMobileCVMSupported              ContactlessReaderCapabilitiesBit = 0x0180 // byte 2 b8
	CRCOnlinePINSupported              ContactlessReaderCapabilitiesBit = 0x0140 // byte 2 b7
	CRCSignatureSupported              ContactlessReaderCapabilitiesBit = 0x0120 // byte 2 b6
	CRCPlaintextOfflinePINSupported    ContactlessReaderCapabilitiesBit = 0x0110 // byte 2 b5
	CRCOfflineOnlyReader               ContactlessReaderCapabilitiesBit = 0x0280 // byte 3 b8
	CRCCVMRequired                     ContactlessReaderCapabilitiesBit = 0x0240 // byte 3 b7
	CRCExemptFromNoCVMChecks           ContactlessReaderCapabilitiesBit = 0x0380 // byte 4 b8
	CRCDelayedAuthorisation            ContactlessReaderCapabilitiesBit = 0x0340 // byte 4 b7
	CRCTransitTerminal                 ContactlessReaderCapabilitiesBit = 0x0320 // byte 4 b6
)

var contactlessReaderCapabilitiesTable = bitTable{
	name: "Enhanced Contactless Reader Capabilities",
	size: 4,
	bits: []BitDef{
		{0, 0x80, "Contact mode supported"},
		{0, 0x40, "Contactless mag-stripe mode supported"},
		{0, 0x20, "Contactless EMV full online mode supported"},
		{0, 0x10, "Contactless EMV partial online mode supported"},
		{0, 0x08, "Contactless mobile supported"},
		{0, 0x04, "Try another interface after a decline"},
		{1, 0x80, "Mobile CVM supported"},
		{1, 0x40, "Online PIN supported"},
		{1, 0x20, "Signature supported"},
		{1, 0x10, "Plaintext offline PIN supported"},
		{2, 0x80, "Reader is offline only"},
		{2, 0x40, "CVM required"},
		{3, 0x80, "Terminal exempt from No CVM checks"},
		{3, 0x40, "Delayed authorisation terminal"},
		{3, 0x20, "Transit terminal"},
	},
	codes: []codedField{{
		Byte: 3, Mask: 0x07, Name: "C-4 kernel version",
		Values: map[byte]string{1: "2.2–2.3", 2: "2.4–2.6", 3: "2.7"},
	}},
	rfu: []byte{0x03, 0x0F, 0x3F, 0x18},
}

// bitTables maps the tags whose value is a bit field to their table. The
// Issuer Action Codes share the TVR's layout.
var bitTables = map[Tag]*bitTable{
	0x82:   &aipTable,
	0x95:   &tvrTable,
	0x9B:   &tsiTable,
	0x9F07: &aucTable,
	0x9F0D: &tvrTable,
	0x9F0E: &tvrTable,
	0x9F0F: &tvrTable,
	0x9F33: &terminalCapabilitiesTable,
	0x9F40: &additionalTerminalCapabilitiesTable,
	0x9F66: &ttqTable,
	0x9F6C: &ctqTable,
	0x9F6E: &contactlessReaderCapabilitiesTable,
}

// CVM codes (byte 1 of a CV Rule and of the CVM Results, b6-b1), EMV 4.4
// Book 3 Annex C3 Table 43; 06-0F are the biometric CVMs of EMV 4.4.
var cvmMethodText = map[byte]string{
	0x00: "fail CVM processing",
	0x01: "offline plaintext PIN",
	0x02: "online enciphered PIN",
	0x03: "offline plaintext PIN and signature",
	0x04: "offline enciphered PIN",
	0x05: "offline enciphered PIN and signature",
	0x06: "offline facial biometric",
	0x07: "online facial biometric",
	0x08: "offline finger biometric",
	0x09: "online finger biometric",
	0x0A: "offline palm biometric",
	0x0B: "online palm biometric",
	0x0C: "offline iris biometric",
	0x0D: "online iris biometric",
	0x0E: "offline voice biometric",
	0x0F: "online voice biometric",
	0x1E: "signature",
	0x1F: "no CVM required",
	0x3F: "CVM not performed",
}

// CVM condition codes (byte 2 of a CV Rule and of the CVM Results), EMV
// 4.4 Book 3 Annex C3 Table 44.
var cvmConditionText = [...]string{
	0x00: "always",
	0x01: "if unattended cash",
	0x02: "if not unattended cash and not manual cash and not purchase with cashback",
	0x03: "if terminal supports the CVM",
	0x04: "if manual cash",
	0x05: "if purchase with cashback",
	0x06: "if transaction is in the application currency and is under X value",
	0x07: "if transaction is in the application currency and is over X value",
	0x08: "if transaction is in the application currency and is under Y value",
	0x09: "if transaction is in the application currency and is over Y value",
}

// CID reason/advice codes (9F27 b3-b1), EMV 4.4 Book 3 §6.5.5.4 Table 15.
var cidReasonText = [...]string{
	0: "no information given",
	1: "service not allowed",
	2: "PIN Try Limit exceeded",
	3: "issuer authentication failed",
}

// Terminal Type (9F35) digits, EMV 4.4 Book 4 Annex A1 Table 24.
var (
	terminalControlText = [...]string{
		1: "financial institution",
		2: "merchant",
		3: "cardholder",
	}
	terminalEnvironmentText = [...]string{
		1: "attended, online only",
		2: "attended, offline with online capability",
		3: "attended, offline only",
		4: "unattended, online only",
		5: "unattended, offline with online capability",
		6: "unattended, offline only",
	}
)
