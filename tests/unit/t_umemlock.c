// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Locked user memory in the core: reference checklist row 51
 * (ddi_umem_lock's argument checks, the cookie mapped by
 * devmap_umem_setup into another process, unlock while mapped, a read-only
 * lock never mapped writable, ddi_umem_free forwarding to unlock, and an
 * unlock from a context that cannot sleep run later).
 */
#include <stdlib.h>
#include "fixture.h"

static char *buf; /* the "user" memory: 2 pages, page aligned */

static void test_args(void)
{
	ddi_umem_cookie_t ck = (ddi_umem_cookie_t)1;
	const int R = DDI_UMEMLOCK_READ;
	long allocs, pins;

	is(ddi_umem_lock(buf, P, 0, &ck), EINVAL, "row 51: flags 0 -> EINVAL");
	ok(ck == NULL, "row 51: ... and a NULL cookie");
	is(ddi_umem_lock(buf, P, 4, &ck), EINVAL,
	   "row 51: an unknown flag -> EINVAL");
	is(ddi_umem_lock(buf, P, R | 8, &ck), EINVAL,
	   "row 51: a known flag with an unknown one -> EINVAL");
	is(ddi_umem_lock(buf + 1, P, R, &ck), EINVAL,
	   "row 51: an unaligned address -> EINVAL");
	is(ddi_umem_lock(buf, P + 1, R, &ck), EINVAL,
	   "row 51: an unaligned length -> EINVAL");
	is(ddi_umem_lock(buf, 0, R, &ck), EINVAL, "row 51: length 0 -> EINVAL");
	is(ddi_umem_lock((caddr_t)(uintptr_t)-P, 2 * P, R, &ck), EINVAL,
	   "row 51: a range that wraps -> EINVAL");
	is(ddi_umem_lock(buf, DM_MAP_MAX + P, R, &ck), ENOMEM,
	   "row 51: longer than DM_MAP_MAX -> ENOMEM");
	allocs = sim_stats.live_allocs;
	pins = sim_stats.live_pins;
	sim_fail_alloc = 2;
	is(ddi_umem_lock(buf, P, R, &ck), ENOMEM,
	   "row 51: the host cannot pin -> its errno, nothing left");
	sim_fail_alloc = 0;
	is(sim_stats.live_allocs, allocs,
	   "row 51: ... no allocation left behind (the cookie freed)");
	is(sim_stats.live_pins, pins, "row 51: ... no pin left behind");
}

static void test_map(void)
{
	struct sim_proc *p = fx_begin(1);
	ddi_umem_cookie_t ck;
	struct ddi_umem_cookie *cp;
	uintptr_t va;
	char got[8] = { 0 };

	strcpy(buf + P, "locked!");
	is(ddi_umem_lock(buf, 2 * P, DDI_UMEMLOCK_READ | DDI_UMEMLOCK_WRITE,
			 &ck),
	   0, "row 51: lock two pages for reading and writing");
	cp = ck;
	ok(cp->cvaddr == buf && cp->size == 2 * P,
	   "row 51: the cookie's cvaddr is the user address, size its length");
	td.region[0] = (struct td_region){ .kind = TD_UMEM,
					   .cookie = ck,
					   .len = 2 * P };
	is(sim_mmap(p, TD_DEV, 0, 2 * P, RW, MAP_SHARED, &va), 0,
	   "row 51: devmap_umem_setup maps the locked memory");
	sim_read(p, va + P, got, 7);
	is(memcmp(got, "locked!", 7), 0,
	   "row 51: another process reads the locked bytes");
	sim_write32(p, va, 0x51);
	is(*(uint32_t *)buf, 0x51, "row 51: ... and writes reach them");
	ddi_umem_unlock(ck);
	is(sim_stats.live_pins, 1,
	   "row 51: unlock while mapped keeps the pages locked");
	sim_exit(p);
	is(sim_stats.live_pins, 0, "row 51: ... until the mapping goes");
}

static void test_readonly(void)
{
	struct sim_proc *p = fx_begin(1);
	ddi_umem_cookie_t ck;
	uintptr_t va;

	is(ddi_umem_lock(buf, P, DDI_UMEMLOCK_READ, &ck), 0,
	   "row 51: lock a page for reading only");
	td.region[0] =
		(struct td_region){ .kind = TD_UMEM, .cookie = ck, .len = P };
	is(sim_mmap(p, TD_DEV, 0, P, RW, MAP_SHARED, &va), ENXIO,
	   "row 51: ... a writable mapping of it is refused: devmap_umem_setup fails, so devmap(9E) does, ENXIO");
	td_rewind();
	is(sim_mmap(p, TD_DEV, 0, P, PROT_READ, MAP_SHARED, &va), 0,
	   "row 51: ... a read-only one maps");
	sim_exit(p);
	ddi_umem_free(ck);
	is(sim_stats.live_pins, 0,
	   "row 51: ddi_umem_free of a locked cookie unlocks it");
}

static void test_later(void)
{
	ddi_umem_cookie_t ck;
	long warnings;

	if (!ok(ddi_umem_lock(buf, P, DDI_UMEMLOCK_WRITE, &ck) == 0,
		"row 51: lock a page for an unlock where nothing sleeps"))
		return;
	sim_atomic = true;
	ddi_umem_unlock(ck);
	sim_atomic = false;
	is(sim_stats.live_pins, 1,
	   "row 51: an unlock where nothing sleeps waits for the host");
	is(sim_run_deferred(), 1, "row 51: ... which runs it later");
	is(sim_stats.live_pins, 0, "row 51: ... and then the pages go");
	warnings = sim_stats.warnings;
	if (!ok(ddi_umem_alloc(P, DDI_UMEM_SLEEP, &ck) != NULL,
		"row 51: ddi_umem_alloc of a page"))
		return;
	ddi_umem_unlock(ck);
	is(sim_stats.warnings, warnings + 1,
	   "row 51: ddi_umem_unlock of a ddi_umem_alloc cookie is refused");
	ddi_umem_free(ck);
}

/* A second unlock where nothing sleeps is refused before it is queued. */
static void test_later_twice(void)
{
	long warnings = sim_stats.warnings;
	ddi_umem_cookie_t ck;

	is(ddi_umem_lock(buf, P, DDI_UMEMLOCK_WRITE, &ck), 0,
	   "lock for a double deferred unlock");
	sim_atomic = true;
	ddi_umem_unlock(ck);
	ddi_umem_unlock(ck);
	sim_atomic = false;
	is(sim_stats.warnings, warnings + 1,
	   "a second unlock where nothing sleeps is reported");
	is(sim_run_deferred(), 1, "... and only the first release is queued");
	is(sim_stats.live_pins, 0, "... which unpins the pages");
}

int main(void)
{
	fx_init();
	buf = aligned_alloc(P, 2 * P);
	test_args();
	test_map();
	test_readonly();
	test_later();
	test_later_twice();
	free(buf);
	return fx_done();
}
