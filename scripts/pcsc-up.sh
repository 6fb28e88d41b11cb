#!/usr/bin/env bash
# pcsc-up.sh — bring up the real PC/SC stack for yixin's -tags pcsc tests.
#
# Idempotent. Run as root on Debian 12 (a fresh machine with only Go is fine):
#   1. installs pcscd, libpcsclite-dev, vsmartcard-vpcd and pkg-config if any
#      is missing (one `apt-get update`, then `apt-get install`);
#   2. starts `pcscd -f` in the background unless a live pcscd already owns
#      /run/pcscd/pcscd.comm, and writes the PID of the one it started to
#      $YIXIN_PCSCD_PIDFILE (default /tmp/yixin-pcscd.pid), so that
#      scripts/pcsc-down.sh stops that process and no other;
#   3. waits (bounded) until pcscd's socket exists and vpcd listens on
#      127.0.0.1:35963 (reader "Virtual PCD 00 00").
#
# Recipe and measurements: shared/design/PCSC.md.
set -euo pipefail

PIDFILE=${YIXIN_PCSCD_PIDFILE:-/tmp/yixin-pcscd.pid}
LOGFILE=${YIXIN_PCSCD_LOG:-/tmp/yixin-pcscd.log}
SOCKET=/run/pcscd/pcscd.comm
PCSCD_PIDFILE=/run/pcscd/pcscd.pid
VPCD_PORT=35963
WAIT_STEPS=300 # times 0.05 s: 15 s at most for each wait (a cold first start is slow)
PACKAGES=(pcscd libpcsclite-dev vsmartcard-vpcd pkg-config)

die() {
	echo "pcsc-up: $*" >&2
	exit 1
}

installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

install_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		installed "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "pcsc-up: packages present: ${PACKAGES[*]}"
		return
	fi
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}) and not root: run as root, or: apt-get install -y --no-install-recommends ${PACKAGES[*]}"
	command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: this script knows Debian/Ubuntu only"
	echo "pcsc-up: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || die "apt-get update failed"
	apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" || die "apt-get install ${PACKAGES[*]} failed"
	for p in "${PACKAGES[@]}"; do
		installed "$p" || die "package $p is still not installed after apt-get install"
	done
}

# alive PID: true while PID is a process that has not exited (a zombie, an
# exited child not yet reaped, counts as exited). Used for the pcscd this
# script starts: right after the fork its name is still that of the shell, so
# is_pcscd would call it dead during the first milliseconds.
alive() {
	local stat
	[ -n "$1" ] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# is_pcscd PID: true when PID is a live process (not a zombie) named pcscd.
is_pcscd() {
	[ -n "$1" ] && [ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = pcscd ] && alive "$1"
}

# running_pid prints the PID of a live pcscd that owns the socket, if any:
# the one a pidfile names, else any process named pcscd (one started by
# another tool without a pidfile we know).
running_pid() {
	local pid d
	[ -S "$SOCKET" ] || return 1
	for f in "$PIDFILE" "$PCSCD_PIDFILE"; do
		[ -r "$f" ] || continue
		pid=$(tr -dc '0-9' <"$f")
		if is_pcscd "$pid"; then
			echo "$pid"
			return 0
		fi
	done
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		if is_pcscd "$pid"; then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

# vpcd_listening: true when something listens on TCP port VPCD_PORT
# (read from /proc, so no ss/netstat is needed, and no connection is made:
# a connection would look like a card to vpcd).
vpcd_listening() {
	local hex
	hex=$(printf '%04X' "$VPCD_PORT")
	awk -v port=":$hex" 'NR > 1 && substr($2, length($2) - 4) == port && $4 == "0A" { found = 1 } END { exit !found }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# wait_for DESCRIPTION COMMAND...: polls COMMAND every 50 ms, WAIT_STEPS times.
wait_for() {
	local what=$1 i
	shift
	for ((i = 0; i < WAIT_STEPS; i++)); do
		"$@" && return 0
		if [ -n "${started_pid:-}" ] && ! alive "$started_pid"; then
			echo "pcsc-up: last lines of $LOGFILE:" >&2
			tail -n 20 "$LOGFILE" >&2 || true
			die "pcscd (PID $started_pid) exited while waiting for $what; its log is above and in $LOGFILE"
		fi
		sleep 0.05
	done
	die "timed out after $((WAIT_STEPS / 20)) s waiting for $what (pcscd log: $LOGFILE)"
}

start_pcscd() {
	local pid
	if pid=$(running_pid); then
		echo "pcsc-up: pcscd already running (PID $pid)"
		return
	fi
	[ "$(id -u)" -eq 0 ] || die "pcscd is not running and starting it needs root"
	command -v pcscd >/dev/null || [ -x /usr/sbin/pcscd ] || die "pcscd not found after install"
	[ -r /etc/reader.conf.d/vpcd ] || die "/etc/reader.conf.d/vpcd is missing: reinstall vsmartcard-vpcd"
	remove_stale
	PATH=$PATH:/usr/sbin
	# No setsid/daemon mode: $! must be pcscd's own PID for pcsc-down.sh
	# (the background shell execs pcscd, so the PID stays the same).
	pcscd -f >"$LOGFILE" 2>&1 </dev/null &
	started_pid=$!
	echo "$started_pid" >"$PIDFILE"
	echo "pcsc-up: started pcscd -f (PID $started_pid, log $LOGFILE, pidfile $PIDFILE)"
	wait_for "socket $SOCKET" test -S "$SOCKET"
	wait_for "PID $started_pid to become pcscd" is_pcscd "$started_pid"
}

# remove_stale deletes the socket and pidfile a pcscd left behind when it was
# killed without cleaning up (a machine image taken while it ran, SIGKILL).
# pcscd refuses to start over a socket whose pidfile is missing or names a
# live process, and PIDs are reused, so a stale pair can stop it for good.
# Called only when no live pcscd owns the socket (running_pid failed).
remove_stale() {
	local f
	for f in "$SOCKET" "$PCSCD_PIDFILE"; do
		if [ -e "$f" ]; then
			echo "pcsc-up: removing stale $f (no live pcscd owns it)"
			rm -f "$f"
		fi
	done
}

install_packages
start_pcscd
wait_for "vpcd to listen on TCP $VPCD_PORT" vpcd_listening
echo "pcsc-up: ready: pcscd socket $SOCKET, vpcd on 127.0.0.1:$VPCD_PORT (reader \"Virtual PCD 00 00\")"
