#!/bin/sh
# In-guest script of scripts/dkms-check.sh (busybox sh): the DKMS-built
# devmap.ko and the xx driver built out of tree against the installed
# devmap load, xx binds the edu card, xx_user passes, both unload.  Each
# line below is a step, COMMAND|TAP NAME, run in order.  Prints TAP.
n=0
while IFS='|' read -r cmd name; do
	n=$((n + 1))
	if sh -c "$cmd" </dev/null; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
done <<'STEPS'
insmod /opt/devmap.ko|insmod the DKMS-built devmap.ko
insmod /opt/xx.ko|insmod xx.ko built out of tree against the installed devmap
test -c /dev/xx0|xx binds to the edu card: /dev/xx0
/opt/xx_user|xx_user exited 0
rmmod xx|rmmod xx
rmmod devmap|rmmod devmap
STEPS
echo "1..$n"
