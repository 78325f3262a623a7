// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * xx: the seed's device context driver, written as a Solaris driver would
 * be.  Each mapping has its own device context (xxctx); the contextmgt
 * entry point is Example 11-3 of Writing Device Drivers: unload the
 * current owner, save its registers, restore the requester's, load the
 * requester's mapping, with the example's error rules.  The context is one
 * page as in the example, or xx_counters.ctx_pages pages, and a switch
 * unloads and loads all of it.  The mapping's private data is its context;
 * fork gives the child a copy of the parent's context as it is at that
 * moment; devmap_unmap(9E) follows its man page: new private data for the
 * pieces that survive a partial munmap, and the owner pointer cleared.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ksynch.h>
#include "../sim/sim.h"
#include "xx_ctx.h"

struct xxstate;
struct xxctx {
	struct xxstate *xsp;
	devmap_cookie_t handle;
	uint32_t regs[XX_MAXPAGES][XX_NREGS];
};

struct xxstate {
	dev_info_t *dip;
	volatile uint32_t *regs; /* the device's context page */
	kmutex_t ctx_lock;
	struct xxctx *current_ctx;
};

struct xx_counters xx_counters;
static struct xxstate xx_state;

static size_t xx_pages(void)
{
	return xx_counters.ctx_pages ? xx_counters.ctx_pages : 1;
}

/* Register @i of context page @pg of the device. */
static volatile uint32_t *xx_reg(struct xxstate *xsp, size_t pg, int i)
{
	return &xsp->regs[pg * (PAGESIZE / sizeof(uint32_t)) + i];
}

/* Device-dependent context save: registers to the soft state. */
static int xxctxsave(struct xxctx *ctxp, offset_t off, size_t len)
{
	if (!ctxp)
		return 0;
	for (size_t pg = 0; pg < xx_pages(); pg++)
		for (int i = 0; i < XX_NREGS; i++)
			ctxp->regs[pg][i] = *xx_reg(ctxp->xsp, pg, i);
	xx_counters.saves++;
	return 0;
}

/* Device-dependent context restore: soft state to the registers. */
static int xxctxrestore(struct xxctx *ctxp, offset_t off, size_t len)
{
	if (xx_counters.fail_restore > 0) {
		xx_counters.fail_restore--;
		return -1;
	}
	for (size_t pg = 0; pg < xx_pages(); pg++)
		for (int i = 0; i < XX_NREGS; i++)
			*xx_reg(ctxp->xsp, pg, i) = ctxp->regs[pg][i];
	xx_counters.restores++;
	return 0;
}

static int xxdevmap_contextmgt(devmap_cookie_t handle, void *devprivate,
			       offset_t off, size_t len, uint_t type, uint_t rw)
{
	int error;
	struct xxctx *ctxp = devprivate;
	struct xxstate *xsp = ctxp->xsp;

	mutex_enter(&xsp->ctx_lock);
	/* unload mapping for current context (all of it: off 0, len 0) */
	if (xsp->current_ctx != NULL) {
		if ((error = devmap_unload(xsp->current_ctx->handle, 0, 0)) !=
		    0) {
			xsp->current_ctx = NULL;
			mutex_exit(&xsp->ctx_lock);
			return error;
		}
	}
	/* Switch device context - device dependent */
	if (xxctxsave(xsp->current_ctx, off, len) < 0) {
		xsp->current_ctx = NULL;
		mutex_exit(&xsp->ctx_lock);
		return -1;
	}
	if (xxctxrestore(ctxp, off, len) < 0) {
		xsp->current_ctx = NULL;
		mutex_exit(&xsp->ctx_lock);
		return -1;
	}
	xsp->current_ctx = ctxp;
	xx_counters.switches++;
	/* establish mapping for new context (all of it) and return */
	error = devmap_load(handle, 0, 0, type, rw);
	if (error)
		xsp->current_ctx = NULL;
	mutex_exit(&xsp->ctx_lock);
	return error;
}

