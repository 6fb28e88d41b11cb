package cardsim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/oda"
)

// SeededReader returns a deterministic stream of random bytes for a seed:
// ChaCha8 keyed with SHA-256("yixin card seed" ‖ seed). Personalising the
// same profile with the same seed gives the same card, byte for byte. Use
// it for tests and reproducible test cards only: anyone who knows the seed
// knows every key.
func SeededReader(seed uint64) io.Reader {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], seed)
	return mrand.NewChaCha8(sha256.Sum256(append([]byte("yixin card seed"), b[:]...)))
}

// caID identifies a CA across applications.
type caID struct {
	rid   [5]byte
	index byte
	alg   string
}

// personaliser carries what Personalise builds.
type personaliser struct {
	rand io.Reader
	cas  map[caID]*oda.CA
	ids  []caID // in order of creation
}

// Personalise makes a card from a profile: for each application it
// generates (or takes from the profile) the issuer master keys and derives
// the ICC master keys, and when the application does offline data
// authentication it generates a test CA (one per RID, index and
// algorithm, shared by the applications that name it), the issuer key and
// certificate, the ICC key and certificate and the signed static data,
// and lays the records out. All randomness comes from rand, so that a
// SeededReader gives a reproducible card.
//
// It returns the card file and the public keys of the test CAs, for the
// terminals that will accept the card (see oda.CAKey.MarshalText for the
// capk.txt line). The CAs are test CAs made for this card, never a
// payment system's.
func Personalise(p *Profile, rand io.Reader) (*CardFile, []oda.CAKey, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	ps := &personaliser{rand: rand, cas: map[caID]*oda.CA{}}
	id := make([]byte, 16)
	if _, err := io.ReadFull(rand, id); err != nil {
		return nil, nil, fmt.Errorf("cardsim: personalise: %w", err)
	}
	// The ID mixes in the profile, so that cards of different profiles
	// made from the same seed still have different IDs.
	pj, err := json.Marshal(p)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(append(id, pj...))
	cf := &CardFile{Format: CardFileFormat, ID: sum[:16], Warning: testWarning, Profile: cloneProfile(p)}
	for i := range cf.Profile.Applications {
		a := &cf.Profile.Applications[i]
		pers, err := ps.application(a)
		if err != nil {
			return nil, nil, &ProfileError{Profile: p.Name, App: a.Name, Err: fmt.Errorf("personalising: %w", err)}
		}
		cf.Applications = append(cf.Applications, *pers)
	}
	var keys []oda.CAKey
	for _, k := range ps.ids {
		ca := ps.cas[k]
		keys = append(keys, ca.CAKey())
		cf.CAKeys = append(cf.CAKeys, ca.CAPKLine())
	}
	return cf, keys, nil
}

// cloneProfile deep-copies a profile through JSON, so that the card file
// owns its template.
func cloneProfile(p *Profile) *Profile {
	b, err := json.Marshal(p)
	if err != nil {
		panic(err) // a validated profile always marshals
	}
	c, err := ParseProfileBytes(b)
	if err != nil {
		panic(err)
	}
	return c
}

func (ps *personaliser) application(a *AppProfile) (*AppPersonalisation, error) {
	pers := &AppPersonalisation{AID: slices.Clone(a.AID)}
	if err := ps.masterKeys(a, pers); err != nil {
		return nil, err
	}
	afl, _ := layoutAFL(a.Records) // validated
	pers.AFL = aflBytes(afl)
	extra := map[emv.Tag][]byte{}
	if a.ODA != nil {
		if err := ps.oda(a, afl, extra, pers); err != nil {
			return nil, err
		}
	}
	for _, r := range a.Records {
		rec, err := a.buildRecord(r, extra)
		if err != nil {
			return nil, err
		}
		pers.Records = append(pers.Records, CardRecord{SFI: r.SFI, Record: r.Record, Data: rec})
	}
	return pers, nil
}

// masterKeys sets the issuer master keys (the profile's or random ones)
// and derives the card's.
func (ps *personaliser) masterKeys(a *AppProfile, pers *AppPersonalisation) error {
	imk := a.Crypto.IssuerMasterKeys
	if imk == nil {
		imk = &MasterKeys{}
		for _, k := range []*HexBytes{&imk.AC, &imk.SMI, &imk.SMC} {
			*k = make([]byte, 16)
			if _, err := io.ReadFull(ps.rand, *k); err != nil {
				return err
			}
		}
	}
	pers.IssuerMasterKeys = MasterKeys{AC: slices.Clone(imk.AC), SMI: slices.Clone(imk.SMI), SMC: slices.Clone(imk.SMC)}
	var err error
	for _, k := range []struct {
		dst *HexBytes
		imk []byte
	}{{&pers.ICCMasterKeys.AC, imk.AC}, {&pers.ICCMasterKeys.SMI, imk.SMI}, {&pers.ICCMasterKeys.SMC, imk.SMC}} {
		if *k.dst, err = a.Crypto.DeriveICCMasterKey(k.imk, a.PAN, a.PSN); err != nil {
			return err
		}
	}
	return nil
}

