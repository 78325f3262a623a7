// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The fault path and translations: reference checklist rows 18-22 and
 * 24-28 (lazy loading, devmap_access arguments, a callback that does not
 * load, error outcomes, protection faults, devmap_load/devmap_unload
 * ranges, context and protections, devmap_default_access).
 */
#include "fixture.h"

static void test_lazy_and_args(void)
{
	struct sim_proc *p = fx_begin(8);
	uintptr_t va;
	int loaded = 0;

	sim_mmap(p, TD_DEV, 0x10000, 8 * P, RW | PROT_EXEC, MAP_SHARED, &va);
	for (int i = 0; i < 8; i++)
		loaded += sim_pte(p, va + i * P)->page != NULL;
	is(loaded, 0, "row 18: no translation after mmap");
	is(td_count('A'), 0, "row 18: no devmap_access at mmap");
	sim_read32(p, va, NULL);
	sim_write32(p, va + 2 * P, 1);
	sim_read32(p, va + 2 * P + 4, NULL);
	is(td_count('A'), 2, "row 18: one devmap_access per page touched");
	sim_read32(p, va + 5 * P + 12, NULL);
	is(td_nth('A', 2)->off, 0x15000,
	   "row 19: fault at page 5 of a mapping at offset 0x10000 -> off 0x15000");
	is(td_nth('A', 2)->len, P, "row 19: len is one page");
	is(td_nth('A', 2)->type, DEVMAP_ACCESS, "row 19: type DEVMAP_ACCESS");
	is(td_nth('A', 0)->rw, DEVMAP_READ, "row 19: read -> DEVMAP_READ");
	is(td_nth('A', 1)->rw, DEVMAP_WRITE, "row 19: write -> DEVMAP_WRITE");
	sim_exec(p, va + 6 * P);
	is(td_nth('A', 3)->rw, DEVMAP_EXEC, "row 19: exec -> DEVMAP_EXEC");
	ok(td_nth('A', 0)->pvtp != NULL, "row 19: pvtp from devmap_map");
	sim_exit(p);
}

static void test_noload(void)
{
	struct sim_proc *p = fx_begin(1);
	long warnings = sim_stats.warnings;
	uintptr_t va;

	td.access = TD_ACC_NOLOAD;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(sim_write32(p, va, 1), SIGBUS,
	   "row 20: access returning 0 without loading -> SIGBUS, not a livelock");
	ok(td_count('A') >= 2 && td_count('A') <= 16,
	   "row 20: ... after a bounded number of calls (%d)", td_count('A'));
	is(sim_stats.warnings, warnings + 1, "row 20: ... with a message");
	sim_exit(p);
}

static void test_errors(void)
{
	static const int errs[] = { -1, EIO, FC_HWERR, ENOMEM };
	struct sim_proc *p;
	uintptr_t va;

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		p = fx_begin(1);
		td.access = TD_ACC_ERR;
		td.access_err = errs[i];
		sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
		sim_read32(p, va + 4, NULL);
		is(p->sig, SIGBUS, "row 21: access returning %d -> SIGBUS",
		   errs[i]);
		is(FC_CODE(p->sig_fc), FC_OBJERR, "row 21: ... FC_OBJERR");
		is((int)FC_ERRNO(p->sig_fc), errs[i] & 0xffffff,
		   "row 21: ... carrying the driver's value");
		sim_exit(p);
	}
	p = fx_begin(1);
	td.access = TD_ACC_ERR;
	td.access_err = EINTR;
	td.access_err_times = 1;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(sim_write32(p, va, 1), 0, "row 21: EINTR -> retried, no signal");
	is(td_count('A'), 2, "row 21: ... the access callback ran again");
	sim_exit(p);

	p = fx_begin(1);
	td.access = TD_ACC_LOAD_RW;
	td.load_rw = DEVMAP_WRITE;
	sim_mmap(p, TD_DEV, 0, P, PROT_READ, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	is(p->sig, SIGSEGV,
	   "row 21/26: FC_PROT from devmap_load returned -> SIGSEGV (illumos livelocks)");
	is(p->sig_fc, FC_PROT, "row 26: ... FC_PROT");
	sim_exit(p);
}

