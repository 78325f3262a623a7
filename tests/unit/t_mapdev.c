// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The legacy ddi_mapdev(9F) interface, reference checklist row 55, with the
 * seed's intercept/nointercept context switch driven by two processes.
 */
#include "fixture.h"
#include "../drivers/md_legacy.h"

#define MD_DEV SIM_DEV(MD_MAJOR, 0)

static void test_pingpong(void)
{
	struct sim_proc *a = sim_proc_create(DDI_MODEL_LP64);
	struct sim_proc *b = sim_proc_create(DDI_MODEL_LP64);
	struct sim_proc *both[] = { a, b };
	uintptr_t va, vb;
	int bad = 0;

	md_attach(fx_dip);
	md.keep_ctx_zero = true;
	is(sim_mmap(a, MD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), 0,
	   "row 55: ddi_mapdev from segmap(9E) maps");
	sim_mmap(b, MD_DEV, 0, 2 * P, RW, MAP_SHARED, &vb);
	is(md.accesses, 0, "row 55: nothing is loaded at mmap");
	sim_write32(b, vb + P + 8, 1);
	is(md.last_offset, P,
	   "row 55: mapdev_access offset is relative to the mapping");
	sim_write32(a, va + 8, 1);
	is(sim_read32(a, va + P, NULL), 0,
	   "row 55: nointercept with len 0 covers to the end of the mapping");
	is(md.accesses, 2, "row 55: ... so page 1 needed no callback");
	for (int i = 0; i < 20; i++) {
		struct sim_proc *p = both[i % 2];
		uintptr_t v = p == a ? va : vb;

		bad += sim_write32(p, v + 4 * (i % 8), (uint32_t)i) != 0;
		bad += sim_mappers(both, 2, fx_reg(0, 0)) != 1;
		bad += sim_pte(p, v)->page == NULL;
	}
	is(bad, 0, "row 55: intercept/nointercept ping-pong keeps one owner");
	is(md.switches, 21,
	   "row 55: ... one switch per turn (2 before, 19 here)");
	int err;
	struct sim_proc *c = sim_fork(a, &err);
	is(err, 0, "row 55: fork calls mapdev_dup");
	is(md.dups, 1, "row 55: ... once");
	int before = md.accesses;
	sim_read32(c, va, NULL);
	is(md.accesses, before + 1,
	   "row 55: the child starts intercepted: its first access calls mapdev_access (Solaris copies the state)");
	is(sim_munmap(a, va + P, P), EINVAL,
	   "row 55: partial munmap -> EINVAL");
	dm_seg_unmap(a->vmas->seg, va + 64 * P, P);
	is(md.frees, 0,
	   "row 55: a range outside the mapping (a refused mremap) does not free it");
	is(sim_munmap(a, va, 2 * P), 0, "row 55: whole munmap");
	is(md.frees, 1, "row 55: ... calls mapdev_free");
	sim_exit(c);
	sim_exit(b);
	is(md.frees, 3, "row 55: exit calls mapdev_free");
	sim_exit(a);
}

static void test_errors_and_hold(void)
{
	struct sim_proc *a = sim_proc_create(DDI_MODEL_LP64);
	struct sim_proc *b = sim_proc_create(DDI_MODEL_LP64);
	uintptr_t va, vb;
	int err;

	md_attach(fx_dip);
	sim_mmap(a, MD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_mmap(b, MD_DEV, 0, P, RW, MAP_SHARED, &vb);
	sim_write32(a, va, 1);
	sim_write32(b, vb, 1);
	is(b->waits, 1, "row 55: default hold of one tick after a switch");
	md.access_ret = -1;
	sim_clock_advance(5);
	is(sim_write32(a, va, 2), SIGBUS, "row 55: mapdev_access -1 -> SIGBUS");
	is(a->sig_fc, FC_HWERR, "row 55: ... FC_HWERR");
	md.access_ret = FC_PROT;
	sim_clock_advance(5);
	is(sim_write32(a, va, 2), SIGSEGV,
	   "row 55: a fault code returned is used as such (FC_PROT -> SIGSEGV)");
	md.access_ret = 0;
	md.dup_ret = EIO;
	int frees = md.frees;
	struct sim_proc *c = sim_fork(a, &err);
	ok(c == NULL && err == EAGAIN, "row 55: mapdev_dup failure fails fork");
	is(md.frees, frees,
	   "row 55: ... and suppresses mapdev_free for the copy");
	sim_exit(a);
	sim_exit(b);
}

static void test_range_rules(void)
{
	struct sim_proc *a = sim_proc_create(DDI_MODEL_LP64);
	uintptr_t va;

	md_attach(fx_dip);
	md.keep_ctx_zero = true;
	sim_mmap(a, MD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_read32(a, va, NULL);
	ddi_mapdev_handle_t h = md.last_hdl;
	is(ddi_mapdev_nointercept(h, 2 * P, 0), DDI_FAILURE,
	   "row 55: nointercept off > size -> DDI_FAILURE");
	is(ddi_mapdev_nointercept(h, P, 2 * P), FC_MAKE_ERR(EINVAL),
	   "row 55: nointercept off + len > size -> FC_MAKE_ERR(EINVAL)");
	is(ddi_mapdev_intercept(h, 5 * P, P), 0,
	   "row 55: intercept out of range silently returns 0");
	is(ddi_mapdev_intercept(h, 0, 0), 0,
	   "row 55: intercept offset 0 len 0");
	ok(sim_pte(a, va)->page == NULL,
	   "row 55: ... intercepts the whole mapping");
	int before = md.accesses;
	is(ddi_mapdev_nointercept(h, 0, 0), 0,
	   "row 55: nointercept outside a fault marks the pages");
	sim_read32(a, va + P, NULL);
	is(md.accesses, before, "row 55: ... and they load without a callback");
	sim_exit(a);
}

static void test_stub_callbacks(void)
{
	struct sim_proc *a = sim_proc_create(DDI_MODEL_LP64), *c;
	uintptr_t va;
	int err;

	md_attach(fx_dip);
	md.nodev_ops = true;
	is(sim_mmap(a, MD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 55: mapdev callbacks set to nodev");
	is(sim_write32(a, va, 1), SIGBUS,
	   "row 54/55: a nodev mapdev_access counts as absent -> SIGBUS (FC_HWERR)");
	is(a->sig_fc, FC_HWERR, "row 55: ... FC_HWERR, nodev is not called");
	c = sim_fork(a, &err);
	is(err, 0, "row 55: nodev mapdev_dup counts as absent: fork works");
	sim_exit(c);
	sim_exit(a);
}

int main(void)
{
	fx_init();
	test_pingpong();
	test_errors_and_hold();
	test_range_rules();
	test_stub_callbacks();
	return fx_done();
}
