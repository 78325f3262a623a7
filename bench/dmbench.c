// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmbench: the benchmark driver, Solaris-style, over kernel memory.  The
 * context region is switched as in Example 11-3 (unload the owner's whole
 * context, save it, restore the requester's, load the requester's whole
 * context), with the context hold of DMB_SET_HOLD.  The plain page has no
 * access callback: the baseline for steady-state access, the page of the
 * explicit alternatives (an ioctl doing the same save and restore, alone
 * or with the unload of the previous owner's plain page, which then
 * refaults) and of the floor (an ioctl that unloads it, then a plain
 * fault).  A process's slot lives as long as its plain mappings.
 *
 * DMB_SET_COPY DMB_OWN_MEM makes the other kind of context driver: each
 * context has its own memory (devmap_umem_remap in devmap_map(9E) puts
 * the mapping on it), as a device that runs the context it is pointed at
 * in host memory; a switch unloads the owner, points the device at the
 * requester's memory and loads it, copying nothing.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include <linux/sched.h>
#include "dmbench.h"

#define DMB_PROCS 512

struct dmb_ctx {
	devmap_cookie_t dhp;
	size_t len;
	uint8_t *save; /* the saved context of a copying driver */
	ddi_umem_cookie_t own; /* the context's own memory (DMB_OWN_MEM) */
};

/* A process's plain mappings and its explicit-switch context. */
struct dmb_proc {
	int pid;
	int nmaps; /* plain mappings; the slot is free at 0 */
	devmap_cookie_t plain; /* the first of them */
	uint8_t save[DMB_PAGE];
};

static struct dmb {
	dev_info_t *dip;
	kmutex_t lock;
	ddi_umem_cookie_t cookie;
	uint8_t *mem;
	size_t ctx_pages;
	clock_t hold;
	long copy; /* DMB_SET_COPY */
	struct dmb_ctx *owner;
	struct dmb_proc procs[DMB_PROCS];
	struct dmb_proc *explicit_owner;
} * dmb;

static int dmb_contextmgt(devmap_cookie_t dhp, void *pvtp, offset_t off,
			  size_t len, uint_t type, uint_t rw)
{
	struct dmb_ctx *ctx = pvtp;
	int err = 0;

	mutex_enter(&dmb->lock);
	if (dmb->owner != ctx) {
		if (dmb->owner) {
			err = devmap_unload(dmb->owner->dhp, 0,
					    dmb->owner->len);
			if (err)
				goto out;
			if (dmb->owner->save)
				memcpy(dmb->owner->save, dmb->mem,
				       dmb->owner->len);
		}
		/* with DMB_OWN_MEM, a real device's context base register
		 * would be pointed at ctx's memory here */
		if (ctx->save)
			memcpy(dmb->mem, ctx->save, ctx->len);
		dmb->owner = ctx;
	}
	/* the whole context (it is mapped at offset 0), not just @off */
	err = devmap_load(dhp, 0, 0, type, rw);
out:
	if (err)
		dmb->owner = NULL;
	mutex_exit(&dmb->lock);
	return err;
}

static int dmb_access(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		      uint_t type, uint_t rw)
{
	return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw, dmb_contextmgt);
}

/* The caller's slot, taken for its first plain mapping if @create. */
static struct dmb_proc *dmb_proc(bool create)
{
	struct dmb_proc *free = NULL;

	for (int i = 0; i < DMB_PROCS; i++) {
		if (dmb->procs[i].nmaps && dmb->procs[i].pid == current->tgid)
			return &dmb->procs[i];
		if (!free && !dmb->procs[i].nmaps)
			free = &dmb->procs[i];
	}
	if (!create || !free)
		return NULL;
	memset(free, 0, sizeof(*free));
	free->pid = current->tgid;
	return free;
}

/*
 * A new context's memory: a save area for a copying driver (none when
 * the copies are skipped), or its own memory, which the mapping is moved
 * onto.  The mode is the one DMB_SET_COPY gave before the mmap.
 */