// oda makes the certificate chain and the signed static data.
func (ps *personaliser) oda(a *AppProfile, afl []emv.AFLEntry, extra map[emv.Tag][]byte, pers *AppPersonalisation) error {
	o := a.ODA
	alg := oda.RSA
	if o.Algorithm == "sm2" {
		alg = oda.SM2
	}
	ca, err := ps.ca(a, alg)
	if err != nil {
		return err
	}
	issuer, err := oda.GenerateKey(ps.rand, alg, o.IssuerBits, o.IssuerExponent)
	if err != nil {
		return err
	}
	info := oda.CertInfo{ID: a.PAN[:6], Expiry: mmyy(o.IssuerExpiry), Serial: [3]byte(o.IssuerSerial)}
	icert, err := oda.IssueIssuerCertificate(ps.rand, ca.Key, issuer.Public, info)
	if err != nil {
		return err
	}
	extra[0x8F] = []byte{ca.Index}
	extra[0x90], extra[0x92], extra[0x9F32] = icert.Cert, icert.Remainder, icert.Exponent
	var icc *iccKey
	if o.HasICCKey() {
		if icc, pers.ICCKey, err = generateICCKey(ps.rand, o); err != nil {
			return err
		}
		extra[0x9F47] = icc.oda.Public.Exponent
	}
	static, err := staticData(a, afl, extra)
	if err != nil {
		return err
	}
	if a.AIP[0]&0x40 != 0 { // SDA supported
		var dac [2]byte
		if _, err := io.ReadFull(ps.rand, dac[:]); err != nil {
			return err
		}
		if extra[0x93], err = oda.SignStaticData(ps.rand, issuer, dac, static); err != nil {
			return err
		}
	}
	if icc == nil {
		return nil
	}
	var serial [3]byte
	if _, err := io.ReadFull(ps.rand, serial[:]); err != nil {
		return err
	}
	ccert, err := oda.IssueICCCertificate(ps.rand, issuer, icc.oda.Public, oda.CertInfo{ID: a.PAN, Expiry: mmyy(a.Expiry), Serial: serial}, static)
	if err != nil {
		return err
	}
	extra[0x9F46], extra[0x9F48] = ccert.Cert, ccert.Remainder
	if len(ccert.Exponent) > 0 {
		extra[0x9F47] = ccert.Exponent
	}
	return nil
}

// ca returns the CA an application names, generating it the first time.
func (ps *personaliser) ca(a *AppProfile, alg oda.Algorithm) (*oda.CA, error) {
	o := a.ODA
	id := caID{rid: [5]byte(a.AID[:5]), index: o.CAIndex[0], alg: o.Algorithm}
	if ca, ok := ps.cas[id]; ok {
		if alg == oda.RSA && ca.Key.Public.Len()*8 != o.CABits {
			return nil, fmt.Errorf("CA %X/%02X is already a %d-bit key: applications sharing a CA must agree on its size",
				id.rid, id.index, ca.Key.Public.Len()*8)
		}
		return ca, nil
	}
	for k := range ps.cas {
		if k.rid == id.rid && k.index == id.index {
			return nil, fmt.Errorf("CA %X/%02X is already used with another algorithm", id.rid, id.index)
		}
	}
	ca, err := oda.GenerateCA(ps.rand, id.rid, id.index, alg, o.CABits, o.CAExponent)
	if err != nil {
		return nil, err
	}
	d, err := emv.ParseDateString(o.CAExpiry)
	if err != nil {
		return nil, err
	}
	ca.Expiry = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	ps.cas[id] = ca
	ps.ids = append(ps.ids, id)
	return ca, nil
}

// staticData assembles the static data to be authenticated from the
// records flagged for ODA, built with what is known so far.
func staticData(a *AppProfile, afl []emv.AFLEntry, extra map[emv.Tag][]byte) ([]byte, error) {
	var recs []oda.Record
	for _, r := range a.Records {
		if !r.ODA {
			continue
		}
		rec, err := a.buildRecord(r, extra)
		if err != nil {
			return nil, err
		}
		recs = append(recs, oda.Record{SFI: r.SFI, Number: r.Record, Data: rec})
	}
	tagList, _ := a.tagValue(0x9F4A)
	return oda.StaticData(afl, recs, a.AIP, tagList)
}

// mmyy turns a YYMMDD date into the MMYY of a certificate, in BCD.
func mmyy(yymmdd string) [2]byte {
	b, _ := emv.EncodeNumeric(yymmdd[2:4]+yymmdd[0:2], 2) // validated date
	return [2]byte(b)
}

// CAPKText returns CA keys as capk.txt text, one line each, preceded by a
// comment that says they are test keys.
func CAPKText(keys []oda.CAKey) (string, error) {
	var sb strings.Builder
	sb.WriteString("# TEST CA public keys made by yixin card new: for test terminals only\n# kind: test\n")
	for i := range keys {
		line, err := keys[i].MarshalText()
		if err != nil {
			return "", err
		}
		sb.Write(line)
		sb.WriteByte('\n')
	}
	return sb.String(), nil
}
