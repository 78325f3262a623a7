#!/bin/sh
# The benchmarks, inside the VM: load devmap.ko and dmbench.ko, report the
# CPU QEMU presents and the memory figures and run the timing ratios (key
# value lines); then the cost of the events on the switch path (events_*;
# see docs/performance.md).
insmod /opt/devmap.ko && insmod /opt/dmbench.ko || exit 1
echo "# guest cpu:$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2-)"
echo "mem_handle_bytes $(cat /sys/module/devmap/parameters/handle_bytes)"
echo "mem_mapping_bytes $(cat /sys/module/devmap/parameters/mapping_bytes)"
if /opt/dmbench_user; then echo "ok 1 - benchmarks ran"; else echo "not ok 1 - benchmarks"; fi
rmmod dmbench && rmmod devmap || exit 1
# Event overhead, 7 interleaved rounds of three configurations (after a
# warm-up run): devmap.ko built without the event calls (DM_NO_EVENTS,
# devmap-noevents.ko), the normal devmap.ko with the tracepoints off, and
# with every devmap tracepoint on.
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
ev=/sys/kernel/tracing/events/devmap/enable
switch_us() { # DEVMAP_KO TRACING(0|1)
	insmod "$1" && insmod /opt/dmbench.ko || return 1
	[ "$2" = 0 ] || echo 1 >$ev
	/opt/dmbench_user switch | awk '{ print $2 }'
	[ "$2" = 0 ] || echo 0 >$ev
	rmmod dmbench && rmmod devmap
}
switch_us /opt/devmap.ko 0 >/dev/null || exit 1
: >/tmp/none; : >/tmp/off; : >/tmp/on
for _ in 1 2 3 4 5 6 7; do
	switch_us /opt/devmap-noevents.ko 0 >>/tmp/none &&
		switch_us /opt/devmap.ko 0 >>/tmp/off &&
		switch_us /opt/devmap.ko 1 >>/tmp/on || exit 1
done
# the median of the 7 runs in FILE, and their spread: the range of the
# middle five over the median
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.2f %.3f\n", v[4], (v[6] - v[2]) / v[4] }'; }
# shellcheck disable=SC2046 # the words are wanted
set -- $(stats /tmp/none) $(stats /tmp/off) $(stats /tmp/on)
echo "events_switch_us_noevents $1"
echo "events_switch_us_off $3"
echo "events_switch_us_on $5"
echo "events_spread_noevents $2"
echo "events_spread_off $4"
echo "events_spread_on $6"
echo "events_ratio_off_vs_noevents $(echo "$3 $1" | awk '{ printf "%.3f", $1 / $2 }')"
echo "events_ratio_on_vs_noevents $(echo "$5 $1" | awk '{ printf "%.3f", $1 / $2 }')"
echo "# events runs (us): none $(tr '\n' ' ' </tmp/none)| off $(tr '\n' ' ' </tmp/off)| on $(tr '\n' ' ' </tmp/on)"
echo "ok 2 - event overhead measured"
echo "1..2"
