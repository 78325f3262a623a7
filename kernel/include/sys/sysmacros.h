/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/sysmacros.h> for drivers on Linux: device numbers
 * (getminor(9F), getmajor(9F), makedevice(9F)) over Linux's MAJOR, MINOR
 * and MKDEV, and the power-of-two alignment macros (P2ALIGN(9F)).
 */
#ifndef _SYS_SYSMACROS_H
#define _SYS_SYSMACROS_H

#include <sys/types.h>
#include <linux/kdev_t.h>

#define getminor(dev) ((minor_t)MINOR(dev))
#define getmajor(dev) ((major_t)MAJOR(dev))
#define makedevice(maj, min) MKDEV((maj), (min))

/* align must be a power of two; x and align of the same type */
#define P2ALIGN(x, align) ((x) & -(align))
#define P2PHASE(x, align) ((x) & ((align)-1))
#define P2ROUNDUP(x, align) (-(-(x) & -(align)))

#endif /* _SYS_SYSMACROS_H */
