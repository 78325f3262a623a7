// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DDI shim's driver registration: mod_install(9F)/mod_remove(9F) turn a
 * Solaris driver's modlinkage into a Linux character device region whose
 * file operations call its cb_ops, with instances attached through
 * dev_ops: one per matching PCI device (aliases "pciVVVV,DDDD") or, for a
 * pseudo driver, instance 0.  Minor nodes appear as /dev/<name><instance>.
 *
 * Hot removal (PCI remove, driver unbind) with files open or mapped: the
 * instance's nodes go, every mapping of it is revoked (no translation
 * left, later accesses SIGBUS), its interrupts are freed (ddi_intr.c),
 * ioctl and mmap get ENXIO, and detach(9E) runs when the last file and
 * mapping are gone, so nothing a mapping or an open file still uses is
 * freed under it.  That last teardown runs in a
 * worker of devmap's own, never in the munmap or exit (under the mmap_lock)
 * of whichever process happened to let go last.
 */
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/kdev_t.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <sys/ddi.h>
#include "dm_compat.h"
#include "dm_linux.h"

struct mod_ops mod_driverops;
EXPORT_SYMBOL_GPL(mod_driverops);
static LIST_HEAD(dm_drivers);
static DEFINE_MUTEX(dm_drivers_lock);
static struct class *dm_class;
static struct workqueue_struct *dm_wq; /* instance teardowns */

/**
 * dm_instance_get() - a new user (open file, mapping) of an instance
 * @dip: the instance
 * @open: for an open: the instance must also have finished attach(9E)
 *
 * Return: false when the device is gone (or, for an open, not attached).
 */
bool dm_instance_get(struct dev_info *dip, bool open)
{
	bool ok;

	mutex_lock(&dip->map_lock);
	ok = !dip->gone && (!open || dip->attached);
	if (ok)
		dip->users++;
	mutex_unlock(&dip->map_lock);
	return ok;
}

/* Drop a use; true for the last. */
static bool dm_instance_unref(struct dev_info *dip)
{
	bool last;

	mutex_lock(&dip->map_lock);
	last = --dip->users == 0;
	mutex_unlock(&dip->map_lock);
	return last;
}

/* The Solaris file mode flags of an open file (open, ioctl, uio). */
static int dm_fmode(struct file *file)
{
	return ((file->f_mode & FMODE_READ) ? FREAD : 0) |
	       ((file->f_mode & FMODE_WRITE) ? FWRITE : 0) |
	       ((file->f_flags & O_NONBLOCK) ? FNDELAY : 0);
}

/* Open files of @minor (drv->lock held). */
static unsigned long dm_opens(struct dm_driver *drv, unsigned long minor)
{
	void *v = xa_load(&drv->opens, minor);

	return v ? xa_to_value(v) : 0;
}

static int dm_open_file(struct inode *inode, struct file *file)
{
	struct dm_driver *drv =
		container_of(inode->i_cdev, struct dm_driver, cdev);
	int flag = dm_fmode(file);
	struct dm_open *op = kzalloc(sizeof(*op), GFP_KERNEL);
	struct dev_info *dip;
	int err;

	if (!op)
		return -ENOMEM;
	op->drv = drv;
	op->dev = inode->i_rdev;
	/* open(9E) and close(9E) never overlap for a driver */
	mutex_lock(&drv->lock);
	dip = drv->minor_dip[MINOR(op->dev) % DM_MINORS];
	op->dip = dip;
	if (!dip || !dm_instance_get(dip, true)) {
		op->dip = NULL; /* removed since the lookup, or attaching */
		err = ENXIO;
	} else if (drv->cb->cb_open == nodev)
		err = ENXIO; /* as Solaris' nodev */
	else if (dm_is_stub((const void *)drv->cb->cb_open))
		err = 0;
	else
		err = drv->cb->cb_open(&op->dev, flag, OTYP_CHR,
				       (cred_t *)current_cred());
	if (!err) {
		unsigned long minor = MINOR(op->dev), n = dm_opens(drv, minor);

		/* only a minor's first open may fail to count (no memory for
		 * its entry): its close(9E) undoes the open(9E) it follows */
		if (xa_err(xa_store(&drv->opens, minor, xa_mk_value(n + 1),
				    GFP_KERNEL))) {
			if (!dm_is_stub((const void *)drv->cb->cb_close))
				drv->cb->cb_close(op->dev, flag, OTYP_CHR,
						  (cred_t *)current_cred());
			err = ENOMEM;
		}
	}
	mutex_unlock(&drv->lock);
	if (err) {
		if (op->dip)
			dm_instance_put(op->dip);
		kfree(op);
		return -err;
	}
	file->private_data = op;
	/* every file of the driver shares one address_space for unloads */
	file->f_mapping = drv->inode->i_mapping;
	return 0;
}

