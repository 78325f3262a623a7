#!/usr/bin/env bash
# Runs TAP-producing test programs and prints one summary line:
# "N passed, N failed, N skipped".  A program that crashes, exits nonzero
# or prints no plan counts as one more failure.
set -u
passed=0 failed=0 skipped=0
for t in "$@"; do
	echo "# === $t"
	# shellcheck disable=SC2086 # a test may be a command with arguments
	out=$($t 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(grep -cE '^ok [0-9]+( |$)' <<<"$out" | tr -d ' ')
	s=$(grep -cE '^ok [0-9]+ # SKIP' <<<"$out" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' <<<"$out" | tr -d ' ')
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if ! grep -qE '^1\.\.[0-9]+' <<<"$out"; then
		echo "not ok - $t printed no plan (exit $rc)"
		failed=$((failed + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited $rc"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
