package oda

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Kind says whether a store holds the payment systems' production CA keys
// or test keys. The two sets reuse indexes (emv-tools' mastercard-test.keys
// has a 1024-bit test key 05 while production key 05 is 1408 bits), so a
// store holds one kind only, and a terminal is configured with one store.
type Kind uint8

// Kinds of CA key sets.
const (
	Production Kind = iota + 1
	Test
)

// String returns "production" or "test".
func (k Kind) String() string {
	switch k {
	case Production:
		return "production"
	case Test:
		return "test"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if k != Production && k != Test {
		return nil, fmt.Errorf("oda: invalid key set kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText accepts "production" or "test".
func (k *Kind) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "production":
		*k = Production
	case "test":
		*k = Test
	default:
		return fmt.Errorf("oda: key set kind %q is not production or test", b)
	}
	return nil
}

type keyID struct {
	rid   [5]byte
	index byte
}

type revocation struct {
	keyID
	serial [3]byte
}

// Store is a set of CA public keys of one Kind, looked up by RID and index,
// and the certificate revocation list consulted during issuer certificate
// recovery (Book 2 §5.3 step 10). Add and Revoke must not run concurrently
// with lookups; lookups may run concurrently with each other.
type Store struct {
	kind    Kind
	keys    map[keyID]CAKey
	revoked map[revocation]struct{}
}

// NewStore returns an empty store of the given kind.
func NewStore(kind Kind) *Store {
	return &Store{kind: kind, keys: map[keyID]CAKey{}, revoked: map[revocation]struct{}{}}
}

// Kind returns the store's kind.
func (s *Store) Kind() Kind { return s.kind }

// ErrDuplicateKey: a store already holds a key with the same RID and index.
var ErrDuplicateKey = errors.New("duplicate CA key")

// Add adds a key. A second, different key with the same RID and index is an
// error wrapping ErrDuplicateKey — typically a test key mixed into a
// production file; adding the same key twice is harmless.
func (s *Store) Add(k CAKey) error {
	id := keyID{k.RID, k.Index}
	if old, ok := s.keys[id]; ok {
		if bytes.Equal(old.Key.Modulus, k.Key.Modulus) && bytes.Equal(old.Key.Exponent, k.Key.Exponent) {
			return nil
		}
		return fmt.Errorf("oda: %w %s: two different keys with this RID and index (test and production keys mixed?)", ErrDuplicateKey, &k)
	}
	if k.Checksum == nil {
		k.Checksum = k.ComputeChecksum()
	}
	s.keys[id] = k
	return nil
}

// Lookup returns the key with this RID and index, if the store has it.
func (s *Store) Lookup(rid [5]byte, index byte) (CAKey, bool) {
	k, ok := s.keys[keyID{rid, index}]
	return k, ok
}

// Key returns the key to use for a transaction on date: an *Error about
// ObjectCAKey wrapping ErrCAKeyNotFound or ErrCAKeyExpired otherwise.
func (s *Store) Key(rid [5]byte, index byte, date time.Time) (CAKey, error) {
	k, ok := s.Lookup(rid, index)
	if !ok {
		return CAKey{}, fail(ObjectCAKey, ErrCAKeyNotFound, "%X/%02X in the %s key set", rid, index, s.kind)
	}
	if k.ExpiredAt(date) {
		return CAKey{}, fail(ObjectCAKey, ErrCAKeyExpired, "%X/%02X expired on %s", k.RID, k.Index, k.Expiry.Format("2006-01-02"))
	}
	return k, nil
}

// Keys returns the store's keys ordered by RID and index.
func (s *Store) Keys() []CAKey {
	out := make([]CAKey, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b CAKey) int {
		if c := bytes.Compare(a.RID[:], b.RID[:]); c != 0 {
			return c
		}
		return int(a.Index) - int(b.Index)
	})
	return out
}

// Revoke puts an issuer certificate on the revocation list: the one with
// this serial number, certified by CA key (rid, index).
func (s *Store) Revoke(rid [5]byte, index byte, serial [3]byte) {
	s.revoked[revocation{keyID{rid, index}, serial}] = struct{}{}
}

// Revoked reports whether the issuer certificate is on the revocation list.
func (s *Store) Revoked(rid [5]byte, index byte, serial [3]byte) bool {
	_, ok := s.revoked[revocation{keyID{rid, index}, serial}]
	return ok
}

// ReadStore reads a store in either form, telling them apart by the first
// byte that is not white space ('{' for JSON). A text file's kind comes from
// a "# kind: test" or "# kind: production" comment line, production when
// there is none; a JSON file's from its "kind" member.
func ReadStore(r io.Reader) (*Store, error) {
	br := bufio.NewReader(r)
	for {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("oda: CA key file: %w: empty", ErrKeyFile)
			}
			return nil, fmt.Errorf("oda: CA key file: %w", err)
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			continue
		}
		if err := br.UnreadByte(); err != nil {
			return nil, err
		}
		if c == '{' {
			return ParseCAKeysJSON(br)
		}
		keys, lines, kind, err := parseCAKeys(br)
		if err != nil {
			return nil, err
		}
		if kind == 0 {
			kind = Production
		}
		s := NewStore(kind)
		for i, k := range keys {
			if err := s.Add(k); err != nil {
				return nil, &KeyFileError{Line: lines[i], Err: err}
			}
		}
		return s, nil
	}
}

