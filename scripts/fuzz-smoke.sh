#!/usr/bin/env bash
# fuzz-smoke.sh — run every Go fuzz target of the module for a short while.
#
#   scripts/fuzz-smoke.sh [SECONDS]     (default 3 s per target)
#
# Finds each `func FuzzXxx(` in *_test.go files (build-tagged files aside) and
# runs it alone with `go test -run '^$' -fuzz '^FuzzXxx$'`. Any failure
# (a crash, a panic, a broken property) stops the script with a non-zero
# status; the failing input is then in the package's testdata/fuzz/FuzzXxx/.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3}
n=0
while IFS=: read -r file name; do
	# Skip files behind build tags (they need -tags and are run elsewhere).
	if grep -q '^//go:build' "$file"; then
		continue
	fi
	pkg=$(dirname "$file")
	echo "fuzz: $pkg $name (${secs}s)"
	go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" -parallel 2 >/tmp/yixin-fuzz.log 2>&1 || {
		cat /tmp/yixin-fuzz.log
		echo "fuzz: $pkg $name FAILED" >&2
		exit 1
	}
	n=$((n + 1))
done < <(grep -rHoE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)\(' . | sed -E 's/:func (Fuzz[A-Za-z0-9_]+)\(/:\1/' | sort)
echo "fuzz: $n targets ran for ${secs}s each, no failure"
