// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Remapping live handles: reference checklist rows 46-48
 * (DEVMAP_MAPPING_INVALID, devmap_devmem_remap, devmap_umem_remap with the
 * trash page), including remaps from inside devmap_access and devmap_dup.
 */
#include "fixture.h"

static void test_invalid(void)
{
	struct sim_proc *p = fx_begin(1);
	ddi_umem_cookie_t ck;
	uintptr_t va;

	td.region[0].flags = DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 46: devmem MAPPING_INVALID|ALLOW_REMAP maps");
	is(sim_write32(p, va, 1), SIGSEGV, "row 46: ... access -> SIGSEGV");
	is(p->sig_fc, FC_NOMAP, "row 46: ... FC_NOMAP");
	sim_exit(p);

	ddi_umem_alloc(P, DDI_UMEM_SLEEP, &ck);
	p = fx_begin(1);
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = P,
					   .flags = DEVMAP_MAPPING_INVALID |
						    DEVMAP_ALLOW_REMAP };
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(sim_write32(p, va, 1), SIGSEGV,
	   "row 46: umem MAPPING_INVALID access -> SIGSEGV (illumos dereferences NULL)");
	sim_exit(p);
	ddi_umem_free(ck);
}

static void test_devmem_remap(void)
{
	struct sim_proc *p = fx_begin(2);
	ddi_device_acc_attr_t wc = { DDI_DEVICE_ATTR_V0, DDI_NEVERSWAP_ACC,
				     DDI_MERGING_OK_ACC, 0 };
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	devmap_cookie_t dhp = td_nth('A', 0)->dhp;
	is(devmap_devmem_remap(dhp, fx_dip, 1, 0, 2 * P, PROT_ALL, 0, NULL),
	   DDI_FAILURE, "row 47: devmem_remap without ALLOW_REMAP -> -1");
	sim_exit(p);

	p = fx_begin(2);
	td.region[0].flags = DEVMAP_ALLOW_REMAP;
	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va + P, 0x10);
	dhp = td_nth('A', 0)->dhp;
	is(devmap_devmem_remap(dhp, fx_dip, 1, 0, 2 * P, PROT_ALL, 0x4, NULL),
	   DDI_FAILURE, "row 47: flags other than 0/MAPPING_INVALID -> -1");
	is(devmap_devmem_remap(dhp, fx_dip, 1, 0, P, PROT_ALL, 0, NULL),
	   DDI_FAILURE,
	   "row 47: a new region smaller than the handle -> -1 (illumos maps past it)");
	is(devmap_devmem_remap(dhp, fx_dip, 1, 0, 2 * P, PROT_READ | PROT_USER,
			       0, NULL),
	   DDI_FAILURE, "row 47: maxprot below the mapping's prot -> -1");
	is(devmap_devmem_remap(dhp, fx_dip, 7, 0, 2 * P, PROT_ALL, 0, NULL),
	   DDI_FAILURE, "row 47: bad register set -> -1");
	ok(sim_pte(p, va + P)->page != NULL,
	   "row 47: ... failures change nothing");
	is(devmap_devmem_remap(dhp, fx_dip, 1, 0, 2 * P, PROT_ALL, 0, &wc),
	   DDI_SUCCESS, "row 47: remap to register set 1");
	ok(sim_pte(p, va + P)->page == NULL,
	   "row 47: ... unloads the whole handle");
	sim_write32(p, va + P, 0x20);
	is(*(uint32_t *)fx_reg(1, P), 0x20,
	   "row 47: ... next access loads the new pfn");
	is(sim_pte(p, va + P)->cache, DM_CACHE_WC,
	   "row 47: ... with the new attributes");
	is(*(uint32_t *)fx_reg(0, P), 0x10,
	   "row 47: the old page is untouched");
	is(devmap_devmem_remap(dhp, fx_dip, 0, 0, 0, PROT_ALL,
			       DEVMAP_MAPPING_INVALID, NULL),
	   DDI_FAILURE, "row 47: length 0 cannot cover the handle");
	is(devmap_devmem_remap(dhp, fx_dip, 0, 0, 2 * P, PROT_ALL,
			       DEVMAP_MAPPING_INVALID, NULL),
	   DDI_SUCCESS, "row 47: remap to MAPPING_INVALID");
	is(sim_write32(p, va, 1), SIGSEGV,
	   "row 47: ... then access -> SIGSEGV");
	sim_exit(p);
}

