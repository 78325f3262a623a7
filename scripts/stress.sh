#!/usr/bin/env bash
# stress.sh -- owns: `make stress`, the randomized multi-process stress
# (tests/kernel/stress_user.c) alone in a VM.  Builds devmap.ko and the
# stress's drivers (dmtest, kmctx, xx, remaptest) for the chosen kernel, the static
# stress program and an initramfs whose script only loads the modules and
# runs the stress, boots it (scripts/vm/run.sh) and prints the guest's TAP.
# Environment (make variables of the same names):
#   SEED=N            replay a run (default: a new random seed, printed)
#   DURATION=SECONDS  how long the stress runs (default 60)
#   KERNEL=stock|debug|RELEASE  Debian's newest non-RT kernel, the debug kernel, or that release (default stock)
#   WORKERS=N         worker processes (default: the program's, 10)
set -uo pipefail
flavour=${KERNEL:-stock}
duration=${DURATION:-60}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${DEVMAP_BUILD_DIR:-$repo/build}
out=$build/vm/stress-$flavour
skip() {
	echo "ok 1 # SKIP stress ($flavour kernel): $*"
	echo "1..1"
	exit 0
}
fail() {
	echo "not ok 1 - stress ($flavour kernel): $*"
	echo "1..1"
	exit 1
}
if ! [[ "$duration" =~ ^[0-9]+$ ]] || ((duration == 0)); then
	fail "DURATION must be seconds, not $duration"
fi
[[ -z "${SEED:-}" || "$SEED" =~ ^[0-9]+$ ]] || fail "SEED must be a number, not $SEED"
mkdir -p "$out"
"$repo/scripts/vm/prepare.sh" "$flavour" >&2
case $? in
0) ;;
1) fail "debug kernel build failed" ;;
2) skip "missing packages (see above)" ;;
*) fail "KERNEL must be stock, debug or a release of kernel.sh --list, not $flavour" ;;
esac
# devmap.ko and the stress's drivers (a subset of what vm-check.sh builds)
kdir=$("$repo/scripts/kmod.sh" "$flavour" "$build" "$repo/tests/kernel/dmtest.c" \
	"$repo/tests/kernel/remaptest.c" "$repo"/drivers/*.c 2>"$out/kmod.log") ||
	{ cat "$out/kmod.log" >&2; fail "module build failed"; }
gcc -static -O2 -Wall -Wextra -Werror -pthread -I"$repo/tests/kernel" -I"$repo/drivers" \
	-o "$out/stress_user" "$repo/tests/kernel/stress_user.c" || fail "stress_user build failed"
echo "-t $duration${SEED:+ -s $SEED}${WORKERS:+ -n $WORKERS}" >"$out/stress.conf"
"$repo/scripts/vm/initramfs.sh" "$out/initramfs.cpio.gz" "$repo/tests/kernel/stress_guest.sh" \
	"$kdir"/{devmap,dmtest,kmctx,xx,remaptest}.ko "$out/stress_user" "$out/stress.conf" ||
	fail "initramfs build failed"
# boot, the stress, its watchdog at the end (30 s), and slack for TCG
args=(--kernel "$flavour" --timeout $((duration + 180)))
[ "$flavour" = debug ] && args=(--debug --timeout $((duration + 480)))
"$repo/scripts/vm/run.sh" "${args[@]}" "$out/initramfs.cpio.gz" "$out/guest.log"
rc=$?
seed=$(sed -n 's/^# seed=\([0-9]*\).*/\1/p' "$out/guest.log" | head -n 1)
echo "# seed=${seed:-?}: replay with make stress SEED=${seed:-?} DURATION=$duration KERNEL=$flavour"
[ $rc -eq 0 ] || echo "# guest log: $out/guest.log" >&2
[ $rc -le 1 ] || fail "the VM could not run (exit $rc)"
exit $rc
