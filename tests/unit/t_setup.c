// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The mmap path: reference checklist rows 1-11, 13-17, 53 and 54 (path
 * selection, devmap(9E) errors and *maplen iteration, the data model,
 * devmem/umem setup checks and cache modes, the callback copy,
 * devmap_map and its failure, MAP_FIXED, MAP_PRIVATE, access functions).
 */
#include "fixture.h"

static int seg_cb_devmap(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
			 off_t len, uint_t prot, uint_t maxprot, uint_t flags,
			 cred_t *credp)
{
	return ddi_devmap_segmap(dev, off, asp, addrp, len, prot, maxprot,
				 flags, credp);
}

static int seg_cb_refuse(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
			 off_t len, uint_t prot, uint_t maxprot, uint_t flags,
			 cred_t *credp)
{
	if ((flags & MAP_TYPE_MASK) == MAP_PRIVATE)
		return EINVAL;
	return devmap_setup(dev, (offset_t)off, asp, addrp, (size_t)len, prot,
			    maxprot, flags, credp);
}

static int seg_cb_nothing(dev_t dev, off_t off, struct as *asp, caddr_t *addrp,
			  off_t len, uint_t prot, uint_t maxprot, uint_t flags,
			  cred_t *credp)
{
	return 0;
}

#define ALT_MAJOR 9
#define ALT_DEV SIM_DEV(ALT_MAJOR, 0)

static int map_alt(struct sim_proc *p, const struct cb_ops *cb, uintptr_t *va)
{
	sim_register_cb(ALT_MAJOR, cb);
	return sim_mmap(p, ALT_DEV, 0, P, RW, MAP_SHARED, va);
}

static void test_path_selection(void)
{
	struct sim_proc *p = fx_begin(1);
	struct cb_ops cb = td_cb_ops;
	uintptr_t va;

	cb.cb_devmap = nodev;
	is(map_alt(p, &cb, &va), ENODEV,
	   "row 1: D_DEVMAP with cb_devmap=nodev -> ENODEV");

	cb = td_cb_ops;
	cb.cb_flag = D_MP;
	cb.cb_mmap = td_mmap;
	is(map_alt(p, &cb, &va), 0,
	   "row 1: real mmap(9E) and devmap(9E) without D_DEVMAP -> old path");
	is(td_count('D'), 0, "row 1: old path does not call devmap(9E)");
	is(sim_write32(p, va + 4, 7), 0, "row 1: old path faults in pages");
	is(*(uint32_t *)fx_reg(0, 4), 7, "row 1: old path maps mmap(9E)'s pfn");
	is(sim_munmap(p, va, P), 0, "row 1: old path munmap");

	cb = td_cb_ops;
	cb.cb_segmap = seg_cb_devmap;
	is(map_alt(p, &cb, &va), 0,
	   "row 1: segmap calling ddi_devmap_segmap maps");
	is(td_count('D'), 1, "row 1: ... through devmap(9E)");
	sim_munmap(p, va, P);

	td_reset(fx_dip);
	td.nregions = 1;
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM, .len = P };
	cb = td_cb_ops;
	cb.cb_segmap = seg_cb_refuse;
	sim_register_cb(ALT_MAJOR, &cb);
	is(sim_mmap(p, ALT_DEV, 0, P, PROT_READ, MAP_PRIVATE, &va), EINVAL,
	   "row 1: a segmap(9E) policy error reaches mmap");
	is(td_count('D'), 0, "row 1: ... before devmap(9E) is called");
	td_rewind();
	is(sim_mmap(p, ALT_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 1: custom segmap calling devmap_setup maps");
	sim_munmap(p, va, P);

	cb.cb_segmap = seg_cb_nothing;
	is(map_alt(p, &cb, &va), ENODEV,
	   "row 1: segmap returning 0 without mapping -> ENODEV, not a hole");

	cb = td_cb_ops;
	cb.cb_flag = D_MP;
	cb.cb_mmap = NULL;
	td_reset(fx_dip);
	td.nregions = 1;
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM, .len = P };
	is(map_alt(p, &cb, &va), 0,
	   "row 2: no D_DEVMAP and cb_mmap=NULL uses devmap (man page; illumos EINVAL)");
	sim_munmap(p, va, P);
	td_reset(fx_dip);
	td.nregions = 1;
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM, .len = P };
	cb.cb_mmap = nodev;
	is(map_alt(p, &cb, &va), 0,
	   "row 2: no D_DEVMAP and cb_mmap=nodev uses devmap");
	sim_munmap(p, va, P);

	is(devmap_setup(TD_DEV, 0, p->as, NULL, P, RW, RW, MAP_SHARED, NULL),
	   EINVAL, "row 2: devmap_setup outside segmap(9E) -> EINVAL");
	sim_exit(p);
}

