// SPDX-License-Identifier: GPL-2.0-only
/*
 * xx: the seed's one-page device context driver (Writing Device Drivers,
 * Example 11-3), written as a Solaris driver, on QEMU's edu PCI device.
 *
 * devmap(9E) maps the first page of BAR0 (register set 1) with
 * devmap_devmem_setup(9F).  Every mapping has its own device context:
 * the edu registers that can be saved and restored faithfully (liveness,
 * DMA source, destination and count).  On an access by a process that
 * does not own the card, devmap_access(9E) calls devmap_do_ctxmgt(9F) and
 * xxdevmap_contextmgt() unloads the owner, saves its registers with
 * ddi_get32(9F), restores the requester's with ddi_put32(9F), and loads
 * the requester's mapping, with the example's error rules.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include <linux/sched.h>
#include "xx.h"

static const off_t xx_ctx_reg[XX_NCTX] = { XX_REG_LIVENESS, XX_REG_DMA_SRC,
					   XX_REG_DMA_DST, XX_REG_DMA_CNT };

struct xxstate;
struct xxctx {
	struct xxstate *xsp;
	devmap_cookie_t handle;
	uint32_t regs[XX_NCTX]; /* the context as a process last left it */
};

struct xxstate {
	dev_info_t *dip;
	caddr_t regs;
	ddi_acc_handle_t regs_handle;
	kmutex_t ctx_lock;
	struct xxctx *current_ctx;
	struct xx_stats stats;
	int fail_restore;
};

static void *xx_state;

static uint32_t xx_get(struct xxstate *xsp, off_t reg)
{
	return ddi_get32(xsp->regs_handle, (uint32_t *)(xsp->regs + reg));
}

static void xx_put(struct xxstate *xsp, off_t reg, uint32_t val)
{
	ddi_put32(xsp->regs_handle, (uint32_t *)(xsp->regs + reg), val);
}

/* Device-dependent context save: registers to the soft state. */
static int xxctxsave(struct xxctx *ctxp, offset_t off, size_t len)
{
	struct xxstate *xsp;

	if (ctxp == NULL)
		return 0;
	xsp = ctxp->xsp;
	if (xx_get(xsp, XX_REG_IDENT) != XX_IDENT)
		return -1;
	for (int i = 0; i < XX_NCTX; i++)
		ctxp->regs[i] = xx_get(xsp, xx_ctx_reg[i]);
	xsp->stats.saves++;
	return 0;
}

/* Device-dependent context restore: soft state to the registers. */
static int xxctxrestore(struct xxctx *ctxp, offset_t off, size_t len)
{
	struct xxstate *xsp = ctxp->xsp;

	if (xsp->fail_restore > 0) {
		xsp->fail_restore--;
		return -1;
	}
	/* the liveness register reads back the complement of a write */
	xx_put(xsp, XX_REG_LIVENESS, ~ctxp->regs[0]);
	for (int i = 1; i < XX_NCTX; i++)
		xx_put(xsp, xx_ctx_reg[i], ctxp->regs[i]);
	for (int i = 0; i < XX_NCTX; i++)
		if (xx_get(xsp, xx_ctx_reg[i]) != ctxp->regs[i])
			return -1; /* the hardware did not take it */
	xsp->stats.restores++;
	return 0;
}

