/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * remaptest: the interface of the in-guest driver for devmap_umem_remap(9F)
 * and devmap_devmem_remap(9F), shared by the driver and remap_user.
 * Offset 0 maps RT_LEN bytes (one 2 MiB window) of kernel memory A, set up
 * with DEVMAP_ALLOW_REMAP; offset RT_FIXED_OFF maps one page of A without
 * it.  Page i of backing A holds RT_FILL_A + i in every byte, of B
 * RT_FILL_B + i (mod 256); no access callback: pages fault in as they are
 * touched.
 */
#ifndef _REMAPTEST_H
#define _REMAPTEST_H

#include "dmtest.h" /* struct dmt_present */

#define RT_PAGE 4096
#define RT_PAGES 512
#define RT_LEN ((unsigned long)RT_PAGES * RT_PAGE)
#define RT_FIXED_OFF RT_LEN
#define RT_FILL_A 0x11
#define RT_FILL_B 0x77

/* the backings of struct rt_remap.to */
enum rt_to {
	RT_TO_A, /* kernel memory A, where a mapping starts */
	RT_TO_B, /* kernel memory B */
	RT_TO_TRASH, /* a DDI_UMEM_TRASH cookie: one zeroed page everywhere */
	RT_TO_INVALID, /* devmap_devmem_remap(DEVMAP_MAPPING_INVALID) */
	RT_TO_SHORT, /* memory one page shorter than the handle: refused */
	RT_TO_B_RO, /* B with maxprot read-only, for a writable mapping */
	RT_TO_COUNT
};

/*
 * Move every handle process @pid mapped at @region (0: offset 0, 1:
 * RT_FIXED_OFF) onto backing @to, each at its own offset.  ioctl returns
 * 0, EIO when devmap refused (DDI_FAILURE: the handle is unchanged),
 * ESRCH when @pid has no such handle, EINVAL for a bad @region or @to.
 */
struct rt_remap {
	int pid;
	int region;
	int to;
};

#define RT_IOC ('r' << 8)
#define RT_REMAP (RT_IOC | 1) /* struct rt_remap in */
/* struct dmt_present in/out: DMT_PRESENT_HUGE, DMT_PRESENT_PAGE, 0 */
#define RT_PRESENT (RT_IOC | 2)
/*
 * The next devmap_unmap(9E) waits (arg) milliseconds before it takes the
 * driver's lock (arg > 0: devmap has split the handle, the driver does not
 * know the survivor yet) or after it let it go (arg < 0: the driver knows
 * the cut, devmap has not made it yet): a window for a remap to race the
 * cut in.  0: no wait.
 */
#define RT_UNMAP_DELAY (RT_IOC | 3)

#endif /* _REMAPTEST_H */
