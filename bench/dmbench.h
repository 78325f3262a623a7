/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dmbench: the benchmark driver's interface.  Offset 0 maps the context
 * region (ctx_pages pages, switched on access by devmap_do_ctxmgt);
 * offset DMB_PLAIN_OFF maps one plain page with no access callback, the
 * page of the explicit alternatives.
 */
#ifndef _DMBENCH_H
#define _DMBENCH_H

#define DMB_PAGE 4096
#define DMB_MAXCTX 512
#define DMB_PLAIN_OFF (DMB_MAXCTX * DMB_PAGE)

#define DMB_IOC ('b' << 8)
#define DMB_SET_CTX (DMB_IOC | 1) /* context pages for new mappings */
#define DMB_SWITCH (DMB_IOC | 2) /* explicit save/restore into the plain page */
#define DMB_ZAP (DMB_IOC | 3) /* unload the caller's plain page */
/* DMB_SWITCH, and unload the previous owner's plain page (it refaults) */
#define DMB_SWITCH_REVOKE (DMB_IOC | 4)
#define DMB_SET_HOLD (DMB_IOC | 5) /* context hold, ticks, for new mappings */
#define DMB_SLOTS (DMB_IOC | 6) /* returns the processes with a plain page */
/* how contexts mapped from now on are saved and restored: */
#define DMB_SET_COPY (DMB_IOC | 7)
/* not at all, every context shares the memory (devmap's share of a switch) */
#define DMB_NO_COPY 0
#define DMB_COPY 1 /* copied out and in by the CPU (the default) */
/* every context in its own memory, the device pointed at the owner's */
#define DMB_OWN_MEM 2

#endif /* _DMBENCH_H */
