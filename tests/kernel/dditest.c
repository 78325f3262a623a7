// SPDX-License-Identifier: GPL-2.0-only
/*
 * dditest: a Solaris-style driver for the in-guest tests of the general
 * DDI (not devmap) the shim gives drivers, written as an illumos driver is,
 * with no Linux header.  It binds to QEMU's edu card and exercises, for
 * dditest_user: read(9E)/write(9E) with uiomove(9F) on a buffer,
 * properties of the PCI node, cv_reltimedwait_sig(9F), ddi_get_pid(9F),
 * the time and page macros, ASSERT/VERIFY, getinfo(9E) with (dev_t)arg,
 * pfn_t, FMODELS, nochpoll and ddi_prop_op as entry points; and DMA and
 * interrupts: ddi_dma_*(9F) with the card's DMA engine, and the card's
 * interrupt (MSI, else its INTx line) through ddi_intr_*(9F), whose
 * handler takes the driver's mutex and wakes a cv_wait_sig(9F); and user
 * memory locked with ddi_umem_lock(9F): DMA into and out of it through
 * ddi_umem_iosetup(9F), ddi_dma_buf_bind_handle(9F), biodone(9F) from the
 * interrupt handler and biowait(9F), and mmap(2) of the device mapping it
 * with devmap_umem_setup(9F); close(9E) unlocks what is left; a warning
 * any user can have it log, as often as it likes (cmn_err(9F)).  Built
 * without DEBUG: its ASSERTs are not evaluated.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/debug.h>
#include <sys/sysmacros.h>
#include <sys/ksynch.h>
#include <sys/kmem.h>
#include <sys/cmn_err.h>
#include <sys/conf.h>
#include <sys/modctl.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/ddi_intr.h>
#include <sys/buf.h>
#include "dditest.h"
#include "edu.h"

typedef struct ddt_state {
	dev_info_t *dip;
	kmutex_t lock; /* also taken by the interrupt handler */
	/* one transfer of the card at a time (one io_bp), and no slot is
	 * unlocked while a transfer uses it: DDT_DMA, DDT_UDMA, unlocks */
	kmutex_t io_lock;
	kcondvar_t cv;
	uint_t wakes; /* DDT_WAKE calls */
	char *buf; /* DDT_BUFSIZE bytes */
	caddr_t regs;
	ddi_acc_handle_t regs_acc;
	ddi_intr_handle_t intr;
	int intr_type;
	uint_t intrs; /* interrupts claimed, under lock */
	uint32_t status_seen; /* status bits acknowledged, under lock */
	struct buf *io_bp; /* the handler's biodone(), under lock */
	ddi_umem_cookie_t locks[DDT_NLOCKS]; /* under lock */
	ddi_umem_cookie_t export; /* what mmap maps, under lock */
} ddt_state_t;

static ddi_device_acc_attr_t ddt_acc_attr = { DDI_DEVICE_ATTR_V0,
					      DDI_STRUCTURE_LE_ACC,
					      DDI_STRICTORDER_ACC,
					      DDI_DEFAULT_ACC };

static ddi_dma_attr_t ddt_edu_dma_attr = {
	.dma_attr_version = DMA_ATTR_V0,
	.dma_attr_addr_lo = 0,
	.dma_attr_addr_hi = EDU_DMA_ADDR_HI,
	.dma_attr_count_max = 0xFFF,
	.dma_attr_align = 1,
	.dma_attr_burstsizes = 1,
	.dma_attr_minxfer = 1,
	.dma_attr_maxxfer = 0x1000,
	.dma_attr_seg = EDU_DMA_ADDR_HI,
	.dma_attr_sgllen = 1,
	.dma_attr_granular = 1,
	.dma_attr_flags = 0,
};

/* user memory: a cookie per page at most, each one transfer */
static ddi_dma_attr_t ddt_edu32_dma_attr = {
	.dma_attr_version = DMA_ATTR_V0,
	.dma_attr_addr_lo = 0,
	.dma_attr_addr_hi = EDU_DMA_ADDR_HI32,
	.dma_attr_count_max = EDU_DMA_BUFSIZE - 1,
	.dma_attr_align = 1,
	.dma_attr_burstsizes = 1,
	.dma_attr_minxfer = 1,
	.dma_attr_maxxfer = EDU_DMA_BUFSIZE * DDT_MAXCOOKIES,
	.dma_attr_seg = EDU_DMA_ADDR_HI32,
	.dma_attr_sgllen = DDT_MAXCOOKIES,
	.dma_attr_granular = 1,
	.dma_attr_flags = 0,
};

static ddi_dma_attr_t ddt_wide_dma_attr = {
	.dma_attr_version = DMA_ATTR_V0,
	.dma_attr_addr_lo = 0,
	.dma_attr_addr_hi = 0xFFFFFFFFFFFFFFFFULL,
	.dma_attr_count_max = 0xFFFFFFFFULL,
	.dma_attr_align = 1,
	.dma_attr_burstsizes = 1,
	.dma_attr_minxfer = 1,
	.dma_attr_maxxfer = 0xFFFFFFFFULL,
	.dma_attr_seg = 0xFFFFFFFFFFFFFFFFULL,
	.dma_attr_sgllen = 1,
	.dma_attr_granular = 1,
	.dma_attr_flags = 0,
};

static void *ddt_statep;

static ddt_state_t *ddt_get(dev_t dev)
{
	return ddi_get_soft_state(ddt_statep, getminor(dev));
}

