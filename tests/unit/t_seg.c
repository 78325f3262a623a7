// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * A mapping's life after mmap: reference checklist rows 37 and 39-42, 44
 * (fork with devmap_dup and its failure, full munmap and exit, head, tail
 * and hole munmap with the devmap_unmap arguments, multi-handle partial
 * unmaps, mprotect against maxprot).
 */
#include "fixture.h"

static void test_fork(void)
{
	struct sim_proc *p = fx_begin(2), *c;
	uintptr_t va;
	int err;

	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va, 1);
	c = sim_fork(p, &err);
	is(err, 0, "row 37: fork");
	is(td_count('U'), 1, "row 37: devmap_dup once per handle");
	ok(td_nth('U', 0)->dhp == td_nth('M', 0)->dhp &&
		   td_nth('U', 0)->n1 != td_nth('U', 0)->dhp,
	   "row 37: dup gets the parent's handle and a new one");
	ok(sim_pte(p, va)->page != NULL, "row 37: the parent keeps its own");
	int calls = td_count('A');
	is(sim_read32(c, va, NULL), 1, "row 37: the child reads the device");
	is(td_count('A'), calls + 1,
	   "row 37: ... after calling devmap_access for the child");
	is(td_nth('A', calls)->dhp, td_nth('U', 0)->n1,
	   "row 37: ... on the child's handle");
	sim_exit(c);
	sim_exit(p);

	p = fx_begin(1);
	td.no_dup = true;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	c = sim_fork(p, &err);
	sim_read32(p, va, NULL);
	sim_read32(c, va, NULL);
	ok(td_nth('A', 0)->pvtp && td_nth('A', 0)->pvtp == td_nth('A', 1)->pvtp,
	   "row 37: without devmap_dup the child shares the parent's pvtp");
	sim_exit(c);
	sim_exit(p);
	is(td_count('X'), 2, "row 37: ... and both unmap it");
	is(td_nth('X', 0)->pvtp, td_nth('X', 1)->pvtp,
	   "row 37: ... the same pvtp twice (drivers must refcount)");
	free(td_nth('X', 0)->pvtp);
	td_live_pvt--;

	static const struct {
		int ret, want;
	} fails[] = { { ENOMEM, ENOMEM }, { EIO, EAGAIN }, { -1, EAGAIN } };
	for (size_t i = 0; i < 3; i++) {
		p = fx_begin(1);
		td.nregions = 3;
		td.region[1] = td.region[0];
		td.region[2] = td.region[0];
		td.dup_fail_at = 2;
		td.dup_ret = fails[i].ret;
		sim_mmap(p, TD_DEV, 0, 3 * P, RW, MAP_SHARED, &va);
		c = sim_fork(p, &err);
		is(err, fails[i].want,
		   "row 37: devmap_dup returning %d -> fork %d", fails[i].ret,
		   fails[i].want);
		ok(c == NULL, "row 37: ... no child");
		is(td_count('X'), 1,
		   "row 37: ... only the handle dup'ed before gets devmap_unmap");
		is(td_nth('X', 0)->dhp, td_nth('U', 0)->n1,
		   "row 37: ... the child's first handle");
		sim_exit(p);
	}
}

static void test_exit_and_full_unmap(void)
{
	struct sim_proc *p = fx_begin(2);
	uintptr_t va;

	td.nregions = 2;
	td.region[1] =
		(struct td_region){ .kind = TD_DEVMEM, .rnumber = 1, .len = P };
	sim_mmap(p, TD_DEV, 0x4000, 3 * P, RW, MAP_SHARED, &va);
	is(sim_munmap(p, va, 3 * P), 0, "row 39: full munmap");
	is(td_count('X'), 2, "row 39: devmap_unmap per handle");
	is(td_nth('X', 0)->off, 0x4000, "row 39: ... off = dh_uoff");
	is(td_nth('X', 0)->len, 2 * P, "row 39: ... len = dh_len");
	is(td_nth('X', 1)->off, 0x4000 + 2 * P,
	   "row 39: second handle's dh_uoff");
	ok(!td_nth('X', 0)->n1 && !td_nth('X', 0)->n2 && !td_nth('X', 1)->n1 &&
		   !td_nth('X', 1)->n2,
	   "row 39: ... NULL new handles");
	td_rewind();
	sim_mmap(p, TD_DEV, 0x4000, 3 * P, RW, MAP_SHARED, &va);
	sim_exit(p);
	is(td_count('X'), 4, "row 39: exit unmaps every handle");
}

