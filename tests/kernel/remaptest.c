// SPDX-License-Identifier: GPL-2.0-only
/*
 * remaptest: a Solaris-style pseudo driver for the in-guest tests of
 * devmap_umem_remap(9F) and devmap_devmem_remap(9F): what a driver such as
 * winlock, rsm or hermon does when it moves a live mapping onto other
 * memory, a trash page or nothing.  Each handle a process maps is recorded
 * with its process, its range and its offset in the backing (kept across
 * partial unmaps); RT_REMAP moves every handle of a process, from any
 * process, onto one of the backings of remaptest.h.  No access callback:
 * pages fault in as they are touched.  A fork child's handles are recorded
 * without a process (pid 0) and are never moved.
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/modctl.h>
#include <linux/sched.h>
#include "remaptest.h"
#include "kpresent.h"

#define RT_PROT (PROT_READ | PROT_WRITE | PROT_USER)

/* One handle: device offset @uoff, @len bytes, backing offset @roff. */
struct rt_map {
	struct rt_map *next;
	devmap_cookie_t dhp;
	int pid;
	int region;
	offset_t uoff, roff;
	size_t len;
};

static struct rt_state {
	dev_info_t *dip;
	kmutex_t lock;
	/* by enum rt_to; NULL for RT_TO_INVALID (no memory) and RT_TO_B_RO
	 * (B's) */
	ddi_umem_cookie_t cookie[RT_TO_COUNT];
	struct rt_map *maps; /* every handle mapped now */
	int unmap_delay; /* ms, see RT_UNMAP_DELAY; the next unmap only */
} * rt;

/*
 * A new record (lock held), or NULL without memory.  A list, not a table:
 * a record the stress's pieces and fork children found no room for was a
 * handle RT_REMAP silently missed.
 */
static struct rt_map *rt_map_new(devmap_cookie_t dhp, int pid, int region,
				 offset_t uoff, offset_t roff, size_t len)
{
	struct rt_map *m = kmem_zalloc(sizeof(*m), KM_SLEEP);

	if (m != NULL) {
		*m = (struct rt_map){ rt->maps, dhp,  pid, region,
				      uoff,	roff, len };
		rt->maps = m;
	}
	return m;
}

/* Forget @m (lock held). */
static void rt_map_free(struct rt_map *m)
{
	struct rt_map **pp = &rt->maps;

	while (*pp != m)
		pp = &(*pp)->next;
	*pp = m->next;
	kmem_free(m, sizeof(*m));
}

static int rt_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		  size_t len, void **pvtp)
{
	int region = off >= (offset_t)RT_FIXED_OFF;

	mutex_enter(&rt->lock);
	*pvtp = rt_map_new(dhp, current->tgid, region, off,
			   region ? off - (offset_t)RT_FIXED_OFF : off, len);
	mutex_exit(&rt->lock);
	return *pvtp ? 0 : ENOMEM;
}

static int rt_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		  void **new_pvtp)
{
	struct rt_map *m = pvtp;

	mutex_enter(&rt->lock);
	*new_pvtp = rt_map_new(new_dhp, 0, m->region, m->uoff, m->roff, m->len);
	mutex_exit(&rt->lock);
	return *new_pvtp ? 0 : ENOMEM;
}

/*
 * [off, off + len) of @pvtp's handle goes; what survives before it is
 * @new_dhp1, after it @new_dhp2 (devmap.ko may pass the old handle
 * itself as a survivor).  A survivor without memory for a record is
 * forgotten, with a warning: RT_REMAP does not reach it.
 */
static void rt_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     devmap_cookie_t new_dhp1, void **new_pvtp1,
		     devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct rt_map *m = pvtp, old;
	offset_t end;
	int wait = xchg(&rt->unmap_delay, 0);

	if (!m)
		return; /* a survivor forgotten */
	if (wait > 0)
		delay(drv_usectohz((clock_t)wait * 1000));
	mutex_enter(&rt->lock);
	old = *m;
	end = old.uoff + (offset_t)old.len;
	rt_map_free(m);
	if (new_dhp1)
		*new_pvtp1 = rt_map_new(new_dhp1, old.pid, old.region, old.uoff,
					old.roff, (size_t)(off - old.uoff));
	if (new_dhp2) {
		offset_t start = off + (offset_t)len;

		*new_pvtp2 = rt_map_new(new_dhp2, old.pid, old.region, start,
					old.roff + (start - old.uoff),
					(size_t)(end - start));
	}
	if ((new_dhp1 && !*new_pvtp1) || (new_dhp2 && !*new_pvtp2))
		cmn_err(CE_WARN, "remaptest: no memory to record a survivor: "
				 "RT_REMAP will miss it");
	mutex_exit(&rt->lock);
	if (wait < 0)
		delay(drv_usectohz((clock_t)-wait * 1000));
}

static struct devmap_callback_ctl rt_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = rt_map,
	.devmap_dup = rt_dup,
	.devmap_unmap = rt_unmap,
};

