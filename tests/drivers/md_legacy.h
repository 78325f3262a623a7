/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * md, a legacy Solaris 2.5-style driver: segmap(9E) calls ddi_mapdev(9F)
 * and the one-page context is switched with ddi_mapdev_intercept(9F) and
 * ddi_mapdev_nointercept(9F) as in the seed's example.
 */
#ifndef _MD_LEGACY_H
#define _MD_LEGACY_H

#include <sys/sunddi.h>

#define MD_MAJOR 13

struct md_state {
	int accesses, dups, frees, switches;
	int access_ret; /* nonzero: mapdev_access returns it */
	int dup_ret; /* mapdev_dup returns it */
	bool keep_ctx_zero; /* ddi_mapdev_set_keep_ctx(0) after mapping */
	bool nodev_ops; /* pass nodev for every mapdev callback */
	off_t last_offset; /* offset given to the last mapdev_access */
	ddi_mapdev_handle_t cur_hdl, last_hdl;
};
extern struct md_state md;

void md_attach(dev_info_t *dip);

#endif /* _MD_LEGACY_H */
