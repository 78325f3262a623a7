#!/usr/bin/env bash
# kernel.sh [stock|debug] [BUILD_DIR] -- owns: which kernel the VM tests use.
# Prints shell-evaluable KVER=, VMLINUZ=, KBUILD= (kbuild dir for out-of-tree
# modules: make -C "$KBUILD" M=<dir> modules). Use: eval "$(kernel.sh stock)".
#   stock: newest /boot/vmlinuz-*-amd64 with matching /usr/src/linux-headers-*.
#   debug: the tree built by debug-kernel.sh under BUILD_DIR/debug-kernel
#          (BUILD_DIR defaults to $DEVMAP_BUILD_DIR, else <repo>/build).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
flavour=${1:-stock}
build=$(realpath -m "${2:-${DEVMAP_BUILD_DIR:-$here/../../build}}")

case "$flavour" in
stock)
    kver=
    while IFS= read -r v; do
        [[ -d /usr/src/linux-headers-$v ]] && kver=$v
    done < <(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V)
    [[ -n "$kver" ]] || { echo "kernel.sh: no /boot/vmlinuz-*-amd64 with matching linux-headers; run deps.sh" >&2; exit 2; }
    vmlinuz=/boot/vmlinuz-$kver
    kbuild=/usr/src/linux-headers-$kver
    ;;
debug)
    kbuild=$(find "$build/debug-kernel/" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' 2>/dev/null | sort -V | tail -n1)
    if [[ -z "$kbuild" || ! -f "$build/debug-kernel/stamp" || ! -f "$kbuild/arch/x86/boot/bzImage" ]]; then
        echo "kernel.sh: no debug kernel under $build/debug-kernel; run debug-kernel.sh $build" >&2
        exit 2
    fi
    kbuild=$(cd "$kbuild" && pwd)
    kver=$(cat "$kbuild/include/config/kernel.release")
    vmlinuz=$kbuild/arch/x86/boot/bzImage
    ;;
*) echo "usage: $0 [stock|debug] [BUILD_DIR]" >&2; exit 64 ;;
esac

printf 'KVER=%q\nVMLINUZ=%q\nKBUILD=%q\n' "$kver" "$vmlinuz" "$kbuild"
