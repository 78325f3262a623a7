// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Smoke test: map one device page, touch it, unmap. */
#include "../sim/sim.h"
#include "../drivers/tdrv.h"
#include "tap.h"

int main(void)
{
	size_t sz = 4 * PAGESIZE;
	dev_info_t *dip;
	struct sim_proc *p;
	uintptr_t va;

	sim_init();
	dip = sim_dev_create(0, 1, &sz);
	td_reset(dip);
	td.nregions = 1;
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM, .len = sz };
	p = sim_proc_create(DDI_MODEL_LP64);
	is(sim_mmap(p, TD_DEV, 0, sz, PROT_READ | PROT_WRITE, MAP_SHARED, &va),
	   0, "mmap");
	is(sim_write32(p, va + 8, 42), 0, "write");
	is(*(uint32_t *)((char *)dip->regs[0].base + 8), 42, "reached device");
	sim_exit(p);
	is(td_live_pvt, 0, "no private data left");
	is(sim_stats.live_allocs, 0, "no core memory left");
	sim_dev_destroy(dip);
	sim_fini();
	return done_testing();
}
