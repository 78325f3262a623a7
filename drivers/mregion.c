// SPDX-License-Identifier: GPL-2.0-only
/*
 * mregion: a multi-region driver for QEMU's ivshmem-plain device.  Its
 * devmap(9E) describes one mapping of three physically discontiguous
 * regions through *maplen iteration: the register page of BAR0 (register
 * set 1) with strict ordering (uncached), a page of ddi_umem_alloc(9F)
 * kernel memory, and the start of the shared-memory BAR2 (register set 2)
 * with DDI_MERGING_OK_ACC (write-combining; the driver maps BAR2 with the
 * same attribute, which reserves the write-combining memory type).  An
 * ioctl revokes the BAR2 part of every mapping with
 * devmap_devmem_remap(9F) to DEVMAP_MAPPING_INVALID (accesses then raise
 * SIGSEGV) and another restores it; both act on every process's
 * mapping, so they are for privileged callers (drv_priv(9F)).  Each BAR2
 * handle, and each piece a partial munmap leaves of one, is tracked in a
 * list of records of its own (no fixed table: a user filling one would
 * deny mmap to everyone else and leave pieces out of a revoke).
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include "mregion.h"

/* A BAR2 handle mapped now, in mrstate.slots. */
struct mr_slot {
	struct mr_slot *next;
	devmap_cookie_t dhp;
	offset_t uoff, roff; /* its user and BAR offsets */
	size_t len;
};

static struct mrstate {
	dev_info_t *dip;
	kmutex_t lock;
	ddi_umem_cookie_t cookie;
	caddr_t shm;
	ddi_acc_handle_t shm_handle;
	struct mr_slot *slots;
} * mr;

static ddi_device_acc_attr_t mr_regs_attr = { DDI_DEVICE_ATTR_V0,
					      DDI_STRUCTURE_LE_ACC,
					      DDI_STRICTORDER_ACC, 0 };
static ddi_device_acc_attr_t mr_shm_attr = { DDI_DEVICE_ATTR_V0,
					     DDI_NEVERSWAP_ACC,
					     DDI_MERGING_OK_ACC, 0 };

/*
 * Remember a BAR2 handle: user offset, BAR offset and length now (lock
 * held).  NULL when memory is short.
 */
static struct mr_slot *mr_track(devmap_cookie_t dhp, offset_t uoff,
				offset_t roff, size_t len)
{
	struct mr_slot *s = kmem_zalloc(sizeof(*s), KM_SLEEP);

	if (s != NULL) {
		*s = (struct mr_slot){ mr->slots, dhp, uoff, roff, len };
		mr->slots = s;
	}
	return s;
}

/* Forget @s (lock held). */
static void mr_untrack(struct mr_slot *s)
{
	struct mr_slot **pp = &mr->slots;

	while (*pp != s)
		pp = &(*pp)->next;
	*pp = s->next;
	kmem_free(s, sizeof(*s));
}

static int mr_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		  size_t len, void **pvtp)
{
	if (off != MR_SHM_OFF)
		return 0;
	mutex_enter(&mr->lock);
	*pvtp = mr_track(dhp, off, 0, len);
	mutex_exit(&mr->lock);
	return *pvtp ? 0 : ENOMEM;
}

/* A fork child's BAR2 handle must be revocable too: its own record. */
static int mr_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		  void **new_pvtp)
{
	struct mr_slot *s = pvtp;

	if (s == NULL)
		return 0;
	mutex_enter(&mr->lock);
	*new_pvtp = mr_track(new_dhp, s->uoff, s->roff, s->len);
	mutex_exit(&mr->lock);
	return *new_pvtp ? 0 : ENOMEM;
}

/*
 * Follow a BAR2 handle through munmap so a later revoke or restore
 * covers exactly what is still mapped: whole, head, tail or hole (the
 * part above a hole is a new handle with a record of its own; without
 * memory for one it is left out of revoke, with a warning).
 */
static void mr_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     devmap_cookie_t new_dhp1, void **new_pvtp1,
		     devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct mr_slot *s = pvtp, *hi;
	offset_t end = off + (offset_t)len;

	if (s == NULL)
		return;
	mutex_enter(&mr->lock);
	if (new_dhp2 && new_dhp2 != dhp) { /* hole */
		hi = mr_track(new_dhp2, end, s->roff + (end - s->uoff),
			      (size_t)(s->uoff + (offset_t)s->len - end));
		if (hi == NULL)
			cmn_err(CE_WARN,
				"mregion: no memory to track a "
				"split mapping: it stays out of revoke");
		*new_pvtp2 = hi;
	}
	if (new_dhp1 == NULL && new_dhp2 == NULL) { /* whole */
		mr_untrack(s);
	} else if (new_dhp2 == dhp) { /* head */
		s->uoff += (offset_t)len;
		s->roff += (offset_t)len;
		s->len -= len;
	} else { /* tail or the low part of a hole */
		s->len = (size_t)(off - s->uoff);
	}
	mutex_exit(&mr->lock);
}

