// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rest of the DDI shim a Solaris driver needs: instances, soft state,
 * kmem, cmn_err, condition variables, register access through
 * ddi_regs_map_setup and ddi_get/ddi_put, copyin/copyout, uio, time, the
 * process and properties.
 *
 * Properties: Linux has no driver.conf, so a node's properties are the
 * PCI identity illumos' PCI nexus gives every PCI node (vendor-id,
 * device-id, ...), then the device's firmware properties (ACPI _DSD or
 * devicetree, through the device property API; DDI_PROP_NOTPROM skips
 * them).  A pseudo node has none.  Every property is an int.
 */
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/math64.h>
#include <linux/property.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <sys/ddi.h>
#include "ddi_impl.h"
#include "dm_linux.h"

/**
 * ddi_get_instance() - ddi_get_instance(9F): a device node's instance number
 * @dip: the device node
 *
 * Return: the instance number, from 0 per driver.
 */
int ddi_get_instance(dev_info_t *dip)
{
	return dip->instance;
}
EXPORT_SYMBOL_GPL(ddi_get_instance);

/**
 * ddi_get_driver_private() - the driver's pointer of a device node
 * @dip: the device node
 *
 * Return: what ddi_set_driver_private() stored, or NULL.
 */
void *ddi_get_driver_private(dev_info_t *dip)
{
	return dip->driver_private;
}
EXPORT_SYMBOL_GPL(ddi_get_driver_private);

/**
 * ddi_set_driver_private() - store the driver's pointer in a device node
 * @dip: the device node
 * @data: the pointer
 */
void ddi_set_driver_private(dev_info_t *dip, void *data)
{
	dip->driver_private = data;
}
EXPORT_SYMBOL_GPL(ddi_set_driver_private);

/**
 * ddi_report_dev() - ddi_report_dev(9F): announce an attached device
 * @dip: the device node; its driver name and instance go to the kernel log
 */
void ddi_report_dev(dev_info_t *dip)
{
	pr_info("devmap: %s%d attached\n", dip->drv->name, dip->instance);
}
EXPORT_SYMBOL_GPL(ddi_report_dev);

/**
 * ddi_quiesce_not_needed() - quiesce(9E) of a device needing none
 * @dip: the device node
 *
 * Return: DDI_SUCCESS.
 */
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

/**
 * ddi_soft_state_init() - ddi_soft_state(9F): set up per-instance state
 * @state_p: receives the state's anchor
 * @size: bytes of each item
 * @n_items: a hint of how many; ignored (items are kept in an xarray)
 *
 * Return: 0, EINVAL for @size 0, or ENOMEM.
 */
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

/**
 * ddi_soft_state_zalloc() - allocate a zeroed item of soft state
 * @state: from ddi_soft_state_init()
 * @item: its number, usually the instance; >= 0
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE for a negative or taken @item or no
 * memory.
 */
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

/**
 * ddi_get_soft_state() - an item of soft state
 * @state: from ddi_soft_state_init()
 * @item: its number
 *
 * Return: the item, or NULL when it was not allocated.
 */
void *ddi_get_soft_state(void *state, int item)
{
	struct dm_soft_state *ss = state;

	return item < 0 ? NULL : xa_load(&ss->items, item);
}
EXPORT_SYMBOL_GPL(ddi_get_soft_state);

/**
 * ddi_soft_state_free() - free an item of soft state
 * @state: from ddi_soft_state_init()
 * @item: its number; one not allocated is ignored
 */
void ddi_soft_state_free(void *state, int item)
{
	struct dm_soft_state *ss = state;

	if (item >= 0)
		kfree(xa_erase(&ss->items, item));
}
EXPORT_SYMBOL_GPL(ddi_soft_state_free);

/**
 * ddi_soft_state_fini() - free soft state and every item left in it
 * @state_p: the anchor; set to NULL (a NULL anchor is ignored)
 */
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

/*
 * The flags of kmem_alloc(9F).  A driver may pass a length a user chose:
 * a size no allocator gives (past INT_MAX, where kvmalloc() WARNs, or past
 * what memory holds) returns NULL, KM_SLEEP or not, for the driver to
 * report, and the kernel says nothing (a WARN any user could fire would
 * stop a machine that panics on warnings).
 */
static gfp_t dm_kmem_gfp(int kmflag)
{
	return (kmflag & KM_NOSLEEP ? GFP_NOWAIT : GFP_KERNEL) | __GFP_NOWARN;
}

