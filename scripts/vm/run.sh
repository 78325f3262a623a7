#!/usr/bin/env bash
# run.sh [options] INITRAMFS LOG -- owns: booting a test VM and judging its log.
# Boots the stock Debian kernel (or --debug: the debug-kernel.sh build) in
# qemu-system-x86_64 under TCG (see --accel) with INITRAMFS (see
# initramfs.sh), writes the serial console to LOG, prints the guest's output
# between @@TAP-BEGIN@@ and @@TAP-END@@ to stdout, and ends with one summary line.
# Exit 0 = pass; 1 = fail: timeout, no end marker (hang/crash), test script
# exit status != 0, a `not ok` line, TAP plan/count mismatch, or a kernel report
# (BUG:/KASAN, WARNING:, lockdep, kmemleak, Oops, Call Trace, panic...) in LOG;
# 2 = setup problem; 64 = usage.
# Options:
#   --debug            boot the debug kernel (debug-kernel.sh, kernel.sh debug)
#   --kernel KVER      boot that installed Debian kernel instead (see kernel.sh)
#   --timeout SECS     hard limit for the guest, then it is killed (default 300)
#   --device SPEC      QEMU -device SPEC (repeatable); any --device/--object/--no-devices
#   --object SPEC      QEMU -object SPEC (repeatable)   replaces the default devices:
#   --no-devices       no extra devices                 edu + ivshmem-plain (1 MiB RAM BAR)
#   --append ARGS      extra kernel command line
#   --mem MB           guest RAM (default 512)
#   --accel tcg|kvm    QEMU accelerator (default tcg; this machine's /dev/kvm is PVM)
#   --pin              pin vCPU i's thread to the i-th host CPU this process may
#                      run on (for benchmarks); prints one "run.sh: pin: vCPU i ..."
#                      line per vCPU, or "run.sh: pin: INVALID ..." when fewer
#                      CPUs are allowed than the VM has or the threads are not found
#   --verbose          also stream the whole console to stderr
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit "${1:-64}"; }

accel=tcg flavour=stock timeout=300 mem=512 verbose=0 append='' pin=0
custom_dev=0
devs=()
while (($#)); do
    case "$1" in
    --debug) flavour=debug ;;
    --kernel) flavour=${2:?}; shift ;;
    --timeout) timeout=${2:?}; shift ;;
    --device) devs+=(-device "${2:?}"); custom_dev=1; shift ;;
    --object) devs+=(-object "${2:?}"); custom_dev=1; shift ;;
    --no-devices) custom_dev=1 ;;
    --append) append=${2?}; shift ;;
    --mem) mem=${2:?}; shift ;;
    --accel) accel=${2:?}; shift ;;
    --verbose|-v) verbose=1 ;;
    --pin) pin=1 ;;
    -h|--help) usage 0 ;;
    --) shift; break ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *) break ;;
    esac
    shift
