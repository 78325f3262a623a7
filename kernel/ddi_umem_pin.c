// SPDX-License-Identifier: GPL-2.0-only
/*
 * User memory locked by ddi_umem_lock(9F), the host's side (dmh_umem_pin
 * and the rest of core/dm_host.h): the pages are pinned with
 * pin_user_pages_fast(FOLL_LONGTERM), as RDMA and VFIO pin memory a device
 * keeps using, so they are first moved out of ZONE_MOVABLE and CMA, and a
 * fork gives the child copies of pinned anonymous pages while the parent
 * keeps the pinned ones.  They are charged to mm->pinned_vm against
 * RLIMIT_MEMLOCK (unless the caller has CAP_IPC_LOCK) and uncharged from
 * that mm, held by mmgrab(), whoever drops the last reference.  An unlock
 * from a context that cannot sleep runs on devmap's workqueue.
 */
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "ddi_impl.h"
#include "dm_linux.h"
#include "core/dm_host.h"

static struct workqueue_struct *dm_unlock_wq;

/* Charge @npages to @mm's pinned pages; false over RLIMIT_MEMLOCK. */
static bool dm_pin_charge(struct mm_struct *mm, unsigned long npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;

	if (atomic64_add_return(npages, &mm->pinned_vm) <= limit ||
	    capable(CAP_IPC_LOCK))
		return true;
	atomic64_sub(npages, &mm->pinned_vm);
	return false;
}

/* Pin [addr, addr + npages pages) of the current process into @pin. */
static int dm_pin_pages(struct dm_pin *pin, unsigned long addr)
{
	unsigned int gup = FOLL_LONGTERM | (pin->write ? FOLL_WRITE : 0);
	long got = pin_user_pages_fast(addr, (int)pin->npages, gup, pin->pages);

	if (got == (long)pin->npages)
		return 0;
	if (got > 0) /* a hole or a page it may not pin further on */
		unpin_user_pages(pin->pages, got);
	return got == -ENOMEM ? ENOMEM : EFAULT;
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
	pin->pages = kvmalloc_array(pin->npages, sizeof(*pin->pages),
				    GFP_KERNEL_ACCOUNT);
	if (!pin->pages || !dm_pin_charge(mm, pin->npages))
		goto free;
	err = dm_pin_pages(pin, (unsigned long)addr);
	if (err) {
		atomic64_sub(pin->npages, &mm->pinned_vm);
		goto free;
	}
	mmgrab(mm);
	pin->mm = mm;
	*pinp = pin;
	return 0;
free:
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
	atomic64_sub(p->npages, &p->mm->pinned_vm);
	mmdrop(p->mm);
	kvfree(p->pages);
	kfree(p);
}

static void dm_unlock_work(struct work_struct *work)
{
	ddi_umem_unlock(container_of(work, struct dm_pin, unlock_work)->cookie);
}

/*
 * Without a preemption count (CONFIG_PREEMPT_COUNT) preemptible() is
 * always false: every unlock then goes to the workqueue.
 */
bool dmh_umem_unlock_later(struct ddi_umem_cookie *cp)
{
	struct dm_pin *p = cp->pin;

	if (preemptible())
		return false;
	p->cookie = cp;
	INIT_WORK(&p->unlock_work, dm_unlock_work);
	queue_work(dm_unlock_wq, &p->unlock_work);
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
