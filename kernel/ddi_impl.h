/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contents of the DDI shim's access handle, shared by the files that
 * make one: ddi_regs_map_setup(9F) (ddi_util.c) for registers and
 * ddi_dma_mem_alloc(9F) (ddi_dma.c) for DMA memory, both read and
 * written through ddi_get/ddi_put(9F).
 */
#ifndef _DDI_IMPL_H
#define _DDI_IMPL_H

#include <sys/ddi.h>

struct ddi_acc_impl {
	bool swap; /* DDI_STRUCTURE_BE_ACC */
	/* ddi_dma_mem_alloc: the DMA handle whose memory it is, or NULL
	 * for registers or after ddi_dma_free_handle() freed the memory */
	struct ddi_dma_impl *dma;
};

bool ddi_acc_swap(const ddi_device_acc_attr_t *accattrp);

#endif /* _DDI_IMPL_H */