static int dmb_ctx_mem(struct dmb_ctx *ctx, devmap_cookie_t dhp, size_t len)
{
	uint_t prot = PROT_READ | PROT_WRITE | PROT_USER;

	switch (READ_ONCE(dmb->copy)) {
	case DMB_COPY:
		ctx->save = kmem_zalloc(len, KM_SLEEP);
		return ctx->save ? 0 : ENOMEM;
	case DMB_OWN_MEM:
		if (!ddi_umem_alloc(len, DDI_UMEM_SLEEP, &ctx->own))
			return ENOMEM;
		if (devmap_umem_remap(dhp, dmb->dip, ctx->own, 0, len, prot, 0,
				      NULL) == DDI_SUCCESS)
			return 0;
		ddi_umem_free(ctx->own);
		return ENOMEM;
	default:
		return 0;
	}
}

static void dmb_ctx_free(struct dmb_ctx *ctx)
{
	if (ctx->own)
		ddi_umem_free(ctx->own);
	if (ctx->save)
		kmem_free(ctx->save, ctx->len);
	kmem_free(ctx, sizeof(*ctx));
}

static int dmb_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		   size_t len, void **pvtp)
{
	struct dmb_ctx *ctx;
	struct dmb_proc *p;

	if (off == DMB_PLAIN_OFF) {
		mutex_enter(&dmb->lock);
		p = dmb_proc(true);
		if (p && !p->nmaps++)
			p->plain = dhp;
		mutex_exit(&dmb->lock);
		*pvtp = p;
		return p ? 0 : ENOMEM;
	}
	ctx = kmem_zalloc(sizeof(*ctx), KM_SLEEP);
	if (!ctx || dmb_ctx_mem(ctx, dhp, len)) {
		kmem_free(ctx, sizeof(*ctx));
		return ENOMEM;
	}
	ctx->dhp = dhp;
	ctx->len = len;
	mutex_enter(&dmb->lock);
	if (dmb->hold > 0)
		devmap_set_ctx_timeout(dhp, dmb->hold);
	mutex_exit(&dmb->lock);
	*pvtp = ctx;
	return 0;
}

static int dmb_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		   void **new_pvtp)
{
	return EINVAL; /* the benchmark never forks a mapping */
}

static void dmb_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		      devmap_cookie_t new_dhp1, void **new_pvtp1,
		      devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct dmb_ctx *ctx = pvtp;
	struct dmb_proc *p = pvtp;

	mutex_enter(&dmb->lock);
	if (off == DMB_PLAIN_OFF) {
		if (p->plain == dhp)
			p->plain = NULL;
		if (!--p->nmaps && dmb->explicit_owner == p)
			dmb->explicit_owner = NULL;
		mutex_exit(&dmb->lock);
		return;
	}
	if (dmb->owner == ctx)
		dmb->owner = NULL;
	mutex_exit(&dmb->lock);
	if (new_dhp1 || new_dhp2)
		return; /* a piece survives with the same context */
	dmb_ctx_free(ctx);
}

static struct devmap_callback_ctl dmb_ctx_cb = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = dmb_map,
	.devmap_access = dmb_access,
	.devmap_dup = dmb_dup,
	.devmap_unmap = dmb_unmap,
};

static struct devmap_callback_ctl dmb_plain_cb = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = dmb_map,
	.devmap_dup = dmb_dup,
	.devmap_unmap = dmb_unmap,
};

static int dmb_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		      size_t *maplen, uint_t model)
{
	uint_t prot = PROT_READ | PROT_WRITE | PROT_USER;
	size_t ctx_len = dmb->ctx_pages * DMB_PAGE;
	int err;

	if (off == 0 && len == ctx_len)
		err = devmap_umem_setup(dhp, dmb->dip, &dmb_ctx_cb, dmb->cookie,
					0, ctx_len, prot, DEVMAP_ALLOW_REMAP,
					NULL);
	else if (off == DMB_PLAIN_OFF && len == DMB_PAGE)
		err = devmap_umem_setup(dhp, dmb->dip, &dmb_plain_cb,
					dmb->cookie, DMB_PLAIN_OFF, DMB_PAGE,
					prot, 0, NULL);
	else
		return ENXIO;
	*maplen = len;
	return err ? ENXIO : 0;
}