/* Solaris calls close(9E) on the last close of a minor. */
static int dm_release(struct inode *inode, struct file *file)
{
	struct dm_open *op = file->private_data;
	struct dm_driver *drv = op->drv;
	unsigned long minor = MINOR(op->dev), n;
	bool last;

	mutex_lock(&drv->lock);
	n = dm_opens(drv, minor);
	last = n <= 1;
	if (last)
		xa_erase(&drv->opens, minor);
	else /* over the entry that is there: allocates nothing */
		xa_store(&drv->opens, minor, xa_mk_value(n - 1), GFP_KERNEL);
	if (last && !dm_is_stub((const void *)drv->cb->cb_close))
		drv->cb->cb_close(op->dev, 0, OTYP_CHR,
				  (cred_t *)current_cred());
	mutex_unlock(&drv->lock);
	dm_instance_put(op->dip);
	kfree(op);
	return 0;
}

static long dm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dm_open *op = file->private_data;
	int mode = (in_compat_syscall() ? DDI_MODEL_ILP32 : DDI_MODEL_LP64) |
		   dm_fmode(file);
	int rval = 0, err;

	if (op->drv->cb->cb_ioctl == nodev || READ_ONCE(op->dip->gone))
		return -ENXIO; /* nodev, or a removed device */
	if (dm_is_stub((const void *)op->drv->cb->cb_ioctl))
		return -ENOTTY;
	err = op->drv->cb->cb_ioctl(op->dev, (int)cmd, (intptr_t)arg, mode,
				    (cred_t *)current_cred(), &rval);
	return err ? -err : rval;
}

/*
 * read(2)/write(2): the driver's read(9E)/write(9E) with a uio of one user
 * iovec at the file position.  What moved is returned even when the
 * driver then failed; only a transfer that moved nothing returns its error.
 */
static ssize_t dm_rw(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos, enum uio_rw rw)
{
	struct dm_open *op = file->private_data;
	int (*entry)(dev_t dev, struct uio * uiop, cred_t * credp) =
		rw == UIO_READ ? op->drv->cb->cb_read : op->drv->cb->cb_write;
	struct iovec iov = { .iov_base = buf, .iov_len = count };
	struct uio uio = {
		.uio_iov = &iov,
		.uio_iovcnt = 1,
		.uio_loffset = *ppos,
		.uio_segflg = UIO_USERSPACE,
		.uio_fmode = dm_fmode(file),
		.uio_resid = count, /* at most MAX_RW_COUNT */
	};
	ssize_t moved;
	int err;

	if (!entry || entry == nodev || READ_ONCE(op->dip->gone))
		return -ENXIO; /* nodev, or a removed device */
	if (dm_is_stub((const void *)entry))
		return 0; /* nulldev */
	err = entry(op->dev, &uio, (cred_t *)current_cred());
	moved = count - uio.uio_resid;
	if (moved)
		*ppos = uio.uio_loffset;
	return moved || !err ? moved : -err;
}

static ssize_t dm_read(struct file *file, char __user *buf, size_t count,
		       loff_t *ppos)
{
	return dm_rw(file, buf, count, ppos, UIO_READ);
}

static ssize_t dm_write(struct file *file, const char __user *buf, size_t count,
			loff_t *ppos)
{
	return dm_rw(file, (char __user *)buf, count, ppos, UIO_WRITE);
}