static void test_head(void)
{
	struct sim_proc *p = fx_begin(4);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0x8000, 4 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va + 3 * P, 0x33);
	is(sim_munmap(p, va, P), 0, "row 40: head munmap");
	struct td_call *x = td_nth('X', 0);
	ok(x && x->off == 0x8000 && x->len == P,
	   "row 40: devmap_unmap(dh_uoff, removed length)");
	ok(x->n1 == NULL && x->p1 == NULL, "row 40: ... new_dhp1 NULL");
	ok(x->n2 == x->dhp, "row 40: ... new_dhp2 is the handle itself");
	void *newpvt = *x->p2;
	int calls = td_count('A');
	ok(sim_pte(p, va + 3 * P)->page == NULL,
	   "partial_munmap_survivors_revoked: a loaded survivor of a head cut loses its translation");
	is(sim_read32(p, va + 3 * P, NULL), 0x33,
	   "row 40: a page loaded before the cut still shows its device page");
	is(td_count('A'), calls + 1,
	   "partial_munmap_survivors_revoked: ... after asking devmap_access again");
	is(td_nth('A', calls)->off, 0xb000, "row 40: ... at its user offset");
	sim_write32(p, va + P, 0x11);
	is(*(uint32_t *)fx_reg(0, P), 0x11,
	   "row 40: access after a head unmap maps the correct page");
	is(td_nth('A', calls + 1)->off, 0x9000,
	   "row 40: ... at the same user offset");
	is(td_nth('A', calls + 1)->pvtp, newpvt,
	   "row 40: new_pvtp2 replaced pvtp");
	is(devmap_unload(x->dhp, 0x8000, P), FC_MAKE_ERR(EINVAL),
	   "row 40: the handle now starts one page later");
	sim_exit(p);
}

static void test_tail(void)
{
	struct sim_proc *p = fx_begin(4);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0x8000, 4 * P, RW, MAP_SHARED, &va);
	is(sim_munmap(p, va + 3 * P, P), 0, "row 41: tail munmap");
	struct td_call *x = td_nth('X', 0);
	ok(x->off == 0x8000 + 3 * P && x->len == P,
	   "row 41: devmap_unmap(offset of the address, removed length)");
	ok(x->n1 == x->dhp && x->n2 == NULL, "row 41: new_dhp1 is the handle");
	is(sim_write32(p, va + 2 * P, 1), 0, "row 41: the rest works");
	sim_exit(p);

	/* multi-handle: tail starts inside the first of three handles */
	p = fx_begin(4);
	td.nregions = 3;
	td.region[1] = (struct td_region){ .kind = TD_DEVMEM,
					   .rnumber = 1,
					   .len = 2 * P };
	td.region[2] = (struct td_region){ .kind = TD_DEVMEM,
					   .rnumber = 2,
					   .len = 2 * P };
	sim_mmap(p, TD_DEV, 0, 8 * P, RW, MAP_SHARED, &va);
	is(sim_munmap(p, va + 2 * P, 6 * P), 0,
	   "row 41: multi-handle tail starting inside a non-last handle");
	is(td_count('X'), 3, "row 41: ... three devmap_unmap calls");
	x = td_nth('X', 0);
	ok(x->off == 2 * P && x->len == 2 * P && x->n1 == x->dhp,
	   "row 41: ... the first handle loses its last 2 pages (illumos miscomputes)");
	ok(!td_nth('X', 1)->n1 && !td_nth('X', 2)->n1 &&
		   td_nth('X', 2)->len == 2 * P,
	   "row 41: ... the others go whole");
	sim_write32(p, va + P, 0x44);
	is(*(uint32_t *)fx_reg(0, P), 0x44, "row 41: the remaining head works");
	sim_exit(p);
	is(td_count('X'), 4, "row 41: exit then unmaps the survivor once");
}

