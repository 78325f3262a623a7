// SPDX-License-Identifier: GPL-2.0-only
/*
 * I/O requests on locked user memory: ddi_umem_iosetup(9F) makes a
 * buf(9S) over pages of a ddi_umem_lock(9F) cookie (B_SHADOW: b_shadow is
 * the cookie's page array from the buf's first page on, for
 * ddi_dma_buf_bind_handle(9F)), and biodone(9F), biowait(9F),
 * geterror(9F) and freerbuf(9F) end, wait for and free it.  biodone()
 * wakes biowait() through a completion in the buf.
 */
#include <linux/completion.h>
#include <linux/slab.h>
#include <sys/buf.h>
#include "ddi_impl.h"
#include "dm_linux.h"

/**
 * ddi_umem_iosetup() - a buf(9S) for I/O to memory of ddi_umem_lock(9F)
 * @cookie: the cookie of ddi_umem_lock, not yet unlocked; the buf holds
 *	    it, so its pages stay pinned until freerbuf(9F) even when
 *	    ddi_umem_unlock(9F) comes first
 * @off: byte offset in the locked memory
 * @len: bytes, nonzero; @off + @len within the locked memory
 * @direction: B_READ (the device writes the memory; it must be locked with
 *	       DDI_UMEMLOCK_WRITE) or B_WRITE (the device reads it)
 * @dev: the device, b_edev
 * @blkno: the block on the device, b_blkno
 * @iodone: the routine biodone(9F) calls instead of waking biowait(9F),
 *	    or NULL
 * @sleepflag: DDI_UMEM_SLEEP or DDI_UMEM_NOSLEEP
 *
 * Return: the buf, B_BUSY | B_PHYS | B_SHADOW and @direction, with
 * b_un.b_addr the user address of @off; NULL for a cookie not of
 * ddi_umem_lock or one already unlocked, a bad range or direction, B_READ
 * on memory locked only for reading, or no memory (DDI_UMEM_NOSLEEP).
 * freerbuf(9F) frees it.
 */
struct buf *ddi_umem_iosetup(ddi_umem_cookie_t cookie, off_t off, size_t len,
			     int direction, dev_t dev, daddr_t blkno,
			     int (*iodone)(struct buf *bp), int sleepflag)
{
	struct ddi_umem_cookie *cp = cookie;
	struct dm_pin *pin;
	struct buf *bp;

	if (!cp || cp->type != DM_UMEM_LOCKED || off < 0 || !len ||
	    (size_t)off > cp->size || len > cp->size - (size_t)off ||
	    (direction != B_READ && direction != B_WRITE))
		return NULL;
	pin = cp->pin;
	if (direction == B_READ && !pin->write)
		return NULL;
	bp = kzalloc(sizeof(*bp), sleepflag & DDI_UMEM_NOSLEEP ?
					  GFP_NOWAIT | __GFP_NOWARN :
					  GFP_KERNEL);
	if (!bp)
		return NULL;
	/* the pages stay pinned while the buf lives, unlocked or not */
	if (!dm_cookie_hold_live(cp)) {
		kfree(bp);
		return NULL;
	}
	bp->b_dm_cookie = cp;
	bp->b_flags = B_BUSY | B_PHYS | B_SHADOW | direction;
	bp->b_bcount = len;
	bp->b_un.b_addr = (caddr_t)cp->cvaddr + off;
	bp->b_shadow = pin->pages + (off >> PAGE_SHIFT);
	bp->b_edev = dev;
	bp->b_blkno = blkno;
	bp->b_iodone = iodone;
	init_completion(&bp->b_dm_done);
	return bp;
}
EXPORT_SYMBOL_GPL(ddi_umem_iosetup);

/**
 * biodone() - a transfer of a buf ended
 * @bp: the buf
 *
 * Sets B_DONE; then calls b_iodone if the buf has one (once: b_iodone is
 * cleared first), or wakes biowait(9F).  Callable from interrupt context.
 */
void biodone(struct buf *bp)
{
	int (*iodone)(struct buf * bp) = bp->b_iodone;

	bp->b_flags |= B_DONE;
	if (iodone) {
		bp->b_iodone = NULL;
		(void)iodone(bp);
		return;
	}
	complete(&bp->b_dm_done);
}
EXPORT_SYMBOL_GPL(biodone);

/**
 * biowait() - wait for biodone(9F) on a buf
 * @bp: the buf
 *
 * Waits, not interruptibly, as Solaris does.
 *
 * Return: geterror(9F) of the buf.
 */
int biowait(struct buf *bp)
{
	wait_for_completion(&bp->b_dm_done);
	return geterror(bp);
}
EXPORT_SYMBOL_GPL(biowait);

/**
 * geterror() - the error of a buf
 * @bp: the buf
 *
 * Return: 0 without B_ERROR; with it, b_error, or EIO when that is 0.
 */
int geterror(struct buf *bp)
{
	if (!(bp->b_flags & B_ERROR))
		return 0;
	return bp->b_error ? bp->b_error : EIO;
}
EXPORT_SYMBOL_GPL(geterror);

/**
 * freerbuf() - free a buf of ddi_umem_iosetup(9F)
 * @bp: the buf, no longer bound (ddi_dma_unbind_handle(9F)) nor in I/O
 *
 * Callable from interrupt context, and with preemption off, except on
 * PREEMPT_RT, where kfree() may not run there.  The memory stays locked
 * until ddi_umem_unlock(9F) and the last buf over it are done.
 */
void freerbuf(struct buf *bp)
{
	if (bp->b_dm_cookie)
		dm_cookie_put(bp->b_dm_cookie);
	kfree(bp);
}
EXPORT_SYMBOL_GPL(freerbuf);
