#!/usr/bin/env bash
# Installs what the userspace build and tests need on Debian: a C compiler
# and clang-format.  As root it installs them; otherwise it says what to run.
set -euo pipefail
need=()
command -v cc >/dev/null || need+=(gcc libc6-dev)
command -v clang-format >/dev/null || need+=(clang-format)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing packages; run: sudo apt-get install -y ${need[*]}" >&2
	exit 2
fi
echo "installing ${need[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
