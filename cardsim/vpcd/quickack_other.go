//go:build !linux

package vpcd

import "syscall"

// quickAck does nothing where TCP_QUICKACK does not exist; see
// quickack_linux.go for why Linux needs it.
func quickAck(syscall.RawConn) error { return nil }
