#!/bin/sh
# The benchmarks, inside the VM: load devmap.ko and dmbench.ko, report the
# memory figures and run the timing ratios (key value lines).
insmod /opt/devmap.ko && insmod /opt/dmbench.ko || exit 1
echo "mem_handle_bytes $(cat /sys/module/devmap/parameters/handle_bytes)"
echo "mem_mapping_bytes $(cat /sys/module/devmap/parameters/mapping_bytes)"
if /opt/dmbench_user; then echo "ok 1 - benchmarks ran"; else echo "not ok 1 - benchmarks"; fi
echo "1..1"
