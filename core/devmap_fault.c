// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The fault path: from a host page fault to devmap_access(9E) and back to
 * the outcome the process sees (translation loaded, retry, wait, SIGBUS or
 * SIGSEGV).
 *
 * Outcomes follow Solaris: a nonzero devmap_access return e becomes
 * FC_MAKE_ERR(e), which is SIGBUS, except EINTR (4), which retries so a
 * pending signal is taken.  Where illumos goes wrong we do not: an access
 * callback that returns 0 without loading the faulting page is called
 * again a bounded number of times and then gets SIGBUS (illumos livelocks);
 * and a callback that passes on the error devmap_load(9F) just gave it
 * gets that fault code itself, so FC_PROT is SIGSEGV (illumos takes it for
 * EINTR and livelocks) and FC_NOMAP on a DEVMAP_MAPPING_INVALID handle is
 * SIGSEGV as without a callback (illumos: SIGBUS).  The match is by value:
 * a driver returning EINTR just after devmap_load gave it FC_PROT (both 4)
 * is taken to pass the load's error on.
 */
#include "dm_impl.h"

static faultcode_t dm_fc_make_err(int err)
{
	return (faultcode_t)(((unsigned int)err << 8) | FC_OBJERR);
}

/* Map a fault code to what the process sees; records it in @f. */
enum dm_fault_result dm_fault_outcome(struct dm_fault *f, faultcode_t fc)
{
	f->fc = fc;
	switch (FC_CODE(fc)) {
	case 0:
		return DM_FAULT_DONE;
	case FC_OBJERR:
		return FC_ERRNO(fc) == EINTR ? DM_FAULT_RETRY : DM_FAULT_SIGBUS;
	case FC_PROT:
	case FC_NOMAP:
		return DM_FAULT_SIGSEGV;
	default:
		return DM_FAULT_SIGBUS;
	}
}

/*
 * Load the faulting page of a valid page or of a handle without callback,
 * offering the host the run of pages around it that need no driver
 * either (valid ones; with @always, any), up to DM_RUN_PAGES each way:
 * after a switch validated more than a fault installs, or a split of a
 * huge entry, the rest comes back in a fault per window, not per page.
 * The whole offered run is valid afterwards, as the host may load it.
 */
static faultcode_t dm_fault_load(struct dm_fault *f, struct devmap_handle *dhp,
				 bool always)
{
	/* a legacy handle's host loads only the faulting page */
	size_t run = dm_handle_asks_driver(dhp) ? 1 : DM_RUN_PAGES;
	size_t lo = f->soff, hi = f->soff + PAGESIZE, n;
	faultcode_t fc;

	if (dhp->dh_flags & DEVMAP_MAPPING_INVALID)
		return FC_NOMAP;
	for (n = 1;
	     n < run && lo > 0 && (always || dm_valid_test(dhp, lo - PAGESIZE));
	     n++)
		lo -= PAGESIZE;
	for (n = 1;
	     n < run && hi < dhp->dh_len && (always || dm_valid_test(dhp, hi));
	     n++)
		hi += PAGESIZE;
	fc = dmh_load(f, dhp, lo, hi - lo);
	if (fc == 0)
		dm_valid_set(dhp, lo, hi - lo, true);
	return fc;
}

/*
 * The translation is valid (or, with @always, needs no driver): load it.
 * Returns false when the driver must be asked.
 */
bool dm_fault_fast(struct dm_fault *f, struct devmap_handle *dhp, bool always,
		   faultcode_t *fcp)
{
	bool done;

	dmh_mutex_enter(&dhp->dh_lock);
	done = always || dm_valid_test(dhp, f->soff);
	if (done)
		*fcp = dm_fault_load(f, dhp, always);
	dmh_mutex_exit(&dhp->dh_lock);
	return done;
}

static enum dm_fault_result dm_devmap_fault(struct dm_fault *f,
					    struct devmap_handle *dhp)
{
	int (*access)(devmap_cookie_t, void *, offset_t, size_t, uint_t,
		      uint_t) = dhp->dh_callbackops.devmap_access;
	faultcode_t fc = 0;
	int i, ret;

	if (dm_fault_fast(f, dhp, dm_is_stub((const void *)access), &fc))
		return dm_fault_outcome(f, fc);
	dm_fault_enter(f, f->as);
	for (i = 0; i < DM_NOLOAD_MAX; i++) {
		f->calls++;
		ret = access(dhp, dhp->dh_pvtp, dhp->dh_uoff + f->soff,
			     PAGESIZE, DEVMAP_ACCESS, f->rw);
		if (f->wait_ctx || ret || f->loaded)
			break;
		/* 0 without a load: another thread may have loaded it */
		if (dm_fault_fast(f, dhp, false, &fc))
			break;
	}
	dm_fault_exit(f, f->as);
	if (f->wait_ctx)
		return DM_FAULT_WAIT;
	if (ret && ret == f->load_fc)
		return dm_fault_outcome(f, f->load_fc);
	if (ret)
		return dm_fault_outcome(f, dm_fc_make_err(ret));
	if (i == DM_NOLOAD_MAX) {
		dmh_log_ratelimited(
			DM_CE_WARN,
			"devmap: devmap_access returned 0 %d times without loading offset 0x%llx; SIGBUS",
			DM_NOLOAD_MAX,
			(unsigned long long)(dhp->dh_uoff + f->soff));
		return dm_fault_outcome(f, dm_fc_make_err(EFAULT));
	}
	return dm_fault_outcome(f, fc);
}

/**
 * dm_fault() - handle a page fault in a devmap mapping
 * @f: the fault: seg, addr and rw filled in by the host
 *
 * Return: what the host does next (see enum dm_fault_result).
 */
enum dm_fault_result dm_fault(struct dm_fault *f)
{
	struct dm_seg *seg = f->seg;
	struct dm_event ev = { .type = DM_EV_FAULT,
			       .seg = seg,
			       .as = seg->s_as,
			       .addr = f->addr,
			       .len = PAGESIZE,
			       .rw = f->rw };
	struct devmap_handle *dhp;
	enum dm_fault_result res;

	f->as = seg->s_as;
	f->fc = 0;
	f->loaded = false;
	f->load_fc = 0;
	f->wait_ctx = NULL;
	f->calls = 0;
	dmh_rw_enter(&seg->s_lock, false);
	dhp = dm_handle_lookup(seg, f->addr);
	f->dhp = dhp;
	if (seg->s_revoked) {
		res = dm_fault_outcome(f, FC_HWERR);
	} else if (!dhp) {
		res = dm_fault_outcome(f, FC_NOMAP);
	} else {
		f->soff = dm_round_down(f->addr - dhp->dh_uvaddr);
		ev.off = dhp->dh_uoff + (offset_t)f->soff;
		if (dhp->dh_kind == DM_DH_CBMMAP) /* not under dh_lock */
			f->cb_pfn = dm_handle_cbpfn(dhp, f->soff);
		res = seg->s_mapdev ? dm_mapdev_fault(f, dhp) :
				      dm_devmap_fault(f, dhp);
	}
	dmh_rw_exit(&seg->s_lock, false);
	ev.outcome = res;
	ev.fc = f->fc;
	ev.calls = f->calls;
	dmh_event(&ev);
	return res;
}
