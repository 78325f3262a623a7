/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * mdlegacy: a one-page device context through the legacy ddi_mapdev(9F)
 * interface (Solaris 2.5), switched with ddi_mapdev_intercept(9F) and
 * ddi_mapdev_nointercept(9F).
 */
#ifndef _MDLEGACY_H
#define _MDLEGACY_H

#define MD_PAGE 4096

#define MD_IOC ('l' << 8)
#define MD_STATS (MD_IOC | 1) /* struct md_stats out */

struct md_stats {
	unsigned long accesses, switches, dups, frees;
};

#endif /* _MDLEGACY_H */
