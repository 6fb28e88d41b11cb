package cardsim

import (
	"crypto/subtle"

	"github.com/yixin-emv/yixin/apdu"
	"github.com/yixin-emv/yixin/emv/pin"
)

// cmdVerify is VERIFY (EMV Book 3 §6.5.12): P2 80 a plaintext PIN in a
// format 2 block, P2 88 an enciphered PIN (EMV Book 2 §7, deciphered with
// emv/pin using the ICC key and the last GET CHALLENGE number). Without
// data it reports the tries left (63Cx). The PIN try counter is
// decremented and saved before the PIN is compared, so that pulling the
// card out at the right moment gains no try; a correct PIN resets it.
func (c *Card) cmdVerify(cmd *apdu.Command, _ []byte) apdu.Response {
	if cmd.P1 != 0 || (cmd.P2 != 0x80 && cmd.P2 != 0x88) {
		return status(apdu.SWIncorrectP1P2)
	}
	a := c.app()
	if a == nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	st := a.state
	if len(cmd.Data) == 0 {
		if st.PINTries == 0 {
			return status(apdu.SWAuthMethodBlocked)
		}
		return status(swTriesLeft | apdu.StatusWord(st.PINTries))
	}
	challenge := c.sess.challenge
	c.sess.challenge = nil // good for one VERIFY only
	if st.PINTries == 0 {
		return status(apdu.SWAuthMethodBlocked)
	}
	if sw := c.checkPINData(a, cmd, challenge); sw != apdu.SWNoError {
		return status(sw)
	}
	st.PINTries--
	if err := c.save(); err != nil {
		return status(swMemoryFailure)
	}
	match := a.pinMatches(cmd, challenge)
	if t := c.sess.txn; t != nil {
		t.pinTried = true
		t.pinFailed = !match
	}
	if !match {
		return status(swTriesLeft | apdu.StatusWord(st.PINTries))
	}
	st.PINTries = a.prof.PINTryLimit
	if err := c.save(); err != nil {
		return status(swMemoryFailure)
	}
	return ok(nil)
}

// checkPINData checks what can be checked before a try is spent: the
// length of the PIN data and, for an enciphered PIN, that the card has a
// key to decipher it and issued a challenge.
func (c *Card) checkPINData(a *app, cmd *apdu.Command, challenge []byte) apdu.StatusWord {
	if cmd.P2 == 0x80 {
		if len(cmd.Data) != pin.BlockLen {
			return apdu.SWWrongLength
		}
		return apdu.SWNoError
	}
	if a.icc == nil || a.icc.rsa == nil {
		return apdu.SWFunctionNotSupported
	}
	if challenge == nil {
		return apdu.SWConditionsNotSatisfied
	}
	if len(cmd.Data) != a.icc.rsa.Size() {
		return apdu.SWWrongLength
	}
	return apdu.SWNoError
}

// pinMatches compares the PIN data with the reference PIN in constant
// time. Anything malformed (a block that is not format 2, a bad header or
// challenge in the enciphered data) counts as a wrong PIN, as a card that
// compares blocks would have it.
func (a *app) pinMatches(cmd *apdu.Command, challenge []byte) bool {
	ref := a.referencePIN()
	if cmd.P2 == 0x88 {
		return pin.VerifyOffline(a.icc.rsa, cmd.Data, challenge, ref) == nil
	}
	block, err := pin.Format2(ref)
	if err != nil {
		return false
	}
	defer clear(block)
	return subtle.ConstantTimeCompare(block, cmd.Data) == 1
}

// referencePIN is the PIN now in force.
func (a *app) referencePIN() string {
	if a.state.PIN != "" {
		return a.state.PIN
	}
	return a.prof.PIN
}
