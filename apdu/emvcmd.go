package apdu

import (
	"bytes"
	"fmt"

	"github.com/yixin-emv/yixin/emv"
)

// Instruction bytes of the commands EMV uses (EMV 4.3 Book 1 §11, Book 3
// §6.5), of GET RESPONSE, and of the script and personalisation commands
// whose data traces must mask.
const (
	INSApplicationBlock     byte = 0x1E // APPLICATION BLOCK, CLA 8x (Book 3 §6.5.1)
	INSApplicationUnblock   byte = 0x18 // APPLICATION UNBLOCK, CLA 8x (Book 3 §6.5.2)
	INSCardBlock            byte = 0x16 // CARD BLOCK, CLA 8x (Book 3 §6.5.3)
	INSExternalAuthenticate byte = 0x82 // EXTERNAL AUTHENTICATE (Book 3 §6.5.4)
	INSGenerateAC           byte = 0xAE // GENERATE AC, CLA 80 (Book 3 §6.5.5)
	INSGetChallenge         byte = 0x84 // GET CHALLENGE (Book 3 §6.5.6)
	INSGetData              byte = 0xCA // GET DATA, CLA 80 (Book 3 §6.5.7)
	INSGetProcessingOptions byte = 0xA8 // GET PROCESSING OPTIONS, CLA 80 (Book 3 §6.5.8)
	INSInternalAuthenticate byte = 0x88 // INTERNAL AUTHENTICATE (Book 3 §6.5.9)
	INSPINChangeUnblock     byte = 0x24 // PIN CHANGE/UNBLOCK, CLA 8x (Book 3 §6.5.10)
	INSReadRecord           byte = 0xB2 // READ RECORD (Book 1 §11.2)
	INSSelect               byte = 0xA4 // SELECT (Book 1 §11.3)
	INSVerify               byte = 0x20 // VERIFY (Book 3 §6.5.12)
	INSGetResponse          byte = 0xC0 // GET RESPONSE (ISO/IEC 7816-4 §7.6.1)
	INSPutData              byte = 0xDA // PUT DATA, data field is the value (issuer scripts)
	INSPutDataTLV           byte = 0xDB // PUT DATA, data field is BER-TLV
	INSUpdateRecord         byte = 0xDC // UPDATE RECORD (issuer scripts)
	INSUpdateRecordOdd      byte = 0xDD // UPDATE RECORD, odd INS (BER-TLV data)
	INSResetRetryCounter    byte = 0x2C // RESET RETRY COUNTER (ISO/IEC 7816-4)
	INSStoreData            byte = 0xE2 // STORE DATA, CLA 8x (GlobalPlatform personalisation)
	INSPutKey               byte = 0xD8 // PUT KEY, CLA 8x (GlobalPlatform)
)

// GENERATE AC reference control parameter (P1), EMV 4.3 Book 3 §6.5.5.2:
// bits 8–7 select the cryptogram type, bit 5 requests a CDA
// signature. OR RefControlCDA into one of the types.
const (
	RefControlAAC  byte = 0x00
	RefControlTC   byte = 0x40
	RefControlARQC byte = 0x80
	RefControlCDA  byte = 0x10
)

// VERIFY P2 qualifiers, EMV 4.3 Book 3 §6.5.12.2.
const (
	VerifyPlaintextPIN  byte = 0x80
	VerifyEncipheredPIN byte = 0x88
)

// PSEName is the name of the Payment System Environment of the contact
// interface, selected by SelectPSE (EMV 4.3 Book 1 §12.2.2).
const PSEName = "1PAY.SYS.DDF01"

// Select returns SELECT by DF name (P1 04), first or only occurrence (P2
// 00) or, when next is set, next occurrence (P2 02), with Le '00' (EMV 4.3
// Book 1 §11.3.2). The AID is copied. EMV names are 5 to 16 bytes; other
// lengths are allowed here so that tests can send them.
func Select(aid []byte, next bool) Command {
	p2 := byte(0x00)
	if next {
		p2 = 0x02
	}
	return Command{CLA: 0x00, INS: INSSelect, P1: 0x04, P2: p2, Data: bytes.Clone(aid), Ne: MaxShortNe}
}

// SelectPSE returns the SELECT of the Payment System Environment
// "1PAY.SYS.DDF01".
func SelectPSE() Command { return Select([]byte(PSEName), false) }

