/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Shared set-up for the unit tests: a simulated device with three register
 * sets (16, 4 and 4 pages), tdrv bound to it, one process, and the leak
 * checks every test ends with.
 */
#ifndef _FIXTURE_H
#define _FIXTURE_H

#include "../sim/sim.h"
#include "../drivers/tdrv.h"
#include "tap.h"

#define P PAGESIZE
#define RW (PROT_READ | PROT_WRITE)

static dev_info_t *fx_dip;

static inline void *fx_reg(int r, size_t off)
{
	return (char *)fx_dip->regs[r].base + off;
}

/* A 32-bit load by @p; returns the signal it raised, 0 if none. */
static inline int fx_touch(struct sim_proc *p, uintptr_t va)
{
	uint32_t v;

	return sim_read(p, va, &v, sizeof(v));
}

/* Fresh driver state and a process; one region of @pages device pages. */
static inline struct sim_proc *fx_begin(int pages)
{
	td_reset(fx_dip);
	td.nregions = 1;
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM,
					   .len = (size_t)pages * P };
	return sim_proc_create(DDI_MODEL_LP64);
}

static inline void fx_init(void)
{
	size_t sizes[] = { 16 * PAGESIZE, 4 * PAGESIZE, 4 * PAGESIZE };

	sim_init();
	fx_dip = sim_dev_create(0, 3, sizes);
}

/* Nothing of the framework or the driver may outlive the processes. */
static inline int fx_done(void)
{
	is(td_live_pvt, 0, "no driver private data leaked or freed twice");
	is(sim_stats.live_allocs, 0, "no framework memory leaked");
	is(sim_stats.live_umem, 0, "no kernel memory leaked");
	is(sim_stats.live_pins, 0, "no locked user memory left locked");
	sim_dev_destroy(fx_dip);
	sim_fini();
	return done_testing();
}

#endif /* _FIXTURE_H */
