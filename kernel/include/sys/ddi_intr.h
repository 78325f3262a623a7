/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/ddi_intr.h> for drivers on Linux: interrupts of a PCI
 * device (ddi_intr_alloc(9F) and the rest), MSI or the fixed (INTx)
 * line, on pci_alloc_irq_vectors() and request_threaded_irq().  The
 * handler runs in a kernel thread, so it may take a kmutex_t (a sleeping
 * mutex here); the implementation is kernel/ddi_intr.c.
 */
#ifndef _SYS_DDI_INTR_H
#define _SYS_DDI_INTR_H

#include <sys/dditypes.h>

/* An interrupt handle; its contents belong to the host's DDI shim. */
typedef struct ddi_intr_impl *ddi_intr_handle_t;
typedef uint_t(ddi_intr_handler_t)(caddr_t arg1, caddr_t arg2);

/* interrupt types */
#define DDI_INTR_TYPE_FIXED 0x1
#define DDI_INTR_TYPE_MSI 0x2
#define DDI_INTR_TYPE_MSIX 0x4

/* the behavior of ddi_intr_alloc(9F) */
#define DDI_INTR_ALLOC_NORMAL 0
#define DDI_INTR_ALLOC_STRICT 1

/* what a handler returns */
#define DDI_INTR_UNCLAIMED 0
#define DDI_INTR_CLAIMED 1

/* the priority of ddi_intr_get_pri(9F), as mutex_init(9F)'s argument */
#define DDI_INTR_PRI(pri) ((void *)(uintptr_t)(pri))

/* return values besides DDI_SUCCESS and DDI_FAILURE */
#define DDI_EAGAIN (-3)
#define DDI_EINVAL (-4)
#define DDI_ENOTSUP (-5)

int ddi_intr_get_supported_types(dev_info_t *dip, int *typesp);
int ddi_intr_get_nintrs(dev_info_t *dip, int type, int *nintrsp);
int ddi_intr_alloc(dev_info_t *dip, ddi_intr_handle_t *h_array, int type,
		   int inum, int count, int *actualp, int behavior);
int ddi_intr_free(ddi_intr_handle_t h);
int ddi_intr_get_pri(ddi_intr_handle_t h, uint_t *prip);
int ddi_intr_add_handler(ddi_intr_handle_t h, ddi_intr_handler_t inthandler,
			 void *arg1, void *arg2);
int ddi_intr_remove_handler(ddi_intr_handle_t h);
int ddi_intr_enable(ddi_intr_handle_t h);
int ddi_intr_disable(ddi_intr_handle_t h);

#endif /* _SYS_DDI_INTR_H */
