// SPDX-License-Identifier: GPL-2.0-only
/*
 * lockpg: a port-style pseudo driver giving processes lock pages, in the
 * manner of illumos' winlock: written against the Solaris DDI alone (no
 * Linux header), as a driver ported from illumos looks.  It owns the
 * clients (one clone minor per open), the pages (ddi_umem_alloc(9F)
 * memory, each named by a key that is its mmap offset) and their
 * reference counts: the owning client's until LP_FREE or its close(9E),
 * and one per mapping, counted by devmap_map(9E), devmap_dup(9E) (fork)
 * and devmap_unmap(9E); a page goes when the last of them does.
 * segmap(9E) refuses anything but MAP_SHARED, devmap(9E) picks the page
 * by offset (one page per handle), and LP_WAIT/LP_WAKE let a process
 * sleep (cv_wait_sig(9F)) until the page's lock word changes.
 */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/open.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/debug.h>
#include <sys/sysmacros.h>
#include <sys/ksynch.h>
#include <sys/kmem.h>
#include <sys/cmn_err.h>
#include <sys/conf.h>
#include <sys/modctl.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include "lockpg.h"

typedef struct lp_page {
	struct lp_page *lp_next;
	offset_t lp_key;
	minor_t lp_owner; /* the owning client, 0 once given up */
	pid_t lp_pid; /* the process that allocated it */
	ddi_umem_cookie_t lp_cookie;
	uint32_t *lp_word; /* the lock word, word 0 of the page */
	uint_t lp_maps; /* mapping handles */
	uint_t lp_waiters; /* LP_WAITs sleeping on it */
} lp_page_t;

typedef struct lp_state {
	dev_info_t *lp_dip;
	kmutex_t lp_lock; /* everything below */
	kcondvar_t lp_cv; /* LP_WAKE */
	lp_page_t *lp_pages;
	uint_t lp_npages;
	offset_t lp_nextkey;
	pid_t lp_clients[LP_MAXCLIENTS]; /* by minor; 0: free */
} lp_state_t;

static void *lp_statep;

static lp_state_t *lp_get(void)
{
	return ddi_get_soft_state(lp_statep, 0);
}

static lp_page_t *lp_lookup(lp_state_t *sp, offset_t key)
{
	lp_page_t *pg;

	ASSERT(MUTEX_HELD(&sp->lp_lock));
	for (pg = sp->lp_pages; pg != NULL; pg = pg->lp_next)
		if (pg->lp_key == key && pg->lp_owner != 0)
			return pg;
	return NULL;
}

/* Free @pg if nothing holds it any more. */
static void lp_page_rele(lp_state_t *sp, lp_page_t *pg)
{
	lp_page_t **pp;

	ASSERT(MUTEX_HELD(&sp->lp_lock));
	if (pg->lp_owner != 0 || pg->lp_maps != 0 || pg->lp_waiters != 0)
		return;
	for (pp = &sp->lp_pages; *pp != pg; pp = &(*pp)->lp_next)
		ASSERT(*pp != NULL);
	*pp = pg->lp_next;
	sp->lp_npages--;
	ddi_umem_free(pg->lp_cookie);
	kmem_free(pg, sizeof(*pg));
}

static int lp_getinfo(dev_info_t *dip, ddi_info_cmd_t cmd, void *arg,
		      void **resultp)
{
	lp_state_t *sp = lp_get();

	switch (cmd) {
	case DDI_INFO_DEVT2DEVINFO:
		if (sp == NULL)
			return DDI_FAILURE;
		*resultp = sp->lp_dip;
		return DDI_SUCCESS;
	case DDI_INFO_DEVT2INSTANCE:
		*resultp = NULL; /* every minor is instance 0's */
		return DDI_SUCCESS;
	default:
		return DDI_FAILURE;
	}
}

/* Each open becomes a client of its own: a clone minor. */
static int lp_open(dev_t *devp, int flag, int otyp, cred_t *credp)
{
	lp_state_t *sp = lp_get();
	minor_t m;

	if (otyp != OTYP_CHR || getminor(*devp) != 0)
		return EINVAL;
	mutex_enter(&sp->lp_lock);
	for (m = 1; m < LP_MAXCLIENTS && sp->lp_clients[m] != 0; m++)
		;
	if (m == LP_MAXCLIENTS) {
		mutex_exit(&sp->lp_lock);
		return EAGAIN;
	}
	sp->lp_clients[m] = ddi_get_pid();
	mutex_exit(&sp->lp_lock);
	*devp = makedevice(getmajor(*devp), m);
	return 0;
}

/* The client's last close: it gives up every page it owns. */
static int lp_close(dev_t dev, int flag, int otyp, cred_t *credp)
{
	lp_state_t *sp = lp_get();
	minor_t m = getminor(dev);
	lp_page_t *pg, *next;

	mutex_enter(&sp->lp_lock);
	for (pg = sp->lp_pages; pg != NULL; pg = next) {
		next = pg->lp_next;
		if (pg->lp_owner == m) {
			pg->lp_owner = 0;
			lp_page_rele(sp, pg);
		}
	}
	sp->lp_clients[m] = 0;
	cv_broadcast(&sp->lp_cv); /* LP_WAITs on its pages end */
	mutex_exit(&sp->lp_lock);
	return 0;
}

