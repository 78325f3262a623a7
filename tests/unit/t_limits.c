// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Bad values from drivers and limits on what users can make the core do
 * (issue 8, items 4 and 5): legacy mmap(9E) page frames (-1 refuses, the
 * int is an unsigned 32-bit frame, frames beyond the physical address
 * width are refused), overflowing offsets and lengths, the DM_MAP_MAX cap
 * on a mapping, the per-page mmap(9E) walk giving way and stopping on a
 * fatal signal, and rate-limited messages for everything a user triggers.
 */
#include <limits.h>
#include "fixture.h"

#define LIM_MAJOR 17
#define LIM_DEV SIM_DEV(LIM_MAJOR, 0)
#define LIM_PAGES 2

static dev_info_t *lim_dip; /* its frames start at 2^31 */

/* A legacy mmap(9E): the int of Solaris, -1 past the device. */
static int lim_mmap(dev_t dev, off_t off, uint_t prot)
{
	if (off < 0 || (size_t)off >= LIM_PAGES * P)
		return -1;
	return (int)(uint32_t)(lim_dip->regs[0].pfn0 + btop(off));
}

static struct cb_ops lim_cb_ops = {
	.cb_open = nulldev,
	.cb_close = nulldev,
	.cb_devmap = nodev,
	.cb_mmap = lim_mmap,
	.cb_segmap = nodev,
	.cb_flag = D_NEW | D_MP,
	.cb_rev = CB_REV,
};

static void test_legacy_pfns(void)
{
	struct sim_proc *p = sim_proc_create(DDI_MODEL_LP64);
	size_t size = LIM_PAGES * P;
	uintptr_t va;

	sim_set_next_pfn(1UL << 31);
	lim_dip = sim_dev_create(1, 1, &size);
	sim_register_cb(LIM_MAJOR, &lim_cb_ops);
	ok(lim_mmap(0, 0, 0) < 0 && lim_mmap(0, 0, 0) != -1,
	   "the driver's mmap(9E) gives frame 2^31, a negative int");
	is(sim_mmap(p, LIM_DEV, 0, LIM_PAGES * P, RW, MAP_SHARED, &va), 0,
	   "legacy_mmap_pfn_above_2g_maps: mmap of frames from 2^31");
	is(sim_write32(p, va + P + 8, 0x5a), 0,
	   "legacy_mmap_pfn_above_2g_maps: a store faults in");
	is(*(uint32_t *)((char *)lim_dip->regs[0].base + P + 8), 0x5a,
	   "legacy_mmap_pfn_above_2g_maps: ... and reaches the device page");

	sim_phys_bits = PAGESHIFT + 31; /* frame 2^31 is past the machine */
	is(sim_read32(p, va, NULL), 0,
	   "legacy_mmap_pfn_beyond_phys_width_refused: (page 0, never loaded)");
	is(p->sig, SIGBUS,
	   "legacy_mmap_pfn_beyond_phys_width_refused: a fault on it is SIGBUS");
	is(p->sig_fc, FC_MAKE_ERR(EFAULT),
	   "legacy_mmap_pfn_beyond_phys_width_refused: ... FC_MAKE_ERR(EFAULT)");
	is(sim_munmap(p, va, LIM_PAGES * P), 0, "... munmap");
	is(sim_mmap(p, LIM_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "legacy_mmap_pfn_beyond_phys_width_refused: a new mmap is ENXIO");
	sim_phys_bits = SIM_PHYS_BITS;
	is(sim_mmap(p, LIM_DEV, 0, (LIM_PAGES + 1) * P, RW, MAP_SHARED, &va),
	   ENXIO, "legacy_mmap_pfn_minus_one_refused: -1 past the device");

	long yields = sim_stats.yields;
	sim_fatal_signal = true;
	is(sim_mmap(p, LIM_DEV, 0, LIM_PAGES * P, RW, MAP_SHARED, &va), EINTR,
	   "legacy_mmap_walk_stops_on_fatal_signal: EINTR, nothing mapped");
	sim_fatal_signal = false;
	is(sim_mmap(p, LIM_DEV, 0, LIM_PAGES * P, RW, MAP_SHARED, &va), 0,
	   "legacy_mmap_walk_yields: without the signal it maps");
	is(sim_stats.yields - yields, 1 + LIM_PAGES,
	   "legacy_mmap_walk_yields: ... giving way on every page");
	sim_exit(p);
	sim_dev_destroy(lim_dip);
}

static void test_overflows(void)
{
	struct sim_proc *p = fx_begin(2);
	ddi_umem_cookie_t ck = (ddi_umem_cookie_t)1;
	uintptr_t va;

	ok(ddi_umem_alloc(SIZE_MAX - 1, DDI_UMEM_SLEEP, &ck) == NULL &&
		   ck == NULL,
	   "umem_alloc_size_overflow_refused: a size that wraps when rounded up");
	ok(ddi_umem_alloc(SIZE_MAX, DDI_UMEM_TRASH, &ck) == NULL && ck == NULL,
	   "umem_alloc_size_overflow_refused: ... for a trash cookie too");

	td.region[0].roff = LLONG_MAX & ~(offset_t)PAGEOFFSET;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), ENXIO,
	   "devmem_setup_roff_len_overflow_refused: roff + len past LLONG_MAX");
	td_rewind();
	td.region[0].flags = DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), ENXIO,
	   "devmem_setup_roff_len_overflow_refused: ... without a register lookup (MAPPING_INVALID)");

	td_rewind();
	td.region[0].roff = 0;
	td.region[0].flags = DEVMAP_ALLOW_REMAP;
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), 0,
	   "a remappable handle");
	devmap_cookie_t dhp = td_nth('M', 0)->dhp;
	is(devmap_devmem_remap(dhp, fx_dip, 0,
			       LLONG_MAX & ~(offset_t)PAGEOFFSET, 2 * P,
			       PROT_ALL, 0, NULL),
	   DDI_FAILURE,
	   "devmem_remap_roff_len_overflow_refused: roff + len past LLONG_MAX");
	is(sim_write32(p, va, 3), 0,
	   "devmem_remap_roff_len_overflow_refused: ... the handle is unchanged");
	sim_exit(p);
}

