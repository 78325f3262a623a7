#!/usr/bin/env bash
# deps.sh [--debug|--kernels|--kernel-images|--dkms] -- owns: the host
# packages the QEMU test harness needs: QEMU, busybox and Debian's default
# kernel with headers; --debug adds the newest kernel source Debian offers
# bookworm (the debug kernel is built from it) and its build tools;
# --kernels every kernel flavour a bookworm user runs (6.1 and 6.12,
# standard and PREEMPT_RT, by Debian's metapackages) with headers;
# --kernel-images prints those image metapackages and exits; --dkms only
# Debian's dkms, for make dkms-install.  Installs missing Debian packages
# when run as root; otherwise prints the apt-get command to run and exits
# 2. Silent when everything is present.
set -euo pipefail

images=(linux-image-amd64 linux-image-rt-amd64 linux-image-6.12-amd64
        linux-image-6.12-rt-amd64)
pkgs=(qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static
      cpio gzip gcc gcc-multilib make)
case "${1:-}" in
    --debug) pkgs+=(linux-source-6.12 bc flex bison libelf-dev libssl-dev dwarves) ;;
    --kernels) for i in "${images[@]}"; do pkgs+=("$i" "${i/image/headers}"); done ;;
    --kernel-images) printf '%s\n' "${images[@]}"; exit 0 ;;
    --dkms) pkgs=(dkms) ;;
    "") ;;
    *) echo "usage: $0 [--debug|--kernels|--kernel-images|--dkms]" >&2; exit 64 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [[ "$st" == installed ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if ((EUID != 0)); then
    echo "deps.sh: missing packages; run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 2
fi

echo "deps.sh: installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists if they were never fetched or are a day old.
if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mtime -1 -print -quit 2>/dev/null)" ]]; then
    apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps.sh: done" >&2
