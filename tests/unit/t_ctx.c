// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Device context management: the seed's Example 11-3 driver run by 2 and
 * by 8 processes in a deterministic random interleaving, with the
 * one-owner invariant and each process's own context checked after every
 * access; and reference checklist rows 29-32 and 52 (devmap_do_ctxmgt
 * errors, the context hold and what shares it, the switch idiom,
 * devmap_set_ctx_timeout).
 */
#include "fixture.h"
#include "../drivers/xx_ctx.h"

#define XX_DEV(minor) SIM_DEV(XX_MAJOR, minor)

static unsigned int rng = 12345;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 16) % n;
}

/* N processes take turns at random on the context page. */
static void run_example_11_3(int nproc, int rounds)
{
	struct sim_proc *procs[8];
	uintptr_t va[8];
	uint32_t gen[8] = { 0 };
	int bad_owner = 0, bad_state = 0, bad_sig = 0;
	void *page = fx_reg(0, 0);

	for (int i = 0; i < nproc; i++) {
		procs[i] = sim_proc_create(DDI_MODEL_LP64);
		if (sim_mmap(procs[i], XX_DEV(0), 0, P, RW, MAP_SHARED, &va[i]))
			bad_sig++;
	}
	for (int r = 0; r < rounds; r++) {
		int i = rnd(nproc), reg = rnd(XX_NREGS);
		int sig = 0;
		uint32_t want = gen[i] ? ((uint32_t)i << 24 | gen[i]) : 0;
		uint32_t got = sim_read32(procs[i], va[i] + 4 * reg, &sig);

		if (sig)
			bad_sig++;
		/* every register of a process holds its last value */
		bad_state += got != want;
		if (sim_mappers(procs, nproc, page) != 1 ||
		    sim_pte(procs[i], va[i])->page != page)
			bad_owner++;
		if (rnd(2)) {
			gen[i]++;
			for (int k = 0; k < XX_NREGS; k++)
				bad_sig += sim_write32(procs[i], va[i] + 4 * k,
						       (uint32_t)i << 24 |
							       gen[i]) != 0;
			if (sim_mappers(procs, nproc, page) != 1)
				bad_owner++;
		}
	}
	is(bad_sig, 0, "Example 11-3, %d processes: no access failed", nproc);
	is(bad_owner, 0,
	   "Example 11-3, %d processes: after every access exactly the accessing process has a valid translation",
	   nproc);
	is(bad_state, 0,
	   "Example 11-3, %d processes: each read back only its own context",
	   nproc);
	ok(xx_counters.switches > (unsigned long)nproc,
	   "Example 11-3, %d processes: the context switched (%lu times)",
	   nproc, xx_counters.switches);
	for (int i = 0; i < nproc; i++)
		sim_exit(procs[i]);
}

static void test_example_11_3(void)
{
	xx_attach(fx_dip);
	run_example_11_3(2, 400);
	xx_detach();
	xx_attach(fx_dip);
	run_example_11_3(8, 2000);
	xx_detach();
}

static void test_example_errors(void)
{
	struct sim_proc *a, *b;
	uintptr_t va, vb;

	xx_attach(fx_dip);
	a = sim_proc_create(DDI_MODEL_LP64);
	b = sim_proc_create(DDI_MODEL_LP64);
	sim_mmap(a, XX_DEV(0), 0, P, RW, MAP_SHARED, &va);
	sim_mmap(b, XX_DEV(0), 0, P, RW, MAP_SHARED, &vb);
	sim_write32(a, va, 1);
	xx_counters.fail_restore = 1;
	is(sim_write32(b, vb, 2), SIGBUS,
	   "row 29: contextmgt -1 on a hardware failure -> SIGBUS");
	is(FC_CODE(b->sig_fc), FC_OBJERR, "row 29: ... FC_MAKE_ERR(FC_HWERR)");
	is((int)FC_ERRNO(b->sig_fc), FC_HWERR, "row 29: ... errno FC_HWERR");
	is(sim_mappers((struct sim_proc *[]){ a, b }, 2, fx_reg(0, 0)), 0,
	   "row 29: after the failure nobody owns the context");
	is(sim_write32(a, va, 3), 0,
	   "row 29: the old owner recovers by faulting");
	sim_exit(a);
	sim_exit(b);
	xx_detach();
}

