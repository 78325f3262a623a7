// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rest of the DDI shim a Solaris driver needs: instances, soft state,
 * kmem, cmn_err, condition variables, register access through
 * ddi_regs_map_setup and ddi_get/ddi_put, copyin/copyout and time.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <sys/ddi.h>
#include "dm_linux.h"

int ddi_get_instance(dev_info_t *dip)
{
	return dip->instance;
}
EXPORT_SYMBOL_GPL(ddi_get_instance);

void *ddi_get_driver_private(dev_info_t *dip)
{
	return dip->driver_private;
}
EXPORT_SYMBOL_GPL(ddi_get_driver_private);

void ddi_set_driver_private(dev_info_t *dip, void *data)
{
	dip->driver_private = data;
}
EXPORT_SYMBOL_GPL(ddi_set_driver_private);

void ddi_report_dev(dev_info_t *dip)
{
	pr_info("devmap: %s%d attached\n", dip->drv->name, dip->instance);
}
EXPORT_SYMBOL_GPL(ddi_report_dev);

int ddi_quiesce_not_needed(dev_info_t *dip)
{
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_quiesce_not_needed);

/* Soft state: per-instance driver data, by item number. */
struct dm_soft_state {
	size_t size;
	struct xarray items;
};

int ddi_soft_state_init(void **state_p, size_t size, size_t n_items)
{
	struct dm_soft_state *ss;

	if (!size)
		return EINVAL;
	ss = kzalloc(sizeof(*ss), GFP_KERNEL);
	if (!ss)
		return ENOMEM;
	ss->size = size;
	xa_init(&ss->items);
	*state_p = ss;
	return 0;
}
EXPORT_SYMBOL_GPL(ddi_soft_state_init);

int ddi_soft_state_zalloc(void *state, int item)
{
	struct dm_soft_state *ss = state;
	void *p = kzalloc(ss->size, GFP_KERNEL);

	if (!p || item < 0)
		goto fail;
	if (xa_insert(&ss->items, item, p, GFP_KERNEL) == 0)
		return DDI_SUCCESS;
fail:
	kfree(p);
	return DDI_FAILURE;
}
EXPORT_SYMBOL_GPL(ddi_soft_state_zalloc);

void *ddi_get_soft_state(void *state, int item)
{
	struct dm_soft_state *ss = state;

	return item < 0 ? NULL : xa_load(&ss->items, item);
}
EXPORT_SYMBOL_GPL(ddi_get_soft_state);

void ddi_soft_state_free(void *state, int item)
{
	struct dm_soft_state *ss = state;

	if (item >= 0)
		kfree(xa_erase(&ss->items, item));
}
EXPORT_SYMBOL_GPL(ddi_soft_state_free);

void ddi_soft_state_fini(void **state_p)
{
	struct dm_soft_state *ss = *state_p;
	unsigned long item;
	void *p;

	if (!ss)
		return;
	xa_for_each(&ss->items, item, p)
		kfree(p);
	xa_destroy(&ss->items);
	kfree(ss);
	*state_p = NULL;
}
EXPORT_SYMBOL_GPL(ddi_soft_state_fini);

