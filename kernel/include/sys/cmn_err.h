/* SPDX-License-Identifier: GPL-2.0-only */
/* Solaris cmn_err(9F) for drivers on Linux: messages to the kernel log. */
#ifndef _SYS_CMN_ERR_H
#define _SYS_CMN_ERR_H

#define CE_CONT 0
#define CE_NOTE 1
#define CE_WARN 2
#define CE_PANIC 3

#include <linux/ratelimit.h>

void cmn_err(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dm_cmn_err(struct ratelimit_state *rs, const char *func, int level,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Each call of cmn_err() in a driver has a rate limit of its own for
 * CE_NOTE and CE_WARN (the kernel's default: 10 lines in 5 s, then a
 * count of what was left out, named by the calling function), as
 * printk_ratelimited() has: a message a user can make the driver log
 * again and again cannot flood the log.
 * CE_CONT and CE_PANIC always go out.
 */
#define cmn_err(level, ...)                                               \
	do {                                                              \
		static DEFINE_RATELIMIT_STATE(dm_cmn_err_rs,              \
					      DEFAULT_RATELIMIT_INTERVAL, \
					      DEFAULT_RATELIMIT_BURST);   \
		dm_cmn_err(&dm_cmn_err_rs, __func__, level, __VA_ARGS__); \
	} while (0)

#endif /* _SYS_CMN_ERR_H */