const struct file_operations dm_fops = {
	.owner = THIS_MODULE,
	.open = dm_open_file,
	.release = dm_release,
	.read = dm_read,
	.write = dm_write,
	.unlocked_ioctl = dm_ioctl,
	.compat_ioctl = dm_ioctl,
	.mmap = dm_mmap,
	/* 2 MiB mappings at 2 MiB aligned addresses (by their offset), so
	 * that contexts of that size can be loaded huge (dm_pmd.c) */
	.get_unmapped_area = thp_get_unmapped_area,
	.llseek = noop_llseek,
};

/*
 * Reserve the rest of the page of each page-aligned memory BAR smaller
 * than a page (as VFIO does), so the BAR's page holds nothing else and
 * devmap can map it whole.
 */
static void dm_pad_bars(struct dev_info *dip)
{
	for (int bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		resource_size_t start = pci_resource_start(dip->pdev, bar);
		resource_size_t len = pci_resource_len(dip->pdev, bar);

		if (!(pci_resource_flags(dip->pdev, bar) & IORESOURCE_MEM) ||
		    !len || len >= PAGE_SIZE || (start & ~PAGE_MASK))
			continue;
		dip->pad[bar] = request_mem_region(start + len, PAGE_SIZE - len,
						   "devmap pad");
	}
}

/* Free an instance: its minor nodes, register mappings and slot. */
static void dm_free_instance(struct dev_info *dip)
{
	struct dm_driver *drv = dip->drv;

	dm_stats_detach(dip);
	ddi_remove_minor_node(dip, NULL);
	for (int bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (dip->bars[bar])
			pci_iounmap(dip->pdev, dip->bars[bar]);
		if (dip->pad[bar])
			release_mem_region(dip->pad[bar]->start,
					   resource_size(dip->pad[bar]));
	}
	mutex_lock(&drv->lock);
	drv->inst[dip->instance] = NULL;
	mutex_unlock(&drv->lock);
	pci_dev_put(dip->pdev);
	mutex_destroy(&dip->map_lock);
	mutex_destroy(&dip->intr_lock);
	kfree(dip);
}

/*
 * The end of a removed instance: detach(9E) if it is still attached, and
 * free it.  The device is gone, so a refusal cannot keep it.
 */
static void dm_instance_teardown(struct dev_info *dip)
{
	struct dm_driver *drv = dip->drv;

	if (dip->attached && drv->devo->devo_detach &&
	    drv->devo->devo_detach(dip, DDI_DETACH) != DDI_SUCCESS)
		pr_warn("devmap: %s%d: detach(9E) refused; removed anyway\n",
			drv->name, dip->instance);
	dm_free_instance(dip);
}

static void dm_instance_work(struct work_struct *work)
{
	struct dev_info *dip = container_of(work, struct dev_info, teardown);
	struct module *owner = dip->drv->owner;

	dm_instance_teardown(dip);
	module_put(owner); /* the driver may unload from here on */
}

/**
 * dm_instance_put() - an open file or a mapping of an instance is gone
 * @dip: the instance
 *
 * The last user of a removed instance hands its teardown to devmap's
 * worker, holding the driver's module until it has run: the caller may be
 * a munmap or an exit under its mmap_lock, where detach(9E) must not run.
 */
void dm_instance_put(struct dev_info *dip)
{
	if (!dm_instance_unref(dip))
		return;
	__module_get(dip->drv->owner); /* the caller's file or VMA holds it */
	queue_work(dm_wq, &dip->teardown);
}