static struct devmap_callback_ctl mr_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = mr_map,
	.devmap_dup = mr_dup,
	.devmap_unmap = mr_unmap,
};

static int mr_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	uint_t prot = PROT_READ | PROT_WRITE | PROT_USER;
	int err;

	switch (off) {
	case MR_REGS_OFF:
		err = devmap_devmem_setup(dhp, mr->dip, &mr_callbacks, 1, 0,
					  MR_PAGE, prot, 0, &mr_regs_attr);
		*maplen = MR_PAGE;
		break;
	case MR_KMEM_OFF:
		err = devmap_umem_setup(dhp, mr->dip, &mr_callbacks, mr->cookie,
					0, MR_PAGE, prot, 0, NULL);
		*maplen = MR_PAGE;
		break;
	case MR_SHM_OFF:
		err = devmap_devmem_setup(dhp, mr->dip, &mr_callbacks, 2, 0,
					  MR_SHM_LEN, prot, DEVMAP_ALLOW_REMAP,
					  &mr_shm_attr);
		*maplen = MR_SHM_LEN;
		break;
	default:
		return ENXIO;
	}
	return err == DDI_SUCCESS && len >= *maplen ? 0 : ENXIO;
}

static int mr_remap_all(bool revoke)
{
	int err = 0;

	mutex_enter(&mr->lock);
	for (struct mr_slot *s = mr->slots; s != NULL; s = s->next) {
		if (devmap_devmem_remap(s->dhp, mr->dip, 2, s->roff, s->len,
					PROT_READ | PROT_WRITE | PROT_USER,
					revoke ? DEVMAP_MAPPING_INVALID : 0,
					&mr_shm_attr) != DDI_SUCCESS)
			err = EIO;
	}
	mutex_exit(&mr->lock);
	return err;
}

static int mr_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	/* every process's mapping of the BAR: never at an unprivileged
	 * caller's word */
	if ((cmd == MR_REVOKE || cmd == MR_RESTORE) && drv_priv(credp) != 0)
		return EPERM;
	switch (cmd) {
	case MR_REVOKE:
		return mr_remap_all(true);
	case MR_RESTORE:
		return mr_remap_all(false);
	default:
		return ENOTTY;
	}
}

static struct cb_ops mr_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = mr_ioctl,
	.cb_devmap = mr_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int mr_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH || mr != NULL)
		return DDI_FAILURE;
	mr = kmem_zalloc(sizeof(*mr), KM_SLEEP);
	if (mr == NULL)
		return DDI_FAILURE;
	mr->dip = dip;
	mutex_init(&mr->lock, NULL, MUTEX_DRIVER, NULL);
	if (ddi_umem_alloc(MR_PAGE, DDI_UMEM_SLEEP, &mr->cookie) == NULL ||
	    ddi_regs_map_setup(dip, 2, &mr->shm, 0, MR_SHM_LEN, &mr_shm_attr,
			       &mr->shm_handle) != DDI_SUCCESS ||
	    ddi_create_minor_node(dip, "mregion", S_IFCHR,
				  ddi_get_instance(dip), DDI_PSEUDO,
				  0) != DDI_SUCCESS) {
		cmn_err(CE_WARN, "mregion: attach failed");
		if (mr->shm_handle)
			ddi_regs_map_free(&mr->shm_handle);
		ddi_umem_free(mr->cookie);
		mutex_destroy(&mr->lock);
		kmem_free(mr, sizeof(*mr));
		mr = NULL;
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static int mr_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_regs_map_free(&mr->shm_handle);
	ddi_umem_free(mr->cookie);
	mutex_destroy(&mr->lock);
	kmem_free(mr, sizeof(*mr));
	mr = NULL;
	return DDI_SUCCESS;
}

static struct dev_ops mr_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = mr_attach,
	.devo_detach = mr_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &mr_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "mregion: ivshmem regions",
				  &mr_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("mregion", "pci1af4,1110");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mregion: devmap multi-region example on ivshmem-plain");
