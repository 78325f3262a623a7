// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmtest: a Solaris-style pseudo driver for the in-guest tests of
 * devmap.ko.  Its "device" is DMT_PAGES pages of ddi_umem_alloc(9F)
 * memory.  Page 0 is a one-page device context managed as in Example 11-3
 * (unload the owner, save its registers, restore the requester's, load);
 * the other pages are shared memory with devmap_default_access.  ioctls
 * report what the framework called and inject access errors.  With
 * DMT_SET_CTX_PAGES, later mappings get a context of up to DMT_CTX_MAX
 * pages whose devmap_unmap(9E) follows the man page's pattern: fresh
 * private data for the survivors of a partial unmap, and the owner
 * pointer cleared when the owner's mapping is cut.  Two ioctls test the
 * DDI shim around it: DMT_CLONE_NEXT makes the next open(9E) a clone open
 * (close(9E) per minor), DMT_UMEM_DEFER frees bufs of locked memory where
 * the release is deferred to devmap's worker.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include <sys/buf.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include "dmtest.h"
#include "kpresent.h"

struct dmt_ctx {
	devmap_cookie_t dhp;
	int refs; /* handles sharing it (partial unmap, one-page mode) */
	int pages; /* context pages, from DMT_SET_CTX_PAGES at map time */
	offset_t off; /* its handle's range (multi-page mode) */
	size_t len;
	uint8_t regs[DMT_CTX_MAX * DMT_PAGE];
};

struct dmt_state {
	dev_info_t *dip;
	kmutex_t lock;
	ddi_umem_cookie_t cookie;
	uint8_t *dev; /* the device memory */
	struct dmt_ctx *owner;
	struct dmt_stats stats;
	struct dmt_unmap last_unmap;
	int fail_pid;
	minor_t clone_next; /* DMT_CLONE_NEXT: the next open's minor */
	bool fail_dup;
	clock_t hold;
	int ctx_pages; /* for new mappings */
	bool eintr_on_signal; /* as a driver sleeping in cv_wait_sig would */
	bool load_whole; /* multi-page contexts: load the owner's whole range */
	offset_t segmap_shift; /* DMT_SEGMAP_SHIFT */
};

static struct dmt_state *dmt;

static int dmt_contextmgt(devmap_cookie_t dhp, void *pvtp, offset_t off,
			  size_t len, uint_t type, uint_t rw)
{
	struct dmt_ctx *ctx = pvtp;
	int err = 0;

	mutex_enter(&dmt->lock);
	if (dmt->owner && dmt->owner != ctx) {
		/* one-page mode: the owner's handle starts at page 0 (it is
		 * owner no more when page 0 goes); else its own range */
		err = dmt->owner->pages == 1 ?
			      devmap_unload(dmt->owner->dhp, 0, DMT_PAGE) :
			      devmap_unload(dmt->owner->dhp, dmt->owner->off,
					    dmt->owner->len);
		if (err) {
			dmt->owner = NULL;
			goto out;
		}
		memcpy(dmt->owner->regs, dmt->dev,
		       dmt->owner->pages * DMT_PAGE); /* save */
	}
	if (dmt->owner != ctx) {
		memcpy(dmt->dev, ctx->regs,
		       ctx->pages * DMT_PAGE); /* restore */
		dmt->stats.switches++;
	}
	dmt->owner = ctx;
	dmt->stats.owner_pid = current->tgid;
	err = ctx->pages > 1 && dmt->load_whole ?
		      devmap_load(dhp, ctx->off, ctx->len, type, rw) :
		      devmap_load(dhp, off, len, type, rw);
	if (err)
		dmt->owner = NULL;
out:
	mutex_exit(&dmt->lock);
	return err;
}

static int dmt_access(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		      uint_t type, uint_t rw)
{
	mutex_enter(&dmt->lock);
	dmt->stats.accesses++;
	if (dmt->fail_pid == current->tgid) {
		mutex_exit(&dmt->lock);
		return EIO;
	}
	if (dmt->eintr_on_signal && signal_pending(current)) {
		mutex_exit(&dmt->lock);
		return EINTR;
	}
	mutex_exit(&dmt->lock);
	if (!pvtp)
		return ENOMEM; /* a survivor whose private data failed */
	if (off < ((struct dmt_ctx *)pvtp)->pages * DMT_PAGE)
		return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw,
					dmt_contextmgt);
	return devmap_default_access(dhp, pvtp, off, len, type, rw);
}