static int dm_attach(struct dm_driver *drv, struct pci_dev *pdev)
{
	struct dev_info *dip;
	int i, err = -ENOSPC;

	mutex_lock(&drv->lock);
	for (i = 0; i < DM_MAX_INSTANCES && drv->inst[i]; i++)
		;
	if (i < DM_MAX_INSTANCES) {
		dip = kzalloc(sizeof(*dip), GFP_KERNEL);
		err = dip ? 0 : -ENOMEM;
		if (dip) {
			dip->drv = drv;
			dip->instance = i;
			dip->pdev = pci_dev_get(pdev);
			dip->users = 1; /* attached */
			mutex_init(&dip->map_lock, NULL, MUTEX_DRIVER, NULL);
			mutex_init(&dip->intr_lock, NULL, MUTEX_DRIVER, NULL);
			spin_lock_init(&dip->dma_lock);
			INIT_LIST_HEAD(&dip->groups);
			INIT_WORK(&dip->teardown, dm_instance_work);
			drv->inst[i] = dip;
		}
	}
	mutex_unlock(&drv->lock);
	if (err)
		return err;
	err = dm_stats_attach(dip);
	if (err) {
		dm_free_instance(dip);
		return err;
	}
	if (pdev) {
		pci_set_drvdata(pdev, dip);
		dm_pad_bars(dip);
	}
	/* no open before attach(9E) is done, so a failed one has no user */
	if (drv->devo->devo_attach(dip, DDI_ATTACH) != DDI_SUCCESS) {
		dm_free_instance(dip);
		return -ENXIO;
	}
	mutex_lock(&dip->map_lock);
	dip->attached = true;
	mutex_unlock(&dip->map_lock);
	return 0;
}

/*
 * The device of an instance is going (PCI removal, unbind, unload): no
 * new open or mmap, its nodes go, every mapping of it is revoked; the
 * instance itself goes with its last user.
 */
static void dm_instance_remove(struct dev_info *dip)
{
	struct dm_group *grp;

	mutex_lock(&dip->map_lock);
	dip->gone = true;
	list_for_each_entry(grp, &dip->groups, inst_link)
		if (grp->seg) /* NULL: a fork copy whose dup failed */
			dm_seg_revoke(grp->seg);
	mutex_unlock(&dip->map_lock);
	ddi_remove_minor_node(dip, NULL);
	dm_intr_release(dip); /* before the PCI core frees the vectors */
	if (dm_instance_unref(dip))
		dm_instance_teardown(dip);
}

static int dm_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dm_driver *drv = container_of(to_pci_driver(pdev->dev.driver),
					     struct dm_driver, pci);
	int err = pcim_enable_device(pdev);

	if (!err) /* managed: released with the device */
		err = pci_request_regions(pdev, drv->name);
	if (!err)
		err = dm_attach(drv, pdev);
	return err;
}

static void dm_pci_remove(struct pci_dev *pdev)
{
	struct dev_info *dip = pci_get_drvdata(pdev);

	if (dip)
		dm_instance_remove(dip);
}

/* "pciVVVV,DDDD" aliases to a PCI id table; returns the count. */
static int dm_pci_ids(struct dm_driver *drv, const char *const *aliases, int n)
{
	int i, ids = 0;

	drv->ids = kcalloc(n + 1, sizeof(*drv->ids), GFP_KERNEL);
	if (!drv->ids)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned int vendor, device;

		if (sscanf(aliases[i], "pci%x,%x", &vendor, &device) != 2)
			continue;
		drv->ids[ids].vendor = vendor;
		drv->ids[ids].device = device;
		drv->ids[ids].subvendor = PCI_ANY_ID;
		drv->ids[ids].subdevice = PCI_ANY_ID;
		ids++;
	}
	return ids;
}

static void dm_driver_free(struct dm_driver *drv);

/* Detach what is still attached, unbind from PCI, free the driver. */
static void dm_driver_unregister(struct dm_driver *drv)
{
	if (drv->ids && drv->ids[0].vendor)
		pci_unregister_driver(&drv->pci);
	else if (drv->inst[0])
		dm_instance_remove(drv->inst[0]);
	dm_driver_free(drv);
}

static void dm_driver_free(struct dm_driver *drv)
{
	if (drv->inode)
		iput(drv->inode);
	if (drv->cdev.ops)
		cdev_del(&drv->cdev);
	if (drv->base)
		unregister_chrdev_region(drv->base, DM_MINORS);
	kfree(drv->ids);
	ida_destroy(&drv->slots);
	xa_destroy(&drv->opens);
	kfree(drv);
}

