package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/apdu/pcsc"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/issuer"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
	"github.com/yixin-emv/yixin/kernel"
	"github.com/yixin-emv/yixin/kernel/kerneltest"
)

const payUsage = `usage: yixin pay [--card card.json | --profile NAME | --reader NAME | --replay FILE [--strict]]
                 [--config FILE] [--capk FILE] [--amount 12.34] [--currency CNY|156]
                 [--country CN|156] [--type purchase] [--pin DIGITS]
                 [--online approve|decline|unavailable] [--un HEX] [--date YYMMDD]
                 [--time HHMMSS] [--policy NAME] [--trace] [--json]

Runs one contact EMV transaction with the terminal kernel and prints its
outcome: the application selected and why, offline data authentication,
cardholder verification, the cryptogram and the result.

The card (one of; default --profile dual-cn):
  --card FILE      a simulated card made by "yixin card new"; its test CA
                   keys and issuer keys are in the file, its counters in
                   FILE.state (as "yixin card serve" keeps them)
  --profile NAME   a simulated card personalised now from a built-in
                   profile (seed 1: the same card every time)
  --reader NAME    a card in a PC/SC reader ("" or "any": the first with a
                   card; needs a binary built with -tags pcsc)
  --replay FILE    a recorded trace (the format of package apdu); commands
                   are matched by header unless --strict, which compares
                   them byte for byte (use --un, --date and --time to
                   reproduce the recording)

The terminal:
  --config FILE    terminal configuration JSON (see testdata/config); default
                   the built-in one: the common AIDs of Visa, Mastercard,
                   American Express, UnionPay, JCB and Discover
  --capk FILE      CA public keys (capk.txt or JSON), replacing the
                   configuration's; simulated cards bring their own test CA
  --country, --currency
                   terminal country (9F1A) and currency (5F2A), alphabetic or
                   numeric; default the configuration's, else CN and CNY
  --policy NAME    application selection: issuer-priority,
                   domestic-preference or cardholder-choice
  --amount 12.34   Amount, Authorised in the terminal currency (default 1.00)
  --type NAME      purchase (default), cash, cashback, refund, or 2 hex digits
  --pin DIGITS     the PIN the cardholder enters; without it the terminal
                   has no PIN pad
  --online MODE    the issuer: approve (default), decline, or unavailable
                   (the terminal cannot go online). Simulated cards get an
                   issuer that checks the ARQC and answers with an ARPC;
                   readers and replays one that answers 00 or 05 without
                   ARPC
  --un HEX         the random source: the unpredictable number 9F37 and
                   every other random byte repeat these bytes
  --date YYMMDD, --time HHMMSS
                   the transaction date and time (default now; --date alone
                   means 12:00:00)
  --trace          print the annotated APDU trace (PAN, track 2 and PIN data
                   masked) to standard error with --json, else standard output
  --json           print one JSON object: result, reason, aid,
                   selection_rule, candidates, oda (sda|dda|cda|sm2|none),
                   oda_ok, tvr, tsi, cvm_results, cid, cryptogram, atc,
                   reversal, apdus, phase, de55 (hex upper case), and more

Exit status: 0 approved (offline or online), 1 declined, terminated or the
replay did not match, 2 bad arguments or unreadable files.
`

// payArgs holds what the flags of pay (and demo) say.
type payArgs struct {
	cardFile, profile, reader, replay string
	strict                            bool
	config, capk                      string
	country, currency, policy         string
	amount, txType, pin, online, un   string
	date, clock                       string
	trace, json                       bool
}

func runPay(e *env) int {
	a, code := parsePay(e)
	if a == nil {
		return code
	}
	cfg, err := a.terminal()
	if err != nil {
		fail(e, "pay: %v", err)
		return exitUsage
	}
	params, err := a.params(cfg)
	if err != nil {
		fail(e, "pay: %v", err)
		return exitUsage
	}
	card, err := a.openCard(e.ctx, cfg)
	if err != nil {
		fail(e, "pay: %v", err)
		return exitUsage
	}
	defer card.close()
	var transport apdu.Transport = card.transport
	traceOut := e.stdout
	if a.json {
		traceOut = e.stderr
	}
	if a.trace {
		transport = apdu.NewTracer(transport, traceOut, apdu.TraceOptions{})
	}
	tx, err := kernel.NewTransaction(cfg, transport, params)
	if err != nil {
		fail(e, "pay: %v", err)
		return exitUsage
	}
	o, runErr := tx.Run(e.ctx)
	if card.replayer != nil {
		if err := card.replayer.Done(); err != nil {
			fail(e, "pay: replay: %v", err)
			return exitFailure
		}
	}
	if a.json {
		if err := writePayJSON(e.stdout, o, params, cfg); err != nil {
			fail(e, "pay: %v", err)
			return exitFailure
		}
	} else {
		writeReceipt(e.stdout, o, params, cfg, runErr)
	}
	if o.Result == kernel.ResultApproved || o.Result == kernel.ResultOnlineApproved {
		return exitOK
	}
	return exitFailure
}

