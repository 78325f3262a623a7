// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The legacy Solaris 2.5-9 mapping interface, ddi_mapdev(9F) with
 * ddi_mapdev_intercept(9F) and ddi_mapdev_nointercept(9F), and the old
 * mmap(9E) path of drivers without devmap(9E).
 *
 * A mapdev mapping is one handle whose pages come from the driver's
 * mmap(9E); "intercepted" pages are the invalid ones.  Offsets are
 * relative to the mapping.  As in Solaris: a new mapping is intercepted
 * everywhere; mapdev_access(9E) runs one at a time per mapping with the
 * same context hold as devmap (default one tick, ddi_mapdev_set_keep_ctx),
 * keyed by dev_t and access function; its return value is a fault code (-1
 * means FC_HWERR); a partial munmap is refused.  Unlike Solaris, a fork
 * child starts fully intercepted (Solaris copies the parent's state, which
 * gives the child silent access to the context the parent owns).
 */
#include "dm_impl.h"

/* Solaris' default context hold for mapdev (segmapdev_leaveoncpu). */
#define DM_MAPDEV_HOLD_TICKS 1

static struct dm_mapdev *dm_mapdev_alloc(const struct ddi_mapdev_ctl *ops,
					 void *priv)
{
	struct dm_mapdev *md = dmh_zalloc(sizeof(*md), DMH_SLEEP);

	if (!md)
		return NULL;
	md->m_ops = *ops;
	md->m_private = priv;
	dmh_mutex_init(&md->m_lock);
	dmh_cond_init(&md->m_cv);
	return md;
}

/* A handle whose pages come from the driver's mmap(9E). */
static int dm_cbmmap_handle(struct dm_seg *seg, const struct dm_map_req *req,
			    off_t offset, uint_t prot, uint_t maxprot)
{
	struct devmap_handle *dhp = dm_handle_alloc(seg, DMH_SLEEP);

	if (!dhp)
		return ENOMEM;
	seg->s_handles = dhp;
	dhp->dh_kind = DM_DH_CBMMAP;
	dhp->dh_uoff = dhp->dh_roff = offset;
	dhp->dh_len = req->len;
	dhp->dh_uvaddr = req->addr;
	dhp->dh_prot = prot | PROT_USER;
	dhp->dh_maxprot = dhp->dh_orig_maxprot = maxprot | PROT_USER;
	dhp->dh_flags = DM_DH_SETUP_DONE;
	dhp->dh_cache = DM_CACHE_UC;
	return dm_handle_size_valid(dhp, req->len);
}

/**
 * ddi_mapdev() - create a legacy mapdev mapping from segmap(9E)
 * @dev: the device
 * @offset: device offset of the mapping
 * @asp: the address space passed to segmap(9E)
 * @addrp: receives the user address
 * @len: length; must be the length of the mmap(2) being served
 * @prot: protections
 * @maxprot: maximum protections
 * @flags: mmap flags
 * @cred: credentials (unused)
 * @m_ops: the driver's mapdev callbacks (copied)
 * @handlep: receives the mapping handle
 * @private_data: driver data passed to the callbacks
 *
 * Pages come from the driver's mmap(9E) at fault time.  Every page starts
 * intercepted: its first access calls mapdev_access(9E).
 *
 * Return: 0; ENODEV when the driver has no mmap(9E); EINVAL outside the
 * device's segmap(9E) or with no @m_ops; ENOMEM.
 */
int ddi_mapdev(dev_t dev, off_t offset, ddi_as_handle_t asp, caddr_t *addrp,
	       off_t len, uint_t prot, uint_t maxprot, uint_t flags,
	       cred_t *cred, struct ddi_mapdev_ctl *m_ops,
	       ddi_mapdev_handle_t *handlep, void *private_data)
{
	struct dm_map_req *req = asp ? asp->a_mapreq : NULL;
	struct dm_seg *seg;
	int err;

	(void)cred;
	if (!req || req->dev != dev || req->seg || (size_t)len != req->len ||
	    !dm_range_ok(offset, req->len) || !m_ops || !handlep)
		return EINVAL;
	if (dm_is_stub((const void *)req->cb->cb_mmap))
		return ENODEV;
	seg = dm_seg_alloc(asp, req);
	if (!seg)
		return ENOMEM;
	seg->s_flags = flags;
	seg->s_mapdev = dm_mapdev_alloc(m_ops, private_data);
	err = seg->s_mapdev ?
		      dm_cbmmap_handle(seg, req, offset, prot, maxprot) :
		      ENOMEM;
	if (!err) {
		struct devmap_handle *dhp = seg->s_handles;

		dhp->dh_timeout = DM_MAPDEV_HOLD_TICKS;
		dhp->dh_ctx = dm_ctx_get((const void *)(uintptr_t)dev,
					 (const void *)m_ops->mapdev_access);
		if (!dhp->dh_ctx)
			err = ENOMEM;
	}
	if (err) {
		dm_seg_free(seg);
		return err;
	}
	req->seg = seg;
	req->off = offset; /* the mapping's first offset (dm_map_req) */
	*handlep = seg;
	if (addrp)
		*addrp = (caddr_t)req->addr;
	return 0;
}

