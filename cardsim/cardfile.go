package cardsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/yixin-emv/yixin/emv/oda"
)

// CardFileFormat names the card file format.
const CardFileFormat = "yixin-card/1"

// testWarning is written into every card file.
const testWarning = "TEST CARD: keys and certificates come from a test CA made for this card; never use them for real payments"

// CardFile is a personalised card: the profile it was made from, and for
// each application the keys, certificates and records personalisation
// generated. Card files hold secret keys in clear: they are test cards.
type CardFile struct {
	Format string `json:"format"`
	// ID identifies the card; its state file carries the same ID.
	ID      HexBytes `json:"id"`
	Warning string   `json:"warning"`
	Profile *Profile `json:"profile"`
	// CAKeys are the public keys of the test CAs that certified the
	// card, as capk.txt lines (RID, index, expiry, algorithm, exponent,
	// modulus, checksum).
	CAKeys       []string             `json:"ca_keys,omitempty"`
	Applications []AppPersonalisation `json:"applications"`
}

// AppPersonalisation is what personalisation generated for one
// application, in the order of Profile.Applications.
type AppPersonalisation struct {
	AID HexBytes `json:"aid"`
	// IssuerMasterKeys are kept so that an issuer host can check this
	// card's cryptograms the way a real issuer would.
	IssuerMasterKeys MasterKeys `json:"issuer_master_keys"`
	ICCMasterKeys    MasterKeys `json:"icc_master_keys"`
	// ICCKey is the ICC private key (DDA, CDA, enciphered PIN), if any.
	ICCKey  *KeyFile     `json:"icc_private_key,omitempty"`
	AFL     HexBytes     `json:"afl"`
	Records []CardRecord `json:"records"`
}

// CardRecord is one record as READ RECORD returns it.
type CardRecord struct {
	SFI    int      `json:"sfi"`
	Record int      `json:"record"`
	Data   HexBytes `json:"data"`
}

// KeyFile is a private key in a card file: RSA by its primes and public
// exponent, SM2 by its private scalar.
type KeyFile struct {
	Algorithm string   `json:"algorithm"`
	P         HexBytes `json:"p,omitempty"`
	Q         HexBytes `json:"q,omitempty"`
	Exponent  int      `json:"exponent,omitempty"`
	D         HexBytes `json:"d,omitempty"`
}

// CAStore returns a test CA key store (oda.Test) holding the keys of the
// CAs that certified the card (CAKeys): what a terminal needs to
// authenticate this card offline.
func (cf *CardFile) CAStore() (*oda.Store, error) {
	keys, err := oda.ParseCAKeys(strings.NewReader(strings.Join(cf.CAKeys, "\n")))
	if err != nil {
		return nil, fmt.Errorf("cardsim: CA keys of the card file: %w", err)
	}
	s := oda.NewStore(oda.Test)
	for _, k := range keys {
		if err := s.Add(k); err != nil {
			return nil, fmt.Errorf("cardsim: CA keys of the card file: %w", err)
		}
	}
	return s, nil
}

// ParseCardFile reads a card file and checks it.
func ParseCardFile(r io.Reader) (*CardFile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var cf CardFile
	if err := dec.Decode(&cf); err != nil {
		return nil, fmt.Errorf("%w: card file: %v", ErrProfile, err)
	}
	if err := cf.Validate(); err != nil {
		return nil, err
	}
	return &cf, nil
}

// LoadCardFile reads a card file from disk.
func LoadCardFile(path string) (*CardFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cardsim: %w", err)
	}
	cf, err := ParseCardFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cf, nil
}

// Marshal encodes the card file as indented JSON. The encoding is
// deterministic: the same card gives the same bytes.
func (cf *CardFile) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(cf, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Validate checks the card file's structure: its format, its profile, and
// that each application has what the card needs to run.
func (cf *CardFile) Validate() error {
	if cf.Format != CardFileFormat {
		return fmt.Errorf("%w: card file format %q, want %q", ErrProfile, cf.Format, CardFileFormat)
	}
	if len(cf.ID) < 8 {
		return fmt.Errorf("%w: card file id must be at least 8 bytes", ErrProfile)
	}
	if cf.Profile == nil {
		return fmt.Errorf("%w: card file has no profile", ErrProfile)
	}
	if err := cf.Profile.Validate(); err != nil {
		return err
	}
	if len(cf.Applications) != len(cf.Profile.Applications) {
		return fmt.Errorf("%w: card file personalises %d applications, its profile has %d",
			ErrProfile, len(cf.Applications), len(cf.Profile.Applications))
	}
	for i := range cf.Applications {
		if err := cf.Applications[i].validate(&cf.Profile.Applications[i]); err != nil {
			return err
		}
	}
	if _, err := oda.ParseCAKeys(strings.NewReader(strings.Join(cf.CAKeys, "\n"))); err != nil {
		return fmt.Errorf("%w: card file ca_keys: %v", ErrProfile, err)
	}
	return nil
}

func (p *AppPersonalisation) validate(a *AppProfile) error {
	bad := func(format string, args ...any) error {
		return &ProfileError{App: a.Name, Field: "card file", Err: fmt.Errorf("%w: %s", ErrProfile, fmt.Sprintf(format, args...))}
	}
	if !bytes.Equal(p.AID, a.AID) {
		return bad("personalisation for AID %X where the profile has %X", p.AID, a.AID)
	}
	for _, k := range [][]byte{p.ICCMasterKeys.AC, p.ICCMasterKeys.SMI, p.ICCMasterKeys.SMC} {
		if len(k) != 16 && len(k) != 24 && len(k) != 32 {
			return bad("ICC master key of %d bytes", len(k))
		}
	}
	if a.ODA.HasICCKey() != (p.ICCKey != nil) {
		return bad("ICC private key present: %v, but the profile says %v", p.ICCKey != nil, a.ODA.HasICCKey())
	}
	if len(p.AFL) == 0 || len(p.AFL)%4 != 0 {
		return bad("AFL of %d bytes", len(p.AFL))
	}
	seen := map[[2]int]bool{}
	for _, r := range p.Records {
		if r.SFI < 1 || r.SFI > 30 || r.Record < 1 || r.Record > 254 || seen[[2]int{r.SFI, r.Record}] {
			return bad("record SFI %d number %d is out of range or repeated", r.SFI, r.Record)
		}
		seen[[2]int{r.SFI, r.Record}] = true
		if len(r.Data) == 0 || len(r.Data) > maxRecordLen {
			return bad("SFI %d record %d has %d bytes", r.SFI, r.Record, len(r.Data))
		}
	}
	return nil
}
