// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Life of a mapping after mmap: fork (devmap_dup(9E)), munmap of any range
 * and exit (devmap_unmap(9E) with the handle splitting of the man page),
 * mprotect checks against each handle's maxprot, and freeing.
 *
 * A mapping may have holes: a partial munmap in its middle cuts the handle
 * there in two (the high part is a new handle with the old private data,
 * passed as new_dhp2), but the mapping stays one object, so a host need not
 * split it.  Unlike illumos, a tail unmap that starts inside a handle other
 * than the last one is handled like any other (illumos computes the cut
 * from the first handle and corrupts its list).
 *
 * Every piece keeps the core's rule "no valid bit, no translation": the
 * survivors of a cut handle with a devmap_access(9E) callback lose their
 * valid bits and translations before the driver hears of the cut; those of
 * a handle without one keep both, the part above a hole included.
 *
 * Events: DM_EV_DUP for each fork (with its result), DM_EV_UNMAP for each
 * munmap or exit that reaches handles (their count, the offset of the
 * first piece, the bytes removed).
 */
#include "dm_impl.h"

struct dm_seg *dm_seg_alloc(struct as *as, const struct dm_map_req *req)
{
	struct dm_seg *seg = dmh_zalloc(sizeof(*seg), DMH_SLEEP);

	if (!seg)
		return NULL;
	dmh_rw_init(&seg->s_lock);
	dm_as_hold(as);
	seg->s_as = as;
	seg->s_dev = req->dev;
	seg->s_cb = req->cb;
	seg->s_flags = req->flags;
	seg->s_model = req->model;
	seg->s_host = req->host;
	return seg;
}

/* Free the handles of a mapping; no driver callback is made. */
void dm_seg_free_handles(struct dm_seg *seg)
{
	struct devmap_handle *dhp, *next;

	for (dhp = seg->s_handles; dhp; dhp = next) {
		next = dhp->dh_next;
		dm_handle_free(dhp);
	}
	seg->s_handles = NULL;
}

/* Free a mapping and its handles; no driver callback is made. */
void dm_seg_free(struct dm_seg *seg)
{
	dm_seg_free_handles(seg);
	if (seg->s_spare)
		dm_handle_free(seg->s_spare);
	if (seg->s_mapdev) {
		dmh_cond_destroy(&seg->s_mapdev->m_cv);
		dmh_mutex_destroy(&seg->s_mapdev->m_lock);
		dmh_free(seg->s_mapdev, sizeof(*seg->s_mapdev));
	}
	dmh_rw_destroy(&seg->s_lock);
	dm_as_rele(seg->s_as);
	dmh_free(seg, sizeof(*seg));
}

/**
 * dm_seg_host() - the host's object of a mapping
 * @seg: the mapping
 *
 * Return: dm_map_req.host, or the @host given to dm_seg_dup().
 */
void *dm_seg_host(const struct dm_seg *seg)
{
	return seg->s_host;
}

static void dm_unmap_cb(struct devmap_handle *dhp, offset_t off, size_t len,
			struct devmap_handle *n1, struct devmap_handle *n2)
{
	void (*unmap)(devmap_cookie_t, void *, offset_t, size_t,
		      devmap_cookie_t, void **, devmap_cookie_t,
		      void **) = dhp->dh_callbackops.devmap_unmap;

	if (!dm_is_stub((const void *)unmap))
		unmap(dhp, dhp->dh_pvtp, off, len, n1, n1 ? &n1->dh_pvtp : NULL,
		      n2, n2 ? &n2->dh_pvtp : NULL);
}

static int dm_devmap_dup(struct dm_seg *seg, struct dm_seg *child)
{
	struct devmap_handle *dhp, *nd, **tail = &child->s_handles;

	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next) {
		int (*dup)(devmap_cookie_t, void *, devmap_cookie_t, void **) =
			dhp->dh_callbackops.devmap_dup;
		int ret;

		nd = dm_handle_clone(dhp, child);
		if (!nd)
			return ENOMEM;
		*tail = nd;
		tail = &nd->dh_next;
		if (dm_is_stub((const void *)dup))
			continue;
		ret = dup(dhp, dhp->dh_pvtp, nd, &nd->dh_pvtp);
		if (ret) {
			/* the driver does not hear of the handle it refused */
			nd->dh_callbackops.devmap_unmap = NULL;
			return ret == ENOMEM ? ENOMEM : EAGAIN;
		}
	}
	return 0;
}