static void test_devmap_errors(void)
{
	static const int rets[] = { EINVAL, -1, EFAULT, ENXIO };

	for (size_t i = 0; i < sizeof(rets) / sizeof(rets[0]); i++) {
		struct sim_proc *p = fx_begin(1);
		uintptr_t va;

		td.devmap_ret = rets[i];
		is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
		   "row 3: devmap(9E) returning %d -> mmap ENXIO", rets[i]);
		is(td_count('M'), 0, "row 3: no devmap_map after it");
		is(p->vmas == NULL, 1, "row 3: nothing mapped");
		sim_exit(p);
	}
	struct sim_proc *p = fx_begin(4);
	uintptr_t va;

	is(sim_mmap(p, TD_DEV, 16 * P, P, RW, MAP_SHARED, &va), 0,
	   "sanity: tdrv maps offset 16 pages (region 0)");
	sim_munmap(p, va, P);
	td_reset(fx_dip);
	td.nregions = 0;
	is(sim_mmap(p, TD_DEV, 64 * P, P, RW, MAP_SHARED, &va), ENXIO,
	   "offset beyond the device: driver's ENXIO reaches mmap");
	sim_exit(p);
}

static void test_maplen_iteration(void)
{
	struct sim_proc *p = fx_begin(1);
	ddi_umem_cookie_t ck;
	uintptr_t va;
	void *kva = ddi_umem_alloc(2 * P, DDI_UMEM_SLEEP, &ck);

	td.nregions = 3;
	td.region[0] =
		(struct td_region){ .kind = TD_DEVMEM, .rnumber = 1, .len = P };
	td.region[1] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = 2 * P };
	td.region[2] = (struct td_region){
		.kind = TD_DEVMEM, .rnumber = 2, .roff = P, .len = P
	};
	is(sim_mmap(p, TD_DEV, 0x10000, 4 * P, RW, MAP_SHARED, &va), 0,
	   "row 4: three discontiguous regions in one mmap");
	is(td_count('D'), 3, "row 4: devmap(9E) called three times, not four");
	is(td_nth('D', 0)->off, 0x10000, "row 4: call 1 off");
	is(td_nth('D', 0)->len, 4 * P, "row 4: call 1 len");
	is(td_nth('D', 1)->off, 0x10000 + P, "row 4: call 2 off += maplen");
	is(td_nth('D', 1)->len, 3 * P, "row 4: call 2 len -= maplen");
	is(td_nth('D', 2)->off, 0x10000 + 3 * P, "row 4: call 3 off");
	is(td_nth('D', 2)->len, P, "row 4: call 3 len");
	ok(td_nth('D', 0)->dhp != td_nth('D', 1)->dhp,
	   "row 4: each call gets a new handle");
	is(td_nth('M', 1)->off, 0x10000 + P, "row 4: handle 2 dh_uoff");
	is(td_nth('M', 2)->off, 0x10000 + 3 * P, "row 4: handle 3 dh_uoff");
	is(td_nth('M', 2)->len, P, "row 4: handle 3 length");
	is(td_nth('M', 0)->dhp, td_nth('D', 0)->dhp,
	   "row 14: devmap_map in handle order");
	sim_write32(p, va, 0x11);
	sim_write32(p, va + P + 8, 0x22);
	sim_write32(p, va + 3 * P, 0x33);
	is(*(uint32_t *)fx_reg(1, 0), 0x11, "row 4: page 0 is register set 1");
	is(*(uint32_t *)((char *)kva + 8), 0x22, "row 4: page 1 is the umem");
	is(*(uint32_t *)fx_reg(2, P), 0x33, "row 4: page 3 is set 2 at roff");
	sim_exit(p);
	ddi_umem_free(ck);
}

