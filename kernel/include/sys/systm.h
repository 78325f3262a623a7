/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/systm.h> for drivers on Linux: the byte-copy routines
 * bcopy(9F) and bzero(9F) drivers use on kernel memory, over Linux's
 * memcpy and memset.
 */
#ifndef _SYS_SYSTM_H
#define _SYS_SYSTM_H

#include <linux/string.h>

/* bcopy(9F): the areas must not overlap */
static inline void bcopy(const void *from, void *to, size_t bcount)
{
	memcpy(to, from, bcount);
}

static inline void bzero(void *addr, size_t bytes)
{
	memset(addr, 0, bytes);
}

#endif /* _SYS_SYSTM_H */
