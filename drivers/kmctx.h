/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * kmctx: a kernel-memory device for devmap.  Mapping offset 0 is a page
 * every process shares; offset KM_CTX_OFF is a one-page context each
 * process sees as its own, switched on access.
 */
#ifndef _KMCTX_H
#define _KMCTX_H

#define KM_PAGE 4096
#define KM_SHARED_OFF 0
#define KM_CTX_OFF KM_PAGE
#define KM_SIZE (2 * KM_PAGE)

#define KM_IOC ('k' << 8)
/* context hold for new mappings, ticks: privileged (EPERM) */
#define KM_SET_HOLD (KM_IOC | 1)
#define KM_SWITCHES (KM_IOC | 2) /* unsigned long out: switches so far */

#endif /* _KMCTX_H */
