// SPDX-License-Identifier: GPL-2.0-only
/*
 * memexp: a port-style driver exporting kernel memory to processes, in
 * the manner of illumos' xsvc, on QEMU's edu card; written against the
 * Solaris DDI alone (no Linux header).  It owns, per instance, ME_SIZE
 * bytes of ddi_umem_alloc(9F) memory that devmap(9E) exports with
 * devmap_umem_setup(9F) (no devmap_access: MAP_PRIVATE is refused), a
 * count of the mapping handles kept by devmap_map(9E), devmap_dup(9E) and
 * devmap_unmap(9E) (a partial unmap may leave two), and the card's DMA
 * engine, which ME_DMA drives to carry bytes of the exported memory
 * through the card's buffer and back into it.
 *
 * The engine reaches the exported memory through a DMA buffer of
 * ddi_dma_mem_alloc(9F) bound once at attach (the card reaches 28 bits):
 * the shim's ddi_dma_addr_bind_handle binds only physically contiguous
 * kernel memory, in one cookie, which ddi_umem_alloc memory is not, and
 * its ddi_dma_buf_bind_handle only bufs of ddi_umem_lock'd user memory
 * (docs/drivers.md, section 8), so the exported pages are copied to and
 * from that buffer with bcopy(9F) around ddi_dma_sync(9F), as a Solaris
 * driver does for a device that cannot reach the memory it serves.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/stat.h>
#include <sys/debug.h>
#include <sys/sysmacros.h>
#include <sys/systm.h>
#include <sys/ksynch.h>
#include <sys/kmem.h>
#include <sys/cmn_err.h>
#include <sys/conf.h>
#include <sys/modctl.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include "memexp.h"
#include "edu.h"

#define ME_DMA_WAIT_MS 2000 /* a transfer takes 100 ms of QEMU's clock */

typedef struct me_state {
	dev_info_t *me_dip;
	kmutex_t me_lock; /* the card and the counts */
	ddi_umem_cookie_t me_cookie;
	caddr_t me_kva; /* the exported memory */
	caddr_t me_regs;
	ddi_acc_handle_t me_regs_acc;
	ddi_dma_handle_t me_dmah;
	ddi_acc_handle_t me_buf_acc;
	caddr_t me_buf; /* DMA buffer: 2 * ME_XFER, out then back */
	uint64_t me_buf_dma; /* its bus address */
	uint_t me_handles;
	uint_t me_dmas;
} me_state_t;

static ddi_device_acc_attr_t me_acc_attr = { DDI_DEVICE_ATTR_V0,
					     DDI_STRUCTURE_LE_ACC,
					     DDI_STRICTORDER_ACC,
					     DDI_DEFAULT_ACC };

static ddi_dma_attr_t me_dma_attr = {
	.dma_attr_version = DMA_ATTR_V0,
	.dma_attr_addr_lo = 0,
	.dma_attr_addr_hi = EDU_DMA_ADDR_HI,
	.dma_attr_count_max = 2 * ME_XFER - 1,
	.dma_attr_align = PAGESIZE,
	.dma_attr_burstsizes = 1,
	.dma_attr_minxfer = 1,
	.dma_attr_maxxfer = 2 * ME_XFER,
	.dma_attr_seg = EDU_DMA_ADDR_HI,
	.dma_attr_sgllen = 1,
	.dma_attr_granular = 1,
	.dma_attr_flags = 0,
};

static void *me_statep;

static me_state_t *me_get(dev_t dev)
{
	return ddi_get_soft_state(me_statep, getminor(dev));
}

static int me_getinfo(dev_info_t *dip, ddi_info_cmd_t cmd, void *arg,
		      void **resultp)
{
	dev_t dev = (dev_t)arg;
	me_state_t *sp = me_get(dev);

	switch (cmd) {
	case DDI_INFO_DEVT2DEVINFO:
		if (sp == NULL)
			return DDI_FAILURE;
		*resultp = sp->me_dip;
		return DDI_SUCCESS;
	case DDI_INFO_DEVT2INSTANCE:
		*resultp = (void *)(uintptr_t)getminor(dev);
		return DDI_SUCCESS;
	default:
		return DDI_FAILURE;
	}
}

static uint64_t *me_reg(me_state_t *sp, int off)
{
	return (uint64_t *)(sp->me_regs + off);
}

/* One transfer of the card's engine, polled; EIO if it never ends. */
static int me_edu_dma(me_state_t *sp, uint64_t src, uint64_t dst, size_t len,
		      uint64_t cmd)
{
	clock_t left = drv_usectohz(ME_DMA_WAIT_MS * 1000);
	clock_t tick = drv_usectohz(10000);

	ASSERT(MUTEX_HELD(&sp->me_lock));
	ddi_put64(sp->me_regs_acc, me_reg(sp, EDU_DMA_SRC), src);
	ddi_put64(sp->me_regs_acc, me_reg(sp, EDU_DMA_DST), dst);
	ddi_put64(sp->me_regs_acc, me_reg(sp, EDU_DMA_CNT), len);
	ddi_put64(sp->me_regs_acc, me_reg(sp, EDU_DMA_CMD),
		  cmd | EDU_DMA_START);
	while (ddi_get64(sp->me_regs_acc, me_reg(sp, EDU_DMA_CMD)) &
	       EDU_DMA_START) {
		if (left <= 0) {
			cmn_err(CE_WARN, "memexp: the card's DMA hung");
			return EIO;
		}
		delay(tick);
		left -= tick;
	}
	sp->me_dmas++;
	return 0;
}