// parsePay reads the flags; a nil result comes with the exit status.
func parsePay(e *env) (*payArgs, int) {
	fs := flag.NewFlagSet("pay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a := &payArgs{}
	fs.StringVar(&a.cardFile, "card", "", "")
	fs.StringVar(&a.profile, "profile", "", "")
	fs.StringVar(&a.reader, "reader", "", "")
	fs.StringVar(&a.replay, "replay", "", "")
	fs.BoolVar(&a.strict, "strict", false, "")
	fs.StringVar(&a.config, "config", "", "")
	fs.StringVar(&a.capk, "capk", "", "")
	fs.StringVar(&a.country, "country", "", "")
	fs.StringVar(&a.currency, "currency", "", "")
	fs.StringVar(&a.policy, "policy", "", "")
	fs.StringVar(&a.amount, "amount", "1.00", "")
	fs.StringVar(&a.txType, "type", "purchase", "")
	fs.StringVar(&a.pin, "pin", "", "")
	fs.StringVar(&a.online, "online", "approve", "")
	fs.StringVar(&a.un, "un", "", "")
	fs.StringVar(&a.date, "date", "", "")
	fs.StringVar(&a.clock, "time", "", "")
	fs.BoolVar(&a.trace, "trace", false, "")
	fs.BoolVar(&a.json, "json", false, "")
	readerSet := false
	if err := fs.Parse(e.args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, payUsage)
			return nil, exitOK
		}
		fail(e, "pay: %v (run \"yixin pay -h\")", err)
		return nil, exitUsage
	}
	fs.Visit(func(f *flag.Flag) { readerSet = readerSet || f.Name == "reader" })
	if fs.NArg() > 0 {
		fail(e, "pay: unexpected argument %q (run \"yixin pay -h\")", fs.Arg(0))
		return nil, exitUsage
	}
	n := 0
	for _, s := range []bool{a.cardFile != "", a.profile != "", readerSet, a.replay != ""} {
		if s {
			n++
		}
	}
	if n > 1 {
		fail(e, "pay: give one of --card, --profile, --reader and --replay")
		return nil, exitUsage
	}
	if readerSet && a.reader == "" {
		a.reader = "any"
	}
	if n == 0 {
		a.profile = cardsim.DefaultProfile
	}
	if a.strict && a.replay == "" {
		fail(e, "pay: --strict goes with --replay")
		return nil, exitUsage
	}
	switch a.online {
	case "approve", "decline", "unavailable":
	default:
		fail(e, "pay: --online must be approve, decline or unavailable, not %q", a.online)
		return nil, exitUsage
	}
	return a, exitOK
}

// terminal builds the terminal configuration from --config and the flags
// that override it.
func (a *payArgs) terminal() (*kernel.Config, error) {
	var cfg *kernel.Config
	var err error
	if a.config != "" {
		if cfg, err = kernel.LoadConfig(a.config); err != nil {
			return nil, err
		}
	} else {
		country, currency := a.country, a.currency
		if country == "" {
			country = "CN"
		}
		if currency == "" {
			currency = "CNY"
		}
		if cfg, err = kernel.DefaultConfig(country, currency); err != nil {
			return nil, err
		}
	}
	if a.country != "" {
		if err := cfg.Terminal.Country.UnmarshalText([]byte(a.country)); err != nil {
			return nil, fmt.Errorf("--country: %w", err)
		}
	}
	if a.currency != "" {
		if err := cfg.Terminal.Currency.UnmarshalText([]byte(a.currency)); err != nil {
			return nil, fmt.Errorf("--currency: %w", err)
		}
		cfg.Terminal.CurrencyExponent = nil
	}
	if a.policy != "" {
		cfg.Selection.Policy = kernel.SelectionPolicy(a.policy)
	}
	if a.capk != "" {
		if cfg.CAKeys, err = kernel.LoadCAKeys(a.capk); err != nil {
			return nil, err
		}
	}
	if a.pin != "" {
		cfg.PINPad = kernel.FixedPIN{PIN: a.pin}
	}
	if cfg.Rand, err = unReader(a.un); err != nil {
		return nil, err
	}
	if cfg.Clock, err = fixedClock(a.date, a.clock); err != nil {
		return nil, err
	}
	cfg.Cardholder = kernel.AcceptProposal{}
	return cfg, cfg.Validate()
}

