/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * hugetest: the interface of the in-guest driver for huge (2 MiB)
 * translations, shared by the driver and huge_user.  The device is
 * HT_PAGES pages of kernel memory, two 2 MiB windows; a mapping of all of
 * it at offset 0 is one device context, switched as in Example 11-3 and
 * loaded whole on every access event (or the range HT_LOAD_RANGE set).
 */
#ifndef _HUGETEST_H
#define _HUGETEST_H

#include "dmtest.h" /* struct dmt_present */

#define HT_PAGE 4096
#define HT_PAGES 1024
#define HT_LEN ((unsigned long)HT_PAGES * HT_PAGE)

#define HT_IOC ('h' << 8)
/* struct dmt_present in/out: DMT_PRESENT_HUGE, DMT_PRESENT_PAGE, 0 */
#define HT_PRESENT (HT_IOC | 1)
#define HT_UNLOAD (HT_IOC | 2) /* the owner unloads its first arg pages */
#define HT_SWITCHES (HT_IOC | 3) /* returns the context switches so far */
/* access events load pages [arg >> 16, + (arg & 0xffff)) instead of all */
#define HT_LOAD_RANGE (HT_IOC | 4)

#endif /* _HUGETEST_H */
