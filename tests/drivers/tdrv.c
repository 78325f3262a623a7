// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * tdrv, the configurable test driver (see tdrv.h), written against the
 * Solaris DDI only.  Private data is a counted allocation per handle so
 * tests see leaks and double frees in the map/dup/unmap protocol.
 */
#include <stdlib.h>
#include <string.h>
#include "../sim/sim.h"
#include "tdrv.h"

struct td_config td;
struct td_call td_log[TD_MAXLOG];
int td_nlog;
int td_live_pvt;
static int td_calls;
static int td_maps;
static int td_dups;

static struct td_call *td_record(char what, devmap_cookie_t dhp, void *pvtp,
				 offset_t off, size_t len)
{
	struct td_call *c = &td_log[td_nlog < TD_MAXLOG ? td_nlog++ : 0];

	memset(c, 0, sizeof(*c));
	c->what = what;
	c->dhp = dhp;
	c->pvtp = pvtp;
	c->off = off;
	c->len = len;
	return c;
}

int td_count(char what)
{
	int n = 0;

	for (int i = 0; i < td_nlog; i++)
		n += td_log[i].what == what;
	return n;
}

struct td_call *td_nth(char what, int n)
{
	for (int i = 0; i < td_nlog; i++)
		if (td_log[i].what == what && n-- == 0)
			return &td_log[i];
	return NULL;
}

static void *td_pvt_new(void)
{
	td_live_pvt++;
	return malloc(16);
}

static void td_pvt_free(void *p)
{
	if (p) {
		td_live_pvt--;
		free(p);
	}
}

static int td_map(devmap_cookie_t dhp, dev_t dev, uint_t flags, offset_t off,
		  size_t len, void **pvtp)
{
	td_record('M', dhp, NULL, off, len)->flags = flags;
	if (++td_maps == td.map_fail_at)
		return EIO;
	*pvtp = td_pvt_new();
	if (td.ctx_timeout)
		devmap_set_ctx_timeout(dhp, td.ctx_timeout);
	return 0;
}

static int td_ctxmgt(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     uint_t type, uint_t rw)
{
	int err;

	td_record('C', dhp, pvtp, off, len);
	if (td.owner && td.owner != dhp) {
		err = devmap_unload(td.owner, off, len);
		if (err) {
			td.owner = NULL;
			return err;
		}
	}
	if (td.ctx_err) {
		td.owner = NULL;
		return td.ctx_err;
	}
	td.owner = dhp;
	td.switches++;
	err = devmap_load(dhp, off, len, type, rw);
	if (err)
		td.owner = NULL;
	return err;
}

static int td_access(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     uint_t type, uint_t rw)
{
	struct td_call *c = td_record('A', dhp, pvtp, off, len);
	int err;

	c->type = type;
	c->rw = rw;
	switch (td.access) {
	case TD_ACC_ERR:
		if (td.access_err_times && td.access_err_times-- == 1)
			td.access = TD_ACC_LOAD;
		return td.access_err;
	case TD_ACC_HOOK:
		return td.hook(dhp, off, len, type, rw);
	case TD_ACC_NOLOAD:
		return 0;
	case TD_ACC_LOAD_RW:
		return devmap_load(dhp, off, len, type, td.load_rw);
	case TD_ACC_CTXMGT:
		return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw,
					td_ctxmgt);
	case TD_ACC_CTXNULL:
		return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw, NULL);
	case TD_ACC_SIBLING:
		err = devmap_load(td.sibling, 0, 0, type, rw);
		return err ? err : devmap_load(dhp, off, len, type, rw);
	default:
		return devmap_load(dhp, off, len, type, rw);
	}
}

int td_access_other(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		    uint_t type, uint_t rw)
{
	td_record('a', dhp, pvtp, off, len);
	return devmap_load(dhp, off, len, type, rw);
}

int td_mmap(dev_t dev, off_t off, uint_t prot)
{
	if (off < 0 || (size_t)off >= td.dip->regs[0].size)
		return -1;
	td_record('P', NULL, NULL, off, 0);
	return (int)(td.dip->regs[0].pfn0 + btop(off));
}

