package kerneltest

import (
	"encoding/json"

	"github.com/yixin-emv/yixin/cardsim/issuer"
)

// Case is one certification test case: a card, a terminal, a transaction,
// what the cardholder and the issuer do, and what must come out. Its JSON
// form is documented, with examples, in the repository's
// testdata/cases/README.md. Every member is optional except id, title,
// requirement, area and expect.result.
type Case struct {
	// ID names the case (letters, digits, '.', '-', '_'), unique in a run.
	ID string `json:"id"`
	// Title says in one line what is checked.
	Title string `json:"title"`
	// Requirement cites the text the case checks: Book and section
	// ("EMV 4.3 Book 1 §12.3.2"), or the published attack.
	Requirement string `json:"requirement"`
	// Area is one of Areas.
	Area string `json:"area"`
	// Notes is free text for the reader of a report.
	Notes string `json:"notes,omitempty"`

	Card        CardSpec        `json:"card"`
	Terminal    TerminalSpec    `json:"terminal"`
	Transaction TransactionSpec `json:"transaction"`
	Cardholder  CardholderSpec  `json:"cardholder"`
	Issuer      IssuerSpec      `json:"issuer"`
	Expect      Expect          `json:"expect"`

	// File is the file the case was read from, Index its position in the
	// file (0 for a file that holds one case object).
	File  string `json:"-"`
	Index int    `json:"-"`
}

// Areas are the values of Case.Area: the phase or concern a case belongs
// to, for counting and filtering.
var Areas = []string{
	"selection", "initiation", "records", "oda", "restrictions", "cvm", "risk", "action",
	"online", "completion", "attack", "fault",
}

// CardSpec is the card: a profile of package cardsim, changed before
// personalisation (Overrides: the card stays consistent, its signatures
// cover the new data), after it (Records: the data no longer matches what
// the issuer signed), in its counters, and on the wire (Misbehaviour).
type CardSpec struct {
	// Profile is a built-in profile name (cardsim.BuiltinProfiles), or a
	// path ending in ".json", relative to the case file. Default dual-cn.
	Profile string `json:"profile,omitempty"`
	// Seed seeds personalisation (cardsim.SeededReader) and the card's own
	// randomness (seed+1). Default 1, the card of "yixin pay --profile".
	Seed uint64 `json:"seed,omitempty"`
	// Overrides is a JSON merge patch (RFC 7396) over the profile, except
	// that "applications" is an object keyed by application name (or AID
	// in hex) whose values are merge patches over that application; null
	// removes the application.
	Overrides json.RawMessage `json:"overrides,omitempty"`
	// Records edits records of the personalised card.
	Records []RecordEdit `json:"records,omitempty"`
	// Counters sets the card's non-volatile state before the transaction,
	// by application name (or AID): a merge patch over cardsim.AppState
	// (atc, last_online_atc, pin_tries, blocked, offline_count,
	// offline_amount, the carried indicators).
	Counters map[string]json.RawMessage `json:"counters,omitempty"`
	// CardBlocked blocks the whole card (every SELECT answers 6A81).
	CardBlocked bool `json:"card_blocked,omitempty"`
	// Misbehaviour is a list of rules of package cardsim/attack (the JSON
	// of attack.ParseRules) applied between the terminal and the card.
	Misbehaviour json.RawMessage `json:"misbehaviour,omitempty"`
}

// RecordEdit changes one record of a personalised card: its data objects
// (Set, Remove) or its whole content (Raw). The record keeps its place in
// the AFL, so a record that offline data authentication covers no longer
// matches its signature.
type RecordEdit struct {
	// App is the application's name or AID.
	App    string `json:"app"`
	SFI    int    `json:"sfi"`
	Record int    `json:"record"`
	// Set gives data objects of the record's template 70 new values (hex),
	// adding them at the end when absent.
	Set map[string]string `json:"set,omitempty"`
	// Remove deletes data objects from the record.
	Remove []string `json:"remove,omitempty"`
	// Raw replaces the whole record (hex, template included).
	Raw string `json:"raw,omitempty"`
}

