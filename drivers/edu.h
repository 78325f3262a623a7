/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * QEMU's edu PCI card (1234:11e8): the registers of its BAR 0 (register
 * set 1) that the drivers here use, and its DMA engine.  The one place
 * they are written down, for xx, dditest and memexp (QEMU's
 * docs/specs/edu.rst describes the card).
 */
#ifndef _EDU_H
#define _EDU_H

#define EDU_REGSIZE 0x100
#define EDU_IDENT 0x00 /* 0x010000ed: edu version 1.0 */
#define EDU_LIVENESS 0x04 /* reads back the complement of a write */
#define EDU_INTR_STATUS 0x24
#define EDU_INTR_ACK 0x64
#define EDU_INTR_DMA 0x100 /* the status bit of a DMA's end */
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_DMA_START 0x1 /* reads back set while the DMA runs */
#define EDU_DMA_TO_RAM 0x2 /* direction: clear is from RAM to the card */
#define EDU_DMA_INTR 0x4 /* raise EDU_INTR_DMA at the end */
#define EDU_DMA_BUF 0x40000 /* the card's buffer, in its DMA space */
#define EDU_DMA_BUFSIZE 4096
#define EDU_DMA_ADDR_HI 0x0FFFFFFFULL /* the engine reaches 28 bits */
/* with dma_mask=0xffffffff, which scripts/vm/run.sh gives the card */
#define EDU_DMA_ADDR_HI32 0xFFFFFFFFULL

#endif /* _EDU_H */
