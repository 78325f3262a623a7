#!/usr/bin/env bash
# dkms-check.sh -- owns: the test of the DKMS install (make dkms-check).
# Prints TAP: make dkms-install from this tree builds and installs devmap.ko
# for every kernel with headers (a kernel it does not build on yet is a
# loud SKIP with the end of its build log); the out-of-tree example driver
# (examples/out-of-tree, drivers/xx.c) builds against the installed devmap
# without a warning for each of them; and on one kernel (DKMS_CHECK_KERNEL,
# default the oldest that built) the whole kernel suite passes in QEMU on
# the DKMS-installed devmap.ko (scripts/vm-check.sh, DEVMAP_INSTALLED).  Works in a private folder (mktemp -d); leaves
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
if [ -z "$vk" ]; then
	tap 1 "the DKMS-installed devmap.ko in QEMU: it was not built for any kernel"
else
	# the whole kernel suite, its drivers built against the installed devmap
	rc=0
	DEVMAP_INSTALLED=$src DEVMAP_BUILD_DIR=$tmp "$repo/scripts/vm-check.sh" "$vk" \
		>"$tmp/suite.tap" 2>&1 || rc=$?
	comment <"$tmp/suite.tap"
	tap $rc "$vk: the whole kernel suite passes on the DKMS-installed devmap.ko, its drivers built against $src"
fi
echo "1..$n"
exit $((fails > 0))
