#!/usr/bin/env bash
# vm-check.sh [stock|debug|RELEASE] -- owns: the kernel host's test run.
# Builds devmap.ko and the dmtest driver against one of Debian's kernels
# (stock: the newest non-RT one; RELEASE: that one, as `uname -r` names it,
# see scripts/vm/kernel.sh --list) or the cached debug kernel, the static
# test programs (64- and 32-bit), an initramfs, boots it in QEMU and prints
# the guest's TAP.  Skips loudly (TAP SKIP) when the packages it needs
# cannot be installed or the kernel is not installed.
# DEVMAP_INSTALLED=/usr/src/devmap-<version> (make dkms-install): test the
# devmap.ko DKMS installed for RELEASE instead, with the drivers built
# against that installed devmap as any out-of-tree driver is (devmap.mk).
set -uo pipefail
flavour=${1:-stock}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${DEVMAP_BUILD_DIR:-$repo/build}
out=$build/vm/$flavour${DEVMAP_INSTALLED:+-installed}
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
# the port examples: Solaris-style drivers with no Linux header (their
# user programs are the port folder's *_user.c)
port=("$repo/tests/kernel/port/lockpg.c" "$repo/tests/kernel/port/memexp.c")
# the test drivers
testdrv=("$repo/tests/kernel/dmtest.c" "$repo/tests/kernel/hugetest.c" "$repo/tests/kernel/dditest.c"
	"$repo/tests/kernel/remaptest.c")
"$repo/scripts/vm/prepare.sh" "$flavour" >&2
case $? in
0) ;;
1) fail "debug kernel build failed" ;;
2) skip "missing packages (see above)" ;;
*) skip "kernel $flavour not installed (see above)" ;;
esac
if [ -n "${DEVMAP_INSTALLED:-}" ]; then
	kdir=$out/installed
	rm -rf "$kdir"
	mkdir -p "$kdir"
	ko=$(ls "/lib/modules/$flavour/updates/dkms/devmap.ko"* 2>/dev/null | head -n1)
	[ -n "$ko" ] || fail "no DKMS-installed devmap.ko for $flavour"
	case $ko in *.xz) xz -dc "$ko" >"$kdir/devmap.ko" ;; *) cp "$ko" "$kdir/devmap.ko" ;; esac
	ln -s "${testdrv[@]}" "${port[@]}" "$repo"/drivers/*.c "$repo"/tests/kernel/*.h \
		"$repo"/tests/kernel/port/*.h "$repo"/drivers/*.h "$kdir/" ||
		fail "linking the driver sources and headers into $kdir failed"
	for f in "${testdrv[@]}" "${port[@]}" "$repo"/drivers/*.c; do
		echo "obj-m += $(basename "${f%.c}").o"
	done >"$kdir/Kbuild"
	printf 'ccflags-y += -Werror\ninclude %s/devmap.mk\n' "$DEVMAP_INSTALLED" >>"$kdir/Kbuild"
	make -s -C "/lib/modules/$flavour/build" M="$kdir" modules >"$out/kmod.log" 2>&1 ||
		{ cat "$out/kmod.log" >&2; fail "driver build against $DEVMAP_INSTALLED failed"; }
else
	kdir=$("$repo/scripts/kmod.sh" "$flavour" "$build" "${testdrv[@]}" "${port[@]}" \
		"$repo"/drivers/*.c 2>"$out/kmod.log") ||
		{ cat "$out/kmod.log" >&2; fail "module build failed"; }
fi
cc_flags=(-static -O2 -Wall -Wextra -Werror -I"$repo/tests/kernel" -I"$repo/drivers")
gcc "${cc_flags[@]}" -o "$out/dmtest_user" "$repo/tests/kernel/dmtest_user.c" &&
	gcc -m32 "${cc_flags[@]}" -o "$out/dmtest_user32" "$repo/tests/kernel/dmtest_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/xx_user" "$repo/tests/kernel/xx_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/drivers_user" "$repo/tests/kernel/drivers_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/attack_user" "$repo/tests/kernel/attack_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/huge_user" "$repo/tests/kernel/huge_user.c" &&
	gcc "${cc_flags[@]}" -pthread -o "$out/remap_user" "$repo/tests/kernel/remap_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/unplug_user" "$repo/tests/kernel/unplug_user.c" &&
	gcc "${cc_flags[@]}" -o "$out/dditest_user" "$repo/tests/kernel/dditest_user.c" &&
	gcc "${cc_flags[@]}" -I"$repo/tests/kernel/port" -o "$out/lockpg_user" \
		"$repo/tests/kernel/port/lockpg_user.c" &&
	gcc "${cc_flags[@]}" -I"$repo/tests/kernel/port" -o "$out/memexp_user" \
		"$repo/tests/kernel/port/memexp_user.c" ||
	fail "test program build failed"
gcc "${cc_flags[@]}" -o "$out/failnth_user" "$repo/tests/kernel/failnth_user.c" ||
	fail "failnth_user build failed"
gcc "${cc_flags[@]}" -pthread -o "$out/stress_user" "$repo/tests/kernel/stress_user.c" ||
	fail "stress_user build failed"
gcc "${cc_flags[@]}" -o "$out/trace_user" "$repo/tests/kernel/trace_user.c" &&
	make -s -C "$repo" BUILD="$out/tools" CC="gcc -static" "$out/tools/devmapstat" >&2 &&
	cp "$out/tools/devmapstat" "$out/devmapstat" ||
	fail "trace_user or devmapstat build failed"
# the stress's arguments in the guest: STRESS_SECONDS (stock 15, debug 60), STRESS_SEED
stress_s=${STRESS_SECONDS:-$([ "$flavour" = debug ] && echo 60 || echo 15)}
echo "-t $stress_s${STRESS_SEED:+ -s $STRESS_SEED}" >"$out/stress.conf"
"$repo/scripts/vm/initramfs.sh" "$out/initramfs.cpio.gz" "$repo/tests/kernel/guest.sh" \
	"$out/failnth_user" "$out/trace_user" "$out/devmapstat" \
	"$out/stress_user" "$out/stress.conf" \
	"$kdir"/*.ko "$out/dmtest_user" "$out/dmtest_user32" "$out/xx_user" \
	"$out/drivers_user" "$out/attack_user" "$out/huge_user" "$out/remap_user" "$out/unplug_user" "$out/dditest_user" \
	"$out/lockpg_user" "$out/memexp_user" ||
	fail "initramfs build failed"
args=(--kernel "$flavour" --timeout 180)
[ "$flavour" = debug ] && args=(--debug --timeout 600)
"$repo/scripts/vm/run.sh" "${args[@]}" "$out/initramfs.cpio.gz" "$out/guest.log"
rc=$?
[ $rc -eq 0 ] || echo "# guest log: $out/guest.log" >&2
[ $rc -le 1 ] || fail "the VM could not run (exit $rc)"
exit $rc
