// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The mmap path: choosing segmap(9E), devmap(9E) or the old mmap(9E) path
 * for a device, the devmap(9E) *maplen iteration that builds a mapping's
 * handles, devmap_devmem_setup(9F) and devmap_umem_setup(9F) with all their
 * checks, and the devmap_map(9E) calls once the mapping exists.
 *
 * Where this differs from illumos on purpose: a *maplen of 0 is an error
 * (illumos loops forever); a devmap(9E) that returns 0 without a setup
 * call is an error (illumos maps a handle of length 0); a devmap_map(9E)
 * failure leaves no mapping behind (illumos leaves an orphan segment); a
 * driver with a NULL mmap(9E) and no D_DEVMAP uses devmap as the man page
 * says (illumos returns EINVAL).
 */
#include "dm_impl.h"

/* Call devmap_map(9E) per handle; undo the earlier ones on failure. */
static int dm_seg_attach(struct dm_seg *seg)
{
	struct devmap_handle *dhp, *e;
	int err;

	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next) {
		int (*map)(devmap_cookie_t, dev_t, uint_t, offset_t, size_t,
			   void **) = dhp->dh_callbackops.devmap_map;

		if (dm_is_stub((const void *)map))
			continue;
		err = map(dhp, seg->s_dev, seg->s_flags, dhp->dh_uoff,
			  dhp->dh_len, &dhp->dh_pvtp);
		if (err == 0)
			continue;
		for (e = seg->s_handles; e != dhp; e = e->dh_next)
			if (!dm_is_stub((const void *)
						e->dh_callbackops.devmap_unmap))
				e->dh_callbackops.devmap_unmap(
					e, e->dh_pvtp, e->dh_uoff, e->dh_len,
					NULL, NULL, NULL, NULL);
		dmh_log_ratelimited(
			DM_CE_NOTE,
			"devmap: devmap_map returned %d; mmap fails", err);
		return ENXIO;
	}
	return 0;
}

/* One devmap(9E) call: a new handle for [off, off + len) at @uvaddr. */
static int dm_devmap_one(struct dm_seg *seg, const struct dm_map_req *req,
			 offset_t off, size_t len, uintptr_t uvaddr,
			 uint_t prot, uint_t maxprot, size_t *maplenp,
			 struct devmap_handle **dhpp)
{
	struct devmap_handle *dhp = dm_handle_alloc(seg, DMH_SLEEP);
	int err;

	*dhpp = dhp;
	if (!dhp)
		return ENOMEM;
	dhp->dh_prot = prot | PROT_USER;
	dhp->dh_orig_maxprot = dhp->dh_maxprot = maxprot | PROT_USER;
	dhp->dh_uoff = off;
	*maplenp = len;
	err = req->cb->cb_devmap(req->dev, dhp, off, len, maplenp, req->model);
	if (err) {
		dmh_log_ratelimited(
			DM_CE_NOTE,
			"devmap: devmap(9E) returned %d for offset 0x%llx; ENXIO",
			err, (unsigned long long)off);
		return ENXIO;
	}
	if (!(dhp->dh_flags & DM_DH_SETUP_DONE)) {
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap: devmap(9E) returned 0 without devmap_devmem_setup or devmap_umem_setup");
		return ENXIO;
	}
	if (*maplenp == 0 || (*maplenp & PAGEOFFSET)) {
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap: devmap(9E) set *maplen to 0x%zx, not a nonzero page multiple",
			*maplenp);
		return EINVAL;
	}
	if (*maplenp > len)
		*maplenp = len;
	if (dhp->dh_len > *maplenp)
		dm_handle_cut_tail(dhp, *maplenp);
	dhp->dh_uvaddr = uvaddr;
	return 0;
}

/*
 * Build the handles of a devmap mapping by calling devmap(9E) until the
 * length is covered, check them as a whole, then call devmap_map(9E).
 */