static int xxdevmap_contextmgt(devmap_cookie_t handle, void *devprivate,
			       offset_t off, size_t len, uint_t type, uint_t rw)
{
	int error;
	struct xxctx *ctxp = devprivate;
	struct xxstate *xsp = ctxp->xsp;

	mutex_enter(&xsp->ctx_lock);
	/* unload mapping for current context */
	if (xsp->current_ctx != NULL) {
		if ((error = devmap_unload(xsp->current_ctx->handle, off,
					   len)) != 0) {
			xsp->current_ctx = NULL;
			mutex_exit(&xsp->ctx_lock);
			return error;
		}
	}
	/* Switch device context - device dependent */
	if (xxctxsave(xsp->current_ctx, off, len) < 0 ||
	    xxctxrestore(ctxp, off, len) < 0) {
		xsp->current_ctx = NULL;
		xsp->stats.owner_pid = 0;
		xsp->stats.failures++;
		mutex_exit(&xsp->ctx_lock);
		return -1;
	}
	xsp->current_ctx = ctxp;
	/* establish mapping for new context and return */
	error = devmap_load(handle, off, len, type, rw);
	if (error) {
		xsp->current_ctx = NULL;
		xsp->stats.owner_pid = 0;
	} else {
		xsp->stats.owner_pid = current->tgid;
		xsp->stats.log[xsp->stats.switches % XX_LOG] =
			(struct xx_switch){ current->tgid, ddi_get_lbolt() };
		xsp->stats.switches++;
	}
	mutex_exit(&xsp->ctx_lock);
	return error;
}

static int xxdevmap_access(devmap_cookie_t dhp, void *pvtp, offset_t off,
			   size_t len, uint_t type, uint_t rw)
{
	return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw,
				xxdevmap_contextmgt);
}

static struct xxctx *xxctx_new(struct xxstate *xsp, devmap_cookie_t dhp)
{
	struct xxctx *ctxp = kmem_zalloc(sizeof(*ctxp), KM_SLEEP);

	if (ctxp) {
		ctxp->xsp = xsp;
		ctxp->handle = dhp;
	}
	return ctxp;
}

static int xxdevmap_map(devmap_cookie_t dhp, dev_t dev, uint_t flags,
			offset_t off, size_t len, void **pvtp)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));
	struct xxctx *ctxp = xsp ? xxctx_new(xsp, dhp) : NULL;

	if (ctxp == NULL)
		return ENOMEM;
	*pvtp = ctxp;
	return 0;
}

/* A fork child starts with a copy of its parent's context as it is now. */
static int xxdevmap_dup(devmap_cookie_t dhp, void *pvtp,
			devmap_cookie_t new_dhp, void **new_pvtp)
{
	struct xxctx *parent = pvtp, *child;
	struct xxstate *xsp = parent->xsp;

	child = xxctx_new(xsp, new_dhp);
	if (child == NULL)
		return ENOMEM;
	mutex_enter(&xsp->ctx_lock);
	if (xsp->current_ctx == parent)
		(void)xxctxsave(parent, 0, PAGESIZE);
	memcpy(child->regs, parent->regs, sizeof(child->regs));
	mutex_exit(&xsp->ctx_lock);
	*new_pvtp = child;
	return 0;
}

/* A one-page mapping only ever goes whole: its context goes with it. */
static void xxdevmap_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off,
			   size_t len, devmap_cookie_t new_dhp1,
			   void **new_pvtp1, devmap_cookie_t new_dhp2,
			   void **new_pvtp2)
{
	struct xxctx *ctxp = pvtp;
	struct xxstate *xsp = ctxp->xsp;

	mutex_enter(&xsp->ctx_lock);
	if (xsp->current_ctx == ctxp) {
		xsp->current_ctx = NULL;
		xsp->stats.owner_pid = 0;
	}
	mutex_exit(&xsp->ctx_lock);
	kmem_free(ctxp, sizeof(*ctxp));
}

static struct devmap_callback_ctl xx_callbackops = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = xxdevmap_map,
	.devmap_access = xxdevmap_access,
	.devmap_dup = xxdevmap_dup,
	.devmap_unmap = xxdevmap_unmap,
};

static ddi_device_acc_attr_t xx_acc_attr = {
	.devacc_attr_version = DDI_DEVICE_ATTR_V0,
	.devacc_attr_endian_flags = DDI_STRUCTURE_LE_ACC,
	.devacc_attr_dataorder = DDI_STRICTORDER_ACC,
};

