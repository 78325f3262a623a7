// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux memory-management side of devmap: mmap of a driver's device
 * file, and the vm_operations that turn page faults, VMA splits, fork,
 * munmap, exit, mprotect, mremap and debugger accesses into core events.
 *
 * Each mmap is a group: the core mapping plus the VMA pieces cut from it
 * (vm_private_data, one reference per piece, and one per fault that waits
 * for a held context without the mmap_lock, while its VMA may go).  The
 * mapping gets private file offsets in the driver's address_space so that
 * an unload zaps this mapping (and copies of it made by fork) and nothing
 * else.  VMAs are VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP |
 * VM_WIPEONFORK: fork copies no translation, so a child starts with none
 * on every kernel.
 *
 * The per-VMA lock (FAULT_FLAG_VMA_LOCK, 6.4 on): the kernel calls a file
 * VMA's ->fault under it only when vm_ops has ->map_pages (6.12's
 * vmf_can_call_fault); devmap has none on purpose, so every devmap fault
 * is retried under the mmap_lock and runs there, as on 6.1.  The path
 * would hold under the VMA lock alone too (it needs only the VMA to stay,
 * takes the core's own locks, and dm_release_fault_lock() drops whichever
 * lock it came with before a wait), but the core's callers (drivers'
 * devmap_access) were written for Solaris' address-space lock.
 */
#include <linux/compat.h>
#include <linux/file.h>
#include <linux/io.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include "dm_compat.h"
#include "dm_linux.h"

/*
 * A VMA's vm_private_data is its group, or, for a dead copy (a fork whose
 * group could not be made), its slot tagged with DM_DEAD: the copy keeps
 * the slot's file offsets, so it keeps a reference to the slot too, and
 * the slot is never reused while a VMA carries its offsets.
 */
#define DM_DEAD 1UL

static struct dm_group *dm_vma_group(const struct vm_area_struct *vma)
{
	unsigned long p = (unsigned long)vma->vm_private_data;

	return p & DM_DEAD ? NULL : (struct dm_group *)p;
}

static struct dm_slot *dm_vma_dead(const struct vm_area_struct *vma)
{
	unsigned long p = (unsigned long)vma->vm_private_data;

	return p & DM_DEAD ? (struct dm_slot *)(p & ~DM_DEAD) : NULL;
}

/*
 * The per-process records, found by mm in a hash whose buckets have locks
 * of their own, so that mmap and fork of unrelated processes do not
 * serialise.  A bucket's lock guards its records and their group lists.
 */
#define DM_MM_BUCKET_BITS 6
static struct dm_mm_bucket {
	struct mutex lock;
	struct hlist_head head;
} dm_mm_buckets[1 << DM_MM_BUCKET_BITS];

/**
 * dm_vm_init() - set up the per-process record hash (module start)
 */
void dm_vm_init(void)
{
	for (int i = 0; i < ARRAY_SIZE(dm_mm_buckets); i++) {
		mutex_init(&dm_mm_buckets[i].lock);
		INIT_HLIST_HEAD(&dm_mm_buckets[i].head);
	}
}

static struct dm_mm_bucket *dm_mm_bucket(const struct mm_struct *mm)
{
	return &dm_mm_buckets[hash_ptr(mm, DM_MM_BUCKET_BITS)];
}

/* @mm's record in its (locked) bucket, or NULL. */
static struct dm_mm *dm_mm_find(struct dm_mm_bucket *b,
				const struct mm_struct *mm)
{
	struct dm_mm *dmm;

	hlist_for_each_entry(dmm, &b->head, link)
		if (dmm->mm == mm)
			return dmm;
	return NULL;
}

/* Names every process record ever made, never twice (dm_group.fork_id). */
static atomic64_t dm_mm_ids;

/*
 * A new group of instance @dip in @mm's record (created on first use).
 * Returns NULL without memory, or when the device is gone.
 */
