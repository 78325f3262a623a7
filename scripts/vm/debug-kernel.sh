#!/usr/bin/env bash
# debug-kernel.sh -- owns: the cached debug test kernel.
# Builds Debian's linux-source (newest /usr/src/linux-source-*.tar.xz) as
# tinyconfig + scripts/vm/debug.config into the cache (kernel.sh
# --debug-dir, outside the clone)/linux-source-*, removing older trees,
# then bzImage, modules (for Module.symvers) and modules_prepare so that
# out-of-tree modules build with `make -C <tree> M=<dir> modules`.
# Cached: rebuilds only when the bzImage is missing or the stamp (hash of
# debug.config and the tarball identity) differs. Use kernel.sh debug to locate it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fragment=$here/debug.config

(($# == 0)) || { echo "usage: $0" >&2; exit 64; }
out=$("$here/kernel.sh" --debug-dir)
mkdir -p "$out"

log() { printf '[debug-kernel %s] %s\n' "$(date +%T)" "$*" >&2; }

tarball=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' -print | sort -V | tail -n1)
[[ -n "$tarball" ]] || { echo "debug-kernel.sh: no /usr/src/linux-source-*.tar.xz; run deps.sh --debug" >&2; exit 2; }
srcname=$(basename "$tarball" .tar.xz)        # linux-source-6.1
tree=$out/$srcname
stamp=$out/stamp

want=$( { sha256sum <"$fragment"; stat -c "%n %s %Y" "$tarball"; } | sha256sum | cut -d" " -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$tree/arch/x86/boot/bzImage" ]]; then
    log "up to date: $tree ($(cat "$tree/include/config/kernel.release"))"
    exit 0
fi
rm -f "$stamp"

mkdir -p "$out"
if [[ ! -f "$tree/Makefile" || "$(cat "$out/tarball" 2>/dev/null)" != "$(stat -c '%n %s %Y' "$tarball")" ]]; then
    find "$out" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' -exec rm -rf {} +
    log "extracting $tarball"
    rm -rf "$tree"
    tar -C "$out" -xf "$tarball"
    stat -c '%n %s %Y' "$tarball" >"$out/tarball"
fi

jobs=$(nproc)
cd "$tree"
log "configuring: tinyconfig + $(basename "$fragment")"
make -s tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null
make -s olddefconfig >/dev/null

# Report fragment options that Kconfig dropped (unmet dependencies).
dropped=0
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=n) opt=${line%%=*}; ok=$(grep -qxE "$opt=.*" .config && echo no || echo yes) ;;
        CONFIG_*=*) opt=${line%%=*}; ok=$(grep -qxF "$line" .config && echo yes || echo no) ;;
        *) continue ;;
    esac
    if [[ "$ok" != yes ]]; then
        log "WARNING: $line from debug.config not in final .config (got: $(grep -E "^$opt=|^# $opt " .config || echo unset))"
        dropped=1
    fi
done <"$fragment"
((dropped == 0)) || log "some fragment options were dropped; fix debug.config"

log "building bzImage with -j$jobs (about 4 min on 2 cores)"
make -s -j"$jobs" bzImage
log "building modules (Module.symvers) and modules_prepare"
make -s -j"$jobs" modules
make -s modules_prepare
echo "$want" >"$stamp"
log "done: $tree/arch/x86/boot/bzImage ($(cat include/config/kernel.release))"
