/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Turn-taking between the processes of a ping-pong over a shared page:
 * wait while a word still holds a value, and wake its waiter.  Shared by
 * the in-guest tests and the benchmark program.
 */
#ifndef _FUTEX_TURN_H
#define _FUTEX_TURN_H

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline void futex_wait(volatile int *w, int val)
{
	while (*w == val)
		syscall(SYS_futex, w, FUTEX_WAIT, val, NULL, NULL, 0);
}

static inline void futex_wake(volatile int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

#endif /* _FUTEX_TURN_H */