static int ddt_getinfo(dev_info_t *dip, ddi_info_cmd_t cmd, void *arg,
		       void **resultp)
{
	dev_t dev = (dev_t)arg;
	ddt_state_t *sp = ddt_get(dev);

	switch (cmd) {
	case DDI_INFO_DEVT2DEVINFO:
		if (sp == NULL)
			return DDI_FAILURE;
		*resultp = sp->dip;
		return DDI_SUCCESS;
	case DDI_INFO_DEVT2INSTANCE:
		*resultp = (void *)(uintptr_t)getminor(dev);
		return DDI_SUCCESS;
	default:
		return DDI_FAILURE;
	}
}

static int ddt_rw(dev_t dev, struct uio *uiop, enum uio_rw rw)
{
	ddt_state_t *sp = ddt_get(dev);
	size_t n;

	if (uiop->uio_offset < 0)
		return EINVAL;
	if (uiop->uio_offset >= DDT_BUFSIZE)
		return rw == UIO_READ ? 0 : ENOSPC;
	n = DDT_BUFSIZE - uiop->uio_offset;
	if (n > (size_t)uiop->uio_resid)
		n = uiop->uio_resid;
	return uiomove(sp->buf + uiop->uio_offset, n, rw, uiop);
}

static int ddt_read(dev_t dev, struct uio *uiop, cred_t *credp)
{
	return ddt_rw(dev, uiop, UIO_READ);
}

static int ddt_write(dev_t dev, struct uio *uiop, cred_t *credp)
{
	return ddt_rw(dev, uiop, UIO_WRITE);
}

/* uiomove over two kernel iovecs: does it fill both and advance? */
static int ddt_uio_kernel(void)
{
	char a[3], b[5], src[] = "abcdefgh";
	iovec_t iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	uio_t uio = { .uio_iov = iov,
		      .uio_iovcnt = 2,
		      .uio_offset = 100,
		      .uio_segflg = UIO_SYSSPACE,
		      .uio_resid = sizeof(a) + sizeof(b) };

	if (uiomove(src, 8, UIO_READ, &uio) != 0)
		return 0;
	return a[0] == 'a' && a[2] == 'c' && b[0] == 'd' && b[4] == 'h' &&
	       uio.uio_resid == 0 && uio.uio_offset == 108;
}

/* The Solaris members of a ddi_umem_alloc(9F) cookie. */
static int ddt_cookie(void)
{
	ddi_umem_cookie_t cookie;
	caddr_t kva = ddi_umem_alloc(PAGESIZE + 1, DDI_UMEM_SLEEP, &cookie);
	struct ddi_umem_cookie *cp = (struct ddi_umem_cookie *)cookie;
	int ok = kva != NULL && cp->cvaddr == kva && cp->size == 2 * PAGESIZE;

	if (kva != NULL)
		ddi_umem_free(cookie);
	return ok;
}

static void ddt_values(ddt_state_t *sp, dev_t dev, int mode,
		       struct ddt_values *v)
{
	int asserted = 0, verified = 0;
	void *result = NULL;
	pfn_t pfn;

	ASSERT(++asserted > 0);
	VERIFY(++verified > 0);
	v->assert_evaluated = asserted;
	v->verify_evaluated = verified;
	v->pid = ddi_get_pid();
	v->hz = hz;
	v->msec_to_tick_1000 = MSEC_TO_TICK(1000);
	v->msec_to_tick_1 = MSEC_TO_TICK(1);
	v->msec_to_tick_roundup_1 = MSEC_TO_TICK_ROUNDUP(1);
	v->tick_to_msec_hz = TICK_TO_MSEC(hz);
	v->p2roundup = P2ROUNDUP(5000UL, 4096UL);
	v->p2align = P2ALIGN(5000UL, 4096UL);
	v->p2phase = P2PHASE(5000UL, 4096UL);
	v->pagesize = PAGESIZE;
	v->pagemask = PAGEMASK;
	v->ddi_ptob_3 = ddi_ptob(sp->dip, 3);
	v->ddi_btop_8191 = ddi_btop(sp->dip, 8191);
	v->ddi_btopr_8193 = ddi_btopr(sp->dip, 8193);
	v->map_type = MAP_TYPE;
	v->d_hotplug = D_HOTPLUG;
	v->tr_clock_tick = TR_CLOCK_TICK;
	v->model = ddi_model_convert_from(mode & FMODELS);
	if (ddt_getinfo(sp->dip, DDI_INFO_DEVT2INSTANCE, (void *)(uintptr_t)dev,
			&result) == DDI_SUCCESS)
		v->getinfo_instance = (int)(uintptr_t)result;
	else
		v->getinfo_instance = -1;
	pfn = hat_getkpfnum(sp->buf);
	v->pfn_ok = pfn != 0 && ptob(pfn + 1) - ptob(pfn) == PAGESIZE;
	v->uio_kernel_ok = ddt_uio_kernel();
	v->cookie_ok = ddt_cookie();
	v->usectohz_1 = drv_usectohz(1);
	v->usectohz_1s = drv_usectohz(1000000);
	v->usectohz_5000s = drv_usectohz(5000000000L);
	v->usectohz_neg = drv_usectohz(-1);
}

static int ddt_prop(dev_info_t *dip, char *name, int defvalue)
{
	return ddi_prop_get_int(DDI_DEV_T_ANY, dip, DDI_PROP_DONTPASS, name,
				defvalue);
}

