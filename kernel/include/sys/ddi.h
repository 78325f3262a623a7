/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The general DDI (not devmap) for drivers on Linux: instances, soft
 * state, minor nodes, register access, copyin/copyout, time, the
 * process, properties, the page-size conversions and DMA (ddi_dma_*(9F);
 * the types are Solaris' <sys/ddidmareq.h>).  It includes the other shim
 * headers a driver's DDI code expects with it (types, sysmacros, param,
 * time, file, open, uio, cmn_err, kmem, ksynch, ddi_intr).  The
 * devmap DDI itself is <sys/sunddi.h>; the implementation of these is
 * kernel/ddi_*.c.
 */
#ifndef _SYS_DDI_H
#define _SYS_DDI_H

#include <sys/types.h>
#include <sys/sysmacros.h>
#include <sys/param.h>
#include <sys/time.h>
#include <sys/sunddi.h>
#include <sys/file.h>
#include <sys/open.h>
#include <sys/uio.h>
#include <sys/cmn_err.h>
#include <sys/kmem.h>
#include <sys/ksynch.h>
#include <sys/ddi_intr.h>

#define S_IFCHR 0020000
#define DDI_PSEUDO "ddi_pseudo"
#define DDI_NT_DISPLAY "ddi_display"

int ddi_get_instance(dev_info_t *dip);
void *ddi_get_driver_private(dev_info_t *dip);
void ddi_set_driver_private(dev_info_t *dip, void *data);
void ddi_report_dev(dev_info_t *dip);
int ddi_create_minor_node(dev_info_t *dip, const char *name, int spec_type,
			  minor_t minor_num, const char *node_type, int flag);
void ddi_remove_minor_node(dev_info_t *dip, const char *name);
int ddi_quiesce_not_needed(dev_info_t *dip);

int ddi_soft_state_init(void **state_p, size_t size, size_t n_items);
int ddi_soft_state_zalloc(void *state, int item);
void *ddi_get_soft_state(void *state, int item);
void ddi_soft_state_free(void *state, int item);
void ddi_soft_state_fini(void **state_p);

typedef struct ddi_acc_impl *ddi_acc_handle_t;
int ddi_regs_map_setup(dev_info_t *dip, uint_t rnumber, caddr_t *addrp,
		       offset_t offset, offset_t len,
		       const ddi_device_acc_attr_t *accattrp,
		       ddi_acc_handle_t *handlep);
void ddi_regs_map_free(ddi_acc_handle_t *handlep);
uint8_t ddi_get8(ddi_acc_handle_t handle, uint8_t *addr);
uint16_t ddi_get16(ddi_acc_handle_t handle, uint16_t *addr);
uint32_t ddi_get32(ddi_acc_handle_t handle, uint32_t *addr);
uint64_t ddi_get64(ddi_acc_handle_t handle, uint64_t *addr);
void ddi_put8(ddi_acc_handle_t handle, uint8_t *addr, uint8_t value);
void ddi_put16(ddi_acc_handle_t handle, uint16_t *addr, uint16_t value);
void ddi_put32(ddi_acc_handle_t handle, uint32_t *addr, uint32_t value);
void ddi_put64(ddi_acc_handle_t handle, uint64_t *addr, uint64_t value);

pfn_t hat_getkpfnum(caddr_t addr);

int ddi_copyin(const void *buf, void *driverbuf, size_t cn, int flags);
int ddi_copyout(const void *driverbuf, void *buf, size_t cn, int flags);
int drv_priv(cred_t *cr);
clock_t drv_usectohz(clock_t microsecs);
clock_t ddi_get_lbolt(void);
void delay(clock_t ticks);
pid_t ddi_get_pid(void);

/* ddi_btop(9F): bytes and pages of the device's (here: the host's) MMU */
static inline unsigned long ddi_btop(dev_info_t *dip, unsigned long bytes)
{
	return btop(bytes);
}

static inline unsigned long ddi_btopr(dev_info_t *dip, unsigned long bytes)
{
	return btopr(bytes);
}

static inline unsigned long ddi_ptob(dev_info_t *dip, unsigned long pages)
{
	return ptob(pages);
}

/* Properties (ddi_prop_op(9F)): flags, then return values. */
#define DDI_DEV_T_NONE ((dev_t)-1)
#define DDI_DEV_T_ANY ((dev_t)-2)

#define DDI_PROP_DONTPASS 0x0001
#define DDI_PROP_CANSLEEP 0x0002
#define DDI_PROP_SYSTEM_DEF 0x0004
#define DDI_PROP_NOTPROM 0x0008
#define DDI_PROP_DONTSLEEP 0x0010

#define DDI_PROP_SUCCESS 0
#define DDI_PROP_NOT_FOUND 1
#define DDI_PROP_UNDEFINED 2
#define DDI_PROP_NO_MEMORY 3
#define DDI_PROP_INVAL_ARG 4
#define DDI_PROP_BUF_TOO_SMALL 5

int ddi_prop_op(dev_t dev, dev_info_t *dip, ddi_prop_op_t prop_op,
		int mod_flags, char *name, caddr_t valuep, int *lengthp);
int ddi_prop_get_int(dev_t match_dev, dev_info_t *dip, uint_t flags, char *name,
		     int defvalue);
int ddi_getprop(dev_t dev, dev_info_t *dip, int flags, char *name,
		int defvalue);
int ddi_getlongprop(dev_t dev, dev_info_t *dip, int flags, char *name,
		    caddr_t valuep, int *lengthp);

/* DMA (ddi_dma_*(9F)); an address space (struct as) is not accepted */
int ddi_dma_alloc_handle(dev_info_t *dip, const ddi_dma_attr_t *attr,
			 int (*waitfp)(caddr_t), caddr_t arg,
			 ddi_dma_handle_t *handlep);
void ddi_dma_free_handle(ddi_dma_handle_t *handlep);
int ddi_dma_mem_alloc(ddi_dma_handle_t handle, size_t length,
		      ddi_device_acc_attr_t *accattrp, uint_t flags,
		      int (*waitfp)(caddr_t), caddr_t arg, caddr_t *kaddrp,
		      size_t *real_length, ddi_acc_handle_t *handlep);
void ddi_dma_mem_free(ddi_acc_handle_t *handlep);
int ddi_dma_addr_bind_handle(ddi_dma_handle_t handle, struct as *as,
			     caddr_t addr, size_t len, uint_t flags,
			     int (*waitfp)(caddr_t), caddr_t arg,
			     ddi_dma_cookie_t *cookiep, uint_t *ccountp);
int ddi_dma_unbind_handle(ddi_dma_handle_t handle);
void ddi_dma_nextcookie(ddi_dma_handle_t handle, ddi_dma_cookie_t *cookiep);
const ddi_dma_cookie_t *ddi_dma_cookie_iter(ddi_dma_handle_t handle,
					    const ddi_dma_cookie_t *prev);
struct buf;
int ddi_dma_buf_bind_handle(ddi_dma_handle_t handle, struct buf *bp,
			    uint_t flags, int (*waitfp)(caddr_t), caddr_t arg,
			    ddi_dma_cookie_t *cookiep, uint_t *ccountp);
int ddi_dma_sync(ddi_dma_handle_t handle, off_t off, size_t length,
		 uint_t type);

#endif /* _SYS_DDI_H */