static int td_dup(devmap_cookie_t dhp, void *pvtp, devmap_cookie_t new_dhp,
		  void **new_pvtp)
{
	td_record('U', dhp, pvtp, 0, 0)->n1 = new_dhp;
	if (++td_dups == td.dup_fail_at)
		return td.dup_ret;
	*new_pvtp = td_pvt_new();
	return td.dup_hook ? td.dup_hook(new_dhp) : 0;
}

/* The man page's protocol: new private data per surviving piece. */
static void td_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     devmap_cookie_t new_dhp1, void **new_pvtp1,
		     devmap_cookie_t new_dhp2, void **new_pvtp2)
{
	struct td_call *c;

	if (td.unmap_hook)
		td.unmap_hook();
	c = td_record('X', dhp, pvtp, off, len);

	c->n1 = new_dhp1;
	c->p1 = new_pvtp1;
	c->n2 = new_dhp2;
	c->p2 = new_pvtp2;
	if (td.owner == dhp)
		td.owner = NULL;
	if (new_dhp1)
		*new_pvtp1 = td_pvt_new();
	if (new_dhp2)
		*new_pvtp2 = td_pvt_new();
	if (!td.no_dup) /* shared private data is the test's to free */
		td_pvt_free(pvtp);
}

struct devmap_callback_ctl td_callbacks = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = td_map,
	.devmap_access = td_access,
	.devmap_dup = td_dup,
	.devmap_unmap = td_unmap,
};

static int td_setup(devmap_cookie_t dhp, struct td_region *r, bool devmem)
{
	struct devmap_callback_ctl cb = td_callbacks, *cbp = &cb;
	uint_t maxprot = r->maxprot ? r->maxprot : PROT_ALL;

	if (td.access == TD_ACC_NONE)
		cb.devmap_access = NULL;
	if (td.no_dup)
		cb.devmap_dup = NULL;
	else if (td.access == TD_ACC_DEFAULT)
		cb.devmap_access = devmap_default_access;
	if (r->access_fn)
		cb.devmap_access = r->access_fn;
	if (r->rev)
		cb.devmap_rev = r->rev;
	if (r->no_callbacks)
		cbp = NULL;
	/* the framework copies the vector: scribble on ours afterwards */
	if (devmem) {
		int err = devmap_devmem_setup(dhp, td.dip, cbp, r->rnumber,
					      r->roff, r->len, maxprot,
					      r->flags, r->attr);
		memset(&cb, 0xa5, sizeof(cb));
		return err;
	}
	int err = devmap_umem_setup(dhp, td.dip, cbp, r->cookie, r->roff,
				    r->len, maxprot, r->flags, r->attr);
	memset(&cb, 0xa5, sizeof(cb));
	return err;
}

static int td_devmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		     size_t *maplen, uint_t model)
{
	struct td_call *c = td_record('D', dhp, NULL, off, len);
	struct td_region *r;
	int err = 0;

	c->model = model;
	if (td.devmap_ret)
		return td.devmap_ret;
	if (td.reject_ilp32 && ddi_model_convert_from(model) == DDI_MODEL_ILP32)
		return ENXIO;
	if (td_calls >= td.nregions)
		return ENXIO; /* past the device */
	r = &td.region[td_calls++];
	switch (r->kind) {
	case TD_DEVMEM:
		err = td_setup(dhp, r, true);
		break;
	case TD_UMEM:
		err = td_setup(dhp, r, false);
		break;
	case TD_TWICE:
		err = td_setup(dhp, r, true);
		if (!err)
			td.second_setup_ret = td_setup(dhp, r, false);
		break;
	case TD_NOSETUP:
		break;
	}
	if (err)
		return err;
	*maplen = r->maplen ? r->maplen : r->len;
	return 0;
}

struct cb_ops td_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_devmap = td_devmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

void td_rewind(void)
{
	td_calls = 0;
}

void td_reset(dev_info_t *dip)
{
	memset(&td, 0, sizeof(td));
	td.dip = dip;
	td.access = TD_ACC_LOAD;
	td_nlog = 0;
	td_calls = 0;
	td_maps = 0;
	td_dups = 0;
	sim_register_cb(TD_MAJOR, &td_cb_ops);
}
