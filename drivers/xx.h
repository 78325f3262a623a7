/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xx: the seed's one-page device context driver on QEMU's edu device.
 * Its interface to programs: the mapped register page (BAR0, 4 KiB) and a
 * few ioctls.  The device context is XX_NCTX registers of the edu card
 * that can be saved and restored faithfully, the card's DMA buffer as the
 * process's DMAs (XX_DMA) left it, and the DMA it has in flight (see
 * docs/drivers.md).
 */
#ifndef _XX_H
#define _XX_H

#include "edu.h"

/* the registers of the mapped page that a context holds, and the ident */
#define XX_REG_IDENT EDU_IDENT
#define XX_REG_LIVENESS EDU_LIVENESS
#define XX_REG_DMA_SRC EDU_DMA_SRC
#define XX_REG_DMA_DST EDU_DMA_DST
#define XX_REG_DMA_CNT EDU_DMA_CNT
#define XX_NCTX 4
#define XX_IDENT 0x010000ed

#define XX_LOG 64
struct xx_switch {
	int pid; /* the process that got the context */
	unsigned long ticks; /* when (clock ticks) */
};

struct xx_stats {
	unsigned long switches, saves, restores, failures;
	unsigned long dmas; /* DMAs the driver started, each interrupting */
	unsigned long intrs; /* interrupts the driver claimed */
	unsigned long dma_waits; /* switches that waited for a DMA's end */
	unsigned long buf_saves, buf_restores; /* of the card's DMA buffer */
	int owner_pid;
	int nlog; /* entries of log[] in use (the last XX_LOG) */
	struct xx_switch log[XX_LOG];
};

#define XX_IOC ('x' << 8)
#define XX_GET_STATS (XX_IOC | 1) /* struct xx_stats out */
#define XX_RESET (XX_IOC | 2) /* privileged (EPERM) */
/* the next N restores fail, anyone's: privileged (EPERM) */
#define XX_FAIL_RESTORE (XX_IOC | 3)

/*
 * XX_DMA: a DMA between the card's buffer and the process, in the context
 * the card holds, which must be the caller's (EAGAIN otherwise: an access
 * to the mapping gives the card to the process; then retry).
 */
/* the card's 4 KiB DMA buffer but its last byte, which QEMU's edu (7.2
 * and before) cannot reach: a transfer to it stops the machine */
#define XX_DMA_SIZE 4095
#define XX_DMA_CTXS 4 /* contexts of a process with DMA memory (ENOMEM) */
#define XX_DMA_TO_CARD 1 /* data -> the card's buffer at off */
#define XX_DMA_FROM_CARD 2 /* the card's buffer at off -> data */
#define XX_DMA_ASYNC 0x10 /* TO_CARD only: return with the DMA in flight */
struct xx_dma {
	uint32_t cmd; /* XX_DMA_TO_CARD [| XX_DMA_ASYNC] or _FROM_CARD */
	uint32_t off; /* in the card's buffer */
	uint32_t len; /* bytes, 1 to XX_DMA_SIZE - off */
	uint32_t pad; /* 0 */
	uint64_t data; /* the process's buffer (an address) */
};
#define XX_DMA (XX_IOC | 4) /* struct xx_dma in */

#endif /* _XX_H */
