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
/* 0: context switches skip the driver's save/restore copies (to measure
 * devmap's share of a switch); 1: copy (the default) */
#define DMB_SET_COPY (DMB_IOC | 7)

#endif /* _DMBENCH_H */
