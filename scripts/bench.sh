#!/usr/bin/env bash
# bench.sh -- owns: `make bench`.  Measures the kernel host in QEMU
# (bench/dmbench_user.c against bench/dmbench.c) and the core's
# instruction counts under callgrind (bench/core_cost.c), prints every
# figure, writes them to build/bench/results.txt (and docs/perf/), draws
# the plots into docs/perf/ and rewrites the generated part of
# docs/performance.md (bench/report.sh).  Ratios are against baselines
# measured in the same run.  The VM's vCPU threads are pinned to distinct
# host CPUs (run.sh --pin); a run where that failed is marked not pinned.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${DEVMAP_BUILD_DIR:-$repo/build}
out=$build/bench
mkdir -p "$out" "$repo/docs/perf"
"$repo/scripts/vm/deps.sh"
need=()
command -v valgrind >/dev/null || need+=(valgrind)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
if [ ${#need[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || { echo "run: sudo apt-get install -y ${need[*]}" >&2; exit 2; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
make -C "$repo" -s BUILD="$build" "$build/libdmsim.a" >/dev/null
gcc -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Werror \
	-I"$repo/include" -I"$repo/tests/sim" -o "$out/core_cost" "$repo/bench/core_cost.c" \
	"$build/libdmsim.a" -lpthread
"$repo/bench/core_cost.sh" "$out/core_cost" "$out/callgrind" >"$out/core.txt"
kdir=$("$repo/scripts/kmod.sh" stock "$build" "$repo/bench/dmbench.c" 2>"$out/kmod.log") ||
	{ cat "$out/kmod.log" >&2; exit 1; }
# the event overhead's baseline: devmap.ko without the event calls
eval "$("$repo/scripts/vm/kernel.sh" stock)"
KCFLAGS=-DDM_NO_EVENTS "$repo/scripts/kmod-build.sh" "$KBUILD" "$build/kmod/stock-noevents" \
	2>>"$out/kmod.log" || { cat "$out/kmod.log" >&2; exit 1; }
cp "$build/kmod/stock-noevents/devmap.ko" "$out/devmap-noevents.ko"
gcc -static -O2 -Wall -Wextra -Werror -I"$repo/bench" -o "$out/dmbench_user" \
	"$repo/bench/dmbench_user.c"
"$repo/scripts/vm/initramfs.sh" "$out/initramfs.cpio.gz" "$repo/bench/guest.sh" \
	"$kdir/devmap.ko" "$kdir/dmbench.ko" "$out/dmbench_user" "$out/devmap-noevents.ko"
# The builds above raise the load average by themselves: wait for the
# 1-minute figure to settle under 0.5 (at most 5 minutes), then take the
# one recorded, just before the VM.
waited=0
while awk '{ exit !($1 >= 0.5) }' /proc/loadavg && ((waited < 300)); do
	sleep 10
	waited=$((waited + 10))
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench.sh: waited ${waited}s for the host load to settle; load average $load_before before the VM" >&2
"$repo/scripts/vm/run.sh" --pin --timeout 1200 "$out/initramfs.cpio.gz" "$out/guest.log" \
	>/dev/null 2>"$out/run.log" || { cat "$out/run.log" >&2; exit 1; }
# pinned: a "pin: vCPU i" line for each of the 2 vCPUs and no INVALID one
pinned=1
for i in 0 1; do
	grep -q "^run.sh: pin: vCPU $i " "$out/run.log" || pinned=0
done
grep -q '^run.sh: pin: INVALID' "$out/run.log" && pinned=0
{
	echo "# make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(grep -o 'booting [^ ]*' "$out/run.log" | cut -d' ' -f2)"
	echo "# host: $(uname -m), $(nproc) CPUs,$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2-), load average $load_before before the VM (after waiting ${waited}s for it to settle under 0.5)"
	echo "# $(qemu-system-x86_64 --version | head -n1), TCG, 2 vCPUs, -cpu default (qemu64)"
	grep '^# guest cpu:' "$out/guest.log"
	grep '^run.sh: pin:' "$out/run.log" | sed 's/^run.sh: /# /'
	echo "host_cpus $(nproc)"
	echo "vcpus_pinned $pinned"
	echo "host_load_before ${load_before%% *}"
	# figures; negative, nan and inf ones too, for report.sh to mark invalid
	grep -E '^[a-z_0-9]+( -?([0-9.]+|nan|inf))+$' "$out/guest.log"
	cat "$out/core.txt"
} >"$out/results.txt"
cat "$out/results.txt"
cp "$out/results.txt" "$repo/docs/perf/results.txt"
val() { awk -v k="$1" '$1 == k { print $2 }' "$out/results.txt"; }
printf '%s %s\n' 2 1 8 "$(val mappers_8_ratio)" 64 "$(val mappers_64_ratio)" \
	256 "$(val mappers_256_ratio)" >"$out/mappers.dat"
awk '$1 ~ /^ctx_[0-9]+_us$/ { split($1, k, "_"); print k[2], $2 / 1000, $3 / 1000, $4 / 1000 }' \
	"$out/results.txt" >"$out/ctx.dat"
for sfx in nocopy ownmem; do
	awk -v re="^ctx_[0-9]+_${sfx}_us\$" '$1 ~ re { split($1, k, "_"); print k[2], $2 / 1000, $3 / 1000, $4 / 1000 }' \
		"$out/results.txt" >"$out/ctx_$sfx.dat"
done
for n in 2 4 8 16 64; do
	echo "$n $(val "cont_${n}_ops_devmap") $(val "cont_${n}_ops_hold") $(val "cont_${n}_ops_explicit")" \
		"$(val "cont_${n}_jain_devmap") $(val "cont_${n}_jain_hold") $(val "cont_${n}_jain_explicit")"
done >"$out/cont.dat"
gnuplot <<GP
set terminal pngcairo size 640,400 noenhanced
set output "$repo/docs/perf/mappers.png"
set title "devmap switch cost vs. processes mapping the device (ratio to 2)"
set logscale x 2
set xlabel "processes mapping the device"
set ylabel "switch time / switch time with 2"
set yrange [0:*]
set grid
set offsets graph 0.03, graph 0.03, 0, 0
plot "$out/mappers.dat" with linespoints lw 2 title "measured", 1.2 with lines dt 2 title "target 1.2"
set output "$repo/docs/perf/ctxsize.png"
set title "devmap switch time vs. context size (median, min-max bars)"
set xlabel "context pages (the whole context is written each turn)"
set ylabel "ms per turn (log scale)"
set logscale y
set yrange [*:*]
set key top left
plot "$out/ctx.dat" using 1:2:3:4 with yerrorlines lw 2 title "a driver copying its context", \
	"$out/ctx_nocopy.dat" using 1:2:3:4 with yerrorlines lw 2 title "the same without its copies", \
	"$out/ctx_ownmem.dat" using 1:2:3:4 with yerrorlines lw 2 title "a driver whose contexts have their own memory", \
	4 * $(val ctx_1_us) / 1000 with lines dt 2 title "4 x the copying driver's one-page switch"
set terminal pngcairo size 640,760 noenhanced
set output "$repo/docs/perf/contention.png"
set multiplot layout 2,1
unset logscale y
set yrange [0:*]
set key below
set title "N processes sharing one context: throughput (median of runs)"
set xlabel "processes"
set ylabel "operations / s (all processes)"
plot "$out/cont.dat" using 1:2 with linespoints lw 2 title "devmap, no hold", \
	"" using 1:3 with linespoints lw 2 title "devmap, context hold", \
	"" using 1:4 with linespoints lw 2 title "explicit: shared mutex + revoking ioctl"
set title "fairness: Jain's index of the per-process operations"
set ylabel "Jain's index"
set yrange [0:1.05]
plot "$out/cont.dat" using 1:5 with linespoints lw 2 title "devmap, no hold", \
	"" using 1:6 with linespoints lw 2 title "devmap, context hold", \
	"" using 1:7 with linespoints lw 2 title "explicit", 0.9 with lines dt 2 title "target 0.9"
unset multiplot
GP
"$repo/bench/report.sh" "$out/results.txt" "$repo/docs/performance.md"
echo "plots: docs/perf/{mappers,ctxsize,contention}.png; results: $out/results.txt; report: docs/performance.md"
