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
 * reference.  A release from where the kernel cannot tell that the caller
 * may sleep (freerbuf(9F) with preemption or interrupts off; any release
 * on a kernel without a preemption count) runs on devmap's workqueue;
 * ddi_umem_unlock(9F) takes a sleeping lock first and is never there.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "ddi_impl.h"
#include "dm_linux.h"
#include "core/dm_host.h"

static struct workqueue_struct *dm_unlock_wq;

/*
 * Releases deferred from where nothing may sleep: the pins that have
 * some, each with its count, and the one work item that runs them.  The
 * work item is devmap's own, never a pin's: a pin may go with the
 * releases its worker runs, while whoever deferred the last of them could
 * still be queueing it.  A caller adds its release to the list under the
 * lock and, the lock dropped, touches only the work item; the worker
 * takes counts only under the lock, so it never runs a release whose
 * caller still touches the pin.  A raw spinlock: callers may be in hard
 * interrupt context, PREEMPT_RT included.
 */
static DEFINE_RAW_SPINLOCK(dm_rele_lock);
static LIST_HEAD(dm_rele_pins);
static void dm_rele_work(struct work_struct *work);
static DECLARE_WORK(dm_rele, dm_rele_work);

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

/*
 * Run the deferred releases, pin by pin; the last of a pin's may free it.
 * Releases deferred meanwhile on a pin taken off the list put it back:
 * each is a reference still held, so the pin cannot go before they run.
 */
static void dm_rele_work(struct work_struct *work)
{
	for (;;) {
		struct ddi_umem_cookie *cp = NULL;
		unsigned int n = 0;
		struct dm_pin *p;

		raw_spin_lock_irq(&dm_rele_lock);
		p = list_first_entry_or_null(&dm_rele_pins, struct dm_pin,
					     rele_link);
		if (p) {
			list_del(&p->rele_link);
			cp = p->cookie;
			n = p->deferred;
			p->deferred = 0;
		}
		raw_spin_unlock_irq(&dm_rele_lock);
		if (!p)
			return;
		while (n--)
			dm_cookie_rele(cp);
		cond_resched();
	}
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
	INIT_LIST_HEAD(&pin->rele_link);
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
 * is one reference still held until the worker runs it; once it is on
 * the list (and the lock dropped) the pin is not touched here again.
 */
bool dmh_umem_rele_later(struct ddi_umem_cookie *cp)
{
	struct dm_pin *p = cp->pin;
	unsigned long flags;

	if (preemptible())
		return false;
	raw_spin_lock_irqsave(&dm_rele_lock, flags);
	p->cookie = cp;
	if (!p->deferred++)
		list_add_tail(&p->rele_link, &dm_rele_pins);
	raw_spin_unlock_irqrestore(&dm_rele_lock, flags);
	queue_work(dm_unlock_wq, &dm_rele); /* devmap's own: never freed */
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