void *kmem_alloc(size_t size, int kmflag)
{
	return kvmalloc(size, kmflag & KM_NOSLEEP ? GFP_NOWAIT : GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(kmem_alloc);

void *kmem_zalloc(size_t size, int kmflag)
{
	return kvzalloc(size, kmflag & KM_NOSLEEP ? GFP_NOWAIT : GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(kmem_zalloc);

void kmem_free(void *buf, size_t size)
{
	kvfree(buf);
}
EXPORT_SYMBOL_GPL(kmem_free);

void cmn_err(int level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (*fmt == '!' || *fmt == '^' || *fmt == '?')
		fmt++;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	switch (level) {
	case CE_CONT:
		pr_cont("%pV", &vaf);
		break;
	case CE_NOTE:
		pr_notice("%pV\n", &vaf);
		break;
	case CE_WARN:
		pr_warn("%pV\n", &vaf);
		break;
	default:
		panic("%pV\n", &vaf);
	}
	va_end(args);
}
EXPORT_SYMBOL_GPL(cmn_err);

static long dm_cv_sleep(kcondvar_t *cvp, kmutex_t *mp, int state, long timeout)
{
	DEFINE_WAIT(wait);

	/* not exclusive: a waiter that returns on a signal or a timeout
	 * must not swallow a cv_signal meant for another */
	prepare_to_wait(&cvp->cv_wq, &wait, state);
	mutex_unlock(mp);
	timeout = schedule_timeout(timeout);
	finish_wait(&cvp->cv_wq, &wait);
	mutex_lock(mp);
	return timeout;
}

void cv_wait(kcondvar_t *cvp, kmutex_t *mp)
{
	dm_cv_sleep(cvp, mp, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}
EXPORT_SYMBOL_GPL(cv_wait);

/* Returns 0 when a signal ended the wait, as in Solaris. */
int cv_wait_sig(kcondvar_t *cvp, kmutex_t *mp)
{
	dm_cv_sleep(cvp, mp, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	return signal_pending(current) ? 0 : 1;
}
EXPORT_SYMBOL_GPL(cv_wait_sig);

/* Returns -1 on timeout, else the ticks left. */
clock_t cv_reltimedwait(kcondvar_t *cvp, kmutex_t *mp, clock_t delta, int res)
{
	long left = dm_cv_sleep(cvp, mp, TASK_UNINTERRUPTIBLE,
				delta > 0 ? delta : 0);

	return left ? left : -1;
}
EXPORT_SYMBOL_GPL(cv_reltimedwait);

void cv_signal(kcondvar_t *cvp)
{
	wake_up(&cvp->cv_wq);
}
EXPORT_SYMBOL_GPL(cv_signal);

void cv_broadcast(kcondvar_t *cvp)
{
	wake_up_all(&cvp->cv_wq);
}
EXPORT_SYMBOL_GPL(cv_broadcast);

/**
 * dm_reg_bar() - the BAR of a Solaris register set number
 * @pdev: the PCI device
 * @rnumber: register set: 0 is configuration space, then one per
 *	     implemented BAR in order (a 64-bit BAR counts once)
 *
 * Return: the BAR index, or -1 for config space or a missing register set.
 */
int dm_reg_bar(struct pci_dev *pdev, uint_t rnumber)
{
	uint_t n = 0;

	for (int bar = 0; pdev && bar < PCI_STD_NUM_BARS; bar++)
		if (pci_resource_len(pdev, bar) && ++n == rnumber)
			return bar;
	return -1;
}

static bool dm_acc_merging(const ddi_device_acc_attr_t *attr)
{
	return attr && (attr->devacc_attr_dataorder == DDI_MERGING_OK_ACC ||
			attr->devacc_attr_dataorder == DDI_LOADCACHING_OK_ACC);
}

/**
 * hat_getkpfnum() - the page frame of a kernel address
 * @addr: kernel memory, vmalloc/ioremap space included
 *
 * Return: the pfn, as legacy mmap(9E) entry points return it.
 */
unsigned long hat_getkpfnum(caddr_t addr)
{
	if (is_vmalloc_addr(addr))
		return vmalloc_to_pfn(addr);
	return PHYS_PFN(virt_to_phys(addr));
}
EXPORT_SYMBOL_GPL(hat_getkpfnum);

/* A BAR's length, a whole page for a small BAR whose page is ours. */
resource_size_t dm_bar_len(struct dev_info *dip, int bar)
{
	return dip->pad[bar] ? PAGE_SIZE : pci_resource_len(dip->pdev, bar);
}

/* A register mapping of a memory BAR (see dm_reg_bar()). */
struct ddi_acc_impl {
	bool swap; /* DDI_STRUCTURE_BE_ACC */
};

int ddi_regs_map_setup(dev_info_t *dip, uint_t rnumber, caddr_t *addrp,
		       offset_t offset, offset_t len,
		       const ddi_device_acc_attr_t *accattrp,
		       ddi_acc_handle_t *handlep)
{
	int bar = dm_reg_bar(dip->pdev, rnumber);
	struct ddi_acc_impl *h;
	resource_size_t size;

	if (bar < 0 || !(pci_resource_flags(dip->pdev, bar) & IORESOURCE_MEM))
		return DDI_FAILURE;
	size = pci_resource_len(dip->pdev, bar);
	if (offset < 0 || len < 0 || (resource_size_t)(offset + len) > size)
		return DDI_FAILURE;
	/*
	 * Merging access maps the BAR write-combining; that also reserves
	 * the WC memory type, which user mappings of the BAR (devmap with
	 * DDI_MERGING_OK_ACC) need to get WC under PAT.
	 */
	if (!dip->bars[bar])
		dip->bars[bar] = dm_acc_merging(accattrp) ?
					 pci_iomap_wc(dip->pdev, bar, 0) :
					 pci_iomap(dip->pdev, bar, 0);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!dip->bars[bar] || !h) {
		kfree(h);
		return DDI_FAILURE;
	}
	h->swap = accattrp &&
		  accattrp->devacc_attr_endian_flags == DDI_STRUCTURE_BE_ACC;
	*addrp = (caddr_t)dip->bars[bar] + offset;
	*handlep = h;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_regs_map_setup);

void ddi_regs_map_free(ddi_acc_handle_t *handlep)
{
	kfree(*handlep);
	*handlep = NULL;
}
EXPORT_SYMBOL_GPL(ddi_regs_map_free);

uint8_t ddi_get8(ddi_acc_handle_t h, uint8_t *addr)
{
	return ioread8((void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_get8);

uint16_t ddi_get16(ddi_acc_handle_t h, uint16_t *addr)
{
	uint16_t v = ioread16((void __iomem *)addr);

	return h->swap ? swab16(v) : v;
}
EXPORT_SYMBOL_GPL(ddi_get16);

uint32_t ddi_get32(ddi_acc_handle_t h, uint32_t *addr)
{
	uint32_t v = ioread32((void __iomem *)addr);

	return h->swap ? swab32(v) : v;
}
EXPORT_SYMBOL_GPL(ddi_get32);

uint64_t ddi_get64(ddi_acc_handle_t h, uint64_t *addr)
{
	uint64_t v = readq((void __iomem *)addr);

	return h->swap ? swab64(v) : v;
}
EXPORT_SYMBOL_GPL(ddi_get64);

void ddi_put8(ddi_acc_handle_t h, uint8_t *addr, uint8_t value)
{
	iowrite8(value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put8);

void ddi_put16(ddi_acc_handle_t h, uint16_t *addr, uint16_t value)
{
	iowrite16(h->swap ? swab16(value) : value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put16);

void ddi_put32(ddi_acc_handle_t h, uint32_t *addr, uint32_t value)
{
	iowrite32(h->swap ? swab32(value) : value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put32);

void ddi_put64(ddi_acc_handle_t h, uint64_t *addr, uint64_t value)
{
	writeq(h->swap ? swab64(value) : value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put64);

int ddi_copyin(const void *buf, void *driverbuf, size_t cn, int flags)
{
	if (flags & FKIOCTL) {
		memcpy(driverbuf, buf, cn);
		return 0;
	}
	return copy_from_user(driverbuf, (const void __user *)buf, cn) ? -1 : 0;
}
EXPORT_SYMBOL_GPL(ddi_copyin);

int ddi_copyout(const void *driverbuf, void *buf, size_t cn, int flags)
{
	if (flags & FKIOCTL) {
		memcpy(buf, driverbuf, cn);
		return 0;
	}
	return copy_to_user((void __user *)buf, driverbuf, cn) ? -1 : 0;
}
EXPORT_SYMBOL_GPL(ddi_copyout);

int drv_priv(cred_t *cr)
{
	return capable(CAP_SYS_ADMIN) ? 0 : EPERM;
}
EXPORT_SYMBOL_GPL(drv_priv);

clock_t drv_usectohz(clock_t microsecs)
{
	return (clock_t)usecs_to_jiffies(microsecs);
}
EXPORT_SYMBOL_GPL(drv_usectohz);

clock_t ddi_get_lbolt(void)
{
	return (clock_t)jiffies;
}
EXPORT_SYMBOL_GPL(ddi_get_lbolt);

void delay(clock_t ticks)
{
	schedule_timeout_uninterruptible(ticks);
}
EXPORT_SYMBOL_GPL(delay);
