package oda

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// Proxmark3's capk.txt holds the Mastercard test key 05 next to the
// production key 05; one store refuses them and names the line.
func TestStoreRefusesMixedKinds(t *testing.T) {
	prod, _ := os.ReadFile("../../testdata/capk/production.txt")
	test, _ := os.ReadFile("../../testdata/capk/test.txt")
	_, err := ReadStore(bytes.NewReader(append(prod, test...)))
	var kfe *KeyFileError
	if !errors.Is(err, ErrDuplicateKey) || !errors.As(err, &kfe) || kfe.Line != 26+16 {
		t.Errorf("got %v, want ErrDuplicateKey at line 42", err)
	}
	// The same key twice is harmless.
	s := NewStore(Test)
	k := caKey(t, loadStore(t, "test.txt"), "A000000004", 0x05)
	if s.Add(k) != nil || s.Add(k) != nil {
		t.Error("adding a key twice failed")
	}
}

func TestStoreKinds(t *testing.T) {
	if k := loadStore(t, "test.txt").Kind(); k != Test {
		t.Errorf("test.txt is %s", k)
	}
	if k := loadStore(t, "production.txt").Kind(); k != Production {
		t.Errorf("production.txt is %s", k)
	}
	s, err := ReadStore(strings.NewReader("# no kind given\n"))
	if err != nil || s.Kind() != Production || len(s.Keys()) != 0 {
		t.Errorf("empty text file: %v %v", s, err)
	}
}

func TestStoreExpiryAndRevocation(t *testing.T) {
	s := loadStore(t, "production.txt")
	rid := [5]byte(unhex(t, "A000000003"))
	if _, err := s.Key(rid, 0x01, date(t, "091231")); err != nil {
		t.Errorf("on its last day: %v", err)
	}
	if _, err := s.Key(rid, 0x01, date(t, "100101")); !errors.Is(err, ErrCAKeyExpired) {
		t.Errorf("the day after: %v", err)
	}
	if _, err := s.Key(rid, 0x42, date(t, "100101")); !errors.Is(err, ErrCAKeyNotFound) {
		t.Errorf("unknown index: %v", err)
	}
	// A key without expiry (000000) never expires.
	if _, err := s.Key([5]byte(unhex(t, "A000000004")), 0x05, time.Date(2049, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Error(err)
	}
	s.Revoke(rid, 0x01, [3]byte{0, 0x42, 0xB3})
	if !s.Revoked(rid, 0x01, [3]byte{0, 0x42, 0xB3}) || s.Revoked(rid, 0x01, [3]byte{0, 0x42, 0xB4}) {
		t.Error("revocation list lookup")
	}
}

func TestStoreJSONRoundTrip(t *testing.T) {
	for _, name := range []string{"production.txt", "test.txt", "unionpay-sm2.txt", "yixin-test.txt"} {
		s := loadStore(t, name)
		s.Revoke([5]byte{0xA0, 0, 0, 0, 0x03}, 0x09, [3]byte{1, 2, 3})
		j, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		s2, err := ReadStore(bytes.NewReader(j))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s2.Kind() != s.Kind() || len(s2.Keys()) != len(s.Keys()) || !s2.Revoked([5]byte{0xA0, 0, 0, 0, 0x03}, 0x09, [3]byte{1, 2, 3}) {
			t.Errorf("%s: JSON form reads back differently", name)
		}
		for i, k := range s.Keys() {
			k2 := s2.Keys()[i]
			if !bytes.Equal(k.Key.Modulus, k2.Key.Modulus) || !k.Expiry.Equal(k2.Expiry) || !bytes.Equal(k.Checksum, k2.Checksum) {
				t.Errorf("%s: key %s differs", name, &k)
			}
		}
	}
}

func TestParseCAKeysErrors(t *testing.T) {
	good := "a0:00:00:00:04 05 000000 rsa 03 b8:04:8a:bc:30:c9:0d:97:63:36:54:3e:3f:d7:09:1c:8f:e4:80:0d:f8:20:ed:55:e7:e9:48:13:ed:00:55:5b:57:3f:ec:a3:d8:4a:f6:13:1a:65:1d:66:cf:f4:28:4f:b1:3b:63:5e:dd:0e:e4:01:76:d8:bf:04:b7:fd:1c:7b:ac:f9:ac:73:27:df:aa:8a:a7:2d:10:db:3b:8e:70:b2:dd:d8:11:cb:41:96:52:5e:a3:86:ac:c3:3c:0d:9d:45:75:91:64:69:c4:e4:f5:3e:8e:1c:91:2c:c6:18:cb:22:dd:e7:c3:56:8e:90:02:2e:6b:ba:77:02:02:e4:52:2a:2d:d6:23:d1:80:e2:15:bd:1d:15:07:fe:3d:c9:0c:a3:10:d2:7b:3e:fc:cd:8f:83:de:30:52:ca:d1:e4:89:38:c6:8d:09:5a:ac:91:b5:f3:7e:28:bb:49:ec:7e:d5:97 sha1 eb:fa:0d:5d:06:d8:ce:70:2d:a3:ea:e8:90:70:1d:45:e2:74:c8:45"
	if _, err := ParseCAKeys(strings.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text string
		kind       error
	}{
		{"checksum", strings.Replace(good, "eb:fa", "eb:fb", 1), ErrChecksum},
		{"seven fields", strings.Replace(good, " sha1", "", 1), ErrKeyFile},
		{"algorithm", strings.Replace(good, " rsa ", " dsa ", 1), ErrKeyFile},
		{"checksum algorithm", strings.Replace(good, " sha1 ", " md5 ", 1), ErrKeyFile},
		{"exponent 5", strings.Replace(good, " rsa 03 ", " rsa 05 ", 1), ErrExponent},
		{"not hex", strings.Replace(good, "b8:04", "b8:0g", 1), ErrKeyFile},
		{"RID of 4 bytes", strings.Replace(good, "a0:00:00:00:04", "a0:00:00:04", 1), ErrKeyFile},
		{"expiry 091331", strings.Replace(good, " 000000 ", " 091331 ", 1), ErrKeyFile},
		{"even modulus", strings.Replace(good, "7e:d5:97 ", "7e:d5:96 ", 1), ErrInvalidKey},
		{"sm2 with exponent 03", strings.Replace(good, " rsa 03 ", " sm2 03 ", 1), ErrKeyFile},
		{"sm2 of 176 bytes", strings.Replace(good, " rsa 03 ", " sm2 00 ", 1), ErrKeyLength},
	} {
		_, err := ParseCAKeys(strings.NewReader("# comment\n\n" + c.text + "\n"))
		var kfe *KeyFileError
		if !errors.Is(err, c.kind) || !errors.As(err, &kfe) || kfe.Line != 3 {
			t.Errorf("%s: %v, want %v at line 3", c.name, err, c.kind)
		}
	}
	for _, j := range []string{
		`{"keys": []}`, `{"kind": "demo", "keys": []}`, `{"kind": "test", "keys": [], "extra": 1}`,
		`{"kind": "test", "keys": [{"rid": "A000000004", "index": "05", "modulus": "B9", "exponent": "03", "checksum": "00"}]}`,
		`{"kind": "test", "keys": [], "revoked": [{"rid": "A0", "index": "05", "serial": "000001"}]}`,
	} {
		if _, err := ReadStore(strings.NewReader(j)); err == nil {
			t.Errorf("%s: accepted", j)
		}
	}
}