static struct dm_group *dm_group_new(struct mm_struct *mm, struct dev_info *dip)
{
	struct dm_mm_bucket *b = dm_mm_bucket(mm);
	struct dm_group *grp;
	struct dm_mm *dmm;

	grp = kzalloc(sizeof(*grp), GFP_KERNEL_ACCOUNT);
	if (!grp)
		return NULL;
	if (!dm_instance_get(dip, false)) {
		kfree(grp);
		return NULL;
	}
	refcount_set(&grp->pieces, 1);
	grp->dip = dip;
	mutex_lock(&b->lock);
	dmm = dm_mm_find(b, mm);
	if (!dmm) {
		dmm = kzalloc(sizeof(*dmm), GFP_KERNEL_ACCOUNT);
		if (dmm)
			dmm->as = dm_as_create(dmm);
		if (!dmm || !dmm->as) {
			mutex_unlock(&b->lock);
			kfree(dmm);
			kfree(grp);
			dm_instance_put(dip);
			return NULL;
		}
		dmm->mm = mm;
		dmm->id = atomic64_inc_return(&dm_mm_ids);
		hlist_add_head(&dmm->link, &b->head);
	}
	grp->dmm = dmm;
	dmm->groups++;
	mutex_unlock(&b->lock);
	INIT_LIST_HEAD(&grp->inst_link);
	return grp;
}

/*
 * Make a group whose mapping is complete visible to a removal of its
 * device.  Returns false, leaving it out, when the device is gone.
 */
static bool dm_group_link(struct dm_group *grp)
{
	struct dev_info *dip = grp->dip;
	bool ok;

	mutex_lock(&dip->map_lock);
	ok = !dip->gone;
	if (ok)
		list_add(&grp->inst_link, &dip->groups);
	mutex_unlock(&dip->map_lock);
	return ok;
}

/*
 * Free a group whose last piece is gone, and its mm record with the last.
 * It leaves the instance's list before its mapping goes, so that a device
 * removal never revokes a mapping being destroyed.
 */
static void dm_group_free(struct dm_group *grp)
{
	struct dm_mm_bucket *b = dm_mm_bucket(grp->dmm->mm);
	struct dm_mm *dmm = grp->dmm;

	mutex_lock(&grp->dip->map_lock);
	list_del(&grp->inst_link); /* initialised empty: no-op unless linked */
	mutex_unlock(&grp->dip->map_lock);
	if (grp->seg)
		dm_seg_destroy(grp->seg);
	dm_slot_put(grp->slot);
	mutex_lock(&b->lock);
	if (--dmm->groups == 0)
		hlist_del(&dmm->link);
	else
		dmm = NULL;
	mutex_unlock(&b->lock);
	if (dmm) {
		dm_as_rele(dmm->as);
		kfree(dmm);
	}
	dm_instance_put(grp->dip);
	kfree(grp);
}

/*
 * The group this fork already made of @parent in the child @mm (another
 * piece of the same mmap), if any.  @parent remembers the copy it made and
 * the id of the child's record: ids are never reused, so a copy made by an
 * earlier fork (whose child may be gone) never matches.  O(1) per piece;
 * the parent's mmap_lock, held for writing by fork, guards fork_child.
 */
static struct dm_group *dm_fork_sibling(const struct dm_group *parent,
					struct mm_struct *mm)
{
	struct dm_mm_bucket *b = dm_mm_bucket(mm);
	struct dm_group *found = NULL;
	struct dm_mm *dmm;

	mutex_lock(&b->lock);
	dmm = dm_mm_find(b, mm);
	if (dmm && parent->fork_id == dmm->id) {
		found = parent->fork_child;
		refcount_inc(&found->pieces);
	}
	mutex_unlock(&b->lock);
	return found;
}

/*
 * PROT_* of VM_* flags.  Writing implies reading here as in every x86
 * page table (there is no write-only PTE), so a write-only mapping reads
 * like a plain shared mapping on this architecture, in every handle alike.
 */
