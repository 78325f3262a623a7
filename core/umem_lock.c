// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Locked user memory: ddi_umem_lock(9F) and ddi_umem_unlock(9F).  The core
 * checks the arguments and owns the cookie, counted as those of
 * ddi_umem_alloc(9F) are (umem.c): every handle mapping it through
 * devmap_umem_setup(9F) holds a reference, so pages the driver unlocked
 * stay locked until their last mapping goes.  The host pins the pages,
 * charges them to the process, tells their page frames and releases them
 * (dmh_umem_pin, dmh_umem_page, dmh_umem_unpin), and runs the release of
 * an unlock called where nothing may sleep later (dmh_umem_rele_later).
 */
#include "dm_impl.h"

#define DM_UMEMLOCK_FLAGS (DDI_UMEMLOCK_READ | DDI_UMEMLOCK_WRITE)

/**
 * ddi_umem_lock() - lock pages of the calling process in memory
 * @addr: user address, page aligned
 * @len: bytes, a nonzero multiple of the page size
 * @flags: DDI_UMEMLOCK_READ, DDI_UMEMLOCK_WRITE or both: the device reads
 *	   the memory, writes it, or both
 * @cookiep: receives the cookie, for ddi_umem_iosetup(9F),
 *	     devmap_umem_setup(9F) and ddi_umem_unlock(9F)
 *
 * Return: 0, or EINVAL (flags, alignment, length 0, a range that wraps),
 * EFAULT (a range not wholly mapped, or not writable with
 * DDI_UMEMLOCK_WRITE), ENOMEM (over the process's locked-memory limit,
 * longer than DM_MAP_MAX, or no memory); then *cookiep is NULL.
 */
int ddi_umem_lock(caddr_t addr, size_t len, int flags,
		  ddi_umem_cookie_t *cookiep)
{
	uintptr_t a = (uintptr_t)addr;
	struct ddi_umem_cookie *cp;
	int err;

	if (!cookiep)
		return EINVAL;
	*cookiep = NULL;
	if (!(flags & DM_UMEMLOCK_FLAGS) || (flags & ~DM_UMEMLOCK_FLAGS) ||
	    len == 0 || ((a | len) & PAGEOFFSET) || a + len < a)
		return EINVAL;
	if (len > DM_MAP_MAX)
		return ENOMEM;
	cp = dmh_zalloc(sizeof(*cp), DMH_SLEEP);
	if (!cp)
		return ENOMEM;
	err = dmh_umem_pin(addr, len, flags & DDI_UMEMLOCK_WRITE, &cp->pin);
	if (err) {
		dmh_free(cp, sizeof(*cp));
		return err;
	}
	cp->cvaddr = addr;
	cp->size = len;
	cp->type = DM_UMEM_LOCKED;
	cp->lockflags = flags;
	cp->refcnt = 1;
	*cookiep = cp;
	return 0;
}

/**
 * ddi_umem_unlock() - unlock memory of ddi_umem_lock(9F)
 * @cookie: its cookie
 *
 * May be called from any context: where the caller cannot sleep the
 * unlock happens a moment later.  Pages still mapped through
 * devmap_umem_setup(9F) stay locked until their last mapping goes.  A
 * cookie that is not of ddi_umem_lock, and a second unlock, are reported
 * and ignored.
 */
void ddi_umem_unlock(ddi_umem_cookie_t cookie)
{
	struct ddi_umem_cookie *cp = cookie;

	if (!cp || cp->type != DM_UMEM_LOCKED) {
		dmh_log(DM_CE_WARN, "ddi_umem_unlock: not a locked cookie");
		return;
	}
	if (dm_cookie_give_up(cp, "ddi_umem_unlock"))
		dm_cookie_put(cp);
}

/*
 * The protections a handle of @cp may have: memory locked only for the
 * device to read may be a page the process shares (copy-on-write, the
 * zero page) and is never mapped writable.
 */
uint_t dm_cookie_maxprot(const struct ddi_umem_cookie *cp, uint_t maxprot)
{
	if (cp->type == DM_UMEM_LOCKED && !(cp->lockflags & DDI_UMEMLOCK_WRITE))
		return maxprot & ~(uint_t)PROT_WRITE;
	return maxprot;
}
