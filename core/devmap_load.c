// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Validating and invalidating translations: devmap_load(9F),
 * devmap_unload(9F), devmap_default_access(9F), their range rules, and the
 * resolution of a handle page to its backing for the host.
 *
 * Each load and unload is an event (DM_EV_LOAD, DM_EV_UNLOAD); the pages an
 * unload takes inside a context switch count for that switch.
 *
 * Ranges follow the man page, not illumos' code: a request covers every
 * page touched by [off, off + len), len 0 means to the end of the handle,
 * and off 0 with len 0 means the whole handle (illumos rounds off and len
 * separately and takes off 0 as user offset 0).
 */
#include "dm_impl.h"

/*
 * Turn a request into a page range of @dhp, with dh_lock held.  @user says
 * @off is a user (mmap) offset, else an offset from the handle start.
 */
static faultcode_t dm_range(const struct devmap_handle *dhp, offset_t off,
			    size_t len, bool user, size_t *soffp, size_t *lenp)
{
	offset_t rel = user ? off - dhp->dh_uoff : off;
	size_t start, end;

	if (user && off == 0 && len == 0)
		rel = 0;
	if (rel < 0 || (size_t)rel >= dhp->dh_len || len > dhp->dh_len)
		return FC_MAKE_ERR(EINVAL);
	start = dm_round_down((size_t)rel);
	end = len ? dm_round_up((size_t)rel + len) : dhp->dh_len;
	if (end > dhp->dh_len)
		return FC_MAKE_ERR(EINVAL);
	*soffp = start;
	*lenp = end - start;
	return 0;
}

/*
 * Make a range of @dhp valid and let the host load it; @f is the current
 * fault of this address space (or NULL for ddi_mapdev_nointercept outside
 * a fault).  Returns 0 or a fault code; nothing changes on error.
 */
faultcode_t dm_validate(struct devmap_handle *dhp, struct dm_fault *f,
			offset_t off, size_t len, bool user)
{
	struct dm_event ev = { .type = DM_EV_LOAD,
			       .seg = dhp->dh_seg,
			       .as = dhp->dh_seg->s_as,
			       .in_fault = f != NULL };
	size_t soff = 0, rlen = 0;
	faultcode_t fc;

	dmh_mutex_enter(&dhp->dh_lock);
	fc = dm_range(dhp, off, len, user, &soff, &rlen);
	if (fc == 0 && (dhp->dh_flags & DEVMAP_MAPPING_INVALID))
		fc = FC_NOMAP;
	if (fc == 0 && f)
		fc = dmh_load(f, dhp, soff, rlen);
	if (fc == 0)
		dm_valid_set(dhp, soff, rlen, true);
	ev.off = dhp->dh_uoff + (offset_t)soff;
	dmh_mutex_exit(&dhp->dh_lock);
	if (fc == 0 && f && f->dhp == dhp && f->soff >= soff &&
	    f->soff - soff < rlen)
		f->loaded = true;
	ev.len = rlen;
	ev.fc = fc;
	dmh_event(&ev);
	return fc;
}

/* Make a range of @dhp invalid and remove its translations. */
faultcode_t dm_invalidate(struct devmap_handle *dhp, offset_t off, size_t len,
			  bool user)
{
	struct dm_event ev = { .type = DM_EV_UNLOAD,
			       .seg = dhp->dh_seg,
			       .as = dhp->dh_seg->s_as };
	size_t soff, rlen;
	faultcode_t fc;

	dmh_mutex_enter(&dhp->dh_lock);
	fc = dm_range(dhp, off, len, user, &soff, &rlen);
	if (fc == 0) {
		dm_valid_set(dhp, soff, rlen, false);
		dmh_unload(dhp, soff, rlen);
		ev.off = dhp->dh_uoff + (offset_t)soff;
	}
	dmh_mutex_exit(&dhp->dh_lock);
	if (fc)
		return fc;
	ev.len = rlen;
#ifndef DM_NO_EVENTS
	/* for the events only (two lookups under locks): inside a fault, a
	 * context switch of this thread, or its own fault */
	ev.in_fault =
		(dhp->dh_ctx && dm_ctx_unloaded(dhp->dh_ctx, dm_pages(rlen))) ||
		dm_fault_current(ev.as);
#endif
	dmh_event(&ev);
	return 0;
}

static bool dm_rw_allowed(uint_t prot, uint_t rw)
{
	switch (rw) {
	case DEVMAP_READ:
		return prot & PROT_READ;
	case DEVMAP_WRITE:
		return prot & PROT_WRITE;
	case DEVMAP_EXEC:
		return prot & PROT_EXEC;
	default:
		return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
	}
}

