#!/usr/bin/env bash
# kernel.sh [stock|debug|RELEASE|--list] [BUILD_DIR] -- owns: which kernel
# the VM tests use.  Prints shell-evaluable KVER=, VMLINUZ=, KBUILD= (kbuild
# dir for out-of-tree modules: make -C "$KBUILD" M=<dir> modules).
# Use: eval "$(kernel.sh stock)".
#   --list: every installed Debian kernel (/boot/vmlinuz-RELEASE with
#          /usr/src/linux-headers-RELEASE), one release a line, oldest first.
#   RELEASE: that one (as `uname -r` names it).
#   stock: the newest of them that is not PREEMPT_RT.
#   debug: the tree built by debug-kernel.sh under BUILD_DIR/debug-kernel
#          (BUILD_DIR defaults to $DEVMAP_BUILD_DIR, else <repo>/build).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
flavour=${1:-stock}
build=$(realpath -m "${2:-${DEVMAP_BUILD_DIR:-$here/../../build}}")

installed() {
    find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V |
        while IFS= read -r v; do
            [[ -d /usr/src/linux-headers-$v ]] && echo "$v"
        done
}

case "$flavour" in
--list)
    installed
    exit 0
    ;;
stock)
    kver=$(installed | grep -v -- '-rt-' | tail -n1)
    [[ -n "$kver" ]] || { echo "kernel.sh: no /boot/vmlinuz-* with matching linux-headers; run deps.sh" >&2; exit 2; }
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
*)
    # no grep -q: quitting early would fail the pipe (pipefail)
    if ! installed | grep -xF -- "$flavour" >/dev/null; then
        echo "kernel.sh: kernel $flavour is not installed with its headers; installed: $(installed | tr '\n' ' ')" >&2
        exit 2
    fi
    kver=$flavour
    vmlinuz=/boot/vmlinuz-$kver
    kbuild=/usr/src/linux-headers-$kver
    ;;
esac

printf 'KVER=%q\nVMLINUZ=%q\nKBUILD=%q\n' "$kver" "$vmlinuz" "$kbuild"
