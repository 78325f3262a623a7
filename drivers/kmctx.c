// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmctx: a pseudo driver exporting kernel memory (ddi_umem_alloc(9F) and
 * devmap_umem_setup(9F)).  Offset 0 is a page all processes share, loaded
 * with devmap_default_access(9F); offset KM_CTX_OFF is a context page:
 * each mapping has its own contents, switched in on access by
 * devmap_do_ctxmgt(9F).  A context hold (devmap_set_ctx_timeout(9F), set
 * by ioctl for new mappings) keeps the page with its owner for a while
 * and so cuts switches when processes contend for it.  The hold is every
 * user's, so only a privileged caller (drv_priv(9F)) may set it.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include "kmctx.h"

struct kmctx {
	devmap_cookie_t dhp;
	uint8_t page[KM_PAGE]; /* this mapping's context */
};

static struct kmstate {
	dev_info_t *dip;
	kmutex_t lock;
	ddi_umem_cookie_t cookie;
	uint8_t *mem; /* shared page, then the live context page */
	struct kmctx *owner;
	unsigned long switches;
	clock_t hold;
} * km;

static int km_contextmgt(devmap_cookie_t dhp, void *pvtp, offset_t off,
			 size_t len, uint_t type, uint_t rw)
{
	struct kmctx *ctx = pvtp;
	int err = 0;

	mutex_enter(&km->lock);
	if (km->owner != ctx) {
		if (km->owner) {
			err = devmap_unload(km->owner->dhp, off, len);
			if (err) {
				km->owner = NULL;
				goto out;
			}
			memcpy(km->owner->page, km->mem + KM_CTX_OFF, KM_PAGE);
		}
		memcpy(km->mem + KM_CTX_OFF, ctx->page, KM_PAGE);
		km->owner = ctx;
		km->switches++;
	}
	err = devmap_load(dhp, off, len, type, rw);
	if (err)
		km->owner = NULL;
out:
	mutex_exit(&km->lock);
	return err;
}

static int km_access(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     uint_t type, uint_t rw)
{
	if (off >= KM_CTX_OFF)
		return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw,
					km_contextmgt);
	return devmap_default_access(dhp, pvtp, off, len, type, rw);
}

static int km_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		  size_t len, void **pvtp)
{
	struct kmctx *ctx = kmem_zalloc(sizeof(*ctx), KM_SLEEP);

	if (ctx == NULL)
		return ENOMEM;
	ctx->dhp = dhp;
	mutex_enter(&km->lock);
	devmap_set_ctx_timeout(dhp, km->hold);
	mutex_exit(&km->lock);
	*pvtp = ctx;
	return 0;
}

static int km_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		  void **new_pvtp)
{
	struct kmctx *parent = pvtp, *child;

	child = kmem_zalloc(sizeof(*child), KM_SLEEP);
	if (child == NULL)
		return ENOMEM;
	child->dhp = new_dhp;
	mutex_enter(&km->lock);
	memcpy(child->page,
	       km->owner == parent ? km->mem + KM_CTX_OFF : parent->page,
	       KM_PAGE);
	mutex_exit(&km->lock);
	*new_pvtp = child;
	return 0;
}

/*
 * A mapping is two pages, so a partial munmap leaves one piece (the same
 * handle).  The owner stops owning only when its context page goes: a
 * cut of the shared page leaves its context page mapped and valid.
 */
static void km_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     devmap_cookie_t new_dhp1, void **new_pvtp1,
		     devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct kmctx *ctx = pvtp;

	mutex_enter(&km->lock);
	if (km->owner == ctx && off <= KM_CTX_OFF && KM_CTX_OFF < off + len)
		km->owner = NULL;
	mutex_exit(&km->lock);
	if (new_dhp1 == NULL && new_dhp2 == NULL)
		kmem_free(ctx, sizeof(*ctx));
}

static struct devmap_callback_ctl km_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = km_map,
	.devmap_access = km_access,
	.devmap_dup = km_dup,
	.devmap_unmap = km_unmap,
};

static int km_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	if (off != 0 || len != KM_SIZE)
		return ENXIO;
	if (devmap_umem_setup(dhp, km->dip, &km_callbacks, km->cookie, 0,
			      KM_SIZE, PROT_READ | PROT_WRITE | PROT_USER, 0,
			      NULL) != DDI_SUCCESS)
		return ENXIO;
	*maplen = KM_SIZE;
	return 0;
}

static int km_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	unsigned long switches;

	switch (cmd) {
	case KM_SET_HOLD:
		/* every later mapping's hold, whoever maps: a long one would
		 * keep the context from everyone else, so a privileged call */
		if (drv_priv(credp) != 0)
			return EPERM;
		mutex_enter(&km->lock);
		km->hold = (clock_t)arg;
		mutex_exit(&km->lock);
		return 0;
	case KM_SWITCHES:
		mutex_enter(&km->lock);
		switches = km->switches;
		mutex_exit(&km->lock);
		return ddi_copyout(&switches, (void *)arg, sizeof(switches),
				   mode) ?
			       EFAULT :
			       0;
	default:
		return ENOTTY;
	}
}

static struct cb_ops km_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = km_ioctl,
	.cb_devmap = km_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int km_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	km = kmem_zalloc(sizeof(*km), KM_SLEEP);
	if (km == NULL)
		return DDI_FAILURE;
	km->dip = dip;
	mutex_init(&km->lock, NULL, MUTEX_DRIVER, NULL);
	km->mem = ddi_umem_alloc(KM_SIZE, DDI_UMEM_SLEEP, &km->cookie);
	if (km->mem == NULL ||
	    ddi_create_minor_node(dip, "kmctx", S_IFCHR, 0, DDI_PSEUDO, 0) !=
		    DDI_SUCCESS) {
		ddi_umem_free(km->cookie);
		mutex_destroy(&km->lock);
		kmem_free(km, sizeof(*km));
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static int km_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_umem_free(km->cookie);
	mutex_destroy(&km->lock);
	kmem_free(km, sizeof(*km));
	return DDI_SUCCESS;
}

static struct dev_ops km_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = km_attach,
	.devo_detach = km_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &km_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "kmctx: kernel memory",
				  &km_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("kmctx");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmctx: devmap kernel-memory example driver");