static int dm_devmap_build(struct as *as, struct dm_map_req *req, offset_t off,
			   uint_t prot, uint_t maxprot, uint_t flags)
{
	struct dm_seg *seg = dm_seg_alloc(as, req);
	struct devmap_handle **tail, *dhp;
	const void *access_id = NULL;
	bool all_access = true;
	size_t total, maplen;
	int err = 0;

	if (!seg)
		return ENOMEM;
	seg->s_flags = flags;
	tail = &seg->s_handles;
	for (total = 0; total < req->len && !err; total += maplen) {
		const void *access;

		err = dm_devmap_one(seg, req, off + (offset_t)total,
				    req->len - total, req->addr + total, prot,
				    maxprot, &maplen, &dhp);
		if (dhp) {
			*tail = dhp;
			tail = &dhp->dh_next;
		}
		if (err)
			break;
		access = (const void *)dhp->dh_callbackops.devmap_access;
		if (dm_is_stub(access)) {
			all_access = false;
			continue;
		}
		if (access_id && access_id != access) {
			dmh_log_ratelimited(
				DM_CE_WARN,
				"devmap: handles of one mapping have different devmap_access functions");
			err = ENOTSUP;
			break;
		}
		access_id = access;
		dhp->dh_ctx = dm_ctx_get(dhp->dh_dip, access);
		if (!dhp->dh_ctx)
			err = ENOMEM;
	}
	if (!err && (flags & MAP_TYPE_MASK) == MAP_PRIVATE && !all_access)
		err = EINVAL;
	if (!err)
		err = dm_seg_attach(seg);
	if (err) {
		dm_seg_free(seg);
		return err;
	}
	req->seg = seg;
	return 0;
}

/* dm_seg_map() without the event: the path the driver's entry points
 * choose. */
static int dm_seg_map_path(struct as *as, struct dm_map_req *req)
{
	const struct cb_ops *cb = req->cb;
	int err;

	req->seg = NULL;
	if (!dm_range_ok(req->off, req->len))
		return EINVAL;
	if (req->len > DM_MAP_MAX)
		return ENOMEM;
	if (!dm_is_stub((const void *)cb->cb_segmap)) {
		caddr_t addr = (caddr_t)req->addr;

		dmh_mutex_enter(&as->a_lock);
		as->a_mapreq = req;
		dmh_mutex_exit(&as->a_lock);
		err = cb->cb_segmap(req->dev, (off_t)req->off, as, &addr,
				    (off_t)req->len, req->prot, req->maxprot,
				    req->flags, req->cred);
		dmh_mutex_enter(&as->a_lock);
		as->a_mapreq = NULL;
		dmh_mutex_exit(&as->a_lock);
		if (err && req->seg) {
			dm_seg_destroy(req->seg);
			req->seg = NULL;
		}
		if (!err && !req->seg) {
			dmh_log_ratelimited(
				DM_CE_WARN,
				"devmap: segmap(9E) returned 0 without devmap_setup or ddi_mapdev");
			err = ENODEV;
		}
		return err;
	}
	if ((cb->cb_flag & D_DEVMAP) || dm_is_stub((const void *)cb->cb_mmap)) {
		if (dm_is_stub((const void *)cb->cb_devmap))
			return ENODEV;
		return dm_devmap_build(as, req, req->off, req->prot,
				       req->maxprot, req->flags);
	}
	return dm_oldmmap_setup(as, req);
}

/**
 * dm_seg_map() - create a device mapping for an mmap(2)
 * @as: the address space
 * @req: the request; req->seg receives the mapping
 *
 * Return: 0, or an errno with nothing left behind: ENXIO when the driver
 * refuses, EINVAL for a bad *maplen or a MAP_PRIVATE mapping with a handle
 * lacking devmap_access, ENOTSUP for mixed access functions, ENODEV when
 * the driver has no way to map, ENOMEM for a length over DM_MAP_MAX or no
 * memory.
 */
int dm_seg_map(struct as *as, struct dm_map_req *req)
{
	int err = dm_seg_map_path(as, req);
	struct dm_event ev = { .type = DM_EV_MAP,
			       .seg = req->seg,
			       .as = as,
			       .off = req->off,
			       .len = req->len };

	if (err)
		return err;
	ev.handles = dm_seg_nhandles(req->seg);
	dmh_event(&ev);
	return 0;
}

/**
 * devmap_setup() - set up a devmap mapping from a segmap(9E) entry point
 * @dev: the device
 * @off: mmap offset
 * @as: the address space passed to segmap(9E)
 * @addrp: receives the user address
 * @len: length; must be the length of the mmap(2) being served
 * @prot: protections
 * @maxprot: maximum protections
 * @flags: mmap flags
 * @cred: credentials (unused)
 *
 * Return: 0, or an errno as for mmap(2): EINVAL when called outside the
 * device's segmap(9E) or when the driver has no devmap(9E), ENXIO when
 * devmap(9E) fails, and the errors of dm_seg_map().
 */
