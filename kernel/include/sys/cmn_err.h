/* SPDX-License-Identifier: GPL-2.0-only */
/* Solaris cmn_err(9F) for drivers on Linux: messages to the kernel log. */
#ifndef _SYS_CMN_ERR_H
#define _SYS_CMN_ERR_H

#define CE_CONT 0
#define CE_NOTE 1
#define CE_WARN 2
#define CE_PANIC 3

void cmn_err(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* _SYS_CMN_ERR_H */
