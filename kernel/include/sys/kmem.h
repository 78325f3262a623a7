/* SPDX-License-Identifier: GPL-2.0-only */
/* Solaris kmem_alloc(9F) for drivers on Linux. */
#ifndef _SYS_KMEM_H
#define _SYS_KMEM_H

#include <linux/slab.h>

#define KM_SLEEP 0x0000
#define KM_NOSLEEP 0x0001

void *kmem_alloc(size_t size, int kmflag);
void *kmem_zalloc(size_t size, int kmflag);
void kmem_free(void *buf, size_t size);

#endif /* _SYS_KMEM_H */
