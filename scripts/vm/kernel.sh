#!/usr/bin/env bash
# kernel.sh [stock|debug|RELEASE|--list|--of PKG|--debug-dir] -- owns: which kernel
# the VM tests use.  Prints shell-evaluable KVER=, VMLINUZ=, KBUILD= (kbuild
# dir for out-of-tree modules: make -C "$KBUILD" M=<dir> modules).
# Use: eval "$(kernel.sh stock)".
#   --list: every installed Debian kernel (/boot/vmlinuz-RELEASE with
#          /usr/src/linux-headers-RELEASE), one release a line, oldest first.
#   RELEASE: that one (as `uname -r` names it).
#   --of PKG: the release a kernel image metapackage (linux-image-amd64...)
#          stands for, if it is installed with its headers; else exit 2.
#   stock: the newest of them that is not PREEMPT_RT.
#   debug: the tree debug-kernel.sh built in the cache, --debug-dir:
#          $DEVMAP_CACHE/debug-kernel (default ~/.cache/devmap), outside
#          any clone, so a fresh clone on the same machine reuses it.
set -euo pipefail

flavour=${1:-stock}
debug_dir=${DEVMAP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devmap}/debug-kernel

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
--debug-dir)
    echo "$debug_dir"
    exit 0
    ;;
--of)
    # the metapackage depends on linux-image-RELEASE (= version)
    dep=$(dpkg-query -W -f='${Depends}' "${2:?usage: kernel.sh --of PKG}" 2>/dev/null || true)
    rel=${dep%%[ ,|]*}
    rel=${rel#linux-image-}
    if [[ -z "$rel" ]] || ! installed | grep -xF -- "$rel" >/dev/null; then
        echo "kernel.sh: $2 is not installed with its headers" >&2
        exit 2
    fi
    echo "$rel"
    exit 0
    ;;
debug)
    kbuild=$(find "$debug_dir/" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' 2>/dev/null | sort -V | tail -n1)
    if [[ -z "$kbuild" || ! -f "$debug_dir/stamp" || ! -f "$kbuild/arch/x86/boot/bzImage" ]]; then
        echo "kernel.sh: no debug kernel under $debug_dir; run debug-kernel.sh" >&2
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
