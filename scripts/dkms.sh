#!/usr/bin/env bash
# dkms.sh install|remove|kernels|post-build DIR -- owns: devmap installed
# with Debian's DKMS (make dkms-install, make dkms-remove).
#   install  (root) installs the dkms package if missing, copies the sources
#            DKMS needs to /usr/src/devmap-<version> (version: VERSION; the
#            headers and devmap.mk stay there for drivers), registers them
#            with DKMS in place of any devmap registered before, and builds
#            and installs devmap.ko (in /lib/modules/<kernel>/updates/dkms)
#            for every kernel whose headers are installed; DKMS rebuilds it
#            for each kernel installed later.  A kernel it does not build on
#            is named with the end of its build log, and the exit status is 1.
#   remove   (root) every devmap version out of DKMS and /usr/src.
#   kernels  the kernels install builds for (/lib/modules/*/build), a line each.
#   post-build DIR   DKMS's POST_BUILD hook (see dkms.conf.in), run in the
#            DKMS build folder: devmap's Module.symvers into DIR.
set -euo pipefail
usage='usage: dkms.sh install|remove|kernels|post-build DIR'
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(cat "$repo/VERSION")
src=/usr/src/devmap-$version

need_root() { # COMMAND
	((EUID == 0)) || { echo "dkms.sh: make dkms-$1 needs root: sudo make dkms-$1" >&2; exit 2; }
}

kernels() {
	local b
	for b in /lib/modules/*/build; do
		if [[ -d $b/include ]]; then basename "$(dirname "$b")"; fi
	done | sort -V
}

remove_all() {
	local v
	if command -v dkms >/dev/null; then
		for v in $(dkms status -m devmap | sed -n 's|^devmap/\([^,:]*\)[,:].*|\1|p' | sort -u); do
			dkms remove "devmap/$v" --all >/dev/null
			echo "dkms.sh: devmap $v removed from DKMS" >&2
		done
	fi
	rm -rf /usr/src/devmap-*/
}

install_all() {
	local ks k log failed=()
	mapfile -t ks < <(kernels)
	if ((${#ks[@]} == 0)); then
		echo "dkms.sh: no kernel headers are installed; run: apt-get install linux-headers-$(uname -r)" >&2
		exit 2
	fi
	if [[ ! -d /lib/modules/$(uname -r)/build/include ]]; then
		echo "dkms.sh: warning: the running kernel has no headers" \
			"(apt-get install linux-headers-$(uname -r)); building for ${ks[*]}" >&2
	fi
	"$repo/scripts/vm/deps.sh" --dkms
	remove_all
	mkdir -p "$src/scripts"
	cp -r "$repo/include" "$repo/kernel" "$repo/core" "$repo/LICENSES" "$src/"
	cp "$repo/VERSION" "$repo/LICENSE" "$repo/devmap.mk" "$src/"
	cp "$repo/scripts/kmod-build.sh" "$repo/scripts/dkms.sh" "$src/scripts/"
	sed "s/@VERSION@/$version/" "$repo/dkms.conf.in" >"$src/dkms.conf"
	dkms add "devmap/$version" >/dev/null
	echo "dkms.sh: devmap $version added to DKMS from $src" >&2
	log=$(mktemp)
	for k in "${ks[@]}"; do
		if dkms install "devmap/$version" -k "$k" >"$log" 2>&1; then
			echo "dkms.sh: $k: devmap.ko built and installed" >&2
		else
			failed+=("$k")
			echo "dkms.sh: $k: devmap.ko does not build on this kernel; the end of its log:" >&2
			{ tail -n 25 "/var/lib/dkms/devmap/$version/build/make.log" 2>/dev/null ||
				tail -n 25 "$log"; } | sed 's/^/    /' >&2
		fi
	done
	rm -f "$log"
	if ((${#failed[@]})); then
		echo "dkms.sh: devmap.ko is installed for $((${#ks[@]} - ${#failed[@]})) of ${#ks[@]} kernels; not for ${failed[*]}" >&2
		exit 1
	fi
	echo "dkms.sh: devmap.ko is installed for ${ks[*]}; drivers: include $src/devmap.mk" >&2
}

case "${1:-}" in
install) need_root install && install_all ;;
remove) need_root remove && remove_all ;;
kernels) kernels ;;
post-build)
	mkdir -p "${2:?$usage}"
	cp kmod/Module.symvers "$2/"
	;;
*) echo "$usage" >&2; exit 64 ;;
esac