/*
 * ME_DMA: the exported bytes at src go to the DMA buffer's first half,
 * the card takes them into its buffer and writes them back into the
 * second half, which is copied to dst.  The second half is cleared first,
 * so what lands at dst came back from the card.
 */
static int me_dma(me_state_t *sp, const memexp_ioc_t *mi)
{
	int err;

	if (mi->me_len == 0 || mi->me_len > ME_XFER ||
	    mi->me_src > ME_SIZE - mi->me_len ||
	    mi->me_dst > ME_SIZE - mi->me_len)
		return EINVAL;
	mutex_enter(&sp->me_lock);
	bcopy(sp->me_kva + mi->me_src, sp->me_buf, mi->me_len);
	bzero(sp->me_buf + ME_XFER, ME_XFER);
	(void)ddi_dma_sync(sp->me_dmah, 0, 2 * ME_XFER, DDI_DMA_SYNC_FORDEV);
	err = me_edu_dma(sp, sp->me_buf_dma, EDU_DMA_BUF, mi->me_len, 0);
	if (err == 0)
		err = me_edu_dma(sp, EDU_DMA_BUF, sp->me_buf_dma + ME_XFER,
				 mi->me_len, EDU_DMA_TO_RAM);
	(void)ddi_dma_sync(sp->me_dmah, ME_XFER, ME_XFER, DDI_DMA_SYNC_FORCPU);
	if (err == 0)
		bcopy(sp->me_buf + ME_XFER, sp->me_kva + mi->me_dst,
		      mi->me_len);
	mutex_exit(&sp->me_lock);
	return err;
}

static int me_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	me_state_t *sp = me_get(dev);
	memexp_ioc_t mi;

	if (ddi_copyin((void *)arg, &mi, sizeof(mi), mode) != 0)
		return EFAULT;
	switch (cmd) {
	case ME_DMA:
		return me_dma(sp, &mi);
	case ME_INFO:
		mutex_enter(&sp->me_lock);
		mi.me_handles = sp->me_handles;
		mi.me_dmas = sp->me_dmas;
		mutex_exit(&sp->me_lock);
		mi.me_size = ME_SIZE;
		if (ddi_copyout(&mi, (void *)arg, sizeof(mi), mode) != 0)
			return EFAULT;
		return 0;
	default:
		return ENOTTY;
	}
}

/* The private data of every handle is the instance's state. */
static int me_devmap_map(devmap_cookie_t dhp, dev_t dev, uint_t flags,
			 offset_t off, size_t len, void **pvtp)
{
	me_state_t *sp = me_get(dev);

	mutex_enter(&sp->me_lock);
	sp->me_handles++;
	mutex_exit(&sp->me_lock);
	*pvtp = sp;
	return 0;
}

static int me_devmap_dup(devmap_cookie_t dhp, void *pvtp,
			 devmap_cookie_t new_dhp, void **new_pvtp)
{
	me_state_t *sp = pvtp;

	mutex_enter(&sp->me_lock);
	sp->me_handles++;
	mutex_exit(&sp->me_lock);
	*new_pvtp = sp;
	return 0;
}

/*
 * [off, off + len) of the handle goes; new_dhp1 and new_dhp2 are what
 * is left below and above it (a hole leaves both), each keeping the
 * handle's private data.
 */
static void me_devmap_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off,
			    size_t len, devmap_cookie_t new_dhp1,
			    void **new_pvtp1, devmap_cookie_t new_dhp2,
			    void **new_pvtp2)
{
	me_state_t *sp = pvtp;

	mutex_enter(&sp->me_lock);
	ASSERT(sp->me_handles > 0);
	sp->me_handles--;
	if (new_dhp1 != NULL) {
		*new_pvtp1 = sp;
		sp->me_handles++;
	}
	if (new_dhp2 != NULL) {
		*new_pvtp2 = sp;
		sp->me_handles++;
	}
	mutex_exit(&sp->me_lock);
}

static struct devmap_callback_ctl me_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = me_devmap_map,
	.devmap_access = NULL,
	.devmap_dup = me_devmap_dup,
	.devmap_unmap = me_devmap_unmap,
};

static int me_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	me_state_t *sp = me_get(dev);

	if (off < 0 || off >= ME_SIZE || len > ME_SIZE - off)
		return ENXIO;
	if (devmap_umem_setup(dhp, sp->me_dip, &me_callbacks, sp->me_cookie,
			      off, len, PROT_READ | PROT_WRITE | PROT_USER, 0,
			      NULL) != DDI_SUCCESS)
		return ENXIO;
	*maplen = P2ROUNDUP(len, PAGESIZE);
	return 0;
}