static int xxdevmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		    size_t *maplen, uint_t model)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));

	if (xsp == NULL || off != 0 || len > PAGESIZE)
		return ENXIO;
	if (devmap_devmem_setup(dhp, xsp->dip, &xx_callbackops, 1, 0, PAGESIZE,
				PROT_READ | PROT_WRITE | PROT_USER,
				DEVMAP_DEFAULTS, &xx_acc_attr) != DDI_SUCCESS)
		return ENXIO;
	*maplen = PAGESIZE;
	return 0;
}

static int xxioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		   int *rvalp)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));
	struct xx_stats stats;
	int owner;

	if (xsp == NULL)
		return ENXIO;
	switch (cmd) {
	case XX_GET_STATS:
		mutex_enter(&xsp->ctx_lock);
		stats = xsp->stats;
		mutex_exit(&xsp->ctx_lock);
		stats.nlog = stats.switches < XX_LOG ? (int)stats.switches :
						       XX_LOG;
		return ddi_copyout(&stats, (void *)arg, sizeof(stats), mode) ?
			       EFAULT :
			       0;
	case XX_RESET:
		mutex_enter(&xsp->ctx_lock);
		owner = xsp->stats.owner_pid; /* the card keeps its owner */
		memset(&xsp->stats, 0, sizeof(xsp->stats));
		xsp->stats.owner_pid = owner;
		xsp->fail_restore = 0;
		mutex_exit(&xsp->ctx_lock);
		return 0;
	case XX_FAIL_RESTORE:
		mutex_enter(&xsp->ctx_lock);
		xsp->fail_restore = (int)arg;
		mutex_exit(&xsp->ctx_lock);
		return 0;
	default:
		return ENOTTY;
	}
}

static struct cb_ops xx_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = xxioctl,
	.cb_devmap = xxdevmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int xxattach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	struct xxstate *xsp;

	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	if (ddi_soft_state_zalloc(xx_state, instance) != DDI_SUCCESS)
		return DDI_FAILURE;
	xsp = ddi_get_soft_state(xx_state, instance);
	xsp->dip = dip;
	mutex_init(&xsp->ctx_lock, NULL, MUTEX_DRIVER, NULL);
	if (ddi_regs_map_setup(dip, 1, &xsp->regs, 0, PAGESIZE, &xx_acc_attr,
			       &xsp->regs_handle) != DDI_SUCCESS ||
	    xx_get(xsp, XX_REG_IDENT) != XX_IDENT) {
		cmn_err(CE_WARN, "xx%d: no edu registers", instance);
		goto fail;
	}
	if (ddi_create_minor_node(dip, "xx", S_IFCHR, instance, DDI_PSEUDO,
				  0) != DDI_SUCCESS)
		goto fail;
	ddi_report_dev(dip);
	return DDI_SUCCESS;
fail:
	if (xsp->regs_handle)
		ddi_regs_map_free(&xsp->regs_handle);
	mutex_destroy(&xsp->ctx_lock);
	ddi_soft_state_free(xx_state, instance);
	return DDI_FAILURE;
}

static int xxdetach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	struct xxstate *xsp = ddi_get_soft_state(xx_state, instance);

	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_regs_map_free(&xsp->regs_handle);
	mutex_destroy(&xsp->ctx_lock);
	ddi_soft_state_free(xx_state, instance);
	return DDI_SUCCESS;
}

static struct dev_ops xx_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = xxattach,
	.devo_detach = xxdetach,
	.devo_reset = nodev,
	.devo_cb_ops = &xx_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "xx: edu context driver",
				  &xx_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("xx", "pci1234,11e8");

int _init(void)
{
	int e;

	if ((e = ddi_soft_state_init(&xx_state, sizeof(struct xxstate), 1)) !=
	    0)
		return e;
	if ((e = mod_install(&modlinkage)) != 0)
		ddi_soft_state_fini(&xx_state);
	return e;
}

int _fini(void)
{
	int e;

	if ((e = mod_remove(&modlinkage)) == 0)
		ddi_soft_state_fini(&xx_state);
	return e;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xx: the devmap Example 11-3 driver on QEMU's edu device");