static void test_prot_fault(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_write32(p, va, 1);
	is(sim_mprotect(p, va, P, PROT_READ), 0, "row 22: mprotect read-only");
	is(sim_read32(p, va, NULL), 1, "row 22: read still works");
	int calls = td_count('A');
	is(sim_write32(p, va, 2), SIGSEGV, "row 22: write -> SIGSEGV");
	is(p->sig_fc, FC_PROT, "row 22: ... an access error (SEGV_ACCERR)");
	is(td_count('A'), calls, "row 22: ... the driver is not called");
	is(sim_mprotect(p, va, P, PROT_NONE), 0, "row 44: PROT_NONE");
	sim_read32(p, va, NULL);
	is(p->sig, SIGSEGV,
	   "row 44: access after PROT_NONE -> SIGSEGV (no illumos retry loop)");
	sim_exit(p);
}

/* devmap_load range checks, run inside a real fault. */
static struct {
	int r[10];
	bool page1_valid;
} hk;

static int range_hook(devmap_cookie_t dhp, offset_t off, size_t len,
		      uint_t type, uint_t rw)
{
	/* the handle is at user offset 0x8000, 4 pages */
	hk.r[0] = devmap_load(dhp, 0x7000, P, type, rw);
	hk.r[1] = devmap_load(dhp, 0x8000 + 4 * P, P, type, rw);
	hk.r[2] = devmap_load(dhp, 0x8000 + 3 * P, 2 * P, type, rw);
	hk.r[3] = devmap_load(dhp, 0x8000 + 4 * P - 1, 1, type, rw);
	hk.r[4] = devmap_load(dhp, 0x8000 + 3 * P, 0, type, rw);
	hk.r[5] = devmap_unload(dhp, 0, 0);
	hk.r[6] = devmap_load(dhp, 0x8000 + 0x800, P, type, rw);
	hk.r[7] = devmap_load(dhp, 0x8000, (size_t)-1, type, rw);
	hk.r[8] = devmap_load(dhp, 0x8000, P, DEVMAP_PROT, rw);
	return devmap_load(dhp, off, len, type, rw);
}

static void test_load_ranges(void)
{
	struct sim_proc *p = fx_begin(4);
	uintptr_t va;

	td.access = TD_ACC_HOOK;
	td.hook = range_hook;
	sim_mmap(p, TD_DEV, 0x8000, 4 * P, RW, MAP_SHARED, &va);
	is(fx_touch(p, va), 0, "row 24: fault with the range checks");
	is(hk.r[0], FC_MAKE_ERR(EINVAL),
	   "row 24: off before the handle -> EINVAL");
	is(FC_MAKE_ERR(EINVAL), 0x1603,
	   "row 24: FC_MAKE_ERR(EINVAL) is 0x1603");
	is(hk.r[1], FC_MAKE_ERR(EINVAL), "row 24: off at the end -> EINVAL");
	is(hk.r[2], FC_MAKE_ERR(EINVAL),
	   "row 24: off + len past the end -> EINVAL");
	is(hk.r[3], 0, "row 24: the last byte is in range");
	is(hk.r[4], 0, "row 24: len 0 -> to the end of the handle");
	is(hk.r[5], 0,
	   "row 24/27: off 0, len 0 -> whole handle even with dh_uoff 0x8000 (man page; illumos EINVAL)");
	is(hk.r[6], 0, "row 24: unaligned off");
	is(hk.r[7], FC_MAKE_ERR(EINVAL), "row 24: len overflow -> EINVAL");
	is(hk.r[8], FC_PROT, "row 26: type DEVMAP_PROT -> FC_PROT");
	/* r[6] covered pages 0 and 1 (0x800 + 0x1000 crosses into page 1) */
	int calls = td_count('A');
	sim_read32(p, va + P + 8, NULL);
	is(td_count('A'), calls,
	   "row 24: off 0x800 len 0x1000 validated both pages it touches (illumos: one)");
	sim_exit(p);
}

static void test_load_context(void)
{
	struct sim_proc *p = fx_begin(2);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	devmap_cookie_t dhp = td_nth('A', 0)->dhp;
	is(devmap_load(dhp, 0, P, DEVMAP_ACCESS, DEVMAP_READ),
	   FC_MAKE_ERR(EINVAL),
	   "row 25: devmap_load outside a fault (e.g. an ioctl) -> EINVAL");
	is(devmap_unload(dhp, 0, P), 0,
	   "row 27: devmap_unload outside a fault works");
	is(sim_pte(p, va)->page == NULL, 1,
	   "row 27: ... the translation is gone");
	int calls = td_count('A');
	sim_read32(p, va, NULL);
	is(td_count('A'), calls + 1, "row 27: next access calls devmap_access");
	is(devmap_unload(dhp, 2 * P, P), FC_MAKE_ERR(EINVAL),
	   "row 27: unload range errors as load");
	sim_exit(p);
}