/**
 * kmem_alloc() - kmem_alloc(9F): kernel memory
 * @size: bytes
 * @kmflag: KM_SLEEP (may sleep) or KM_NOSLEEP
 *
 * Return: the memory, or NULL (KM_SLEEP too, for a size that cannot be
 * had: unlike Solaris, which would wait for ever).
 */
void *kmem_alloc(size_t size, int kmflag)
{
	return kvmalloc(size, dm_kmem_gfp(kmflag));
}
EXPORT_SYMBOL_GPL(kmem_alloc);

/**
 * kmem_zalloc() - kmem_zalloc(9F): zeroed kernel memory
 * @size: bytes
 * @kmflag: KM_SLEEP (may sleep) or KM_NOSLEEP
 *
 * Return: the memory, or NULL as for kmem_alloc().
 */
void *kmem_zalloc(size_t size, int kmflag)
{
	return kvzalloc(size, dm_kmem_gfp(kmflag));
}
EXPORT_SYMBOL_GPL(kmem_zalloc);

/**
 * kmem_free() - kmem_free(9F): free memory of kmem_alloc() or kmem_zalloc()
 * @buf: the memory, or NULL
 * @size: the size it was allocated with (unused: Linux knows it)
 */
void kmem_free(void *buf, size_t size)
{
	kvfree(buf);
}
EXPORT_SYMBOL_GPL(kmem_free);

static void dm_vcmn_err(int level, const char *fmt, va_list args)
{
	struct va_format vaf;
	va_list copy;

	va_copy(copy, args);
	vaf.fmt = fmt;
	vaf.va = &copy;
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
	va_end(copy);
}

/* Solaris' leading '!', '^' or '?' says where the message goes: dropped. */
static const char *dm_cmn_fmt(const char *fmt)
{
	return *fmt == '!' || *fmt == '^' || *fmt == '?' ? fmt + 1 : fmt;
}

/**
 * dm_cmn_err() - cmn_err(9F) as drivers call it (sys/cmn_err.h)
 * @rs: the rate limit of the call site
 * @func: the calling function, which the kernel's "callbacks suppressed"
 *	  line names
 * @level: CE_CONT, CE_NOTE, CE_WARN or CE_PANIC
 * @fmt: the format, then its arguments
 *
 * CE_NOTE and CE_WARN lines past @rs are left out (and counted in the
 * kernel's "@func: N callbacks suppressed" line); CE_CONT and CE_PANIC
 * never are.
 */
void dm_cmn_err(struct ratelimit_state *rs, const char *func, int level,
		const char *fmt, ...)
{
	va_list args;

	if ((level == CE_NOTE || level == CE_WARN) && !___ratelimit(rs, func))
		return;
	va_start(args, fmt);
	dm_vcmn_err(level, dm_cmn_fmt(fmt), args);
	va_end(args);
}
EXPORT_SYMBOL_GPL(dm_cmn_err);

/* the function itself, for a call through a pointer (sys/cmn_err.h) */
#undef cmn_err

/**
 * cmn_err() - cmn_err(9F) without a rate limit (a call through a pointer)
 * @level: CE_CONT, CE_NOTE, CE_WARN or CE_PANIC
 * @fmt: the format, then its arguments
 */
