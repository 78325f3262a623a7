#!/usr/bin/env bash
# header-check.sh [stock|debug|RELEASE] -- owns: the check that every header
# of the DDI shim (include/sys, include/vm, kernel/include/sys) compiles on
# its own and in any order, as a driver includes them: one tiny .c per
# header (the header alone), all headers in two shuffled orders and in
# reverse, and ASSERT(9F) with and without DEBUG, built with kbuild and
# -Werror and the driver flags (kernel/ddi.mk) against the kernel headers
# of scripts/vm/kernel.sh; that docs/drivers.md's table of the names is
# scripts/ddi-table.sh's; and that the port examples (tests/kernel/port:
# drivers written against the DDI alone) include no Linux header, directly
# or through a project header.  Prints TAP; skips loudly without the kernel headers.
set -uo pipefail
flavour=${1:-stock}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! vars=$("$repo/scripts/vm/kernel.sh" "$flavour" 2>/dev/null); then
	echo "ok 1 # SKIP header check: no kernel headers for $flavour (scripts/vm/deps.sh)"
	echo "1..1"
	exit 0
fi
KBUILD=''
eval "$vars"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mapfile -t headers < <(cd "$repo/include" && ls sys/*.h vm/*.h &&
	cd "$repo/kernel/include" && ls sys/*.h)
objs=()
unit() { # NAME: a compilation unit from stdin (not in a pipeline: sets objs)
	cat >"$dir/$1.c"
	objs+=("$1.o")
}
for h in "${headers[@]}"; do
	unit "alone_$(basename "${h%.h}")" < <(printf '#include <%s>\n' "$h")
done
order() { # NAME: all headers, in the order of stdin
	unit "$1" < <(sed 's/.*/#include <&>/')
}
order order_shuffled1 < <(printf '%s\n' "${headers[@]}" | shuf --random-source=<(yes 1))
order order_shuffled2 < <(printf '%s\n' "${headers[@]}" | shuf --random-source=<(yes 2))
order order_reverse < <(printf '%s\n' "${headers[@]}" | tac)
for debug in 0 1; do
	unit "assert_debug$debug" <<-EOC
		$([ $debug = 1 ] && echo '#define DEBUG')
		#include <sys/debug.h>
		int hc_assert$debug(void);
		int hc_assert$debug(void)
		{
			int only_asserted = 1;

			ASSERT(only_asserted == 1);
			return 0;
		}
	EOC
done
printf '#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >"$dir/license.c"
{
	echo "include $repo/kernel/ddi.mk"
	echo "ccflags-y := -Werror -I$repo/include -I$repo/kernel/include \$(ddi-ccflags)"
	echo "obj-m := hc.o"
	echo "hc-y := license.o ${objs[*]}"
} >"$dir/Kbuild"
make -k -C "$KBUILD" M="$dir" modules >"$dir/log" 2>&1
n=0
for o in "${objs[@]}"; do
	n=$((n + 1))
	u=${o%.o}
	case $u in
	alone_*) what="$(grep -o '<.*>' "$dir/$u.c") compiles alone" ;;
	order_*) what="every header, ${u#order_} order" ;;
	*) what="ASSERT with DEBUG=${u#assert_debug} compiles, no unused-variable warning" ;;
	esac
	if [ -f "$dir/$o" ]; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		grep -A3 "$u\.c" "$dir/log" | head -20 | sed 's/^/# /'
	fi
done
n=$((n + 1))
table=$(sed -n '/^<!-- ddi-table -->$/,/^<!-- \/ddi-table -->$/{/^<!--/d;p}' "$repo/docs/drivers.md")
if [ "$("$repo/scripts/ddi-table.sh")" = "$table" ]; then
	echo "ok $n - docs/drivers.md has the DDI table of these headers (scripts/ddi-table.sh)"
else
	echo "not ok $n - docs/drivers.md's DDI table is not scripts/ddi-table.sh's output"
fi
n=$((n + 1))
ddi_only=()
shopt -s nullglob
for f in "$repo"/tests/kernel/port/*.[ch]; do
	[[ $f == *_user.c ]] || ddi_only+=("$f")
done
shopt -u nullglob
# and, recursively, the project headers they include by name ("x.h", from
# the including file's folder, tests/kernel/port, tests/kernel or drivers:
# the module build puts them side by side), which would bring their Linux
# headers into the driver
nsrc=${#ddi_only[@]}
for ((i = 0; i < ${#ddi_only[@]}; i++)); do
	while read -r inc; do
		for d in "$(dirname "${ddi_only[i]}")" "$repo/tests/kernel/port" "$repo/tests/kernel" "$repo/drivers"; do
			[ -f "$d/$inc" ] || continue
			f=$(realpath "$d/$inc")
			[[ " ${ddi_only[*]} " == *" $f "* ]] || ddi_only+=("$f")
			break
		done
	done < <(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p' "${ddi_only[i]}")
done
linux=$(grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](linux|asm|asm-generic|uapi)/' \
	/dev/null "${ddi_only[@]}")
rc=$?
if [ "$nsrc" -eq 0 ]; then
	echo "not ok $n - no port example source found in tests/kernel/port"
elif [ $rc -eq 0 ]; then
	echo "not ok $n - a port example (tests/kernel/port) or a project header it includes has a Linux header"
	sed 's/^/# /' <<<"${linux//$repo\//}"
elif [ $rc -eq 1 ]; then
	echo "ok $n - no Linux header in the $nsrc sources of the port examples (tests/kernel/port)" \
		"nor in the $((${#ddi_only[@]} - nsrc)) project headers they include"
else
	echo "not ok $n - grep for Linux headers in the port examples failed (exit $rc)"
fi
echo "1..$n"
