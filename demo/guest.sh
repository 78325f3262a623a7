#!/bin/sh
# The demo, inside the VM: load devmap.ko and the xx driver, run the demo.
insmod /opt/devmap.ko && insmod /opt/xx.ko || exit 1
echo
if /opt/xx_demo; then echo "ok 1 - demo"; else echo "not ok 1 - demo"; fi
echo "1..1"
