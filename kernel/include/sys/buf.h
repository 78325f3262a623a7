/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/buf.h> for drivers on Linux: the I/O request buf(9S), as
 * ddi_umem_iosetup(9F) makes it for memory locked by ddi_umem_lock(9F),
 * its B_* flags with Solaris' values, and biodone(9F), biowait(9F),
 * geterror(9F) and freerbuf(9F).  ddi_dma_buf_bind_handle(9F), which maps
 * a buf for the device, is in <sys/ddi.h>.  Only the members a driver
 * reads or sets are here; the last ones belong to devmap.
 */
#ifndef _SYS_BUF_H
#define _SYS_BUF_H

#include <linux/completion.h>
#include <sys/types.h>
#include <sys/ddidevmap.h>

#define B_BUSY 0x0001 /* in use (always, for a buf of ddi_umem_iosetup) */
#define B_DONE 0x0002 /* biodone() was called */
#define B_ERROR 0x0004 /* the transfer failed: b_error says why */
#define B_PAGEIO 0x0010 /* the memory is given by pages */
#define B_PHYS 0x0020 /* the memory is a process's */
#define B_READ 0x0040 /* from the device to memory */
#define B_WRITE 0x0100 /* from memory to the device (no bit set) */
#define B_SHADOW 0x200000 /* b_shadow lists the memory's pages */

typedef struct buf {
	int b_flags;
	size_t b_bcount; /* bytes to transfer */
	union {
		caddr_t b_addr; /* the memory's (user) address */
	} b_un;
	daddr_t b_blkno; /* block number on the device */
	size_t b_resid; /* bytes not transferred, set by the driver */
	int b_error; /* errno of a failed transfer, with B_ERROR */
	dev_t b_edev; /* the device */
	int (*b_iodone)(struct buf *bp); /* biodone() calls it instead */
	void *b_private; /* the driver's */
	/* B_SHADOW: the page of b_un.b_addr, then the next ones */
	struct page **b_shadow;
	struct completion b_dm_done; /* devmap: biodone() wakes biowait() */
	/* devmap: the cookie of ddi_umem_iosetup(), held until freerbuf() */
	struct ddi_umem_cookie *b_dm_cookie;
} buf_t;

struct buf *ddi_umem_iosetup(ddi_umem_cookie_t cookie, off_t off, size_t len,
			     int direction, dev_t dev, daddr_t blkno,
			     int (*iodone)(struct buf *bp), int sleepflag);
void biodone(struct buf *bp);
int biowait(struct buf *bp);
int geterror(struct buf *bp);
void freerbuf(struct buf *bp);

#endif /* _SYS_BUF_H */
