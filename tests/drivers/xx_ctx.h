/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xx, the seed's device context driver (Writing Device Drivers, Example
 * 11-3), on a simulated device whose context is its first page, or its
 * first ctx_pages pages: each page holds XX_NREGS 32-bit context registers.
 */
#ifndef _XX_CTX_H
#define _XX_CTX_H

#include <sys/sunddi.h>

#define XX_MAJOR 11
#define XX_NREGS 64
#define XX_MAXPAGES 4

struct xx_counters {
	unsigned long switches; /* contextmgt calls that switched */
	unsigned long saves, restores;
	int fail_restore; /* restore fails (hardware) this often */
	clock_t timeout; /* devmap_set_ctx_timeout in devmap_map */
	size_t ctx_pages; /* pages of the context, up to XX_MAXPAGES (0: 1) */
};
extern struct xx_counters xx_counters;

/* Set up the driver on @dip (its register set 0 is the context); the
 * counters and knobs start at 0. */
int xx_attach(dev_info_t *dip);
void xx_detach(void);

#endif /* _XX_CTX_H */