/**
 * dm_seg_dup() - duplicate a mapping into a child process (fork)
 * @seg: the parent's mapping
 * @child: the child's address space
 * @host: the host's object for the child's mapping
 * @childp: receives the child's mapping
 *
 * The child's handles start with no valid translations; its first access
 * to each calls devmap_access(9E).  When devmap_dup(9E) fails, the handles
 * already duplicated get devmap_unmap(9E) and nothing is left.
 *
 * Return: 0, ENOMEM, or EAGAIN.
 */
int dm_seg_dup(struct dm_seg *seg, struct as *child, void *host,
	       struct dm_seg **childp)
{
	struct dm_map_req req = { .dev = seg->s_dev,
				  .cb = seg->s_cb,
				  .flags = seg->s_flags,
				  .model = seg->s_model,
				  .host = host };
	struct dm_event ev = { .type = DM_EV_DUP, .seg = seg, .as = seg->s_as };
	struct dm_seg *cs;
	int err;

	*childp = NULL;
	cs = dm_seg_alloc(child, &req);
	if (!cs)
		err = ENOMEM;
	else {
		dmh_rw_enter(&seg->s_lock, false);
		ev.handles = dm_seg_nhandles(seg);
		err = seg->s_mapdev ? dm_mapdev_dup(seg, cs) :
				      dm_devmap_dup(seg, cs);
		dmh_rw_exit(&seg->s_lock, false);
	}
	ev.result = err;
	dmh_event(&ev);
	if (!cs)
		return err;
	if (err) {
		struct devmap_handle *dhp;

		if (!cs->s_mapdev)
			for (dhp = cs->s_handles; dhp; dhp = dhp->dh_next)
				dm_unmap_cb(dhp, dhp->dh_uoff, dhp->dh_len,
					    NULL, NULL);
		dm_seg_free(cs);
		return err;
	}
	*childp = cs;
	return 0;
}

/*
 * Before devmap_unmap(9E) hears of a cut, take back what survives of a
 * driver-managed handle (one with a devmap_access(9E) callback): the valid
 * bits and translations of [0, lo) and [hi, dh_len).  A driver following
 * the devmap_unmap(9E) pattern gives the survivors new private data and
 * forgets it owned the context, so it would never unload them; now their
 * next access asks it again.  A handle without the callback keeps its
 * translations, which reload without the driver anyway.
 */
static void dm_revoke_survivors(struct devmap_handle *dhp, size_t lo, size_t hi)
{
	if (!dm_handle_managed(dhp))
		return;
	if (lo)
		dm_invalidate(dhp, 0, lo, false);
	if (hi < dhp->dh_len)
		dm_invalidate(dhp, (offset_t)hi, dhp->dh_len - hi, false);
}

/* A cut of @dhp begins: [lo, lo + len) survives (see dm_remap_commit). */
static void dm_cut_begin(struct devmap_handle *dhp, size_t lo, size_t len)
{
	dmh_mutex_enter(&dhp->dh_lock);
	dhp->dh_cut_lo = lo;
	dhp->dh_cut_len = len;
	dhp->dh_cut_nd = NULL;
	dmh_mutex_exit(&dhp->dh_lock);
}

static void dm_cut_end(struct devmap_handle *dhp)
{
	dhp->dh_cut_lo = dhp->dh_cut_len = 0;
	dhp->dh_cut_nd = NULL;
}

/*
 * Remove [addr, end) from one handle that it overlaps but does not cover.
 * Returns the handle that now follows @dhp's remaining part in the list.
 * From the start of the cut to its end, a remap of @dhp by the driver
 * (in the old view of the handle or in the new one) reaches what survives
 * of it, the part above a hole included (dm_remap_commit).
 */
