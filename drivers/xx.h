/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xx: the seed's one-page device context driver on QEMU's edu device.
 * Its interface to programs: the mapped register page (BAR0, 4 KiB) and a
 * few ioctls.  The device context is XX_NCTX registers of the edu card
 * that can be saved and restored faithfully (see docs/drivers.md).
 */
#ifndef _XX_H
#define _XX_H

#define XX_REG_IDENT 0x00 /* 0x010000ed: edu version 1.0 */
#define XX_REG_LIVENESS 0x04 /* reads back the complement of a write */
#define XX_REG_DMA_SRC 0x80
#define XX_REG_DMA_DST 0x88
#define XX_REG_DMA_CNT 0x90
#define XX_NCTX 4
#define XX_IDENT 0x010000ed

#define XX_LOG 64
struct xx_switch {
	int pid; /* the process that got the context */
	unsigned long ticks; /* when (clock ticks) */
};

struct xx_stats {
	unsigned long switches, saves, restores, failures;
	int owner_pid;
	int nlog; /* entries of log[] in use (the last XX_LOG) */
	struct xx_switch log[XX_LOG];
};

#define XX_IOC ('x' << 8)
#define XX_GET_STATS (XX_IOC | 1) /* struct xx_stats out */
#define XX_RESET (XX_IOC | 2)
#define XX_FAIL_RESTORE (XX_IOC | 3) /* the next N restores fail */

#endif /* _XX_H */
