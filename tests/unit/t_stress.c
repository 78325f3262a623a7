// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Real concurrency: the Example 11-3 driver with four processes, each in
 * its own thread, hammering the one context page at once, with and
 * without a context hold (real time: one tick is a millisecond).  Each
 * process checks after every access that the page holds its own context.
 * The sanitizer build runs this too.
 */
#include "fixture.h"
#include "../drivers/xx_ctx.h"

#include <sched.h>

#define NPROC 4
#define ROUNDS 20000

static pthread_barrier_t start;

struct worker {
	struct sim_proc *p;
	uintptr_t va;
	int id;
	int bad, sigs;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = (unsigned int)w->id * 7919u;

	pthread_barrier_wait(&start);
	for (uint32_t gen = 1; gen <= ROUNDS; gen++) {
		if (gen % 8 == 0)
			sched_yield();
		int reg = (int)((seed = seed * 1103515245u + 12345u) >> 16) %
			  XX_NREGS;
		uint32_t v = (uint32_t)w->id << 24 | gen;
		int sig;

		w->sigs += sim_write32(w->p, w->va + 4 * reg, v) != 0;
		w->bad += sim_read32(w->p, w->va + 4 * reg, &sig) != v;
		w->sigs += sig != 0;
	}
	return NULL;
}

static void run(clock_t hold)
{
	struct worker w[NPROC];
	pthread_t t[NPROC];
	int bad = 0, sigs = 0;
	unsigned long waits = 0;

	xx_attach(fx_dip);
	xx_counters.timeout = hold;
	for (int i = 0; i < NPROC; i++) {
		w[i] = (struct worker){ .p = sim_proc_create(DDI_MODEL_LP64),
					.id = i + 1 };
		sim_mmap(w[i].p, SIM_DEV(XX_MAJOR, 0), 0, P, RW, MAP_SHARED,
			 &w[i].va);
	}
	pthread_barrier_init(&start, NULL, NPROC);
	for (int i = 0; i < NPROC; i++)
		pthread_create(&t[i], NULL, work, &w[i]);
	for (int i = 0; i < NPROC; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
		sigs += w[i].sigs;
		waits += w[i].p->waits;
	}
	pthread_barrier_destroy(&start);
	is(sigs, 0, "threads, hold %ld ms: no access failed", (long)hold);
	is(bad, 0,
	   "threads, hold %ld ms: every read saw the process's own last write",
	   (long)hold);
	printf("# hold %ld: %lu switches, %lu waits\n", (long)hold,
	       xx_counters.switches, waits);
	/* contention shows as switches without a hold and as waits with
	 * one: a holder may finish all its rounds within a hold */
	if (hold == 0)
		ok(xx_counters.switches > 2 * NPROC,
		   "threads, hold 0 ms: the processes really contended");
	else
		ok(waits > 0, "threads, hold %ld ms: holds were waited on",
		   (long)hold);
	for (int i = 0; i < NPROC; i++)
		sim_exit(w[i].p);
	xx_detach();
}

int main(void)
{
	fx_init();
	sim_realtime = true;
	run(0);
	run(1);
	return fx_done();
}