static void ddt_props(dev_info_t *dip, struct ddt_props *p)
{
	int flags = DDI_PROP_DONTPASS, len, val;
	caddr_t longp = NULL;
	short small;

	p->vendor = ddt_prop(dip, "vendor-id", -1);
	p->device = ddt_prop(dip, "device-id", -1);
	p->subvendor = ddt_prop(dip, "subsystem-vendor-id", -1);
	p->subsystem = ddt_prop(dip, "subsystem-id", -1);
	p->revision = ddt_prop(dip, "revision-id", -1);
	p->class_code = ddt_prop(dip, "class-code", -1);
	p->missing = ddt_prop(dip, "no-such-prop", -7);
	p->getprop_device =
		ddi_getprop(DDI_DEV_T_NONE, dip, flags, "device-id", -1);
	p->notprom_device = ddi_prop_get_int(
		DDI_DEV_T_ANY, dip, flags | DDI_PROP_NOTPROM, "device-id", -1);
	p->longprop_rc = ddi_getlongprop(DDI_DEV_T_ANY, dip,
					 flags | DDI_PROP_CANSLEEP, "vendor-id",
					 (caddr_t)&longp, &p->longprop_len);
	if (p->longprop_rc == DDI_PROP_SUCCESS) {
		p->longprop_val = *(int *)longp;
		kmem_free(longp, p->longprop_len);
	}
	p->longprop_missing_rc = ddi_getlongprop(DDI_DEV_T_ANY, dip, flags,
						 "no-such-prop",
						 (caddr_t)&longp, &len);
	p->len_rc = ddi_prop_op(DDI_DEV_T_ANY, dip, PROP_LEN, flags,
				"device-id", NULL, &p->len);
	p->small_len = sizeof(small);
	p->small_rc = ddi_prop_op(DDI_DEV_T_ANY, dip, PROP_LEN_AND_VAL_BUF,
				  flags, "device-id", (caddr_t)&small,
				  &p->small_len);
	len = sizeof(val);
	p->buf_rc = ddi_prop_op(DDI_DEV_T_ANY, dip, PROP_LEN_AND_VAL_BUF, flags,
				"device-id", (caddr_t)&val, &len);
	p->buf_val = p->buf_rc == DDI_PROP_SUCCESS ? val : -1;
	p->exists_rc = ddi_prop_op(DDI_DEV_T_ANY, dip, PROP_EXISTS, flags,
				   "class-code", NULL, &len);
	p->exists_missing_rc = ddi_prop_op(DDI_DEV_T_ANY, dip, PROP_EXISTS,
					   flags, "no-such-prop", NULL, &len);
}

/* cv_reltimedwait_sig until a DDT_WAKE, a signal or the time runs out. */
static clock_t ddt_wait(ddt_state_t *sp, clock_t ticks)
{
	clock_t left = ticks, ret;
	uint_t seen;

	mutex_enter(&sp->lock);
	seen = sp->wakes;
	do {
		ret = cv_reltimedwait_sig(&sp->cv, &sp->lock, left,
					  TR_CLOCK_TICK);
		left = ret;
	} while (ret > 0 && sp->wakes == seen);
	mutex_exit(&sp->lock);
	return ret;
}

static uint32_t *ddt_reg32(ddt_state_t *sp, int off)
{
	return (uint32_t *)(sp->regs + off);
}

static uint64_t *ddt_reg64(ddt_state_t *sp, int off)
{
	return (uint64_t *)(sp->regs + off);
}

/*
 * The card's interrupt: acknowledge it and wake the waiting ioctl, by
 * biodone() of the buf whose transfer it ends if there is one.
 */
static uint_t ddt_intr(caddr_t arg1, caddr_t arg2)
{
	ddt_state_t *sp = (ddt_state_t *)arg1;
	uint32_t status =
		ddi_get32(sp->regs_acc, ddt_reg32(sp, EDU_INTR_STATUS));
	struct buf *bp;

	if (status == 0)
		return DDI_INTR_UNCLAIMED;
	ddi_put32(sp->regs_acc, ddt_reg32(sp, EDU_INTR_ACK), status);
	mutex_enter(&sp->lock);
	sp->intrs++;
	sp->status_seen |= status;
	bp = status & EDU_INTR_DMA ? sp->io_bp : NULL; /* only a DMA's end */
	if (bp != NULL)
		sp->io_bp = NULL;
	cv_broadcast(&sp->cv);
	mutex_exit(&sp->lock);
	if (bp != NULL) {
		bp->b_resid = 0;
		biodone(bp);
	}
	return DDI_INTR_CLAIMED;
}

/*
 * One transfer of @cnt bytes by the card's DMA engine, waiting in
 * cv_wait_sig for its interrupt, or with @bp in biowait(9F) for the
 * handler's biodone(9F).  Returns 0, or EINTR on a signal, after the
 * transfer ended nonetheless (the memory stays bound until then) or a
 * second passed; with @bp, what biowait returned.
 */
static int ddt_edu_dma(ddt_state_t *sp, uint64_t src, uint64_t dst,
		       uint64_t cmd, uint64_t cnt, struct buf *bp)
{
	int rc = 0;
	uint_t seen;

	mutex_enter(&sp->lock);
	seen = sp->intrs;
	sp->io_bp = bp;
	ddi_put64(sp->regs_acc, ddt_reg64(sp, EDU_DMA_SRC), src);
	ddi_put64(sp->regs_acc, ddt_reg64(sp, EDU_DMA_DST), dst);
	ddi_put64(sp->regs_acc, ddt_reg64(sp, EDU_DMA_CNT), cnt);
	ddi_put64(sp->regs_acc, ddt_reg64(sp, EDU_DMA_CMD),
		  cmd | EDU_DMA_START | EDU_DMA_INTR);
	if (bp != NULL) {
		mutex_exit(&sp->lock);
		return biowait(bp);
	}
	while (sp->intrs == seen && rc == 0)
		if (cv_wait_sig(&sp->cv, &sp->lock) == 0)
			rc = EINTR;
	while (sp->intrs == seen &&
	       cv_reltimedwait(&sp->cv, &sp->lock, hz, TR_CLOCK_TICK) > 0)
		;
	mutex_exit(&sp->lock);
	return rc;
}

