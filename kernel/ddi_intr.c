// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts for Solaris drivers: ddi_intr_*(9F) on pci_alloc_irq_vectors()
 * and request_threaded_irq().
 *
 * ddi_intr_alloc() allocates the device's vectors, MSI or the fixed INTx
 * line, all at once (Linux gives a device one allocation at a time: a
 * second ddi_intr_alloc() before every handle of the first is freed
 * fails); the handles share them, and freeing the last handle frees the
 * vectors.  ddi_intr_enable() requests the vector with the driver's
 * handler run in the vector's kernel thread (no primary handler,
 * IRQF_ONESHOT: the line stays masked until the handler returns, and a
 * shared INTx line is shared with other such handlers), because a
 * Solaris handler takes the kmutex_t the rest of the driver takes, and a
 * kmutex_t is a sleeping mutex here.  ddi_intr_disable() frees it.  The
 * priority is a constant below LOCK_LEVEL: there is nothing to rank.
 *
 * The device going (hot removal, unbind, unload) takes its interrupts
 * with it (dm_intr_release()): the PCI core frees a managed device's
 * vectors when its driver lets go, and detach(9E) may come later, with
 * the last mapping.  The driver's ddi_intr_disable() and ddi_intr_free()
 * then only free the handles.  The instance's intr_lock orders these calls
 * against each other and against the removal (the handler never takes it).
 */
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <sys/ddi.h>
#include "dm_linux.h"

#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX PCI_IRQ_LEGACY /* its name before Linux 6.8 */
#endif

#define DM_INTR_PRI 5 /* what ddi_intr_get_pri() says */

/* The vectors of one ddi_intr_alloc(), shared by its handles. */
struct dm_intr_vecs {
	struct dev_info *dip;
	struct list_head handles; /* ddi_intr_impl.link */
	bool released; /* by dm_intr_release() */
};

struct ddi_intr_impl {
	struct dm_intr_vecs *vecs;
	struct list_head link;
	const char *name; /* the driver's */
	int type, inum;
	ddi_intr_handler_t *handler;
	caddr_t arg1, arg2;
	bool enabled;
};

/**
 * ddi_intr_get_supported_types() - the interrupt types a device has
 * @dip: the device node
 * @typesp: receives DDI_INTR_TYPE_* bits: FIXED with an INTx pin, MSI,
 *	    MSIX with those capabilities
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE for a device without interrupts (a
 * pseudo device).
 */
int ddi_intr_get_supported_types(dev_info_t *dip, int *typesp)
{
	struct pci_dev *pdev = dip->pdev;
	int types = 0;

	if (!pdev)
		return DDI_FAILURE;
	if (pdev->pin)
		types |= DDI_INTR_TYPE_FIXED;
	if (pdev->msi_cap)
		types |= DDI_INTR_TYPE_MSI;
	if (pdev->msix_cap)
		types |= DDI_INTR_TYPE_MSIX;
	*typesp = types;
	return types ? DDI_SUCCESS : DDI_FAILURE;
}
EXPORT_SYMBOL_GPL(ddi_intr_get_supported_types);

/**
 * ddi_intr_get_nintrs() - how many interrupts of a type a device has
 * @dip: the device node
 * @type: DDI_INTR_TYPE_FIXED, _MSI or _MSIX
 * @nintrsp: receives the number
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE when the device has none.
 */
int ddi_intr_get_nintrs(dev_info_t *dip, int type, int *nintrsp)
{
	struct pci_dev *pdev = dip->pdev;
	int n = 0;

	if (pdev && type == DDI_INTR_TYPE_FIXED)
		n = pdev->pin ? 1 : 0;
	else if (pdev && type == DDI_INTR_TYPE_MSI)
		n = pci_msi_vec_count(pdev);
	else if (pdev && type == DDI_INTR_TYPE_MSIX)
		n = pci_msix_vec_count(pdev);
	if (n <= 0)
		return DDI_FAILURE;
	*nintrsp = n;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_intr_get_nintrs);

