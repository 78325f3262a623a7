/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Solaris <sys/ddidmareq.h>: the IOMEM_* cache attributes, as accepted in
 * the flags of devmap_umem_setup(9F), and the DMA attributes, cookies,
 * flags and return values of the ddi_dma_*(9F) functions (declared in
 * the kernel shim's <sys/ddi.h>), with the Solaris values.
 */
#ifndef _SYS_DDIDMAREQ_H
#define _SYS_DDIDMAREQ_H

#include <sys/devmap_types.h>

#define IOMEM_DATA_CACHED 0x10000
#define IOMEM_DATA_UC_WR_COMBINE 0x20000
#define IOMEM_DATA_UNCACHED 0x40000
#define IOMEM_DATA_MASK 0xF0000
#define IOMEM_CACHE_ATTR(x) \
	(((x)&IOMEM_DATA_MASK) ? ((x)&IOMEM_DATA_MASK) : IOMEM_DATA_CACHED)

/* ddi_dma_attr(9S) */
typedef struct ddi_dma_attr {
	uint_t dma_attr_version;
	uint64_t dma_attr_addr_lo; /* lowest bus address the device reaches */
	uint64_t dma_attr_addr_hi; /* highest */
	uint64_t dma_attr_count_max; /* longest cookie, less one */
	uint64_t dma_attr_align;
	uint_t dma_attr_burstsizes;
	uint32_t dma_attr_minxfer;
	uint64_t dma_attr_maxxfer;
	uint64_t dma_attr_seg;
	int dma_attr_sgllen; /* most cookies a binding may have */
	uint32_t dma_attr_granular;
	uint_t dma_attr_flags;
} ddi_dma_attr_t;

#define DMA_ATTR_V0 0
#define DMA_ATTR_VERSION DMA_ATTR_V0

/* ddi_dma_cookie(9S): one bus address range of a binding */
typedef struct ddi_dma_cookie {
	uint64_t dmac_laddress;
	size_t dmac_size;
	uint_t dmac_type;
} ddi_dma_cookie_t;
#define dmac_address dmac_laddress

/* A DMA handle; its contents belong to the host's DDI shim. */
typedef struct ddi_dma_impl *ddi_dma_handle_t;

/* the flags of ddi_dma_addr_bind_handle(9F) and ddi_dma_mem_alloc(9F) */
#define DDI_DMA_WRITE 0x0001 /* memory to device */
#define DDI_DMA_READ 0x0002 /* device to memory */
#define DDI_DMA_RDWR (DDI_DMA_READ | DDI_DMA_WRITE)
#define DDI_DMA_REDZONE 0x0004
#define DDI_DMA_PARTIAL 0x0008
#define DDI_DMA_CONSISTENT 0x0010
#define DDI_DMA_EXCLUSIVE 0x0020
#define DDI_DMA_STREAMING 0x0040
#define DDI_DMA_SBUS_64BIT 0x2000

/* the waitfp argument */
#define DDI_DMA_DONTWAIT ((int (*)(caddr_t))0)
#define DDI_DMA_SLEEP ((int (*)(caddr_t))1)

/* ddi_dma_sync(9F) */
#define DDI_DMA_SYNC_FORDEV 0x0
#define DDI_DMA_SYNC_FORCPU 0x1
#define DDI_DMA_SYNC_FORKERNEL 0x2

/* return values */
#define DDI_DMA_MAPPED 0
#define DDI_DMA_MAPOK 0
#define DDI_DMA_PARTIAL_MAP 1
#define DDI_DMA_DONE 2
#define DDI_DMA_NORESOURCES (-1)
#define DDI_DMA_NOMAPPING (-2)
#define DDI_DMA_TOOBIG (-3)
#define DDI_DMA_TOOSMALL (-4)
#define DDI_DMA_LOCKED (-5)
#define DDI_DMA_BADLIMITS (-6)
#define DDI_DMA_STALE (-7)
#define DDI_DMA_BADATTR (-8)
#define DDI_DMA_INUSE (-9)

#endif /* _SYS_DDIDMAREQ_H */