// params builds the transaction data from --amount and --type.
func (a *payArgs) params(cfg *kernel.Config) (kernel.Params, error) {
	var p kernel.Params
	cur, ok := emv.CurrencyByNumeric(int(cfg.Terminal.Currency))
	if !ok {
		return p, fmt.Errorf("terminal currency %03d unknown", int(cfg.Terminal.Currency))
	}
	amt, err := emv.ParseAmount(a.amount, cur)
	if err != nil {
		return p, fmt.Errorf("--amount: %w", err)
	}
	p.Amount = amt.Minor
	switch strings.ToLower(a.txType) {
	case "purchase":
		p.Type = kernel.TypePurchase
	case "cash":
		p.Type = kernel.TypeCash
	case "cashback":
		p.Type = kernel.TypePurchaseCashback
	case "refund":
		p.Type = kernel.TypeRefund
	default:
		b, err := hex.DecodeString(a.txType)
		if err != nil || len(b) != 1 {
			return p, fmt.Errorf("--type: purchase, cash, cashback, refund or 2 hex digits, not %q", a.txType)
		}
		p.Type = b[0]
	}
	return p, nil
}

// unReader returns the random source of --un: its bytes over and over.
func unReader(s string) (io.Reader, error) {
	if s == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("--un: want hex bytes, got %q", s)
	}
	return &cycleReader{b: b}, nil
}

// cycleReader repeats its bytes forever.
type cycleReader struct {
	b []byte
	i int
}

func (r *cycleReader) Read(p []byte) (int, error) {
	for n := range p {
		p[n] = r.b[r.i%len(r.b)]
		r.i++
	}
	return len(p), nil
}

// fixedClock returns the clock of --date and --time, nil for time.Now.
func fixedClock(date, clock string) (func() time.Time, error) {
	if date == "" && clock == "" {
		return nil, nil
	}
	now := time.Now()
	y, m, d := now.Date()
	if date != "" {
		dt, err := emv.ParseDateString(date)
		if err != nil {
			return nil, fmt.Errorf("--date: %w", err)
		}
		y, m, d = dt.Year, time.Month(dt.Month), dt.Day
	}
	hh, mm, ss := 12, 0, 0
	if clock != "" {
		v, err := strconv.Atoi(clock)
		if len(clock) != 6 || err != nil || v/10000 > 23 || v/100%100 > 59 || v%100 > 59 {
			return nil, fmt.Errorf("--time: want HHMMSS, got %q", clock)
		}
		hh, mm, ss = v/10000, v/100%100, v%100
	} else if date == "" {
		hh, mm, ss = now.Clock()
	}
	t := time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	return func() time.Time { return t }, nil
}

// openedCard is the card of a transaction and what goes with it.
type openedCard struct {
	transport apdu.Transport
	replayer  *apdu.Replayer
	close     func()
}