static void test_ctxmgt_errors(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	td.access = TD_ACC_CTXNULL;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(fx_touch(p, va), SIGBUS,
	   "row 29: devmap_do_ctxmgt with NULL ctxmgt -> SIGBUS");
	is((int)FC_ERRNO(p->sig_fc), FC_HWERR, "row 29: ... FC_HWERR");
	sim_exit(p);

	p = fx_begin(1);
	td.access = TD_ACC_CTXMGT;
	td.ctx_err = EIO;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(fx_touch(p, va), SIGBUS,
	   "row 29: contextmgt returning EIO -> SIGBUS");
	is((int)FC_ERRNO(p->sig_fc), FC_HWERR,
	   "row 29: ... as FC_HWERR (the driver's value is lost, as in Solaris)");
	sim_exit(p);
}

static void *pvtp_seen;

static int pvtp_ctxmgt(devmap_cookie_t dhp, void *pvtp, offset_t off,
		       size_t len, uint_t type, uint_t rw)
{
	pvtp_seen = pvtp;
	return devmap_load(dhp, off, len, type, rw);
}

static int pvtp_hook(devmap_cookie_t dhp, offset_t off, size_t len, uint_t type,
		     uint_t rw)
{
	return devmap_do_ctxmgt(dhp, (void *)0x1234, off, len, type, rw,
				pvtp_ctxmgt);
}

static void test_ctxmgt_pvtp(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	td.access = TD_ACC_HOOK;
	td.hook = pvtp_hook;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(fx_touch(p, va), 0, "row 29: devmap_do_ctxmgt succeeds");
	ok(pvtp_seen == td_nth('A', 0)->pvtp && pvtp_seen != (void *)0x1234,
	   "row 29: contextmgt gets the handle's pvtp, not the argument");
	sim_exit(p);
}

/* Two processes, tdrv with a context switch per access and a hold. */
static void hold_pair(struct sim_proc **a, struct sim_proc **b, uintptr_t *va,
		      uintptr_t *vb, clock_t ticks, int pages)
{
	*a = fx_begin(pages);
	td.access = TD_ACC_CTXMGT;
	td.ctx_timeout = ticks;
	sim_mmap(*a, TD_DEV, 0, (size_t)pages * P, RW, MAP_SHARED, va);
	*b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	sim_mmap(*b, TD_DEV, 0, (size_t)pages * P, RW, MAP_SHARED, vb);
}

static void test_hold(void)
{
	struct sim_proc *a, *b;
	uintptr_t va, vb;
	clock_t t0;

	hold_pair(&a, &b, &va, &vb, 10, 2);
	t0 = sim_now();
	sim_write32(a, va, 1);
	is(sim_write32(b, vb, 2), 0, "row 30: B faults within A's hold");
	is(b->waits, 1, "row 30: ... and waits once");
	is(sim_now() - t0, 10, "row 30: ... for the hold time (10 ticks)");
	is(td.switches, 2, "row 32: one switch each");
	t0 = sim_now();
	is(sim_write32(b, vb + P, 3), 0,
	   "row 30: the owner faulting on its second context page");
	is(b->waits, 1,
	   "row 30: ... is not held off by its own hold (illumos waits)");
	sim_clock_advance(20);
	t0 = sim_now();
	sim_write32(a, va, 4);
	is(a->waits, 0, "row 30: no wait once the hold has passed");
	is(sim_now(), t0, "row 30: ... no time spent");
	sim_wait_eintr = 1;
	is(sim_write32(b, vb, 5), 0, "row 30: a signal during the wait");
	is(b->waits, 3, "row 30: ... ends it and the fault is retried");
	sim_exit(a);
	sim_exit(b);
	is(sim_stats.live_allocs, 0,
	   "row 30: unmap while a hold is pending leaves nothing (no timer)");

	hold_pair(&a, &b, &va, &vb, 0, 1);
	sim_write32(a, va, 1);
	sim_write32(b, vb, 2);
	is(b->waits, 0, "row 30: ticks 0 -> no waiting");
	sim_exit(a);
	sim_exit(b);

	hold_pair(&a, &b, &va, &vb, -5, 1);
	sim_write32(a, va, 1);
	sim_write32(b, vb, 2);
	is(b->waits, 0, "row 52: negative ticks -> no hold");
	sim_exit(a);
	sim_exit(b);

	sim_ncpus = 1;
	hold_pair(&a, &b, &va, &vb, 10, 1);
	sim_write32(a, va, 1);
	sim_write32(b, vb, 2);
	is(b->waits, 0, "row 30: one CPU -> no hold (as Solaris)");
	sim_exit(a);
	sim_exit(b);
	sim_ncpus = 2;
}

