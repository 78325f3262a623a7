#!/usr/bin/env bash
# bench.sh -- owns: `make bench`.  Measures the kernel host in QEMU
# (bench/dmbench_user.c against bench/dmbench.c) and the core's
# instruction counts under callgrind (bench/core_cost.c), prints every
# figure, writes them to build/bench/results.txt and draws the plots into
# docs/perf/.  Ratios are against baselines measured in the same run.
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
make -C "$repo" -s "$build/libdmsim.a" >/dev/null
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
"$repo/scripts/vm/run.sh" --timeout 900 "$out/initramfs.cpio.gz" "$out/guest.log" \
	>/dev/null 2>"$out/run.log" || { cat "$out/run.log" >&2; exit 1; }
{
	echo "# make bench, $(date -u +%Y-%m-%d), $(uname -m), QEMU TCG 2 vCPUs, kernel $(grep -o 'booting [^ ]*' "$out/run.log" | cut -d' ' -f2)"
	grep -E '^[a-z_0-9]+ [0-9.]+$' "$out/guest.log"
	cat "$out/core.txt"
} >"$out/results.txt"
cat "$out/results.txt"
val() { awk -v k="$1" '$1 == k { print $2 }' "$out/results.txt"; }
printf '%s %s\n' 2 "$(val mappers_2_ratio)" 8 "$(val mappers_8_ratio)" \
	64 "$(val mappers_64_ratio)" 256 "$(val mappers_256_ratio)" >"$out/mappers.dat"
printf '%s %s\n' 1 "$(val ctx_1_per_page_ratio)" 16 "$(val ctx_16_per_page_ratio)" \
	512 "$(val ctx_512_per_page_ratio)" >"$out/ctx.dat"
gnuplot <<GP
set terminal pngcairo size 640,400 noenhanced
set output "$repo/docs/perf/mappers.png"
set title "devmap switch cost vs. processes mapping the device (ratio to 2)"
set logscale x 2
set xlabel "processes mapping the device"
set ylabel "switch time / switch time with 2"
set yrange [0:1.5]
set grid
plot "$out/mappers.dat" with linespoints lw 2 title "measured", 1.2 with lines dt 2 title "target 1.2"
set output "$repo/docs/perf/ctxsize.png"
set title "per-page switch cost vs. context size (ratio to 1 page)"
set xlabel "context pages"
set ylabel "per-page cost / per-page cost of a 1-page context"
plot "$out/ctx.dat" with linespoints lw 2 title "measured", 1 with lines dt 2 title "target 1.0"
GP
echo "plots: docs/perf/mappers.png docs/perf/ctxsize.png; results: $out/results.txt"