/* A kmem_alloc'd page, bound on a handle of 64-bit attributes. */
static void ddt_dma_kmem(ddt_state_t *sp, struct ddt_dma *d)
{
	caddr_t page = kmem_zalloc(PAGESIZE, KM_SLEEP);
	const ddi_dma_cookie_t *c;
	ddi_dma_handle_t h;
	ddi_dma_cookie_t cookie;
	uint_t n = 0;

	if (page == NULL ||
	    ddi_dma_alloc_handle(sp->dip, &ddt_wide_dma_attr, DDI_DMA_SLEEP,
				 NULL, &h) != DDI_SUCCESS) {
		kmem_free(page, PAGESIZE);
		d->kmem_bind_rc = DDI_FAILURE;
		return;
	}
	d->kmem_as_rc = ddi_dma_addr_bind_handle(h, (struct as *)page, page,
						 PAGESIZE, DDI_DMA_RDWR,
						 DDI_DMA_SLEEP, NULL, &cookie,
						 &n);
	d->kmem_bind_rc = ddi_dma_addr_bind_handle(
		h, NULL, page, PAGESIZE, DDI_DMA_RDWR | DDI_DMA_STREAMING,
		DDI_DMA_SLEEP, NULL, &cookie, &n);
	d->kmem_ncookies = n;
	d->kmem_cookie_size = cookie.dmac_size;
	d->kmem_inuse_rc = ddi_dma_addr_bind_handle(h, NULL, page, PAGESIZE,
						    DDI_DMA_RDWR, DDI_DMA_SLEEP,
						    NULL, &cookie, &n);
	d->kmem_sync_dev_rc = ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORDEV);
	d->kmem_sync_cpu_rc = ddi_dma_sync(h, 16, 32, DDI_DMA_SYNC_FORCPU);
	d->kmem_sync_out_rc =
		ddi_dma_sync(h, PAGESIZE, 1, DDI_DMA_SYNC_FORKERNEL);
	c = ddi_dma_cookie_iter(h, NULL);
	d->kmem_iter_ok = c != NULL && c->dmac_size == PAGESIZE &&
			  ddi_dma_cookie_iter(h, c) == NULL;
	d->kmem_unbind_rc = ddi_dma_unbind_handle(h);
	d->kmem_unbind_again_rc = ddi_dma_unbind_handle(h);
	ddi_dma_free_handle(&h);
	kmem_free(page, PAGESIZE);
}

/*
 * DMA memory within the card's reach: the engine copies its first half
 * into the card and the card's copy back into its second half.
 */
static void ddt_dma_edu(ddt_state_t *sp, struct ddt_dma *d)
{
	ddi_acc_handle_t acc;
	ddi_dma_cookie_t cookie, next;
	ddi_dma_handle_t h;
	size_t real;
	caddr_t kva;
	uint_t n = 0;
	int i;

	if (ddi_dma_alloc_handle(sp->dip, &ddt_edu_dma_attr, DDI_DMA_SLEEP,
				 NULL, &h) != DDI_SUCCESS) {
		d->mem_rc = DDI_FAILURE;
		return;
	}
	d->mem_rc = ddi_dma_mem_alloc(h, 2 * DDT_DMA_LEN, &ddt_acc_attr,
				      DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL,
				      &kva, &real, &acc);
	if (d->mem_rc != DDI_SUCCESS) {
		ddi_dma_free_handle(&h);
		return;
	}
	d->mem_real_length = real;
	for (i = 0; i < 2 * DDT_DMA_LEN; i++)
		kva[i] = i < DDT_DMA_LEN ? (char)(i * 7 + 1) : 0;
	d->bind_rc = ddi_dma_addr_bind_handle(h, NULL, kva, 2 * DDT_DMA_LEN,
					      DDI_DMA_RDWR | DDI_DMA_CONSISTENT,
					      DDI_DMA_SLEEP, NULL, &cookie, &n);
	if (d->bind_rc == DDI_DMA_MAPPED) {
		d->ncookies = n;
		d->cookie_addr = cookie.dmac_laddress;
		d->cookie_size = cookie.dmac_size;
		next = cookie;
		next.dmac_size = 0;
		ddi_dma_nextcookie(h, &next);
		d->nextcookie_ok = next.dmac_size == 0;
		mutex_enter(&sp->lock);
		sp->status_seen = 0;
		d->intrs = sp->intrs;
		mutex_exit(&sp->lock);
		(void)ddi_dma_sync(h, 0, DDT_DMA_LEN, DDI_DMA_SYNC_FORDEV);
		d->to_card_rc = ddt_edu_dma(sp, cookie.dmac_laddress,
					    EDU_DMA_BUF, 0, DDT_DMA_LEN, NULL);
		if (d->to_card_rc == 0)
			d->from_card_rc =
				ddt_edu_dma(sp, EDU_DMA_BUF,
					    cookie.dmac_laddress + DDT_DMA_LEN,
					    EDU_DMA_TO_RAM, DDT_DMA_LEN, NULL);
		d->sync_rc = ddi_dma_sync(h, DDT_DMA_LEN, DDT_DMA_LEN,
					  DDI_DMA_SYNC_FORCPU);
		mutex_enter(&sp->lock);
		d->intrs = sp->intrs - d->intrs;
		d->status_seen = sp->status_seen;
		mutex_exit(&sp->lock);
		d->data_ok = 1;
		for (i = 0; i < DDT_DMA_LEN; i++)
			if (kva[DDT_DMA_LEN + i] != kva[i])
				d->data_ok = 0;
		d->unbind_rc = ddi_dma_unbind_handle(h);
	}
	ddi_dma_mem_free(&acc);
	ddi_dma_free_handle(&h);
}

