/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The IOMEM_* cache attributes of Solaris <sys/ddidmareq.h>, as accepted in
 * the flags of devmap_umem_setup(9F).
 */
#ifndef _SYS_DDIDMAREQ_H
#define _SYS_DDIDMAREQ_H

#define IOMEM_DATA_CACHED 0x10000
#define IOMEM_DATA_UC_WR_COMBINE 0x20000
#define IOMEM_DATA_UNCACHED 0x40000
#define IOMEM_DATA_MASK 0xF0000
#define IOMEM_CACHE_ATTR(x) \
	(((x)&IOMEM_DATA_MASK) ? ((x)&IOMEM_DATA_MASK) : IOMEM_DATA_CACHED)

#endif /* _SYS_DDIDMAREQ_H */