// openCard opens the card the flags name and sets the host and, for a
// simulated card, its test CA keys in cfg.
func (a *payArgs) openCard(ctx context.Context, cfg *kernel.Config) (*openedCard, error) {
	switch {
	case a.replay != "":
		f, err := os.Open(a.replay)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		ex, err := apdu.ParseTrace(f)
		if err != nil {
			return nil, err
		}
		mode := apdu.ReplayLenient
		if a.strict {
			mode = apdu.ReplayStrict
		}
		r := apdu.NewReplayer(ex, mode)
		cfg.Host = plainHost(a.online)
		return &openedCard{transport: r, replayer: r, close: func() {}}, nil
	case a.reader != "":
		name := a.reader
		if name == "any" {
			name = ""
		}
		c, err := pcsc.Open(ctx, name, pcsc.Options{})
		if err != nil {
			return nil, err
		}
		cfg.Host = plainHost(a.online)
		return &openedCard{transport: apdu.T0(c), close: func() { c.Close() }}, nil
	}
	var cf *cardsim.CardFile
	var err error
	if a.cardFile != "" {
		if cf, err = cardsim.LoadCardFile(a.cardFile); err != nil {
			return nil, err
		}
	} else {
		p, err := cardsim.BuiltinProfile(a.profile)
		if err != nil {
			return nil, err
		}
		if cf, _, err = cardsim.Personalise(p, cardsim.SeededReader(1)); err != nil {
			return nil, err
		}
	}
	var store cardsim.Store
	if a.cardFile != "" {
		store = &cardsim.FileStore{Path: a.cardFile + ".state"} // as "yixin card serve": counters survive
	}
	sim, err := newSimCard(cf, a.online, store)
	if err != nil {
		if a.cardFile != "" {
			return nil, fmt.Errorf("%s: %w", a.cardFile, err)
		}
		return nil, err
	}
	if a.capk == "" {
		cfg.CAKeys = sim.keys
	}
	cfg.Host = sim.host
	return &openedCard{transport: sim.card, close: func() {}}, nil
}

// simCard is a simulated card with its issuer and test CA keys.
type simCard struct {
	card *cardsim.Card
	keys *oda.Store
	host kernel.Host
	pins map[string]string // PAN → PIN, what the cardholder knows
}

// newSimCard builds the card (its state in store, in memory when nil), its
// test CA key store and its issuer host.
func newSimCard(cf *cardsim.CardFile, online string, store cardsim.Store) (*simCard, error) {
	keys, err := cf.CAStore()
	if err != nil {
		return nil, err
	}
	card, err := cardsim.New(cf, &cardsim.Options{Rand: cardsim.SeededReader(2), Store: store})
	if err != nil {
		return nil, err
	}
	s := &simCard{card: card, keys: keys, pins: map[string]string{}}
	accounts, err := kerneltest.IssuerAccounts(cf)
	if err != nil {
		return nil, err
	}
	for i := range accounts {
		if online == "decline" {
			for range 8 {
				accounts[i].Answers = append(accounts[i].Answers, issuer.Answer{Approve: false})
			}
		}
		s.pins[cf.Profile.Applications[i].PAN] = cf.Profile.Applications[i].PIN
	}
	switch online {
	case "unavailable":
		s.host = nil
	default:
		h, err := issuer.New(accounts...)
		if err != nil {
			return nil, err
		}
		s.host = kerneltest.IssuerHost{Host: h}
	}
	return s, nil
}

// plainHost is the host of readers and replays: no issuer keys, so no
// ARPC; approve answers 00, decline 05.
func plainHost(online string) kernel.Host {
	switch online {
	case "unavailable":
		return nil
	case "decline":
		return kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
			return &kernel.AuthorizationResponse{ResponseCode: "05"}, nil
		})
	}
	return kernel.HostFunc(func(context.Context, *kernel.AuthorizationRequest) (*kernel.AuthorizationResponse, error) {
		return &kernel.AuthorizationResponse{Approved: true, ResponseCode: "00"}, nil
	})
}

// payJSON is the stable JSON output of pay.
type payJSON struct {
	Result          string          `json:"result"`
	Reason          string          `json:"reason"`
	AID             string          `json:"aid"`
	Application     string          `json:"application"`
	SelectionRule   string          `json:"selection_rule"`
	SelectionReason string          `json:"selection_reason"`
	Candidates      []candidateJSON `json:"candidates"`
	PAN             string          `json:"pan"`
	Amount          string          `json:"amount"`
	ODA             string          `json:"oda"`
	ODAOK           bool            `json:"oda_ok"`
	TVR             string          `json:"tvr"`
	TSI             string          `json:"tsi"`
	CVMResults      string          `json:"cvm_results"`
	Signature       bool            `json:"signature"`
	CID             string          `json:"cid"`
	Cryptogram      string          `json:"cryptogram"`
	ATC             int             `json:"atc"`
	ARC             string          `json:"arc"`
	ScriptResults   string          `json:"script_results"`
	Reversal        bool            `json:"reversal"`
	APDUs           int             `json:"apdus"`
	Phase           string          `json:"phase"`
	DE55            string          `json:"de55"`
}

