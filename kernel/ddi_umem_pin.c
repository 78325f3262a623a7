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
 * reference.  An unlock from a context that cannot sleep runs on devmap's
 * workqueue.
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

static void dm_unlock_work(struct work_struct *work)
{
	ddi_umem_unlock(container_of(work, struct dm_pin, unlock_work)->cookie);
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
	INIT_WORK(&pin->unlock_work, dm_unlock_work);
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
 * always false: every unlock then goes to the workqueue.
 */
bool dmh_umem_unlock_later(struct ddi_umem_cookie *cp)
{
	struct dm_pin *p = cp->pin;

	if (preemptible())
		return false;
	p->cookie = cp;
	/* initialised with the pin: a second deferred unlock while the first
	 * is queued finds it pending and is reported, not queued again */
	if (!queue_work(dm_unlock_wq, &p->unlock_work))
		dmh_log_ratelimited(
			DM_CE_WARN,
			"ddi_umem_unlock: a cookie unlocked twice; ignored");
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
