/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * memexp: the interface of the memory-exporting port example on QEMU's
 * edu card, shared by the driver and memexp_user.  /dev/memexp0 maps
 * ME_SIZE bytes of kernel memory at offsets [0, ME_SIZE), MAP_SHARED
 * only; ME_DMA has the card's DMA engine carry me_len bytes at me_src
 * through the card to me_dst of that memory.  The
 * structure has one layout for 32- and 64-bit processes.
 */
#ifndef _MEMEXP_H
#define _MEMEXP_H

#include <sys/types.h>

#define ME_SIZE (16 * 1024) /* the exported memory */
/* most bytes of one ME_DMA: half the card's 4 KiB buffer (QEMU's edu
 * stops the machine for a transfer that reaches the buffer's last byte) */
#define ME_XFER 2048

typedef struct memexp_ioc {
	uint32_t me_src; /* ME_DMA: offsets in the exported memory */
	uint32_t me_dst;
	uint32_t me_len; /* 1 to ME_XFER */
	uint32_t me_handles; /* ME_INFO: mapping handles now */
	uint32_t me_dmas; /* ME_INFO: transfers of the card so far */
	uint32_t me_size; /* ME_INFO: ME_SIZE */
} memexp_ioc_t;

#define ME_IOC ('M' << 8)
#define ME_DMA (ME_IOC | 1) /* EINVAL out of range, EIO: the card hung */
#define ME_INFO (ME_IOC | 2)

#endif /* _MEMEXP_H */