static void test_maplen_validation(void)
{
	struct sim_proc *p = fx_begin(2);
	uintptr_t va;

	td.region[0].maplen = P + 8;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), EINVAL,
	   "row 5: *maplen not a page multiple -> EINVAL");
	is(td_live_pvt, 0, "row 5: ... nothing left");
	sim_exit(p);

	p = fx_begin(2);
	td.region[0].kind = TD_DEVMEM;
	td.nregions = 4;
	td.region[0].maplen = 0;
	td.region[0].len = 0;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), ENXIO,
	   "row 5: setup of length 0 fails -> ENXIO");
	sim_exit(p);

	p = fx_begin(2);
	td.region[0].kind = TD_NOSETUP;
	td.region[0].maplen = 0;
	td.region[0].len = 0;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), ENXIO,
	   "row 5/7: *maplen 0 without setup ends with an error (illumos hangs)");
	is(td_count('D'), 1, "row 5: ... after one devmap(9E) call");
	sim_exit(p);

	p = fx_begin(4);
	td.region[0].maplen = 8 * P;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), 0,
	   "row 5: *maplen > len is taken as len");
	is(td_count('D'), 1, "row 5: ... and ends the iteration");
	is(sim_write32(p, va + P, 1), 0, "row 5: ... mapping usable");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].maplen = 2 * P;
	td.nregions = 2;
	td.region[1] =
		(struct td_region){ .kind = TD_DEVMEM, .rnumber = 1, .len = P };
	is(sim_mmap(p, TD_DEV, 0, 3 * P, RW, MAP_SHARED, &va), 0,
	   "row 5: setup len 1 page with *maplen 2 pages leaves a gap");
	is(sim_write32(p, va, 1), 0, "row 23: page before the gap works");
	is(sim_write32(p, va + P, 1), SIGSEGV, "row 23: gap access -> SIGSEGV");
	is(p->sig_fc, FC_NOMAP, "row 23: ... FC_NOMAP (SEGV_MAPERR)");
	is(sim_write32(p, va + 2 * P, 5), 0,
	   "row 23: handle after the gap works");
	is(*(uint32_t *)fx_reg(1, 0), 5,
	   "row 23: ... at its own device memory");
	sim_exit(p);

	p = fx_begin(4);
	td.region[0].maplen = P;
	td.nregions = 2;
	td.region[1] =
		(struct td_region){ .kind = TD_DEVMEM, .rnumber = 1, .len = P };
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), 0,
	   "row 5: setup len 4 pages with *maplen 1 page is cut to *maplen");
	sim_write32(p, va + P, 9);
	is(*(uint32_t *)fx_reg(1, 0), 9,
	   "row 5: ... next handle starts at *maplen");
	sim_exit(p);
}

