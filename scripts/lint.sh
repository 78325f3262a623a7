#!/usr/bin/env bash
# TAP: the C sources follow the kernel style (.clang-format); skips, loudly,
# when clang-format is not installed.
cd "$(dirname "$0")/.." || exit 1
if ! command -v clang-format >/dev/null; then
	echo "ok 1 # SKIP clang-format not installed (apt-get install clang-format)"
	echo "1..1"
	exit 0
fi
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]')
if out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
	echo "ok 1 - ${#files[@]} C files follow .clang-format"
else
	echo "not ok 1 - C files differ from .clang-format (run make format)"
	printf '%s\n' "$out" | head -20 | sed 's/^/# /'
fi
echo "1..1"
