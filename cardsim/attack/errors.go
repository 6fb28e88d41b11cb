package attack

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors of this package; every error it returns wraps one of
// them (test with errors.Is).
var (
	// ErrCardRemoved is returned, wrapped in a *FaultError, by a Transport
	// from the APDU at which a "removed" fault fires and for every APDU
	// after it: the card has left the reader and does not come back.
	//
	// It is this package's own sentinel. Package apdu/pcsc has one of the
	// same name for a real reader, but importing it would make this
	// package depend on cgo when built with the pcsc tag; a test that wants
	// to treat both alike checks for both.
	ErrCardRemoved = errors.New("attack: card removed")

	// ErrInjected is the transport error of the fault "error": the reader
	// reports a failure and no response.
	ErrInjected = errors.New("attack: injected transport error")

	// ErrNoAnswer is wrapped, together with the context's error, by the
	// fault "hang": the card never answered and the caller gave up.
	ErrNoAnswer = errors.New("attack: card does not answer")

	// ErrRule reports a rule that cannot be used: bad JSON, an unknown
	// fault, conflicting actions, a field out of range.
	ErrRule = errors.New("attack: invalid rule")
)

// FaultError is the error a Transport returns when a rule makes the
// exchange fail: the position of the APDU (1 for the first command the
// Transport saw), the rule's name (or "rule N"), and the cause, which
// wraps ErrCardRemoved, ErrInjected or ErrNoAnswer.
type FaultError struct {
	Position int
	Rule     string
	Err      error
}

func (e *FaultError) Error() string {
	return "attack: APDU " + strconv.Itoa(e.Position) + " (" + e.Rule + "): " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *FaultError) Unwrap() error { return e.Err }

// RuleError says which rule (its index in the list, from 0, and its name)
// and which JSON field is wrong. It wraps ErrRule.
type RuleError struct {
	Index int
	Name  string
	Field string
	Err   error
}

func (e *RuleError) Error() string {
	s := "attack: rule " + strconv.Itoa(e.Index)
	if e.Name != "" {
		s += " " + strconv.Quote(e.Name)
	}
	if e.Field != "" {
		s += " field " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause, which wraps ErrRule.
func (e *RuleError) Unwrap() error { return e.Err }

// ruleErr builds the error of a field.
func ruleErr(field, format string, args ...any) error {
	return &RuleError{Field: field, Err: fmt.Errorf("%w: "+format, append([]any{ErrRule}, args...)...)}
}