// TerminalSpec is the terminal: a configuration (the built-in one of
// kernel.DefaultConfig unless Config names a file) with overrides, its CA
// keys and its files.
type TerminalSpec struct {
	// Config is a kernel configuration JSON file relative to the case
	// file; empty means kernel.DefaultConfig(country, currency).
	Config string `json:"config,omitempty"`
	// Country and Currency are 9F1A and 5F2A ("CN", "CNY" or numeric).
	// Default CN and CNY for the built-in configuration.
	Country  string `json:"country,omitempty"`
	Currency string `json:"currency,omitempty"`
	// Type, Capabilities and AdditionalCapabilities are 9F35, 9F33, 9F40.
	Type                   string `json:"type,omitempty"`
	Capabilities           string `json:"capabilities,omitempty"`
	AdditionalCapabilities string `json:"additional_capabilities,omitempty"`
	// Policy, Preference and SkipPSE set kernel.SelectionConfig.
	Policy     string `json:"policy,omitempty"`
	Preference string `json:"preference,omitempty"`
	SkipPSE    bool   `json:"skip_pse,omitempty"`
	// AIDs keeps only these terminal applications, in this order.
	AIDs []string `json:"aids,omitempty"`
	// Application is a merge patch over every terminal application
	// (kernel.Application JSON: tac_denial, tac_online, tac_default,
	// floor_limit, random_selection, versions, cvms, oda, partial_match …);
	// Applications one per terminal AID (hex), applied after it.
	Application  json.RawMessage            `json:"application,omitempty"`
	Applications map[string]json.RawMessage `json:"applications,omitempty"`
	// Patch is a merge patch over the whole kernel.Config JSON, applied
	// last (brand_check, always_risk_management, data_record,
	// disable_sm_algorithms, max_script_length …). Unknown members are
	// errors, as kernel.ParseConfig says.
	Patch json.RawMessage `json:"patch,omitempty"`
	// CAKeys changes the CA public keys the terminal holds (by default the
	// test CA keys of the card's personalisation).
	CAKeys CAKeySpec `json:"ca_keys,omitzero"`
	// Exceptions lists PANs (optionally "PAN/PSN") on the terminal
	// exception file.
	Exceptions []string `json:"exceptions,omitempty"`
	// LoggedAmount is what the transaction log already holds for the
	// card, in minor units (split sales, Book 3 §10.6.1); 0 means no log.
	LoggedAmount int64 `json:"logged_amount,omitempty"`
}

// CAKeySpec changes the terminal's CA public keys.
type CAKeySpec struct {
	// None leaves the terminal without any CA key.
	None bool `json:"none,omitempty"`
	// Remove drops keys, each "RID/index" in hex ("A000000025/F1").
	Remove []string `json:"remove,omitempty"`
	// Revoke puts issuer certificates on the revocation list, each
	// "RID/index/serial" in hex ("A000000025/F1/000002").
	Revoke []string `json:"revoke,omitempty"`
	// Expire sets the expiry of every key to this date (YYMMDD).
	Expire string `json:"expire,omitempty"`
}

// TransactionSpec is what the merchant and the terminal's clock and random
// source give the transaction.
type TransactionSpec struct {
	// Amount and OtherAmount are 9F02 and 9F03 in minor units. Amount
	// defaults to 1000 when both are 0 and Type is not a refund.
	Amount      int64 `json:"amount,omitempty"`
	OtherAmount int64 `json:"other_amount,omitempty"`
	// Currency and Country override the terminal's (see TerminalSpec).
	Currency string `json:"currency,omitempty"`
	Country  string `json:"country,omitempty"`
	// Type is purchase (default), cash, cashback, refund, or 9C in hex.
	Type string `json:"type,omitempty"`
	// Services says the purchase is of services (Application Usage
	// Control); ForceOnline is the merchant forcing the transaction online.
	Services    bool `json:"services,omitempty"`
	ForceOnline bool `json:"force_online,omitempty"`
	// Sequence is the Transaction Sequence Counter (9F41).
	Sequence uint32 `json:"sequence,omitempty"`
	// Date (YYMMDD) and Time (HHMMSS) fix the clock. Default 260615 and
	// 120000.
	Date string `json:"date,omitempty"`
	Time string `json:"time,omitempty"`
	// UN is the unpredictable number 9F37 (4 bytes hex); default derived
	// from the card seed.
	UN string `json:"un,omitempty"`
	// Random are the numbers (1 to 99) random transaction selection draws,
	// in order.
	Random []int `json:"random,omitempty"`
}

