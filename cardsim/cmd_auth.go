package cardsim

import (
	"io"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv"
	"github.com/yixin-emv/yixin/emv/cryptogram"
	"github.com/yixin-emv/yixin/emv/oda"
)

// Lengths of the card's random numbers.
const (
	challengeLen = 8 // GET CHALLENGE, EMV Book 3 §6.5.6
	idnLen       = 8 // ICC Dynamic Number, EMV Book 2 §6.5.1
)

// cmdGetChallenge is GET CHALLENGE (EMV Book 3 §6.5.6): eight random bytes,
// which the card keeps for one enciphered PIN verification.
func (c *Card) cmdGetChallenge(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return status(apdu.SWIncorrectP1P2)
	}
	if len(cmd.Data) != 0 || (cmd.Ne != 0 && cmd.Ne < challengeLen) {
		return status(apdu.SWWrongLength)
	}
	ch, err := c.random(challengeLen)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	c.sess.challenge = ch
	return ok(append([]byte(nil), ch...))
}

func (c *Card) random(n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := io.ReadFull(c.rand, b)
	return b, err
}

// cmdInternalAuthenticate is INTERNAL AUTHENTICATE (EMV Book 3 §6.5.9,
// Book 2 §6.5): the card signs a fresh ICC Dynamic Number over the DDOL
// data with its ICC key (RSA or SM2 through emv/oda).
func (c *Card) cmdInternalAuthenticate(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return status(apdu.SWIncorrectP1P2)
	}
	a := c.app()
	if a == nil || c.sess.txn == nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	aip := a.aip()
	if a.icc == nil || !aip.Has(emv.AIPDDASupported) {
		return status(apdu.SWFunctionNotSupported)
	}
	if len(cmd.Data) == 0 {
		return status(apdu.SWWrongLength)
	}
	idn, err := c.random(idnLen)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	sdad, err := oda.SignDynamicData(c.rand, a.icc.oda, oda.ICCDynamicData(idn), cmd.Data)
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	c.sess.txn.ddaDone = true
	if a.prof.ResponseFormat == 1 {
		return ok(emv.AppendTLV(nil, 0x80, sdad))
	}
	return ok(emv.AppendTLV(nil, 0x77, emv.AppendTLV(nil, 0x9F4B, sdad)))
}

func (a *app) aip() emv.AIP { return emv.AIP{a.prof.AIP[0], a.prof.AIP[1]} }

// cmdExternalAuthenticate is EXTERNAL AUTHENTICATE (EMV Book 3 §6.5.4): the
// Issuer Authentication Data (91) of the issuer's answer, checked once per
// transaction, between an ARQC and the second GENERATE AC. 6300 when the
// ARPC is wrong.
func (c *Card) cmdExternalAuthenticate(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return status(apdu.SWIncorrectP1P2)
	}
	a, t := c.app(), c.sess.txn
	if a == nil || t == nil || !t.firstDone || t.first != emv.CryptogramARQC || t.secondDone || t.extAuthUsed {
		return status(apdu.SWConditionsNotSatisfied)
	}
	if len(cmd.Data) < 8 || len(cmd.Data) > 16 {
		return status(apdu.SWWrongLength)
	}
	t.extAuthUsed = true
	if !c.issuerAuthenticate(a, t, cmd.Data) {
		return status(swAuthFailed)
	}
	return ok(nil)
}

// issuerAuthenticate checks Issuer Authentication Data against the ARQC
// (EMV Book 2 §8.2) with the application's ARPC method and records the
// result: method 1 is ARPC (8) ‖ ARC (2), method 2 ARPC (4) ‖ CSU (4) ‖
// proprietary data (0–8).
func (c *Card) issuerAuthenticate(a *app, t *txn, iad []byte) bool {
	t.issuerAuthDone = true
	t.issuerAuthOK = false
	sk, err := a.prof.Crypto.ACSessionKey(a.pers.ICCMasterKeys.AC, t.atc)
	if err != nil {
		return false
	}
	switch a.prof.Crypto.ARPCMethod {
	case 1:
		if len(iad) < 10 {
			return false
		}
		err = cryptogram.VerifyARPCMethod1(a.alg, sk, t.ac, iad[8:10], iad[:8])
		t.arc = append([]byte(nil), iad[8:10]...)
	default:
		if len(iad) < 8 {
			return false
		}
		err = cryptogram.VerifyARPCMethod2(a.alg, sk, t.ac, iad[4:8], iad[8:], iad[:4])
		if err == nil {
			t.csu = append([]byte(nil), iad[4:8]...)
		}
	}
	t.issuerAuthOK = err == nil
	return t.issuerAuthOK
}
