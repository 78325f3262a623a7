/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private structures of the Linux kernel host: the registered drivers and
 * their device instances (the DDI shim's side), the per-process address
 * space records and the per-mmap groups that tie VMAs to core mappings.
 *
 * An instance lives while anything uses it: one reference for being
 * attached (dropped when the device is removed or the driver unloads), one
 * per open file and one per mapping (group); detach(9E) runs with the last,
 * in devmap's worker when that is a file or mapping (ddi_module.c).
 */
#ifndef _DM_LINUX_H
#define _DM_LINUX_H

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/refcount.h>
#include <linux/xarray.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include "core/dm_core.h"
#include "dm_compat.h"

#define DM_MINORS 256
#define DM_MAX_INSTANCES 16

struct dm_driver;

/* A device instance (Solaris dev_info node). */
struct dev_info {
	struct dm_driver *drv;
	int instance;
	struct pci_dev *pdev; /* NULL for a pseudo device */
	void __iomem *bars[PCI_STD_NUM_BARS]; /* ddi_regs_map_setup */
	/* the rest of the page of a BAR smaller than a page, held so that
	 * the page can be mapped whole without exposing anything else */
	struct resource *pad[PCI_STD_NUM_BARS];
	void *driver_private;
	bool attached; /* attach(9E) done (set under map_lock) */
	unsigned int users; /* see above */
	struct mutex map_lock; /* users, groups, gone, attached */
	struct list_head groups; /* its mappings (dm_group.inst_link) */
	bool gone; /* removed: mappings revoked, no new open or mmap */
	struct work_struct teardown; /* the last user's detach and free */
	struct dm_stats __percpu *stats; /* event counters (dm_events.c) */
	struct dentry *stats_file; /* their debugfs file */
	struct dm_intr_vecs *intr; /* of ddi_intr_alloc(9F) (ddi_intr.c) */
	struct mutex intr_lock; /* intr, and its handles' vectors (ddi_intr.c) */
	/* DMA handles (ddi_dma.c): the device masters the bus while any */
	spinlock_t dma_lock;
	unsigned int dma_handles;
};

/* A driver registered with mod_install(9F). */
struct dm_driver {
	struct list_head link;
	const char *name;
	struct module *owner;
	struct dev_ops *devo;
	struct cb_ops *cb;
	dev_t base; /* major, minor 0 */
	struct cdev cdev;
	struct inode *inode; /* owns the address_space for unloads */
	struct ida slots; /* private file offsets, see dm_offsets.c */
	struct pci_driver pci; /* when bound to PCI ids */
	struct pci_device_id *ids;
	struct mutex lock; /* instances, minors */
	struct dev_info *inst[DM_MAX_INSTANCES];
	/* open files per minor (xa_mk_value), every minor open(9E) returned,
	 * clone minors of any number included; none stored for a closed one */
	struct xarray opens;
	struct dev_info *minor_dip[DM_MINORS]; /* whose node each minor is */
	unsigned long minor_nodes[BITS_TO_LONGS(DM_MINORS)];
};

/* One open of a device file. */
struct dm_open {
	struct dm_driver *drv;
	struct dev_info *dip; /* the instance whose node was opened */
	dev_t dev; /* as cb_open(9E) left it */
};

/* A process as devmap sees it: found by its mm in a hash (dm_vm.c). */
struct dm_mm {
	struct hlist_node link;
	struct mm_struct *mm;
	struct as *as;
	unsigned int groups; /* its mappings, under its bucket's lock */
	u64 id; /* never reused (dm_group.fork_id) */
};

/*
 * A slot of private file offsets in a driver's address_space: one per
 * mmap, shared with the copies fork makes of it (dm_offsets.c).
 */
struct dm_slot {
	refcount_t refs;
	struct dm_driver *drv;
	unsigned int id;
};

/* One mmap(2), and every VMA piece cut from it (vm_private_data). */
struct dm_group {
	struct list_head inst_link; /* in dev_info.groups */
	refcount_t pieces; /* VMA pieces, and faults waiting without mmap_lock */
	struct dm_seg *seg; /* NULL: fork's devmap_dup failed */
	struct dm_mm *dmm;
	struct dev_info *dip; /* holds a reference */
	/* the copy the fork in progress made: valid while fork_id is the
	 * id of the child's record (dm_fork_sibling) */
	struct dm_group *fork_child;
	u64 fork_id;
	struct address_space *mapping;
	offset_t map_off; /* the handles' offset at the slot's first page: the
			   * mmap offset, or the one segmap(9E) set up */
	struct dm_slot *slot; /* NULL until the driver accepted the mmap */
};

/* Pages a huge (PMD) entry maps: 512 of 4 KiB, 2 MiB. */
#define DM_PMD_PAGES (PMD_SIZE >> PAGE_SHIFT)

/*
 * Pages a fault loads at most (dmh_load): a devmap_load(9F) of a range
 * inside a fault installs the whole range in the faulting VMA, up to one
 * huge entry's worth, the rest faulting in later without the driver.
 */
#define DM_LOAD_MAX DM_PMD_PAGES

/*
 * Offsets: a mapping is at most DM_SLOT_PAGES pages (64 GiB) and a driver
 * has at most DM_SLOTS mappings at once (more than 67 million VMAs, beyond
 * what memory allows), so no offset reaches 2^50 pages and every byte
 * offset stays below 2^62, within a loff_t.
 */
#define DM_SLOT_SHIFT (36 - PAGE_SHIFT)
#define DM_SLOT_PAGES (1UL << DM_SLOT_SHIFT)
#define DM_SLOTS (1U << 26)

struct dm_slot *dm_slot_alloc(struct dm_driver *drv);
void dm_slot_get(struct dm_slot *slot);
void dm_slot_put(struct dm_slot *slot);

static inline pgoff_t dm_slot_pgoff(const struct dm_slot *slot)
{
	return (pgoff_t)slot->id << DM_SLOT_SHIFT;
}

extern const struct file_operations dm_fops;
extern const struct vm_operations_struct dm_vm_ops;
extern struct vfsmount *dm_mnt;

int dm_mmap(struct file *file, struct vm_area_struct *vma);
#if DM_PMD_CAPABLE
bool dm_pmd_none(struct vm_fault *vmf);
bool dm_pmd_mapped(struct vm_fault *vmf, unsigned long addr);
bool dm_pmd_load(struct vm_fault *vmf, unsigned long pfn, pgprot_t prot);
#else
static inline bool dm_pmd_none(struct vm_fault *vmf)
{
	return false;
}

static inline bool dm_pmd_mapped(struct vm_fault *vmf, unsigned long addr)
{
	return false;
}

static inline bool dm_pmd_load(struct vm_fault *vmf, unsigned long pfn,
			       pgprot_t prot)
{
	return false;
}
#endif
bool dm_umem_chunk(unsigned long pfn);
void dm_vm_init(void);
bool dm_instance_get(struct dev_info *dip, bool open);
void dm_instance_put(struct dev_info *dip);
int dm_host_init(void);
void dm_host_fini(void);
int dm_shim_init(void);
int dm_reg_bar(struct pci_dev *pdev, uint_t rnumber);
resource_size_t dm_bar_len(struct dev_info *dip, int bar);
void dm_shim_fini(void);
int dm_stats_attach(struct dev_info *dip);
void dm_stats_detach(struct dev_info *dip);
void dm_stats_init(void);
void dm_stats_fini(void);
void dm_intr_release(struct dev_info *dip);

#endif /* _DM_LINUX_H */
