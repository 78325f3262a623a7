#!/usr/bin/env bash
# core_cost.sh BINARY OUTDIR -- owns: instruction counts per core operation.
# Runs BINARY (bench/core_cost.c) under callgrind with N=1000 and N=2000 of
# each operation and prints "core_ir_<op> <instructions per operation>".
set -euo pipefail
bin=${1:?usage: core_cost.sh BINARY OUTDIR} out=${2:?usage: core_cost.sh BINARY OUTDIR}
mkdir -p "$out"
ir() { # OP N -> total instructions
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1.$2" "$bin" "$1" "$2" \
		>/dev/null 2>&1
	awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.$1.$2"
}
for op in fault access switch; do
	a=$(ir "$op" 1000)
	b=$(ir "$op" 2000)
	echo "core_ir_$op $(((b - a) / 1000))"
done