static struct devmap_handle *dm_mapdev_handle(ddi_mapdev_handle_t handle)
{
	struct dm_seg *seg = handle;

	return seg && seg->s_mapdev ? seg->s_handles : NULL;
}

/**
 * ddi_mapdev_intercept() - make accesses to a range call mapdev_access(9E)
 * @handle: the mapping
 * @offset: offset in the mapping
 * @len: length; 0 means to the end of the mapping
 *
 * Removes the range's translations (in any process: call it on the
 * mapping that loses the device context).  A range outside the mapping is
 * ignored, as in Solaris.
 *
 * Return: 0.
 */
int ddi_mapdev_intercept(ddi_mapdev_handle_t handle, off_t offset, off_t len)
{
	struct devmap_handle *dhp = dm_mapdev_handle(handle);

	if (dhp && len >= 0)
		dm_invalidate(dhp, offset, (size_t)len, false);
	return 0;
}

/**
 * ddi_mapdev_nointercept() - let accesses to a range proceed
 * @handle: the mapping
 * @offset: offset in the mapping
 * @len: length; 0 means to the end of the mapping
 *
 * Called from mapdev_access(9E) it also loads the faulting page and
 * returns the result, which mapdev_access should return.
 *
 * Return: 0 or a fault code; DDI_FAILURE when @offset is outside the
 * mapping; FC_MAKE_ERR(EINVAL) when the range runs past its end.
 */
int ddi_mapdev_nointercept(ddi_mapdev_handle_t handle, off_t offset, off_t len)
{
	struct devmap_handle *dhp = dm_mapdev_handle(handle);

	if (!dhp || offset < 0 || (size_t)offset >= dhp->dh_len)
		return DDI_FAILURE;
	if (len < 0)
		return FC_MAKE_ERR(EINVAL);
	return dm_validate(dhp, dm_fault_current(dhp->dh_seg->s_as), offset,
			   (size_t)len, false);
}

/**
 * ddi_mapdev_set_keep_ctx() - set the context hold of a mapdev mapping
 * @handle: the mapping
 * @ticks: clock ticks the device context stays after a switch (default 1)
 */
void ddi_mapdev_set_keep_ctx(ddi_mapdev_handle_t handle, clock_t ticks)
{
	struct devmap_handle *dhp = dm_mapdev_handle(handle);

	if (dhp)
		dhp->dh_timeout = ticks;
}

/* Ask mapdev_access(9E) until it validates the page (bounded). */
static int dm_mapdev_ask(struct dm_fault *f, struct devmap_handle *dhp,
			 faultcode_t *fcp)
{
	struct dm_seg *seg = dhp->dh_seg;
	struct dm_mapdev *md = seg->s_mapdev;
	int i, ret = 0;

	for (i = 0; i < DM_NOLOAD_MAX; i++) {
		f->calls++;
		ret = md->m_ops.mapdev_access(seg, md->m_private,
					      (off_t)f->soff);
		*fcp = 0;
		if (ret || f->loaded)
			return ret;
		if (dm_fault_fast(f, dhp, false, fcp))
			return 0;
	}
	*fcp = FC_MAKE_ERR(EFAULT);
	dmh_log_ratelimited(
		DM_CE_WARN,
		"ddi_mapdev: mapdev_access returned 0 %d times without nointercept at 0x%zx; SIGBUS",
		DM_NOLOAD_MAX, f->soff);
	return 0;
}

/*
 * One mapdev_access(9E) at a time per mapping, as in Solaris; the wait is
 * interruptible (EINTR: the fault is retried after the signal).
 */
static int dm_mapdev_fault_begin(struct dm_mapdev *md, bool killable)
{
	int err = 0;

	dmh_mutex_enter(&md->m_lock);
	while (md->m_faulting && !err)
		if (dmh_cond_wait_until(&md->m_cv, &md->m_lock,
					DM_TICKS_FOREVER, killable) == EINTR)
			err = EINTR;
	if (!err)
		md->m_faulting = true;
	dmh_mutex_exit(&md->m_lock);
	return err;
}