static int lp_alloc(lp_state_t *sp, minor_t m, lockpg_ioc_t *li)
{
	lp_page_t *pg, *p;
	uint_t owned = 0;

	pg = kmem_zalloc(sizeof(*pg), KM_SLEEP);
	if (pg == NULL)
		return ENOMEM;
	pg->lp_word = ddi_umem_alloc(PAGESIZE, DDI_UMEM_SLEEP, &pg->lp_cookie);
	if (pg->lp_word == NULL) {
		kmem_free(pg, sizeof(*pg));
		return ENOMEM;
	}
	mutex_enter(&sp->lp_lock);
	for (p = sp->lp_pages; p != NULL; p = p->lp_next)
		owned += p->lp_owner == m;
	if (owned >= LP_MAXPAGES) {
		mutex_exit(&sp->lp_lock);
		ddi_umem_free(pg->lp_cookie);
		kmem_free(pg, sizeof(*pg));
		return EAGAIN;
	}
	pg->lp_key = sp->lp_nextkey;
	sp->lp_nextkey += PAGESIZE;
	pg->lp_owner = m;
	pg->lp_pid = ddi_get_pid();
	pg->lp_next = sp->lp_pages;
	sp->lp_pages = pg;
	sp->lp_npages++;
	li->li_key = pg->lp_key;
	mutex_exit(&sp->lp_lock);
	return 0;
}

static int lp_free(lp_state_t *sp, minor_t m, lockpg_ioc_t *li)
{
	lp_page_t *pg;
	int err = 0;

	mutex_enter(&sp->lp_lock);
	pg = lp_lookup(sp, li->li_key);
	if (pg == NULL) {
		err = ENXIO;
	} else if (pg->lp_owner != m) {
		err = EACCES;
	} else {
		pg->lp_owner = 0;
		cv_broadcast(&sp->lp_cv); /* its LP_WAITs end */
		lp_page_rele(sp, pg);
	}
	mutex_exit(&sp->lp_lock);
	return err;
}

static int lp_query(lp_state_t *sp, lockpg_ioc_t *li)
{
	lp_page_t *pg;
	int err = 0;

	mutex_enter(&sp->lp_lock);
	li->li_pages = sp->lp_npages;
	if (li->li_key != -1) {
		pg = lp_lookup(sp, li->li_key);
		if (pg == NULL) {
			err = ENXIO;
		} else {
			li->li_pid = pg->lp_pid;
			li->li_maps = pg->lp_maps;
		}
	}
	mutex_exit(&sp->lp_lock);
	return err;
}

/* Sleep while the page's lock word holds li_value (ENXIO: given up). */
static int lp_wait(lp_state_t *sp, lockpg_ioc_t *li)
{
	lp_page_t *pg;
	int err = 0;

	mutex_enter(&sp->lp_lock);
	pg = lp_lookup(sp, li->li_key);
	if (pg == NULL) {
		mutex_exit(&sp->lp_lock);
		return ENXIO;
	}
	pg->lp_waiters++;
	while (*(volatile uint32_t *)pg->lp_word == li->li_value && err == 0)
		if (cv_wait_sig(&sp->lp_cv, &sp->lp_lock) == 0)
			err = EINTR;
		else if (pg->lp_owner == 0)
			err = ENXIO;
	pg->lp_waiters--;
	lp_page_rele(sp, pg);
	mutex_exit(&sp->lp_lock);
	return err;
}

static int lp_wake(lp_state_t *sp, lockpg_ioc_t *li)
{
	int err = 0;

	mutex_enter(&sp->lp_lock);
	if (lp_lookup(sp, li->li_key) == NULL)
		err = ENXIO;
	else
		cv_broadcast(&sp->lp_cv);
	mutex_exit(&sp->lp_lock);
	return err;
}

static int lp_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	lp_state_t *sp = lp_get();
	minor_t m = getminor(dev);
	lockpg_ioc_t li;
	int err;

	if (ddi_copyin((void *)arg, &li, sizeof(li), mode) != 0)
		return EFAULT;
	switch (cmd) {
	case LP_ALLOC:
		err = lp_alloc(sp, m, &li);
		break;
	case LP_FREE:
		return lp_free(sp, m, &li);
	case LP_QUERY:
		err = lp_query(sp, &li);
		break;
	case LP_WAIT:
		return lp_wait(sp, &li);
	case LP_WAKE:
		return lp_wake(sp, &li);
	default:
		return ENOTTY;
	}
	if (err == 0 && ddi_copyout(&li, (void *)arg, sizeof(li), mode) != 0)
		err = EFAULT;
	return err;
}

/* Every handle is one page: it is never split, only unmapped whole. */
static int lp_devmap_map(devmap_cookie_t dhp, dev_t dev, uint_t flags,
			 offset_t off, size_t len, void **pvtp)
{
	lp_state_t *sp = lp_get();
	lp_page_t *pg;

	ASSERT(len == PAGESIZE);
	mutex_enter(&sp->lp_lock);
	pg = lp_lookup(sp, off); /* LP_FREE may have come since devmap */
	if (pg != NULL)
		pg->lp_maps++;
	mutex_exit(&sp->lp_lock);
	*pvtp = pg;
	return pg != NULL ? 0 : ENXIO;
}

