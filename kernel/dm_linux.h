/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private structures of the Linux kernel host: the registered drivers and
 * their device instances (the DDI shim's side), the per-process address
 * space records and the per-mmap groups that tie VMAs to core mappings.
 */
#ifndef _DM_LINUX_H
#define _DM_LINUX_H

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/refcount.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include "core/dm_core.h"

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
	bool attached;
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
	atomic64_t next_pgoff; /* fake file offsets per mmap */
	struct pci_driver pci; /* when bound to PCI ids */
	struct pci_device_id *ids;
	struct mutex lock; /* instances, minors */
	struct dev_info *inst[DM_MAX_INSTANCES];
	int opens[DM_MINORS]; /* open count per minor */
	unsigned long minor_nodes[BITS_TO_LONGS(DM_MINORS)];
};

/* One open of a device file. */
struct dm_open {
	struct dm_driver *drv;
	dev_t dev; /* as cb_open(9E) left it */
};

/* A process as devmap sees it. */
struct dm_mm {
	struct list_head link;
	struct mm_struct *mm;
	struct as *as;
	struct list_head groups; /* its mappings, under dm_mms_lock */
};

/* One mmap(2), and every VMA piece cut from it (vm_private_data). */
struct dm_group {
	struct list_head link; /* in dm_mm.groups */
	refcount_t pieces;
	struct dm_seg *seg; /* NULL: fork's devmap_dup failed */
	struct dm_mm *dmm;
	const struct dm_group *parent; /* forked from (a key, never used) */
	struct address_space *mapping;
	unsigned long va_start; /* where vm_pgoff == pgoff_base */
	pgoff_t pgoff_base;
};

extern const struct file_operations dm_fops;
extern const struct vm_operations_struct dm_vm_ops;
extern struct vfsmount *dm_mnt;

int dm_mmap(struct file *file, struct vm_area_struct *vma);
int dm_reg_bar(struct pci_dev *pdev, uint_t rnumber);
resource_size_t dm_bar_len(struct dev_info *dip, int bar);
void dm_shim_fini(void);

#endif /* _DM_LINUX_H */