static int remap_hook(devmap_cookie_t dhp, offset_t off, size_t len,
		      uint_t type, uint_t rw)
{
	if (devmap_devmem_remap(dhp, fx_dip, 2, 0, P, PROT_ALL, 0, NULL))
		return EIO;
	return devmap_load(dhp, off, len, type, rw);
}

static int dup_invalidate(devmap_cookie_t new_dhp)
{
	return devmap_devmem_remap(new_dhp, fx_dip, 0, 0, P, PROT_ALL,
				   DEVMAP_MAPPING_INVALID, NULL) ?
		       EIO :
		       0;
}

static void test_remap_in_callbacks(void)
{
	struct sim_proc *p = fx_begin(1), *c;
	uintptr_t va;
	int err;

	td.region[0].flags = DEVMAP_ALLOW_REMAP;
	td.access = TD_ACC_HOOK;
	td.hook = remap_hook;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(sim_write32(p, va, 0x99), 0,
	   "row 47: remap from inside devmap_access");
	is(*(uint32_t *)fx_reg(2, 0), 0x99,
	   "row 47: ... the access went to the new page");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].flags = DEVMAP_ALLOW_REMAP;
	td.dup_hook = dup_invalidate;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	c = sim_fork(p, &err);
	is(err, 0,
	   "row 47: remap of new_dhp inside devmap_dup (hermon revokes the child)");
	is(sim_write32(c, va, 1), SIGSEGV,
	   "row 47: ... the child's access -> SIGSEGV");
	is(sim_write32(p, va, 1), 0, "row 47: ... the parent's still works");
	sim_exit(c);
	sim_exit(p);
}

static void test_umem_remap(void)
{
	ddi_umem_cookie_t ck, ck2, trash;
	char *kva = ddi_umem_alloc(2 * P, DDI_UMEM_SLEEP, &ck);
	char *kva2 = ddi_umem_alloc(2 * P, DDI_UMEM_SLEEP, &ck2);
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	is(ddi_umem_alloc(2 * P, DDI_UMEM_TRASH, &trash) == NULL && trash, 1,
	   "row 49: a TRASH cookie: NULL returned, valid cookie");
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = 2 * P };
	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va, 1);
	devmap_cookie_t dhp = td_nth('A', 0)->dhp;
	is(devmap_umem_remap(dhp, fx_dip, ck2, 0, 2 * P, PROT_ALL, 0, NULL),
	   DDI_FAILURE, "row 48: umem_remap without ALLOW_REMAP -> -1");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = 2 * P,
					   .flags = DEVMAP_ALLOW_REMAP };
	sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va);
	sim_write32(p, va, 0x1234);
	dhp = td_nth('A', 0)->dhp;
	is(devmap_umem_remap(dhp, fx_dip, NULL, 0, 2 * P, PROT_ALL, 0, NULL),
	   DDI_FAILURE, "row 48: NULL cookie -> -1 (illumos dereferences it)");
	is(devmap_umem_remap(dhp, fx_dip, ck2, P, P, PROT_ALL, 0, NULL),
	   DDI_FAILURE, "row 48: a region smaller than the handle -> -1");
	is(devmap_umem_remap(dhp, fx_dip, ck2, P, 2 * P, PROT_ALL, 0, NULL),
	   DDI_FAILURE, "row 48: off + len past the cookie -> -1");
	is(devmap_umem_remap(dhp, fx_dip, ck2, 0, 2 * P, PROT_ALL,
			     IOMEM_DATA_UNCACHED | IOMEM_DATA_UC_WR_COMBINE,
			     NULL),
	   DDI_FAILURE, "row 48: two cache attributes -> -1");
	is(devmap_umem_remap(dhp, fx_dip, ck2, 0, 2 * P, PROT_ALL,
			     IOMEM_DATA_UNCACHED, NULL),
	   DDI_SUCCESS, "row 48: remap to another cookie, uncached");
	sim_write32(p, va + 4, 0x77);
	ok(*(uint32_t *)(kva2 + 4) == 0x77 && *(uint32_t *)kva == 0x1234,
	   "row 48: accesses reach the new memory only");
	is(sim_pte(p, va)->cache, DM_CACHE_UC, "row 48: ... uncached");
	is(devmap_umem_remap(dhp, fx_dip, trash, 0, 2 * P, PROT_ALL, 0, NULL),
	   DDI_SUCCESS, "row 48: remap to the trash cookie (winlock)");
	is(sim_write32(p, va + 8, 0xdead), 0,
	   "row 48: a write to the trash page");
	is(sim_read32(p, va + P + 8, NULL), 0xdead,
	   "row 48: every page of the handle is the one trash page");
	ok(*(uint32_t *)(kva2 + 8) == 0,
	   "row 48: ... the real memory is untouched");
	sim_exit(p);
	ddi_umem_free(trash);
	ddi_umem_free(ck2);
	ddi_umem_free(ck);
}