static int ddt_dma(ddt_state_t *sp, struct ddt_dma *d)
{
	uint_t pri;

	(void)ddi_intr_get_supported_types(sp->dip, &d->intr_types);
	(void)ddi_intr_get_nintrs(sp->dip, sp->intr_type, &d->nintrs);
	(void)ddi_intr_get_pri(sp->intr, &pri);
	d->intr_pri = pri;
	d->intr_type = sp->intr_type;
	d->handler_twice_rc =
		ddi_intr_add_handler(sp->intr, ddt_intr, sp, NULL);
	ddt_dma_kmem(sp, d);
	ddt_dma_edu(sp, d);
	return d->to_card_rc ? d->to_card_rc : d->from_card_rc;
}

/* DDT_ULOCK: lock the caller's memory into a free slot. */
static int ddt_ulock(ddt_state_t *sp, struct ddt_ulock *u)
{
	ddi_umem_cookie_t cookie;
	int err, i;

	err = ddi_umem_lock((caddr_t)u->addr, u->len, u->flags, &cookie);
	if (err != 0)
		return err;
	mutex_enter(&sp->lock);
	for (i = 0; i < DDT_NLOCKS && sp->locks[i] != NULL; i++)
		;
	if (i < DDT_NLOCKS)
		sp->locks[i] = cookie;
	mutex_exit(&sp->lock);
	if (i == DDT_NLOCKS) {
		ddi_umem_unlock(cookie);
		return ENOSPC;
	}
	u->slot = i;
	return 0;
}

/* Take the cookie of @slot out of the table (and out of mmap's reach). */
static ddi_umem_cookie_t ddt_take(ddt_state_t *sp, int slot)
{
	ddi_umem_cookie_t cookie;

	mutex_enter(&sp->lock);
	cookie = sp->locks[slot];
	sp->locks[slot] = NULL;
	if (cookie != NULL && sp->export == cookie)
		sp->export = NULL;
	mutex_exit(&sp->lock);
	return cookie;
}

static ddi_umem_cookie_t ddt_slot(ddt_state_t *sp, intptr_t slot)
{
	ddi_umem_cookie_t cookie = NULL;

	if (slot < 0 || slot >= DDT_NLOCKS)
		return NULL;
	mutex_enter(&sp->lock);
	cookie = sp->locks[slot];
	mutex_exit(&sp->lock);
	return cookie;
}

static int ddt_uunlock(ddt_state_t *sp, intptr_t slot)
{
	ddi_umem_cookie_t cookie;

	if (slot < 0 || slot >= DDT_NLOCKS)
		return EINVAL;
	cookie = ddt_take(sp, (int)slot);
	if (cookie == NULL)
		return EINVAL;
	ddi_umem_unlock(cookie);
	return 0;
}

static int ddt_iodone_calls;

static int ddt_iodone(struct buf *bp)
{
	ddt_iodone_calls++;
	return 0;
}

/* biodone with b_iodone, and geterror, on a second buf of the cookie. */
static void ddt_buf_calls(ddi_umem_cookie_t cookie, struct ddt_udma *u)
{
	struct buf *bp = ddi_umem_iosetup(cookie, 0, PAGESIZE, B_WRITE, 0, 0,
					  ddt_iodone, DDI_UMEM_NOSLEEP);

	if (bp == NULL)
		return;
	ddt_iodone_calls = 0;
	u->geterror_ok = geterror(bp) == 0;
	biodone(bp);
	u->iodone_ok = ddt_iodone_calls == 1 && (bp->b_flags & B_DONE) &&
		       bp->b_iodone == NULL;
	bp->b_flags |= B_ERROR;
	u->geterror_ok &= geterror(bp) == EIO;
	bp->b_error = ENXIO;
	u->geterror_ok &= geterror(bp) == ENXIO;
	freerbuf(bp);
}

/*
 * One piece of at most DDT_CHUNK bytes at device address @dma through the
 * card's buffer: in, from the pattern the card holds to the memory; out,
 * from the memory to @kva (at @kdma), hashed into *@hash.  With @bp, the
 * last transfer ends in the handler's biodone().
 */
static int ddt_udma_piece(ddt_state_t *sp, int dir, uint64_t dma, size_t n,
			  uint64_t kdma, caddr_t kva, uint32_t *hash,
			  struct buf *bp)
{
	int rc;

	if (dir == DDT_UDMA_IN)
		return ddt_edu_dma(sp, EDU_DMA_BUF, dma, EDU_DMA_TO_RAM, n, bp);
	rc = ddt_edu_dma(sp, dma, EDU_DMA_BUF, 0, n, NULL);
	if (rc == 0)
		rc = ddt_edu_dma(sp, EDU_DMA_BUF, kdma, EDU_DMA_TO_RAM, n, bp);
	*hash = ddt_fnv(*hash, (unsigned char *)kva, n);
	return rc;
}

