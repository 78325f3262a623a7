// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * md: the seed's legacy ddi_mapdev(9F) driver (ddi_mapdev_intercept(9F),
 * Example 1), managing a one-page device context with intercept on the
 * outgoing mapping and nointercept on the incoming one.  Pages come from
 * its mmap(9E) over register set 0.
 */
#include <string.h>
#include "../sim/sim.h"
#include "md_legacy.h"

struct md_state md;
static dev_info_t *md_dip;

static int md_mapdev_access(ddi_mapdev_handle_t handle, void *devprivate,
			    off_t offset)
{
	int err;

	md.accesses++;
	md.last_offset = offset;
	md.last_hdl = handle;
	if (md.access_ret)
		return md.access_ret;
	/* enable access callbacks for the current mapping */
	if (md.cur_hdl != NULL && md.cur_hdl != handle) {
		if ((err = ddi_mapdev_intercept(md.cur_hdl, offset, 0)) != 0)
			return err;
	}
	/* switch device context - the registers are the page itself here */
	md.switches += md.cur_hdl != handle;
	md.cur_hdl = handle;
	/* disable callbacks and complete the access for this mapping */
	return ddi_mapdev_nointercept(handle, offset, 0);
}

static void md_mapdev_free(ddi_mapdev_handle_t handle, void *devprivate)
{
	md.frees++;
	if (md.cur_hdl == handle)
		md.cur_hdl = NULL;
}

static int md_mapdev_dup(ddi_mapdev_handle_t handle, void *devprivate,
			 ddi_mapdev_handle_t new_handle, void **new_devprivate)
{
	md.dups++;
	*new_devprivate = devprivate;
	return md.dup_ret;
}

static struct ddi_mapdev_ctl md_ops = {
	.mapdev_rev = MAPDEV_REV,
	.mapdev_access = md_mapdev_access,
	.mapdev_free = md_mapdev_free,
	.mapdev_dup = md_mapdev_dup,
};

static int md_mmap(dev_t dev, off_t off, uint_t prot)
{
	if (off < 0 || (size_t)off >= md_dip->regs[0].size)
		return -1;
	return (int)(md_dip->regs[0].pfn0 + btop(off));
}

static int md_segmap(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
		     off_t len, uint_t prot, uint_t maxprot, uint_t flags,
		     cred_t *credp)
{
	struct ddi_mapdev_ctl stubs = { MAPDEV_REV, nodev, nodev, nodev };
	ddi_mapdev_handle_t handle;
	int err;

	if ((flags & MAP_TYPE_MASK) != MAP_SHARED)
		return EINVAL;
	err = ddi_mapdev(dev, off, asp, addrp, len, prot, maxprot, flags, credp,
			 md.nodev_ops ? &stubs : &md_ops, &handle, NULL);
	if (!err && md.keep_ctx_zero)
		ddi_mapdev_set_keep_ctx(handle, 0);
	return err;
}

static struct cb_ops md_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_devmap = nodev,
	.cb_mmap = md_mmap,
	.cb_segmap = md_segmap,
	.cb_flag = D_NEW | D_MP,
	.cb_rev = CB_REV,
};

void md_attach(dev_info_t *dip)
{
	memset(&md, 0, sizeof(md));
	md_dip = dip;
	sim_register_cb(MD_MAJOR, &md_cb_ops);
}
