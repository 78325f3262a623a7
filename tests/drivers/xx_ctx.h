/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * xx, the seed's one-page device context driver (Writing Device Drivers,
 * Example 11-3), on a simulated device whose first page holds XX_NREGS
 * 32-bit context registers.
 */
#ifndef _XX_CTX_H
#define _XX_CTX_H

#include <sys/sunddi.h>

#define XX_MAJOR 11
#define XX_NREGS 64

struct xx_counters {
	unsigned long switches; /* contextmgt calls that switched */
	unsigned long saves, restores;
	int fail_restore; /* restore fails (hardware) this often */
	clock_t timeout; /* devmap_set_ctx_timeout in devmap_map */
};
extern struct xx_counters xx_counters;

int xx_attach(dev_info_t *dip);
void xx_detach(void);

#endif /* _XX_CTX_H */