/* ddi_intr_alloc() under intr_lock: the handles made, or a DDI_E* code. */
static int dm_intr_vectors(struct dev_info *dip, ddi_intr_handle_t *h_array,
			   int type, int count, unsigned int flags,
			   int behavior)
{
	struct dm_intr_vecs *vecs;
	int n, i;

	if (dip->intr)
		return DDI_EAGAIN;
	vecs = kzalloc(sizeof(*vecs), GFP_KERNEL);
	if (!vecs)
		return DDI_FAILURE;
	n = pci_alloc_irq_vectors(dip->pdev,
				  behavior == DDI_INTR_ALLOC_STRICT ? count : 1,
				  count, flags);
	if (n < 0) {
		kfree(vecs);
		return DDI_EAGAIN;
	}
	vecs->dip = dip;
	INIT_LIST_HEAD(&vecs->handles);
	for (i = 0; i < n; i++) {
		h_array[i] = kzalloc(sizeof(*h_array[i]), GFP_KERNEL);
		if (!h_array[i])
			break;
		*h_array[i] = (struct ddi_intr_impl){ .vecs = vecs,
						      .name = dip->drv->name,
						      .type = type,
						      .inum = i };
		list_add_tail(&h_array[i]->link, &vecs->handles);
	}
	if (i < n) {
		while (i--)
			kfree(h_array[i]);
		pci_free_irq_vectors(dip->pdev);
		kfree(vecs);
		return DDI_FAILURE;
	}
	dip->intr = vecs;
	return n;
}

/**
 * ddi_intr_alloc() - allocate a device's interrupts
 * @dip: the device node
 * @h_array: receives a handle per interrupt allocated
 * @type: DDI_INTR_TYPE_FIXED, _MSI or _MSIX
 * @inum: the first interrupt: 0 (Linux allocates from the first)
 * @count: how many
 * @actualp: receives how many were allocated
 * @behavior: DDI_INTR_ALLOC_NORMAL (at least one) or DDI_INTR_ALLOC_STRICT
 *	      (@count or none)
 *
 * Return: DDI_SUCCESS, DDI_EINVAL (bad arguments), DDI_EAGAIN (not that
 * many vectors, or the device's vectors are allocated already) or
 * DDI_FAILURE (no memory).
 */
int ddi_intr_alloc(dev_info_t *dip, ddi_intr_handle_t *h_array, int type,
		   int inum, int count, int *actualp, int behavior)
{
	unsigned int flags = type == DDI_INTR_TYPE_FIXED ? PCI_IRQ_INTX :
			     type == DDI_INTR_TYPE_MSI	 ? PCI_IRQ_MSI :
			     type == DDI_INTR_TYPE_MSIX	 ? PCI_IRQ_MSIX :
							   0;
	int n;

	if (!dip->pdev || !flags || inum != 0 || count < 1)
		return DDI_EINVAL;
	mutex_lock(&dip->intr_lock);
	n = dm_intr_vectors(dip, h_array, type, count, flags, behavior);
	if (n >= 0)
		*actualp = n;
	mutex_unlock(&dip->intr_lock);
	return n >= 0 ? DDI_SUCCESS : n;
}
EXPORT_SYMBOL_GPL(ddi_intr_alloc);

/* ddi_intr_disable() under intr_lock. */
static int dm_intr_disable(ddi_intr_handle_t h)
{
	if (!h->enabled)
		return DDI_EINVAL;
	free_irq(pci_irq_vector(h->vecs->dip->pdev, h->inum), h);
	h->enabled = false;
	return DDI_SUCCESS;
}

/**
 * ddi_intr_free() - free an interrupt handle
 * @h: the handle; disabled first if it is enabled
 *
 * Freeing the last handle of a ddi_intr_alloc() frees the device's
 * vectors (unless the device went and took them already).
 *
 * Return: DDI_SUCCESS.
 */
int ddi_intr_free(ddi_intr_handle_t h)
{
	struct dm_intr_vecs *vecs = h->vecs;
	struct dev_info *dip = vecs->dip;

	mutex_lock(&dip->intr_lock);
	dm_intr_disable(h);
	list_del(&h->link);
	kfree(h);
	if (list_empty(&vecs->handles)) {
		if (!vecs->released)
			pci_free_irq_vectors(dip->pdev);
		dip->intr = NULL;
		kfree(vecs);
	}
	mutex_unlock(&dip->intr_lock);
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_intr_free);

