#!/bin/sh
# In-guest script of `make stress` (scripts/stress.sh): load devmap.ko and
# the stress's drivers (dmtest, kmctx, xx, remaptest), run only the randomized stress
# (arguments: /opt/stress.conf), unload.  Prints TAP.
n=0
check() { # CONDITION-EXIT-CODE NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
for m in devmap dmtest kmctx xx remaptest; do
	insmod /opt/$m.ko; check $? "insmod $m.ko"
done
# shellcheck disable=SC2046 # the arguments are words
{ /opt/stress_user -T $((n + 1)) $(cat /opt/stress.conf); echo $? >/tmp/stress.rc; } |
	tee /tmp/stress.tap
n=$((n + $(grep -cE '^(not )?ok ' /tmp/stress.tap)))
[ "$(cat /tmp/stress.rc)" = 0 ]; check $? "stress_user exited 0"
for m in remaptest xx kmctx dmtest devmap; do
	rmmod $m; check $? "rmmod $m"
done
echo "1..$n"