static struct dmt_ctx *dmt_ctx_new(devmap_cookie_t dhp, int pages, offset_t off,
				   size_t len)
{
	struct dmt_ctx *ctx = kmem_zalloc(sizeof(*ctx), KM_SLEEP);

	if (ctx) {
		ctx->dhp = dhp;
		ctx->refs = 1;
		ctx->pages = pages;
		ctx->off = off;
		ctx->len = len;
	}
	return ctx;
}

static int dmt_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		   size_t len, void **pvtp)
{
	struct dmt_ctx *ctx;

	mutex_enter(&dmt->lock);
	ctx = dmt_ctx_new(dhp, dmt->ctx_pages, off, len);
	mutex_exit(&dmt->lock);
	if (!ctx)
		return ENOMEM;
	mutex_enter(&dmt->lock);
	dmt->stats.maps++;
	if (dmt->hold)
		devmap_set_ctx_timeout(dhp, dmt->hold);
	mutex_exit(&dmt->lock);
	*pvtp = ctx;
	return 0;
}

static int dmt_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		   void **new_pvtp)
{
	struct dmt_ctx *parent = pvtp, *child;

	if (!parent)
		return ENOMEM;
	mutex_enter(&dmt->lock);
	if (dmt->fail_dup) {
		dmt->fail_dup = false;
		mutex_exit(&dmt->lock);
		return ENOMEM;
	}
	mutex_exit(&dmt->lock);
	child = dmt_ctx_new(new_dhp, parent->pages, parent->off, parent->len);
	if (!child)
		return ENOMEM;
	mutex_enter(&dmt->lock);
	dmt->stats.dups++;
	memcpy(child->regs, dmt->owner == parent ? dmt->dev : parent->regs,
	       parent->pages * DMT_PAGE);
	mutex_exit(&dmt->lock);
	*new_pvtp = child;
	return 0;
}

/*
 * devmap_unmap(9E) as its man page suggests: each survivor gets private
 * data of its own, and a cut owner is owner no more.  The framework must
 * have left no translation on the survivors: nothing here unloads them.
 */
static void dmt_unmap_pattern(struct dmt_ctx *ctx, offset_t off, size_t len,
			      devmap_cookie_t new_dhp1, void **new_pvtp1,
			      devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	offset_t end = ctx->off + (offset_t)ctx->len;

	if (new_dhp1)
		*new_pvtp1 = dmt_ctx_new(new_dhp1, ctx->pages, ctx->off,
					 off - ctx->off);
	if (new_dhp2)
		*new_pvtp2 = dmt_ctx_new(new_dhp2, ctx->pages, off + len,
					 end - (off + (offset_t)len));
	if (dmt->owner == ctx) {
		dmt->owner = NULL;
		dmt->stats.owner_pid = 0;
	}
}

static void dmt_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		      devmap_cookie_t new_dhp1, void **new_pvtp1,
		      devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct dmt_ctx *ctx = pvtp;

	if (!ctx)
		return;
	mutex_enter(&dmt->lock);
	if (ctx->pages > 1) {
		dmt->stats.unmaps++;
		dmt_unmap_pattern(ctx, off, len, new_dhp1, new_pvtp1, new_dhp2,
				  new_pvtp2);
		mutex_exit(&dmt->lock);
		kmem_free(ctx, sizeof(*ctx));
		return;
	}
	dmt->stats.unmaps++;
	dmt->last_unmap = (struct dmt_unmap){
		.off = off,
		.len = len,
		.n1_is_dhp = new_dhp1 == dhp,
		.n2_is_dhp = new_dhp2 == dhp,
		.n2_new = new_dhp2 && new_dhp2 != dhp,
	};
	/* survivors share the context; it goes with the last of them */
	ctx->refs += (new_dhp1 ? 1 : 0) + (new_dhp2 ? 1 : 0) - 1;
	if (new_dhp2 && new_dhp2 != dhp)
		*new_pvtp2 = ctx;
	if (dmt->owner == ctx && (off == 0 || ctx->refs == 0)) {
		dmt->owner = NULL; /* its context page is gone */
		dmt->stats.owner_pid = 0;
	}
	mutex_exit(&dmt->lock);
	if (ctx->refs == 0)
		kmem_free(ctx, sizeof(*ctx));
}

