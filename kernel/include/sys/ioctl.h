/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/ioctl.h> for drivers on Linux: Linux's ioctl number macros
 * (_IO, _IOR, _IOW, _IOWR) and generic ioctls, so that a driver's ioctl
 * numbers are the ones its Linux programs compute with <sys/ioctl.h>.
 */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <linux/ioctl.h>
#include <asm/ioctls.h>

#endif /* _SYS_IOCTL_H */
