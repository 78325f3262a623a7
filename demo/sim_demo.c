// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The devmap demo on the simulated host: four processes share the seed's
 * one-page device context (Example 11-3) and take turns writing and
 * checking their own register values.  It prints who owned the context
 * when, how many switches there were, and the verdict.
 */
#include "../tests/sim/sim.h"
#include "../tests/drivers/xx_ctx.h"

#define NPROC 4
#define TURNS 12

int main(void)
{
	size_t size = PAGESIZE;
	struct sim_proc *procs[NPROC];
	uintptr_t va[NPROC];
	uint32_t last[NPROC] = { 0 };
	int owner = -1, wrong = 0, bad_owner = 0;
	dev_info_t *dip;

	sim_init();
	dip = sim_dev_create(0, 1, &size);
	xx_attach(dip);
	printf("devmap demo (simulated host): %d processes share one device context page\n\n",
	       NPROC);
	for (int i = 0; i < NPROC; i++) {
		procs[i] = sim_proc_create(DDI_MODEL_LP64);
		if (sim_mmap(procs[i], SIM_DEV(XX_MAJOR, 0), 0, PAGESIZE,
			     PROT_READ | PROT_WRITE, MAP_SHARED, &va[i])) {
			printf("mmap failed\n");
			return 1;
		}
	}
	for (int t = 0; t < TURNS; t++) {
		int i = (t * 7 + t / 3) % NPROC, sig;
		uint32_t mine = 0xc0de0000u | (uint32_t)(i << 8) | (uint32_t)t;
		unsigned long before = xx_counters.switches;
		uint32_t seen = sim_read32(procs[i], va[i], &sig);

		sim_write32(procs[i], va[i], mine);
		if (xx_counters.switches == before)
			printf("turn %2d: pid %d still owns the context\n", t,
			       procs[i]->pid);
		else if (owner < 0)
			printf("turn %2d: pid %d faults; the context goes to it\n",
			       t, procs[i]->pid);
		else
			printf("turn %2d: pid %d faults; context switched from pid %d to pid %d\n",
			       t, procs[i]->pid, procs[owner]->pid,
			       procs[i]->pid);
		printf("         it found 0x%08x (%s), wrote 0x%08x\n", seen,
		       seen == last[i] ? "its own last value" : "WRONG", mine);
		wrong += seen != last[i];
		wrong += sim_read32(procs[i], va[i], NULL) != mine;
		last[i] = mine;
		if (sim_mappers(procs, NPROC, dip->regs[0].base) != 1)
			bad_owner++;
		owner = i;
	}
	printf("\n%lu context switches (%lu saves, %lu restores) in %d turns\n",
	       xx_counters.switches, xx_counters.saves, xx_counters.restores,
	       TURNS);
	printf("verdict: %s\n",
	       wrong || bad_owner ?
		       "FAILED: a process saw another's state or two owned the page" :
		       "every process saw only its own state; one owner at a time");
	for (int i = 0; i < NPROC; i++)
		sim_exit(procs[i]);
	xx_detach();
	sim_dev_destroy(dip);
	sim_fini();
	return wrong || bad_owner;
}
