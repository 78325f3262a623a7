#!/bin/sh
# In-guest test script (busybox sh): load devmap.ko and the dmtest driver,
# run the test programs, then check that a mapped driver cannot be removed
# and that everything unloads cleanly.  Prints TAP.
n=0
check() { # CONDITION-EXIT-CODE NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
	return "$1"
}
[ "$(nproc)" -ge 2 ]; check $? "the guest runs on several CPUs ($(nproc))"
insmod /opt/devmap.ko; check $? "insmod devmap.ko"
# The general DDI on the edu card, before xx takes the card.
insmod /opt/dditest.ko; check $? "insmod dditest.ko (no Linux header in it)"
/opt/dditest_user; check $? "dditest_user exited 0"
rmmod dditest; check $? "rmmod dditest (the card is free for memexp)"
# The port examples (tests/kernel/port): memexp on the edu card, then lockpg.
insmod /opt/memexp.ko; check $? "insmod memexp.ko (a port: no Linux header in it)"
/opt/memexp_user; check $? "memexp_user exited 0"
rmmod memexp; check $? "rmmod memexp (the card is free for xx)"
insmod /opt/lockpg.ko; check $? "insmod lockpg.ko (a port: no Linux header in it)"
/opt/lockpg_user; check $? "lockpg_user exited 0"
rmmod lockpg; check $? "rmmod lockpg"
insmod /opt/dmtest.ko; check $? "insmod dmtest.ko (a Solaris-style driver)"
[ -c /dev/dmtest0 ]; check $? "its minor node appears as /dev/dmtest0"
/opt/dmtest_user; check $? "dmtest_user exited 0"
/opt/dmtest_user32 model; check $? "dmtest_user32 (a 32-bit process) exited 0"
/opt/attack_user; check $? "attack_user (the one-owner promise under attack) exited 0"
insmod /opt/hugetest.ko; check $? "insmod hugetest.ko (a 4 MiB context)"
/opt/huge_user; check $? "huge_user (huge translations, and the promise with them) exited 0"
rmmod hugetest; check $? "rmmod hugetest"
insmod /opt/remaptest.ko; check $? "insmod remaptest.ko"
/opt/remap_user; check $? "remap_user (devmap_umem_remap and devmap_devmem_remap: no translation survives) exited 0"
rmmod remaptest; check $? "rmmod remaptest"
/opt/dmtest_user hold >/tmp/hold &
holder=$!
i=0
while ! grep -q holding /tmp/hold 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
rmmod dmtest 2>/dev/null
[ $? -ne 0 ]; check $? "rmmod refused while a process maps the device"
kill $holder
wait $holder 2>/dev/null
rmmod dmtest; check $? "rmmod dmtest once the mapping is gone" || ps
insmod /opt/xx.ko; check $? "insmod xx.ko (Example 11-3 on the edu card)"
[ -c /dev/xx0 ]; check $? "xx binds to the edu card: /dev/xx0"
/opt/xx_user; check $? "xx_user exited 0"
for m in kmctx mregion mdlegacy; do
	insmod /opt/$m.ko; check $? "insmod $m.ko"
done
/opt/drivers_user; check $? "drivers_user exited 0"
# Hot removal of the mapped edu card, by PCI remove and by driver unbind.
wait_for() { # PATH: up to 10 s
	i=0
	while [ ! -e "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}
bdf=$(basename "$(readlink -f /sys/class/devmap/xx0/device)")
for how in remove unbind; do
	rm -f /tmp/ready /tmp/go
	/opt/unplug_user /tmp/ready /tmp/go &
	up=$!
	wait_for /tmp/ready; check $? "unplug ($how): a process maps the edu card"
	if [ $how = remove ]; then
		echo 1 >/sys/bus/pci/devices/$bdf/remove
	else
		echo $bdf >/sys/bus/pci/drivers/xx/unbind
	fi
	check $? "unplug ($how): the card goes while mapped"
	[ ! -e /dev/xx0 ]; check $? "unplug ($how): its node goes at once"
	touch /tmp/go
	wait $up; check $? "unplug ($how): unplug_user exited 0"
	if [ $how = remove ]; then
		echo 1 >/sys/bus/pci/rescan
	else
		echo $bdf >/sys/bus/pci/drivers/xx/bind
	fi
	wait_for /dev/xx0; check $? "unplug ($how): the card comes back as /dev/xx0"
	/opt/unplug_user; check $? "unplug ($how): the new instance maps and works"
done
# What devmap shows: tracepoints (tracefs), the counter file (debugfs) and
# devmapstat, on a fresh dmtest instance (trace_user.c says what each checks).
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
insmod /opt/dmtest.ko; check $? "insmod dmtest.ko for the diagnostics"
for t in counters trace hold rates owner switches denied; do
	/opt/trace_user $t; check $? "trace_user $t"
done
rmmod dmtest; check $? "rmmod dmtest after the diagnostics"
# The randomized stress on dmtest, kmctx, xx and remaptest (arguments:
# /opt/stress.conf).  remaptest is loaded afresh: its trash page unwritten.
insmod /opt/dmtest.ko; check $? "insmod dmtest.ko again for the stress"
insmod /opt/remaptest.ko; check $? "insmod remaptest.ko again for the stress"
# shellcheck disable=SC2046 # the arguments are words
{ /opt/stress_user -T $((n + 1)) $(cat /opt/stress.conf 2>/dev/null); echo $? >/tmp/stress.rc; } |
	tee /tmp/stress.tap
n=$((n + $(grep -cE '^(not )?ok ' /tmp/stress.tap)))
[ "$(cat /tmp/stress.rc)" = 0 ]; check $? "stress_user exited 0"
rmmod dmtest; check $? "rmmod dmtest after the stress"
rmmod remaptest; check $? "rmmod remaptest after the stress"
for m in xx kmctx mregion mdlegacy; do
	rmmod $m; check $? "rmmod $m"
done
# Allocation-failure injection (debug kernel; SKIP elsewhere).  It loads
# and unloads dmtest, mregion and xx itself: none may be loaded here.
/opt/failnth_user; check $? "failnth_user (allocation-failure injection) exited 0"
rmmod devmap; check $? "rmmod devmap"
/opt/devmapstat 1 1 2>/tmp/dms
[ $? -eq 2 ] && grep -q "devmap is not loaded" /tmp/dms
check $? "devmapstat without devmap.ko: exit 2, devmap is not loaded"
[ ! -e /dev/dmtest0 ]; check $? "the minor node is gone"
# The per-driver mapping limit, lowered to 4 for the test.
insmod /opt/devmap.ko max_mappings=4; check $? "insmod devmap.ko max_mappings=4"
/opt/devmapstat 1 1 2>/tmp/dms
[ $? -eq 3 ] && grep -q "no devmap device instances" /tmp/dms
check $? "devmapstat with no device: exit 3, no devmap device instances"
insmod /opt/dmtest.ko; check $? "insmod dmtest.ko under the limit"
/opt/attack_user exhaust 4; check $? "attack_user exhaust 4 exited 0"
rmmod dmtest && rmmod devmap; check $? "rmmod dmtest and devmap after the limit test"
echo "1..$n"