static void test_model(void)
{
	struct sim_proc *p = fx_begin(1), *p32;
	uintptr_t va;

	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(td_nth('D', 0)->model, DDI_MODEL_LP64, "row 6: 64-bit caller model");
	is(ddi_model_convert_from(td_nth('D', 0)->model), DDI_MODEL_NONE,
	   "row 6: no conversion for LP64");
	sim_exit(p);
	p32 = fx_begin(1);
	p32->model = DDI_MODEL_ILP32;
	sim_mmap(p32, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(td_nth('D', 0)->model, DDI_MODEL_ILP32,
	   "row 6: 32-bit caller model");
	is(ddi_model_convert_from(DDI_MODEL_ILP32), DDI_MODEL_ILP32,
	   "row 6: ddi_model_convert_from says ILP32");
	sim_exit(p32);
	p32 = fx_begin(1);
	p32->model = DDI_MODEL_ILP32;
	td.reject_ilp32 = true;
	is(sim_mmap(p32, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 6: a driver refusing the model -> ENXIO");
	sim_exit(p32);
}

static void test_setup_checks(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	td.region[0].kind = TD_TWICE;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0, "row 7: map");
	is(td.second_setup_ret, DDI_FAILURE,
	   "row 7: devmem then umem setup on one handle -> DDI_FAILURE");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].kind = TD_NOSETUP;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 7: devmap(9E) returning 0 without setup -> ENXIO (illumos maps nothing)");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].maxprot = PROT_READ | PROT_WRITE;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 8: maxprot without PROT_USER -> setup fails -> ENXIO");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].maxprot = PROT_READ | PROT_WRITE | PROT_USER;
	is(sim_mmap(p, TD_DEV, 0, P, PROT_READ | PROT_EXEC, MAP_SHARED, &va),
	   ENXIO, "row 8: PROT_EXEC with maxprot R|W|USER -> ENXIO");
	td_rewind();
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 8: R|W within maxprot maps");
	sim_exit(p);

	p = fx_begin(1);
	is(sim_mmap_ro(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), EACCES,
	   "row 8: read-only fd, MAP_SHARED, PROT_WRITE -> EACCES");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].rnumber = 3;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 9: bad register number -> ENXIO");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].rnumber = 1;
	td.region[0].roff = 3 * P;
	td.region[0].len = 2 * P;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), ENXIO,
	   "row 9: range past the register set -> ENXIO (illumos does not check)");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].rnumber = 1;
	td.region[0].roff = P + 100;
	td.region[0].len = 10;
	td.region[0].maplen = P;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 9: unaligned roff and len accepted");
	sim_write32(p, va + 12, 0xabc);
	is(*(uint32_t *)fx_reg(1, P + 12), 0xabc,
	   "row 9: roff rounded down, len rounded up");
	sim_exit(p);
}

static void test_cache_modes(void)
{
	static const struct {
		uchar_t order;
		int cache;
	} m[] = {
		{ DDI_STRICTORDER_ACC, DM_CACHE_UC },
		{ DDI_UNORDERED_OK_ACC, DM_CACHE_WB },
		{ DDI_MERGING_OK_ACC, DM_CACHE_WC },
		{ DDI_LOADCACHING_OK_ACC, DM_CACHE_WC },
		{ DDI_STORECACHING_OK_ACC, DM_CACHE_WB },
		{ 9, -1 },
	};
	ddi_device_acc_attr_t attr = { DDI_DEVICE_ATTR_V0, DDI_NEVERSWAP_ACC, 0,
				       0 };
	struct sim_proc *p;
	uintptr_t va;

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		p = fx_begin(1);
		attr.devacc_attr_dataorder = m[i].order;
		td.region[0].attr = &attr;
		if (m[i].cache < 0) {
			is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va),
			   ENXIO, "row 10: invalid data order -> setup fails");
		} else {
			sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
			sim_read32(p, va, NULL);
			is(sim_pte(p, va)->cache, m[i].cache,
			   "row 10: data order %d -> cache mode %d", m[i].order,
			   m[i].cache);
		}
		sim_exit(p);
	}
	p = fx_begin(1);
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	is(sim_pte(p, va)->cache, DM_CACHE_UC,
	   "row 10: NULL accattr -> strict (UC)");
	sim_exit(p);
	p = fx_begin(1);
	attr.devacc_attr_dataorder = DDI_STRICTORDER_ACC;
	attr.devacc_attr_endian_flags = DDI_STRUCTURE_BE_ACC;
	td.region[0].attr = &attr;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 10: big-endian byte swapping cannot be mapped -> refused");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0].flags = IOMEM_DATA_UC_WR_COMBINE;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_read32(p, va, NULL);
	is(sim_pte(p, va)->cache, DM_CACHE_UC,
	   "row 10: IOMEM flags ignored for device memory");
	sim_exit(p);
}