/* Move each cookie of the bound @bp, piece by piece (ddt_udma_piece). */
static int ddt_udma_move(ddt_state_t *sp, ddi_dma_handle_t h, struct buf *bp,
			 uint64_t kdma, caddr_t kva, struct ddt_udma *u)
{
	const ddi_dma_cookie_t *c = NULL;
	uint32_t hash = DDT_FNV_INIT;
	size_t o, n;
	int i = 0, rc = 0, last;

	while (rc == 0 && (c = ddi_dma_cookie_iter(h, c)) != NULL) {
		last = i == u->ncookies - 1;
		u->csize[i++] = c->dmac_size;
		for (o = 0; rc == 0 && o < c->dmac_size; o += n) {
			n = c->dmac_size - o < DDT_CHUNK ? c->dmac_size - o :
							   DDT_CHUNK;
			rc = ddt_udma_piece(
				sp, u->dir, c->dmac_laddress + o, n, kdma, kva,
				&hash,
				last && o + n == c->dmac_size ? bp : NULL);
		}
	}
	u->hash = hash;
	return rc;
}

/* Do the cookies of ddi_dma_nextcookie follow those of the iterator? */
static int ddt_cookies_agree(ddi_dma_handle_t h, ddi_dma_cookie_t first,
			     uint_t n)
{
	const ddi_dma_cookie_t *c = ddi_dma_cookie_iter(h, NULL);
	ddi_dma_cookie_t next = first;
	uint_t i;

	for (i = 0; i < n; i++, c = ddi_dma_cookie_iter(h, c)) {
		if (i > 0)
			ddi_dma_nextcookie(h, &next);
		if (c == NULL || c->dmac_laddress != next.dmac_laddress ||
		    c->dmac_size != next.dmac_size)
			return 0;
	}
	return c == NULL;
}

/* DDT_UDMA, with the buf @bp and DMA memory for the card's side. */
static int ddt_udma_buf(ddt_state_t *sp, struct buf *bp, struct ddt_udma *u)
{
	ddi_dma_handle_t h, kh;
	ddi_acc_handle_t acc;
	ddi_dma_cookie_t cookie, kcookie;
	size_t real;
	caddr_t kva;
	uint_t n = 0, kn;
	int rc = 0, i;

	if (ddi_dma_alloc_handle(sp->dip, &ddt_edu32_dma_attr, DDI_DMA_SLEEP,
				 NULL, &kh) != DDI_SUCCESS)
		return ENOMEM;
	if (ddi_dma_mem_alloc(kh, EDU_DMA_BUFSIZE, &ddt_acc_attr,
			      DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL, &kva,
			      &real, &acc) != DDI_SUCCESS) {
		ddi_dma_free_handle(&kh);
		return ENOMEM;
	}
	if (ddi_dma_addr_bind_handle(kh, NULL, kva, EDU_DMA_BUFSIZE,
				     DDI_DMA_RDWR | DDI_DMA_CONSISTENT,
				     DDI_DMA_SLEEP, NULL, &kcookie,
				     &kn) != DDI_DMA_MAPPED) {
		rc = ENOMEM;
		goto free;
	}
	if (ddi_dma_alloc_handle(sp->dip, &ddt_edu32_dma_attr, DDI_DMA_SLEEP,
				 NULL, &h) != DDI_SUCCESS) {
		u->bind_rc = DDI_FAILURE;
		goto out;
	}
	u->bind_rc = ddi_dma_buf_bind_handle(
		h, bp,
		u->dir == DDT_UDMA_OUT || u->dir == DDT_UDMA_LONG ?
			DDI_DMA_WRITE :
			DDI_DMA_READ,
		DDI_DMA_SLEEP, NULL, &cookie, &n);
	if (u->bind_rc == DDI_DMA_MAPPED) {
		u->ncookies = n;
		u->iter_ok = ddt_cookies_agree(h, cookie, n);
		for (i = 0; i < DDT_CHUNK; i++)
			kva[i] = (char)(u->seed + 7 * i);
		if (u->dir == DDT_UDMA_IN)
			rc = ddt_edu_dma(sp, kcookie.dmac_laddress, EDU_DMA_BUF,
					 0, DDT_CHUNK, NULL);
		else
			(void)ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORDEV);
		if (rc == 0 && n <= DDT_MAXCOOKIES)
			rc = ddt_udma_move(sp, h, bp, kcookie.dmac_laddress,
					   kva, u);
		u->biowait_rc = rc;
		u->done_flag = (bp->b_flags & B_DONE) != 0;
		(void)ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORCPU);
		u->unbind_rc = ddi_dma_unbind_handle(h);
	}
	ddi_dma_free_handle(&h);
out:
	(void)ddi_dma_unbind_handle(kh);
free:
	ddi_dma_mem_free(&acc);
	ddi_dma_free_handle(&kh);
	return rc == EINTR || rc == ENOMEM ? rc : 0;
}