/**
 * devmap_load() - validate the translations of a range of a mapping
 * @dhp: the handle, as given to devmap_access(9E) or a sibling handle of
 *	 the same process
 * @off: user (mmap) offset of the range
 * @len: length in bytes; 0 means to the end of the handle
 * @type: DEVMAP_ACCESS (DEVMAP_LOCK and DEVMAP_UNLOCK are taken as such)
 * @rw: DEVMAP_READ, DEVMAP_WRITE, DEVMAP_EXEC or DEVMAP_OTHER
 *
 * Accesses to the range then proceed without calling devmap_access(9E)
 * until devmap_unload(9F).  Only the faulting process may load its own
 * mappings: the call must come from inside a fault of @dhp's process.
 *
 * Return: 0; FC_MAKE_ERR(EINVAL) for a bad range, a handle not set up or a
 * call outside the process's fault; FC_PROT for DEVMAP_PROT or an @rw the
 * mapping does not allow; FC_NOMAP for a DEVMAP_MAPPING_INVALID handle.
 */
int devmap_load(devmap_cookie_t dhp, offset_t off, size_t len, uint_t type,
		uint_t rw)
{
	struct devmap_handle *h = dhp;
	struct dm_fault *f;
	faultcode_t fc;

	if (!h || !(h->dh_flags & DM_DH_SETUP_DONE) || !h->dh_seg)
		return FC_MAKE_ERR(EINVAL);
	if (type == DEVMAP_PROT)
		return FC_PROT;
	f = dm_fault_current(h->dh_seg->s_as);
	if (!f) {
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap_load: not called from a fault of the mapping's process");
		return FC_MAKE_ERR(EINVAL);
	}
	if (!dm_rw_allowed(h->dh_prot, rw))
		fc = FC_PROT;
	else
		fc = dm_validate(h, f, off, len, true);
	if (fc)
		f->load_fc = fc;
	return fc;
}

/**
 * devmap_unload() - invalidate the translations of a range of a mapping
 * @dhp: the handle, of any process
 * @off: user (mmap) offset of the range
 * @len: length in bytes; 0 means to the end of the handle
 *
 * The next access to the range calls devmap_access(9E) again (or reloads
 * silently when the handle has none).  Callable from any thread that may
 * sleep, including from another process's devmap_access(9E).
 *
 * Return: 0, or FC_MAKE_ERR(EINVAL) for a bad range or a handle not set up.
 */
int devmap_unload(devmap_cookie_t dhp, offset_t off, size_t len)
{
	struct devmap_handle *h = dhp;

	if (!h || !(h->dh_flags & DM_DH_SETUP_DONE) || !h->dh_seg)
		return FC_MAKE_ERR(EINVAL);
	return dm_invalidate(h, off, len, true);
}

/**
 * devmap_default_access() - the default devmap_access(9E)
 * @dhp: the handle
 * @pvtp: driver private data (unused)
 * @off: user offset of the access
 * @len: length of the access
 * @type: fault type
 * @rw: access type
 *
 * Return: what devmap_load(9F) returns for the same arguments.
 */
int devmap_default_access(devmap_cookie_t dhp, void *pvtp, offset_t off,
			  size_t len, uint_t type, uint_t rw)
{
	(void)pvtp;
	return devmap_load(dhp, off, len, type, rw);
}

/*
 * The legacy paths' page frame: the driver's mmap(9E) of user offset @off.
 * Its int is an unsigned 32-bit page frame number, as on Solaris (frames
 * 2^31 to 2^32 - 2 are memory on a machine that large); -1 refuses the
 * page, and so does the host for a frame beyond its physical address
 * width (a driver bug that would otherwise map a random page).
 */
unsigned long dm_cbmmap_pfn(const struct cb_ops *cb, dev_t dev, offset_t off,
			    uint_t prot)
{
	int ret = cb->cb_mmap(dev, (off_t)off, prot);
	unsigned long pfn = (uint32_t)ret;

	if (ret == -1)
		return DM_PFN_NONE;
	if (!dmh_pfn_ok(pfn)) {
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap: mmap(9E) gave page frame 0x%lx for offset 0x%llx, beyond physical memory; refused",
			pfn, (unsigned long long)off);
		return DM_PFN_NONE;
	}
	return pfn;
}

/* dm_cbmmap_pfn() of the page at byte offset @soff of a legacy handle. */
unsigned long dm_handle_cbpfn(struct devmap_handle *dhp, size_t soff)
{
	return dm_cbmmap_pfn(dhp->dh_seg->s_cb, dhp->dh_seg->s_dev,
			     dhp->dh_roff + (offset_t)soff,
			     dhp->dh_prot & ~PROT_USER);
}

/**
 * dm_handle_asks_driver() - does finding a page's backing call the driver?
 * @dhp: the handle
 *
 * True for a legacy handle, whose pages come from the driver's mmap(9E):
 * a host may not look up such a page under dh_lock unless the fault asked
 * beforehand (dm_fault.cb_pfn), so it loads no page but the faulting one.
 *
 * Return: true when it does.
 */
bool dm_handle_asks_driver(const struct devmap_handle *dhp)
{
	return dhp->dh_kind == DM_DH_CBMMAP;
}

/**
 * dm_handle_backing() - where a page of a handle lives
 * @f: the fault given to dmh_load(), or NULL
 * @dhp: the handle (its dh_lock held by the caller, the host's dmh_load)
 * @soff: byte offset of the page in the handle
 * @b: filled with the page frame or kernel address and the cache mode
 *
 * Return: 0, FC_NOMAP for a DEVMAP_MAPPING_INVALID handle, or
 * FC_MAKE_ERR(EFAULT) when the driver's mmap(9E) refuses the page.
 */
