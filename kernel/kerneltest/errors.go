package kerneltest

import (
	"errors"
	"fmt"
)

// ErrCase is wrapped by every error about a case that cannot be used:
// malformed JSON, an unknown member, a value out of range, a profile or
// configuration override that does not apply.
var ErrCase = errors.New("kerneltest: invalid case")

// CaseError says which case (file, position in the file, ID) and which
// member is wrong. It wraps ErrCase and the cause.
type CaseError struct {
	File  string
	Index int
	ID    string
	Field string
	Err   error
}

// Error says where the case is and what is wrong with it.
func (e *CaseError) Error() string {
	where := e.File
	if where == "" {
		where = "case"
	}
	if e.ID != "" {
		where += " (" + e.ID + ")"
	} else if e.Index > 0 {
		where += fmt.Sprintf(" [%d]", e.Index)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", where, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", where, e.Err)
}

// Unwrap returns ErrCase and the cause.
func (e *CaseError) Unwrap() []error { return []error{ErrCase, e.Err} }

// caseErr builds a CaseError for c.
func caseErr(c *Case, field string, format string, args ...any) error {
	return &CaseError{File: c.File, Index: c.Index, ID: c.ID, Field: field, Err: fmt.Errorf(format, args...)}
}
