package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

const odaUsage = `usage: yixin oda verify --capk FILE --image FILE [--date YYMMDD] [--json] [--reveal]

Checks the offline data authentication of a card image: the issuer and ICC
public key certificates, SDA, DDA and CDA, every one that applies (the AIP
claims it, or the image holds its data), with every check of EMV Book 2
(RSA) or JR/T 0025.17 (SM2).

  --capk FILE    CA public keys: capk.txt lines (emv-tools, Proxmark3:
                 "a0:00:00:00:04 05 000000 rsa 03 b8:04:… sha1 eb:fa:…",
                 sm2 keys with exponent 00 and X||Y as modulus; a line
                 "# kind: test" marks a test key set) or the JSON form
                 {"kind", "keys", "revoked"}; checksums are checked
  --image FILE   card image JSON: {"aid", "aip", "afl", "records":
                 [{"sfi", "record", "data"}], "dda": {"ddol_data",
                 "internal_authenticate_response"}, "cda": {"pdol_data",
                 "cdol1_data", "genac_response", "un"}}, or
                 {"applications": [image, ...]}; "dda" and "cda" are
                 optional, "un" defaults to the 9F37 field of the CDOL1 data
                 when the card's CDOL1 (8C) is in the records, else to the
                 last 4 bytes of cdol1_data
  --date YYMMDD  transaction date for expiry checks (default: today)
  --json         print one JSON object: issuer_id, issuer_expiry,
                 issuer_cert_ok, icc_pan, icc_expiry, icc_cert_ok, sda_ok,
                 sda_dac, dda_ok, dda_idn, cda_ok, cda_idn, cda_cid, cda_ac
                 where they apply (hex upper case, IDN without its length),
                 and failures (in words); several applications give
                 {"applications": [object, ...]}
  --reveal       show the PAN in clear (masked by default: 537505******0110)

Exit status: 0 every check that applies passed, 1 one failed (or a file is
malformed), 2 bad arguments or unreadable files.
`

func runODA(e *env) int {
	if _, code, done := pickSub(e, "oda", odaUsage, "verify"); done {
		return code
	}
	return runODAVerify(e, e.args[1:])
}

type odaVerifyArgs struct {
	store  *oda.Store
	images []oda.Image
	date   time.Time
	json   bool
	reveal bool
}

func runODAVerify(e *env, args []string) int {
	a, code := parseODAVerify(e, args)
	if a == nil {
		return code
	}
	reports := make([]*oda.Report, len(a.images))
	ok := true
	for i := range a.images {
		reports[i] = oda.CheckImage(a.store, &a.images[i], a.date)
		ok = ok && reports[i].OK()
		if !a.reveal {
			reports[i].MaskPAN()
		}
	}
	if a.json {
		if err := writeODAJSON(e.stdout, reports); err != nil {
			fail(e, "oda verify: %v", err)
			return exitFailure
		}
	} else {
		for _, r := range reports {
			writeODAText(e.stdout, r)
		}
	}
	if !ok {
		return exitFailure
	}
	return exitOK
}

// parseODAVerify reads the flags and the two files; a nil result comes with
// the exit status to return.
func parseODAVerify(e *env, args []string) (*odaVerifyArgs, int) {
	fs := flag.NewFlagSet("oda verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	capk := fs.String("capk", "", "")
	image := fs.String("image", "", "")
	dateS := fs.String("date", "", "")
	a := &odaVerifyArgs{}
	fs.BoolVar(&a.json, "json", false, "")
	fs.BoolVar(&a.reveal, "reveal", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, odaUsage)
			return nil, exitOK
		}
		fail(e, "oda verify: %v (run \"yixin oda -h\")", err)
		return nil, exitUsage
	}
	switch {
	case fs.NArg() > 0:
		fail(e, "oda verify: unexpected argument %q", fs.Arg(0))
		return nil, exitUsage
	case *capk == "" || *image == "":
		fail(e, "oda verify: --capk and --image are required (run \"yixin oda -h\")")
		return nil, exitUsage
	}
	a.date = time.Now()
	if *dateS != "" {
		d, err := emv.ParseDateString(*dateS)
		if err != nil {
			fail(e, "oda verify: --date: %v", err)
			return nil, exitUsage
		}
		a.date = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	}
	var code int
	if a.store, code = readODAFile(e, *capk, oda.ReadStore); a.store == nil {
		return nil, code
	}
	if a.images, code = readODAFile(e, *image, oda.ParseImages); a.images == nil {
		return nil, code
	}
	return a, exitOK
}

// readODAFile opens path (exit 2 if it cannot) and parses it (exit 1 if
// malformed).
func readODAFile[T any](e *env, path string, parse func(io.Reader) (T, error)) (T, int) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		fail(e, "oda verify: %v", err)
		return zero, exitUsage
	}
	defer f.Close()
	v, err := parse(f)
	if err != nil {
		fail(e, "oda verify: %s: %s", path, strings.TrimPrefix(err.Error(), "oda: "))
		return zero, exitFailure
	}
	return v, exitOK
}

func writeODAJSON(w io.Writer, reports []*oda.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if len(reports) == 1 {
		return enc.Encode(reports[0])
	}
	return enc.Encode(struct {
		Applications []*oda.Report `json:"applications"`
	}{reports})
}

func writeODAText(w io.Writer, r *oda.Report) {
	fmt.Fprintf(w, "application %X\n", r.AID)
	line := func(name string, ok *bool, format string, args ...any) {
		if ok == nil {
			return
		}
		status := "FAILED"
		if *ok {
			status = "ok"
		}
		detail := ""
		if *ok {
			detail = fmt.Sprintf(format, args...)
		}
		fmt.Fprintf(w, "  %-20s %-6s %s\n", name, status, detail)
	}
	line("issuer certificate", r.IssuerCertOK, "issuer %X, expiry %X (MMYY)", r.IssuerID, r.IssuerExpiry)
	line("ICC certificate", r.ICCCertOK, "PAN %s, expiry %X (MMYY)", r.PANText(), r.ICCExpiry)
	line("SDA", r.SDAOK, "DAC %X", r.SDADAC)
	line("DDA", r.DDAOK, "IDN %X", r.DDAIDN)
	line("CDA", r.CDAOK, "IDN %X, CID %X, AC %X", r.CDAIDN, r.CDACID, r.CDAAC)
	if r.IssuerCertOK == nil {
		fmt.Fprintln(w, "  no offline data authentication applies (AIP and records)")
	}
	for _, f := range r.Failures {
		fmt.Fprintf(w, "  failure: %s\n", f)
	}
	if r.OK() {
		fmt.Fprintln(w, "  result: ok")
	} else {
		fmt.Fprintln(w, "  result: FAILED")
	}
}