static void test_hole(void)
{
	struct sim_proc *p = fx_begin(6);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0x10000, 6 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va + 5 * P, 0x55);
	is(sim_munmap(p, va + 2 * P, 2 * P), 0, "row 42: hole munmap");
	struct td_call *x = td_nth('X', 0);
	ok(x->off == 0x12000 && x->len == 2 * P,
	   "row 42: devmap_unmap(offset of the hole, its length)");
	ok(x->n1 == x->dhp, "row 42: new_dhp1 is the handle (low part)");
	ok(x->n2 && x->n2 != x->dhp,
	   "row 42: new_dhp2 is a new handle (high part)");
	devmap_cookie_t lo = x->n1, hi = x->n2;
	int calls = td_count('A');
	is(sim_read32(p, va + 5 * P, NULL), 0x55,
	   "row 42: a page of the high part loaded before the cut still shows its device page");
	ok(td_count('A') == calls + 1 && td_nth('A', calls)->dhp == hi &&
		   td_nth('A', calls)->off == 0x15000,
	   "partial_munmap_survivors_revoked: ... after asking devmap_access again, on the new handle");
	sim_write32(p, va + 4 * P, 0x44);
	is(*(uint32_t *)fx_reg(0, 4 * P), 0x44,
	   "row 42: high part maps its pages");
	is(td_nth('A', calls + 1)->dhp, hi,
	   "row 42: ... through the new handle");
	is(td_nth('A', calls + 1)->off, 0x14000,
	   "row 42: ... at its user offset");
	sim_write32(p, va + P, 0x11);
	is(td_nth('A', calls + 2)->dhp, lo,
	   "row 42: low part through the old one");
	is(sim_write32(p, va + 2 * P, 1), SIGSEGV, "row 42: the hole is gone");
	is(devmap_unload(hi, 0x14000, 2 * P), 0, "row 42: new handle's range");
	is(devmap_unload(lo, 0x12000, P), FC_MAKE_ERR(EINVAL),
	   "row 42: old handle ends at the hole");
	sim_exit(p);
	is(td_count('X'), 3, "row 42: exit unmaps both halves");

	/* a hole across three handles */
	p = fx_begin(2);
	td.nregions = 3;
	td.region[1] = (struct td_region){ .kind = TD_DEVMEM,
					   .rnumber = 1,
					   .len = 2 * P };
	td.region[2] = (struct td_region){ .kind = TD_DEVMEM,
					   .rnumber = 2,
					   .len = 2 * P };
	sim_mmap(p, TD_DEV, 0, 6 * P, RW, MAP_SHARED, &va);
	td_nlog = 0;
	is(sim_munmap(p, va + P, 4 * P), 0,
	   "row 42: hole spanning three handles");
	ok(td_count('X') == 3 && td_nth('X', 0)->n1 && !td_nth('X', 0)->n2 &&
		   !td_nth('X', 1)->n1 && !td_nth('X', 1)->n2 &&
		   !td_nth('X', 2)->n1 && td_nth('X', 2)->n2,
	   "row 42: tail of the first, all of the enclosed, head of the last");
	sim_write32(p, va, 0xa);
	sim_write32(p, va + 5 * P, 0xb);
	ok(*(uint32_t *)fx_reg(0, 0) == 0xa && *(uint32_t *)fx_reg(2, P) == 0xb,
	   "row 42: both ends still map their own device pages");
	sim_exit(p);
}

static struct sim_proc *race_b;
static uintptr_t race_vb;

static void switch_to_b(void)
{
	td.unmap_hook = NULL;
	sim_read32(race_b, race_vb + 3 * P, NULL);
}

