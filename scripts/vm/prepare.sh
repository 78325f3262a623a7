#!/usr/bin/env bash
# prepare.sh stock|debug|RELEASE -- owns: getting a test kernel ready for a
# VM run (vm-check.sh, stress.sh): the packages it needs (deps.sh), and the
# debug kernel built and cached, or the Debian kernel installed.
# Exit 0: ready; 1: the debug kernel build failed; 2: packages missing;
# 3: no such kernel installed (see kernel.sh --list).  Messages on stderr.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
flavour=${1:?usage: prepare.sh stock|debug|RELEASE}
if [ "$flavour" = debug ]; then
	"$here/deps.sh" --debug || exit 2
	"$here/debug-kernel.sh" || exit 1
else
	"$here/deps.sh" || exit 2
	"$here/kernel.sh" "$flavour" >/dev/null || exit 3
fi
