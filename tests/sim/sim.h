/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The simulated host: processes with address spaces, mappings and per-page
 * translations; devices with register sets in a simulated physical memory;
 * a clock; fault injection; and the bookkeeping tests assert on.  Tests
 * drive the devmap core only through these host events and the public DDI,
 * as real processes and drivers would.
 */
#ifndef _SIM_H
#define _SIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/sunddi.h>
#include "../../core/dm_core.h"
#include "../../core/dm_host.h"

/* Devices: a node with register sets, and cb_ops per major number. */
#define SIM_MAXREGS 4
struct sim_regset {
	void *base;
	size_t size;
	unsigned long pfn0;
};
struct dev_info {
	int instance;
	int nregs;
	struct sim_regset regs[SIM_MAXREGS];
};

#define SIM_DEV(maj, min) ((dev_t)(((maj) << 8) | (min)))
#define getminor(dev) ((minor_t)((dev)&0xff))
#define getmajor(dev) ((major_t)((dev) >> 8))
typedef unsigned int minor_t;
typedef unsigned int major_t;

dev_info_t *sim_dev_create(int instance, int nregs, const size_t *sizes);
/* The page frame the next register set created starts at. */
void sim_set_next_pfn(unsigned long pfn);
void sim_dev_destroy(dev_info_t *dip);
void *sim_pfn_ptr(unsigned long pfn);
void sim_register_cb(major_t major, const struct cb_ops *cb);
const struct cb_ops *sim_cb_lookup(dev_t dev);

/* A page table entry: what the page maps, and its cache mode. */
struct sim_pte {
	void *page;
	enum dm_cache cache;
};

/* A piece of a mapping in a process (a VMA). */
struct sim_vma {
	struct sim_vma *next;
	uintptr_t start, end;
	uint_t prot;
	struct dm_seg *seg;
	dev_t dev;
	bool dontfork; /* madvise(MADV_DONTFORK): not in a fork child */
	struct sim_pte *pte; /* one per page */
};

struct sim_proc {
	pthread_rwlock_t mmu; /* page tables and VMA list vs. accesses */
	int pid;
	struct as *as;
	uint_t model;
	uintptr_t next_va;
	struct sim_vma *vmas;
	uintptr_t tid;
	/* the last signal a failed access raised, and its fault code */
	int sig;
	faultcode_t sig_fc;
	unsigned long faults; /* dm_fault() calls */
	unsigned long waits; /* dm_fault_wait() calls */
};

/* Host-wide counters and knobs. */
struct sim_stats {
	long loads; /* dmh_load() calls that installed a page */
	long unloads; /* dmh_unload() calls */
	long warnings; /* DM_CE_WARN messages, rate-limited or not */
	long ratelimited; /* dmh_log_ratelimited() calls */
	long suppressed; /* ... the rate limit kept quiet */
	long yields; /* dmh_yield() calls */
	char last_log[256];
	long live_allocs; /* dmh_zalloc minus dmh_free */
	long live_umem; /* dmh_umem_alloc minus dmh_umem_free */
	long live_pins; /* dmh_umem_pin minus dmh_umem_unpin */
	clock_t waited_ticks; /* virtual time spent in waits */
};
extern struct sim_stats sim_stats;
extern int sim_ncpus; /* dmh_ncpus() */
extern int sim_fail_alloc; /* fail the Nth next allocation (1 = next) */
extern int sim_wait_eintr; /* the next N waits return EINTR */
extern bool sim_realtime; /* clock in ms of real time (threaded tests) */
extern bool sim_skip_may_split; /* cut VMAs without dm_seg_may_split */
/* dmh_pfn_ok(): page frames below 2^(sim_phys_bits - PAGESHIFT) exist */
#define SIM_PHYS_BITS 46
extern int sim_phys_bits;
extern bool sim_fatal_signal; /* dmh_yield() says: stop */
/* the thread cannot sleep: dmh_umem_rele_later() defers the release */
extern bool sim_atomic;
/* run the releases deferred while sim_atomic; returns how many */
int sim_run_deferred(void);
/* dmh_log_ratelimited() shows this many messages per interval (ticks) */
#define SIM_LOG_BURST 10
#define SIM_LOG_INTERVAL 500

/*
 * The events the core reported through dmh_event(), oldest first, each
 * with the pid of the process that was running; recording stops when the
 * array is full (sim_nevents stays SIM_MAX_EVENTS).  sim_init() and
 * sim_events_reset() empty it.
 */
#define SIM_MAX_EVENTS 4096
struct sim_event {
	struct dm_event ev;
	int pid;
};
extern struct sim_event sim_events[SIM_MAX_EVENTS];
extern int sim_nevents;
void sim_events_reset(void);

void sim_init(void);
void sim_fini(void);
clock_t sim_now(void);
void sim_clock_advance(clock_t ticks);

struct sim_proc *sim_proc_create(uint_t model);
/* fork(2); returns the child or NULL with *errp set */
struct sim_proc *sim_fork(struct sim_proc *p, int *errp);
void sim_exit(struct sim_proc *p);

int sim_mmap(struct sim_proc *p, dev_t dev, offset_t off, size_t len,
	     uint_t prot, uint_t flags, uintptr_t *vap);
int sim_mmap_ro(struct sim_proc *p, dev_t dev, offset_t off, size_t len,
		uint_t prot, uint_t flags, uintptr_t *vap);
int sim_munmap(struct sim_proc *p, uintptr_t va, size_t len);
int sim_mremap(struct sim_proc *p, uintptr_t old, size_t len, uintptr_t new);
/* the core's mapping at @va (NULL: none), for tests that call it */
struct dm_seg *sim_seg_at(struct sim_proc *p, uintptr_t va);
/* Linux's madvise(MADV_DONTFORK): a fork child will not have the range */
int sim_madvise_dontfork(struct sim_proc *p, uintptr_t va, size_t len);
int sim_mprotect(struct sim_proc *p, uintptr_t va, size_t len, uint_t prot);

/*
 * A load or store of up to 8 bytes (within a page) by process @p, faulting
 * as hardware would.  Returns 0, or the signal the access raised (p->sig).
 */
int sim_read(struct sim_proc *p, uintptr_t va, void *buf, size_t n);
int sim_write(struct sim_proc *p, uintptr_t va, const void *buf, size_t n);
int sim_exec(struct sim_proc *p, uintptr_t va);
uint32_t sim_read32(struct sim_proc *p, uintptr_t va, int *sigp);
int sim_write32(struct sim_proc *p, uintptr_t va, uint32_t v);

/* Translation state. */
struct sim_pte *sim_pte(struct sim_proc *p, uintptr_t va);
/* Processes (of @procs) with a translation to the same memory as @page. */
int sim_mappers(struct sim_proc **procs, int n, void *page);

/* Make @p the running process (the thread id its faults carry). */
void sim_run(struct sim_proc *p);

#endif /* _SIM_H */