static void test_umem_setup(void)
{
	static const struct {
		uint_t flags;
		int cache;
	} m[] = {
		{ 0, DM_CACHE_WB },
		{ IOMEM_DATA_CACHED, DM_CACHE_WB },
		{ IOMEM_DATA_UNCACHED, DM_CACHE_UC },
		{ IOMEM_DATA_UC_WR_COMBINE, DM_CACHE_WC },
		{ IOMEM_DATA_UNCACHED | IOMEM_DATA_UC_WR_COMBINE, -1 },
	};
	ddi_umem_cookie_t ck;
	struct sim_proc *p;
	uintptr_t va;
	char *kva = ddi_umem_alloc(2 * P, DDI_UMEM_SLEEP, &ck);

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		p = fx_begin(1);
		td.region[0] = (struct td_region){ .kind = TD_UMEM,
						   .cookie = ck,
						   .len = P,
						   .flags = m[i].flags };
		if (m[i].cache < 0) {
			is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va),
			   ENXIO,
			   "row 11: two IOMEM attributes -> setup fails");
		} else {
			sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
			sim_read32(p, va, NULL);
			is(sim_pte(p, va)->cache, m[i].cache,
			   "row 11: umem flags 0x%x -> cache mode %d",
			   m[i].flags, m[i].cache);
		}
		sim_exit(p);
	}
	p = fx_begin(1);
	td.region[0] = (struct td_region){ .kind = TD_UMEM, .len = P };
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 11: NULL cookie -> setup fails");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0] = (struct td_region){
		.kind = TD_UMEM, .cookie = ck, .roff = P, .len = P
	};
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 11: koff + len == size accepted");
	sim_write32(p, va, 0x5a);
	is(*(uint32_t *)(kva + P), 0x5a, "row 11: ... maps the cookie at koff");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .roff = P,
					   .len = P + 1,
					   .maplen = P };
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 11: koff + len one byte past the cookie -> setup fails");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = P,
					   .flags = DEVMAP_MAPPING_INVALID };
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 11/46: MAPPING_INVALID without ALLOW_REMAP -> setup fails");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = P,
					   .maxprot = PROT_READ | PROT_USER };
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 11: prot beyond maxprot -> setup fails");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0] = (struct td_region){
		.kind = TD_UMEM, .cookie = ck, .len = P, .flags = 0x800000
	};
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 11: unknown flag bits -> setup fails");
	sim_exit(p);
	ddi_umem_free(ck);
}

static void test_callback_copy(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	td.region[0].rev = 99;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0,
	   "row 13: devmap_rev 99 accepted");
	is(td_count('M'), 1,
	   "row 13: callbacks work after the driver scribbled on its copy");
	sim_read32(p, va, NULL);
	is(td_count('A'), 1, "row 13: ... access too");
	sim_exit(p);
	is(td_count('X'), 1, "row 13: ... unmap too");

	p = fx_begin(1);
	td.region[0].no_callbacks = true;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	sim_write32(p, va, 3);
	sim_exit(p);
	is(td_count('M') + td_count('A') + td_count('X'), 0,
	   "row 13: NULL callbackops -> no callbacks");
}