static struct cb_ops me_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = me_ioctl,
	.cb_devmap = me_devmap,
	.cb_mmap = nodev,
	.cb_segmap = ddi_devmap_segmap,
	.cb_chpoll = nochpoll,
	.cb_prop_op = ddi_prop_op,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

/* The DMA buffer, allocated within the card's reach and bound. */
static int me_dma_setup(me_state_t *sp)
{
	ddi_dma_cookie_t cookie;
	size_t real;
	uint_t n;

	if (ddi_dma_alloc_handle(sp->me_dip, &me_dma_attr, DDI_DMA_SLEEP, NULL,
				 &sp->me_dmah) != DDI_SUCCESS)
		return DDI_FAILURE;
	if (ddi_dma_mem_alloc(sp->me_dmah, 2 * ME_XFER, &me_acc_attr,
			      DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL,
			      &sp->me_buf, &real,
			      &sp->me_buf_acc) != DDI_SUCCESS)
		goto fail_handle;
	if (ddi_dma_addr_bind_handle(sp->me_dmah, NULL, sp->me_buf, 2 * ME_XFER,
				     DDI_DMA_RDWR | DDI_DMA_CONSISTENT,
				     DDI_DMA_SLEEP, NULL, &cookie,
				     &n) != DDI_DMA_MAPPED)
		goto fail_mem;
	ASSERT(n == 1);
	sp->me_buf_dma = cookie.dmac_laddress;
	return DDI_SUCCESS;
fail_mem:
	ddi_dma_mem_free(&sp->me_buf_acc);
fail_handle:
	ddi_dma_free_handle(&sp->me_dmah);
	return DDI_FAILURE;
}

static void me_dma_teardown(me_state_t *sp)
{
	(void)ddi_dma_unbind_handle(sp->me_dmah);
	ddi_dma_mem_free(&sp->me_buf_acc);
	ddi_dma_free_handle(&sp->me_dmah);
}

static int me_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	me_state_t *sp;

	if (cmd != DDI_ATTACH ||
	    ddi_soft_state_zalloc(me_statep, instance) != DDI_SUCCESS)
		return DDI_FAILURE;
	sp = ddi_get_soft_state(me_statep, instance);
	sp->me_dip = dip;
	mutex_init(&sp->me_lock, NULL, MUTEX_DRIVER, NULL);
	sp->me_kva = ddi_umem_alloc(ME_SIZE, DDI_UMEM_SLEEP, &sp->me_cookie);
	if (sp->me_kva == NULL)
		goto fail;
	if (ddi_regs_map_setup(dip, 1, &sp->me_regs, 0, EDU_REGSIZE,
			       &me_acc_attr, &sp->me_regs_acc) != DDI_SUCCESS)
		goto fail_umem;
	if (me_dma_setup(sp) != DDI_SUCCESS)
		goto fail_regs;
	if (ddi_create_minor_node(dip, "memexp", S_IFCHR, instance, DDI_PSEUDO,
				  0) != DDI_SUCCESS)
		goto fail_dma;
	ddi_report_dev(dip);
	return DDI_SUCCESS;
fail_dma:
	me_dma_teardown(sp);
fail_regs:
	ddi_regs_map_free(&sp->me_regs_acc);
fail_umem:
	ddi_umem_free(sp->me_cookie);
fail:
	cmn_err(CE_WARN, "memexp%d: attach failed", instance);
	mutex_destroy(&sp->me_lock);
	ddi_soft_state_free(me_statep, instance);
	return DDI_FAILURE;
}

static int me_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	me_state_t *sp = ddi_get_soft_state(me_statep, instance);

	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ASSERT(sp->me_handles == 0); /* the framework waits for munmap */
	ddi_remove_minor_node(dip, NULL);
	me_dma_teardown(sp);
	ddi_regs_map_free(&sp->me_regs_acc);
	ddi_umem_free(sp->me_cookie);
	mutex_destroy(&sp->me_lock);
	ddi_soft_state_free(me_statep, instance);
	return DDI_SUCCESS;
}

static struct dev_ops me_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_getinfo = me_getinfo,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = me_attach,
	.devo_detach = me_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &me_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops,
				  "exported DMA memory (port example)",
				  &me_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("memexp", "pci1234,11e8");

int _init(void)
{
	int err = ddi_soft_state_init(&me_statep, sizeof(me_state_t), 1);

	if (err != 0)
		return err;
	err = mod_install(&modlinkage);
	if (err != 0)
		ddi_soft_state_fini(&me_statep);
	return err;
}

int _info(struct modinfo *modinfop)
{
	return mod_info(&modlinkage, modinfop);
}

int _fini(void)
{
	int err = mod_remove(&modlinkage);

	if (err == 0)
		ddi_soft_state_fini(&me_statep);
	return err;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memexp: exported memory, a port-style devmap driver");