done
(($# == 2)) || usage
initramfs=$1 log=$2
[[ "$timeout" =~ ^[0-9]+$ ]] || { echo "run.sh: bad --timeout $timeout" >&2; exit 64; }
[[ -f "$initramfs" ]] || { echo "run.sh: no such initramfs: $initramfs" >&2; exit 2; }
# edu's DMA engine reaches 32 address bits, not its default 28: the whole
# guest RAM, for DMA into user pages wherever they are (dditest)
# shellcheck disable=SC2054  # commas are QEMU syntax
((custom_dev)) || devs=(-device edu,dma_mask=0xffffffff
                        -object memory-backend-ram,id=shm0,size=1M
                        -device ivshmem-plain,memdev=shm0)

kernel_vars=$("$here/kernel.sh" "$flavour") || exit 2
# The debug kernel takes its CPUs from ACPI but not its PCI interrupt
# routing, which is slow to evaluate under KASAN (see debug.config).
[[ "$flavour" == debug ]] && append="acpi=noirq $append"
KVER='' VMLINUZ=''
eval "$kernel_vars"
command -v qemu-system-x86_64 >/dev/null || { echo "run.sh: qemu-system-x86_64 missing; run deps.sh" >&2; exit 2; }

# Kernel report lines that fail the run (extended regex, matched anywhere in LOG).
report_re='BUG:|WARNING:|possible circular locking|possible recursive locking|inconsistent lock state'
report_re+='|unreferenced object|Oops|kernel BUG|Call Trace:|general protection fault'
report_re+='|Kernel panic|UBSAN:|blocked for more than [0-9]+ seconds|detected stalls? on CPU'

smp=2
# --pin: QEMU names its vCPU threads "CPU i/TCG" (or /KVM) with debug-threads;
# once they exist, each goes to its own host CPU of those this process may
# run on (Cpus_allowed_list: ids need not start at 0).  Runs in the background.
pin_vcpus() { # PIDFILE
    local ncpu qpid='' tid i t try k list='' r cpus=()
    while read -r k r; do
        [[ "$k" == Cpus_allowed_list: ]] && list=$r
    done </proc/self/status
    IFS=, read -ra r <<<"$list"
    for k in "${r[@]}"; do  # "a" or "a-b"
        for ((i = ${k%-*}; i <= ${k#*-}; i++)); do cpus+=("$i"); done
    done
    ncpu=${#cpus[@]}
    if ((ncpu < smp)); then
        echo "run.sh: pin: INVALID: $ncpu allowed host CPUs (${list:-none found}) for $smp vCPUs" >&2
        return
    fi
    for ((try = 0; try < 300; try++)); do
        [[ -s "$1" ]] && qpid=$(<"$1") && [[ -d /proc/$qpid/task ]] && break
        sleep 0.1
    done
    for ((i = 0; i < smp; i++)); do
        tid=''
        for ((try = 0; try < 300 && ${#tid} == 0; try++)); do
            for t in /proc/"$qpid"/task/*; do
                [[ "$(cat "$t/comm" 2>/dev/null)" == "CPU $i/"* ]] && tid=${t##*/}
            done
            [[ -n "$tid" ]] || sleep 0.1
        done
        if [[ -z "$tid" ]] || ! taskset -pc "${cpus[i]}" "$tid" >/dev/null; then
            echo "run.sh: pin: INVALID: vCPU $i's thread not found or not pinned" >&2
            return
        fi
        echo "run.sh: pin: vCPU $i (thread $tid) on host CPU ${cpus[i]} of $ncpu allowed ($list)" >&2
    done
}
qemu_extra=()
if ((pin)); then
    pidfile=$(mktemp)
    trap 'rm -f "$pidfile"' EXIT
    # shellcheck disable=SC2054  # commas are QEMU syntax
    qemu_extra=(-pidfile "$pidfile" -name devmap-vm,debug-threads=on)
    pin_vcpus "$pidfile" &
fi

echo "run.sh: booting $KVER ($flavour, $accel, timeout ${timeout}s)" >&2
start=$(date +%s.%N)
: >"$log"
set +e
# loglevel=5 after quiet: WARN()/lockdep reports are KERN_WARNING and must reach the console.
timeout -k 5 "$timeout" qemu-system-x86_64 -accel "$accel" -kernel "$VMLINUZ" -initrd "$initramfs" \
    -nographic -vga none -nic none -no-reboot -m "$mem" -smp "$smp" "${qemu_extra[@]}" "${devs[@]}" \
    -append "console=ttyS0 quiet loglevel=5 panic=-1 oops=panic $append" </dev/null 2>&1 |
awk -v logf="$log" -v verbose="$verbose" -v re="$report_re" '
    { sub(/\r+$/, ""); print > logf; fflush(logf) }
    verbose { print "vm| " $0 > "/dev/stderr" }
    /^@@TAP-END@@/ { intap = 0; next }
    intap { print; fflush(); next }
    /^@@TAP-BEGIN@@/ { intap = 1; next }
    !verbose && $0 ~ re { print "vm! " $0 > "/dev/stderr" }'
status=("${PIPESTATUS[@]}")
((pin)) && wait
set -e
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

fails=()
case "${status[0]}" in
    0) ;;
    124|137) fails+=("TIMEOUT: guest killed after ${timeout}s") ;;
    *) fails+=("qemu exited with status ${status[0]}") ;;
esac

tap=$(sed -n '/^@@TAP-BEGIN@@/,/^@@TAP-END@@/{/^@@TAP-/d;p}' "$log")
endline=$(grep -m1 '^@@TAP-END@@' "$log" || true)
if [[ -z "$endline" ]]; then
    fails+=("no @@TAP-END@@ marker: guest hung, crashed or panicked")
elif [[ "$endline" =~ rc=([0-9]+) && "${BASH_REMATCH[1]}" != 0 ]]; then
    fails+=("test script exited with status ${BASH_REMATCH[1]}")
fi
n_ok=$(grep -cE '^ok\b' <<<"$tap" || true)
n_notok=$(grep -E '^not ok\b' <<<"$tap" | grep -cvE '#[[:space:]]*TODO' || true)
n_todo=$(grep -E '^not ok\b' <<<"$tap" | grep -cE '#[[:space:]]*TODO' || true)
planned=$(sed -nE 's/^1\.\.([0-9]+).*/\1/p' <<<"$tap" | awk '{s += $1} END {print s + 0}')
((n_notok == 0)) || fails+=("$n_notok test(s) not ok")
if [[ -n "$endline" ]]; then
    ((n_ok + n_notok + n_todo > 0)) || fails+=("no TAP test lines")
    if grep -qE '^1\.\.[0-9]+' <<<"$tap" && ((planned != n_ok + n_notok + n_todo)); then
        fails+=("planned $planned tests, saw $((n_ok + n_notok + n_todo))")
    fi
fi
if reports=$(grep -nE "$report_re" "$log"); then
    fails+=("kernel reports in $log: $(wc -l <<<"$reports") line(s)")
    head -n 20 <<<"$reports" | while IFS= read -r l; do echo "run.sh: report: $l" >&2; done
fi

if ((${#fails[@]} == 0)); then
    echo "run.sh: PASS: $n_ok ok, 0 not ok ($KVER, ${elapsed}s)"
    exit 0
fi
msg=$(printf '%s; ' "${fails[@]}")
echo "run.sh: FAIL: ${msg%; } ($n_ok ok, $n_notok not ok; $KVER, ${elapsed}s, log $log)"
exit 1
