/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The general DDI (not devmap) for drivers on Linux: device numbers,
 * instances, soft state, minor nodes, register access, copyin/copyout,
 * time.  The devmap DDI itself is <sys/sunddi.h>; the implementation of
 * these is kernel/ddi_*.c.
 */
#ifndef _SYS_DDI_H
#define _SYS_DDI_H

#include <linux/kdev_t.h>
#include <linux/jiffies.h>
#include <sys/types.h>
#include <sys/sunddi.h>
#include <sys/file.h>
#include <sys/open.h>
#include <sys/cmn_err.h>
#include <sys/kmem.h>
#include <sys/ksynch.h>

#define getminor(dev) ((minor_t)MINOR(dev))
#define getmajor(dev) ((major_t)MAJOR(dev))
#define makedevice(maj, min) MKDEV((maj), (min))
#define S_IFCHR 0020000
#define DDI_PSEUDO "ddi_pseudo"
#define DDI_NT_DISPLAY "ddi_display"
#define DATAMODEL_MASK DDI_MODEL_MASK
#define DATAMODEL_ILP32 DDI_MODEL_ILP32
#define DATAMODEL_LP64 DDI_MODEL_LP64

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

unsigned long hat_getkpfnum(caddr_t addr);

int ddi_copyin(const void *buf, void *driverbuf, size_t cn, int flags);
int ddi_copyout(const void *driverbuf, void *buf, size_t cn, int flags);
int drv_priv(cred_t *cr);
clock_t drv_usectohz(clock_t microsecs);
clock_t ddi_get_lbolt(void);
void delay(clock_t ticks);

#endif /* _SYS_DDI_H */