/*
 * A hold whose process exits stays a hold: a process made afterwards
 * (whose address space may well sit where the holder's was) still waits
 * for it, as everyone else does.
 */
static void test_hold_exited(void)
{
	struct sim_proc *a, *b, *c;
	uintptr_t va, vb, vc;
	const void *a_as;

	hold_pair(&a, &b, &va, &vb, 10, 1);
	sim_write32(a, va, 1); /* A switches: its hold starts */
	a_as = a->as;
	sim_exit(a);
	c = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	sim_mmap(c, TD_DEV, 0, P, RW, MAP_SHARED, &vc);
	if (c->as == a_as)
		printf("# the new process's address space is where A's was\n");
	is(sim_write32(c, vc, 2), 0, "a process made after the holder exited");
	is(c->waits, 1, "... waits for the rest of the hold all the same");
	sim_exit(b);
	sim_exit(c);
}

static void test_ctx_sharing(void)
{
	struct sim_proc *a, *b;
	uintptr_t va, vb;

	/* two minors of one instance share the record */
	a = fx_begin(1);
	td.access = TD_ACC_CTXMGT;
	td.ctx_timeout = 5;
	sim_mmap(a, SIM_DEV(TD_MAJOR, 1), 0, P, RW, MAP_SHARED, &va);
	b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	sim_mmap(b, SIM_DEV(TD_MAJOR, 2), 0, P, RW, MAP_SHARED, &vb);
	sim_write32(a, va, 1);
	sim_write32(b, vb, 1);
	is(b->waits, 1,
	   "row 31: two minors of one instance hold each other off");
	sim_exit(a);
	sim_exit(b);

	/* different access functions do not */
	a = fx_begin(1);
	td.access = TD_ACC_CTXMGT;
	td.ctx_timeout = 5;
	sim_mmap(a, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	td.region[0].access_fn = td_access_other;
	sim_mmap(b, TD_DEV, 0, P, RW, MAP_SHARED, &vb);
	sim_write32(a, va, 1);
	sim_write32(b, vb, 1);
	is(b->waits, 0,
	   "row 31: different access functions do not share a hold");
	sim_exit(a);
	sim_exit(b);
}

static void test_switch_idiom(void)
{
	struct sim_proc *a, *b;
	uintptr_t va, vb;
	int bad = 0;

	hold_pair(&a, &b, &va, &vb, 0, 1);
	for (int i = 0; i < 10; i++) {
		int before = td_count('C');

		sim_write32(a, va, (uint32_t)i);
		sim_write32(b, vb, (uint32_t)i);
		bad += td_count('C') != before + 2;
		bad += sim_pte(a, va)->page != NULL;
	}
	is(bad, 0,
	   "row 32: A/B ping-pong: one contextmgt per switch, the other unloaded");
	sim_exit(a);
	sim_exit(b);

	/* the idiom's unload uses the faulting offset on the owner's handle */
	a = fx_begin(1);
	td.access = TD_ACC_CTXMGT;
	sim_mmap(a, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_write32(a, va, 1);
	b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	td.region[0].len = 2 * P;
	sim_mmap(b, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &vb);
	is(sim_write32(b, vb + P, 1), SIGBUS,
	   "row 32: an unload error in contextmgt propagates -> SIGBUS");
	sim_exit(a);
	sim_exit(b);
}

int main(void)
{
	fx_init();
	test_example_11_3();
	test_example_errors();
	test_ctxmgt_errors();
	test_ctxmgt_pvtp();
	test_hold();
	test_hold_exited();
	test_ctx_sharing();
	test_switch_idiom();
	return fx_done();
}
