//go:build !pcsc

package pcsc

import "context"

// This file stands in for pcsc.go in builds without the pcsc tag: the same
// exported API, every call failing with ErrNotBuilt, so that the rest of
// yixin builds on machines without cgo or libpcsclite-dev and says how to
// get PC/SC support when it is asked for.

// ListReaders returns ErrNotBuilt: this binary was built without the pcsc
// tag.
func ListReaders(ctx context.Context) ([]string, error) { return nil, ErrNotBuilt }

// WaitForCard returns ErrNotBuilt: this binary was built without the pcsc
// tag.
func WaitForCard(ctx context.Context, reader string) error { return ErrNotBuilt }

// Open returns ErrNotBuilt: this binary was built without the pcsc tag.
func Open(ctx context.Context, reader string, opts Options) (*Card, error) {
	return nil, ErrNotBuilt
}

// Card is a connection to a card in a reader. In a build without the pcsc
// tag none can be opened, and every method fails with ErrNotBuilt.
type Card struct{}

// Transmit returns ErrNotBuilt.
func (c *Card) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	return nil, ErrNotBuilt
}

// ATR returns nil.
func (c *Card) ATR() []byte { return nil }

// Protocol returns Any.
func (c *Card) Protocol() Protocol { return Any }

// Reader returns "".
func (c *Card) Reader() string { return "" }

// Reconnect returns ErrNotBuilt.
func (c *Card) Reconnect(ctx context.Context) error { return ErrNotBuilt }

// Close returns ErrNotBuilt.
func (c *Card) Close() error { return ErrNotBuilt }