int devmap_setup(dev_t dev, offset_t off, ddi_as_handle_t as, caddr_t *addrp,
		 size_t len, uint_t prot, uint_t maxprot, uint_t flags,
		 cred_t *cred)
{
	struct dm_map_req *req = as ? as->a_mapreq : NULL;
	int err;

	(void)cred;
	if (!req || req->dev != dev || req->seg || len != req->len ||
	    !dm_range_ok(off, len)) {
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap_setup: not called from the segmap(9E) of this mmap");
		return EINVAL;
	}
	if (dm_is_stub((const void *)req->cb->cb_devmap))
		return EINVAL;
	err = dm_devmap_build(as, req, off, prot, maxprot, flags);
	if (err)
		return err;
	req->off = off; /* the mapping's first offset (dm_map_req) */
	if (addrp)
		*addrp = (caddr_t)req->addr;
	return 0;
}

/**
 * ddi_devmap_segmap() - devmap_setup(9F) in the shape of segmap(9E)
 * @dev: the device
 * @off: mmap offset
 * @as: the address space
 * @addrp: receives the user address
 * @len: length
 * @prot: protections
 * @maxprot: maximum protections
 * @flags: mmap flags
 * @cred: credentials
 *
 * Return: as devmap_setup(9F).
 */
int ddi_devmap_segmap(dev_t dev, off_t off, ddi_as_handle_t as, caddr_t *addrp,
		      off_t len, uint_t prot, uint_t maxprot, uint_t flags,
		      cred_t *cred)
{
	return devmap_setup(dev, off, as, addrp, (size_t)len, prot, maxprot,
			    flags, cred);
}

/* Checks both setup functions make on the handle and the protections. */
static bool dm_setup_ok(struct devmap_handle *h, uint_t maxprot, uint_t flags)
{
	if (!h || (h->dh_flags & DM_DH_SETUP_DONE))
		return false;
	if (flags & ~(DEVMAP_SETUP_FLAGS | IOMEM_DATA_MASK))
		return false;
	if ((h->dh_prot & h->dh_orig_maxprot & maxprot) != h->dh_prot)
		return false;
	return !((flags & DEVMAP_MAPPING_INVALID) &&
		 !(flags & DEVMAP_ALLOW_REMAP));
}

/* The cache mode of device memory, from the access attributes. */
int dm_devmem_cache(const ddi_device_acc_attr_t *attr, enum dm_cache *cachep)
{
	if (!attr) {
		*cachep = DM_CACHE_UC;
		return 0;
	}
	if (attr->devacc_attr_endian_flags > DDI_STRUCTURE_LE_ACC)
		return -1; /* no byte swapping through the MMU */
	switch (attr->devacc_attr_dataorder) {
	case DDI_STRICTORDER_ACC:
		*cachep = DM_CACHE_UC;
		return 0;
	case DDI_UNORDERED_OK_ACC:
	case DDI_STORECACHING_OK_ACC:
		*cachep = DM_CACHE_WB;
		return 0;
	case DDI_MERGING_OK_ACC:
	case DDI_LOADCACHING_OK_ACC:
		*cachep = DM_CACHE_WC;
		return 0;
	default:
		return -1;
	}
}

/* The cache mode of kernel memory, from the IOMEM_* flags. */
int dm_umem_cache(uint_t flags, const ddi_device_acc_attr_t *attr,
		  enum dm_cache *cachep)
{
	if (attr && attr->devacc_attr_endian_flags > DDI_STRUCTURE_LE_ACC)
		return -1;
	switch (flags & IOMEM_DATA_MASK) {
	case 0:
	case IOMEM_DATA_CACHED:
		*cachep = DM_CACHE_WB;
		return 0;
	case IOMEM_DATA_UNCACHED:
		*cachep = DM_CACHE_UC;
		return 0;
	case IOMEM_DATA_UC_WR_COMBINE:
		*cachep = DM_CACHE_WC;
		return 0;
	default:
		return -1; /* more than one attribute */
	}
}

static void dm_setup_done(struct devmap_handle *h, dev_info_t *dip,
			  struct devmap_callback_ctl *callbackops,
			  uint_t maxprot, uint_t flags)
{
	h->dh_dip = dip;
	h->dh_maxprot = maxprot & h->dh_orig_maxprot;
	h->dh_flags |= (flags & DEVMAP_SETUP_FLAGS) | DM_DH_SETUP_DONE;
	if (callbackops)
		h->dh_callbackops = *callbackops;
}

