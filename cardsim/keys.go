package cardsim

import (
	"crypto/rsa"
	"fmt"
	"io"

	"github.com/yixin-emv/yixin/emv/oda"
)

// iccKey is an application's ICC private key in the two forms the card
// needs: emv/oda's, to sign dynamic data, and crypto/rsa's, which emv/pin
// uses to decipher an enciphered PIN (nil for SM2).
type iccKey struct {
	oda *oda.PrivateKey
	rsa *rsa.PrivateKey
}

// generateICCKey generates an ICC key with emv/oda and returns it with its
// key file (the RSA primes or the SM2 scalar, which loadICCKey reads back).
func generateICCKey(rand io.Reader, o *ODAProfile) (*iccKey, *KeyFile, error) {
	if o.Algorithm == "sm2" {
		k, err := oda.GenerateSM2Key(rand)
		if err != nil {
			return nil, nil, err
		}
		d, _ := k.SM2Scalar()
		return &iccKey{oda: k}, &KeyFile{Algorithm: "sm2", D: d}, nil
	}
	k, err := oda.GenerateRSAKey(rand, o.ICCBits, o.ICCExponent)
	if err != nil {
		return nil, nil, err
	}
	p, q, _ := k.RSAPrimes()
	return &iccKey{oda: k, rsa: k.RSA()}, &KeyFile{Algorithm: "rsa", P: p, Q: q, Exponent: o.ICCExponent}, nil
}

// loadICCKey rebuilds an ICC key from its key file.
func loadICCKey(kf *KeyFile) (*iccKey, error) {
	switch kf.Algorithm {
	case "sm2":
		k, err := oda.NewSM2PrivateKey(kf.D)
		if err != nil {
			return nil, err
		}
		return &iccKey{oda: k}, nil
	case "rsa":
		k, err := oda.NewRSAPrivateKey(kf.P, kf.Q, kf.Exponent)
		if err != nil {
			return nil, err
		}
		return &iccKey{oda: k, rsa: k.RSA()}, nil
	}
	return nil, fmt.Errorf("key algorithm %q, want rsa or sm2", kf.Algorithm)
}
