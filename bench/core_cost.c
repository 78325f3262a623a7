// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The portable core's cost per operation on the simulated host, for
 * instruction counting under callgrind: `core_cost OP N` does N of OP.
 * bench/core_cost.sh runs it for two N and takes the difference, so the
 * set-up cost cancels and the count is per operation.
 *   fault    a fault whose page is still valid (the fast path)
 *   access   devmap_unload, then a fault through devmap_access and
 *            devmap_load (tdrv's default access)
 *   switch   a context switch between two processes (Example 11-3)
 */
#include <string.h>
#include "../tests/sim/sim.h"
#include "../tests/drivers/tdrv.h"
#include "../tests/drivers/xx_ctx.h"

int main(int argc, char **argv)
{
	size_t size = 4 * PAGESIZE;
	struct sim_proc *a, *b;
	uintptr_t va, vb;
	dev_info_t *dip;
	long n;

	if (argc != 3)
		return 64;
	n = atol(argv[2]);
	sim_init();
	dip = sim_dev_create(0, 1, &size);
	td_reset(dip);
	xx_attach(dip);
	td.nregions = 1;
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM, .len = PAGESIZE };
	a = sim_proc_create(DDI_MODEL_LP64);
	b = sim_proc_create(DDI_MODEL_LP64);
	if (strcmp(argv[1], "switch") == 0) {
		sim_mmap(a, SIM_DEV(XX_MAJOR, 0), 0, PAGESIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED, &va);
		sim_mmap(b, SIM_DEV(XX_MAJOR, 0), 0, PAGESIZE,
			 PROT_READ | PROT_WRITE, MAP_SHARED, &vb);
		for (long i = 0; i < n; i++) /* one switch each */
			if (i & 1)
				sim_write32(b, vb, (uint32_t)i);
			else
				sim_write32(a, va, (uint32_t)i);
	} else {
		sim_mmap(a, TD_DEV, 0, PAGESIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED, &va);
		sim_write32(a, va, 0);
		for (long i = 0; i < n; i++) {
			if (strcmp(argv[1], "access") == 0)
				devmap_unload(td_nth('M', 0)->dhp, 0, 0);
			else
				sim_pte(a, va)->page =
					NULL; /* valid bit kept */
			sim_write32(a, va, (uint32_t)i);
		}
	}
	sim_exit(a);
	sim_exit(b);
	xx_detach();
	sim_dev_destroy(dip);
	sim_fini();
	return 0;
}