// CardholderSpec is what the cardholder does at the PIN pad and at
// application selection.
type CardholderSpec struct {
	// PIN is entered at every request; default the PIN the profile gives
	// the selected application.
	PIN string `json:"pin,omitempty"`
	// PINs are entered in turn (the last one repeats), before PIN.
	PINs []string `json:"pins,omitempty"`
	// WrongPIN makes the first WrongPIN entries wrong (the right PIN with
	// its last digit changed).
	WrongPIN int `json:"wrong_pin,omitempty"`
	// Bypass bypasses PIN entry.
	Bypass bool `json:"bypass,omitempty"`
	// PINPad is "present" (default), "absent" (no PIN pad) or "broken".
	PINPad string `json:"pin_pad,omitempty"`
	// ChooseAID is the application (hex) the cardholder picks when asked.
	ChooseAID string `json:"choose_aid,omitempty"`
	// Confirm answers a confirmation request (87 b8); default true.
	Confirm *bool `json:"confirm,omitempty"`
	// Interface false means the terminal cannot ask the cardholder
	// anything (Config.Cardholder nil); default true.
	Interface *bool `json:"interface,omitempty"`
}

// IssuerSpec is the issuer host.
type IssuerSpec struct {
	// Mode is approve (default), decline, bad_arpc (the ARPC corrupted),
	// no_arpc (no Issuer Authentication Data), unavailable (the request
	// cannot be sent), lost (sent, the answer never comes: outcome
	// unknown), or none (the terminal has no host at all).
	Mode string `json:"mode,omitempty"`
	// ARC is the Authorisation Response Code to send (default 00 / 05).
	ARC string `json:"arc,omitempty"`
	// Scripts go with the answer (template 71 when before_second_ac, else
	// 72), built by cardsim/issuer with secure messaging.
	Scripts []issuer.Script `json:"scripts,omitempty"`
	// RawScripts is appended to the answer's scripts as it is (hex of 71
	// or 72 templates), for malformed or unauthenticated scripts.
	RawScripts string `json:"raw_scripts,omitempty"`
	// Answers, when set, are the issuer's scripted answers in full
	// (cardsim/issuer Answer JSON), one per authorisation; Mode, ARC and
	// Scripts are then ignored except for unavailable, lost and none.
	Answers []issuer.Answer `json:"answers,omitempty"`
	// Rules replace the issuer's default decision rules.
	Rules *issuer.Rules `json:"rules,omitempty"`
	// LastATC is the highest ATC the issuer has already seen for the
	// card (its database after earlier transactions): a request whose
	// ATC is not above it is declined as a replay.
	LastATC *int `json:"last_atc,omitempty"`
}