/**
 * ddi_mod_install() - mod_install(9F): register a Solaris driver
 * @modlp: the driver's modlinkage
 * @owner: the driver's module
 * @name: the driver's name (from DDI_MODULE)
 * @aliases: its device aliases, "pciVVVV,DDDD" (none: a pseudo driver)
 * @naliases: how many
 *
 * Return: 0, or a positive errno.
 */
int ddi_mod_install(struct modlinkage *modlp, struct module *owner,
		    const char *name, const char *const *aliases, int naliases)
{
	struct modldrv *md = modlp ? modlp->ml_linkage[0] : NULL;
	struct dm_driver *drv;
	int ids, err;

	if (!md || !md->drv_dev_ops || !md->drv_dev_ops->devo_cb_ops ||
	    !md->drv_dev_ops->devo_attach)
		return EINVAL;
	drv = kzalloc(sizeof(*drv), GFP_KERNEL);
	if (!drv)
		return ENOMEM;
	drv->name = name;
	drv->owner = owner;
	drv->devo = md->drv_dev_ops;
	drv->cb = drv->devo->devo_cb_ops;
	mutex_init(&drv->lock, NULL, MUTEX_DRIVER, NULL);
	ida_init(&drv->slots);
	xa_init(&drv->opens);
	err = alloc_chrdev_region(&drv->base, 0, DM_MINORS, name);
	if (err) {
		drv->base = 0;
		goto fail;
	}
	drv->inode = alloc_anon_inode(dm_mnt->mnt_sb);
	if (IS_ERR(drv->inode)) {
		err = PTR_ERR(drv->inode);
		drv->inode = NULL;
		goto fail;
	}
	cdev_init(&drv->cdev, &dm_fops);
	drv->cdev.owner = owner;
	err = cdev_add(&drv->cdev, drv->base, DM_MINORS);
	if (err) {
		drv->cdev.ops = NULL;
		goto fail;
	}
	mutex_lock(&dm_drivers_lock);
	list_add(&drv->link, &dm_drivers);
	mutex_unlock(&dm_drivers_lock);
	ids = dm_pci_ids(drv, aliases, naliases);
	if (ids > 0) {
		drv->pci.name = name;
		drv->pci.id_table = drv->ids;
		drv->pci.probe = dm_pci_probe;
		drv->pci.remove = dm_pci_remove;
		err = pci_register_driver(&drv->pci);
	} else {
		err = ids < 0 ? ids : dm_attach(drv, NULL);
	}
	if (!err)
		return 0;
	mutex_lock(&dm_drivers_lock);
	list_del(&drv->link);
	mutex_unlock(&dm_drivers_lock);
fail:
	dm_driver_free(drv);
	return -err;
}
EXPORT_SYMBOL_GPL(ddi_mod_install);

static struct dm_driver *dm_driver_by_devo(struct dev_ops *devo)
{
	struct dm_driver *drv, *found = NULL;

	mutex_lock(&dm_drivers_lock);
	list_for_each_entry(drv, &dm_drivers, link)
		if (drv->devo == devo)
			found = drv;
	mutex_unlock(&dm_drivers_lock);
	return found;
}

/**
 * mod_remove() - mod_remove(9F): detach every instance and unregister
 * @modlp: the driver's modlinkage
 *
 * Return: 0, or EBUSY when an instance refuses detach(9E).  Linux only
 * unloads a module whose device files are all closed and unmapped.
 */
int mod_remove(struct modlinkage *modlp)
{
	struct modldrv *md = modlp ? modlp->ml_linkage[0] : NULL;
	struct dm_driver *drv = md ? dm_driver_by_devo(md->drv_dev_ops) : NULL;

	if (!drv)
		return EINVAL;
	for (int i = 0; i < DM_MAX_INSTANCES; i++)
		if (drv->inst[i] && drv->inst[i]->attached &&
		    drv->devo->devo_detach &&
		    drv->devo->devo_detach(drv->inst[i], DDI_DETACH) !=
			    DDI_SUCCESS)
			return EBUSY;
		else if (drv->inst[i])
			drv->inst[i]->attached = false; /* detached */
	mutex_lock(&dm_drivers_lock);
	list_del(&drv->link);
	mutex_unlock(&dm_drivers_lock);
	dm_driver_unregister(drv);
	return 0;
}
EXPORT_SYMBOL_GPL(mod_remove);

