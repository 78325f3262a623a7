#!/usr/bin/env bash
# vm-check-all.sh -- owns: the kernel suite on every kernel a Debian
# bookworm user runs (the image metapackages of scripts/vm/deps.sh
# --kernel-images: 6.1 and 6.12, standard and PREEMPT_RT), then on the
# debug kernel.  Each suite prints its TAP and one run.sh summary line; a
# flavour whose packages are missing skips loudly.  Exit 1 if any failed.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/vm/deps.sh" --kernels >&2 ||
	echo "# vm-check-all: kernel packages could not be installed; their suites skip" >&2
rc=0
for image in $("$repo/scripts/vm/deps.sh" --kernel-images); do
	if ! release=$("$repo/scripts/vm/kernel.sh" --of "$image" 2>/dev/null); then
		echo "ok 1 # SKIP kernel suite for $image: not installed with its headers"
		echo "1..1"
		continue
	fi
	echo "# === kernel suite on $release ($image)"
	"$repo/scripts/vm-check.sh" "$release" || rc=1
done
echo "# === kernel suite on the debug kernel"
"$repo/scripts/vm-check.sh" debug || rc=1
exit $rc
