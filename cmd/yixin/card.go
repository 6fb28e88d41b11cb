package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/apdu/pcsc"
	"github.com/yixin-emv/yixin/cardsim"
	"github.com/yixin-emv/yixin/cardsim/vpcd"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

const cardUsage = `usage: yixin card <subcommand> [flags]

subcommands:
  new    personalise a simulated card from a profile (card file, test CA keys)
  info   summary of a card file and its saved state
  serve  put a card file behind pcscd as the card of a vsmartcard-vpcd reader
  read   read every application of a card in a PC/SC reader into a card image

Run "yixin card <subcommand> -h" for its flags.
`

// cardSub is one "yixin card" subcommand.
type cardSub struct {
	name, usage string
	run         func(e *env, fs *flag.FlagSet) int
}

func cardSubs() []cardSub {
	return []cardSub{
		{"new", cardNewUsage, cardNew},
		{"info", cardInfoUsage, cardInfo},
		{"serve", cardServeUsage, cardServe},
		{"read", cardReadUsage, cardRead},
	}
}

func runCard(e *env) int {
	subs := cardSubs()
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	i, code, done := pickSub(e, "card", cardUsage, names...)
	if done {
		return code
	}
	s := subs[i]
	fs := flag.NewFlagSet("yixin card "+s.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sub := *e
	sub.args = e.args[1:]
	return s.run(&sub, fs)
}

// cardFlags parses the flags of a subcommand and reports -h and errors.
// It returns -1 when the command should go on.
func cardFlags(e *env, fs *flag.FlagSet, name, usage string) int {
	err := parseFlags(fs, e.args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.WriteString(e.stdout, usage)
		return exitOK
	case err != nil:
		fail(e, "card %s: %v", name, err)
		io.WriteString(e.stderr, usage)
		return exitUsage
	}
	return -1
}

const cardNewUsage = `usage: yixin card new [--profile NAME|FILE] --out FILE [--seed N] [--capk-out FILE] [--force]

Personalises a simulated card: derives the ICC master keys from the issuer
master keys (random ones unless the profile fixes them), creates a TEST
certification authority, issues the issuer and ICC certificates, signs the
static data and lays out the records. Writes the card file (JSON, with the
card's secret keys: a test card) and, with --capk-out, the test CA public
keys as capk.txt lines for the terminals that are to accept the card.

  --profile NAME|FILE  a built-in profile (default dual-cn; see below) or a
                       profile JSON file
  --out FILE           the card file to write
  --seed N             make the card from a seeded random stream: the same
                       seed and profile give the same files, byte for byte
                       (anyone with the seed has the keys); default crypto/rand
  --capk-out FILE      write the test CA public keys here
  --force              overwrite existing files

Exit status: 0 written, 1 the profile is invalid or a file cannot be
written, 2 bad arguments.
`

func cardNew(e *env, fs *flag.FlagSet) int {
	profile := fs.String("profile", cardsim.DefaultProfile, "")
	out := fs.String("out", "", "")
	seed := fs.String("seed", "", "")
	capkOut := fs.String("capk-out", "", "")
	force := fs.Bool("force", false, "")
	usage := cardNewUsage + "\nbuilt-in profiles: " + strings.Join(cardsim.BuiltinProfiles(), ", ") + "\n"
	if code := cardFlags(e, fs, "new", usage); code >= 0 {
		return code
	}
	if *out == "" {
		fail(e, "card new: --out is required")
		return exitUsage
	}
	var rnd io.Reader = rand.Reader
	if *seed != "" {
		n, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			fail(e, "card new: --seed %q is not a number from 0 to 2^64-1", *seed)
			return exitUsage
		}
		rnd = cardsim.SeededReader(n)
	}
	p, err := loadProfile(*profile)
	if err != nil {
		fail(e, "card new: %v", err)
		return exitFailure
	}
	cf, keys, err := cardsim.Personalise(p, rnd)
	if err != nil {
		fail(e, "card new: %v", err)
		return exitFailure
	}
	b, err := cf.Marshal()
	if err == nil {
		err = writeNew(*out, b, 0o600, *force)
	}
	if err == nil && *capkOut != "" {
		var text string
		if text, err = cardsim.CAPKText(keys); err == nil {
			err = writeNew(*capkOut, []byte(text), 0o644, *force)
		}
	}
	if err != nil {
		fail(e, "card new: %v", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "%s: card %s, profile %s, %d application(s), %d test CA key(s)\n",
		*out, cf.ID, p.Name, len(cf.Applications), len(keys))
	return exitOK
}

// loadProfile takes a built-in profile's name or a profile file.
func loadProfile(s string) (*cardsim.Profile, error) {
	if strings.HasSuffix(s, ".json") || strings.ContainsRune(s, os.PathSeparator) {
		f, err := os.Open(s)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return cardsim.ParseProfile(f)
	}
	return cardsim.BuiltinProfile(s)
}

// writeNew writes a file, refusing to replace one unless force.
func writeNew(path string, b []byte, perm os.FileMode, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !force {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(path, flags, perm)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists (use --force to replace it)", path)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

const cardInfoUsage = `usage: yixin card info --card FILE [--state FILE] [--reveal]

Prints a summary of a card file: its profile, and for each application the
AID, label, PAN (masked), dates, currency, AIP, ODA keys and cryptography,
with the counters of its saved state when there is one.

  --card FILE    the card file
  --state FILE   its state file (default: FILE.state, if it exists)
  --reveal       show the PAN in clear

Exit status: 0 printed, 1 a file is unreadable or invalid, 2 bad arguments.
`

func cardInfo(e *env, fs *flag.FlagSet) int {
	card := fs.String("card", "", "")
	statePath := fs.String("state", "", "")
	reveal := fs.Bool("reveal", false, "")
	if code := cardFlags(e, fs, "info", cardInfoUsage); code >= 0 {
		return code
	}
	if *card == "" {
		fail(e, "card info: --card is required")
		return exitUsage
	}
	cf, err := cardsim.LoadCardFile(*card)
	if err != nil {
		fail(e, "card info: %v", err)
		return exitFailure
	}
	var st *cardsim.State
	if *statePath == "" {
		if _, err := os.Stat(*card + ".state"); err == nil {
			*statePath = *card + ".state"
		}
	}
	if *statePath != "" {
		if st, err = cardsim.LoadState(*statePath); err != nil {
			fail(e, "card info: %v", err)
			return exitFailure
		}
	}
	writeCardInfo(e.stdout, cf, st, *reveal)
	return exitOK
}

func writeCardInfo(w io.Writer, cf *cardsim.CardFile, st *cardsim.State, reveal bool) {
	p := cf.Profile
	fmt.Fprintf(w, "card %s, profile %s\n%s\n", cf.ID, p.Name, cf.Warning)
	if st != nil && st.CardBlocked {
		fmt.Fprintln(w, "CARD BLOCKED")
	}
	for i := range p.Applications {
		a := &p.Applications[i]
		pan := emv.MaskPAN(a.PAN)
		if reveal {
			pan = a.PAN
		}
		aip, _ := emv.ParseAIP(a.AIP)
		fmt.Fprintf(w, "\napplication %s: %s %q priority %d\n", a.Name, a.AID, a.Label, a.Priority)
		fmt.Fprintf(w, "  PAN %s PSN %s, effective %s, expires %s, currency %s, country %s\n",
			pan, a.PSN, a.Effective, a.Expiry, a.Currency, a.Country)
		fmt.Fprintf(w, "  AIP %s: %s\n", a.AIP, aip)
		fmt.Fprintf(w, "  cryptography: %s %s, CVN %d, ARPC method %d\n", a.Crypto.Scheme, a.Crypto.Algorithm, a.Crypto.CVN, a.Crypto.ARPCMethod)
		if o := a.ODA; o != nil {
			fmt.Fprintf(w, "  ODA: %s, test CA %X/%s", o.Algorithm, []byte(a.AID[:5]), o.CAIndex)
			if o.Algorithm == "rsa" {
				fmt.Fprintf(w, " (%d bits, e=%d), issuer %d bits (e=%d)", o.CABits, o.CAExponent, o.IssuerBits, o.IssuerExponent)
				if o.ICCBits > 0 {
					fmt.Fprintf(w, ", ICC %d bits (e=%d)", o.ICCBits, o.ICCExponent)
				}
			}
			fmt.Fprintln(w)
		}
		if st != nil {
			if s := st.Apps[a.AID.String()]; s != nil {
				fmt.Fprintf(w, "  state: ATC %d, last online ATC %d, PIN tries left %d, offline %d (amount %d), blocked %v\n",
					s.ATC, s.LastOnlineATC, s.PINTries, s.OfflineCount, s.OfflineAmount, s.Blocked)
			}
		}
	}
}

const cardServeUsage = `usage: yixin card serve --card FILE [--vpcd HOST:PORT] [--state FILE] [--t0]

Serves a card file as the card of a vsmartcard-vpcd virtual reader, so that
every PC/SC program on the machine (through pcscd) sees it: port 35963 is
reader "Virtual PCD 00 00", 35964 "Virtual PCD 00 01". The card's counters
are saved in the state file after every change, so that they survive a
restart; a crash cannot corrupt it. Runs until interrupted (Ctrl-C, SIGTERM).
scripts/pcsc-up.sh installs and starts pcscd with vpcd.

  --card FILE       the card file ("yixin card new")
  --vpcd HOST:PORT  where vpcd listens (default 127.0.0.1:35963)
  --state FILE      the state file (default: FILE.state)
  --t0              announce T=0 in the ATR instead of T=1

Exit status: 0 interrupted, 1 the card or its state cannot be used, 2 bad
arguments.
`

func cardServe(e *env, fs *flag.FlagSet) int {
	cardPath := fs.String("card", "", "")
	addr := fs.String("vpcd", vpcd.DefaultAddr, "")
	statePath := fs.String("state", "", "")
	t0 := fs.Bool("t0", false, "")
	if code := cardFlags(e, fs, "serve", cardServeUsage); code >= 0 {
		return code
	}
	if *cardPath == "" {
		fail(e, "card serve: --card is required")
		return exitUsage
	}
	if *statePath == "" {
		*statePath = *cardPath + ".state"
	}
	cf, err := cardsim.LoadCardFile(*cardPath)
	if err != nil {
		fail(e, "card serve: %v", err)
		return exitFailure
	}
	card, err := cardsim.New(cf, &cardsim.Options{Store: &cardsim.FileStore{Path: *statePath}})
	if err != nil {
		if errors.Is(err, cardsim.ErrState) {
			err = fmt.Errorf("%w (a card file made again gets a new card: remove the old state file %s)", err, *statePath)
		}
		fail(e, "card serve: %v", err)
		return exitFailure
	}
	atr := card.ATR()
	if *t0 {
		atr = vpcd.T0ATR()
	}
	ctx, stop := signal.NotifyContext(e.ctx, syscall.SIGTERM)
	defer stop()
	srv := &vpcd.Server{Addr: *addr, Card: card, ATR: atr,
		Logf: func(format string, args ...any) { fmt.Fprintf(e.stderr, "yixin card serve: "+format+"\n", args...) }}
	fmt.Fprintf(e.stdout, "serving card %s (profile %s) to vpcd at %s, state in %s; interrupt to stop\n",
		cf.ID, cf.Profile.Name, *addr, *statePath)
	if err := srv.Serve(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fail(e, "card serve: %v", err)
		return exitFailure
	}
	return exitOK
}

const cardReadUsage = `usage: yixin card read [--reader NAME] [--aid HEX] --out FILE [--wait DURATION]
                      [--country NNN] [--currency NNN]

Reads every payment application of the card in a PC/SC reader into card
images, the input of "yixin oda verify": the applications the PSE directory
lists (or, without a PSE, those found by selecting known AIDs, partial AIDs
included, first and next occurrence), and for each the AIP and AFL of GET
PROCESSING OPTIONS, every record of the AFL and, when the AIP announces DDA,
an INTERNAL AUTHENTICATE with the DDOL. It never sends GENERATE AC: reading
a card does not make a transaction.

  --reader NAME      the reader (default: the first with a card)
  --aid HEX          read only this application
  --out FILE         write {"applications": [image, ...]} here ("-": standard output)
  --wait DURATION    wait this long for a card (e.g. 5s; default: do not wait)
  --country NNN      terminal country code for the PDOL (default 156)
  --currency NNN     transaction currency code for the PDOL (default 156)

Needs a binary built with -tags pcsc (libpcsclite-dev) and pcscd running.

Exit status: 0 read, 1 no card, reader or application could be read, 2 bad
arguments.
`

func cardRead(e *env, fs *flag.FlagSet) int {
	reader := fs.String("reader", "", "")
	aidHex := fs.String("aid", "", "")
	out := fs.String("out", "", "")
	wait := fs.Duration("wait", 0, "")
	country := fs.String("country", "156", "")
	currency := fs.String("currency", "156", "")
	if code := cardFlags(e, fs, "read", cardReadUsage); code >= 0 {
		return code
	}
	opts, err := readOptionsFrom(*aidHex, *country, *currency)
	if err == nil && *out == "" {
		err = errors.New("--out is required")
	}
	if err != nil {
		fail(e, "card read: %v", err)
		return exitUsage
	}
	if *wait > 0 {
		ctx, cancel := context.WithTimeout(e.ctx, *wait)
		err = pcsc.WaitForCard(ctx, *reader)
		cancel()
		if err != nil {
			fail(e, "card read: waiting for a card: %v", err)
			return exitFailure
		}
	}
	card, err := pcsc.Open(e.ctx, *reader, pcsc.Options{})
	if err != nil {
		fail(e, "card read: %v", err)
		return exitFailure
	}
	defer card.Close()
	images, err := readCardImages(e.ctx, apdu.T0(card), opts, e.stderr)
	if err != nil {
		fail(e, "card read: %s: %v", card.Reader(), err)
		return exitFailure
	}
	b, err := json.MarshalIndent(struct {
		Applications []oda.Image `json:"applications"`
	}{images}, "", "  ")
	if err == nil {
		b = append(b, '\n')
		if *out == "-" {
			_, err = e.stdout.Write(b)
		} else {
			err = os.WriteFile(*out, b, 0o644)
		}
	}
	if err != nil {
		fail(e, "card read: %v", err)
		return exitFailure
	}
	if *out != "-" {
		for _, img := range images {
			fmt.Fprintf(e.stdout, "%X: AIP %X, %d records%s\n", []byte(img.AID), []byte(img.AIP), len(img.Records), ddaNote(img))
		}
	}
	return exitOK
}

func ddaNote(img oda.Image) string {
	if img.DDA != nil {
		return ", INTERNAL AUTHENTICATE"
	}
	return ""
}

// readOptions says what card read sends.
type readOptions struct {
	aid      []byte
	country  []byte
	currency []byte
	rand     io.Reader
	now      func() time.Time
}

func readOptionsFrom(aidHex, country, currency string) (*readOptions, error) {
	o := &readOptions{rand: rand.Reader, now: time.Now}
	var err error
	if aidHex != "" {
		if o.aid, err = hexFlag("aid", aidHex, false); err != nil || len(o.aid) < 5 || len(o.aid) > 16 {
			return nil, fmt.Errorf("--aid %q: want 5 to 16 bytes of hex", aidHex)
		}
	}
	if o.country, err = emv.EncodeNumeric(country, 2); err != nil || len(country) != 3 {
		return nil, fmt.Errorf("--country %q: want 3 digits", country)
	}
	if o.currency, err = emv.EncodeNumeric(currency, 2); err != nil || len(currency) != 3 {
		return nil, fmt.Errorf("--currency %q: want 3 digits", currency)
	}
	return o, nil
}

// knownAIDs are tried, as partial names with next occurrence, when a card
// has no PSE: domestic (UnionPay, the Chinese credit/debit RID), American
// Express, and the other schemes a reader may meet.
var knownAIDs = [][]byte{
	{0xA0, 0x00, 0x00, 0x03, 0x33}, // UnionPay (UICS/PBOC)
	{0xA0, 0x00, 0x00, 0x07, 0x90}, // China credit/debit RID seen for American Express in China
	{0xA0, 0x00, 0x00, 0x00, 0x25}, // American Express
	{0xA0, 0x00, 0x00, 0x00, 0x03}, // Visa
	{0xA0, 0x00, 0x00, 0x00, 0x04}, // Mastercard
	{0xA0, 0x00, 0x00, 0x00, 0x65}, // JCB
	{0xA0, 0x00, 0x00, 0x01, 0x52}, // Discover
}

// maxDirectoryRecords bounds the PSE records read, and maxNext the next
// occurrences followed for one partial AID, against a card that never says
// "no more".
const (
	maxDirectoryRecords = 32
	maxNext             = 16
)

// readCardImages reads the card's applications into card images; notes
// about applications that could not be read go to warn.
func readCardImages(ctx context.Context, t apdu.Transport, o *readOptions, warn io.Writer) ([]oda.Image, error) {
	r := &cardReader{ctx: ctx, t: t, o: o}
	aids := [][]byte{o.aid}
	if o.aid == nil {
		var err error
		if aids, err = r.directory(); err != nil {
			return nil, err
		}
		if len(aids) == 0 {
			if aids, err = r.searchAIDs(); err != nil {
				return nil, err
			}
		}
	}
	var images []oda.Image
	for _, aid := range aids {
		img, err := r.application(aid)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			fmt.Fprintf(warn, "yixin: card read: application %X: %v\n", aid, err)
			continue
		}
		images = append(images, *img)
	}
	if len(images) == 0 {
		return nil, errors.New("no application could be read")
	}
	return images, nil
}

// cardReader sends the commands of card read.
type cardReader struct {
	ctx context.Context
	t   apdu.Transport
	o   *readOptions
}

func (r *cardReader) send(c apdu.Command) (apdu.Response, error) {
	b, err := c.Bytes()
	if err != nil {
		return apdu.Response{}, err
	}
	out, err := r.t.Transmit(r.ctx, b)
	if err != nil {
		return apdu.Response{}, err
	}
	return apdu.ParseResponse(out)
}

// directory reads the PSE directory (EMV Book 1 §12.2.3) and returns the
// AIDs it lists, or none when the card has no usable PSE.
func (r *cardReader) directory() ([][]byte, error) {
	rsp, err := r.send(apdu.SelectPSE())
	if err != nil || rsp.SW != apdu.SWNoError {
		return nil, err
	}
	sfi, ok := emv.Find(rsp.Data, 0x88)
	if !ok || len(sfi) != 1 || sfi[0] < 1 || sfi[0] > 30 {
		return nil, nil
	}
	var aids [][]byte
	for n := 1; n <= maxDirectoryRecords; n++ {
		c, _ := apdu.ReadRecord(int(sfi[0]), n)
		rec, err := r.send(c)
		if err != nil {
			return nil, err
		}
		if rec.SW != apdu.SWNoError {
			break
		}
		s := emv.Scanner(rec.Data)
		var tag emv.Tag
		var v []byte
		if !s.ReadTagged(0x70, &v) {
			continue
		}
		entries := emv.Scanner(v)
		for entries.ReadObject(&tag, &v) {
			if aid, ok := emv.Find(v, 0x4F); tag == 0x61 && ok && len(aid) >= 5 && len(aid) <= 16 {
				aids = append(aids, aid)
			}
		}
	}
	return aids, nil
}

// searchAIDs selects each known AID as a partial name, first then next
// occurrence, and returns the DF names the card answers with.
func (r *cardReader) searchAIDs() ([][]byte, error) {
	var aids [][]byte
	for _, k := range knownAIDs {
		next := false
		for i := 0; i < maxNext; i++ {
			rsp, err := r.send(apdu.Select(k, next))
			if err != nil {
				return nil, err
			}
			name, ok := emv.Find(rsp.Data, 0x84)
			if (rsp.SW != apdu.SWNoError && rsp.SW != apdu.SWSelectedFileInvalidated) || !ok {
				break
			}
			aids = append(aids, name)
			next = true
		}
	}
	return aids, nil
}

// application reads one application into a card image.
func (r *cardReader) application(aid []byte) (*oda.Image, error) {
	rsp, err := r.send(apdu.Select(aid, false))
	if err != nil {
		return nil, err
	}
	if rsp.SW != apdu.SWNoError && rsp.SW != apdu.SWSelectedFileInvalidated {
		return nil, fmt.Errorf("SELECT: %w", rsp.SW)
	}
	pdolData, err := r.dolData(rsp.Data, 0x9F38, nil)
	if err != nil {
		return nil, err
	}
	if rsp, err = r.send(apdu.GetProcessingOptions(pdolData)); err != nil {
		return nil, err
	}
	if rsp.SW != apdu.SWNoError {
		return nil, fmt.Errorf("GET PROCESSING OPTIONS: %w", rsp.SW)
	}
	aip, afl, err := splitGPOResponse(rsp.Data)
	if err != nil {
		return nil, err
	}
	img := &oda.Image{AID: aid, AIP: aip, AFL: afl}
	if err := r.records(img); err != nil {
		return nil, err
	}
	if a, _ := emv.ParseAIP(aip); a.Has(emv.AIPDDASupported) {
		if err := r.internalAuthenticate(img); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// splitGPOResponse reads the AIP and AFL of format 1 (80) or 2 (77).
func splitGPOResponse(b []byte) (aip, afl []byte, err error) {
	s := emv.Scanner(b)
	var v []byte
	switch {
	case s.ReadTagged(0x80, &v):
		if len(v) < 2 {
			return nil, nil, errors.New("GET PROCESSING OPTIONS: format 1 response without AIP")
		}
		return v[:2], v[2:], nil
	case s.ReadTagged(0x77, &v):
		aip, ok1 := emv.Find(v, 0x82)
		afl, ok2 := emv.Find(v, 0x94)
		if ok1 && ok2 && len(aip) == 2 {
			return aip, afl, nil
		}
	}
	return nil, nil, fmt.Errorf("GET PROCESSING OPTIONS: response %X has no AIP and AFL", b)
}

// records reads every record the AFL names.
func (r *cardReader) records(img *oda.Image) error {
	afl, err := emv.ParseAFL(img.AFL)
	if err != nil {
		return err
	}
	for _, e := range afl {
		for n := e.First; n <= e.Last; n++ {
			c, _ := apdu.ReadRecord(e.SFI, n)
			rsp, err := r.send(c)
			if err != nil {
				return err
			}
			if rsp.SW != apdu.SWNoError {
				return fmt.Errorf("READ RECORD SFI %d record %d: %w", e.SFI, n, rsp.SW)
			}
			img.Records = append(img.Records, oda.ImageRecord{SFI: e.SFI, Record: n, Data: rsp.Data})
		}
	}
	return nil
}

// internalAuthenticate sends INTERNAL AUTHENTICATE with the card's DDOL
// (9F49), or the default DDOL 9F37 04 when it has none.
func (r *cardReader) internalAuthenticate(img *oda.Image) error {
	var recs []byte
	for _, rec := range img.Records {
		recs = append(recs, rec.Data...)
	}
	ddol, err := r.dolData(recs, 0x9F49, []byte{0x9F, 0x37, 0x04})
	if err != nil {
		return err
	}
	rsp, err := r.send(apdu.InternalAuthenticate(ddol))
	if err != nil {
		return err
	}
	if rsp.SW != apdu.SWNoError {
		return fmt.Errorf("INTERNAL AUTHENTICATE: %w", rsp.SW)
	}
	img.DDA = &oda.ImageDDA{DDOLData: ddol, Response: rsp.Data}
	return nil
}

// dolData builds the data for the DOL with this tag found in b (or dflt)
// from the terminal's data.
func (r *cardReader) dolData(b []byte, tag emv.Tag, dflt []byte) ([]byte, error) {
	v, ok := emv.Find(b, tag)
	if !ok {
		v = dflt
	}
	dol, err := emv.ParseDOL(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tag.Name(), err)
	}
	un := make([]byte, 4)
	if _, err := io.ReadFull(r.o.rand, un); err != nil {
		return nil, err
	}
	date := emv.DateOf(r.o.now()).Numeric()
	term := map[emv.Tag][]byte{
		0x9F02: make([]byte, 6), 0x9F03: make([]byte, 6), 0x9F1A: r.o.country, 0x5F2A: r.o.currency,
		0x9A: date[:], 0x9C: {0x00}, 0x9F37: un, 0x9F35: {0x22}, 0x9F33: {0xE0, 0xF8, 0xC8},
		0x9F40: {0x60, 0x00, 0xF0, 0xA0, 0x01}, 0x95: make([]byte, 5), 0x5F36: {0x02},
		0xDF69: {0x01}, // the reader supports the SM algorithms (DOMESTIC.md)
		0x9F66: {0x26, 0x00, 0x00, 0x00},
	}
	return dol.Build(func(t emv.Tag) ([]byte, bool) { v, ok := term[t]; return v, ok }), nil
}