faultcode_t dm_handle_backing(struct dm_fault *f, struct devmap_handle *dhp,
			      size_t soff, struct dm_backing *b)
{
	unsigned long pfn;

	if (dhp->dh_flags & DEVMAP_MAPPING_INVALID)
		return FC_NOMAP;
	b->uaddr = dhp->dh_uvaddr + soff;
	b->cache = dhp->dh_cache;
	switch (dhp->dh_kind) {
	case DM_DH_DEVMEM:
		b->kind = DM_BK_PFN;
		b->io = true;
		b->pfn = dhp->dh_pfn + (soff >> PAGESHIFT);
		return 0;
	case DM_DH_UMEM:
		if (dhp->dh_cookie->type == DM_UMEM_LOCKED) {
			dmh_umem_page(dhp->dh_cookie->pin,
				      (size_t)dhp->dh_roff + soff, b);
			return 0;
		}
		b->kind = DM_BK_KVA;
		/* every page of a trash cookie is its one page */
		b->kva = dhp->dh_cookie->type == DM_UMEM_TRASH ?
				 dhp->dh_cookie->cvaddr :
				 (char *)dhp->dh_cookie->cvaddr + dhp->dh_roff +
					 soff;
		return 0;
	case DM_DH_CBMMAP:
		pfn = f && f->dhp == dhp && f->soff == soff ?
			      f->cb_pfn :
			      dm_handle_cbpfn(dhp, soff);
		if (pfn == DM_PFN_NONE)
			return FC_MAKE_ERR(EFAULT);
		b->kind = DM_BK_PFN;
		b->io = false; /* a legacy frame may be memory or a device */
		b->pfn = pfn;
		return 0;
	default:
		return FC_NOMAP;
	}
}

/**
 * dm_handle_as() - the address space of a handle
 * @dhp: the handle
 *
 * Return: the struct as the handle's mapping lives in.
 */
struct as *dm_handle_as(const struct devmap_handle *dhp)
{
	return dhp->dh_seg->s_as;
}

/**
 * dm_handle_uvaddr() - the user address where a handle starts
 * @dhp: the handle
 *
 * Return: the address; read it with the handle's mutex held (dmh_load) or
 * the mapping otherwise stable.
 */
uintptr_t dm_handle_uvaddr(const struct devmap_handle *dhp)
{
	return dhp->dh_uvaddr;
}

/**
 * dm_handle_uoff() - the user (mmap) offset where a handle starts
 * @dhp: the handle
 *
 * Return: the offset; unlike the address it never changes (mremap).
 */
offset_t dm_handle_uoff(const struct devmap_handle *dhp)
{
	return dhp->dh_uoff;
}

/**
 * dm_handle_host() - the host's object of the mapping a handle is in
 * @dhp: the handle
 *
 * Return: what dm_seg_host() returns for its mapping.
 */
void *dm_handle_host(const struct devmap_handle *dhp)
{
	return dm_seg_host(dhp->dh_seg);
}

/**
 * dm_seg_access() - let a debugger reach a page of a mapping
 * @seg: the mapping
 * @addr: a user address in it
 * @fn: copies to or from the backing @b; runs with the handle locked
 * @arg: for @fn
 *
 * Never calls the driver and never loads a translation.  A page whose
 * handle has a devmap_access(9E) callback is reachable only while valid
 * for this mapping: otherwise it may hold another process's context.
 *
 * Return: what @fn returns; FC_NOMAP where no handle or backing is;
 * FC_PROT for a page this mapping does not own now; FC_MAKE_ERR(EFAULT)
 * when the driver's mmap(9E) refuses the page.
 */
int dm_seg_access(struct dm_seg *seg, uintptr_t addr,
		  int (*fn)(const struct dm_backing *b, void *arg), void *arg)
{
	struct dm_fault f = { .seg = seg, .addr = addr };
	struct dm_backing b;
	int ret = FC_NOMAP;

	dmh_rw_enter(&seg->s_lock, false);
	f.dhp = seg->s_revoked ? NULL : dm_handle_lookup(seg, addr);
	if (f.dhp) {
		f.soff = dm_round_down(addr - f.dhp->dh_uvaddr);
		if (f.dhp->dh_kind == DM_DH_CBMMAP)
			f.cb_pfn = dm_handle_cbpfn(f.dhp, f.soff);
		dmh_mutex_enter(&f.dhp->dh_lock);
		if (dm_handle_managed(f.dhp) && !dm_valid_test(f.dhp, f.soff))
			ret = FC_PROT;
		else
			ret = dm_handle_backing(&f, f.dhp, f.soff, &b);
		if (ret == 0)
			ret = fn(&b, arg);
		dmh_mutex_exit(&f.dhp->dh_lock);
	}
	dmh_rw_exit(&seg->s_lock, false);
	return ret;
}
