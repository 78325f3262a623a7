// SPDX-License-Identifier: GPL-2.0-only
/*
 * User memory locked by ddi_umem_lock(9F), the host's side (dmh_umem_pin
 * and the rest of core/dm_host.h): the pages are pinned with
 * pin_user_pages_fast(FOLL_LONGTERM), as RDMA and VFIO pin memory a device
 * keeps using, so they are first moved out of ZONE_MOVABLE and CMA, and a
 * fork gives the child copies of pinned anonymous pages while the parent
 * keeps the pinned ones.  They are charged to the user's locked_vm against
 * RLIMIT_MEMLOCK (unless the caller has CAP_IPC_LOCK), as io_uring and XDP
 * charge pinned memory: a pin may outlive its process (the driver keeps the
 * cookie), so a per-process count would let forked children each pin up
 * to the limit.  They also show in the process's mm->pinned_vm.  Both are
 * uncharged, from the user and the mm held since, whoever drops the last
 * reference.  A release from a context that cannot sleep (an unlock, or
 * freerbuf(9F) in an interrupt) runs on devmap's workqueue.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include "ddi_impl.h"
#include "dm_linux.h"
#include "core/dm_host.h"

static struct workqueue_struct *dm_unlock_wq;

/* Charge @npages to @user's locked pages; false over RLIMIT_MEMLOCK. */
static bool dm_pin_charge(struct user_struct *user, unsigned long npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic_long_add_return(npages, &user->locked_vm) <= limit ||
	    capable(CAP_IPC_LOCK))
		return true;
	atomic_long_sub(npages, &user->locked_vm);
	return false;
}

static void dm_pin_uncharge(struct dm_pin *pin)
{
	atomic_long_sub(pin->npages, &pin->user->locked_vm);
	atomic64_sub(pin->npages, &pin->mm->pinned_vm);
}

/*
 * May the device write these pages for as long as it likes?  Anonymous,
 * shmem (tmpfs, memfd) and hugetlbfs memory, yes; the page cache of a
 * file, no: the file system would never see the writes (6.12 refuses a
 * long-term writable pin of such a mapping itself, 6.1 does not).
 */
static bool dm_pin_writable(struct page **pages, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (!folio_test_swapbacked(folio) && !folio_test_hugetlb(folio))
			return false;
	}
	return true;
}

/* Pin [addr, addr + npages pages) of the current process into @pin. */
static int dm_pin_pages(struct dm_pin *pin, unsigned long addr)
{
	unsigned int gup = FOLL_LONGTERM | (pin->write ? FOLL_WRITE : 0);
	long got = pin_user_pages_fast(addr, (int)pin->npages, gup, pin->pages);

	if (got == (long)pin->npages &&
	    (!pin->write || dm_pin_writable(pin->pages, pin->npages)))
		return 0;
	if (got > 0) /* a hole, a page it may not pin, or a file's page */
		unpin_user_pages(pin->pages, got);
	return got == -ENOMEM ? ENOMEM : EFAULT;
}

/* The releases deferred on a pin; the last may free it. */
static void dm_rele_work(struct work_struct *work)
{
	struct dm_pin *p = container_of(work, struct dm_pin, rele_work);
	struct ddi_umem_cookie *cp = p->cookie;

	for (int n = atomic_xchg(&p->deferred, 0); n > 0; n--)
		dm_cookie_rele(cp);
}

int dmh_umem_pin(caddr_t addr, size_t len, bool write, void **pinp)
{
	struct mm_struct *mm = current->mm;
	struct dm_pin *pin;
	int err = ENOMEM;

	if (!mm)
		return EFAULT; /* a kernel thread has no user memory */
	pin = kzalloc(sizeof(*pin), GFP_KERNEL_ACCOUNT);
	if (!pin)
		return ENOMEM;
	pin->npages = len >> PAGE_SHIFT; /* at most DM_MAP_MAX: an int */
	pin->write = write;
	pin->mm = mm;
	pin->user = get_uid(current_user());
	/* the limit first: a refused request allocates nothing more */
	if (!dm_pin_charge(pin->user, pin->npages))
		goto free;
	atomic64_add(pin->npages, &mm->pinned_vm);
	pin->pages = kvmalloc_array(pin->npages, sizeof(*pin->pages),
				    GFP_KERNEL_ACCOUNT);
	err = pin->pages ? dm_pin_pages(pin, (unsigned long)addr) : ENOMEM;
	if (err) {
		dm_pin_uncharge(pin);
		goto free;
	}
	mmgrab(mm);
	INIT_WORK(&pin->rele_work, dm_rele_work);
	*pinp = pin;
	return 0;
free:
	free_uid(pin->user);
	kvfree(pin->pages);
	kfree(pin);
	return err;
}

void dmh_umem_page(void *pin, size_t off, struct dm_backing *b)
{
	struct dm_pin *p = pin;

	b->kind = DM_BK_PFN;
	b->io = false;
	b->pfn = page_to_pfn(p->pages[off >> PAGE_SHIFT]);
}

void dmh_umem_unpin(void *pin)
{
	struct dm_pin *p = pin;

	/* the device may have written them: the data must reach the file */
	unpin_user_pages_dirty_lock(p->pages, p->npages, p->write);
	dm_pin_uncharge(p);
	free_uid(p->user);
	mmdrop(p->mm);
	kvfree(p->pages);
	kfree(p);
}

/*
 * Without a preemption count (CONFIG_PREEMPT_COUNT) preemptible() is
 * always false: every release then goes to the workqueue, whose worker
 * calls dm_cookie_rele() itself, never back here.  Each deferred release
 * is one reference still held, so the pin outlives its queued work.
 */
bool dmh_umem_rele_later(struct ddi_umem_cookie *cp)
{
	struct dm_pin *p = cp->pin;

	if (preemptible())
		return false;
	p->cookie = cp;
	atomic_inc(&p->deferred);
	queue_work(dm_unlock_wq, &p->rele_work); /* pending: it counts too */
	return true;
}

/**
 * dm_umem_pin_init() - create the workqueue of deferred unlocks
 *
 * Return: 0 or -ENOMEM.
 */
int dm_umem_pin_init(void)
{
	dm_unlock_wq = alloc_workqueue("devmap_unlock", 0, 0);
	return dm_unlock_wq ? 0 : -ENOMEM;
}

/**
 * dm_umem_pin_fini() - run the deferred unlocks left and end the workqueue
 */
void dm_umem_pin_fini(void)
{
	destroy_workqueue(dm_unlock_wq);
}