static uint_t dm_vm_prot(unsigned long flags, unsigned long r, unsigned long w,
			 unsigned long x)
{
	return ((flags & (r | w)) ? PROT_READ : 0) |
	       ((flags & w) ? PROT_WRITE : 0) | ((flags & x) ? PROT_EXEC : 0);
}

/**
 * dm_mmap() - the mmap file operation of every devmap device
 * @file: the open device
 * @vma: the new mapping (not yet visible)
 *
 * Return: 0, or a negative errno: EINVAL for a writable MAP_PRIVATE
 * mapping (no copy-on-write of device memory), ENOMEM for a mapping longer
 * than DM_MAP_MAX or when the driver has max_mappings mappings already,
 * ENXIO when the device has been removed, and the errors of the core.
 */
int dm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct dm_open *op = file->private_data;
	struct dm_driver *drv = op->drv;
	unsigned long len = vma->vm_end - vma->vm_start;
	/* VM_MAYSHARE: do_mmap clears VM_SHARED for a read-only fd */
	bool shared = vma->vm_flags & VM_MAYSHARE;
	struct dm_map_req req = {
		.cb = drv->cb,
		.dev = op->dev,
		.off = (offset_t)vma->vm_pgoff << PAGE_SHIFT,
		.len = len,
		.prot = dm_vm_prot(vma->vm_flags, VM_READ, VM_WRITE, VM_EXEC),
		.maxprot = dm_vm_prot(vma->vm_flags, VM_MAYREAD, VM_MAYWRITE,
				      VM_MAYEXEC),
		.flags = shared ? MAP_SHARED : MAP_PRIVATE,
		.model = in_compat_syscall() ? DDI_MODEL_ILP32 : DDI_MODEL_LP64,
		.addr = vma->vm_start,
		.cred = (cred_t *)current_cred(),
	};
	unsigned long clear = 0;
	struct dm_group *grp;
	uint_t maxprot;
	int err;

	if (!shared && (vma->vm_flags & VM_WRITE))
		return -EINVAL;
	if (vma->vm_pgoff > (LLONG_MAX >> PAGE_SHIFT))
		return -EINVAL;
	/* the core would refuse it too, but only after the driver's devmap */
	BUILD_BUG_ON(DM_MAP_MAX > DM_SLOT_PAGES << PAGE_SHIFT);
	if (len > DM_MAP_MAX)
		return -ENOMEM;
	grp = dm_group_new(current->mm, op->dip);
	if (!grp)
		return READ_ONCE(op->dip->gone) ? -ENXIO : -ENOMEM;
	/* before the driver runs: its callbacks may unload (no slot yet:
	 * nothing of this mapping can be loaded, nothing to zap) */
	grp->mapping = file->f_mapping;
	req.host = grp;
	err = dm_seg_map(grp->dmm->as, &req);
	if (err) {
		dm_group_free(grp);
		return -err;
	}
	grp->seg = req.seg;
	/* the offset of the first page as the handles know it: a segmap(9E)
	 * may set the mapping up at another than the mmap offset */
	grp->map_off = req.off;
	/* the driver accepted it: now it gets its file offsets */
	WRITE_ONCE(grp->slot, dm_slot_alloc(drv));
	err = !grp->slot ? -ENOMEM : !dm_group_link(grp) ? -ENXIO : 0;
	if (err) {
		dm_group_free(grp);
		return err;
	}
	vma->vm_pgoff = dm_slot_pgoff(grp->slot);
	maxprot = dm_seg_maxprot(grp->seg);
	if (!(maxprot & PROT_WRITE) || !shared)
		clear |= VM_MAYWRITE;
	if (!(maxprot & PROT_EXEC))
		clear |= VM_MAYEXEC;
	dm_vma_flags(vma,
		     VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP |
			     VM_WIPEONFORK,
		     clear);
	vma->vm_private_data = grp;
	vma->vm_ops = &dm_vm_ops;
	return 0;
}