/* DDT_UDMA: see dditest.h. */
static int ddt_udma(ddt_state_t *sp, dev_t dev, struct ddt_udma *u)
{
	ddi_umem_cookie_t cookie = ddt_slot(sp, u->slot);
	struct buf *bp;
	int rc;

	if (cookie == NULL || u->dir < DDT_UDMA_IN || u->dir > DDT_UDMA_LONG)
		return EINVAL;
	bp = ddi_umem_iosetup(cookie, (off_t)u->off, u->len,
			      u->dir == DDT_UDMA_IN ? B_READ : B_WRITE, dev, 7,
			      NULL, DDI_UMEM_SLEEP);
	u->iosetup_ok = bp != NULL;
	if (bp == NULL)
		return 0;
	u->buf_ok =
		bp->b_bcount == u->len && bp->b_edev == dev &&
		bp->b_blkno == 7 && (bp->b_flags & B_BUSY) &&
		(bp->b_flags & (B_READ | B_WRITE)) ==
			(u->dir == DDT_UDMA_IN ? B_READ : B_WRITE) &&
		bp->b_un.b_addr ==
			(caddr_t)((struct ddi_umem_cookie *)cookie)->cvaddr +
				u->off;
	/* what a careless driver may do to its buf before binding it */
	if (u->dir == DDT_UDMA_FLIP)
		bp->b_flags = (bp->b_flags & ~B_WRITE) | B_READ;
	if (u->dir == DDT_UDMA_LONG)
		bp->b_bcount += PAGESIZE;
	rc = ddt_udma_buf(sp, bp, u);
	freerbuf(bp);
	ddt_buf_calls(cookie, u);
	return rc;
}

static int ddt_ucount(ddt_state_t *sp)
{
	int i, n = 0;

	mutex_enter(&sp->lock);
	for (i = 0; i < DDT_NLOCKS; i++)
		n += sp->locks[i] != NULL;
	mutex_exit(&sp->lock);
	return n;
}

/* The last close: unlock what the processes left locked. */
static int ddt_close(dev_t dev, int flag, int otyp, cred_t *credp)
{
	ddt_state_t *sp = ddt_get(dev);
	ddi_umem_cookie_t cookie;
	int i;

	mutex_enter(&sp->io_lock);
	for (i = 0; i < DDT_NLOCKS; i++) {
		cookie = ddt_take(sp, i);
		if (cookie != NULL)
			ddi_umem_unlock(cookie);
	}
	mutex_exit(&sp->io_lock);
	return 0;
}

/* mmap at offset 0: the exported locked memory (DDT_UEXPORT). */
static int ddt_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		      size_t *maplen, uint_t model)
{
	ddt_state_t *sp = ddt_get(dev);
	int rc = ENXIO;

	mutex_enter(&sp->lock);
	if (sp->export != NULL &&
	    devmap_umem_setup(dhp, sp->dip, NULL, sp->export, off, len,
			      PROT_READ | PROT_WRITE | PROT_USER, 0,
			      NULL) == DDI_SUCCESS)
		rc = 0;
	mutex_exit(&sp->lock);
	*maplen = len;
	return rc;
}

static int ddt_uexport(ddt_state_t *sp, intptr_t slot)
{
	if (slot < 0 || slot >= DDT_NLOCKS)
		return EINVAL;
	mutex_enter(&sp->lock);
	sp->export = sp->locks[slot];
	mutex_exit(&sp->lock);
	return 0;
}

static int ddt_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		     int *rvalp)
{
	ddt_state_t *sp = ddt_get(dev);
	struct ddt_dma d = { 0 };
	struct ddt_values v = { 0 };
	struct ddt_props p = { 0 };
	struct ddt_wait w;
	struct ddt_ulock ul;
	struct ddt_udma ud;
	struct ddt_kmem km;
	caddr_t mem;
	int n, rc;

	switch (cmd) {
	case DDT_VALUES:
		ddt_values(sp, dev, mode, &v);
		return ddi_copyout(&v, (void *)arg, sizeof(v), mode) ? EFAULT :
								       0;
	case DDT_PROPS:
		ddt_props(sp->dip, &p);
		return ddi_copyout(&p, (void *)arg, sizeof(p), mode) ? EFAULT :
								       0;
	case DDT_WAIT:
		if (ddi_copyin((void *)arg, &w, sizeof(w), mode))
			return EFAULT;
		w.ret = ddt_wait(sp, w.ticks);
		if (w.ret == 0)
			return EINTR;
		return ddi_copyout(&w, (void *)arg, sizeof(w), mode) ? EFAULT :
								       0;
	case DDT_DMA:
		mutex_enter(&sp->io_lock);
		rc = ddt_dma(sp, &d);
		mutex_exit(&sp->io_lock);
		if (rc != 0)
			return EINTR;
		return ddi_copyout(&d, (void *)arg, sizeof(d), mode) ? EFAULT :
								       0;
	case DDT_ULOCK:
		if (ddi_copyin((void *)arg, &ul, sizeof(ul), mode))
			return EFAULT;
		rc = ddt_ulock(sp, &ul);
		if (rc == 0 && ddi_copyout(&ul, (void *)arg, sizeof(ul), mode))
			return EFAULT;
		return rc;
	case DDT_UUNLOCK:
		mutex_enter(&sp->io_lock);
		rc = ddt_uunlock(sp, arg);
		mutex_exit(&sp->io_lock);
		return rc;
	case DDT_UDMA:
		if (ddi_copyin((void *)arg, &ud, sizeof(ud), mode))
			return EFAULT;
		mutex_enter(&sp->io_lock);
		rc = ddt_udma(sp, dev, &ud);
		mutex_exit(&sp->io_lock);
		if (rc == 0 && ddi_copyout(&ud, (void *)arg, sizeof(ud), mode))
			return EFAULT;
		return rc;
	case DDT_UEXPORT:
		return ddt_uexport(sp, arg);
	case DDT_UCOUNT:
		n = ddt_ucount(sp);
		return ddi_copyout(&n, (void *)arg, sizeof(n), mode) ? EFAULT :
								       0;
	case DDT_KMEM:
		if (ddi_copyin((void *)arg, &km, sizeof(km), mode))
			return EFAULT;
		mem = kmem_alloc(km.size, km.nosleep ? KM_NOSLEEP : KM_SLEEP);
		if (mem == NULL)
			return ENOMEM;
		kmem_free(mem, km.size);
		return 0;
	case DDT_WARN:
		cmn_err(CE_WARN, DDT_WARN_MSG " (%ld)", (long)arg);
		return 0;
	case DDT_WAKE:
		mutex_enter(&sp->lock);
		sp->wakes++;
		cv_broadcast(&sp->cv);
		mutex_exit(&sp->lock);
		return 0;
	default:
		return ENOTTY;
	}
}

