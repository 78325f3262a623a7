// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * What survives a partial munmap of a driver-managed mapping (issue 8,
 * item 2; checklist rows 40-42): the xx driver with a three-page context
 * (Example 11-3) follows the devmap_unmap(9E) man page, giving the
 * surviving pieces new private data and forgetting that the unmapped
 * context owned the device.  So it never unloads the survivors again: the
 * core must have taken their translations back before it called
 * devmap_unmap(9E).  Process A owns the context, cuts its mapping (head,
 * tail or hole), then B takes the context: A must have no translation left
 * on any surviving page, and its next access must ask the driver, which
 * gives it back its own registers.  A mapping without devmap_access keeps
 * its survivors' translations.
 */
#include "fixture.h"
#include "../drivers/xx_ctx.h"

#define XX_DEV SIM_DEV(XX_MAJOR, 0)
#define NPG 3

/* The first register of context page @pg, as process @p sees it. */
static uintptr_t reg0(uintptr_t va, int pg)
{
	return va + (uintptr_t)pg * P;
}

static const struct {
	const char *name;
	int first, count; /* pages munmapped */
} cuts[] = { { "head", 0, 1 }, { "tail", 2, 1 }, { "hole", 1, 1 } };

static bool survives(int c, int pg)
{
	return pg < cuts[c].first || pg >= cuts[c].first + cuts[c].count;
}

static void test_cut(int c)
{
	const char *name = cuts[c].name;
	struct sim_proc *a, *b;
	uintptr_t va, vb;
	unsigned long switches;
	int pg, present = 0, sig = 0;
	bool own = true;

	xx_attach(fx_dip);
	xx_counters.ctx_pages = NPG;
	a = sim_proc_create(DDI_MODEL_LP64);
	b = sim_proc_create(DDI_MODEL_LP64);
	is(sim_mmap(a, XX_DEV, 0, NPG * P, RW, MAP_SHARED, &va), 0,
	   "partial_munmap_survivors_revoked_%s: A maps the 3-page context",
	   name);
	sim_mmap(b, XX_DEV, 0, NPG * P, RW, MAP_SHARED, &vb);
	for (pg = 0; pg < NPG; pg++)
		sim_write32(a, reg0(va, pg), 0xa0 + pg);
	for (pg = 0; pg < NPG; pg++)
		present += sim_pte(a, reg0(va, pg))->page != NULL;
	is(present, NPG,
	   "partial_munmap_survivors_revoked_%s: A owns the context, every page loaded",
	   name);

	is(sim_munmap(a, reg0(va, cuts[c].first), (size_t)cuts[c].count * P), 0,
	   "partial_munmap_survivors_revoked_%s: A's %s munmap", name, name);
	present = 0;
	for (pg = 0; pg < NPG; pg++)
		if (survives(c, pg))
			present += sim_pte(a, reg0(va, pg))->page != NULL;
	is(present, 0,
	   "partial_munmap_survivors_revoked_%s: no survivor keeps a translation past devmap_unmap",
	   name);

	/* B takes the context; the driver no longer knows A held it */
	sim_write32(b, vb, 0xb0);
	for (pg = 0; pg < NPG; pg++)
		sim_write32(b, reg0(vb, pg), 0xb0 + pg);
	present = 0;
	for (pg = 0; pg < NPG; pg++)
		if (survives(c, pg))
			present += sim_pte(a, reg0(va, pg))->page != NULL;
	is(present, 0,
	   "partial_munmap_survivors_revoked_%s: after B's switch A has no present translation on a surviving page",
	   name);
	for (pg = 0; pg < NPG; pg++)
		ok(sim_mappers((struct sim_proc *[]){ a, b }, 2,
			       fx_reg(0, (size_t)pg * P)) == 1,
		   "partial_munmap_survivors_revoked_%s: context page %d has one mapper",
		   name, pg);

	/* A's next access goes through the driver and sees A's own context */
	switches = xx_counters.switches;
	for (pg = 0; pg < NPG; pg++) {
		if (!survives(c, pg))
			continue;
		own &= sim_read32(a, reg0(va, pg), &sig) == 0xa0u + pg;
		own &= sig == 0;
	}
	ok(xx_counters.switches > switches,
	   "partial_munmap_survivors_revoked_%s: A's next access asks the driver (a switch)",
	   name);
	ok(own,
	   "partial_munmap_survivors_revoked_%s: ... and A reads its own registers, not B's",
	   name);
	is(sim_read32(b, vb, NULL), 0xb0,
	   "partial_munmap_survivors_revoked_%s: B gets its own back in turn",
	   name);
	sim_exit(a);
	sim_exit(b);
	xx_detach();
}

/* A handle without devmap_access: its survivors keep their translations. */
static void test_unmanaged(void)
{
	struct sim_proc *p = fx_begin(6);
	uintptr_t va;

	td.access = TD_ACC_NONE;
	sim_mmap(p, TD_DEV, 0, 6 * P, RW, MAP_SHARED, &va);
	for (int pg = 0; pg < 6; pg++)
		sim_write32(p, va + (uintptr_t)pg * P, 0x10 + pg);
	sim_munmap(p, va, P);
	sim_munmap(p, va + 5 * P, P);
	sim_munmap(p, va + 2 * P, P);
	ok(sim_pte(p, va + P)->page && sim_pte(p, va + 3 * P)->page &&
		   sim_pte(p, va + 4 * P)->page,
	   "partial_munmap_unmanaged_survivors_keep_translations: head, tail and hole");
	ok(sim_read32(p, va + 4 * P, NULL) == 0x14 &&
		   sim_read32(p, va + P, NULL) == 0x11,
	   "partial_munmap_unmanaged_survivors_keep_translations: ... of their own pages");
	is(devmap_unload(td_nth('X', 2)->n2, 3 * P, P), 0,
	   "partial_munmap_unmanaged_survivors_keep_translations: the new handle above the hole ...");
	ok(sim_pte(p, va + 3 * P)->page == NULL &&
		   sim_read32(p, va + 3 * P, NULL) == 0x13,
	   "partial_munmap_unmanaged_survivors_keep_translations: ... unloads and reloads them");
	sim_exit(p);
}

int main(void)
{
	fx_init();
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++)
		test_cut((int)c);
	test_unmanaged();
	return fx_done();
}