static struct devmap_handle *dm_unmap_part(struct devmap_handle *dhp,
					   uintptr_t addr, uintptr_t end)
{
	uintptr_t hs = dhp->dh_uvaddr, he = hs + dhp->dh_len;
	struct devmap_handle *nd;
	struct ddi_umem_cookie *old = NULL;

	if (addr <= hs) { /* head */
		dm_revoke_survivors(dhp, 0, end - hs);
		dm_cut_begin(dhp, end - hs, he - end);
		dm_unmap_cb(dhp, dhp->dh_uoff, end - hs, NULL, dhp);
		dmh_mutex_enter(&dhp->dh_lock);
		dm_handle_cut_head(dhp, end - hs);
		dm_cut_end(dhp);
		dmh_mutex_exit(&dhp->dh_lock);
		return dhp->dh_next;
	}
	dm_cut_begin(dhp, 0, addr - hs);
	nd = end < he ? dm_handle_clone(dhp, dhp->dh_seg) : NULL;
	if (end < he && !nd) {
		/* no spare (the host skipped dm_seg_may_split) and no memory:
		 * the part above the hole goes too, leaving no translation */
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap: no memory to split a handle; unmapping to its end");
		dm_invalidate(dhp, (offset_t)(end - hs), he - end, false);
		end = he;
	}
	dm_revoke_survivors(dhp, addr - hs, end - hs);
	if (nd) { /* hole: nd is the part above it */
		/* nd is private until the callback: a remap of the whole
		 * handle since the clone is copied here, one from now on
		 * reaches nd through dh_cut_nd */
		dmh_mutex_enter(&dhp->dh_lock);
		old = dm_backing_copy(nd, dhp);
		dm_valid_copy(nd, dhp);
		dm_handle_cut_head(nd, end - hs);
		dhp->dh_cut_nd = nd;
		dhp->dh_cut_nd_remaps = nd->dh_remaps;
		dmh_mutex_exit(&dhp->dh_lock);
		if (old)
			dm_cookie_rele(old);
		dm_unmap_cb(dhp, dhp->dh_uoff + (offset_t)(addr - hs),
			    end - addr, dhp, nd);
		/* the driver has heard of nd: its remaps are the driver's */
		dmh_mutex_enter(&dhp->dh_lock);
		dhp->dh_cut_nd = NULL;
		dmh_mutex_exit(&dhp->dh_lock);
		nd->dh_next = dhp->dh_next;
		dhp->dh_next = nd;
	} else { /* tail */
		dm_unmap_cb(dhp, dhp->dh_uoff + (offset_t)(addr - hs),
			    he - addr, dhp, NULL);
	}
	dmh_mutex_enter(&dhp->dh_lock);
	dm_handle_cut_tail(dhp, addr - hs);
	dm_cut_end(dhp);
	dmh_mutex_exit(&dhp->dh_lock);
	return nd ? nd->dh_next : dhp->dh_next;
}

/*
 * An unmap of [addr, end) reaches @dhp: count it in the event (its offset
 * is where the first piece unmapped starts).
 */
static void dm_unmap_count(struct dm_event *ev, const struct devmap_handle *dhp,
			   uintptr_t addr, uintptr_t end)
{
	uintptr_t hs = dhp->dh_uvaddr, he = hs + dhp->dh_len;
	uintptr_t from = addr > hs ? addr : hs, to = end < he ? end : he;

	if (!ev->handles++)
		ev->off = dhp->dh_uoff + (offset_t)(from - hs);
	ev->len += to - from;
}

static void dm_unmap_event(const struct dm_event *ev)
{
	if (ev->handles)
		dmh_event(ev);
}

/**
 * dm_seg_unmap() - unmap a range of a mapping (munmap)
 * @seg: the mapping
 * @addr: start (page aligned)
 * @len: length (page multiple)
 *
 * The host has removed the range's translations already.  A legacy
 * mapdev mapping goes only when the range covers all of it (see
 * dm_seg_may_split()); a range outside the mapping changes nothing.
 */
void dm_seg_unmap(struct dm_seg *seg, uintptr_t addr, size_t len)
{
	struct dm_event ev = { .type = DM_EV_UNMAP,
			       .seg = seg,
			       .as = seg->s_as };
	struct devmap_handle **pp, *dhp;
	uintptr_t end = addr + len;

	if (len == 0)
		return;
	dmh_rw_enter(&seg->s_lock, true);
	if (seg->s_mapdev) {
		/* never cut (dm_seg_may_split): gone only when covered */
		dhp = seg->s_handles;
		if (dhp && addr <= dhp->dh_uvaddr &&
		    end >= dhp->dh_uvaddr + dhp->dh_len) {
			dm_unmap_count(&ev, dhp, addr, end);
			dm_mapdev_free(seg);
			dm_seg_free_handles(seg);
		}
		dmh_rw_exit(&seg->s_lock, true);
		dm_unmap_event(&ev);
		return;
	}
	pp = &seg->s_handles;
	while ((dhp = *pp)) {
		uintptr_t hs = dhp->dh_uvaddr, he = hs + dhp->dh_len;

		if (he > addr && hs < end)
			dm_unmap_count(&ev, dhp, addr, end);
		if (he <= addr || hs >= end) {
			pp = &dhp->dh_next;
		} else if (addr <= hs && end >= he) {
			dm_unmap_cb(dhp, dhp->dh_uoff, dhp->dh_len, NULL, NULL);
			*pp = dhp->dh_next;
			dm_handle_free(dhp);
		} else {
			struct devmap_handle *next =
				dm_unmap_part(dhp, addr, end);

			while (*pp != next)
				pp = &(*pp)->dh_next;
		}
	}
	dmh_rw_exit(&seg->s_lock, true);
	dm_unmap_event(&ev);
}

