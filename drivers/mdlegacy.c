// SPDX-License-Identifier: GPL-2.0-only
/*
 * mdlegacy: a Solaris 2.5-style driver using the legacy mapping interface
 * of the seed: segmap(9E) calls ddi_mapdev(9F), pages come from mmap(9E),
 * and mapdev_access(9E) switches a one-page device context (here a page
 * of kernel memory) as in the ddi_mapdev_intercept(9F) example: intercept
 * the current mapping, save and restore the context, make the faulting
 * mapping current and return ddi_mapdev_nointercept(9F).
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include "mdlegacy.h"

struct mdctx {
	uint8_t page[MD_PAGE];
};

static struct mdstate {
	dev_info_t *dip;
	kmutex_t lock;
	ddi_umem_cookie_t cookie;
	uint8_t *dev; /* the "device" context page */
	ddi_mapdev_handle_t cur_hdl;
	struct mdctx *cur_ctx;
	struct md_stats stats;
} * md;

static int md_mapdev_access(ddi_mapdev_handle_t handle, void *devprivate,
			    off_t offset)
{
	struct mdctx *ctx = devprivate;
	int err;

	mutex_enter(&md->lock);
	md->stats.accesses++;
	if (md->cur_hdl != handle) {
		/* enable access callbacks for the current mapping */
		if (md->cur_hdl != NULL) {
			err = ddi_mapdev_intercept(md->cur_hdl, offset, 0);
			if (err != 0) {
				mutex_exit(&md->lock);
				return err;
			}
			memcpy(md->cur_ctx->page, md->dev, MD_PAGE);
		}
		/* switch device context */
		memcpy(md->dev, ctx->page, MD_PAGE);
		md->cur_hdl = handle;
		md->cur_ctx = ctx;
		md->stats.switches++;
	}
	/* disable callbacks and complete the access for this mapping (under
	 * the lock: no other switch may intercept it in between) */
	err = ddi_mapdev_nointercept(handle, offset, 0);
	mutex_exit(&md->lock);
	return err;
}

static void md_mapdev_free(ddi_mapdev_handle_t handle, void *devprivate)
{
	mutex_enter(&md->lock);
	md->stats.frees++;
	if (md->cur_hdl == handle) {
		md->cur_hdl = NULL;
		md->cur_ctx = NULL;
	}
	mutex_exit(&md->lock);
	kmem_free(devprivate, sizeof(struct mdctx));
}

static int md_mapdev_dup(ddi_mapdev_handle_t handle, void *devprivate,
			 ddi_mapdev_handle_t new_handle, void **new_devprivate)
{
	struct mdctx *ctx = devprivate, *child;

	child = kmem_zalloc(sizeof(*child), KM_SLEEP);
	if (child == NULL)
		return ENOMEM;
	mutex_enter(&md->lock);
	md->stats.dups++;
	memcpy(child->page, md->cur_hdl == handle ? md->dev : ctx->page,
	       MD_PAGE);
	mutex_exit(&md->lock);
	*new_devprivate = child;
	return 0;
}

static struct ddi_mapdev_ctl md_ops = {
	.mapdev_rev = MAPDEV_REV,
	.mapdev_access = md_mapdev_access,
	.mapdev_free = md_mapdev_free,
	.mapdev_dup = md_mapdev_dup,
};

static int md_mmap(dev_t dev, off_t off, uint_t prot)
{
	if (off < 0 || off >= MD_PAGE)
		return -1;
	return (int)hat_getkpfnum((caddr_t)md->dev + off);
}

static int md_segmap(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
		     off_t len, uint_t prot, uint_t maxprot, uint_t flags,
		     cred_t *credp)
{
	ddi_mapdev_handle_t handle;
	struct mdctx *ctx;
	int err;

	if ((flags & MAP_TYPE_MASK) != MAP_SHARED || off != 0 || len != MD_PAGE)
		return EINVAL;
	ctx = kmem_zalloc(sizeof(*ctx), KM_SLEEP);
	if (ctx == NULL)
		return ENOMEM;
	err = ddi_mapdev(dev, off, asp, addrp, len, prot, maxprot, flags, credp,
			 &md_ops, &handle, ctx);
	if (err)
		kmem_free(ctx, sizeof(*ctx));
	return err;
}

static int md_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	struct md_stats stats;

	if (cmd != MD_STATS)
		return ENOTTY;
	mutex_enter(&md->lock);
	stats = md->stats;
	mutex_exit(&md->lock);
	return ddi_copyout(&stats, (void *)arg, sizeof(stats), mode) ? EFAULT :
								       0;
}

static struct cb_ops md_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = md_ioctl,
	.cb_devmap = nodev,
	.cb_mmap = md_mmap,
	.cb_segmap = md_segmap,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP,
	.cb_rev = CB_REV,
};

static int md_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	md = kmem_zalloc(sizeof(*md), KM_SLEEP);
	if (md == NULL)
		return DDI_FAILURE;
	md->dip = dip;
	mutex_init(&md->lock, NULL, MUTEX_DRIVER, NULL);
	md->dev = ddi_umem_alloc(MD_PAGE, DDI_UMEM_SLEEP, &md->cookie);
	if (md->dev == NULL ||
	    ddi_create_minor_node(dip, "mdlegacy", S_IFCHR, 0, DDI_PSEUDO, 0) !=
		    DDI_SUCCESS) {
		ddi_umem_free(md->cookie);
		mutex_destroy(&md->lock);
		kmem_free(md, sizeof(*md));
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static int md_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_umem_free(md->cookie);
	mutex_destroy(&md->lock);
	kmem_free(md, sizeof(*md));
	return DDI_SUCCESS;
}

static struct dev_ops md_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = md_attach,
	.devo_detach = md_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &md_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "mdlegacy: ddi_mapdev",
				  &md_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("mdlegacy");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdlegacy: devmap's legacy ddi_mapdev example");
