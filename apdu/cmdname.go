package apdu

// classKind says which CLA values an instruction name applies to.
type classKind uint8

const (
	classAny   classKind = iota // interindustry or proprietary
	classInter                  // interindustry only (CLA 0x–1x, 4x–7x)
	classProp                   // proprietary only (CLA 80–FE)
)

// insName names one instruction. The table is searched in order, so a
// class-specific entry must come before an entry for any class.
type insName struct {
	ins   byte
	class classKind
	name  string
}

// commandNames: EMV 4.3 Book 1 §11 and Book 3 §6.5 (the EMV commands and
// their classes), the issuer script commands of the payment schemes (PUT
// DATA, UPDATE RECORD), GlobalPlatform's personalisation commands, and the
// interindustry commands of ISO/IEC 7816-4 that a trace may meet.
var commandNames = [...]insName{
	{0xA4, classAny, "SELECT"},
	{0xB2, classAny, "READ RECORD"},
	{0xA8, classProp, "GET PROCESSING OPTIONS"},
	{0xAE, classProp, "GENERATE AC"},
	{0x88, classAny, "INTERNAL AUTHENTICATE"},
	{0x82, classAny, "EXTERNAL AUTHENTICATE"},
	{0xCA, classAny, "GET DATA"},
	{0xCB, classInter, "GET DATA"},
	{0x84, classAny, "GET CHALLENGE"},
	{0x20, classAny, "VERIFY"},
	{0xC0, classAny, "GET RESPONSE"},
	{0x1E, classProp, "APPLICATION BLOCK"},
	{0x18, classProp, "APPLICATION UNBLOCK"},
	{0x16, classProp, "CARD BLOCK"},
	{0x24, classProp, "PIN CHANGE/UNBLOCK"},
	{0x24, classInter, "CHANGE REFERENCE DATA"},
	{0x2C, classAny, "RESET RETRY COUNTER"},
	{0xDA, classAny, "PUT DATA"},
	{0xDB, classAny, "PUT DATA"},
	{0xDC, classAny, "UPDATE RECORD"},
	{0xDD, classAny, "UPDATE RECORD"},
	{0xE2, classProp, "STORE DATA"},
	{0xE2, classInter, "APPEND RECORD"},
	{0xD8, classProp, "PUT KEY"},
	{0xB0, classInter, "READ BINARY"},
	{0xD6, classInter, "UPDATE BINARY"},
	{0x70, classInter, "MANAGE CHANNEL"},
	{0xC2, classInter, "ENVELOPE"},
	{0x22, classInter, "MANAGE SECURITY ENVIRONMENT"},
	{0x2A, classInter, "PERFORM SECURITY OPERATION"},
}

// classOf classifies a CLA byte per ISO/IEC 7816-4 §5.4.1: b8 = 0 is
// interindustry, except 20–3F which are reserved; b8 = 1 is proprietary,
// except FF which is invalid.
func classOf(cla byte) (classKind, bool) {
	switch {
	case cla == 0xFF:
		return 0, false
	case cla&0x80 != 0:
		return classProp, true
	case cla >= 0x20 && cla <= 0x3F:
		return 0, false
	default:
		return classInter, true
	}
}

// CommandName returns the name of the command with class cla and
// instruction ins ("SELECT", "GENERATE AC", "PIN CHANGE/UNBLOCK" …), or ""
// when the table does not know it. The class matters: INS 24 is PIN
// CHANGE/UNBLOCK under a proprietary class (8C, 84) and CHANGE REFERENCE
// DATA under an interindustry one; INS A8 is only GET PROCESSING OPTIONS
// under a proprietary class.
func CommandName(cla, ins byte) string {
	class, ok := classOf(cla)
	if !ok {
		return ""
	}
	for _, e := range commandNames {
		if e.ins == ins && (e.class == classAny || e.class == class) {
			return e.name
		}
	}
	return ""
}
