// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Kernel memory for user mappings: ddi_umem_alloc(9F), ddi_umem_free(9F)
 * and the cookie's reference count.  Every handle that maps a cookie holds
 * a reference, so ddi_umem_free() while the memory is still mapped only
 * drops the driver's reference and the memory goes with the last mapping
 * (illumos frees it at once and leaves the mapping dangling).
 *
 * DDI_UMEM_PAGEABLE memory is allocated pinned: no host pages it out.
 * A DDI_UMEM_TRASH cookie has one zeroed page of its own that every page
 * mapped through it shows (Solaris shares one trash page system-wide, so
 * what one process writes there another reads).  Cookies of locked user
 * memory (ddi_umem_lock(9F), umem_lock.c) are counted the same way.
 */
#include "dm_impl.h"

dmh_mutex_t dm_umem_lock;

void dm_cookie_hold(struct ddi_umem_cookie *cp)
{
	dmh_mutex_enter(&dm_umem_lock);
	cp->refcnt++;
	dmh_mutex_exit(&dm_umem_lock);
}

void dm_cookie_rele(struct ddi_umem_cookie *cp)
{
	unsigned int left;

	dmh_mutex_enter(&dm_umem_lock);
	left = --cp->refcnt;
	dmh_mutex_exit(&dm_umem_lock);
	if (left)
		return;
	if (cp->type == DM_UMEM_LOCKED)
		dmh_umem_unpin(cp->pin);
	else
		dmh_umem_free(cp->cvaddr,
			      cp->type == DM_UMEM_TRASH ? PAGESIZE : cp->size);
	dmh_free(cp, sizeof(*cp));
}

/*
 * The driver gives its cookie up (@who: the DDI function it called): true
 * the first time, when its reference is to be dropped; a second time is
 * reported and false.
 */
bool dm_cookie_give_up(struct ddi_umem_cookie *cp, const char *who)
{
	bool twice;

	dmh_mutex_enter(&dm_umem_lock);
	twice = cp->freed;
	cp->freed = true;
	dmh_mutex_exit(&dm_umem_lock);
	if (twice)
		dmh_log(DM_CE_WARN, "%s: cookie freed twice", who);
	return !twice;
}

void dm_cookie_drop(struct ddi_umem_cookie *cp, const char *who)
{
	if (dm_cookie_give_up(cp, who))
		dm_cookie_rele(cp);
}

/**
 * dm_cookie_hold_live() - a reference to a cookie the driver still has
 * @cp: the cookie
 *
 * Return: true with a reference (dm_cookie_put() drops it), false for a
 * cookie already freed or unlocked.
 */
bool dm_cookie_hold_live(struct ddi_umem_cookie *cp)
{
	bool live;

	dmh_mutex_enter(&dm_umem_lock);
	live = !cp->freed;
	cp->refcnt += live;
	dmh_mutex_exit(&dm_umem_lock);
	return live;
}

/**
 * dm_cookie_put() - drop a reference from any context
 * @cp: the cookie
 *
 * Where the caller cannot sleep, the release of locked user memory runs a
 * moment later, where it can (dmh_umem_rele_later).
 */
void dm_cookie_put(struct ddi_umem_cookie *cp)
{
	if (cp->type != DM_UMEM_LOCKED || !dmh_umem_rele_later(cp))
		dm_cookie_rele(cp);
}

/**
 * ddi_umem_alloc() - allocate page-aligned kernel memory for user mappings
 * @size: bytes; rounded up to whole pages
 * @flag: DDI_UMEM_SLEEP or DDI_UMEM_NOSLEEP, with DDI_UMEM_PAGEABLE or
 *	  DDI_UMEM_TRASH
 * @cookiep: receives the cookie for devmap_umem_setup(9F), or NULL
 *
 * The memory is zeroed.  A DDI_UMEM_TRASH cookie gets one zeroed page of
 * its own, whatever @size: every page mapped through it is that page, and
 * the function returns NULL with a valid cookie, as in Solaris.
 *
 * Return: the kernel address, or NULL for size 0, a size that cannot be
 * rounded up to pages, a TRASH cookie, or a DDI_UMEM_NOSLEEP allocation
 * that failed (then *cookiep is NULL).
 */
void *ddi_umem_alloc(size_t size, int flag, ddi_umem_cookie_t *cookiep)
{
	int kmflags = (flag & DDI_UMEM_NOSLEEP) ? DMH_NOSLEEP : DMH_SLEEP;
	struct ddi_umem_cookie *cp;

	if (!cookiep)
		return NULL;
	*cookiep = NULL;
	if (size == 0 || size > DM_LEN_MAX)
		return NULL;
	cp = dmh_zalloc(sizeof(*cp), kmflags);
	if (!cp)
		return NULL;
	cp->size = dm_round_up(size);
	cp->refcnt = 1;
	cp->type = (flag & DDI_UMEM_TRASH) && !(flag & DDI_UMEM_PAGEABLE) ?
			   DM_UMEM_TRASH :
			   DM_UMEM_KMEM;
	cp->cvaddr = dmh_umem_alloc(
		cp->type == DM_UMEM_TRASH ? PAGESIZE : cp->size, kmflags);
	if (!cp->cvaddr) {
		dmh_free(cp, sizeof(*cp));
		return NULL;
	}
	*cookiep = cp;
	return cp->type == DM_UMEM_TRASH ? NULL : cp->cvaddr;
}

/**
 * ddi_umem_free() - free memory from ddi_umem_alloc(9F)
 * @cookie: the cookie; NULL does nothing
 *
 * Memory still mapped by a process stays until its last mapping goes.  A
 * second free of a cookie whose memory is still mapped is reported and
 * ignored.  A cookie of ddi_umem_lock(9F) is given to ddi_umem_unlock(9F),
 * as in Solaris.
 */
void ddi_umem_free(ddi_umem_cookie_t cookie)
{
	struct ddi_umem_cookie *cp = cookie;

	if (!cp)
		return;
	if (cp->type == DM_UMEM_LOCKED)
		ddi_umem_unlock(cp);
	else
		dm_cookie_drop(cp, "ddi_umem_free");
}