static void test_map_callback(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va = 0x20000000;

	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED | MAP_FIXED, &va), 0,
	   "row 14: MAP_FIXED map");
	is(td_nth('M', 0)->flags, MAP_SHARED | MAP_FIXED,
	   "row 14: devmap_map gets the mmap flags");
	is(td_nth('M', 0)->len, P, "row 14: devmap_map gets dh_len");
	td_rewind();
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED | MAP_FIXED, &va), 0,
	   "row 16: MAP_FIXED over an existing devmap mapping");
	is(td_count('X'), 1, "row 16: ... unmaps the old one (devmap_unmap)");
	sim_exit(p);
}

static void test_map_failure(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	td.nregions = 3;
	td.region[1] = td.region[0];
	td.region[2] = td.region[0];
	td.map_fail_at = 2;
	is(sim_mmap(p, TD_DEV, 0, 3 * P, RW, MAP_SHARED, &va), ENXIO,
	   "row 15: devmap_map failing on handle 2 of 3 -> ENXIO");
	is(td_count('X'), 1, "row 15: exactly one devmap_unmap (handle 1)");
	is(td_nth('X', 0)->dhp, td_nth('M', 0)->dhp,
	   "row 15: ... for the first handle");
	ok(td_nth('X', 0)->n1 == NULL && td_nth('X', 0)->n2 == NULL,
	   "row 15: ... with NULL new handles");
	is(p->vmas == NULL, 1,
	   "row 15: no mapping left behind (illumos leaves an orphan segment)");
	sim_exit(p);
}

static void test_private(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	is(sim_mmap(p, TD_DEV, 0, P, PROT_READ, MAP_PRIVATE, &va), 0,
	   "row 17: MAP_PRIVATE with devmap_access maps");
	sim_exit(p);
	p = fx_begin(1);
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_PRIVATE, &va), EINVAL,
	   "row 17: writable MAP_PRIVATE refused (no copy-on-write of devices)");
	is(sim_mmap_ro(p, TD_DEV, 0, P, RW, MAP_PRIVATE, &va), EINVAL,
	   "row 17: writable MAP_PRIVATE on an O_RDONLY fd refused");
	sim_exit(p);
	p = fx_begin(1);
	td.access = TD_ACC_NONE;
	is(sim_mmap(p, TD_DEV, 0, P, PROT_READ, MAP_PRIVATE, &va), EINVAL,
	   "row 17: MAP_PRIVATE without devmap_access -> EINVAL");
	is(td_live_pvt, 0, "row 17: ... nothing left");
	sim_exit(p);
}

static void test_access_functions(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	td.nregions = 2;
	td.region[1] = td.region[0];
	td.region[1].access_fn = td_access_other;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), ENOTSUP,
	   "row 53: handles with different access functions -> ENOTSUP");
	is(td_live_pvt, 0, "row 53: ... nothing left");
	sim_exit(p);

	p = fx_begin(1);
	td.nregions = 2;
	td.region[1] = td.region[0];
	td.region[1].no_callbacks = true;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), 0,
	   "row 53: with and without access in one mapping is fine");
	sim_exit(p);

	p = fx_begin(1);
	td.region[0].access_fn = nulldev;
	is(sim_mmap(p, TD_DEV, 0, P, PROT_READ, MAP_PRIVATE, &va), EINVAL,
	   "row 54: nulldev access member counts as absent for MAP_PRIVATE");
	td_rewind();
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), 0, "row 54: map");
	is(sim_write32(p, va, 1), 0,
	   "row 54: ... and the fault loads without calling it (no crash)");
	sim_exit(p);
	p = fx_begin(1);
	td.region[0].access_fn = nodev;
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	is(sim_write32(p, va, 1), 0, "row 54: nodev access member likewise");
	sim_exit(p);
}

int main(void)
{
	fx_init();
	test_path_selection();
	test_devmap_errors();
	test_maplen_iteration();
	test_maplen_validation();
	test_model();
	test_setup_checks();
	test_cache_modes();
	test_umem_setup();
	test_callback_copy();
	test_map_callback();
	test_map_failure();
	test_private();
	test_access_functions();
	return fx_done();
}