void cmn_err(int level, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	dm_vcmn_err(level, dm_cmn_fmt(fmt), args);
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

/**
 * cv_wait() - condition(9F): wait for a condition variable
 * @cvp: the condition variable
 * @mp: the mutex the caller holds; released while waiting, held again on
 *	return
 *
 * Uninterruptible; may return without a wakeup, so recheck the condition.
 */
void cv_wait(kcondvar_t *cvp, kmutex_t *mp)
{
	dm_cv_sleep(cvp, mp, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}
EXPORT_SYMBOL_GPL(cv_wait);

/**
 * cv_wait_sig() - wait for a condition variable or a signal
 * @cvp: the condition variable
 * @mp: the mutex the caller holds; released while waiting
 *
 * Return: 0 when a signal ended the wait, as in Solaris, else 1.
 */
int cv_wait_sig(kcondvar_t *cvp, kmutex_t *mp)
{
	dm_cv_sleep(cvp, mp, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
	return signal_pending(current) ? 0 : 1;
}
EXPORT_SYMBOL_GPL(cv_wait_sig);

/**
 * cv_reltimedwait() - wait for a condition variable or a time
 * @cvp: the condition variable
 * @mp: the mutex the caller holds; released while waiting
 * @delta: longest wait, in clock ticks (<= 0: none)
 * @res: timer resolution; ignored (a tick is the resolution)
 *
 * Return: -1 when the time ran out, else the ticks left.
 */
clock_t cv_reltimedwait(kcondvar_t *cvp, kmutex_t *mp, clock_t delta,
			time_res_t res)
{
	long left = dm_cv_sleep(cvp, mp, TASK_UNINTERRUPTIBLE,
				delta > 0 ? delta : 0);

	return left ? left : -1;
}
EXPORT_SYMBOL_GPL(cv_reltimedwait);

/**
 * cv_reltimedwait_sig() - wait for a condition, a signal or a time
 * @cvp: the condition variable
 * @mp: the mutex the caller holds; released while waiting
 * @delta: longest wait, in clock ticks
 * @res: timer resolution; ignored (a tick is the resolution)
 *
 * Return: 0 when a signal is pending, -1 when the time ran out, else the
 * ticks left.
 */
clock_t cv_reltimedwait_sig(kcondvar_t *cvp, kmutex_t *mp, clock_t delta,
			    time_res_t res)
{
	long left =
		dm_cv_sleep(cvp, mp, TASK_INTERRUPTIBLE, delta > 0 ? delta : 0);

	if (signal_pending(current))
		return 0;
	return left ? left : -1;
}
EXPORT_SYMBOL_GPL(cv_reltimedwait_sig);

/**
 * cv_signal() - wake a waiter of a condition variable
 * @cvp: the condition variable
 */
void cv_signal(kcondvar_t *cvp)
{
	wake_up(&cvp->cv_wq);
}
EXPORT_SYMBOL_GPL(cv_signal);

/**
 * cv_broadcast() - wake every waiter of a condition variable
 * @cvp: the condition variable
 */
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
pfn_t hat_getkpfnum(caddr_t addr)
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

/* Whether an access handle of these attributes swaps bytes. */
bool ddi_acc_swap(const ddi_device_acc_attr_t *accattrp)
{
	return accattrp &&
	       accattrp->devacc_attr_endian_flags == DDI_STRUCTURE_BE_ACC;
}

/**
 * ddi_regs_map_setup() - ddi_regs_map_setup(9F): map a register set
 * @dip: the PCI device node
 * @rnumber: register set: 1 for the first implemented BAR, and so on
 *	     (0, configuration space, is refused)
 * @addrp: receives the kernel address of @offset
 * @offset: offset in the register set
 * @len: bytes from @offset
 * @accattrp: access attributes: DDI_STRUCTURE_BE_ACC swaps bytes in
 *	      ddi_get/ddi_put; DDI_MERGING_OK_ACC maps write-combining
 * @handlep: receives the access handle for ddi_get/ddi_put
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE for a missing or I/O-port register
 * set, a range past its end, or no memory.
 */
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
	h->swap = ddi_acc_swap(accattrp);
	*addrp = (caddr_t)dip->bars[bar] + offset;
	*handlep = h;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_regs_map_setup);

/**
 * ddi_regs_map_free() - free an access handle of ddi_regs_map_setup()
 * @handlep: the handle; set to NULL (the BAR stays mapped for the device)
 */
void ddi_regs_map_free(ddi_acc_handle_t *handlep)
{
	kfree(*handlep);
	*handlep = NULL;
}
EXPORT_SYMBOL_GPL(ddi_regs_map_free);

/**
 * ddi_get8() - ddi_get8(9F): read a device register
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 *
 * ddi_get16(), ddi_get32() and ddi_get64() read wider registers, swapping
 * bytes when the handle's attributes say big-endian.
 *
 * Return: the value read.
 */
uint8_t ddi_get8(ddi_acc_handle_t h, uint8_t *addr)
{
	return ioread8((void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_get8);

/**
 * ddi_get16() - read a 16-bit device register (see ddi_get8())
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 *
 * Return: the value read.
 */
uint16_t ddi_get16(ddi_acc_handle_t h, uint16_t *addr)
{
	uint16_t v = ioread16((void __iomem *)addr);

	return h->swap ? swab16(v) : v;
}
EXPORT_SYMBOL_GPL(ddi_get16);

/**
 * ddi_get32() - read a 32-bit device register (see ddi_get8())
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 *
 * Return: the value read.
 */
uint32_t ddi_get32(ddi_acc_handle_t h, uint32_t *addr)
{
	uint32_t v = ioread32((void __iomem *)addr);

	return h->swap ? swab32(v) : v;
}
EXPORT_SYMBOL_GPL(ddi_get32);

/**
 * ddi_get64() - read a 64-bit device register (see ddi_get8())
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 *
 * Return: the value read.
 */
uint64_t ddi_get64(ddi_acc_handle_t h, uint64_t *addr)
{
	uint64_t v = readq((void __iomem *)addr);

	return h->swap ? swab64(v) : v;
}
EXPORT_SYMBOL_GPL(ddi_get64);

/**
 * ddi_put8() - ddi_put8(9F): write a device register
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 * @value: the value
 *
 * ddi_put16(), ddi_put32() and ddi_put64() write wider registers,
 * swapping bytes when the handle's attributes say big-endian.
 */
void ddi_put8(ddi_acc_handle_t h, uint8_t *addr, uint8_t value)
{
	iowrite8(value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put8);

/**
 * ddi_put16() - write a 16-bit device register (see ddi_put8())
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 * @value: the value
 */
void ddi_put16(ddi_acc_handle_t h, uint16_t *addr, uint16_t value)
{
	iowrite16(h->swap ? swab16(value) : value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put16);

/**
 * ddi_put32() - write a 32-bit device register (see ddi_put8())
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 * @value: the value
 */
void ddi_put32(ddi_acc_handle_t h, uint32_t *addr, uint32_t value)
{
	iowrite32(h->swap ? swab32(value) : value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put32);

/**
 * ddi_put64() - write a 64-bit device register (see ddi_put8())
 * @h: the access handle
 * @addr: an address from ddi_regs_map_setup()
 * @value: the value
 */
void ddi_put64(ddi_acc_handle_t h, uint64_t *addr, uint64_t value)
{
	writeq(h->swap ? swab64(value) : value, (void __iomem *)addr);
}
EXPORT_SYMBOL_GPL(ddi_put64);

/**
 * ddi_copyin() - ddi_copyin(9F): copy from the caller's buffer
 * @buf: the user address, or a kernel address with FKIOCTL in @flags
 * @driverbuf: the driver's buffer
 * @cn: bytes
 * @flags: the ioctl(9E) mode; FKIOCTL: @buf is kernel memory
 *
 * Return: 0, or -1 when the user buffer cannot be read.
 */
int ddi_copyin(const void *buf, void *driverbuf, size_t cn, int flags)
{
	if (flags & FKIOCTL) {
		memcpy(driverbuf, buf, cn);
		return 0;
	}
	return copy_from_user(driverbuf, (const void __user *)buf, cn) ? -1 : 0;
}
EXPORT_SYMBOL_GPL(ddi_copyin);

/**
 * ddi_copyout() - ddi_copyout(9F): copy to the caller's buffer
 * @driverbuf: the driver's buffer
 * @buf: the user address, or a kernel address with FKIOCTL in @flags
 * @cn: bytes
 * @flags: the ioctl(9E) mode; FKIOCTL: @buf is kernel memory
 *
 * Return: 0, or -1 when the user buffer cannot be written.
 */
int ddi_copyout(const void *driverbuf, void *buf, size_t cn, int flags)
{
	if (flags & FKIOCTL) {
		memcpy(buf, driverbuf, cn);
		return 0;
	}
	return copy_to_user((void __user *)buf, driverbuf, cn) ? -1 : 0;
}
EXPORT_SYMBOL_GPL(ddi_copyout);

/**
 * drv_priv() - drv_priv(9F): is the caller privileged?
 * @cr: the credentials; the calling task's are checked (Linux has one set)
 *
 * Return: 0 with CAP_SYS_ADMIN, else EPERM.
 */
int drv_priv(cred_t *cr)
{
	return capable(CAP_SYS_ADMIN) ? 0 : EPERM;
}
EXPORT_SYMBOL_GPL(drv_priv);

/**
 * drv_usectohz() - microseconds to clock ticks
 * @microsecs: the time, the whole clock_t (usecs_to_jiffies() would take
 *	       only its low 32 bits: 5000 s would become 705 s)
 *
 * Return: the ticks, rounded up; 0 for a time of 0 or less.
 */
clock_t drv_usectohz(clock_t microsecs)
{
	u32 rem;
	u64 sec;

	if (microsecs <= 0)
		return 0;
	sec = div_u64_rem((u64)microsecs, USEC_PER_SEC, &rem);
	/* sec * HZ < 2^63 / 10^6 * 10^3: no overflow */
	return (clock_t)(sec * HZ + DIV_ROUND_UP(rem * HZ, USEC_PER_SEC));
}
EXPORT_SYMBOL_GPL(drv_usectohz);

/**
 * ddi_get_lbolt() - ddi_get_lbolt(9F): clock ticks since boot
 *
 * Return: jiffies, which start at an offset and wrap as lbolt does.
 */
clock_t ddi_get_lbolt(void)
{
	return (clock_t)jiffies;
}
EXPORT_SYMBOL_GPL(ddi_get_lbolt);

/**
 * delay() - delay(9F): sleep for a number of clock ticks
 * @ticks: how long; uninterruptible
 */
void delay(clock_t ticks)
{
	schedule_timeout_uninterruptible(ticks);
}
EXPORT_SYMBOL_GPL(delay);

/* hz: clock ticks per second, as Solaris' variable */
const int hz = HZ;
EXPORT_SYMBOL_GPL(hz);

/**
 * ddi_get_pid() - the process of the calling thread
 *
 * Return: its process ID (thread group ID) as the initial PID namespace
 * sees it, the one ID space Solaris has.
 */
pid_t ddi_get_pid(void)
{
	return task_tgid_nr(current);
}
EXPORT_SYMBOL_GPL(ddi_get_pid);

/**
 * uiomove() - move data between a kernel buffer and a uio's buffers
 * @address: the kernel buffer
 * @nbytes: bytes to move at most
 * @rwflag: UIO_READ: from @address to the uio; UIO_WRITE: the other way
 * @uio_p: the uio; its iovecs, offset and residue advance by what moved
 *
 * Return: 0, or EFAULT when a user buffer cannot be reached (the uio then
 * stands after what moved before).
 */
int uiomove(void *address, size_t nbytes, enum uio_rw rwflag, uio_t *uio_p)
{
	char *kaddr = address;

	while (nbytes && uio_p->uio_resid > 0 && uio_p->uio_iovcnt > 0) {
		iovec_t *iov = uio_p->uio_iov;
		size_t cnt = min_t(size_t, iov->iov_len, nbytes);
		void *ubuf = (void __force *)iov->iov_base;
		unsigned long left = 0;

		if (!cnt) {
			uio_p->uio_iov++;
			uio_p->uio_iovcnt--;
			continue;
		}
		if (uio_p->uio_segflg == UIO_SYSSPACE)
			memcpy(rwflag == UIO_READ ? ubuf : kaddr,
			       rwflag == UIO_READ ? kaddr : ubuf, cnt);
		else if (rwflag == UIO_READ)
			left = copy_to_user(iov->iov_base, kaddr, cnt);
		else
			left = copy_from_user(kaddr, iov->iov_base, cnt);
		if (left)
			return EFAULT;
		iov->iov_base += cnt;
		iov->iov_len -= cnt;
		uio_p->uio_resid -= cnt;
		uio_p->uio_loffset += cnt;
		kaddr += cnt;
		nbytes -= cnt;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(uiomove);

enum dm_pci_prop {
	DM_VENDOR,
	DM_DEVICE,
	DM_SUBVENDOR,
	DM_SUBSYSTEM,
	DM_REV,
	DM_CLASS
};
static const char *const dm_pci_props[] = {
	[DM_VENDOR] = "vendor-id",
	[DM_DEVICE] = "device-id",
	[DM_SUBVENDOR] = "subsystem-vendor-id",
	[DM_SUBSYSTEM] = "subsystem-id",
	[DM_REV] = "revision-id",
	[DM_CLASS] = "class-code",
};

/* A node's property @name (see the top of this file). */
static bool dm_prop_lookup(dev_info_t *dip, int flags, const char *name,
			   int *valp)
{
	struct pci_dev *pdev = dip->pdev;
	u32 v;

	if (!pdev)
		return false;
	switch (match_string(dm_pci_props, ARRAY_SIZE(dm_pci_props), name)) {
	case DM_VENDOR:
		v = pdev->vendor;
		break;
	case DM_DEVICE:
		v = pdev->device;
		break;
	case DM_SUBVENDOR:
		v = pdev->subsystem_vendor;
		break;
	case DM_SUBSYSTEM:
		v = pdev->subsystem_device;
		break;
	case DM_REV:
		v = pdev->revision;
		break;
	case DM_CLASS:
		v = pdev->class;
		break;
	default:
		if (flags & DDI_PROP_NOTPROM ||
		    device_property_read_u32(&pdev->dev, name, &v))
			return false;
	}
	*valp = v;
	return true;
}

/**
 * ddi_prop_op() - look a property up, for prop_op(9E) and the other calls
 * @dev: device number; not used (every minor has its node's properties)
 * @dip: the device node
 * @prop_op: PROP_LEN, PROP_LEN_AND_VAL_BUF, PROP_LEN_AND_VAL_ALLOC or
 *	     PROP_EXISTS
 * @mod_flags: DDI_PROP_* flags: DDI_PROP_NOTPROM, DDI_PROP_CANSLEEP
 * @name: the property
 * @valuep: PROP_LEN_AND_VAL_BUF: the buffer; PROP_LEN_AND_VAL_ALLOC: a
 *	    caddr_t * that receives memory from kmem_alloc(9F)
 * @lengthp: the buffer's length in, the property's length out
 *
 * Return: DDI_PROP_SUCCESS, DDI_PROP_NOT_FOUND, DDI_PROP_BUF_TOO_SMALL,
 * DDI_PROP_NO_MEMORY or DDI_PROP_INVAL_ARG.
 */
int ddi_prop_op(dev_t dev, dev_info_t *dip, ddi_prop_op_t prop_op,
		int mod_flags, char *name, caddr_t valuep, int *lengthp)
{
	int val, len = sizeof(val);
	void *buf;

	if (!dm_prop_lookup(dip, mod_flags, name, &val))
		return DDI_PROP_NOT_FOUND;
	switch (prop_op) {
	case PROP_EXISTS:
		return DDI_PROP_SUCCESS;
	case PROP_LEN:
		break;
	case PROP_LEN_AND_VAL_BUF:
		if (*lengthp < len) {
			*lengthp = len;
			return DDI_PROP_BUF_TOO_SMALL;
		}
		memcpy(valuep, &val, len);
		break;
	case PROP_LEN_AND_VAL_ALLOC:
		buf = kmem_alloc(len, mod_flags & DDI_PROP_CANSLEEP ?
					      KM_SLEEP :
					      KM_NOSLEEP);
		if (!buf)
			return DDI_PROP_NO_MEMORY;
		memcpy(buf, &val, len);
		*(caddr_t *)valuep = buf;
		break;
	default:
		return DDI_PROP_INVAL_ARG;
	}
	*lengthp = len;
	return DDI_PROP_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_prop_op);

/**
 * ddi_prop_get_int() - an integer property, or a default
 * @match_dev: device number; not used
 * @dip: the device node
 * @flags: DDI_PROP_* flags (DDI_PROP_NOTPROM: no firmware property)
 * @name: the property
 * @defvalue: what to return when the node has no such property
 *
 * Return: the property's value, or @defvalue.
 */
int ddi_prop_get_int(dev_t match_dev, dev_info_t *dip, uint_t flags, char *name,
		     int defvalue)
{
	int val;

	return dm_prop_lookup(dip, flags, name, &val) ? val : defvalue;
}
EXPORT_SYMBOL_GPL(ddi_prop_get_int);

/**
 * ddi_getprop() - an integer property, or a default (the older interface)
 * @dev: device number; not used
 * @dip: the device node
 * @flags: DDI_PROP_* flags
 * @name: the property
 * @defvalue: what to return when the node has no such property
 *
 * Return: the property's value, or @defvalue.
 */
int ddi_getprop(dev_t dev, dev_info_t *dip, int flags, char *name, int defvalue)
{
	return ddi_prop_get_int(dev, dip, flags, name, defvalue);
}
EXPORT_SYMBOL_GPL(ddi_getprop);

/**
 * ddi_getlongprop() - a property's value in memory of its own
 * @dev: device number; not used
 * @dip: the device node
 * @flags: DDI_PROP_* flags; DDI_PROP_CANSLEEP lets the allocation sleep
 * @name: the property
 * @valuep: a caddr_t *: receives the value, in memory the caller frees
 *	    with kmem_free(9F)
 * @lengthp: receives the value's length
 *
 * Return: as ddi_prop_op() with PROP_LEN_AND_VAL_ALLOC.
 */
int ddi_getlongprop(dev_t dev, dev_info_t *dip, int flags, char *name,
		    caddr_t valuep, int *lengthp)
{
	return ddi_prop_op(dev, dip, PROP_LEN_AND_VAL_ALLOC, flags, name,
			   valuep, lengthp);
}
EXPORT_SYMBOL_GPL(ddi_getlongprop);
