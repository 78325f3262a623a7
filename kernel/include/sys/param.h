/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/param.h> for drivers on Linux: the page-size macros
 * (PAGESIZE, PAGESHIFT, PAGEOFFSET, PAGEMASK, ptob, btop, btopr: see
 * ddi_btop(9F)) and hz, the clock ticks per second (Linux's HZ).
 */
#ifndef _SYS_PARAM_H
#define _SYS_PARAM_H

#include <sys/types.h>

extern const int hz;

#endif /* _SYS_PARAM_H */