/**
 * ddi_module_gone() - the module of a driver is being unloaded
 * @owner: the module
 *
 * Called after the driver's _fini.  Linux unloads a module whatever _fini
 * says (nothing of it is open then), so a driver still registered because
 * mod_remove(9F) or _fini refused is removed by force, with a warning.
 */
void ddi_module_gone(struct module *owner)
{
	struct dm_driver *drv, *found;

	do {
		found = NULL;
		mutex_lock(&dm_drivers_lock);
		list_for_each_entry(drv, &dm_drivers, link)
			if (drv->owner == owner)
				found = drv;
		if (found)
			list_del(&found->link);
		mutex_unlock(&dm_drivers_lock);
		if (!found)
			break;
		pr_warn("devmap: %s: _fini did not remove the driver; removing it\n",
			found->name);
		dm_driver_unregister(found);
	} while (found);
}
EXPORT_SYMBOL_GPL(ddi_module_gone);

/**
 * mod_info() - mod_info(9F)
 * @modlp: the driver's modlinkage
 * @modinfop: filled in
 *
 * Return: 1 (there is always information).
 */
int mod_info(struct modlinkage *modlp, struct modinfo *modinfop)
{
	if (modinfop)
		modinfop->mi_info = 0;
	return 1;
}
EXPORT_SYMBOL_GPL(mod_info);

/**
 * ddi_create_minor_node() - make a device node: /dev/<name><instance>
 * @dip: the instance
 * @name: minor node name
 * @spec_type: S_IFCHR
 * @minor_num: minor number (0-255)
 * @node_type: DDI_PSEUDO etc. (unused)
 * @flag: unused
 *
 * Return: DDI_SUCCESS or DDI_FAILURE.
 */
int ddi_create_minor_node(dev_info_t *dip, const char *name, int spec_type,
			  minor_t minor_num, const char *node_type, int flag)
{
	struct dm_driver *drv = dip->drv;
	struct device *dev;

	if (minor_num >= DM_MINORS || spec_type != S_IFCHR ||
	    test_and_set_bit(minor_num, drv->minor_nodes))
		return DDI_FAILURE; /* each minor once */
	dev = device_create(dm_class, dip->pdev ? &dip->pdev->dev : NULL,
			    drv->base + minor_num, dip, "%s%d", name,
			    dip->instance);
	if (IS_ERR(dev)) {
		clear_bit(minor_num, drv->minor_nodes);
		return DDI_FAILURE;
	}
	mutex_lock(&drv->lock);
	drv->minor_dip[minor_num] = dip;
	mutex_unlock(&drv->lock);
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_create_minor_node);

/**
 * ddi_remove_minor_node() - remove an instance's device nodes
 * @dip: the instance
 * @name: ignored: every node of the instance goes
 */
void ddi_remove_minor_node(dev_info_t *dip, const char *name)
{
	struct dm_driver *drv = dip->drv;
	int minor;

	for_each_set_bit(minor, drv->minor_nodes, DM_MINORS) {
		struct device *dev =
			class_find_device_by_devt(dm_class, drv->base + minor);

		if (!dev)
			continue;
		if (dev_get_drvdata(dev) == dip) {
			mutex_lock(&drv->lock);
			drv->minor_dip[minor] = NULL;
			mutex_unlock(&drv->lock);
			clear_bit(minor, drv->minor_nodes);
			device_destroy(dm_class, drv->base + minor);
		}
		put_device(dev);
	}
}
EXPORT_SYMBOL_GPL(ddi_remove_minor_node);

int dm_shim_init(void)
{
	dm_wq = alloc_workqueue("devmap", 0, 0);
	if (!dm_wq)
		return -ENOMEM;
	dm_class = dm_class_create("devmap");
	if (IS_ERR(dm_class)) {
		destroy_workqueue(dm_wq);
		return PTR_ERR(dm_class);
	}
	return 0;
}

void dm_shim_fini(void)
{
	destroy_workqueue(dm_wq); /* waits for every teardown */
	class_destroy(dm_class);
}
