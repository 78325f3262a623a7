// SPDX-License-Identifier: GPL-2.0-only
/*
 * dditest: a Solaris-style driver for the in-guest tests of the general
 * DDI (not devmap) the shim gives drivers, written as an illumos driver is,
 * with no Linux header.  It binds to QEMU's edu card and exercises, for
 * dditest_user: read(9E)/write(9E) with uiomove(9F) on a buffer,
 * properties of the PCI node, cv_reltimedwait_sig(9F), ddi_get_pid(9F),
 * the time and page macros, ASSERT/VERIFY, getinfo(9E) with (dev_t)arg,
 * pfn_t, FMODELS, nochpoll and ddi_prop_op as entry points.  Built
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
#include "dditest.h"

typedef struct ddt_state {
	dev_info_t *dip;
	kmutex_t lock;
	kcondvar_t cv;
	uint_t wakes; /* DDT_WAKE calls */
	char *buf; /* DDT_BUFSIZE bytes */
} ddt_state_t;

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

static int ddt_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		     int *rvalp)
{
	ddt_state_t *sp = ddt_get(dev);
	struct ddt_values v = { 0 };
	struct ddt_props p = { 0 };
	struct ddt_wait w;

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
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = ddt_read,
	.cb_write = ddt_write,
	.cb_ioctl = ddt_ioctl,
	.cb_devmap = nodev,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nochpoll,
	.cb_prop_op = ddi_prop_op,
	.cb_flag = D_NEW | D_MP | D_HOTPLUG,
	.cb_rev = CB_REV,
};

static int ddt_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	ddt_state_t *sp;

	if (cmd != DDI_ATTACH ||
	    ddi_soft_state_zalloc(ddt_statep, instance) != DDI_SUCCESS)
		return DDI_FAILURE;
	sp = ddi_get_soft_state(ddt_statep, instance);
	sp->dip = dip;
	mutex_init(&sp->lock, NULL, MUTEX_DRIVER, NULL);
	cv_init(&sp->cv, NULL, CV_DRIVER, NULL);
	sp->buf = kmem_zalloc(DDT_BUFSIZE, KM_SLEEP);
	if (sp->buf == NULL || ddi_create_minor_node(dip, "dditest", S_IFCHR,
						     instance, DDI_PSEUDO, 0)) {
		kmem_free(sp->buf, DDT_BUFSIZE);
		ddi_soft_state_free(ddt_statep, instance);
		return DDI_FAILURE;
	}
	ddi_report_dev(dip);
	return DDI_SUCCESS;
}

static int ddt_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	ddt_state_t *sp = ddi_get_soft_state(ddt_statep, instance);

	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
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
