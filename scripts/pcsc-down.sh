#!/usr/bin/env bash
# pcsc-down.sh — stop the pcscd that scripts/pcsc-up.sh started, by the PID
# in its pidfile ($YIXIN_PCSCD_PIDFILE, default /tmp/yixin-pcscd.pid) and by
# nothing else: a pcscd that pcsc-up.sh found already running is left alone.
set -euo pipefail

PIDFILE=${YIXIN_PCSCD_PIDFILE:-/tmp/yixin-pcscd.pid}

if [ ! -e "$PIDFILE" ]; then
	echo "pcsc-down: no pidfile $PIDFILE: nothing to stop"
	exit 0
fi
pid=$(tr -dc '0-9' <"$PIDFILE")
if [ -z "$pid" ]; then
	rm -f "$PIDFILE"
	echo "pcsc-down: pidfile $PIDFILE held no PID: removed it" >&2
	exit 1
fi
if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != pcscd ]; then
	rm -f "$PIDFILE"
	echo "pcsc-down: PID $pid is not a running pcscd (already stopped): removed $PIDFILE"
	exit 0
fi

kill -TERM "$pid"
for _ in $(seq 1 100); do # 5 s at most
	[ -e "/proc/$pid" ] || break
	sleep 0.05
done
if [ -e "/proc/$pid" ]; then
	echo "pcsc-down: pcscd (PID $pid) ignored SIGTERM for 5 s: sending SIGKILL" >&2
	kill -KILL "$pid" 2>/dev/null || true
	sleep 0.1
fi
if [ -e "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pcscd ]; then
	echo "pcsc-down: could not stop pcscd (PID $pid)" >&2
	exit 1
fi
rm -f "$PIDFILE"
echo "pcsc-down: stopped pcscd (PID $pid)"
