#!/usr/bin/env bash
# dkms-check.sh -- owns: the test of the DKMS install (make dkms-check).
# Prints TAP: make dkms-install from this tree builds and installs devmap.ko
# for every kernel with headers (a kernel it does not build on yet is a
# loud SKIP with the end of its build log); the out-of-tree example driver
# (examples/out-of-tree, drivers/xx.c) builds against the installed devmap
# without a warning for each of them; and on one kernel (DKMS_CHECK_KERNEL,
# default the oldest that built) the DKMS-installed devmap.ko, that driver
# and xx_user pass in QEMU.  Works in a private folder (mktemp -d); leaves
# devmap in DKMS only if it was there before (then from this tree).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(cat "$repo/VERSION")
src=/usr/src/devmap-$version
n=0 fails=0
tap() { # EXIT-CODE DESCRIPTION [LOG: its end is shown on failure]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
		if [ -n "${3:-}" ]; then tail -n 20 "$3" | comment; fi
	fi
}
skip() { # REASON
	n=$((n + 1))
	echo "ok $n # SKIP $*"
}
comment() { sed 's/^/# /'; }
installed_ko() { # KERNEL: the path of devmap.ko that DKMS installed for it
	local f
	for f in "/lib/modules/$1/updates/dkms/devmap.ko"*; do
		if [ -e "$f" ]; then echo "$f"; fi
	done
}

if ((EUID != 0)); then
	skip "DKMS install test: needs root (it installs into /usr/src and /lib/modules)"
	echo "1..$n"
	exit 0
fi
was_installed=0
if command -v dkms >/dev/null && [ -n "$(dkms status -m devmap)" ]; then was_installed=1; fi
tmp=$(mktemp -d)
# shellcheck disable=SC2317 # the EXIT trap calls it
cleanup() {
	((was_installed)) || "$repo/scripts/dkms.sh" remove 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

"$repo/scripts/dkms.sh" install >"$tmp/install.log" 2>&1 || true
rc=0
grep -q "^dkms.sh: devmap $version added to DKMS" "$tmp/install.log" || rc=$?
tap $rc "make dkms-install: devmap $version added to DKMS from $src" "$tmp/install.log"

built=()
mapfile -t kernels < <("$repo/scripts/dkms.sh" kernels)
for k in "${kernels[@]}"; do
	ko=$(installed_ko "$k")
	if [ -n "$ko" ] && [ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k" ] &&
		grep -q 'devmap_load' "$src/$k/Module.symvers" 2>/dev/null; then
		tap 0 "$k: DKMS built and installed $ko, its Module.symvers in $src/$k"
		built+=("$k")
	else
		skip "$k: devmap.ko does not build on this kernel yet; from make dkms-install:"
		awk -v k="dkms.sh: $k: " 'index($0, k) == 1 { p = 1; next } /^dkms.sh: / { p = 0 } p' \
			"$tmp/install.log" | comment
	fi
done

for k in "${built[@]}"; do
	d=$tmp/out-of-tree-$k
	cp -rL "$repo/examples/out-of-tree" "$d"
	rc=0
	make -C "$d" KVER="$k" >"$d/build.log" 2>&1 && [ -f "$d/xx.ko" ] &&
		! grep -qi 'warning' "$d/build.log" || rc=$?
	tap $rc "$k: examples/out-of-tree builds xx.ko against $src with -Werror, no warnings" \
		"$d/build.log"
done

vk=${DKMS_CHECK_KERNEL:-${built[0]:-}}
if [ -z "$vk" ] || [ ! -f "$tmp/out-of-tree-$vk/xx.ko" ]; then
	tap 1 "the DKMS-installed devmap.ko in QEMU: it was not built${vk:+ for $vk}, or xx.ko was not"
elif ! "$repo/scripts/vm/deps.sh" >&2; then
	skip "the DKMS-installed devmap.ko in QEMU: missing packages (see above)"
else
	vm=$tmp/vm
	mkdir -p "$vm"
	touch "$vm/tap"
	ko=$(installed_ko "$vk")
	case $ko in
	*.xz) xz -dc "$ko" >"$vm/devmap.ko" ;;
	*) cp "$ko" "$vm/devmap.ko" ;;
	esac
	rc=0
	gcc -static -O2 -Wall -Wextra -Werror -I"$repo/drivers" -o "$vm/xx_user" \
		"$repo/tests/kernel/xx_user.c" &&
		"$repo/scripts/vm/initramfs.sh" "$vm/initramfs.cpio.gz" "$repo/tests/kernel/dkms_guest.sh" \
			"$vm/devmap.ko" "$tmp/out-of-tree-$vk/xx.ko" "$vm/xx_user" &&
		"$repo/scripts/vm/run.sh" --kernel "$vk" --timeout 180 "$vm/initramfs.cpio.gz" \
			"$vm/guest.log" >"$vm/tap" 2>&1 || rc=$?
	comment <"$vm/tap"
	tap $rc "$vk: in QEMU the DKMS-installed devmap.ko and the out-of-tree xx.ko load and pass xx_user"
fi
echo "1..$n"
exit $((fails > 0))