// Expect is what the transaction must produce. Only the members given are
// checked; every difference is reported.
type Expect struct {
	// Result is approved, declined, online-approved, online-declined or
	// terminated.
	Result string `json:"result"`
	// ReasonContains must occur in the outcome's reason.
	ReasonContains string `json:"reason_contains,omitempty"`
	// Error names the cause of a termination: a kernel sentinel
	// (not-accepted, card-blocked, card-data, card-status,
	// service-not-allowed, brand-mismatch, no-cardholder-interface,
	// pin-bypassed, pin-pad-unavailable, host-unavailable) or a fault of
	// cardsim/attack (card-removed, injected, no-answer).
	Error string `json:"error,omitempty"`
	// SW is the status word of the termination (4 hex digits).
	SW string `json:"sw,omitempty"`
	// TerminatedPhase is the phase a terminated transaction stopped in
	// (kernel.Phase names: selection, initiation, read-records, oda, …).
	TerminatedPhase string `json:"terminated_phase,omitempty"`
	// Phase is the last phase reached, terminated or not.
	Phase string `json:"phase,omitempty"`

	// AID is the selected application (hex); SelectionRule the rule that
	// chose it; SelectionMethod pse or list-of-aids.
	AID             string `json:"aid,omitempty"`
	SelectionRule   string `json:"selection_rule,omitempty"`
	SelectionMethod string `json:"selection_method,omitempty"`
	// Candidates is the final candidate list in the order proposed;
	// Removed the applications dropped during final selection.
	Candidates []string `json:"candidates,omitempty"`
	Removed    []string `json:"removed,omitempty"`
	Confirmed  *bool    `json:"confirmed,omitempty"`
	Override   *bool    `json:"override,omitempty"`

	// ODA is the method performed (sda, dda, cda, sm2, none), ODAOK
	// whether it succeeded, ODAError text that must occur in the reason
	// it failed (case does not matter).
	ODA      string `json:"oda,omitempty"`
	ODAOK    *bool  `json:"oda_ok,omitempty"`
	ODAError string `json:"oda_error,omitempty"`

	// TVRSet and TVRClear name bits that must be set and clear; TVR, when
	// given, lists every bit that must be set (all others clear). Names
	// are the short names of the README or emv's full names.
	TVRSet   []string `json:"tvr_set,omitempty"`
	TVRClear []string `json:"tvr_clear,omitempty"`
	TVR      []string `json:"tvr,omitempty"`
	TSISet   []string `json:"tsi_set,omitempty"`
	TSIClear []string `json:"tsi_clear,omitempty"`
	TSI      []string `json:"tsi,omitempty"`

	// CVMResults is 9F34 in hex; CVMResult only its byte 3 (successful,
	// failed, unknown).
	CVMResults string `json:"cvm_results,omitempty"`
	CVMResult  string `json:"cvm_result,omitempty"`
	Signature  *bool  `json:"signature,omitempty"`
	OnlinePIN  *bool  `json:"online_pin,omitempty"`

	// CID lists the cryptogram type (ARQC, TC, AAC) of each GENERATE AC
	// response the terminal received, in order.
	CID []string `json:"cid,omitempty"`

	// Commands must appear in this order (other commands may come
	// between); CommandsAbsent must not appear. Each is a command name
	// (apdu.CommandName: "SELECT", "GET PROCESSING OPTIONS" …), optionally
	// followed by P1=XX and P2=XX, by the start of its data (hex, or text
	// such as 1PAY.SYS.DDF01) and by "-> SW" for the status word it got.
	Commands       []string `json:"commands_in_order,omitempty"`
	CommandsAbsent []string `json:"commands_absent,omitempty"`
	// APDUs is the number of commands sent.
	APDUs *int `json:"apdus,omitempty"`

	// DE55Contains and DE55Absent name tags of the authorisation data
	// record as the transaction ends (kernel.Outcome.DataRecord, for the
	// clearing record or advice); DE55Values gives exact values (hex) by
	// tag. OnlineDE55Contains and OnlineDE55Values check the DE 55 of the
	// authorisation request the issuer received instead.
	DE55Contains       []string          `json:"de55_contains,omitempty"`
	DE55Absent         []string          `json:"de55_absent,omitempty"`
	DE55Values         map[string]string `json:"de55_values,omitempty"`
	OnlineDE55Contains []string          `json:"online_de55_contains,omitempty"`
	OnlineDE55Values   map[string]string `json:"online_de55_values,omitempty"`
	// Online says whether an authorisation request reached the host.
	Online *bool `json:"online,omitempty"`

	// ARC is the Authorisation Response Code the card got; ScriptResults
	// the Issuer Script Results (9F5B) in hex.
	ARC           string `json:"arc,omitempty"`
	ScriptResults string `json:"script_results,omitempty"`
	// Reversal says a reversal is owed.
	Reversal *bool `json:"reversal,omitempty"`

	// CardAfter is the card's state after the transaction, by application
	// name (or AID): members of cardsim.AppState that must have these
	// values (pin_tries, blocked, atc …).
	CardAfter map[string]map[string]any `json:"card_after,omitempty"`
	// Events must each occur in one of the misbehaviour rules' events
	// (substring match).
	Events []string `json:"events,omitempty"`
}
