/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/time.h> for drivers on Linux: the time units, the timer
 * resolutions of cv_reltimedwait(9F) and the millisecond and clock-tick
 * conversions of MSEC_TO_TICK(9F).  A clock tick is a Linux jiffy.
 */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>
#include <linux/jiffies.h>

#define MILLISEC 1000
#define MICROSEC 1000000
#define NANOSEC 1000000000LL

typedef enum {
	TR_NANOSEC,
	TR_MICROSEC,
	TR_MILLISEC,
	TR_SEC,
	TR_CLOCK_TICK,
	TR_COUNT
} time_res_t;

/* rounding down, as Solaris' (Linux has no rounding-down helper) */
#define MSEC_TO_TICK(msec) ((clock_t)(msec)*HZ / MILLISEC)
#define MSEC_TO_TICK_ROUNDUP(msec) ((clock_t)msecs_to_jiffies(msec))
#define TICK_TO_MSEC(tick) ((clock_t)jiffies_to_msecs(tick))

#endif /* _SYS_TIME_H */