/**
 * dm_seg_destroy() - the last of a mapping is gone (munmap, exit)
 * @seg: the mapping; freed
 *
 * Calls devmap_unmap(9E) (mapdev_free(9E) for a legacy mapping) for what
 * is still mapped, as at exit, then frees the mapping.
 */
void dm_seg_destroy(struct dm_seg *seg)
{
	uintptr_t start, end;
	struct devmap_handle *dhp;

	if (seg->s_handles) {
		start = seg->s_handles->dh_uvaddr;
		for (dhp = seg->s_handles; dhp->dh_next; dhp = dhp->dh_next)
			;
		end = dhp->dh_uvaddr + dhp->dh_len;
		dm_seg_unmap(seg, start, end - start);
	}
	dm_seg_free(seg);
}

/**
 * dm_seg_may_split() - may a munmap or mprotect cut a mapping at @addr?
 * @seg: the mapping
 * @addr: where the cut would be
 *
 * A cut inside a handle makes sure the handle for the part above a hole
 * is allocated now, while the host can still fail the call, so the munmap
 * itself never runs out of memory.
 *
 * Return: 0; ENOMEM; or EINVAL for a legacy ddi_mapdev(9F) mapping.
 */
int dm_seg_may_split(struct dm_seg *seg, uintptr_t addr)
{
	struct devmap_handle *dhp;
	int err = 0;

	if (seg->s_mapdev)
		return EINVAL;
	dmh_rw_enter(&seg->s_lock, true);
	dhp = dm_handle_lookup(seg, addr);
	if (dhp && addr != dhp->dh_uvaddr)
		err = dm_handle_reserve(seg, dhp->dh_len);
	dmh_rw_exit(&seg->s_lock, true);
	return err;
}

/**
 * dm_seg_setprot() - check and record an mprotect of a range
 * @seg: the mapping
 * @addr: start
 * @len: length
 * @prot: the new PROT_* protections
 *
 * Return: 0; EACCES when a handle in the range has a maxprot without @prot;
 * EINVAL when no handle is at @addr.  Nothing changes on error.
 */
int dm_seg_setprot(struct dm_seg *seg, uintptr_t addr, size_t len, uint_t prot)
{
	uint_t uprot = prot | PROT_USER;
	uintptr_t end = addr + len;
	struct devmap_handle *dhp;
	int err = 0;

	dmh_rw_enter(&seg->s_lock, true);
	if (!dm_handle_lookup(seg, addr))
		err = EINVAL;
	for (dhp = seg->s_handles; dhp && !err; dhp = dhp->dh_next)
		if (dhp->dh_uvaddr < end &&
		    dhp->dh_uvaddr + dhp->dh_len > addr &&
		    (dhp->dh_maxprot & uprot) != uprot)
			err = EACCES;
	for (dhp = seg->s_handles; dhp && !err; dhp = dhp->dh_next) {
		if (dhp->dh_uvaddr >= end ||
		    dhp->dh_uvaddr + dhp->dh_len <= addr)
			continue;
		/* a handle partly covered keeps the union */
		if (dhp->dh_uvaddr >= addr &&
		    dhp->dh_uvaddr + dhp->dh_len <= end)
			dhp->dh_prot = uprot;
		else
			dhp->dh_prot |= uprot;
	}
	dmh_rw_exit(&seg->s_lock, true);
	return err;
}

/**
 * dm_seg_maxprot() - the protections all handles of a mapping allow
 * @seg: the mapping
 *
 * Return: the PROT_* bits (without PROT_USER) in every handle's maxprot.
 */
uint_t dm_seg_maxprot(struct dm_seg *seg)
{
	uint_t prot = PROT_READ | PROT_WRITE | PROT_EXEC;
	struct devmap_handle *dhp;

	dmh_rw_enter(&seg->s_lock, false);
	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next)
		prot &= dhp->dh_maxprot;
	dmh_rw_exit(&seg->s_lock, false);
	return prot;
}

/**
 * dm_seg_bytes() - memory a mapping takes besides its handles
 *
 * Return: the size of the core's mapping object.
 */
size_t dm_seg_bytes(void)
{
	return sizeof(struct dm_seg);
}
