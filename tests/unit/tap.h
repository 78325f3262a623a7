/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * A minimal TAP producer for the unit tests: ok/is/skip and a closing plan.
 * Each check names the reference checklist row it covers ("row 24: ...").
 */
#ifndef _TAP_H
#define _TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_n, tap_failed;

static inline __attribute__((format(printf, 2, 3))) int ok(int cond,
							   const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is(got, want, ...)                                                    \
	do {                                                                  \
		long long _g = (long long)(got), _w = (long long)(want);      \
		if (!ok(_g == _w, __VA_ARGS__))                               \
			printf("#   got %lld (0x%llx), want %lld (0x%llx)\n", \
			       _g, _g, _w, _w);                               \
	} while (0)

static inline __attribute__((format(printf, 1, 2))) void skip(const char *fmt,
							      ...)
{
	va_list ap;

	printf("ok %d # SKIP ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* _TAP_H */