static int lp_devmap_dup(devmap_cookie_t dhp, void *pvtp,
			 devmap_cookie_t new_dhp, void **new_pvtp)
{
	lp_state_t *sp = lp_get();
	lp_page_t *pg = pvtp;

	mutex_enter(&sp->lp_lock);
	pg->lp_maps++;
	mutex_exit(&sp->lp_lock);
	*new_pvtp = pg;
	return 0;
}

static void lp_devmap_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off,
			    size_t len, devmap_cookie_t new_dhp1,
			    void **new_pvtp1, devmap_cookie_t new_dhp2,
			    void **new_pvtp2)
{
	lp_state_t *sp = lp_get();
	lp_page_t *pg = pvtp;

	ASSERT(new_dhp1 == NULL && new_dhp2 == NULL);
	mutex_enter(&sp->lp_lock);
	ASSERT(pg->lp_maps > 0);
	pg->lp_maps--;
	lp_page_rele(sp, pg);
	mutex_exit(&sp->lp_lock);
}

static struct devmap_callback_ctl lp_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = lp_devmap_map,
	.devmap_access = NULL,
	.devmap_dup = lp_devmap_dup,
	.devmap_unmap = lp_devmap_unmap,
};

/* One page per call, chosen by the offset: a mapping may span pages. */
static int lp_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	lp_state_t *sp = lp_get();
	lp_page_t *pg;
	int err = ENXIO;

	mutex_enter(&sp->lp_lock);
	pg = lp_lookup(sp, off);
	if (pg != NULL &&
	    devmap_umem_setup(dhp, sp->lp_dip, &lp_callbacks, pg->lp_cookie, 0,
			      PAGESIZE, PROT_READ | PROT_WRITE | PROT_USER, 0,
			      NULL) == DDI_SUCCESS) {
		*maplen = PAGESIZE;
		err = 0;
	}
	mutex_exit(&sp->lp_lock);
	return err;
}

/* Lock pages are shared by nature: a private copy would lock nothing. */
static int lp_segmap(dev_t dev, off_t off, struct as *as, caddr_t *addrp,
		     off_t len, uint_t prot, uint_t maxprot, uint_t flags,
		     cred_t *credp)
{
	if ((flags & MAP_TYPE) != MAP_SHARED)
		return EINVAL;
	return devmap_setup(dev, (offset_t)off, as, addrp, (size_t)len, prot,
			    maxprot, flags, credp);
}

static struct cb_ops lp_cb_ops = {
	.cb_open = lp_open,
	.cb_close = lp_close,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = lp_ioctl,
	.cb_devmap = lp_devmap,
	.cb_mmap = nodev,
	.cb_segmap = lp_segmap,
	.cb_chpoll = nochpoll,
	.cb_prop_op = ddi_prop_op,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int lp_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	lp_state_t *sp;

	if (cmd != DDI_ATTACH || instance != 0 ||
	    ddi_soft_state_zalloc(lp_statep, instance) != DDI_SUCCESS)
		return DDI_FAILURE;
	sp = ddi_get_soft_state(lp_statep, instance);
	sp->lp_dip = dip;
	sp->lp_nextkey = PAGESIZE; /* offset 0 is never a page */
	mutex_init(&sp->lp_lock, NULL, MUTEX_DRIVER, NULL);
	cv_init(&sp->lp_cv, NULL, CV_DRIVER, NULL);
	if (ddi_create_minor_node(dip, "lockpg", S_IFCHR, 0, DDI_PSEUDO, 0) !=
	    DDI_SUCCESS) {
		cv_destroy(&sp->lp_cv);
		mutex_destroy(&sp->lp_lock);
		ddi_soft_state_free(lp_statep, instance);
		return DDI_FAILURE;
	}
	ddi_report_dev(dip);
	return DDI_SUCCESS;
}

static int lp_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	lp_state_t *sp = ddi_get_soft_state(lp_statep, instance);

	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	/* no open file and no mapping: every page has gone */
	ASSERT(sp->lp_pages == NULL && sp->lp_npages == 0);
	ddi_remove_minor_node(dip, NULL);
	cv_destroy(&sp->lp_cv);
	mutex_destroy(&sp->lp_lock);
	ddi_soft_state_free(lp_statep, instance);
	return DDI_SUCCESS;
}

static struct dev_ops lp_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_getinfo = lp_getinfo,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = lp_attach,
	.devo_detach = lp_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &lp_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "lock pages (port example)",
				  &lp_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("lockpg");

int _init(void)
{
	int err = ddi_soft_state_init(&lp_statep, sizeof(lp_state_t), 1);

	if (err != 0)
		return err;
	err = mod_install(&modlinkage);
	if (err != 0)
		ddi_soft_state_fini(&lp_statep);
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
		ddi_soft_state_fini(&lp_statep);
	return err;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lockpg: lock pages, a port-style devmap driver");