// ReadRecord returns READ RECORD of record rec (1 to 254) of the file sfi
// (1 to 30): P1 = rec, P2 = sfi<<3 | 4 ("P1 is a record number"), Le '00'
// (EMV 4.3 Book 1 §11.2.2). Out-of-range arguments give an error wrapping
// ErrInvalidCommand.
func ReadRecord(sfi, rec int) (Command, error) {
	if sfi < 1 || sfi > 30 {
		return Command{}, fmt.Errorf("apdu: READ RECORD: %w: SFI %d (1 to 30)", ErrInvalidCommand, sfi)
	}
	if rec < 1 || rec > 254 {
		return Command{}, fmt.Errorf("apdu: READ RECORD: %w: record number %d (1 to 254)", ErrInvalidCommand, rec)
	}
	return Command{CLA: 0x00, INS: INSReadRecord, P1: byte(rec), P2: byte(sfi)<<3 | 0x04, Ne: MaxShortNe}, nil
}

// GetProcessingOptions returns GET PROCESSING OPTIONS with the PDOL data
// wrapped in the command template 83 (an empty 83 00 when the card has no
// PDOL) and Le '00' (EMV 4.3 Book 3 §6.5.8).
func GetProcessingOptions(pdolData []byte) Command {
	data := make([]byte, 0, len(pdolData)+4)
	data = append(data, 0x83)
	data = emv.AppendLength(data, len(pdolData))
	data = append(data, pdolData...)
	return Command{CLA: 0x80, INS: INSGetProcessingOptions, Data: data, Ne: MaxShortNe}
}

// GenerateAC returns GENERATE AC with reference control p1 (RefControlAAC,
// RefControlTC or RefControlARQC, possibly with RefControlCDA), the CDOL
// data and Le '00' (EMV 4.3 Book 3 §6.5.5).
func GenerateAC(p1 byte, cdolData []byte) Command {
	return Command{CLA: 0x80, INS: INSGenerateAC, P1: p1, Data: bytes.Clone(cdolData), Ne: MaxShortNe}
}

// InternalAuthenticate returns INTERNAL AUTHENTICATE with the DDOL data and
// Le '00' (EMV 4.3 Book 3 §6.5.9).
func InternalAuthenticate(ddolData []byte) Command {
	return Command{CLA: 0x00, INS: INSInternalAuthenticate, Data: bytes.Clone(ddolData), Ne: MaxShortNe}
}

// ExternalAuthenticate returns EXTERNAL AUTHENTICATE with the Issuer
// Authentication Data (8 to 16 bytes in EMV) and no Le (EMV 4.3 Book 3
// §6.5.4).
func ExternalAuthenticate(issuerAuthData []byte) Command {
	return Command{CLA: 0x00, INS: INSExternalAuthenticate, Data: bytes.Clone(issuerAuthData)}
}

// GetData returns GET DATA of a one- or two-byte tag in P1 P2 (for example
// 9F36 ATC, 9F13 Last Online ATC Register, 9F17 PIN Try Counter, 9F4F Log
// Format) with Le '00' (EMV 4.3 Book 3 §6.5.7). A zero or three-byte tag
// gives an error wrapping ErrInvalidCommand.
func GetData(tag emv.Tag) (Command, error) {
	if tag == 0 || tag > 0xFFFF {
		return Command{}, fmt.Errorf("apdu: GET DATA: %w: tag %s does not fit in P1 P2", ErrInvalidCommand, tag)
	}
	return Command{CLA: 0x80, INS: INSGetData, P1: byte(tag >> 8), P2: byte(tag), Ne: MaxShortNe}, nil
}

// GetChallenge returns GET CHALLENGE with Le '00'; the card answers with
// an 8-byte unpredictable number (EMV 4.3 Book 3 §6.5.6).
func GetChallenge() Command {
	return Command{CLA: 0x00, INS: INSGetChallenge, Ne: MaxShortNe}
}

// Verify returns VERIFY with qualifier p2 (VerifyPlaintextPIN or
// VerifyEncipheredPIN) and the transaction PIN data, without Le (EMV 4.3
// Book 3 §6.5.12). Traces mask its data field.
func Verify(p2 byte, pinData []byte) Command {
	return Command{CLA: 0x00, INS: INSVerify, P2: p2, Data: bytes.Clone(pinData)}
}

// GetResponse returns GET RESPONSE for n bytes (1 to 256; 256 is sent as
// Le '00'), as a 61xx status asks for (ISO/IEC 7816-4 §7.6.1).
func GetResponse(n int) (Command, error) {
	if n < 1 || n > MaxShortNe {
		return Command{}, fmt.Errorf("apdu: GET RESPONSE: %w: length %d (1 to 256)", ErrInvalidCommand, n)
	}
	return Command{CLA: 0x00, INS: INSGetResponse, Ne: n}, nil
}