static void test_map_max(void)
{
	struct sim_proc *p = fx_begin(1);
	uintptr_t va;

	is(sim_mmap(p, TD_DEV, 0, DM_MAP_MAX + P, RW, MAP_SHARED, &va), ENOMEM,
	   "mmap_longer_than_DM_MAP_MAX_refused: ENOMEM");
	is(td_count('D'), 0,
	   "mmap_longer_than_DM_MAP_MAX_refused: ... before the driver is asked");
	td.region[0] = (struct td_region){ .kind = TD_DEVMEM,
					   .len = DM_MAP_MAX + P,
					   .flags = DEVMAP_MAPPING_INVALID |
						    DEVMAP_ALLOW_REMAP };
	long allocs = sim_stats.live_allocs;
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "devmem_setup_longer_than_DM_MAP_MAX_refused: no valid bits for it");
	is(sim_stats.live_allocs, allocs,
	   "devmem_setup_longer_than_DM_MAP_MAX_refused: ... nothing left");
	sim_exit(p);
}

static void test_ratelimited_logs(void)
{
	struct sim_proc *p = fx_begin(1);
	long rl = sim_stats.ratelimited, quiet = sim_stats.suppressed;
	uintptr_t va;
	int refused = 0;

	td.devmap_ret = EIO;
	for (int i = 0; i < 100; i++)
		refused += sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va) ==
			   ENXIO;
	is(refused, 100, "100 mmaps the driver refuses");
	is(sim_stats.ratelimited - rl, 100,
	   "user_triggered_logs_ratelimited: each message takes the rate-limited path");
	ok(sim_stats.suppressed - quiet >= 100 - SIM_LOG_BURST,
	   "user_triggered_logs_ratelimited: ... and at most a burst is shown");

	td.devmap_ret = 0;
	td.access = TD_ACC_NOLOAD;
	td_rewind();
	sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va);
	rl = sim_stats.ratelimited;
	for (int i = 0; i < 20; i++)
		sim_read32(p, va, NULL);
	is(sim_stats.ratelimited - rl, 20,
	   "user_triggered_logs_ratelimited: a fault's message too (devmap_access never loads)");
	sim_exit(p);
}

int main(void)
{
	fx_init();
	test_legacy_pfns();
	test_overflows();
	test_map_max();
	test_ratelimited_logs();
	return fx_done();
}
