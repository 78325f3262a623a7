// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Moving a mapping (Linux mremap, issue 9 item 5): the xx driver's
 * three-page context (Example 11-3).  Process A owns the context and moves
 * its mapping; its translations, valid bits and ownership move with it, a
 * switch to B afterwards still revokes A at the new address, and A gets
 * its own registers back there.  A move that would cut a handle is refused
 * and changes nothing.
 */
#include "fixture.h"
#include "../drivers/xx_ctx.h"

#define XX_DEV SIM_DEV(XX_MAJOR, 0)
#define NPG 3
#define FAR ((uintptr_t)0x70000000) /* far above what the sim hands out */

static int loaded(struct sim_proc *p, uintptr_t va)
{
	int n = 0;

	for (int pg = 0; pg < NPG; pg++)
		n += sim_pte(p, va + (uintptr_t)pg * P) &&
		     sim_pte(p, va + (uintptr_t)pg * P)->page != NULL;
	return n;
}

static void test_move(void)
{
	struct sim_proc *a, *b;
	uintptr_t va, vb;
	unsigned long switches;
	uint32_t v;
	int pg, own = 0, sig;

	xx_attach(fx_dip);
	xx_counters.ctx_pages = NPG;
	a = sim_proc_create(DDI_MODEL_LP64);
	b = sim_proc_create(DDI_MODEL_LP64);
	sim_mmap(a, XX_DEV, 0, NPG * P, RW, MAP_SHARED, &va);
	sim_mmap(b, XX_DEV, 0, NPG * P, RW, MAP_SHARED, &vb);
	for (pg = 0; pg < NPG; pg++)
		sim_write32(a, va + (uintptr_t)pg * P, 0xa0 + pg);
	is(loaded(a, va), NPG,
	   "mremap_moves_ownership: A owns, every page loaded");

	switches = xx_counters.switches;
	is(sim_mremap(a, va, NPG * P, FAR), 0,
	   "mremap_moves_ownership: A moves its whole mapping");
	is(loaded(a, FAR), NPG,
	   "mremap_moves_ownership: the translations moved with it");
	ok(sim_pte(a, va) == NULL,
	   "mremap_moves_ownership: nothing is left at the old address");
	for (pg = 0; pg < NPG; pg++)
		own += sim_read32(a, FAR + (uintptr_t)pg * P, &sig) ==
		       0xa0u + pg;
	is(own, NPG,
	   "mremap_moves_ownership: A reads its registers at the new address");
	is(xx_counters.switches, switches,
	   "mremap_moves_ownership: ... without a context switch (still the owner)");

	sim_write32(b, vb, 0xb0);
	is(loaded(a, FAR), 0,
	   "mremap_moves_ownership: B's switch revokes A at the new address");
	v = sim_read32(a, FAR, &sig);
	is(v, 0xa0,
	   "mremap_moves_ownership: A's next access gets its own context back");

	is(sim_mremap(a, FAR + P, P, FAR + 8 * P), EINVAL,
	   "mremap_refuses_cutting_a_handle: moving one page of a 3-page handle");
	ok(sim_read32(a, FAR + P, &sig) == 0xa1 && sig == 0,
	   "mremap_refuses_cutting_a_handle: the mapping is where it was");
	sim_exit(a);
	sim_exit(b);
	xx_detach();
}

/*
 * A piece the parent keeps out of fork children (MADV_DONTFORK) must not
 * stay in the child's copy as a handle with no mapping behind it: the
 * child could then move another piece onto that address, and the phantom
 * would serve its faults there with the wrong page.
 */
static void test_dontfork(void)
{
	struct sim_proc *a, *c;
	uintptr_t va;
	int err, sig;

	xx_attach(fx_dip);
	xx_counters.ctx_pages = NPG;
	a = sim_proc_create(DDI_MODEL_LP64);
	sim_mmap(a, XX_DEV, 0, NPG * P, RW, MAP_SHARED, &va);
	sim_write32(a, va, 0xa0);
	sim_write32(a, va + 2 * P, 0xa2);
	sim_munmap(a, va + P, P); /* two handles: pages 0 and 2 */
	is(sim_madvise_dontfork(a, va + 2 * P, P), 0,
	   "fork_leaves_no_phantom: page 2 kept out of fork children");
	c = sim_fork(a, &err);
	is(err, 0, "fork_leaves_no_phantom: fork");
	is(sim_mremap(c, va, P, va + 2 * P), 0,
	   "fork_leaves_no_phantom: the child moves page 0 where page 2 was");
	is(sim_read32(c, va + 2 * P, &sig), 0xa0,
	   "fork_leaves_no_phantom: ... and reads its own page 0 there");
	sim_exit(c);
	sim_exit(a);
	xx_detach();
}

/* The core refuses a move onto a handle that stays (no host should ask). */
static void test_move_onto_handle(void)
{
	struct sim_proc *a;
	uintptr_t va;

	xx_attach(fx_dip);
	xx_counters.ctx_pages = NPG;
	a = sim_proc_create(DDI_MODEL_LP64);
	sim_mmap(a, XX_DEV, 0, NPG * P, RW, MAP_SHARED, &va);
	sim_munmap(a, va + P, P);
	is(dm_seg_move(sim_seg_at(a, va), va, va + 2 * P, P), EINVAL,
	   "mremap_refuses_landing_on_a_handle: page 0 onto page 2 of the same mapping");
	sim_exit(a);
	xx_detach();
}

int main(void)
{
	fx_init();
	test_move();
	test_dontfork();
	test_move_onto_handle();
	return fx_done();
}