/**
 * devmap_devmem_setup() - describe a handle as device memory
 * @dhp: the handle given to devmap(9E)
 * @dip: the device node
 * @callbackops: callbacks (copied), or NULL for none
 * @rnumber: register set
 * @roff: offset in the register set (rounded down to a page)
 * @len: length (rounded up to a page)
 * @maxprot: maximum protections, including PROT_USER
 * @flags: DEVMAP_* flags; IOMEM_* flags are ignored for device memory
 * @accattrp: access attributes; the data order chooses the cache mode
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE for a handle already set up, a
 * protection the mapping asks for that @maxprot lacks, MAPPING_INVALID
 * without ALLOW_REMAP, unknown flags, a bad register set or range (one
 * whose end overflows included), a length over DM_MAP_MAX, or an access
 * attribute that cannot be honoured.
 */
int devmap_devmem_setup(devmap_cookie_t dhp, dev_info_t *dip,
			struct devmap_callback_ctl *callbackops, uint_t rnumber,
			offset_t roff, size_t len, uint_t maxprot, uint_t flags,
			ddi_device_acc_attr_t *accattrp)
{
	struct devmap_handle *h = dhp;
	unsigned long pfn = 0;
	enum dm_cache cache;
	size_t rlen = dm_round_up(len);
	offset_t rbase = (offset_t)dm_round_down((size_t)roff);

	if (!dm_setup_ok(h, maxprot, flags) || len == 0 || len > DM_LEN_MAX ||
	    !dm_range_ok(rbase, rlen) || dm_devmem_cache(accattrp, &cache))
		return DDI_FAILURE;
	if (!(flags & DEVMAP_MAPPING_INVALID) &&
	    dmh_devmem_pfn(dip, rnumber, rbase, rlen, &pfn))
		return DDI_FAILURE;
	if (dm_handle_size_valid(h, rlen))
		return DDI_FAILURE;
	h->dh_kind = DM_DH_DEVMEM;
	h->dh_cache = cache;
	h->dh_pfn = pfn;
	h->dh_roff = rbase;
	h->dh_len = rlen;
	dm_setup_done(h, dip, callbackops, maxprot, flags);
	return DDI_SUCCESS;
}

/**
 * devmap_umem_setup() - describe a handle as kernel memory
 * @dhp: the handle given to devmap(9E)
 * @dip: the device node
 * @callbackops: callbacks (copied), or NULL for none
 * @cookie: from ddi_umem_alloc(9F) or ddi_umem_lock(9F)
 * @koff: offset in the cookie's memory (rounded down to a page)
 * @len: length (rounded up to a page)
 * @maxprot: maximum protections, including PROT_USER
 * @flags: DEVMAP_* flags and at most one IOMEM_DATA_* cache attribute
 * @accattrp: access attributes (only a big-endian request is refused)
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE for a NULL cookie, a range beyond the
 * cookie, several cache attributes, a writable mapping of memory locked
 * without DDI_UMEMLOCK_WRITE, and the failures of devmap_devmem_setup(9F).
 */
int devmap_umem_setup(devmap_cookie_t dhp, dev_info_t *dip,
		      struct devmap_callback_ctl *callbackops,
		      ddi_umem_cookie_t cookie, offset_t koff, size_t len,
		      uint_t maxprot, uint_t flags,
		      ddi_device_acc_attr_t *accattrp)
{
	struct devmap_handle *h = dhp;
	struct ddi_umem_cookie *cp = cookie;
	size_t rlen = dm_round_up(len);
	size_t rbase = dm_round_down((size_t)koff);
	enum dm_cache cache;

	if (!cp || koff < 0 || len == 0 || len > DM_LEN_MAX ||
	    (size_t)koff > cp->size || len > cp->size - (size_t)koff ||
	    rlen > cp->size - rbase || dm_umem_cache(flags, accattrp, &cache))
		return DDI_FAILURE;
	maxprot = dm_cookie_maxprot(cp, maxprot);
	if (!dm_setup_ok(h, maxprot, flags) || dm_handle_size_valid(h, rlen))
		return DDI_FAILURE;
	dm_cookie_hold(cp);
	h->dh_kind = DM_DH_UMEM;
	h->dh_cache = cache;
	h->dh_cookie = cp;
	h->dh_roff = (offset_t)rbase;
	h->dh_len = rlen;
	dm_setup_done(h, dip, callbackops, maxprot, flags);
	return DDI_SUCCESS;
}
