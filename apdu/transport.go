package apdu

import "context"

// Transport carries one command APDU to a card and brings back its
// response APDU (data followed by SW1 SW2). Implementations: a PC/SC reader
// (package apdu/pcsc), the simulated card (package cardsim), the replayer
// of recorded traces, and the wrappers of this package, which compose.
//
// Transmit must honour ctx: when it is done, return ctx.Err() (wrapped) as
// soon as possible. The command slice must not be retained or modified.
type Transport interface {
	Transmit(ctx context.Context, command []byte) ([]byte, error)
}

// TransportFunc adapts a function to the Transport interface.
type TransportFunc func(ctx context.Context, command []byte) ([]byte, error)

// Transmit calls f.
func (f TransportFunc) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	return f(ctx, command)
}
