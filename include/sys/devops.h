/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The character-device entry point vector cb_ops(9S) of Solaris
 * <sys/devops.h>; the devmap core reads cb_devmap, cb_mmap, cb_segmap and
 * cb_flag from it to choose the mapping path of mmap(2).
 */
#ifndef _SYS_DEVOPS_H
#define _SYS_DEVOPS_H

#include <sys/ddidevmap.h>
#include <sys/conf.h>

struct buf;
struct uio;
struct pollhead;
struct streamtab;
struct aio_req;
typedef enum {
	PROP_LEN,
	PROP_LEN_AND_VAL_BUF,
	PROP_LEN_AND_VAL_ALLOC,
	PROP_EXISTS
} ddi_prop_op_t;

#define CB_REV 1

struct cb_ops {
	int (*cb_open)(dev_t *devp, int flag, int otyp, cred_t *credp);
	int (*cb_close)(dev_t dev, int flag, int otyp, cred_t *credp);
	int (*cb_strategy)(struct buf *bp);
	int (*cb_print)(dev_t dev, char *str);
	int (*cb_dump)(dev_t dev, caddr_t addr, long blkno, int nblk);
	int (*cb_read)(dev_t dev, struct uio *uiop, cred_t *credp);
	int (*cb_write)(dev_t dev, struct uio *uiop, cred_t *credp);
	int (*cb_ioctl)(dev_t dev, int cmd, intptr_t arg, int mode,
			cred_t *credp, int *rvalp);
	int (*cb_devmap)(dev_t dev, devmap_cookie_t dhp, offset_t off,
			 size_t len, size_t *maplen, uint_t model);
	int (*cb_mmap)(dev_t dev, off_t off, uint_t prot);
	int (*cb_segmap)(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
			 off_t len, uint_t prot, uint_t maxprot, uint_t flags,
			 cred_t *credp);
	int (*cb_chpoll)(dev_t dev, short events, int anyyet, short *reventsp,
			 struct pollhead **phpp);
	int (*cb_prop_op)(dev_t dev, dev_info_t *dip, ddi_prop_op_t prop_op,
			  int mod_flags, char *name, caddr_t valuep,
			  int *length);
	struct streamtab *cb_str;
	int cb_flag;
	int cb_rev;
	int (*cb_aread)(dev_t dev, struct aio_req *aio, cred_t *credp);
	int (*cb_awrite)(dev_t dev, struct aio_req *aio, cred_t *credp);
};

#endif /* _SYS_DEVOPS_H */