static struct devmap_callback_ctl dmt_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = dmt_map,
	.devmap_access = dmt_access,
	.devmap_dup = dmt_dup,
	.devmap_unmap = dmt_unmap,
};

static int dmt_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		      size_t *maplen, uint_t model)
{
	size_t length = DMT_PAGES * DMT_PAGE;

	mutex_enter(&dmt->lock);
	dmt->stats.last_model = model;
	mutex_exit(&dmt->lock);
	if (off < 0 || off >= length)
		return ENXIO;
	if (len > length - off)
		len = length - off;
	if (devmap_umem_setup(dhp, dmt->dip, &dmt_callbacks, dmt->cookie, off,
			      len, PROT_READ | PROT_WRITE | PROT_USER, 0, NULL))
		return ENXIO;
	*maplen = ptob(btopr(len));
	return 0;
}

/* devmap_setup(9F) at a translated offset, as some drivers do. */
static int dmt_segmap(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
		      off_t len, unsigned int prot, unsigned int maxprot,
		      unsigned int flags, cred_t *credp)
{
	offset_t shift;

	mutex_enter(&dmt->lock);
	shift = dmt->segmap_shift;
	mutex_exit(&dmt->lock);
	if (off < shift)
		return ENXIO;
	return devmap_setup(dev, off - shift, asp, addrp, (size_t)len, prot,
			    maxprot, flags, credp);
}

/* open(9E): a clone open after DMT_CLONE_NEXT. */
static int dmt_open(dev_t *devp, int flag, int otyp, cred_t *credp)
{
	mutex_enter(&dmt->lock);
	if (dmt->clone_next != 0) {
		*devp = makedevice(getmajor(*devp), dmt->clone_next);
		dmt->clone_next = 0;
	}
	mutex_exit(&dmt->lock);
	return 0;
}

static int dmt_close(dev_t dev, int flag, int otyp, cred_t *credp)
{
	mutex_enter(&dmt->lock);
	dmt->stats.closes++;
	dmt->stats.close_minor = (int)getminor(dev);
	mutex_exit(&dmt->lock);
	return 0;
}

/* DMT_UMEM_DEFER: see dmtest.h. */
static int dmt_umem_defer(dev_t dev, const struct dmt_umem_defer *d)
{
	struct buf *bp[DMT_DEFER_BUFS];
	ddi_umem_cookie_t cookie;
	int err, i, n;

	if (d->bufs < 1 || d->bufs > DMT_DEFER_BUFS || d->rounds < 0)
		return EINVAL;
	for (int r = 0; r < d->rounds; r++) {
		err = ddi_umem_lock((caddr_t)(uintptr_t)d->addr, (size_t)d->len,
				    DDI_UMEMLOCK_READ, &cookie);
		if (err)
			return err;
		for (n = 0; n < d->bufs; n++) {
			bp[n] = ddi_umem_iosetup(cookie, 0, PAGESIZE, B_WRITE,
						 dev, 0, NULL, DDI_UMEM_SLEEP);
			if (bp[n] == NULL)
				break;
		}
		ddi_umem_unlock(cookie); /* the bufs hold the pages now */
		/* freerbuf(9F) also frees the buf, and on PREEMPT_RT the
		 * allocator may not run with preemption off (nor may any DDI
		 * driver be there): the releases are made where they can
		 * sleep, and nothing is deferred */
		if (!IS_ENABLED(CONFIG_PREEMPT_RT))
			preempt_disable();
		for (i = 0; i < n; i++)
			freerbuf(bp[i]);
		if (!IS_ENABLED(CONFIG_PREEMPT_RT))
			preempt_enable();
		if (n < d->bufs)
			return ENOMEM;
		cond_resched();
	}
	return 0;
}

