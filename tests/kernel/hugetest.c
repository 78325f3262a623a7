// SPDX-License-Identifier: GPL-2.0-only
/*
 * hugetest: a Solaris-style pseudo driver for the in-guest tests of huge
 * translations.  Its "device" is HT_PAGES pages (4 MiB) of
 * ddi_umem_alloc(9F) memory; each mapping of the whole device is one
 * context: an access event unloads the owner's mapping, saves the device
 * into the owner's save area, restores the requester's and loads the
 * requester's whole mapping (devmap_load of 4 MiB), which devmap.ko
 * installs with huge entries where the kernel has them.  HT_UNLOAD lets
 * the owner unload part of its mapping and HT_LOAD_RANGE narrows what an
 * access loads, for a later load that overlaps a window still mapped
 * huge.  A survivor of a partial unmap has no context
 * (its accesses fail); a fork child gets a context of zeros.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include <linux/sched.h>
#include "hugetest.h"
#include "kpresent.h"

struct ht_ctx {
	devmap_cookie_t dhp;
	uint8_t *save;
};

static struct ht_state {
	dev_info_t *dip;
	kmutex_t lock;
	ddi_umem_cookie_t cookie;
	uint8_t *dev;
	struct ht_ctx *owner;
	int switches;
	size_t load_off, load_len; /* what an access event loads */
} * ht;

static int ht_contextmgt(devmap_cookie_t dhp, void *pvtp, offset_t off,
			 size_t len, uint_t type, uint_t rw)
{
	struct ht_ctx *ctx = pvtp;
	int err = 0;

	mutex_enter(&ht->lock);
	if (ht->owner != ctx) {
		if (ht->owner) {
			err = devmap_unload(ht->owner->dhp, 0, HT_LEN);
			if (err)
				goto out;
			memcpy(ht->owner->save, ht->dev, HT_LEN);
		}
		memcpy(ht->dev, ctx->save, HT_LEN);
		ht->owner = ctx;
		ht->switches++;
	}
	err = devmap_load(dhp, ht->load_off, ht->load_len, type, rw);
out:
	mutex_exit(&ht->lock);
	return err;
}

static int ht_access(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     uint_t type, uint_t rw)
{
	if (!pvtp)
		return ENOMEM; /* a survivor of a partial unmap */
	return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw, ht_contextmgt);
}

/* KM_SLEEP may still fail: the shim's kmem_zalloc is kvzalloc(GFP_KERNEL) */
static struct ht_ctx *ht_ctx_new(devmap_cookie_t dhp)
{
	struct ht_ctx *ctx = kmem_zalloc(sizeof(*ctx), KM_SLEEP);

	if (ctx)
		ctx->save = kmem_zalloc(HT_LEN, KM_SLEEP);
	if (ctx && !ctx->save) {
		kmem_free(ctx, sizeof(*ctx));
		return NULL;
	}
	if (ctx)
		ctx->dhp = dhp;
	return ctx;
}

static void ht_ctx_free(struct ht_ctx *ctx)
{
	kmem_free(ctx->save, HT_LEN);
	kmem_free(ctx, sizeof(*ctx));
}

static int ht_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		  size_t len, void **pvtp)
{
	*pvtp = ht_ctx_new(dhp);
	return *pvtp ? 0 : ENOMEM;
}

static int ht_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		  void **new_pvtp)
{
	*new_pvtp = pvtp ? ht_ctx_new(new_dhp) : NULL;
	return pvtp && !*new_pvtp ? ENOMEM : 0;
}

static void ht_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     devmap_cookie_t new_dhp1, void **new_pvtp1,
		     devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct ht_ctx *ctx = pvtp;

	if (new_dhp1)
		*new_pvtp1 = NULL;
	if (new_dhp2)
		*new_pvtp2 = NULL;
	if (!ctx)
		return;
	mutex_enter(&ht->lock);
	if (ht->owner == ctx)
		ht->owner = NULL;
	mutex_exit(&ht->lock);
	ht_ctx_free(ctx);
}

static struct devmap_callback_ctl ht_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = ht_map,
	.devmap_access = ht_access,
	.devmap_dup = ht_dup,
	.devmap_unmap = ht_unmap,
};

static int ht_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	if (off != 0 || len != HT_LEN)
		return ENXIO;
	if (devmap_umem_setup(dhp, ht->dip, &ht_callbacks, ht->cookie, 0,
			      HT_LEN, PROT_READ | PROT_WRITE | PROT_USER, 0,
			      NULL))
		return ENXIO;
	*maplen = len;
	return 0;
}

static int ht_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	struct dmt_present pr;
	int err = 0;

	switch (cmd) {
	case HT_PRESENT:
		if (ddi_copyin((void *)arg, &pr, sizeof(pr), mode))
			return EFAULT;
		pr.present = kp_present(pr.pid, pr.va);
		return ddi_copyout(&pr, (void *)arg, sizeof(pr), mode) ?
			       EFAULT :
			       0;
	case HT_UNLOAD:
		if (arg <= 0 || arg > HT_PAGES)
			return EINVAL;
		mutex_enter(&ht->lock);
		err = ht->owner ? devmap_unload(ht->owner->dhp, 0,
						(size_t)arg * HT_PAGE) :
				  ENXIO;
		mutex_exit(&ht->lock);
		return err;
	case HT_LOAD_RANGE:
		if (arg < 0 || (arg >> 16) + (arg & 0xffff) > HT_PAGES ||
		    !(arg & 0xffff))
			return EINVAL;
		mutex_enter(&ht->lock);
		ht->load_off = (size_t)(arg >> 16) * HT_PAGE;
		ht->load_len = (size_t)(arg & 0xffff) * HT_PAGE;
		mutex_exit(&ht->lock);
		return 0;
	case HT_SWITCHES:
		mutex_enter(&ht->lock);
		*rvalp = ht->switches;
		mutex_exit(&ht->lock);
		return 0;
	default:
		return ENOTTY;
	}
}

static struct cb_ops ht_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = ht_ioctl,
	.cb_devmap = ht_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int ht_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	ht = kmem_zalloc(sizeof(*ht), KM_SLEEP);
	if (!ht)
		return DDI_FAILURE;
	ht->dip = dip;
	ht->load_len = HT_LEN;
	mutex_init(&ht->lock, NULL, MUTEX_DRIVER, NULL);
	ht->dev = ddi_umem_alloc(HT_LEN, DDI_UMEM_SLEEP, &ht->cookie);
	if (!ht->dev ||
	    ddi_create_minor_node(dip, "hugetest", S_IFCHR, 0, DDI_PSEUDO, 0)) {
		if (ht->dev)
			ddi_umem_free(ht->cookie);
		mutex_destroy(&ht->lock);
		kmem_free(ht, sizeof(*ht));
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static int ht_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_umem_free(ht->cookie);
	mutex_destroy(&ht->lock);
	kmem_free(ht, sizeof(*ht));
	return DDI_SUCCESS;
}

static struct dev_ops ht_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = ht_attach,
	.devo_detach = ht_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &ht_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "devmap huge-entry test",
				  &ht_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("hugetest");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devmap huge-entry test driver");
