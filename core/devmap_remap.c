// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Changing the backing of a live handle: devmap_devmem_remap(9F) and
 * devmap_umem_remap(9F) (no illumos man page; documented in
 * man/man9f/devmap_devmem_remap.9f).  Both invalidate the whole handle in
 * every process that maps it through this handle, then install the new
 * backing; the next access faults it in.
 *
 * Unlike illumos, every check is made before anything changes, a NULL
 * cookie is refused rather than dereferenced, a new backing smaller than
 * the handle is refused (illumos ignores len and would map past it), and
 * devmap_umem_remap accepts one IOMEM_DATA_* cache attribute (illumos
 * accepts only 0 and resets the cache mode to cached).
 */
#include "dm_impl.h"

/* What a remap installs; the devmem lookup waits for the handle lock. */
struct dm_remap {
	struct devmap_handle n; /* the new backing */
	uint_t maxprot;
	size_t len;
	dev_info_t *dip; /* devmem: look up rnumber/roff */
	uint_t rnumber;
};

/*
 * Check @h and switch it to the backing in @r, all under its lock (so a
 * concurrent head unmap cannot shift it meanwhile); on success every
 * translation of the handle is removed first.  Returns DDI_SUCCESS or
 * DDI_FAILURE with nothing changed.
 *
 * While a cut of @h is under way (dm_unmap_part), the driver may remap it
 * before its devmap_unmap(9E) heard of the cut, with the offset and length
 * of the whole handle, or after, with those of the survivor, shorter than
 * the handle still is: such a remap covers the survivor only, and its
 * offset is made the whole handle's, which the cut then moves on.  A
 * remap of the whole handle reaches the part above a hole too, which the
 * driver cannot know yet (until dm_unmap_part says it has heard of it);
 * one of the survivor never does, its backing being checked for the
 * survivor's length only.
 */
static int dm_remap_commit(struct devmap_handle *h, struct dm_remap *r)
{
	struct devmap_handle *n = &r->n;
	struct ddi_umem_cookie *old = NULL, *nd_old = NULL;
	struct devmap_handle *nd;
	int ret = DDI_FAILURE;
	size_t need, lo = 0;

	if (!h)
		return DDI_FAILURE;
	dmh_mutex_enter(&h->dh_lock);
	need = h->dh_len;
	if (h->dh_cut_len && dm_round_up(r->len) < h->dh_len) {
		need = h->dh_cut_len; /* the driver's view: the survivor */
		lo = h->dh_cut_lo;
	}
	if (!(h->dh_flags & DM_DH_SETUP_DONE) ||
	    !(h->dh_flags & DEVMAP_ALLOW_REMAP) ||
	    (h->dh_prot & h->dh_orig_maxprot & r->maxprot) != h->dh_prot ||
	    r->len > DM_LEN_MAX || dm_round_up(r->len) < need)
		goto out;
	if (n->dh_kind == DM_DH_UMEM &&
	    need > n->dh_cookie->size - (size_t)n->dh_roff)
		goto out;
	if (r->dip && !dm_range_ok(n->dh_roff, need))
		goto out;
	if (r->dip &&
	    dmh_devmem_pfn(r->dip, r->rnumber, n->dh_roff, need, &n->dh_pfn))
		goto out;
	if (lo) { /* the cut adds it back */
		n->dh_roff -= (offset_t)lo;
		if (n->dh_kind == DM_DH_DEVMEM)
			n->dh_pfn -= lo >> PAGESHIFT;
	}
	h->dh_remaps++;
	dm_valid_set(h, 0, h->dh_len, false);
	dmh_unload(h, 0, h->dh_len);
	old = h->dh_cookie;
	h->dh_kind = n->dh_kind;
	h->dh_cache = n->dh_cache;
	h->dh_pfn = n->dh_pfn;
	h->dh_cookie = n->dh_cookie;
	h->dh_roff = n->dh_roff;
	h->dh_flags = (h->dh_flags & ~DEVMAP_MAPPING_INVALID) |
		      (n->dh_flags & DEVMAP_MAPPING_INVALID);
	h->dh_maxprot = r->maxprot & h->dh_orig_maxprot;
	/* the whole handle's view: the part above a hole follows (its
	 * translations went with the unload above: h->dh_len still spans it) */
	nd = h->dh_cut_nd;
	if (nd && need == h->dh_len) {
		dmh_mutex_enter_nested(&nd->dh_lock);
		if (nd->dh_remaps == h->dh_cut_nd_remaps)
			nd_old = dm_backing_copy(nd, h);
		dmh_mutex_exit(&nd->dh_lock);
	}
	ret = DDI_SUCCESS;
out:
	dmh_mutex_exit(&h->dh_lock);
	if (nd_old)
		dm_cookie_rele(nd_old);
	/* the reference no handle holds any more: the old or the unused one */
	if (ret != DDI_SUCCESS)
		old = n->dh_cookie;
	if (old)
		dm_cookie_rele(old);
	return ret;
}