static int rt_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	int err;

	if (off == 0 && len == RT_LEN)
		err = devmap_umem_setup(dhp, rt->dip, &rt_callbacks,
					rt->cookie[RT_TO_A], 0, RT_LEN, RT_PROT,
					DEVMAP_ALLOW_REMAP, NULL);
	else if (off == (offset_t)RT_FIXED_OFF && len == RT_PAGE)
		err = devmap_umem_setup(dhp, rt->dip, &rt_callbacks,
					rt->cookie[RT_TO_A], 0, RT_PAGE,
					RT_PROT, 0, NULL);
	else
		return ENXIO;
	*maplen = len;
	return err ? ENXIO : 0;
}

/* Move @m's handle onto backing @to; 0 or EIO (devmap refused). */
static int rt_remap_one(const struct rt_map *m, int to)
{
	int ret;

	if (to == RT_TO_INVALID)
		ret = devmap_devmem_remap(m->dhp, rt->dip, 0, 0, m->len,
					  RT_PROT, DEVMAP_MAPPING_INVALID,
					  NULL);
	else if (to == RT_TO_B_RO)
		ret = devmap_umem_remap(m->dhp, rt->dip, rt->cookie[RT_TO_B],
					m->roff, m->len, PROT_READ | PROT_USER,
					0, NULL);
	else
		ret = devmap_umem_remap(m->dhp, rt->dip, rt->cookie[to],
					m->roff, m->len, RT_PROT, 0, NULL);
	return ret == DDI_SUCCESS ? 0 : EIO;
}

static int rt_remap(const struct rt_remap *r)
{
	int err = ESRCH;

	if (r->region < 0 || r->region > 1 || r->to < 0 ||
	    r->to >= RT_TO_COUNT || r->pid <= 0)
		return EINVAL;
	mutex_enter(&rt->lock);
	for (const struct rt_map *m = rt->maps; m != NULL; m = m->next) {
		if (m->pid != r->pid || m->region != r->region)
			continue;
		if (err == ESRCH)
			err = 0;
		err = rt_remap_one(m, r->to) ?: err;
	}
	mutex_exit(&rt->lock);
	return err;
}

static int rt_ioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		    int *rvalp)
{
	struct dmt_present pr;
	struct rt_remap r;

	switch (cmd) {
	case RT_REMAP:
		if (ddi_copyin((void *)arg, &r, sizeof(r), mode))
			return EFAULT;
		return rt_remap(&r);
	case RT_UNMAP_DELAY:
		WRITE_ONCE(rt->unmap_delay, (int)arg);
		return 0;
	case RT_PRESENT:
		if (ddi_copyin((void *)arg, &pr, sizeof(pr), mode))
			return EFAULT;
		pr.present = kp_present(pr.pid, pr.va);
		return ddi_copyout(&pr, (void *)arg, sizeof(pr), mode) ?
			       EFAULT :
			       0;
	default:
		return ENOTTY;
	}
}

static struct cb_ops rt_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = rt_ioctl,
	.cb_devmap = rt_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static void rt_free(void)
{
	for (int to = 0; to < RT_TO_COUNT; to++)
		if (rt->cookie[to])
			ddi_umem_free(rt->cookie[to]);
	mutex_destroy(&rt->lock);
	kmem_free(rt, sizeof(*rt));
}

/*
 * Backing @to of @len bytes, page i filled with @fill + i (if @fill).  A
 * DDI_UMEM_TRASH allocation returns no address, only its cookie.
 */
static bool rt_backing(int to, size_t len, int flag, int fill)
{
	uint8_t *p = ddi_umem_alloc(len, flag, &rt->cookie[to]);

	if (!rt->cookie[to])
		return false;
	for (size_t pg = 0; fill && pg < len / RT_PAGE; pg++)
		memset(p + pg * RT_PAGE, (uint8_t)(fill + pg), RT_PAGE);
	return true;
}

static int rt_attach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	rt = kmem_zalloc(sizeof(*rt), KM_SLEEP);
	if (!rt)
		return DDI_FAILURE;
	rt->dip = dip;
	mutex_init(&rt->lock, NULL, MUTEX_DRIVER, NULL);
	if (!rt_backing(RT_TO_A, RT_LEN, DDI_UMEM_SLEEP, RT_FILL_A) ||
	    !rt_backing(RT_TO_B, RT_LEN, DDI_UMEM_SLEEP, RT_FILL_B) ||
	    !rt_backing(RT_TO_TRASH, RT_LEN, DDI_UMEM_TRASH, 0) ||
	    !rt_backing(RT_TO_SHORT, RT_LEN - RT_PAGE, DDI_UMEM_SLEEP, 0) ||
	    ddi_create_minor_node(dip, "remaptest", S_IFCHR, 0, DDI_PSEUDO,
				  0)) {
		rt_free();
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

static int rt_detach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	rt_free();
	return DDI_SUCCESS;
}

static struct dev_ops rt_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = rt_attach,
	.devo_detach = rt_detach,
	.devo_reset = nodev,
	.devo_cb_ops = &rt_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "devmap remap test",
				  &rt_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("remaptest");

int _init(void)
{
	return mod_install(&modlinkage);
}

int _fini(void)
{
	return mod_remove(&modlinkage);
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("devmap remap test driver");