/* The remap devmap_unmap(9E) makes of the handle being cut (cut_*). */
static devmap_cookie_t cut_dhp;
static ddi_umem_cookie_t cut_to;
static offset_t cut_off;
static size_t cut_len;
static int cut_ret;

static void cut_remap(void)
{
	cut_ret = devmap_umem_remap(cut_dhp, fx_dip, cut_to, cut_off, cut_len,
				    PROT_ALL, 0, NULL);
}

/*
 * Four pages of memory, page i holding @base + i (fills of their own per
 * call: a read past the backing must not find an earlier call's freed
 * values and match).
 */
static char *cut_mem(ddi_umem_cookie_t *ck, uint32_t base)
{
	char *k = ddi_umem_alloc(4 * P, DDI_UMEM_SLEEP, ck);

	for (int pg = 0; pg < 4; pg++)
		*(uint32_t *)(k + pg * P) = base + pg;
	return k;
}

/*
 * Map @a (four pages, DEVMAP_ALLOW_REMAP) in @p with every page loaded,
 * then munmap [@uoff, @uoff + @ulen) while devmap_unmap(9E) runs @hook
 * on the handle (cut_dhp).  Returns the mapping's address.
 */
static uintptr_t cut_run(struct sim_proc *p, ddi_umem_cookie_t a, size_t uoff,
			 size_t ulen, void (*hook)(void))
{
	uintptr_t va;

	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = a,
					   .len = 4 * P,
					   .flags = DEVMAP_ALLOW_REMAP };
	sim_mmap(p, TD_DEV, 0, 4 * P, RW, MAP_SHARED, &va);
	for (int pg = 0; pg < 4; pg++)
		sim_read32(p, va + pg * P, NULL); /* loaded: translations */
	cut_dhp = td_nth('M', 0)->dhp;
	cut_ret = -2;
	td.unmap_hook = hook;
	sim_munmap(p, va + uoff, ulen);
	td.unmap_hook = NULL;
	return va;
}

/*
 * A four-page mapping, cut by munmap of [@uoff, @uoff + @ulen) while
 * devmap_unmap(9E) moves the handle onto B at @off for @len (the whole
 * handle: the driver's view before it heard of the cut; the survivor's:
 * after).  Returns the pages of the survivors that do not read B's page
 * at their own offset, or -1 when the remap was refused.
 */