static int dmt_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		     int *rvalp)
{
	struct dmt_umem_defer ud;
	struct dmt_stats stats;
	struct dmt_unmap un;
	struct dmt_present pr;

	switch (cmd) {
	case DMT_PRESENT:
		if (ddi_copyin((void *)arg, &pr, sizeof(pr), mode))
			return EFAULT;
		pr.present = kp_present(pr.pid, pr.va);
		return ddi_copyout(&pr, (void *)arg, sizeof(pr), mode) ?
			       EFAULT :
			       0;
	case DMT_GET_STATS:
		mutex_enter(&dmt->lock);
		stats = dmt->stats;
		mutex_exit(&dmt->lock);
		return ddi_copyout(&stats, (void *)arg, sizeof(stats), mode) ?
			       EFAULT :
			       0;
	case DMT_LAST_UNMAP:
		mutex_enter(&dmt->lock);
		un = dmt->last_unmap;
		mutex_exit(&dmt->lock);
		return ddi_copyout(&un, (void *)arg, sizeof(un), mode) ?
			       EFAULT :
			       0;
	case DMT_RESET:
		mutex_enter(&dmt->lock);
		memset(&dmt->stats, 0, sizeof(dmt->stats));
		dmt->fail_pid = 0;
		dmt->hold = 0;
		dmt->ctx_pages = 1;
		dmt->eintr_on_signal = false;
		dmt->load_whole = false;
		dmt->segmap_shift = 0;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_EINTR_ON_SIGNAL:
		mutex_enter(&dmt->lock);
		dmt->eintr_on_signal = arg != 0;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_SEGMAP_SHIFT:
		if (arg < 0 || arg % DMT_PAGE)
			return EINVAL;
		mutex_enter(&dmt->lock);
		dmt->segmap_shift = (offset_t)arg;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_LOAD_WHOLE:
		mutex_enter(&dmt->lock);
		dmt->load_whole = arg != 0;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_SET_CTX_PAGES:
		if (arg < 1 || arg > DMT_CTX_MAX)
			return EINVAL;
		mutex_enter(&dmt->lock);
		dmt->ctx_pages = (int)arg;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_FAIL_PID:
		dmt->fail_pid = (int)arg;
		return 0;
	case DMT_FAIL_DUP:
		mutex_enter(&dmt->lock);
		dmt->fail_dup = true;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_SET_HOLD:
		dmt->hold = (clock_t)arg;
		return 0;
	case DMT_CLONE_NEXT:
		mutex_enter(&dmt->lock);
		dmt->clone_next = (minor_t)arg;
		mutex_exit(&dmt->lock);
		return 0;
	case DMT_UMEM_DEFER:
		if (ddi_copyin((void *)arg, &ud, sizeof(ud), mode))
			return EFAULT;
		return dmt_umem_defer(dev, &ud);
	default:
		return ENOTTY;
	}
}

static struct cb_ops dmt_cb_ops = {
	.cb_open = dmt_open,
	.cb_close = dmt_close,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = dmt_ioctl,
	.cb_devmap = dmt_devmap,
	.cb_mmap = nodev,
	.cb_segmap = dmt_segmap,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int dmt_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	dmt = kmem_zalloc(sizeof(*dmt), KM_SLEEP);
	if (!dmt)
		return DDI_FAILURE;
	dmt->dip = dip;
	dmt->ctx_pages = 1;
	mutex_init(&dmt->lock, NULL, MUTEX_DRIVER, NULL);
	dmt->dev = ddi_umem_alloc(DMT_PAGES * DMT_PAGE, DDI_UMEM_SLEEP,
				  &dmt->cookie);
	if (!dmt->dev ||
	    ddi_create_minor_node(dip, "dmtest", S_IFCHR, 0, DDI_PSEUDO, 0)) {
		ddi_umem_free(dmt->cookie);
		kmem_free(dmt, sizeof(*dmt));
		return DDI_FAILURE;
	}
	ddi_report_dev(dip);
	return DDI_SUCCESS;
}

static int dmt_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_umem_free(dmt->cookie);
	mutex_destroy(&dmt->lock);
	kmem_free(dmt, sizeof(*dmt));
	return DDI_SUCCESS;
}

static struct dev_ops dmt_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = dmt_attach,
	.devo_detach = dmt_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &dmt_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "devmap test driver",
				  &dmt_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("dmtest");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devmap in-guest test driver");
