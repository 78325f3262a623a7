#!/usr/bin/env bash
# kmod.sh stock|debug|RELEASE BUILD_DIR [MODULE_SOURCE...] -- owns: building
# devmap.ko and the given extra module sources (Solaris-style drivers) for
# the VM's kernel (scripts/vm/kernel.sh) in BUILD_DIR/kmod/<flavour>, with
# scripts/kmod-build.sh.  Prints the build folder.
set -euo pipefail
flavour=${1:?usage: kmod.sh stock|debug BUILD_DIR [MODULE_SOURCE...]}
build=$(realpath -m "${2:?usage: kmod.sh stock|debug BUILD_DIR}")
shift 2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
eval "$("$repo/scripts/vm/kernel.sh" "$flavour")"
dir=$build/kmod/$flavour
"$repo/scripts/kmod-build.sh" "$KBUILD" "$dir" "$@"
echo "$dir"