// storeJSON is the JSON form of a store (see ParseCAKeysJSON).
type storeJSON struct {
	Kind    Kind             `json:"kind"`
	Keys    []keyJSON        `json:"keys"`
	Revoked []revocationJSON `json:"revoked,omitempty"`
}

type keyJSON struct {
	RID       string `json:"rid"`
	Index     string `json:"index"`
	Expiry    string `json:"expiry"`
	Algorithm string `json:"algorithm"`
	Exponent  string `json:"exponent,omitempty"`
	Modulus   string `json:"modulus"`
	Checksum  string `json:"checksum,omitempty"`
}

type revocationJSON struct {
	RID    string `json:"rid"`
	Index  string `json:"index"`
	Serial string `json:"serial"`
}

// ParseCAKeysJSON reads a store in its JSON form:
//
//	{
//	  "kind": "test",
//	  "keys": [
//	    {"rid": "A000000003", "index": "92", "expiry": "000000", "algorithm": "rsa",
//	     "exponent": "03", "modulus": "996AF5…", "checksum": "429C95…"}
//	  ],
//	  "revoked": [{"rid": "A000000003", "index": "92", "serial": "000123"}]
//	}
//
// Hex is upper case when written and either case when read; "checksum" is
// SHA-1 (SM3 for "algorithm": "sm2", whose "modulus" is X‖Y and whose
// "exponent" is omitted) and is checked when present.
func ParseCAKeysJSON(r io.Reader) (*Store, error) {
	var sj storeJSON
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sj); err != nil {
		return nil, fmt.Errorf("oda: CA key file: %w: %v", ErrKeyFile, err)
	}
	if sj.Kind == 0 {
		return nil, fmt.Errorf("oda: CA key file: %w: \"kind\" (production or test) is required", ErrKeyFile)
	}
	s := NewStore(sj.Kind)
	for i, kj := range sj.Keys {
		k, err := kj.key()
		if err == nil {
			err = s.Add(k)
		}
		if err != nil {
			return nil, &KeyFileError{Line: i + 1, Err: err}
		}
	}
	for i, rj := range sj.Revoked {
		rid, err1 := hex.DecodeString(rj.RID)
		idx, err2 := hex.DecodeString(rj.Index)
		ser, err3 := hex.DecodeString(rj.Serial)
		if err1 != nil || err2 != nil || err3 != nil || len(rid) != 5 || len(idx) != 1 || len(ser) != 3 {
			return nil, fmt.Errorf("oda: CA key file: %w: revoked entry %d needs rid (5 bytes), index (1) and serial (3) in hex", ErrKeyFile, i+1)
		}
		s.Revoke([5]byte(rid), idx[0], [3]byte(ser))
	}
	return s, nil
}

func (kj keyJSON) key() (CAKey, error) {
	var alg Algorithm
	switch strings.ToLower(kj.Algorithm) {
	case "rsa", "":
		alg = RSA
	case "sm2":
		alg = SM2
		if kj.Exponent == "" {
			kj.Exponent = "00"
		}
	default:
		return CAKey{}, fmt.Errorf("%w: algorithm %q is not rsa or sm2", ErrKeyFile, kj.Algorithm)
	}
	if kj.Expiry == "" {
		kj.Expiry = "000000"
	}
	sumAlg := "sha1"
	if alg == SM2 {
		sumAlg = "sm3"
	}
	return newCAKey(kj.RID, kj.Index, kj.Expiry, alg, kj.Exponent, kj.Modulus, sumAlg, kj.Checksum)
}

// MarshalJSON writes the store in its JSON form.
func (s *Store) MarshalJSON() ([]byte, error) {
	sj := storeJSON{Kind: s.kind, Keys: []keyJSON{}}
	for _, k := range s.Keys() {
		kj := keyJSON{
			RID: fmt.Sprintf("%X", k.RID), Index: fmt.Sprintf("%02X", k.Index), Expiry: "000000",
			Algorithm: k.Key.Algorithm.String(), Modulus: fmt.Sprintf("%X", k.Key.Modulus),
			Checksum: fmt.Sprintf("%X", k.ComputeChecksum()),
		}
		if k.Key.Algorithm == RSA {
			kj.Exponent = fmt.Sprintf("%X", k.Key.Exponent)
		}
		if !k.Expiry.IsZero() {
			kj.Expiry = k.Expiry.Format("060102")
		}
		sj.Keys = append(sj.Keys, kj)
	}
	for r := range s.revoked {
		sj.Revoked = append(sj.Revoked, revocationJSON{fmt.Sprintf("%X", r.rid), fmt.Sprintf("%02X", r.index), fmt.Sprintf("%X", r.serial)})
	}
	slices.SortFunc(sj.Revoked, func(a, b revocationJSON) int {
		return strings.Compare(a.RID+a.Index+a.Serial, b.RID+b.Index+b.Serial)
	})
	return json.Marshal(sj)
}