/*
 * Fork copies a whole mapping, but not every piece of it is in the child:
 * those the parent marked MADV_DONTFORK (VM_DONTCOPY), and those fork
 * copied before this group could be made (dup_mmap goes in address order,
 * so every piece of the parent below @first, the piece being opened, went
 * dead: see dm_vm_open).  Take them out of the child's copy as a munmap
 * would (devmap_unmap(9E)), so that no handle stays with no VMA of the
 * group behind it.  Such a phantom would serve the child's faults at that
 * address once it moved another piece of the mapping there (mremap), with
 * pages that are not the moved piece's.  The parent's pieces are found
 * under the handles' ranges (it has one wherever a handle is); fork holds
 * its mmap_lock.
 */
static void dm_fork_prune(const struct dm_group *parent, struct dm_seg *seg,
			  unsigned long first)
{
	uintptr_t from = 0, start;
	size_t len;

	while (dm_seg_next_range(seg, from, &start, &len)) {
		VMA_ITERATOR(vmi, parent->dmm->mm, start);
		struct vm_area_struct *vma;

		from = start + len;
		for_each_vma_range(vmi, vma, from) {
			unsigned long s =
				max_t(unsigned long, vma->vm_start, start);
			unsigned long e =
				min_t(unsigned long, vma->vm_end, from);

			if (vma->vm_private_data == parent &&
			    ((vma->vm_flags & VM_DONTCOPY) ||
			     vma->vm_start < first))
				dm_seg_unmap(seg, s, e - s);
		}
	}
}

/* A fork child's group for @parent's pieces in @mm: devmap_dup(9E). */
static struct dm_group *dm_fork_group(struct dm_group *parent,
				      struct mm_struct *mm, unsigned long first)
{
	struct dm_group *grp = dm_group_new(mm, parent->dip);
	int err;

	if (!grp)
		return NULL;
	parent->fork_child = grp; /* for the other pieces of this mmap */
	parent->fork_id = grp->dmm->id;
	grp->mapping = parent->mapping;
	grp->map_off = parent->map_off;
	dm_slot_get(parent->slot);
	grp->slot = parent->slot;
	if (parent->seg) {
		err = dm_seg_dup(parent->seg, grp->dmm->as, grp, &grp->seg);
		if (err)
			pr_warn_ratelimited(
				"devmap: devmap_dup failed (%d); the child's mapping gets SIGBUS\n",
				err);
		else
			dm_fork_prune(parent, grp->seg, first);
	}
	/* the device went away during the fork: the copy is revoked too */
	if (!dm_group_link(grp) && grp->seg)
		dm_seg_revoke(grp->seg);
	return grp;
}

/*
 * A new VMA piece: a split in the same process takes another reference;
 * a fork makes (or joins) the child's group and calls devmap_dup(9E).  A
 * fork cannot be failed from here, so a child whose dup failed gets a dead
 * group (its accesses raise SIGBUS), and a child whose group could not be
 * made at all gets a dead copy that holds only its slot.
 */
static void dm_vm_open(struct vm_area_struct *vma)
{
	struct dm_group *grp = dm_vma_group(vma), *child;
	struct dm_slot *dead = dm_vma_dead(vma);

	if (dead) {
		dm_slot_get(dead); /* a dead copy stays dead */
		return;
	}
	if (vma->vm_mm == grp->dmm->mm) {
		refcount_inc(&grp->pieces);
		return;
	}
	/*
	 * Fork.  The child must start with no translation even if the user
	 * cleared VM_WIPEONFORK (MADV_KEEPONFORK): set it again on the copy
	 * (kernels that call open before copying page tables then copy none)
	 * and zap what a kernel that copies first has copied.
	 */
	dm_vma_flags(vma, VM_WIPEONFORK, 0);
	zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	child = dm_fork_sibling(grp, vma->vm_mm);
	if (!child)
		child = dm_fork_group(grp, vma->vm_mm, vma->vm_start);
	if (child) {
		vma->vm_private_data = child;
	} else {
		dm_slot_get(grp->slot);
		vma->vm_private_data =
			(void *)((unsigned long)grp->slot | DM_DEAD);
	}
}