static int remap_during_cut(size_t uoff, size_t ulen, offset_t off, size_t len)
{
	static uint32_t call;
	uint32_t fill_b = 0xb0000 + (++call << 8);
	ddi_umem_cookie_t a, b;
	struct sim_proc *p = fx_begin(1);
	int wrong = 0;
	uintptr_t va;

	cut_mem(&a, 0xa0000 + (call << 8));
	cut_mem(&b, fill_b);
	cut_to = b;
	cut_off = off;
	cut_len = len;
	va = cut_run(p, a, uoff, ulen, cut_remap);
	for (size_t pg = 0; pg < 4; pg++)
		if (pg * P < uoff || pg * P >= uoff + ulen)
			wrong += sim_read32(p, va + pg * P, NULL) !=
				 fill_b + pg;
	sim_exit(p);
	ddi_umem_free(b);
	ddi_umem_free(a);
	return cut_ret == DDI_SUCCESS ? wrong : -1;
}

/*
 * A remap racing a partial munmap: the core splits the handle before
 * devmap_unmap(9E) and cuts it after, so the driver may remap it in
 * either view.  Every survivor must end on the new backing at its own
 * offset, and a remap with the survivor's length must not be refused.
 */
static void test_remap_during_cut(void)
{
	is(remap_during_cut(P, P, 0, 4 * P), 0,
	   "cut: a hole; the whole handle remapped: both survivors follow");
	is(remap_during_cut(2 * P, 2 * P, 0, 2 * P), 0,
	   "cut: the tail; the survivor's length remapped: accepted, it follows");
	is(remap_during_cut(0, P, P, 3 * P), 0,
	   "cut: the head; the survivor remapped at its offset: it follows");
	is(remap_during_cut(0, P, 0, 4 * P), 0,
	   "cut: the head; the whole handle remapped: the survivor follows");
}

/* The old view (whole handle onto B), then the new view (survivor onto C). */
static ddi_umem_cookie_t cut_to2;

static void cut_remap_twice(void)
{
	cut_ret = devmap_umem_remap(cut_dhp, fx_dip, cut_to, 0, 4 * P, PROT_ALL,
				    0, NULL);
	if (cut_ret == DDI_SUCCESS)
		cut_ret = devmap_umem_remap(cut_dhp, fx_dip, cut_to2, 0, P,
					    PROT_ALL, 0, NULL);
}

/*
 * A hole at [P, 2P) of four pages: the driver remaps the whole handle onto
 * B before it hears of the cut, then the survivor [0, P) onto C, one page,
 * after.  The part above the hole must stay on B (at its offset), never
 * take C, which is only one page long.
 */
static void test_remap_during_cut_two_views(void)
{
	ddi_umem_cookie_t a, b, c;
	char *kc = ddi_umem_alloc(P, DDI_UMEM_SLEEP, &c);
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	cut_mem(&a, 0xa0);
	cut_mem(&b, 0xe0);
	*(uint32_t *)kc = 0xc0;
	cut_to = b;
	cut_to2 = c;
	va = cut_run(p, a, P, P, cut_remap_twice);
	is(cut_ret, DDI_SUCCESS, "cut: two views: both remaps accepted");
	is(sim_read32(p, va, NULL), 0xc0, "cut: two views: the survivor on C");
	is(sim_read32(p, va + 2 * P, NULL), 0xe2,
	   "cut: two views: the part above the hole stays on B (not past C)");
	is(sim_read32(p, va + 3 * P, NULL), 0xe3,
	   "cut: two views: ... its last page too");
	sim_exit(p);
	ddi_umem_free(c);
	ddi_umem_free(b);
	ddi_umem_free(a);
}

int main(void)
{
	fx_init();
	test_invalid();
	test_devmem_remap();
	test_remap_in_callbacks();
	test_umem_remap();
	test_remap_during_cut();
	test_remap_during_cut_two_views();
	return fx_done();
}
