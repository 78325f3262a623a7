/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/debug.h> for drivers on Linux: ASSERT(9F) and VERIFY(9F).
 * A failed assertion panics, as in Solaris.  ASSERT checks only when the
 * driver is built with DEBUG defined; otherwise its expression is not
 * evaluated, but still counts as a use of the variables it names.
 */
#ifndef _SYS_DEBUG_H
#define _SYS_DEBUG_H

#include <linux/compiler.h>
#include <linux/panic.h>

#define VERIFY(EX)                                                             \
	do {                                                                   \
		if (unlikely(!(EX)))                                           \
			panic("assertion failed: %s, file: %s, line: %d", #EX, \
			      __FILE__, __LINE__);                             \
	} while (0)

#ifdef DEBUG
#define ASSERT(EX) VERIFY(EX)
#else
#define ASSERT(EX) ((void)sizeof(!(EX)))
#endif

#endif /* _SYS_DEBUG_H */