/* A VMA piece goes: munmap of that range, or exit. */
static void dm_vm_close(struct vm_area_struct *vma)
{
	struct dm_group *grp = dm_vma_group(vma);

	if (!grp) {
		dm_slot_put(dm_vma_dead(vma));
		return;
	}
	/* an empty piece (failed split) or a foreign one (refused mremap)
	 * unmaps nothing: the core ignores what it does not map */
	if (grp->seg)
		dm_seg_unmap(grp->seg, vma->vm_start,
			     vma->vm_end - vma->vm_start);
	if (refcount_dec_and_test(&grp->pieces))
		dm_group_free(grp);
}

/*
 * Signals.  A user fault waits interruptibly: a signal ends the wait, the
 * handler runs and the access is retried, as on any mapping.  A kernel
 * access to user memory (copyin, write(2) from a context page) cannot take
 * a signal mid-copy, so its wait for a held context is killable and the
 * syscall completes; only a fatal signal ends it, with EFAULT for a
 * process that is dying anyway.  A driver that answers EINTR itself (it
 * saw the signal) fails a kernel access with EFAULT: retrying could not
 * end.  Without FAULT_FLAG_ALLOW_RETRY (fixup_user_fault) the fault cannot
 * sleep and is retried at once until the hold ends.
 */
static vm_fault_t dm_vm_fault(struct vm_fault *vmf)
{
	struct dm_group *grp = dm_vma_group(vmf->vma);
	struct dm_fault f = {
		.addr = vmf->address,
		.host = vmf,
		.killable = !(vmf->flags & FAULT_FLAG_USER),
		.nowait = !(vmf->flags & FAULT_FLAG_ALLOW_RETRY) ||
			  (vmf->flags & FAULT_FLAG_RETRY_NOWAIT),
	};

	if (!grp || !grp->seg)
		return VM_FAULT_SIGBUS;
	f.seg = grp->seg;
	f.rw = (vmf->flags & FAULT_FLAG_WRITE)	     ? DEVMAP_WRITE :
	       (vmf->flags & FAULT_FLAG_INSTRUCTION) ? DEVMAP_EXEC :
						       DEVMAP_READ;
	switch (dm_fault(&f)) {
	case DM_FAULT_DONE:
		return VM_FAULT_NOPAGE;
	case DM_FAULT_RETRY:
		/* the driver said retry (EINTR) for the signal it saw: a user
		 * access takes it first; a kernel access cannot, and would
		 * refault for ever, so it fails (EFAULT) */
		return (f.killable && signal_pending(current)) ||
				       fatal_signal_pending(current) ?
			       VM_FAULT_SIGBUS :
			       VM_FAULT_NOPAGE;
	case DM_FAULT_WAIT:
		if (fatal_signal_pending(current)) {
			dm_fault_abandon(&f);
			return VM_FAULT_SIGBUS;
		}
		if (!f.nowait) {
			/* without the mmap_lock another thread may unmap the
			 * mapping and close the file: the group (the core
			 * mapping and address space the wait reports on) and
			 * the file (which holds the driver's module, as the
			 * VMA did) stay until we are done */
			struct file *file = get_file(vmf->vma->vm_file);

			refcount_inc(&grp->pieces);
			dm_release_fault_lock(vmf);
			dm_fault_wait(&f);
			if (refcount_dec_and_test(&grp->pieces))
				dm_group_free(grp);
			fput(file);
			return VM_FAULT_RETRY;
		}
		/* no sleeping allowed (GUP with FOLL_NOWAIT): retry at once */
		dm_fault_abandon(&f);
		return VM_FAULT_NOPAGE;
	case DM_FAULT_SIGSEGV:
		return VM_FAULT_SIGSEGV;
	default:
		return VM_FAULT_SIGBUS;
	}
}

