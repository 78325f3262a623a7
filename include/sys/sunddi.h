/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The devmap part of Solaris <sys/sunddi.h>: return values, data models and
 * the prototypes of every devmap(9F), ddi_umem(9F) and legacy ddi_mapdev(9F)
 * function.  Each function is documented where it is defined and in its man
 * page under man/man9f.
 */
#ifndef _SYS_SUNDDI_H
#define _SYS_SUNDDI_H

#include <sys/ddidevmap.h>
#include <sys/ddidmareq.h>
#include <sys/devops.h>
#include <vm/faultcode.h>

#define DDI_SUCCESS 0
#define DDI_FAILURE (-1)

/* data models (the model argument of devmap(9E)) */
#define DDI_MODEL_MASK 0x0FF00000
#define DDI_MODEL_ILP32 0x00100000
#define DDI_MODEL_LP64 0x00200000
#define DDI_MODEL_NATIVE DDI_MODEL_LP64
#define DDI_MODEL_NONE 0

uint_t ddi_model_convert_from(uint_t model);

/* devmap(9F) */
int devmap_setup(dev_t dev, offset_t off, ddi_as_handle_t as, caddr_t *addrp,
		 size_t len, uint_t prot, uint_t maxprot, uint_t flags,
		 cred_t *cred);
int ddi_devmap_segmap(dev_t dev, off_t off, ddi_as_handle_t as, caddr_t *addrp,
		      off_t len, uint_t prot, uint_t maxprot, uint_t flags,
		      cred_t *cred);
int devmap_devmem_setup(devmap_cookie_t dhp, dev_info_t *dip,
			struct devmap_callback_ctl *callbackops, uint_t rnumber,
			offset_t roff, size_t len, uint_t maxprot, uint_t flags,
			ddi_device_acc_attr_t *accattrp);
int devmap_umem_setup(devmap_cookie_t dhp, dev_info_t *dip,
		      struct devmap_callback_ctl *callbackops,
		      ddi_umem_cookie_t cookie, offset_t koff, size_t len,
		      uint_t maxprot, uint_t flags,
		      ddi_device_acc_attr_t *accattrp);
int devmap_devmem_remap(devmap_cookie_t dhp, dev_info_t *dip, uint_t rnumber,
			offset_t roff, size_t len, uint_t maxprot, uint_t flags,
			ddi_device_acc_attr_t *accattrp);
int devmap_umem_remap(devmap_cookie_t dhp, dev_info_t *dip,
		      ddi_umem_cookie_t cookie, offset_t off, size_t len,
		      uint_t maxprot, uint_t flags,
		      ddi_device_acc_attr_t *accattrp);
int devmap_load(devmap_cookie_t dhp, offset_t off, size_t len, uint_t type,
		uint_t rw);
int devmap_unload(devmap_cookie_t dhp, offset_t off, size_t len);
int devmap_default_access(devmap_cookie_t dhp, void *pvtp, offset_t off,
			  size_t len, uint_t type, uint_t rw);
int devmap_do_ctxmgt(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     uint_t type, uint_t rw,
		     int (*ctxmgt)(devmap_cookie_t, void *, offset_t, size_t,
				   uint_t, uint_t));
void devmap_set_ctx_timeout(devmap_cookie_t dhp, clock_t ticks);

/* ddi_umem_alloc(9F) */
void *ddi_umem_alloc(size_t size, int flag, ddi_umem_cookie_t *cookiep);
void ddi_umem_free(ddi_umem_cookie_t cookie);

/* ddi_umem_lock(9F) */
int ddi_umem_lock(caddr_t addr, size_t len, int flags,
		  ddi_umem_cookie_t *cookiep);
void ddi_umem_unlock(ddi_umem_cookie_t cookie);

/* legacy ddi_mapdev(9F) */
int ddi_mapdev(dev_t dev, off_t offset, ddi_as_handle_t asp, caddr_t *addrp,
	       off_t len, uint_t prot, uint_t maxprot, uint_t flags,
	       cred_t *cred, struct ddi_mapdev_ctl *m_ops,
	       ddi_mapdev_handle_t *handlep, void *private_data);
int ddi_mapdev_intercept(ddi_mapdev_handle_t handle, off_t offset, off_t len);
int ddi_mapdev_nointercept(ddi_mapdev_handle_t handle, off_t offset, off_t len);
void ddi_mapdev_set_keep_ctx(ddi_mapdev_handle_t handle, clock_t ticks);

#endif /* _SYS_SUNDDI_H */