/**
 * ddi_intr_get_pri() - an interrupt's priority
 * @h: the handle
 * @prip: receives the priority, for mutex_init(9F) with DDI_INTR_PRI()
 *
 * Return: DDI_SUCCESS.  The priority is the same for every interrupt,
 * below LOCK_LEVEL: the handler runs in a thread.
 */
int ddi_intr_get_pri(ddi_intr_handle_t h, uint_t *prip)
{
	*prip = DM_INTR_PRI;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_intr_get_pri);

/**
 * ddi_intr_add_handler() - set an interrupt's handler
 * @h: the handle, disabled
 * @inthandler: the handler: returns DDI_INTR_CLAIMED when its device
 *		interrupted, else DDI_INTR_UNCLAIMED; runs in a kernel thread
 *		and may sleep (take a kmutex_t)
 * @arg1: its first argument
 * @arg2: its second argument
 *
 * Return: DDI_SUCCESS, or DDI_EINVAL when the interrupt is enabled.
 */
int ddi_intr_add_handler(ddi_intr_handle_t h, ddi_intr_handler_t inthandler,
			 void *arg1, void *arg2)
{
	if (h->enabled || !inthandler)
		return DDI_EINVAL;
	h->handler = inthandler;
	h->arg1 = arg1;
	h->arg2 = arg2;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_intr_add_handler);

/**
 * ddi_intr_remove_handler() - take an interrupt's handler away
 * @h: the handle, disabled
 *
 * Return: DDI_SUCCESS, or DDI_EINVAL when the interrupt is enabled.
 */
int ddi_intr_remove_handler(ddi_intr_handle_t h)
{
	if (h->enabled)
		return DDI_EINVAL;
	h->handler = NULL;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_intr_remove_handler);

static irqreturn_t dm_intr_thread(int irq, void *data)
{
	struct ddi_intr_impl *h = data;

	return h->handler(h->arg1, h->arg2) == DDI_INTR_CLAIMED ? IRQ_HANDLED :
								  IRQ_NONE;
}

/**
 * ddi_intr_enable() - start delivering an interrupt to its handler
 * @h: the handle, with a handler
 *
 * Return: DDI_SUCCESS, DDI_EINVAL (no handler, or enabled already) or
 * DDI_FAILURE (request_threaded_irq() failed, or the device went).
 */
int ddi_intr_enable(ddi_intr_handle_t h)
{
	unsigned long flags = IRQF_ONESHOT;
	struct dev_info *dip = h->vecs->dip;
	int rc = DDI_SUCCESS;

	if (h->type == DDI_INTR_TYPE_FIXED)
		flags |= IRQF_SHARED;
	mutex_lock(&dip->intr_lock);
	if (h->enabled || !h->handler)
		rc = DDI_EINVAL;
	else if (h->vecs->released ||
		 request_threaded_irq(pci_irq_vector(dip->pdev, h->inum), NULL,
				      dm_intr_thread, flags, h->name, h))
		rc = DDI_FAILURE;
	else
		h->enabled = true;
	mutex_unlock(&dip->intr_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(ddi_intr_enable);

/**
 * ddi_intr_disable() - stop delivering an interrupt
 * @h: the handle
 *
 * Waits for a handler that is running to return.
 *
 * Return: DDI_SUCCESS, or DDI_EINVAL when it is not enabled.
 */
int ddi_intr_disable(ddi_intr_handle_t h)
{
	struct dev_info *dip = h->vecs->dip;
	int rc;

	mutex_lock(&dip->intr_lock);
	rc = dm_intr_disable(h);
	mutex_unlock(&dip->intr_lock);
	return rc;
}
EXPORT_SYMBOL_GPL(ddi_intr_disable);

/*
 * dm_intr_release() - the device of @dip is going (hot removal, unbind,
 * unload): free its interrupts now, before the PCI core frees the vectors
 * of the managed device, even when detach(9E) waits for the last mapping.
 * Called before the instance's teardown can run.
 */
void dm_intr_release(struct dev_info *dip)
{
	struct dm_intr_vecs *vecs;
	struct ddi_intr_impl *h;

	mutex_lock(&dip->intr_lock);
	vecs = dip->intr;
	if (vecs && !vecs->released) {
		list_for_each_entry(h, &vecs->handles, link)
			dm_intr_disable(h);
		pci_free_irq_vectors(dip->pdev);
		vecs->released = true;
	}
	mutex_unlock(&dip->intr_lock);
}
