/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * TAP for the in-guest test programs: ok() and is() print numbered test
 * lines and count failures in ntests and nfailed, skip() numbers a check
 * that cannot run here ("ok N # SKIP why"); a program ends with
 * printf("1..%d\n", ntests) and a nonzero exit status if nfailed.
 */
#ifndef _KTAP_H
#define _KTAP_H

#include <stdio.h>

static int ntests, nfailed;

static inline int ok(int cond, const char *name)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++ntests, name);
	nfailed += !cond;
	fflush(stdout);
	return cond;
}

static inline int is(long got, long want, const char *name)
{
	if (!ok(got == want, name))
		printf("#   got %ld, want %ld\n", got, want);
	return got == want;
}

/* A check this system cannot make: said, numbered, never silent. */
static inline void skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++ntests, why);
	fflush(stdout);
}

#endif /* _KTAP_H */