static int xxdevmap_access(devmap_cookie_t dhp, void *pvtp, offset_t off,
			   size_t len, uint_t type, uint_t rw)
{
	return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw,
				xxdevmap_contextmgt);
}

static struct xxctx *xxctx_new(devmap_cookie_t dhp)
{
	struct xxctx *ctxp = calloc(1, sizeof(*ctxp));

	ctxp->xsp = &xx_state;
	ctxp->handle = dhp;
	return ctxp;
}

static int xxdevmap_map(devmap_cookie_t dhp, dev_t dev, uint_t flags,
			offset_t off, size_t len, void **pvtp)
{
	*pvtp = xxctx_new(dhp);
	if (xx_counters.timeout)
		devmap_set_ctx_timeout(dhp, xx_counters.timeout);
	return 0;
}

static int xxdevmap_dup(devmap_cookie_t dhp, void *pvtp,
			devmap_cookie_t new_dhp, void **new_pvtp)
{
	struct xxctx *parent = pvtp, *child = xxctx_new(new_dhp);
	struct xxstate *xsp = parent->xsp;

	mutex_enter(&xsp->ctx_lock);
	if (xsp->current_ctx == parent)
		xxctxsave(parent, 0, PAGESIZE);
	memcpy(child->regs, parent->regs, sizeof(child->regs));
	mutex_exit(&xsp->ctx_lock);
	*new_pvtp = child;
	return 0;
}

/* New private data for a piece that survives an unmap of @old. */
static struct xxctx *xxctx_piece(struct xxctx *old, devmap_cookie_t dhp)
{
	struct xxctx *ctxp = xxctx_new(dhp);

	memcpy(ctxp->regs, old->regs, sizeof(ctxp->regs));
	return ctxp;
}

static void xxdevmap_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off,
			   size_t len, devmap_cookie_t new_dhp1,
			   void **new_pvtp1, devmap_cookie_t new_dhp2,
			   void **new_pvtp2)
{
	struct xxctx *ctxp = pvtp;
	struct xxstate *xsp = ctxp->xsp;

	mutex_enter(&xsp->ctx_lock);
	if (xsp->current_ctx == ctxp) {
		xxctxsave(ctxp, off, len);
		xsp->current_ctx = NULL;
	}
	if (new_dhp1)
		*new_pvtp1 = xxctx_piece(ctxp, new_dhp1);
	if (new_dhp2)
		*new_pvtp2 = xxctx_piece(ctxp, new_dhp2);
	mutex_exit(&xsp->ctx_lock);
	free(ctxp);
}

static struct devmap_callback_ctl xx_callbackops = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = xxdevmap_map,
	.devmap_access = xxdevmap_access,
	.devmap_dup = xxdevmap_dup,
	.devmap_unmap = xxdevmap_unmap,
};

static int xxdevmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		    size_t *maplen, uint_t model)
{
	ddi_device_acc_attr_t attr = { DDI_DEVICE_ATTR_V0, DDI_NEVERSWAP_ACC,
				       DDI_STRICTORDER_ACC, 0 };

	size_t ctxlen = xx_pages() * PAGESIZE;

	if (off != 0 || len > ctxlen)
		return ENXIO;
	if (devmap_devmem_setup(dhp, xx_state.dip, &xx_callbackops, 0, 0,
				ctxlen, PROT_ALL, DEVMAP_DEFAULTS, &attr))
		return ENXIO;
	*maplen = ctxlen;
	return 0;
}

static struct cb_ops xx_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_devmap = xxdevmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

int xx_attach(dev_info_t *dip)
{
	memset(&xx_counters, 0, sizeof(xx_counters));
	xx_state.dip = dip;
	xx_state.regs = dip->regs[0].base;
	xx_state.current_ctx = NULL;
	mutex_init(&xx_state.ctx_lock, NULL, MUTEX_DRIVER, NULL);
	sim_register_cb(XX_MAJOR, &xx_cb_ops);
	return DDI_SUCCESS;
}

void xx_detach(void)
{
	mutex_destroy(&xx_state.ctx_lock);
}