static int dm_vm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct dm_group *grp = dm_vma_group(vma);

	return grp && grp->seg ? -dm_seg_may_split(grp->seg, addr) : 0;
}

static int dm_vm_mprotect(struct vm_area_struct *vma, unsigned long start,
			  unsigned long end, unsigned long newflags)
{
	struct dm_group *grp = dm_vma_group(vma);

	if (!grp || !grp->seg)
		return 0;
	return -dm_seg_setprot(grp->seg, start, end - start,
			       dm_vm_prot(newflags, VM_READ, VM_WRITE,
					  VM_EXEC));
}

/*
 * mremap moved a piece (MREMAP_MAYMOVE, same size; growing is refused by
 * VM_DONTEXPAND): the kernel has moved the page table entries and keeps
 * the file offsets, so unloads still find the piece; the core moves its
 * handles, with their valid bits and context ownership.  The old piece is
 * closed afterwards and finds no handle left to unmap.  A move that cuts a
 * handle is refused (EINVAL) and the kernel moves everything back.
 */
static int dm_vm_mremap(struct vm_area_struct *vma)
{
	struct dm_group *grp = dm_vma_group(vma);
	uintptr_t old;
	offset_t off;

	if (!grp || !grp->seg)
		return 0; /* dead: it raises SIGBUS wherever it is */
	off = grp->map_off +
	      ((offset_t)(vma->vm_pgoff - dm_slot_pgoff(grp->slot))
	       << PAGE_SHIFT);
	old = dm_seg_offaddr(grp->seg, off);
	if (!old)
		return -EINVAL;
	return -dm_seg_move(grp->seg, old, vma->vm_start,
			    vma->vm_end - vma->vm_start);
}

struct dm_access_args {
	unsigned long off;
	void *buf;
	int len;
	bool write;
};

/* Copy to or from one page of backing (the handle is locked). */
static int dm_access_copy(const struct dm_backing *b, void *arg)
{
	struct dm_access_args *a = arg;
	void __iomem *io;
	char *mem;

	if (b->kind == DM_BK_KVA || pfn_valid(b->pfn)) {
		mem = b->kind == DM_BK_KVA ? b->kva :
					     page_address(pfn_to_page(b->pfn));
		if (a->write)
			memcpy(mem + a->off, a->buf, a->len);
		else
			memcpy(a->buf, mem + a->off, a->len);
		return 0;
	}
	io = ioremap((resource_size_t)b->pfn << PAGE_SHIFT, PAGE_SIZE);
	if (!io)
		return -ENOMEM;
	if (a->write)
		memcpy_toio(io + a->off, a->buf, a->len);
	else
		memcpy_fromio(a->buf, io + a->off, a->len);
	iounmap(io);
	return 0;
}

/*
 * ptrace and /proc/PID/mem: copy to or from the backing directly, never
 * through the driver and never loading a translation; within the
 * mapping's protections, and for a driver-managed page only while this
 * mapping owns it (else it holds another process's context).
 */
static int dm_vm_access(struct vm_area_struct *vma, unsigned long addr,
			void *buf, int len, int write)
{
	struct dm_group *grp = dm_vma_group(vma);
	struct dm_access_args a = { .off = addr & ~PAGE_MASK,
				    .buf = buf,
				    .write = write };

	if (!grp || !grp->seg)
		return -EIO;
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EACCES;
	a.len = min_t(int, len, PAGE_SIZE - a.off);
	return dm_seg_access(grp->seg, addr, dm_access_copy, &a) ? -EIO : a.len;
}

const struct vm_operations_struct dm_vm_ops = {
	.open = dm_vm_open,
	.close = dm_vm_close,
	.fault = dm_vm_fault,
	.may_split = dm_vm_may_split,
	.mprotect = dm_vm_mprotect,
	.mremap = dm_vm_mremap,
	.access = dm_vm_access,
};
