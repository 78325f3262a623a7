#!/usr/bin/env bash
# kmod.sh stock|debug BUILD_DIR [MODULE_SOURCE...] -- owns: building
# devmap.ko (kernel/ plus the portable core) and the given extra module
# sources (Solaris-style drivers) against the chosen kernel, out of tree, in
# BUILD_DIR/kmod/<flavour> (sources linked in, objects never in the tree).
# Runs the API probes once per kernel build tree.  Prints the build folder.
set -euo pipefail
flavour=${1:?usage: kmod.sh stock|debug BUILD_DIR [MODULE_SOURCE...]}
build=$(realpath -m "${2:?usage: kmod.sh stock|debug BUILD_DIR}")
shift 2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
eval "$("$repo/scripts/vm/kernel.sh" "$flavour" "$build")"
dir=$build/kmod/$flavour
mkdir -p "$dir/core"
ln -sfn "$repo/include" "$dir/include"
ln -sfn "$repo/kernel/include" "$dir/kernel-include"
for f in "$repo"/kernel/*.c "$repo"/kernel/*.h "$repo"/kernel/Kbuild; do
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
printf 'obj-m += %s\n' "${extra[@]}" >"$dir/Kbuild.extra"
if [ ! -f "$dir/dm_probes.h" ] || [ "$(cat "$dir/probed" 2>/dev/null)" != "$KBUILD" ]; then
	"$repo/kernel/probe.sh" "$KBUILD" "$dir"
	echo "$KBUILD" >"$dir/probed"
fi
make -s -C "$KBUILD" M="$dir" modules >&2
echo "$dir"
