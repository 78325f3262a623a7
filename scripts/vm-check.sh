#!/usr/bin/env bash
# vm-check.sh [stock|debug|RELEASE] -- owns: the kernel host's test run.
# Builds devmap.ko and the dmtest driver against one of Debian's kernels
# (stock: the newest non-RT one; RELEASE: that one, as `uname -r` names it,
# see scripts/vm/kernel.sh --list) or the cached debug kernel, the static
# test programs (64- and 32-bit), an initramfs, boots it in QEMU and prints
# the guest's TAP.  Skips loudly (TAP SKIP) when the packages it needs
# cannot be installed or the kernel is not installed.
set -uo pipefail
flavour=${1:-stock}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${DEVMAP_BUILD_DIR:-$repo/build}
out=$build/vm/$flavour
skip() {
	echo "ok 1 # SKIP $flavour kernel suite: $*"
	echo "1..1"
	exit 0
}
fail() {
	echo "not ok 1 - $flavour kernel suite: $*"
	echo "1..1"
	exit 1
}
mkdir -p "$out"
if [ "$flavour" = debug ]; then
	"$repo/scripts/vm/deps.sh" --debug >&2 || skip "missing packages (see above)"
	"$repo/scripts/vm/debug-kernel.sh" "$build" >&2 || fail "debug kernel build failed"
else
	"$repo/scripts/vm/deps.sh" >&2 || skip "missing packages (see above)"
	"$repo/scripts/vm/kernel.sh" "$flavour" >/dev/null ||
		skip "kernel $flavour not installed (see above)"
fi
kdir=$("$repo/scripts/kmod.sh" "$flavour" "$build" "$repo/tests/kernel/dmtest.c" \
	"$repo"/drivers/*.c 2>"$out/kmod.log") ||
	{ cat "$out/kmod.log" >&2; fail "module build failed"; }
cc_flags=(-static -O2 -Wall -Wextra -Werror -I"$repo/tests/kernel" -I"$repo/drivers")
gcc "${cc_flags[@]}" -o "$out/dmtest_user" "$repo/tests/kernel/dmtest_user.c" &&
	gcc -m32 "${cc_flags[@]}" -o "$out/dmtest_user32" "$repo/tests/kernel/dmtest_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/xx_user" "$repo/tests/kernel/xx_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/drivers_user" "$repo/tests/kernel/drivers_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/attack_user" "$repo/tests/kernel/attack_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/unplug_user" "$repo/tests/kernel/unplug_user.c" ||
	fail "test program build failed"
gcc "${cc_flags[@]}" -o "$out/failnth_user" "$repo/tests/kernel/failnth_user.c" ||
	fail "failnth_user build failed"
gcc "${cc_flags[@]}" -pthread -o "$out/stress_user" "$repo/tests/kernel/stress_user.c" ||
	fail "stress_user build failed"
# the stress's arguments in the guest: STRESS_SECONDS (stock 15, debug 60), STRESS_SEED
stress_s=${STRESS_SECONDS:-$([ "$flavour" = debug ] && echo 60 || echo 15)}
echo "-t $stress_s${STRESS_SEED:+ -s $STRESS_SEED}" >"$out/stress.conf"
"$repo/scripts/vm/initramfs.sh" "$out/initramfs.cpio.gz" "$repo/tests/kernel/guest.sh" \
	"$out/failnth_user" \
	"$out/stress_user" "$out/stress.conf" \
	"$kdir"/*.ko "$out/dmtest_user" "$out/dmtest_user32" "$out/xx_user" \
	"$out/drivers_user" "$out/attack_user" "$out/unplug_user" ||
	fail "initramfs build failed"
args=(--kernel "$flavour" --timeout 180)
[ "$flavour" = debug ] && args=(--debug --build-dir "$build" --timeout 600)
"$repo/scripts/vm/run.sh" "${args[@]}" "$out/initramfs.cpio.gz" "$out/guest.log"
rc=$?
[ $rc -eq 0 ] || echo "# guest log: $out/guest.log" >&2
[ $rc -le 1 ] || fail "the VM could not run (exit $rc)"
exit $rc
