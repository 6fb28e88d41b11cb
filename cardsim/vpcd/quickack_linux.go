//go:build linux

package vpcd

import "syscall"

// quickAck sets TCP_QUICKACK on the socket, so that the bytes just read
// are acknowledged at once instead of after the delayed-ACK timer. Linux
// clears the flag again by itself, hence a call after every read: vpcd 3.3
// sends its length prefix and its payload in two send() calls with Nagle's
// algorithm on, and without a quick ACK every APDU waits about 44 ms for the
// delayed ACK of the prefix (shared/design/PCSC.md, "The 44 ms trap").
func quickAck(rc syscall.RawConn) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
