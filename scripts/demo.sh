#!/usr/bin/env bash
# demo.sh -- owns: `make demo`.  Builds devmap.ko, the xx driver and the demo
# program, boots Debian's kernel in QEMU with an edu card, and shows four
# processes sharing the card's context through devmap.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${DEVMAP_BUILD_DIR:-$repo/build}
out=$build/demo
mkdir -p "$out"
"$repo/scripts/vm/deps.sh"
echo "building devmap.ko, xx.ko and the demo..."
kdir=$("$repo/scripts/kmod.sh" stock "$build" "$repo/drivers/xx.c" 2>"$out/kmod.log") ||
	{ cat "$out/kmod.log"; exit 1; }
gcc -static -O2 -Wall -Wextra -Werror -I"$repo/drivers" -o "$out/xx_demo" "$repo/demo/xx_demo.c"
"$repo/scripts/vm/initramfs.sh" "$out/initramfs.cpio.gz" "$repo/demo/guest.sh" \
	"$kdir/devmap.ko" "$kdir/xx.ko" "$out/xx_demo"
echo "booting the VM (about 10 s)..."
if ! "$repo/scripts/vm/run.sh" --timeout 120 "$out/initramfs.cpio.gz" "$out/guest.log" \
	2>"$out/run.log" | grep -vE '^(run\.sh:|\[ *[0-9]+\.[0-9]+\]|ok 1 - demo|1\.\.1)'; then
	cat "$out/run.log" >&2
	exit 1
fi
grep -q 'verdict: every process saw only its own' "$out/guest.log"
