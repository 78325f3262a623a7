/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * mregion: one mmap of three discontiguous regions, built by *maplen
 * iteration: ivshmem's register page (uncached), a page of kernel memory
 * (cached) and the start of ivshmem's shared-memory BAR (write-combining).
 */
#ifndef _MREGION_H
#define _MREGION_H

#define MR_PAGE 4096
#define MR_REGS_OFF 0 /* BAR0, uncached */
#define MR_KMEM_OFF MR_PAGE /* kernel memory */
#define MR_SHM_OFF (2 * MR_PAGE) /* BAR2, write-combining */
#define MR_SHM_LEN (16 * MR_PAGE)
#define MR_SIZE (MR_SHM_OFF + MR_SHM_LEN)

#define MR_IOC ('m' << 8)
/* remap every BAR2 handle to MAPPING_INVALID; privileged (EPERM) */
#define MR_REVOKE (MR_IOC | 1)
#define MR_RESTORE (MR_IOC | 2) /* and back to the memory BAR; privileged */

#endif /* _MREGION_H */
