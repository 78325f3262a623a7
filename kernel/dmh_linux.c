// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host interface (core/dm_host.h) in the Linux kernel: memory, locks,
 * jiffies, and translations.  Translations are loaded with
 * vmf_insert_pfn_prot() inside the fault, the faulting page and the rest of
 * the range the driver loads in the faulting VMA (dmh_load), 2 MiB windows
 * of it as huge entries where they can be (dm_pmd.c), and removed with
 * unmap_mapping_pages() on the driver's own address_space at the mapping's
 * private file offsets, which needs no lock of the owning process and so
 * works from inside another process's fault.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "ddi_impl.h"
#include "dm_linux.h"
#include "core/dm_host.h"

void *dmh_zalloc(size_t size, int flags)
{
	/* charged to the caller's memory cgroup: users size these (mmap
	 * lengths, fork); the core bounds them (DM_MAP_MAX) */
	if (flags == DMH_NOSLEEP)
		return kzalloc(size, GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
	return kvzalloc(size, GFP_KERNEL_ACCOUNT);
}

void dmh_free(void *p, size_t size)
{
	kvfree(p);
}

void dmh_mutex_destroy(dmh_mutex_t *m)
{
	mutex_destroy(m);
}

void dmh_mutex_enter(dmh_mutex_t *m)
{
	mutex_lock(m);
}

void dmh_mutex_enter_nested(dmh_mutex_t *m)
{
	mutex_lock_nested(m, SINGLE_DEPTH_NESTING);
}

void dmh_mutex_exit(dmh_mutex_t *m)
{
	mutex_unlock(m);
}

void dmh_rw_destroy(dmh_rwlock_t *l)
{
}

void dmh_rw_enter(dmh_rwlock_t *l, bool writer)
{
	if (writer)
		down_write(l);
	else
		down_read(l);
}

void dmh_rw_exit(dmh_rwlock_t *l, bool writer)
{
	if (writer)
		up_write(l);
	else
		up_read(l);
}

void dmh_cond_destroy(dmh_cond_t *c)
{
}

void dmh_cond_broadcast(dmh_cond_t *c)
{
	wake_up_all(c);
}

/*
 * An interruptible wait (a signal ends it and the fault is retried), or a
 * killable one for a kernel access, which only a fatal signal ends.
 */
int dmh_cond_wait_until(dmh_cond_t *c, dmh_mutex_t *m, clock_t deadline,
			bool killable)
{
	long timeout = MAX_SCHEDULE_TIMEOUT;
	DEFINE_WAIT(wait);

	if (deadline != DM_TICKS_FOREVER) {
		timeout = (long)((unsigned long)deadline - jiffies);
		if (timeout <= 0)
			return ETIMEDOUT;
	}
	prepare_to_wait(c, &wait,
			killable ? TASK_KILLABLE : TASK_INTERRUPTIBLE);
	mutex_unlock(m);
	timeout = schedule_timeout(timeout);
	finish_wait(c, &wait);
	mutex_lock(m);
	if (killable ? fatal_signal_pending(current) : signal_pending(current))
		return EINTR;
	return timeout ? 0 : ETIMEDOUT;
}

clock_t dmh_ticks(void)
{
	return (clock_t)jiffies;
}

int dmh_ncpus(void)
{
	return num_online_cpus();
}

uintptr_t dmh_thread_self(void)
{
	return (uintptr_t)current;
}

long dmh_proc_id(void)
{
	return current->tgid;
}

/* One message at @level; with @rs, only while that rate limit allows. */
static void dm_vlog(int level, struct ratelimit_state *rs, const char *fmt,
		    va_list *args)
{
	struct va_format vaf = { .fmt = fmt, .va = args };

	if (rs && !__ratelimit(rs))
		return;
	if (level == DM_CE_WARN)
		pr_warn("%pV\n", &vaf);
	else
		pr_notice("%pV\n", &vaf);
}

void dmh_log(int level, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	dm_vlog(level, NULL, fmt, &args);
	va_end(args);
}

static pgprot_t dm_cache_prot(pgprot_t prot, enum dm_cache cache)
{
	switch (cache) {
	case DM_CACHE_UC:
		return pgprot_noncached(prot);
	case DM_CACHE_WC:
		return pgprot_writecombine(prot);
	default:
		return prot;
	}
}

static unsigned long dm_backing_pfn(const struct dm_backing *b)
{
	if (b->kind == DM_BK_PFN)
		return b->pfn;
	return is_vmalloc_addr(b->kva) ? vmalloc_to_pfn(b->kva) :
					 PHYS_PFN(virt_to_phys(b->kva));
}

/* The protection of @b's page in @vma. */
static pgprot_t dm_prot(const struct vm_area_struct *vma,
			const struct dm_backing *b)
{
	pgprot_t prot = dm_cache_prot(vma->vm_page_prot, b->cache);

	/* device memory is never encrypted memory (SME/SEV guests) */
	if (b->kind == DM_BK_PFN && (b->io || !pfn_valid(b->pfn)))
		prot = pgprot_decrypted(prot);
	return prot;
}

/* Insert the page at user address @page, offset @soff in @dhp. */
static faultcode_t dm_insert(struct dm_fault *f, struct devmap_handle *dhp,
			     size_t soff, unsigned long page)
{
	struct vm_fault *vmf = f->host;
	struct dm_backing b;
	faultcode_t fc;
	vm_fault_t ret;

	fc = dm_handle_backing(f, dhp, soff, &b);
	if (fc)
		return fc;
	ret = vmf_insert_pfn_prot(vmf->vma, page, dm_backing_pfn(&b),
				  dm_prot(vmf->vma, &b));
	if (ret == VM_FAULT_NOPAGE)
		return 0;
	return FC_MAKE_ERR(ret == VM_FAULT_OOM ? ENOMEM : EFAULT);
}

/*
 * Load the faulting page's 2 MiB window, at offset @soff in @dhp, with one
 * huge entry if its slot is empty and its backing is one aligned
 * contiguous run (dm_pmd.c).  Returns true if it did.
 */
static bool dm_insert_huge(struct dm_fault *f, struct devmap_handle *dhp,
			   size_t soff)
{
	struct vm_fault *vmf = f->host;
	struct dm_backing b, e;
	unsigned long pfn;

	if (!DM_PMD_CAPABLE || !dm_pmd_none(vmf) ||
	    dm_handle_backing(f, dhp, soff, &b) ||
	    dm_handle_backing(f, dhp, soff + PMD_SIZE - PAGE_SIZE, &e) ||
	    b.kind != e.kind)
		return false;
	pfn = dm_backing_pfn(&b);
	if (dm_backing_pfn(&e) != pfn + DM_PMD_PAGES - 1 ||
	    !IS_ALIGNED(pfn, DM_PMD_PAGES))
		return false;
	/* and the run between: device memory (devmap_devmem_setup) and the
	 * direct map are linear, vmalloc memory only in a block of ours */
	if (b.kind == DM_BK_PFN ? !b.io :
				  is_vmalloc_addr(b.kva) && !dm_umem_chunk(pfn))
		return false;
	return dm_pmd_load(vmf, pfn, dm_prot(vmf->vma, &b));
}

/*
 * Load [soff, soff + len) of @dhp if the faulting page of @f lies in it
 * and @dhp belongs to the mapping of the faulting VMA (a driver may call
 * devmap_load(9F) on any handle of the process, even of another mapping).
 * The faulting page goes first and its failure is the fault's; then the
 * rest of the range that this VMA maps, so that a switch to a multi-page
 * context costs one fault, not one per page (as DRM's TTM prefaults).  The
 * faulting page's 2 MiB window, when wholly in that range, goes in as one
 * huge entry if its backing allows (dm_insert_huge; a range of at most
 * DM_LOAD_MAX pages holds no other whole window), the rest page by page;
 * no page goes into a window a huge entry maps.  A page that fails stays
 * valid without a translation and faults in later without the driver.  A
 * legacy handle loads only the faulting page (its other pages would call
 * mmap(9E) under dh_lock).  At most DM_LOAD_MAX pages go in per fault,
 * those of the faulting page's window first, which bounds the time a
 * fault holds the mmap_lock; docs/architecture.md says why this bound.
 */
int dmh_load(struct dm_fault *f, struct devmap_handle *dhp, size_t soff,
	     size_t len)
{
	struct vm_fault *vmf = f ? f->host : NULL;
	uintptr_t start = dm_handle_uvaddr(dhp) + soff, page, lo, hi, a, w, end;
	bool legacy;
	faultcode_t fc;

	if (!vmf || vmf->vma->vm_private_data != dm_handle_host(dhp))
		return 0;
	page = vmf->address & PAGE_MASK;
	if (page < start || page - start >= len)
		return 0; /* valid now; its own fault loads it */
	legacy = dm_handle_asks_driver(dhp);
	/* the range in this VMA; beyond DM_LOAD_MAX pages, those from the
	 * faulting page's 2 MiB window on, so that window can go in huge */
	lo = max_t(uintptr_t, start, vmf->vma->vm_start);
	hi = min_t(uintptr_t, start + len, vmf->vma->vm_end);
	w = page & PMD_MASK;
	if (hi - lo > DM_LOAD_MAX * PAGE_SIZE) {
		lo = max(lo, w);
		hi = min(hi, lo + DM_LOAD_MAX * PAGE_SIZE);
		lo = max(lo, hi - DM_LOAD_MAX * PAGE_SIZE);
	}
	if (legacy || w < lo || w + PMD_SIZE > hi ||
	    !dm_insert_huge(f, dhp, soff + (w - start))) {
		/* a racing fault of this handle may have mapped it huge */
		if (dm_pmd_mapped(vmf, page))
			return 0;
		fc = dm_insert(f, dhp, soff + (page - start), page);
		if (fc || legacy)
			return fc;
	}
	for (a = lo; a < hi; a = end) {
		end = min_t(uintptr_t, hi, (a & PMD_MASK) + PMD_SIZE);
		if (dm_pmd_mapped(vmf, a))
			continue; /* that window is loaded, huge */
		for (; a < end; a += PAGE_SIZE)
			if (a != page)
				dm_insert(f, dhp, soff + (a - start), a);
	}
	return 0;
}

/*
 * Remove the translations of [soff, soff + len) of @dhp in every VMA of
 * its mapping (and of nothing else: the range is the mapping's own slot of
 * file offsets).  A mapping still being set up has no slot and nothing to
 * remove.
 */
void dmh_unload(struct devmap_handle *dhp, size_t soff, size_t len)
{
	struct dm_group *grp = dm_handle_host(dhp);
	const struct dm_slot *slot = READ_ONCE(grp->slot);
	offset_t off = dm_handle_uoff(dhp) + (offset_t)soff - grp->map_off;

	if (!slot || !len)
		return;
	/* by offset, not address: a moved (mremap) piece keeps its offsets */
	unmap_mapping_pages(grp->mapping,
			    dm_slot_pgoff(slot) + (pgoff_t)(off >> PAGE_SHIFT),
			    DIV_ROUND_UP(len, PAGE_SIZE), true);
}

int dmh_devmem_pfn(dev_info_t *dip, uint_t rnumber, offset_t roff, size_t len,
		   unsigned long *pfnp)
{
	int bar = dip ? dm_reg_bar(dip->pdev, rnumber) : -1;

	if (bar < 0 || !(pci_resource_flags(dip->pdev, bar) & IORESOURCE_MEM) ||
	    roff < 0 || (u64)roff + len > dm_bar_len(dip, bar))
		return -1;
	*pfnp = (unsigned long)((pci_resource_start(dip->pdev, bar) + roff) >>
				PAGE_SHIFT);
	return 0;
}

/**
 * dm_host_init() - set up the host: the core's tables and the workqueue
 * of deferred ddi_umem_unlock(9F) calls
 *
 * Return: 0 or -ENOMEM.
 */
int dm_host_init(void)
{
	int err = dm_umem_pin_init();

	if (err)
		return err;
	dm_core_init();
	return 0;
}

/**
 * dm_host_fini() - undo dm_host_init(), after the deferred unlocks ran
 */
void dm_host_fini(void)
{
	dm_umem_pin_fini();
	dm_core_fini();
}

/*
 * Does @pfn lie within the machine's physical address width?  A frame a
 * driver's legacy mmap(9E) returns is mapped only then.
 */
bool dmh_pfn_ok(unsigned long pfn)
{
#ifdef CONFIG_X86
	unsigned int bits = boot_cpu_data.x86_phys_bits;
#else
	unsigned int bits = MAX_PHYSMEM_BITS;
#endif

	return bits - PAGE_SHIFT >= BITS_PER_LONG ||
	       pfn < 1UL << (bits - PAGE_SHIFT);
}

/* dmh_log() for what a user can trigger: printk_ratelimited. */
void dmh_log_ratelimited(int level, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	va_list args;

	va_start(args, fmt);
	dm_vlog(level, &rs, fmt, &args);
	va_end(args);
}

/* A step of a long loop: reschedule; stop for a fatal signal. */
bool dmh_yield(void)
{
	cond_resched();
	return fatal_signal_pending(current);
}