/*
 * What a driver without devmap would do: save the previous owner's
 * context from the plain page and restore the caller's; with @revoke,
 * also unload the previous owner's plain page, so that only the owner
 * has the device page mapped (the guarantee devmap gives).
 */
static int dmb_explicit_switch(bool revoke)
{
	struct dmb_proc *me = dmb_proc(false), *old = dmb->explicit_owner;

	if (!me)
		return ENXIO;
	if (old == me)
		return 0;
	if (old) {
		if (revoke && old->plain &&
		    devmap_unload(old->plain, DMB_PLAIN_OFF, DMB_PAGE))
			return EINVAL;
		memcpy(old->save, dmb->mem + DMB_PLAIN_OFF, DMB_PAGE);
	}
	memcpy(dmb->mem + DMB_PLAIN_OFF, me->save, DMB_PAGE);
	dmb->explicit_owner = me;
	return 0;
}

static int dmb_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		     int *rvalp)
{
	struct dmb_proc *me;
	int err = 0;

	mutex_enter(&dmb->lock);
	switch (cmd) {
	case DMB_SET_CTX:
		if (arg < 1 || arg > DMB_MAXCTX)
			err = EINVAL;
		else
			dmb->ctx_pages = (size_t)arg;
		break;
	case DMB_SET_HOLD:
		dmb->hold = (clock_t)arg;
		break;
	case DMB_SET_COPY:
		if (arg < DMB_NO_COPY || arg > DMB_OWN_MEM)
			err = EINVAL;
		else
			WRITE_ONCE(dmb->copy, arg);
		break;
	case DMB_SWITCH:
	case DMB_SWITCH_REVOKE:
		err = dmb_explicit_switch(cmd == DMB_SWITCH_REVOKE);
		break;
	case DMB_ZAP:
		me = dmb_proc(false);
		if (me && me->plain)
			err = devmap_unload(me->plain, DMB_PLAIN_OFF,
					    DMB_PAGE) ?
				      EINVAL :
				      0;
		else
			err = ENXIO;
		break;
	case DMB_SLOTS:
		*rvalp = 0;
		for (int i = 0; i < DMB_PROCS; i++)
			*rvalp += dmb->procs[i].nmaps > 0;
		break;
	default:
		err = ENOTTY;
	}
	mutex_exit(&dmb->lock);
	return err;
}

static struct cb_ops dmb_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = dmb_ioctl,
	.cb_devmap = dmb_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int dmb_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	dmb = kmem_zalloc(sizeof(*dmb), KM_SLEEP);
	if (!dmb)
		return DDI_FAILURE;
	dmb->dip = dip;
	dmb->ctx_pages = 1;
	dmb->copy = DMB_COPY;
	mutex_init(&dmb->lock, NULL, MUTEX_DRIVER, NULL);
	dmb->mem = ddi_umem_alloc(DMB_PLAIN_OFF + DMB_PAGE, DDI_UMEM_SLEEP,
				  &dmb->cookie);
	if (!dmb->mem || ddi_create_minor_node(dip, "dmbench", S_IFCHR, 0,
					       DDI_PSEUDO, 0) != DDI_SUCCESS) {
		ddi_umem_free(dmb->cookie);
		kmem_free(dmb, sizeof(*dmb));
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static int dmb_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	ddi_remove_minor_node(dip, NULL);
	ddi_umem_free(dmb->cookie);
	mutex_destroy(&dmb->lock);
	kmem_free(dmb, sizeof(*dmb));
	return DDI_SUCCESS;
}

static struct dev_ops dmb_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = dmb_attach,
	.devo_detach = dmb_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &dmb_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "dmbench", &dmb_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("dmbench");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devmap benchmark driver");