type candidateJSON struct {
	AID      string `json:"aid"`
	Name     string `json:"name"`
	Priority string `json:"priority"`
}

func hexU(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

func writePayJSON(w io.Writer, o *kernel.Outcome, p kernel.Params, cfg *kernel.Config) error {
	j := payJSON{
		Result: string(o.Result), Reason: o.Reason, AID: hexU(o.AID), Application: o.Selection.Name,
		SelectionRule: string(o.Selection.Rule), SelectionReason: o.Selection.Reason, Candidates: []candidateJSON{},
		PAN: o.MaskedPAN, Amount: amountString(p.Amount, cfg), ODA: string(o.ODA), ODAOK: o.ODAOK,
		TVR: hexU(o.TVR[:]), TSI: hexU(o.TSI[:]), CVMResults: hexU(o.CVMResults[:]), Signature: o.Signature,
		Cryptogram: hexU(o.Cryptogram), ATC: int(o.ATC), ARC: o.ResponseCode, ScriptResults: hexU(o.ScriptResults),
		Reversal: o.Reversal, APDUs: o.APDUs, Phase: o.Phase.String(), DE55: hexU(o.DataRecord),
	}
	if o.Cryptogram != nil || o.CID != 0 {
		j.CID = fmt.Sprintf("%02X", byte(o.CID))
	}
	for _, c := range o.Selection.Candidates {
		j.Candidates = append(j.Candidates, candidateJSON{AID: hexU(c.AID), Name: c.DisplayName, Priority: fmt.Sprintf("%02X", c.Priority)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// amountString writes an amount in the terminal currency.
func amountString(minor int64, cfg *kernel.Config) string {
	cur, _ := emv.CurrencyByNumeric(int(cfg.Terminal.Currency))
	return emv.Amount{Minor: minor, Currency: cur}.String()
}

// writeReceipt prints the outcome for people: a short receipt.
func writeReceipt(w io.Writer, o *kernel.Outcome, p kernel.Params, cfg *kernel.Config, err error) {
	line := func(k, v string) { fmt.Fprintf(w, "  %-12s %s\n", k, v) }
	fmt.Fprintln(w, "  ----------------------------------------------------------")
	if o.AID != nil {
		line("Application", fmt.Sprintf("%s (%X)", o.Selection.Name, o.AID))
		line("Chosen by", fmt.Sprintf("%s — %s", o.Selection.Rule, o.Selection.Reason))
		var others []string
		for _, c := range o.Selection.Candidates {
			if !bytes.Equal(c.AID, o.AID) {
				others = append(others, fmt.Sprintf("%s (%X)", c.DisplayName, c.AID))
			}
		}
		if len(others) > 0 {
			line("Also on card", strings.Join(others, ", "))
		}
	}
	if o.MaskedPAN != "" {
		line("Card", o.MaskedPAN)
	}
	line("Amount", amountString(p.Amount, cfg))
	if o.Phase >= kernel.PhaseCVM {
		cvm := o.CVMResults.String()
		if o.Signature {
			cvm += " — signature required: ______________"
		}
		line("CVM", cvm)
	}
	if o.Phase >= kernel.PhaseODA {
		odaS := strings.ToUpper(string(o.ODA))
		switch {
		case o.ODA == kernel.ODANone:
			odaS = "not performed"
		case o.ODAOK:
			odaS += " — verified"
		case o.ODAError != "":
			odaS += " — FAILED: " + o.ODAError
		default:
			odaS += " — no signature to verify"
		}
		line("ODA", odaS)
	}
	if o.Cryptogram != nil {
		line("Cryptogram", fmt.Sprintf("%v %X, ATC %04X", o.CID.Type(), o.Cryptogram, o.ATC))
	}
	if o.ResponseCode != "" {
		line("ARC", o.ResponseCode)
	}
	line("TVR / TSI", fmt.Sprintf("%X / %X", o.TVR[:], o.TSI[:]))
	line("Result", fmt.Sprintf("%s — %s", strings.ToUpper(string(o.Result)), o.Reason))
	if err != nil {
		line("Error", err.Error())
	}
	if o.Reversal {
		line("Reversal", "owed: send a reversal to the acquirer")
	}
	fmt.Fprintln(w, "  ----------------------------------------------------------")
}