static void test_hole_vs_switch(void)
{
	struct sim_proc *a = fx_begin(4);
	uintptr_t va;

	td.access = TD_ACC_CTXMGT;
	sim_mmap(a, TD_DEV, 0, 4 * P, RW, MAP_SHARED, &va);
	race_b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	sim_mmap(race_b, TD_DEV, 0, 4 * P, RW, MAP_SHARED, &race_vb);
	sim_read32(a, va + 3 * P, NULL);
	td.unmap_hook = switch_to_b;
	is(sim_munmap(a, va + P, P), 0,
	   "row 42: B takes the context while A's hole munmap is under way");
	int calls = td_count('A');
	sim_read32(a, va + 3 * P, NULL);
	is(td_count('A'), calls + 1,
	   "row 42: ... A's next access to the page above the hole asks the driver");
	is(sim_mappers((struct sim_proc *[]){ a, race_b }, 2, fx_reg(0, 3 * P)),
	   1, "row 42: ... and only one process maps the context page");
	sim_exit(a);
	sim_exit(race_b);
}

static void test_hole_without_memory(void)
{
	struct sim_proc *p = fx_begin(6);
	long warnings = sim_stats.warnings;
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, 6 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va + 3 * P, 1);
	sim_fail_alloc = 1;
	is(sim_munmap(p, va + P, P), ENOMEM,
	   "row 42: a hole munmap with no memory for the split -> ENOMEM");
	sim_fail_alloc = 0;
	ok(td_count('X') == 0 && sim_write32(p, va + P, 2) == 0,
	   "row 42: ... before anything changed");
	is(sim_munmap(p, va + P, P), 0, "row 42: ... and works with memory");

	/* a host that cuts without asking dm_seg_may_split first */
	sim_skip_may_split = true;
	sim_fail_alloc = 1;
	sim_write32(p, va + 5 * P, 1);
	is(sim_munmap(p, va + 3 * P, P), 0,
	   "row 42: a hole cut the host did not announce, with no memory");
	sim_fail_alloc = 0;
	sim_skip_may_split = false;
	is(sim_stats.warnings, warnings + 1, "row 42: ... is reported");
	struct td_call *x = td_nth('X', 1);
	ok(x->off == 3 * P && x->len == 3 * P && x->n1 == x->dhp && !x->n2,
	   "row 42: ... the driver is told everything above the hole went");
	is(sim_write32(p, va + 5 * P, 2), SIGSEGV,
	   "row 42: ... and no translation above the hole survives");
	is(sim_write32(p, va, 3), 0, "row 42: ... the part below still works");
	sim_exit(p);
}

static void test_empty_unmaps(void)
{
	struct sim_proc *p = fx_begin(4);
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, 4 * P, RW, MAP_SHARED, &va);
	dm_seg_unmap(p->vmas->seg, va + P, 0);
	dm_seg_unmap(p->vmas->seg, va + 64 * P, 2 * P);
	is(td_count('X'), 0,
	   "a host's empty or foreign range (failed split, refused mremap) unmaps nothing");
	sim_exit(p);
}

static void test_mprotect(void)
{
	struct sim_proc *p = fx_begin(2);
	uintptr_t va;

	td.region[0].maxprot = PROT_READ | PROT_WRITE | PROT_USER;
	sim_mmap(p, TD_DEV, 0, 2 * P, PROT_READ, MAP_SHARED, &va);
	is(dm_seg_maxprot(p->vmas->seg), RW,
	   "row 44: the host learns the maxprot all handles allow");
	is(sim_mprotect(p, va, P, RW), 0, "row 44: mprotect within maxprot");
	is(sim_write32(p, va, 1), 0, "row 44: ... takes effect");
	is(sim_mprotect(p, va, 2 * P, PROT_READ | PROT_EXEC), EACCES,
	   "row 44: mprotect beyond the driver's maxprot -> EACCES");
	is(sim_exec(p, va + P), SIGSEGV, "row 44: ... and nothing changed");
	sim_exit(p);
}

int main(void)
{
	fx_init();
	test_fork();
	test_exit_and_full_unmap();
	test_head();
	test_tail();
	test_hole();
	test_hole_vs_switch();
	test_hole_without_memory();
	test_empty_unmaps();
	test_mprotect();
	return fx_done();
}
