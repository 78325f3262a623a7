/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Base types of the Solaris DDI as the devmap headers need them.
 *
 * This file owns the small set of Solaris scalar types (uint_t, offset_t,
 * caddr_t, ...) and the page-size macros that Solaris driver code uses,
 * defined once for both the Linux kernel and userspace builds, so that the
 * same driver source compiles on either host.
 */
#ifndef _SYS_DEVMAP_TYPES_H
#define _SYS_DEVMAP_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/mm.h>
#include <linux/errno.h>
#include <linux/limits.h>
#ifndef ENOTSUP
#define ENOTSUP EOPNOTSUPP
#endif
typedef long intptr_t;
#else
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <errno.h>
#include <limits.h>
#include <sys/types.h>
#include <time.h>
#endif

typedef unsigned char uchar_t;
typedef unsigned short ushort_t;
typedef unsigned int uint_t;
typedef unsigned long ulong_t;
typedef long long offset_t;
#ifndef __KERNEL__
typedef char *caddr_t;
#endif
typedef int model_t;

/* Page size of the host, and the Solaris conversion macros. */
#ifdef __KERNEL__
#define PAGESIZE PAGE_SIZE
#define PAGESHIFT PAGE_SHIFT
#else
#ifndef PAGESHIFT
#define PAGESHIFT 12
#endif
#define PAGESIZE (1UL << PAGESHIFT)
#endif
#define PAGEOFFSET (PAGESIZE - 1)
#define PAGEMASK (~PAGEOFFSET)
#define ptob(x) ((size_t)(x) << PAGESHIFT)
#define btop(x) ((size_t)(x) >> PAGESHIFT)
#define btopr(x) (((size_t)(x) + PAGEOFFSET) >> PAGESHIFT)

/* Memory protections; the values are those of Solaris and Linux alike. */
#ifndef PROT_NONE
#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#endif
/* Solaris-only: the mapping is a user mapping (always set by the system). */
#define PROT_USER 0x8
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_USER)

#ifndef MAP_SHARED
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#endif
/* the sharing type of mmap flags: MAP_SHARED or MAP_PRIVATE */
#ifndef MAP_TYPE
#define MAP_TYPE 0x0f
#endif
#define MAP_TYPE_MASK MAP_TYPE

#endif /* _SYS_DEVMAP_TYPES_H */
