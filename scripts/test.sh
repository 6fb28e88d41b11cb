#!/usr/bin/env bash
# test.sh — every test of yixin, as CI runs it (.ci/run calls this script).
#
#   bash scripts/test.sh            (as root the first time)
#
# Needs only Go on a Debian 12 machine: scripts/pcsc-up.sh installs pcscd,
# libpcsclite-dev and vsmartcard-vpcd with apt-get when they are missing and
# starts pcscd; the PC/SC tests then go through the real stack and FAIL (not
# skip) if it is missing, because YIXIN_REQUIRE_PCSC=1 is set here.
#
# Steps: gofmt and go vet; go build with cgo off (nothing but apdu/pcsc
# needs C); go test ./...; the -tags pcsc tests through pcscd and the
# virtual reader; a short run (FUZZTIME seconds, default 3) of every fuzz
# target.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PATH:/usr/local/go/bin
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-3}

step() { printf '\n=== %s\n' "$*"; }

step "gofmt, go vet, go build (no cgo)"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	echo "not gofmt-ed:"
	echo "$unformatted"
	exit 1
fi
$GO vet ./...
CGO_ENABLED=0 $GO build ./...

step "PC/SC stack (pcscd, vsmartcard-vpcd)"
# The trap comes first: a pcsc-up.sh that fails after starting pcscd must not
# leave it running.
trap 'bash scripts/pcsc-down.sh || true' EXIT
bash scripts/pcsc-up.sh
$GO vet -tags pcsc ./...

step "unit tests"
$GO test -count=1 ./...

step "PC/SC tests through pcscd and the virtual reader"
# Only the packages that have tests behind the pcsc tag; the rest ran above.
pkgs=$(grep -rl --include='*_test.go' '^//go:build.*pcsc' . | xargs -n1 dirname | sort -u)
[ -n "$pkgs" ] || { echo "no -tags pcsc tests found"; exit 1; }
YIXIN_REQUIRE_PCSC=1 $GO test -count=1 -tags pcsc $pkgs

step "fuzz targets, ${FUZZTIME}s each"
bash scripts/fuzz-smoke.sh "$FUZZTIME"

step "all tests passed"
