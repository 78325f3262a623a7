/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris uio(9S) and uiomove(9F) for drivers on Linux.  A uio describes
 * the buffers of a read(9E) or write(9E): an array of iovecs (Linux's
 * struct iovec, whose members have the Solaris names), the device offset
 * and the bytes left.  read(2) and write(2) on a device build one with a
 * single user iovec; a driver may build its own over kernel memory
 * (UIO_SYSSPACE).
 */
#ifndef _SYS_UIO_H
#define _SYS_UIO_H

#include <sys/types.h>
#include <linux/uio.h>

typedef struct iovec iovec_t;

typedef enum uio_rw { UIO_READ, UIO_WRITE } uio_rw_t;
typedef enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE, UIO_USERISPACE } uio_seg_t;

typedef struct uio {
	iovec_t *uio_iov; /* the buffers */
	int uio_iovcnt; /* how many */
	offset_t uio_loffset; /* device offset, advanced by uiomove */
	uio_seg_t uio_segflg; /* whose buffers: user or kernel */
	uint16_t uio_fmode; /* file mode: FREAD, FWRITE, FNDELAY */
	ssize_t uio_resid; /* bytes left to move */
} uio_t;
#define uio_offset uio_loffset

int uiomove(void *address, size_t nbytes, enum uio_rw rwflag, uio_t *uio_p);

#endif /* _SYS_UIO_H */