/**
 * devmap_devmem_remap() - back a handle with other device memory
 * @dhp: a handle set up with DEVMAP_ALLOW_REMAP
 * @dip: the device node
 * @rnumber: register set
 * @roff: offset in the register set
 * @len: length; must cover the handle
 * @maxprot: new maximum protections
 * @flags: 0, or DEVMAP_MAPPING_INVALID to leave the handle without backing
 *	   (accesses then get SIGSEGV)
 * @accattrp: access attributes
 *
 * Works on a handle set up by devmap_umem_setup(9F) too.
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE (the handle is unchanged).
 */
int devmap_devmem_remap(devmap_cookie_t dhp, dev_info_t *dip, uint_t rnumber,
			offset_t roff, size_t len, uint_t maxprot, uint_t flags,
			ddi_device_acc_attr_t *accattrp)
{
	struct dm_remap r = { .n.dh_kind = DM_DH_DEVMEM,
			      .maxprot = maxprot,
			      .len = len,
			      .rnumber = rnumber };

	if ((flags & ~(uint_t)DEVMAP_MAPPING_INVALID) || roff < 0 ||
	    dm_devmem_cache(accattrp, &r.n.dh_cache))
		return DDI_FAILURE;
	r.n.dh_roff = (offset_t)dm_round_down((size_t)roff);
	r.n.dh_flags = flags;
	if (!(flags & DEVMAP_MAPPING_INVALID))
		r.dip = dip;
	return dm_remap_commit(dhp, &r);
}

/**
 * devmap_umem_remap() - back a handle with other kernel memory
 * @dhp: a handle set up with DEVMAP_ALLOW_REMAP
 * @dip: the device node
 * @cookie: from ddi_umem_alloc(9F), e.g. a DDI_UMEM_TRASH cookie
 * @off: offset in the cookie's memory
 * @len: length; must cover the handle
 * @maxprot: new maximum protections
 * @flags: 0 or one IOMEM_DATA_* cache attribute
 * @accattrp: access attributes
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE (the handle is unchanged).
 */
int devmap_umem_remap(devmap_cookie_t dhp, dev_info_t *dip,
		      ddi_umem_cookie_t cookie, offset_t off, size_t len,
		      uint_t maxprot, uint_t flags,
		      ddi_device_acc_attr_t *accattrp)
{
	struct dm_remap r = { .n.dh_kind = DM_DH_UMEM, .len = len };
	struct ddi_umem_cookie *cp = cookie;

	(void)dip;
	if (!cp || (flags & ~(uint_t)IOMEM_DATA_MASK) || off < 0 ||
	    len > DM_LEN_MAX || (size_t)off > cp->size ||
	    len > cp->size - (size_t)off ||
	    dm_umem_cache(flags, accattrp, &r.n.dh_cache))
		return DDI_FAILURE;
	r.maxprot = dm_cookie_maxprot(cp, maxprot);
	r.n.dh_roff = (offset_t)dm_round_down((size_t)off);
	r.n.dh_cookie = cp;
	dm_cookie_hold(cp);
	return dm_remap_commit(dhp, &r);
}
