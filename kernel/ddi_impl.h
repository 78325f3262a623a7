/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contents of the DDI shim's access handle, shared by the files that
 * make one: ddi_regs_map_setup(9F) (ddi_util.c) for registers and
 * ddi_dma_mem_alloc(9F) (ddi_dma.c) for DMA memory, both read and
 * written through ddi_get/ddi_put(9F); and the record of pages pinned for
 * ddi_umem_lock(9F) (ddi_umem_pin.c), whose pages ddi_umem_iosetup(9F)
 * (ddi_buf.c) gives a buf(9S).
 */
#ifndef _DDI_IMPL_H
#define _DDI_IMPL_H

#include <linux/list.h>
#include <sys/ddi.h>

struct ddi_acc_impl {
	bool swap; /* DDI_STRUCTURE_BE_ACC */
	/* ddi_dma_mem_alloc: the DMA handle whose memory it is, or NULL
	 * for registers or after ddi_dma_free_handle() freed the memory */
	struct ddi_dma_impl *dma;
};

bool ddi_acc_swap(const ddi_device_acc_attr_t *accattrp);

/* The pin of a DM_UMEM_LOCKED cookie (its member pin). */
struct dm_pin {
	struct page **pages;
	unsigned long npages;
	bool write; /* pinned with FOLL_WRITE: the device may write them */
	struct mm_struct *mm; /* shown in its pinned_vm, held by mmgrab() */
	struct user_struct *user; /* charged (locked_vm), held by get_uid() */
	/* releases deferred to devmap's worker (dmh_umem_rele_later), under
	 * its lock: the cookie, how many, and the pin's place in its list */
	struct ddi_umem_cookie *cookie;
	unsigned int deferred;
	struct list_head rele_link;
};

int dm_umem_pin_init(void);
void dm_umem_pin_fini(void);

#endif /* _DDI_IMPL_H */