static struct cb_ops ddt_cb_ops = {
	.cb_open = nulldev,
	.cb_close = ddt_close,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = ddt_read,
	.cb_write = ddt_write,
	.cb_ioctl = ddt_ioctl,
	.cb_devmap = ddt_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nochpoll,
	.cb_prop_op = ddi_prop_op,
	.cb_flag = D_NEW | D_MP | D_HOTPLUG,
	.cb_rev = CB_REV,
};

/*
 * The card's one interrupt, MSI if it has it, with ddt_intr as handler;
 * the lock the handler takes is initialised at the interrupt's priority.
 */
static int ddt_intr_setup(ddt_state_t *sp)
{
	int types, n, actual;
	uint_t pri;

	if (ddi_intr_get_supported_types(sp->dip, &types) != DDI_SUCCESS)
		return DDI_FAILURE;
	sp->intr_type = types & DDI_INTR_TYPE_MSI ? DDI_INTR_TYPE_MSI :
						    DDI_INTR_TYPE_FIXED;
	if (ddi_intr_get_nintrs(sp->dip, sp->intr_type, &n) != DDI_SUCCESS ||
	    ddi_intr_alloc(sp->dip, &sp->intr, sp->intr_type, 0, 1, &actual,
			   DDI_INTR_ALLOC_STRICT) != DDI_SUCCESS)
		return DDI_FAILURE;
	(void)ddi_intr_get_pri(sp->intr, &pri);
	mutex_init(&sp->lock, NULL, MUTEX_DRIVER, DDI_INTR_PRI(pri));
	if (ddi_intr_add_handler(sp->intr, ddt_intr, sp, NULL) != DDI_SUCCESS ||
	    ddi_intr_enable(sp->intr) != DDI_SUCCESS) {
		(void)ddi_intr_remove_handler(sp->intr);
		(void)ddi_intr_free(sp->intr);
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static void ddt_intr_teardown(ddt_state_t *sp)
{
	(void)ddi_intr_disable(sp->intr);
	(void)ddi_intr_remove_handler(sp->intr);
	(void)ddi_intr_free(sp->intr);
}

static int ddt_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	ddt_state_t *sp;

	if (cmd != DDI_ATTACH ||
	    ddi_soft_state_zalloc(ddt_statep, instance) != DDI_SUCCESS)
		return DDI_FAILURE;
	sp = ddi_get_soft_state(ddt_statep, instance);
	sp->dip = dip;
	cv_init(&sp->cv, NULL, CV_DRIVER, NULL);
	mutex_init(&sp->io_lock, NULL, MUTEX_DRIVER, NULL);
	sp->buf = kmem_zalloc(DDT_BUFSIZE, KM_SLEEP);
	if (sp->buf == NULL)
		goto fail;
	if (ddi_regs_map_setup(dip, 1, &sp->regs, 0, EDU_REGSIZE, &ddt_acc_attr,
			       &sp->regs_acc) != DDI_SUCCESS)
		goto fail;
	if (ddt_intr_setup(sp) != DDI_SUCCESS)
		goto fail_regs;
	if (ddi_create_minor_node(dip, "dditest", S_IFCHR, instance, DDI_PSEUDO,
				  0))
		goto fail_intr;
	ddi_report_dev(dip);
	return DDI_SUCCESS;
fail_intr:
	ddt_intr_teardown(sp);
fail_regs:
	ddi_regs_map_free(&sp->regs_acc);
fail:
	mutex_destroy(&sp->io_lock);
	cv_destroy(&sp->cv);
	kmem_free(sp->buf, DDT_BUFSIZE);
	ddi_soft_state_free(ddt_statep, instance);
	return DDI_FAILURE;
}

static int ddt_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	ddt_state_t *sp = ddi_get_soft_state(ddt_statep, instance);

	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddt_intr_teardown(sp);
	ddi_regs_map_free(&sp->regs_acc);
	mutex_destroy(&sp->io_lock);
	cv_destroy(&sp->cv);
	kmem_free(sp->buf, DDT_BUFSIZE);
	ddi_soft_state_free(ddt_statep, instance);
	return DDI_SUCCESS;
}

static struct dev_ops ddt_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_getinfo = ddt_getinfo,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = ddt_attach,
	.devo_detach = ddt_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &ddt_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "general DDI test driver",
				  &ddt_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("dditest", "pci1234,11e8");

int _init(void)
{
	int err = ddi_soft_state_init(&ddt_statep, sizeof(ddt_state_t), 1);

	if (err != 0)
		return err;
	err = mod_install(&modlinkage);
	if (err != 0)
		ddi_soft_state_fini(&ddt_statep);
	return err;
}

int _fini(void)
{
	int err = mod_remove(&modlinkage);

	if (err == 0)
		ddi_soft_state_fini(&ddt_statep);
	return err;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("general DDI in-guest test driver");
