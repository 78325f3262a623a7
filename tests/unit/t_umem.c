// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Kernel memory for user mappings: reference checklist rows 12, 49 and 50
 * (cookie types, ddi_umem_alloc rounding, zeroing, NOSLEEP failure, the
 * trash cookie; ddi_umem_free while mapped and twice).
 */
#include "fixture.h"

static void test_alloc(void)
{
	ddi_umem_cookie_t ck = (ddi_umem_cookie_t)1;
	char *kva;
	int zero = 1;

	is(ddi_umem_alloc(0, DDI_UMEM_SLEEP, &ck) == NULL && ck == NULL, 1,
	   "row 49: size 0 -> NULL and a NULL cookie");
	kva = ddi_umem_alloc(1, DDI_UMEM_SLEEP, &ck);
	ok(kva && ((uintptr_t)kva & PAGEOFFSET) == 0,
	   "row 49: size 1 -> page-aligned memory");
	for (size_t i = 0; i < P; i++)
		zero &= kva[i] == 0;
	ok(zero, "row 49: ... a whole zeroed page");
	ddi_umem_free(ck);
	sim_fail_alloc = 1;
	ck = (ddi_umem_cookie_t)1;
	is(ddi_umem_alloc(P, DDI_UMEM_NOSLEEP, &ck) == NULL && ck == NULL, 1,
	   "row 49: NOSLEEP failure -> NULL, NULL cookie");
	sim_fail_alloc = 2;
	is(ddi_umem_alloc(P, DDI_UMEM_NOSLEEP, &ck) == NULL && ck == NULL, 1,
	   "row 49: NOSLEEP failure of the memory itself -> nothing left");
	sim_fail_alloc = 0;
	ddi_umem_free(NULL);
	ok(1, "row 50: ddi_umem_free(NULL) does nothing");
}

static void test_types(void)
{
	ddi_umem_cookie_t pg, t1, t2;
	struct sim_proc *a = fx_begin(1), *b;
	uintptr_t va, vb;
	char *kva = ddi_umem_alloc(P, DDI_UMEM_PAGEABLE, &pg);

	td.region[0] =
		(struct td_region){ .kind = TD_UMEM, .cookie = pg, .len = P };
	is(sim_mmap(a, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 12: a PAGEABLE cookie maps (memory is kept resident)");
	sim_write32(a, va, 0x1f);
	is(*(uint32_t *)kva, 0x1f, "row 12: ... it is the cookie's memory");
	sim_exit(a);
	ddi_umem_free(pg);

	ddi_umem_alloc(P, DDI_UMEM_TRASH, &t1);
	ddi_umem_alloc(P, DDI_UMEM_TRASH, &t2);
	a = fx_begin(1);
	td.region[0] =
		(struct td_region){ .kind = TD_UMEM, .cookie = t1, .len = P };
	sim_mmap(a, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	b = sim_proc_create(DDI_MODEL_LP64);
	td_rewind();
	td.region[0].cookie = t2;
	sim_mmap(b, TD_DEV, 0, P, RW, MAP_SHARED, &vb);
	sim_write32(a, va + 16, 0xbeef);
	is(sim_read32(b, vb + 16, NULL), 0,
	   "trash_cookies_do_not_share_memory: another cookie's trash page does not see the write");
	is(sim_read32(a, va + 16, NULL), 0xbeef,
	   "trash_cookies_do_not_share_memory: ... its own cookie's page keeps it");
	ok(sim_pte(a, va)->page != sim_pte(b, vb)->page,
	   "trash_cookies_do_not_share_memory: ... two different pages");
	sim_exit(a);
	sim_exit(b);
	ddi_umem_free(t1);
	ddi_umem_free(t2);
}

static void test_free_while_mapped(void)
{
	struct sim_proc *p = fx_begin(1);
	ddi_umem_cookie_t ck;
	uintptr_t va;
	char *kva = ddi_umem_alloc(P, DDI_UMEM_SLEEP, &ck);
	long warnings;

	strcpy(kva, "still here");
	td.region[0] =
		(struct td_region){ .kind = TD_UMEM, .cookie = ck, .len = P };
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	ddi_umem_free(ck);
	is(sim_stats.live_umem, 1,
	   "row 50: ddi_umem_free while mapped keeps the memory");
	char buf[12] = { 0 };
	sim_read(p, va, buf, 8);
	is(memcmp(buf, "still he", 8), 0,
	   "row 50: ... the mapping still reads it (no dangling mapping)");
	warnings = sim_stats.warnings;
	ddi_umem_free(ck);
	is(sim_stats.warnings, warnings + 1,
	   "row 50: a second free while mapped is reported and ignored");
	sim_exit(p);
	is(sim_stats.live_umem, 0,
	   "row 50: the memory goes with the last mapping");
}

int main(void)
{
	fx_init();
	test_alloc();
	test_types();
	test_free_while_mapped();
	return fx_done();
}