static void dm_mapdev_fault_end(struct dm_mapdev *md)
{
	dmh_mutex_enter(&md->m_lock);
	md->m_faulting = false;
	dmh_cond_broadcast(&md->m_cv);
	dmh_mutex_exit(&md->m_lock);
}

/* A fault in a mapdev mapping whose page is intercepted (or not). */
enum dm_fault_result dm_mapdev_fault(struct dm_fault *f,
				     struct devmap_handle *dhp)
{
	struct dm_mapdev *md = dhp->dh_seg->s_mapdev;
	enum dm_ctx_state st;
	faultcode_t fc = 0;
	int ret = 0;

	if (dm_fault_fast(f, dhp, false, &fc))
		return dm_fault_outcome(f, fc);
	if (dm_is_stub((const void *)md->m_ops.mapdev_access))
		return dm_fault_outcome(f, FC_HWERR);
	if (dm_mapdev_fault_begin(md, f->killable))
		return DM_FAULT_RETRY; /* take the signal first */
	if (dm_fault_fast(f, dhp, false, &fc)) { /* done while we waited */
		dm_mapdev_fault_end(md);
		return dm_fault_outcome(f, fc);
	}
	dm_fault_enter(f, f->as);
	st = dm_ctx_enter(dhp->dh_ctx, f, dhp->dh_timeout);
	if (st != DM_CTX_WAIT) {
		dm_ctx_switch_begin(dhp->dh_ctx, f);
		ret = dm_mapdev_ask(f, dhp, &fc);
		dm_ctx_switch_end(dhp->dh_ctx, f, dhp, ret == 0 && fc == 0);
		if (st == DM_CTX_HELD)
			dm_ctx_exit(dhp->dh_ctx, f, dhp->dh_timeout,
				    ret == 0 && fc == 0);
	}
	dm_fault_exit(f, f->as);
	dm_mapdev_fault_end(md);
	if (st == DM_CTX_WAIT)
		return DM_FAULT_WAIT;
	if (ret == -1)
		return dm_fault_outcome(f, FC_HWERR);
	return dm_fault_outcome(f, ret ? ret : fc);
}

/* Fork of a mapdev mapping: mapdev_dup(9E); the child starts intercepted. */
int dm_mapdev_dup(struct dm_seg *seg, struct dm_seg *child)
{
	struct dm_mapdev *md = seg->s_mapdev;
	int ret;

	child->s_mapdev = dm_mapdev_alloc(&md->m_ops, md->m_private);
	if (!child->s_mapdev)
		return ENOMEM;
	child->s_handles = dm_handle_clone(seg->s_handles, child);
	if (!child->s_handles)
		return ENOMEM;
	if (dm_is_stub((const void *)md->m_ops.mapdev_dup))
		return 0;
	ret = md->m_ops.mapdev_dup(seg, md->m_private, child,
				   &child->s_mapdev->m_private);
	return ret == 0 ? 0 : ret == ENOMEM ? ENOMEM : EAGAIN;
}

/* munmap or exit of a mapdev mapping: mapdev_free(9E). */
void dm_mapdev_free(struct dm_seg *seg)
{
	struct dm_mapdev *md = seg->s_mapdev;

	if (!dm_is_stub((const void *)md->m_ops.mapdev_free))
		md->m_ops.mapdev_free(seg, md->m_private);
}

/*
 * The old mmap(9E) path (a driver without devmap(9E)): MAP_SHARED only,
 * every page checked with mmap(9E) now (giving way to other threads, and
 * stopping with EINTR for a fatal signal), no driver callbacks later.
 */
int dm_oldmmap_setup(struct as *as, struct dm_map_req *req)
{
	struct dm_seg *seg;
	size_t off;
	int err;

	if ((req->flags & MAP_TYPE_MASK) != MAP_SHARED)
		return EINVAL;
	for (off = 0; off < req->len; off += PAGESIZE) {
		if (dmh_yield())
			return EINTR;
		if (dm_cbmmap_pfn(req->cb, req->dev, req->off + (offset_t)off,
				  req->prot) == DM_PFN_NONE)
			return ENXIO;
	}
	seg = dm_seg_alloc(as, req);
	if (!seg)
		return ENOMEM;
	err = dm_cbmmap_handle(seg, req, (off_t)req->off, req->prot,
			       req->maxprot);
	if (err) {
		dm_seg_free(seg);
		return err;
	}
	req->seg = seg;
	return 0;
}