static void test_load_sibling(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va, va2;

	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	td.sibling = td_nth('A', 0)->dhp;
	devmap_unload(td.sibling, 0, 0);
	td_rewind();
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va2);
	td.access = TD_ACC_SIBLING;
	is(fx_touch(p, va2), 0,
	   "row 25: loading a sibling handle of the same process inside access");
	int calls = td_count('A');
	is(fx_touch(p, va), 0, "row 25: the sibling reads");
	is(td_count('A'), calls,
	   "row 25: ... the sibling then faults in without devmap_access");
	sim_exit(p);
}

static void test_load_prot(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	is(sim_write32(p, va, 3), 0, "row 26: write after a read fault");
	is(td_count('A'), 1,
	   "row 26: a read fault loads with full protections; the write does not fault");
	sim_exit(p);
}

static void test_unload_other(void)
{
	struct sim_proc *a = fx_begin(1), *b;
	uintptr_t va, vb;

	sim_mmap(a, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_write32(a, va, 1);
	devmap_cookie_t dha = td_nth('A', 0)->dhp;
	b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	sim_mmap(b, TD_DEV, 0, P, RW, MAP_SHARED, &vb);
	sim_run(b);
	is(devmap_unload(dha, 0, P), 0,
	   "row 27: unload of another process's handle");
	is(sim_pte(a, va)->page == NULL, 1,
	   "row 27: ... its translation is gone");
	sim_exit(a);
	sim_exit(b);

	a = fx_begin(1);
	td.access = TD_ACC_NONE;
	sim_mmap(a, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_write32(a, va, 1);
	is(devmap_unload(td_nth('M', 0)->dhp, 0, 0), 0,
	   "row 27: unload of a handle without devmap_access");
	is(sim_pte(a, va)->page == NULL, 1,
	   "row 27: ... removes the translation");
	is(sim_read32(a, va, NULL), 1,
	   "row 27: ... next access reloads silently");
	sim_exit(a);
}

static int copy_pfn(const struct dm_backing *b, void *arg)
{
	*(unsigned long *)arg = b->kind == DM_BK_PFN ? b->pfn : 0;
	return 0;
}

static void test_host_access(void)
{
	struct sim_proc *p = fx_begin(1);
	unsigned long pfn = 0;
	uintptr_t va;

	td.nregions = 2;
	td.region[0].maplen = 2 * P;
	td.region[1] = (struct td_region){
		.kind = TD_DEVMEM, .rnumber = 1, .len = P, .no_callbacks = true
	};
	sim_mmap(p, TD_DEV, 0, 3 * P, RW, MAP_SHARED, &va);
	is(dm_seg_access(p->vmas->seg, va + 2 * P + 8, copy_pfn, &pfn), 0,
	   "debugger access to a page with no driver callback");
	is(pfn, fx_dip->regs[1].pfn0,
	   "debugger access: ... the right device page");
	is(td_count('A'), 0, "debugger access: ... never through the driver");
	is(dm_seg_access(p->vmas->seg, va + P, copy_pfn, &pfn), FC_NOMAP,
	   "debugger access: a gap has no backing");
	is(dm_seg_access(p->vmas->seg, va, copy_pfn, &pfn), FC_PROT,
	   "debugger access: a driver-managed page this mapping does not own is refused");
	sim_write32(p, va, 1);
	is(dm_seg_access(p->vmas->seg, va, copy_pfn, &pfn), 0,
	   "debugger access: ... and allowed while it owns it");
	sim_exit(p);
}

static void test_default_access(void)
{
	struct sim_proc *p = fx_begin(2);
	uintptr_t va;

	td.access = TD_ACC_DEFAULT;
	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	is(sim_write32(p, va + P, 0x77), 0,
	   "row 28: devmap_default_access as the devmap_access member");
	is(*(uint32_t *)fx_reg(0, P), 0x77, "row 28: ... loads the page");
	sim_exit(p);
}

int main(void)
{
	fx_init();
	test_lazy_and_args();
	test_noload();
	test_errors();
	test_prot_fault();
	test_load_ranges();
	test_load_context();
	test_load_sibling();
	test_load_prot();
	test_unload_other();
	test_default_access();
	test_host_access();
	return fx_done();
}
