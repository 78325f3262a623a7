#!/usr/bin/env bash
# kmod-build.sh KBUILD OUTDIR [MODULE_SOURCE...] -- owns: building devmap.ko
# (kernel/ plus the portable core) and the given extra module sources
# (Solaris-style drivers) against the kernel build tree KBUILD, out of tree,
# in OUTDIR (sources linked in, objects never in the source tree).  Runs the
# API probes (kernel/probe.sh) once per kernel build tree, its configuration
# and probe set.
# Called by scripts/kmod.sh (the VM kernels) and by dkms.conf (DKMS).
set -euo pipefail
usage='usage: kmod-build.sh KBUILD OUTDIR [MODULE_SOURCE...]'
kbuild=${1:?$usage}
dir=$(realpath -m "${2:?$usage}")
shift 2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$dir/core"
ln -sfn "$repo/include" "$dir/include"
ln -sfn "$repo/kernel/include" "$dir/kernel-include"
for f in "$repo"/kernel/*.c "$repo"/kernel/*.h "$repo"/kernel/*.mk "$repo"/kernel/Kbuild; do
	ln -sf "$f" "$dir/"
done
for f in "$repo"/core/*.c "$repo"/core/*.h; do ln -sf "$f" "$dir/core/"; done
extra=()
for src in "$@"; do
	ln -sf "$(realpath "$src")" "$dir/"
	for h in "$(dirname "$(realpath "$src")")"/*.h; do
		[ -e "$h" ] && ln -sf "$h" "$dir/"
	done
	extra+=("$(basename "${src%.c}").o")
done
for o in "${extra[@]}"; do
	# shellcheck disable=SC2016 # $(ddi-ccflags) is for make
	printf 'obj-m += %s\nCFLAGS_%s += $(ddi-ccflags)\n' "$o" "$o"
done >"$dir/Kbuild.extra"
# again when the kernel, its configuration (a tree rebuilt in place: the
# debug kernel) or the probes change
autoconf=$kbuild/include/generated/autoconf.h
[ -f "$autoconf" ] || { echo "kmod-build.sh: no $autoconf: not a configured kernel build tree" >&2; exit 1; }
probed="$kbuild $(sha256sum <"$autoconf") $(sha256sum <"$repo/kernel/probe.sh")"
if [ ! -f "$dir/dm_probes.h" ] || [ "$(cat "$dir/probed" 2>/dev/null)" != "$probed" ]; then
	"$repo/kernel/probe.sh" "$kbuild" "$dir"
	echo "$probed" >"$dir/probed"
fi
make -s -C "$kbuild" M="$dir" modules >&2
