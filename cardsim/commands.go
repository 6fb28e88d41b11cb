package cardsim

import (
	"slices"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
)

// Status words the card uses that package apdu does not name.
const (
	swAuthFailed         apdu.StatusWord = 0x6300 // EXTERNAL AUTHENTICATE: cryptogram wrong
	swTriesLeft          apdu.StatusWord = 0x63C0 // VERIFY: PIN wrong, low nibble tries left
	swMemoryFailure      apdu.StatusWord = 0x6581 // the state could not be saved
	swIncompatibleFile   apdu.StatusWord = 0x6981 // command incompatible with file structure
	swSMDataIncorrect    apdu.StatusWord = 0x6988 // secure messaging MAC wrong
	swReferencedNotFound                 = apdu.SWReferencedDataNotFound
)

// Classes of commands, ISO/IEC 7816-4 §5.1.1 and EMV Book 3 §6.3.2.
const (
	claISO         = 0x00 // interindustry, no secure messaging
	claEMV         = 0x80 // proprietary (EMV), no secure messaging
	claISOSM       = 0x04 // interindustry, secure messaging (PUT DATA, UPDATE RECORD)
	claEMVSM       = 0x84 // proprietary, secure messaging (issuer scripts)
	claSMIndicator = 0x04 // the secure messaging bit of a class byte
)

// handler is one command of the card's command table.
type handler struct {
	name string
	// classes are the CLA values the command is known under; any other
	// gets 6E00.
	classes []byte
	run     func(c *Card, cmd *apdu.Command, raw []byte) apdu.Response
	// resendable commands have no side effect, so a wrong Le can be
	// answered 6Cxx for the terminal to send again.
	resendable bool
}

func (h handler) accepts(cla byte) bool { return slices.Contains(h.classes, cla) }

// commandTable is the card's instruction set: INS → handler. Script
// commands are also known without secure messaging, to answer 6982.
var commandTable = map[byte]handler{
	apdu.INSSelect:               {"SELECT", []byte{claISO}, (*Card).cmdSelect, false},
	apdu.INSReadRecord:           {"READ RECORD", []byte{claISO}, (*Card).cmdReadRecord, true},
	apdu.INSGetProcessingOptions: {"GET PROCESSING OPTIONS", []byte{claEMV}, (*Card).cmdGPO, false},
	apdu.INSGetData:              {"GET DATA", []byte{claEMV}, (*Card).cmdGetData, true},
	apdu.INSInternalAuthenticate: {"INTERNAL AUTHENTICATE", []byte{claISO}, (*Card).cmdInternalAuthenticate, false},
	apdu.INSGenerateAC:           {"GENERATE AC", []byte{claEMV}, (*Card).cmdGenerateAC, false},
	apdu.INSVerify:               {"VERIFY", []byte{claISO}, (*Card).cmdVerify, false},
	apdu.INSGetChallenge:         {"GET CHALLENGE", []byte{claISO}, (*Card).cmdGetChallenge, false},
	apdu.INSExternalAuthenticate: {"EXTERNAL AUTHENTICATE", []byte{claISO}, (*Card).cmdExternalAuthenticate, false},
	apdu.INSApplicationBlock:     {"APPLICATION BLOCK", []byte{claEMV, claEMVSM}, (*Card).cmdScript, false},
	apdu.INSApplicationUnblock:   {"APPLICATION UNBLOCK", []byte{claEMV, claEMVSM}, (*Card).cmdScript, false},
	apdu.INSCardBlock:            {"CARD BLOCK", []byte{claEMV, claEMVSM}, (*Card).cmdScript, false},
	apdu.INSPINChangeUnblock:     {"PIN CHANGE/UNBLOCK", []byte{claEMV, claEMVSM}, (*Card).cmdScript, false},
	apdu.INSPutData:              {"PUT DATA", []byte{claISO, claEMV, claISOSM, claEMVSM}, (*Card).cmdScript, false},
	apdu.INSUpdateRecord:         {"UPDATE RECORD", []byte{claISO, claEMV, claISOSM, claEMVSM}, (*Card).cmdScript, false},
}

// dfKind says what is selected.
type dfKind uint8

const (
	dfNone dfKind = iota
	dfPSE
	dfPPSE
	dfApp
)

// session is the card's volatile state: what is selected and the
// transaction in progress. A reset or a new SELECT clears it.
type session struct {
	df  dfKind
	app *app
	txn *txn
	// challenge is the last GET CHALLENGE number, good for one VERIFY.
	challenge []byte
}

// txn is the state of the transaction in progress, from GET PROCESSING
// OPTIONS on.
type txn struct {
	atc      uint16
	pdolData []byte

	cdol1Data, cdol2Data []byte
	first, second        emv.CryptogramType
	firstDone            bool
	firstInd             indicator
	secondDone           bool
	ac                   []byte // the cryptogram of the first GENERATE AC
	amount               int64
	foreignCurrency      bool
	odaFailed            sdaDDA

	pinTried, pinFailed bool

	issuerAuthDone, issuerAuthOK bool
	extAuthUsed                  bool
	csu                          []byte
	arc                          []byte

	ddaDone, cdaDone bool
	unableOnline     bool
	scriptBroken     bool // a script command failed; the rest of the script is refused
}

// sdaDDA records which kind of offline data authentication failed, as the
// TVR in the CDOL data says.
type sdaDDA struct{ sda, dynamic bool }

func (s sdaDDA) any() bool { return s.sda || s.dynamic }

// status is a response with no data.
func status(sw apdu.StatusWord) apdu.Response { return apdu.Response{SW: sw} }

// ok is a response with data and 9000.
func ok(data []byte) apdu.Response { return apdu.Response{Data: data, SW: apdu.SWNoError} }
