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

/* dev_ops(9S): the driver's autoconfiguration entry points. */
typedef enum {
	DDI_ATTACH = 0,
	DDI_RESUME = 1,
	DDI_PM_RESUME = 2
} ddi_attach_cmd_t;
typedef enum {
	DDI_DETACH = 0,
	DDI_SUSPEND = 1,
	DDI_PM_SUSPEND = 2,
	DDI_HOTPLUG_DETACH = 3
} ddi_detach_cmd_t;
typedef enum {
	DDI_INFO_DEVT2DEVINFO = 0,
	DDI_INFO_DEVT2INSTANCE = 1
} ddi_info_cmd_t;
typedef enum { DDI_RESET_FORCE = 0 } ddi_reset_cmd_t;
struct bus_ops;

#define DEVO_REV 4

struct dev_ops {
	int devo_rev;
	int devo_refcnt;
	int (*devo_getinfo)(dev_info_t *dip, ddi_info_cmd_t infocmd, void *arg,
			    void **result);
	int (*devo_identify)(dev_info_t *dip);
	int (*devo_probe)(dev_info_t *dip);
	int (*devo_attach)(dev_info_t *dip, ddi_attach_cmd_t cmd);
	int (*devo_detach)(dev_info_t *dip, ddi_detach_cmd_t cmd);
	int (*devo_reset)(dev_info_t *dip, ddi_reset_cmd_t cmd);
	struct cb_ops *devo_cb_ops;
	struct bus_ops *devo_bus_ops;
	int (*devo_power)(dev_info_t *dip, int component, int level);
	int (*devo_quiesce)(dev_info_t *dip);
};

#endif /* _SYS_DEVOPS_H */
