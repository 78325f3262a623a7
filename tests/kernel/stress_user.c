// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * stress_user: a randomized multi-process stress of the devmap context
 * devices (dmtest, kmctx, xx).  Prints TAP.
 *
 *   stress_user [-s SEED] [-t SECONDS] [-n WORKERS] [-d dmtest,kmctx,xx]
 *               [-w WATCHDOG_SECONDS] [-T FIRST_TAP_NUMBER]
 *
 * Design.  A supervisor forks N >= 8 workers (slot i uses device i mod the
 * number of devices; a third of them run one thread, a third two, a third
 * three) and for the duration kills random workers with SIGKILL (they are
 * nearly always in the middle of a context switch) and respawns whatever
 * died or exited.  It is a child subreaper, so the fork children of a
 * killed worker come back to it.
 *
 * Every mapping of a context page gets a signature: a 64-bit id unique in
 * the run (a counter in shared memory, xored with a salt from the seed).
 * On dmtest and kmctx the whole context page holds word i = id ^ salt ^
 * (i + 1) * K (the drivers save and restore all of it); on xx the four
 * edu registers the driver saves (liveness, DMA source, destination,
 * count) hold values derived from the id's low 32 bits.  A mapping is a
 * context of its own, so two mappings in one process check each other
 * too; the threads of a process share its mappings and their signatures.
 * A process writes a signature before it checks one: a new mapping
 * starts with a fresh context, and a fork child starts with a copy of the
 * parent's (checked: it must read exactly the parent's signature), then
 * writes its own.  Any other value read from a context page is a foreign
 * read: it is reported with the seed, the offset, the bytes seen and,
 * when they decode to another mapping's id, whose they are.
 *
 * The main thread of a worker mutates (under a write lock the checking
 * threads take for reading): mmap; munmap whole or in part (head, tail,
 * hole); mremap (move, grow, shrink: a move is refused with EINVAL today,
 * a success is followed to the new address); mprotect down to read-only
 * and back up (a write to a read-only context page is made on purpose and
 * must raise SIGSEGV and change nothing); madvise (DONTNEED, DONTFORK,
 * DOFORK, KEEPONFORK, WIPEONFORK, WILLNEED, COLD, PAGEOUT, POPULATE_*,
 * each with the errors documented for a VM_IO|VM_PFNMAP mapping); fork
 * (the child runs the same mix single-threaded for a while, may be
 * killed by its parent, exits with its mappings in place); exit (with or
 * without unmapping first).  Every thread also reads other workers'
 * context pages through /proc/PID/mem (must give EIO or that worker's own
 * signature; each worker publishes the address and id under a sequence
 * counter, and a read that raced a change is discarded) and through
 * process_vm_readv (must fail with EFAULT: GUP refuses VM_IO|VM_PFNMAP),
 * and its own page through /proc/self/mem, reading and writing.
 *
 * Failures: a foreign read; an operation failing with an errno it may not
 * give; a process dying of a signal nobody sent; a worker thread making no
 * progress for the watchdog period (hang; then SysRq-w dumps the blocked
 * tasks); a process that cannot be reaped at the end.  Kernel reports
 * (KASAN, lockdep, WARNING...) are caught by the VM harness on the
 * console.  The seed is printed first (`# seed=N`); -s N replays the same
 * random choices (the interleaving is the machine's).  -T N numbers the
 * TAP lines from N and prints no plan (guest.sh embeds the stress).
 *
 * The checks check themselves off the devices: STRESS_SELFTEST=FILE
 * (a plain shared file: every process sees every write) must report
 * foreign reads, STRESS_SELFTEST=private (private anonymous memory: a
 * context per mapping, copied on fork) must report none; both with
 * `-d dmtest,kmctx`, on any Linux machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmtest.h"
#include "kmctx.h"
#include "xx.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#define PG 4096
#define WORDS (PG / 8)
#define MAXDEV 3
#define MAXSLOT 64
#define MAXTHR 3
#define MAXMAP 4
#define MAXPG 8
#define MAXKIDS 4
#define NLOG 48
#define NIDS 8192
#define K 0x9e3779b97f4a7c15ULL
#define RW (PROT_READ | PROT_WRITE)

enum kind { PAGE_CTX, XX_REGS };

static struct dev {
	const char *name, *path;
	int npg; /* pages a mapping may have (at most) */
	int ctxpg; /* the context page in a mapping */
	bool fixed; /* every mapping has exactly npg pages */
	enum kind kind;
} devs[MAXDEV] = {
	{ "dmtest", "/dev/dmtest0", DMT_PAGES, 0, false, PAGE_CTX },
	{ "kmctx", "/dev/kmctx0", KM_SIZE / PG, KM_CTX_OFF / PG, true,
	  PAGE_CTX },
	{ "xx", "/dev/xx0", 1, 0, true, XX_REGS },
};

struct devstat {
	atomic_ulong ops, checks, foreign, errors, forks, kids_killed, kills,
		exits, maps, partial, mremap_moved, mremap_refused, pmem_ok,
		pmem_eio, pmem_raced, vmr_efault, vmr_nosys, segv;
};

struct slot {
	atomic_int pid;
	int dev, nthr, gen;
	atomic_ulong hb[MAXTHR];
	/* what peers may read: the address of a context page and its id */
	atomic_uint seq; /* odd while it changes */
	atomic_ulong pub_va;
	atomic_ullong pub_id;
};

struct logent {
	atomic_int ready;
	int dev;
	const char *fmt; /* at most 3 reports of a kind are kept */
	char msg[240];
};

struct shared {
	uint64_t seed, salt;
	atomic_int stop;
	atomic_ullong next_id;
	struct {
		atomic_ullong id;
		atomic_int pid, slot;
	} ids[NIDS];
	struct slot slot[MAXSLOT];
	struct devstat ds[MAXDEV + 1]; /* [MAXDEV]: not a device's */
	atomic_int nlog, lost;
	struct logent log[NLOG];
};

static struct shared *sh;
static int selftest; /* 1: a shared file (must fail), 2: private memory */
static int ndev, dev_idx[MAXDEV], nslot = 10, duration = 15, watchdog = 30;

/* ---- small helpers ---- */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static __thread uint64_t rng;

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)(splitmix(&rng) % n) : 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
	struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) && errno == EINTR)
		;
}

/* Report a failure (dev < 0: not a device's). */
static void __attribute__((format(printf, 3, 4)))
report(int dev, bool foreign, const char *fmt, ...)
{
	struct devstat *ds = &sh->ds[dev < 0 ? MAXDEV : dev];
	int i, same = 0;
	va_list ap;

	atomic_fetch_add(foreign ? &ds->foreign : &ds->errors, 1);
	for (i = 0; i < NLOG && i < atomic_load(&sh->nlog); i++)
		same += sh->log[i].fmt == fmt;
	i = same < 3 ? atomic_fetch_add(&sh->nlog, 1) : NLOG;
	if (i >= NLOG) {
		atomic_fetch_add(&sh->lost, 1);
		return;
	}
	sh->log[i].dev = dev;
	sh->log[i].fmt = fmt;
	va_start(ap, fmt);
	vsnprintf(sh->log[i].msg, sizeof(sh->log[i].msg), fmt, ap);
	va_end(ap);
	atomic_store(&sh->log[i].ready, 1);
}

/* ---- signatures ---- */

static uint64_t new_id(int slot)
{
	uint64_t id = atomic_fetch_add(&sh->next_id, 1);

	atomic_store(&sh->ids[id % NIDS].pid, getpid());
	atomic_store(&sh->ids[id % NIDS].slot, slot);
	atomic_store(&sh->ids[id % NIDS].id, id);
	return id;
}

static uint64_t word(uint64_t id, int i)
{
	return id ^ sh->salt ^ ((uint64_t)(i + 1) * K);
}

static uint32_t tag(uint64_t id)
{
	return (uint32_t)(id ^ sh->salt) | 1;
}

/* xx: what each saved register reads back after writing @t */
static const int xx_reg[4] = { XX_REG_LIVENESS, XX_REG_DMA_SRC, XX_REG_DMA_DST,
			       XX_REG_DMA_CNT };

static uint32_t xx_val(uint32_t t, int r)
{
	switch (r) {
	case 0:
		return ~t;
	case 1:
		return t ^ 0x11111111;
	case 2:
		return t ^ 0x22222222;
	default:
		return t & 0xfff;
	}
}

/* Whose signature is @v (seen at byte @off of a context page)? */
static void whose(enum kind kind, uint64_t v, int off, char *buf, size_t n)
{
	uint64_t id, next = atomic_load(&sh->next_id);
	bool low32 = kind == XX_REGS;
	uint32_t t = (uint32_t)v;

	if (kind == PAGE_CTX) {
		id = v ^ sh->salt ^ ((uint64_t)(off / 8 + 1) * K);
	} else {
		/* the tag that register value implies */
		if (off == XX_REG_LIVENESS)
			t = ~t;
		else if (off == XX_REG_DMA_SRC)
			t ^= 0x11111111;
		else if (off == XX_REG_DMA_DST)
			t ^= 0x22222222;
		else
			t = 0; /* the count keeps 12 bits only */
		id = (t ^ (uint32_t)sh->salt) & ~1u;
	}
	for (int i = 0; i < 2; i++, id |= 1) {
		uint64_t got = atomic_load(&sh->ids[id % NIDS].id);

		if (id < next &&
		    (low32 ? (uint32_t)got == (uint32_t)id : got == id)) {
			snprintf(buf, n,
				 "the signature of id %llu (pid %d, slot %d)",
				 (unsigned long long)got,
				 atomic_load(&sh->ids[id % NIDS].pid),
				 atomic_load(&sh->ids[id % NIDS].slot));
			return;
		}
		if (!low32)
			break;
	}
	snprintf(buf, n, "%s",
		 v ? "no known signature" : "zeros: a fresh context?");
}

/* ---- the worker's mappings ---- */

struct map {
	bool used;
	char *va; /* page 0 of the original layout */
	int npg;
	unsigned int mapped, dontfork; /* page bitmaps */
	int prot[MAXPG];
	bool has_ctx; /* the context page is still mapped */
	uint64_t id;
};

static int me_slot, me_dev, me_depth; /* depth 1: a fork child */
static const struct dev *D;
static struct map maps[MAXMAP];
static pthread_rwlock_t maplock = PTHREAD_RWLOCK_INITIALIZER;
static __thread int me_thr;
static __thread sigjmp_buf *volatile segv_jb;
static volatile int quit;

static char *ctx_va(const struct map *m)
{
	return m->va + (long)D->ctxpg * PG;
}

static bool pg_mapped(const struct map *m, int p)
{
	return m->mapped >> p & 1;
}

static void publish(void)
{
	struct slot *s = &sh->slot[me_slot];
	unsigned long va = 0;
	uint64_t id = 0;

	if (me_depth)
		return;
	for (int i = 0; i < MAXMAP; i++)
		if (maps[i].used && maps[i].has_ctx) {
			va = (unsigned long)ctx_va(&maps[i]);
			id = maps[i].id;
			break;
		}
	atomic_fetch_add(&s->seq, 1);
	atomic_store(&s->pub_va, va);
	atomic_store(&s->pub_id, id);
	atomic_fetch_add(&s->seq, 1);
}

/* Mark the published mapping as changing (before munmap/mremap). */
static void unpublish(void)
{
	if (!me_depth) {
		atomic_fetch_add(&sh->slot[me_slot].seq, 1);
		atomic_store(&sh->slot[me_slot].pub_va, 0);
		atomic_fetch_add(&sh->slot[me_slot].seq, 1);
	}
}

static void op_count(void)
{
	atomic_fetch_add(&sh->ds[me_dev].ops, 1);
}

static void sig_write(struct map *m)
{
	char *c = ctx_va(m);

	if (D->kind == PAGE_CTX) {
		volatile uint64_t *w = (volatile uint64_t *)c;

		for (int i = 0; i < WORDS; i++)
			w[i] = word(m->id, i);
	} else {
		volatile uint32_t *r = (volatile uint32_t *)c;
		uint32_t t = tag(m->id);

		r[XX_REG_LIVENESS / 4] = t;
		r[XX_REG_DMA_SRC / 4] = t ^ 0x11111111;
		r[XX_REG_DMA_DST / 4] = t ^ 0x22222222;
		r[XX_REG_DMA_CNT / 4] = t & 0xfff;
	}
}

static void foreign(struct map *m, uint64_t want_id, int off, uint64_t seen,
		    uint64_t want, const char *how)
{
	char who[96];

	whose(D->kind, seen, off, who, sizeof(who));
	report(me_dev, true,
	       "FOREIGN READ seed=%llu dev=%s pid=%d slot=%d%s %s: id %llu at %p offset 0x%x: saw %0*llx (%s), want %0*llx",
	       (unsigned long long)sh->seed, D->name, getpid(), me_slot,
	       me_depth ? " (fork child)" : "", how,
	       (unsigned long long)want_id, (void *)ctx_va(m), off,
	       D->kind == PAGE_CTX ? 16 : 8, (unsigned long long)seen, who,
	       D->kind == PAGE_CTX ? 16 : 8, (unsigned long long)want);
}

/* Does the context page of @m hold @id's signature?  Reports if not. */
static bool sig_check(struct map *m, uint64_t id, const char *how)
{
	char *c = ctx_va(m);

	atomic_fetch_add(&sh->ds[me_dev].checks, 1);
	if (D->kind == PAGE_CTX) {
		volatile uint64_t *w = (volatile uint64_t *)c;

		for (int i = 0; i < WORDS; i++) {
			uint64_t v = w[i];

			if (v != word(id, i)) {
				foreign(m, id, i * 8, v, word(id, i), how);
				return false;
			}
		}
	} else {
		volatile uint32_t *r = (volatile uint32_t *)c;
		uint32_t t = tag(id);

		if (r[XX_REG_IDENT / 4] != XX_IDENT) {
			report(me_dev, false,
			       "seed=%llu xx: identification register reads %08x",
			       (unsigned long long)sh->seed,
			       r[XX_REG_IDENT / 4]);
			return false;
		}
		for (int i = 0; i < 4; i++) {
			uint32_t v = r[xx_reg[i] / 4];

			if (v != xx_val(t, i)) {
				foreign(m, id, xx_reg[i], v, xx_val(t, i), how);
				return false;
			}
		}
	}
	return true;
}

/* ---- /proc/PID/mem and process_vm_readv ---- */

static int read_len(int *off)
{
	if (D->kind == XX_REGS) {
		*off = XX_REG_DMA_SRC;
		return 4;
	}
	*off = (int)rnd(WORDS) * 8;
	return 8;
}

static uint64_t expect_at(uint64_t id, int off)
{
	return D->kind == XX_REGS ? (uint64_t)(tag(id) ^ 0x11111111) :
				    word(id, off / 8);
}

static ssize_t pmem(pid_t pid, bool write, unsigned long va, void *buf,
		    size_t len)
{
	char path[40];
	ssize_t r;
	int fd, e;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, write ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return -1;
	r = write ? pwrite(fd, buf, len, (off_t)va) :
		    pread(fd, buf, len, (off_t)va);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

/* Read another worker's context page the two ways a debugger would. */
static void peek_peer(void)
{
	int s = (int)rnd((unsigned int)nslot), off, len;
	struct slot *sl = &sh->slot[s];
	unsigned int seq = atomic_load(&sl->seq);
	pid_t pid = atomic_load(&sl->pid);
	unsigned long va = atomic_load(&sl->pub_va);
	uint64_t id = atomic_load(&sl->pub_id), v = 0;
	const struct dev *mine = D;
	struct iovec lio, rio;
	ssize_t r;
	int e;

	if (sl->dev != me_dev || s == me_slot || !pid || !va || (seq & 1))
		return;
	op_count();
	len = read_len(&off);
	r = pmem(pid, false, va + (unsigned long)off, &v, (size_t)len);
	e = errno;
	if (atomic_load(&sl->seq) != seq || atomic_load(&sl->pid) != pid) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_raced, 1);
		return;
	}
	if (r == len) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_ok, 1);
		if (v != expect_at(id, off)) {
			char who[96];

			whose(mine->kind, v, off, who, sizeof(who));
			report(me_dev, true,
			       "FOREIGN READ seed=%llu dev=%s: /proc/%d/mem (slot %d, id %llu) at %#lx offset 0x%x read by pid %d: saw %0*llx (%s), want %0*llx",
			       (unsigned long long)sh->seed, mine->name, pid, s,
			       (unsigned long long)id, va, off, getpid(),
			       len * 2, (unsigned long long)v, who, len * 2,
			       (unsigned long long)expect_at(id, off));
		}
	} else if (r == 0 ||
		   (r < 0 && (e == EIO || e == ESRCH || e == ENOENT))) {
		/* EIO: it does not own the context; 0, ESRCH: it is exiting */
		atomic_fetch_add(&sh->ds[me_dev].pmem_eio, 1);
	} else {
		report(me_dev, false,
		       "seed=%llu %s: read of /proc/%d/mem at %#lx gave %zd (%s), want %d bytes or EIO",
		       (unsigned long long)sh->seed, mine->name, pid, va, r,
		       r < 0 ? strerror(e) : "short", len);
	}
	lio = (struct iovec){ &v, (size_t)len };
	rio = (struct iovec){ (void *)(va + (unsigned long)off), (size_t)len };
	if (selftest)
		return;
	r = process_vm_readv(pid, &lio, 1, &rio, 1, 0);
	e = errno;
	if (atomic_load(&sl->seq) != seq || atomic_load(&sl->pid) != pid)
		return;
	if (r < 0 && e == EFAULT)
		atomic_fetch_add(&sh->ds[me_dev].vmr_efault, 1);
	else if (r < 0 && e == ENOSYS) /* no CONFIG_CROSS_MEMORY_ATTACH */
		atomic_fetch_add(&sh->ds[me_dev].vmr_nosys, 1);
	else if (!(r < 0 && e == ESRCH))
		report(me_dev, false,
		       "seed=%llu %s: process_vm_readv of pid %d's devmap mapping at %#lx gave %zd (%s), want EFAULT",
		       (unsigned long long)sh->seed, mine->name, pid, va, r,
		       r < 0 ? strerror(e) : "success");
}

/* Own context page through /proc/self/mem and process_vm_readv. */
static void peek_self(struct map *m)
{
	int off, len = read_len(&off);
	unsigned long va = (unsigned long)ctx_va(m) + (unsigned long)off;
	uint64_t v = 0, want = expect_at(m->id, off);
	struct iovec lio = { &v, (size_t)len },
		     rio = { (void *)va, (size_t)len };
	bool write = m->prot[D->ctxpg] & PROT_WRITE && rnd(2);
	ssize_t r;

	op_count();
	if (write) {
		/* xx: the DMA source register reads back what is written */
		v = want;
		r = pmem(getpid(), true, va, &v, (size_t)len);
	} else {
		r = pmem(getpid(), false, va, &v, (size_t)len);
	}
	if (r == len) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_ok, 1);
		if (!write && v != want)
			foreign(m, m->id, off, v, want,
				"read of /proc/self/mem");
	} else if (r < 0 && errno == EIO) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_eio, 1);
	} else {
		report(me_dev, false,
		       "seed=%llu %s: %s of /proc/self/mem at %#lx gave %zd (%s)",
		       (unsigned long long)sh->seed, D->name,
		       write ? "write" : "read", va, r,
		       r < 0 ? strerror(errno) : "short");
	}
	if (selftest)
		return;
	r = process_vm_readv(getpid(), &lio, 1, &rio, 1, 0);
	if (r < 0 && errno == EFAULT)
		atomic_fetch_add(&sh->ds[me_dev].vmr_efault, 1);
	else if (r < 0 && errno == ENOSYS)
		atomic_fetch_add(&sh->ds[me_dev].vmr_nosys, 1);
	else
		report(me_dev, false,
		       "seed=%llu %s: process_vm_readv of its own devmap mapping at %#lx gave %zd (%s), want EFAULT",
		       (unsigned long long)sh->seed, D->name, va, r,
		       r < 0 ? strerror(errno) : "success");
}

/* ---- mapping operations (main thread, write lock held) ---- */

static struct map *pick_map(bool need_ctx)
{
	int n = 0, k;

	for (int i = 0; i < MAXMAP; i++)
		n += maps[i].used && (!need_ctx || maps[i].has_ctx);
	if (!n)
		return NULL;
	k = (int)rnd((unsigned int)n);
	for (int i = 0; i < MAXMAP; i++)
		if (maps[i].used && (!need_ctx || maps[i].has_ctx) && !k--)
			return &maps[i];
	return NULL;
}

/* A run of mapped pages of @m containing page @p: [*a, *b). */
static void run_of(const struct map *m, int p, int *a, int *b)
{
	*a = *b = p;
	while (*a > 0 && pg_mapped(m, *a - 1))
		(*a)--;
	while (*b < m->npg && pg_mapped(m, *b))
		(*b)++;
}

/* A random run of mapped pages. */
static bool pick_run(const struct map *m, int *a, int *b)
{
	int p, tries = 0;

	do
		p = (int)rnd((unsigned int)m->npg);
	while (!pg_mapped(m, p) && ++tries < 32);
	if (!pg_mapped(m, p))
		return false;
	run_of(m, p, a, b);
	return true;
}

static void pages_gone(struct map *m, int a, int b)
{
	for (int p = a; p < b; p++)
		m->mapped &= ~(1u << p);
	if (!pg_mapped(m, D->ctxpg))
		m->has_ctx = false;
	if (!m->mapped)
		m->used = false;
}

static void unmap_range(struct map *m, int a, int b)
{
	if (munmap(m->va + (long)a * PG, (size_t)(b - a) * PG)) {
		report(me_dev, false, "seed=%llu %s: munmap pages %d-%d: %s",
		       (unsigned long long)sh->seed, D->name, a, b - 1,
		       strerror(errno));
		return;
	}
	pages_gone(m, a, b);
}

static void unmap_all(struct map *m)
{
	int a, b;

	while (m->used && pick_run(m, &a, &b))
		unmap_range(m, a, b);
	m->used = false;
}

static void op_mmap(void)
{
	struct map *m = NULL;
	int npg = D->fixed ? D->npg : 1 + (int)rnd((unsigned int)D->npg);
	int fd;
	void *va;

	for (int i = 0; i < MAXMAP && !m; i++)
		if (!maps[i].used)
			m = &maps[i];
	if (!m) {
		m = &maps[rnd(MAXMAP)];
		unpublish();
		unmap_all(m);
	}
	if (selftest == 2) {
		va = mmap(NULL, (size_t)npg * PG, RW,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (va == MAP_FAILED)
			return;
		goto mapped;
	}
	fd = open(D->path, O_RDWR);
	if (fd < 0) {
		report(me_dev, false, "seed=%llu open %s: %s",
		       (unsigned long long)sh->seed, D->path, strerror(errno));
		return;
	}
	va = mmap(NULL, (size_t)npg * PG, RW, MAP_SHARED, fd, 0);
	close(fd); /* the mapping keeps the file */
	if (va == MAP_FAILED) {
		report(me_dev, false, "seed=%llu mmap %s, %d pages: %s",
		       (unsigned long long)sh->seed, D->path, npg,
		       strerror(errno));
		return;
	}
mapped:
	*m = (struct map){ .used = true,
			   .va = va,
			   .npg = npg,
			   .mapped = (1u << npg) - 1,
			   .has_ctx = true,
			   .id = new_id(me_slot) };
	for (int p = 0; p < npg; p++)
		m->prot[p] = RW;
	atomic_fetch_add(&sh->ds[me_dev].maps, 1);
	sig_write(m);
	if (sig_check(m, m->id, "right after writing a new mapping"))
		publish();
}

/* munmap a piece: head, tail or hole of a run, or the whole run. */
static void op_munmap(void)
{
	struct map *m = pick_map(false);
	int a, b, len, k, i;

	if (!m || !pick_run(m, &a, &b))
		return;
	len = b - a;
	unpublish();
	switch (len < 2 ? 3 : rnd(4)) {
	case 0: /* head */
		k = 1 + (int)rnd((unsigned int)len - 1);
		unmap_range(m, a, a + k);
		break;
	case 1: /* tail */
		k = 1 + (int)rnd((unsigned int)len - 1);
		unmap_range(m, b - k, b);
		break;
	case 2: /* hole */
		if (len < 3)
			goto whole;
		i = 1 + (int)rnd((unsigned int)len - 2);
		k = 1 + (int)rnd((unsigned int)(len - 1 - i));
		unmap_range(m, a + i, a + i + k);
		break;
	default:
whole:
		unmap_range(m, a, b);
		break;
	}
	if (len >= 2)
		atomic_fetch_add(&sh->ds[me_dev].partial, 1);
	publish();
}

static void op_mprotect(void)
{
	struct map *m = pick_map(false);
	int a, b, x, y, prot = rnd(2) ? PROT_READ : RW;

	if (!m || !pick_run(m, &a, &b))
		return;
	x = a + (int)rnd((unsigned int)(b - a));
	y = x + 1 + (int)rnd((unsigned int)(b - x));
	if (mprotect(m->va + (long)x * PG, (size_t)(y - x) * PG, prot)) {
		if (errno != ENOMEM)
			report(me_dev, false, "seed=%llu %s: mprotect(%s): %s",
			       (unsigned long long)sh->seed, D->name,
			       prot == RW ? "RW" : "R", strerror(errno));
		return;
	}
	for (int p = x; p < y; p++)
		m->prot[p] = prot;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (segv_jb)
		siglongjmp(*segv_jb, 1);
	signal(sig, SIG_DFL); /* not expected: die of it */
}

/* A write to a read-only context page must fault and change nothing. */
static void op_write_readonly(struct map *m)
{
	sigjmp_buf jb;
	volatile uint32_t *w =
		(volatile uint32_t *)(ctx_va(m) + (D->kind == XX_REGS ?
							   XX_REG_DMA_SRC :
							   8));

	op_count();
	if (sigsetjmp(jb, 1) == 0) {
		segv_jb = &jb;
		*w = 0xdeadbeef;
		segv_jb = NULL;
		report(me_dev, false,
		       "seed=%llu %s: a write to a read-only context page did not fault",
		       (unsigned long long)sh->seed, D->name);
		sig_write(m); /* put the signature back */
		return;
	}
	segv_jb = NULL;
	atomic_fetch_add(&sh->ds[me_dev].segv, 1);
	sig_check(m, m->id, "after a refused write");
}

static const struct advice {
	const char *name;
	int advice;
	int ok[3]; /* errnos allowed besides success (0-terminated) */
} advices[] = {
	{ "DONTNEED", MADV_DONTNEED, { EINVAL } },
	{ "DONTFORK", MADV_DONTFORK, { ENOMEM } },
	{ "DOFORK", MADV_DOFORK, { EINVAL } },
	{ "KEEPONFORK", MADV_KEEPONFORK, { EINVAL, ENOMEM } },
	{ "WIPEONFORK", MADV_WIPEONFORK, { EINVAL } },
	{ "WILLNEED", MADV_WILLNEED, { EINVAL, EBADF, ESPIPE } },
	{ "COLD", MADV_COLD, { EINVAL } },
	{ "PAGEOUT", MADV_PAGEOUT, { EINVAL } },
	{ "POPULATE_READ", MADV_POPULATE_READ, { EINVAL, EFAULT } },
	{ "POPULATE_WRITE", MADV_POPULATE_WRITE, { EINVAL, EFAULT } },
};

static void op_madvise(void)
{
	const struct advice *ad =
		&advices[rnd(sizeof(advices) / sizeof(advices[0]))];
	struct map *m = pick_map(false);
	int a, b, e;

	if (!m || !pick_run(m, &a, &b))
		return;
	if (selftest == 2 &&
	    (ad->advice == MADV_DONTNEED || ad->advice == MADV_WIPEONFORK))
		return; /* they drop private anonymous contents */
	if (!madvise(m->va + (long)a * PG, (size_t)(b - a) * PG, ad->advice)) {
		if (ad->advice == MADV_DONTFORK)
			for (int p = a; p < b; p++)
				m->dontfork |= 1u << p;
		return;
	}
	e = errno;
	for (int i = 0; i < 3 && ad->ok[i]; i++)
		if (e == ad->ok[i])
			return;
	report(me_dev, false,
	       "seed=%llu %s: madvise(MADV_%s) on pages %d-%d: %s",
	       (unsigned long long)sh->seed, D->name, ad->name, a, b - 1,
	       strerror(e));
}

/* mremap: a move (refused today), a growth (VM_DONTEXPAND), a shrink. */
static void op_mremap(void)
{
	struct map *m = pick_map(true);
	int a, b, what = (int)rnd(3), e;
	size_t len;
	char *old, *to, *r;

	if (!m)
		return;
	run_of(m, D->ctxpg, &a, &b);
	old = m->va + (long)a * PG;
	len = (size_t)(b - a) * PG;
	unpublish();
	if (what == 0) {
		/* move onto a reservation, the whole run */
		to = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			  0);
		if (to == MAP_FAILED)
			goto out;
		r = mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
		e = errno;
		if (r == MAP_FAILED) {
			munmap(to, len);
			if (e == EINVAL || e == EFAULT) {
				atomic_fetch_add(&sh->ds[me_dev].mremap_refused,
						 1);
			} else {
				report(me_dev, false,
				       "seed=%llu %s: mremap (move): %s",
				       (unsigned long long)sh->seed, D->name,
				       strerror(e));
			}
			goto out;
		}
		atomic_fetch_add(&sh->ds[me_dev].mremap_moved, 1);
		if (m->mapped == (((1u << b) - 1) & ~((1u << a) - 1))) {
			m->va = r - (long)a * PG; /* it all moved */
		} else {
			/* the run moved, the rest stayed: keep the run only */
			unsigned int rest = m->mapped & ~(((1u << b) - 1) &
							  ~((1u << a) - 1));

			for (int p = 0; p < m->npg; p++)
				if (rest >> p & 1)
					munmap(m->va + (long)p * PG, PG);
			m->mapped &= ~rest;
			m->va = r - (long)a * PG;
		}
		sig_check(m, m->id, "after mremap moved the mapping");
	} else if (what == 1) {
		r = mremap(old, len, len + PG, 0);
		e = errno;
		if (r != MAP_FAILED) {
			if (!selftest)
				report(me_dev, false,
				       "seed=%llu %s: mremap grew a VM_DONTEXPAND mapping",
				       (unsigned long long)sh->seed, D->name);
			munmap(old + len, PG);
		} else if (e == EFAULT || e == EINVAL || e == ENOMEM) {
			atomic_fetch_add(&sh->ds[me_dev].mremap_refused, 1);
		} else {
			report(me_dev, false, "seed=%llu %s: mremap (grow): %s",
			       (unsigned long long)sh->seed, D->name,
			       strerror(e));
		}
	} else if (b - a >= 2) {
		int keep = 1 + (int)rnd((unsigned int)(b - a - 1));

		r = mremap(old, len, (size_t)keep * PG, 0);
		e = errno;
		if (r == old) {
			pages_gone(m, a + keep, b);
			atomic_fetch_add(&sh->ds[me_dev].partial, 1);
		} else if (r == MAP_FAILED && (e == EINVAL || e == ENOMEM)) {
			atomic_fetch_add(&sh->ds[me_dev].mremap_refused, 1);
		} else {
			report(me_dev, false,
			       "seed=%llu %s: mremap (shrink): %s",
			       (unsigned long long)sh->seed, D->name,
			       r == MAP_FAILED ? strerror(e) : "moved");
		}
	}
out:
	publish();
}

/* ---- fork children ---- */

static struct kid {
	pid_t pid;
	double start;
	bool killed;
} kids[MAXKIDS];

static void reap_kids(bool all)
{
	for (int i = 0; i < MAXKIDS; i++) {
		int st;
		pid_t r;

		if (!kids[i].pid)
			continue;
		if (!all && now() - kids[i].start > watchdog) {
			report(me_dev, false,
			       "seed=%llu %s: HANG: fork child %d made no end in %d s",
			       (unsigned long long)sh->seed, D->name,
			       kids[i].pid, watchdog);
			kill(kids[i].pid, SIGKILL);
			kids[i].killed = true;
			kids[i].start = now() + 1e9; /* report once */
		}
		r = waitpid(kids[i].pid, &st, all ? 0 : WNOHANG);
		if (r == 0)
			continue;
		if (r < 0) { /* not ours any more */
			kids[i].pid = 0;
			continue;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL &&
		    kids[i].killed)
			atomic_fetch_add(&sh->ds[me_dev].kids_killed, 1);
		else if (!WIFEXITED(st) || WEXITSTATUS(st))
			report(me_dev, false,
			       "seed=%llu %s: fork child %d of slot %d %s %d",
			       (unsigned long long)sh->seed, D->name, r,
			       me_slot,
			       WIFSIGNALED(st) ? "died of signal" : "exited",
			       WIFSIGNALED(st) ? WTERMSIG(st) :
						 WEXITSTATUS(st));
		kids[i].pid = 0;
	}
}

static void mix_loop(double end);

static void child_main(pid_t parent)
{
	rng ^= (uint64_t)getpid() << 20;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	me_depth = 1;
	memset(kids, 0, sizeof(kids));
	pthread_rwlock_init(&maplock, NULL);
	for (int i = 0; i < MAXMAP; i++) {
		struct map *m = &maps[i];

		if (!m->used)
			continue;
		/* MADV_DONTFORK pieces are not in the child */
		m->mapped &= ~m->dontfork;
		m->dontfork = 0;
		if (!m->mapped) {
			m->used = false;
			continue;
		}
		if (!pg_mapped(m, D->ctxpg))
			m->has_ctx = false;
		if (!m->has_ctx)
			continue;
		sig_check(m, m->id,
			  "fork child: the copy of its parent's context");
		if (!(m->prot[D->ctxpg] & PROT_WRITE)) {
			if (mprotect(ctx_va(m), PG, RW)) {
				report(me_dev, false,
				       "seed=%llu %s: fork child: mprotect RW: %s",
				       (unsigned long long)sh->seed, D->name,
				       strerror(errno));
				_exit(3);
			}
			m->prot[D->ctxpg] = RW;
		}
		m->id = new_id(me_slot);
		sig_write(m);
	}
	mix_loop(now() + 0.05 + (double)rnd(1000) / 1000);
	if (rnd(2))
		for (int i = 0; i < MAXMAP; i++)
			if (maps[i].used)
				unmap_all(&maps[i]);
	_exit(0);
}

static void op_fork(void)
{
	int i;
	pid_t pid, parent = getpid();

	for (i = 0; i < MAXKIDS && kids[i].pid; i++)
		;
	if (i == MAXKIDS || me_depth)
		return;
	pid = fork();
	if (pid < 0) {
		if (errno != EAGAIN && errno != ENOMEM)
			report(me_dev, false, "seed=%llu fork: %s",
			       (unsigned long long)sh->seed, strerror(errno));
		return;
	}
	if (pid == 0)
		child_main(parent);
	atomic_fetch_add(&sh->ds[me_dev].forks, 1);
	kids[i] = (struct kid){ pid, now(), false };
}

static void op_kill_kid(void)
{
	int i = (int)rnd(MAXKIDS);

	if (kids[i].pid && !kids[i].killed) {
		kill(kids[i].pid, SIGKILL);
		kids[i].killed = true;
	}
}

/* ---- the loops ---- */

/*
 * The pages of a piece without its context page are plain shared memory
 * (default access): one word per slot, written only by that slot.
 */
static void touch_shared(struct map *m)
{
	uint64_t v = 0x5eed000000000000ULL | (uint64_t)me_slot;
	volatile uint64_t *w;
	int p = (int)rnd((unsigned int)m->npg);

	if (!pg_mapped(m, p) || (p == D->ctxpg && m->has_ctx))
		return;
	op_count();
	w = (volatile uint64_t *)(m->va + (long)p * PG);
	if (!(m->prot[p] & PROT_WRITE)) {
		(void)w[me_slot];
		return;
	}
	w[me_slot] = v;
	if (w[me_slot] != v)
		report(me_dev, false,
		       "seed=%llu %s: shared page %d, slot %d's word: wrote %llx, read %llx",
		       (unsigned long long)sh->seed, D->name, p, me_slot,
		       (unsigned long long)v, (unsigned long long)w[me_slot]);
}

static void check_one(bool rewrite)
{
	struct map *m = pick_map(true);

	if (!m) {
		if ((m = pick_map(false)) && D->kind == PAGE_CTX)
			touch_shared(m);
		return;
	}
	op_count();
	if (rewrite && m->prot[D->ctxpg] & PROT_WRITE)
		sig_write(m);
	sig_check(m, m->id, me_thr ? "check (second thread)" : "check");
}

/* Main thread (and fork children): checks mixed with mutations. */
static void mix_loop(double end)
{
	unsigned long n = 0;

	while (!atomic_load(&sh->stop) && !quit && now() < end) {
		unsigned int op = rnd(1000);
		struct map *m;

		if (!me_depth)
			atomic_fetch_add(&sh->slot[me_slot].hb[0], 1);
		if (op < 600) {
			check_one(op < 100);
			if (op % 16 == 0)
				sched_yield();
			goto next;
		}
		pthread_rwlock_wrlock(&maplock);
		op_count();
		if (op < 680)
			op_mmap();
		else if (op < 740)
			op_munmap();
		else if (op < 800)
			op_mprotect();
		else if (op < 820 && (m = pick_map(true)) &&
			 !(m->prot[D->ctxpg] & PROT_WRITE))
			op_write_readonly(m);
		else if (op < 860)
			op_madvise();
		else if (op < 890)
			op_mremap();
		else if (op < 920)
			op_fork();
		else if (op < 923)
			op_kill_kid();
		else if (op < 980)
			peek_peer();
		else if ((m = pick_map(true)))
			peek_self(m);
		pthread_rwlock_unlock(&maplock);
next:
		if (++n % 8 == 0)
			reap_kids(false);
	}
}

static void *checker(void *arg)
{
	me_thr = (int)(intptr_t)arg;
	rng = sh->seed ^ ((uint64_t)me_slot << 40) ^
	      ((uint64_t)sh->slot[me_slot].gen << 20) ^ (uint64_t)me_thr;
	splitmix(&rng);
	while (!quit && !atomic_load(&sh->stop)) {
		unsigned int op = rnd(100);
		struct map *m;

		atomic_fetch_add(&sh->slot[me_slot].hb[me_thr], 1);
		pthread_rwlock_rdlock(&maplock);
		if (op < 85)
			check_one(op < 10);
		else if (op < 93)
			peek_peer();
		else if ((m = pick_map(true)))
			peek_self(m);
		pthread_rwlock_unlock(&maplock);
		if (op % 8 == 0)
			sched_yield();
	}
	return NULL;
}

static void worker(int s)
{
	struct slot *sl = &sh->slot[s];
	pthread_t th[MAXTHR];
	struct sigaction sa = { .sa_sigaction = segv_handler,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	double life;

	me_slot = s;
	me_dev = sl->dev;
	D = &devs[me_dev];
	rng = sh->seed ^ ((uint64_t)s << 40) ^ ((uint64_t)sl->gen << 20);
	splitmix(&rng);
	life = 1 + (double)rnd(8000) / 1000;
	sigaction(SIGSEGV, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pthread_rwlock_wrlock(&maplock);
	op_mmap();
	pthread_rwlock_unlock(&maplock);
	for (int t = 1; t < sl->nthr; t++)
		if (pthread_create(&th[t], NULL, checker, (void *)(intptr_t)t))
			report(me_dev, false, "seed=%llu pthread_create failed",
			       (unsigned long long)sh->seed);
	mix_loop(now() + life);
	switch (rnd(3)) {
	case 0: /* exit at once: threads mid-access, mappings live */
		_exit(0);
	case 1: /* unmap everything under the other threads' feet */
		pthread_rwlock_wrlock(&maplock);
		unpublish();
		for (int i = 0; i < MAXMAP; i++)
			if (maps[i].used)
				unmap_all(&maps[i]);
		pthread_rwlock_unlock(&maplock);
		_exit(0);
	default: /* an orderly end */
		quit = 1;
		for (int t = 1; t < sl->nthr; t++)
			pthread_join(th[t], NULL);
		reap_kids(true);
		_exit(0);
	}
}

/* ---- the supervisor ---- */

static struct {
	double last_change[MAXTHR];
	unsigned long last_hb[MAXTHR];
	bool killed, hung;
} sup[MAXSLOT];

static pid_t spawn(int s)
{
	struct slot *sl = &sh->slot[s];
	pid_t pid;

	sl->gen++;
	for (int t = 0; t < MAXTHR; t++)
		sup[s].last_hb[t] = atomic_load(&sl->hb[t]);
	for (int t = 0; t < MAXTHR; t++)
		sup[s].last_change[t] = now();
	sup[s].killed = sup[s].hung = false;
	atomic_fetch_add(&sl->seq, 2);
	atomic_store(&sl->pub_va, 0);
	pid = fork();
	if (pid == 0) {
		atomic_store(&sl->pid, getpid());
		worker(s);
	}
	if (pid < 0) {
		report(sl->dev, false, "seed=%llu fork of a worker: %s",
		       (unsigned long long)sh->seed, strerror(errno));
		return -1;
	}
	atomic_store(&sl->pid, pid);
	return pid;
}

static void dump_stuck(pid_t pid)
{
	char path[64], buf[2048];
	FILE *f;
	size_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if ((f = fopen(path, "r"))) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		printf("#   pid %d wchan: %s\n", (int)pid, buf);
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	if ((f = fopen(path, "r"))) {
		while (fgets(buf, sizeof(buf), f))
			printf("#   %s", buf);
		fclose(f);
	}
	fflush(stdout);
	/* the kernel's view of every blocked task, on the console */
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "w", 1) < 0)
			perror("sysrq");
		close(fd);
	}
}

static int slot_of(pid_t pid)
{
	for (int s = 0; s < nslot; s++)
		if (atomic_load(&sh->slot[s].pid) == pid)
			return s;
	return -1;
}

/* Reap whatever ended; respawn workers while running.  Returns the
 * number of processes reaped. */
static int reap(bool respawn)
{
	int st, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int s = slot_of(pid);

		n++;
		if (s < 0) {
			/* a fork child whose worker died first */
			if (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)
				report(-1, false,
				       "seed=%llu orphaned fork child %d died of signal %d",
				       (unsigned long long)sh->seed, pid,
				       WTERMSIG(st));
			else if (WIFEXITED(st) && WEXITSTATUS(st))
				report(-1, false,
				       "seed=%llu orphaned fork child %d exited %d",
				       (unsigned long long)sh->seed, pid,
				       WEXITSTATUS(st));
			continue;
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && sup[s].killed)
			atomic_fetch_add(&sh->ds[sh->slot[s].dev].kills, 1);
		else if (WIFEXITED(st) && !WEXITSTATUS(st))
			atomic_fetch_add(&sh->ds[sh->slot[s].dev].exits, 1);
		else
			report(sh->slot[s].dev, false,
			       "seed=%llu %s: worker %d (slot %d) %s %d",
			       (unsigned long long)sh->seed,
			       devs[sh->slot[s].dev].name, pid, s,
			       WIFSIGNALED(st) ? "died of signal" : "exited",
			       WIFSIGNALED(st) ? WTERMSIG(st) :
						 WEXITSTATUS(st));
		atomic_store(&sh->slot[s].pid, 0);
		if (respawn)
			spawn(s);
	}
	return n;
}

static void watch(void)
{
	double t = now();

	for (int s = 0; s < nslot; s++) {
		struct slot *sl = &sh->slot[s];
		pid_t pid = atomic_load(&sl->pid);

		if (!pid || sup[s].hung)
			continue;
		for (int th = 0; th < sl->nthr; th++) {
			unsigned long hb = atomic_load(&sl->hb[th]);

			if (hb != sup[s].last_hb[th]) {
				sup[s].last_hb[th] = hb;
				sup[s].last_change[th] = t;
			} else if (t - sup[s].last_change[th] > watchdog) {
				report(sl->dev, false,
				       "seed=%llu %s: HANG: worker %d (slot %d) thread %d made no progress for %d s",
				       (unsigned long long)sh->seed,
				       devs[sl->dev].name, pid, s, th,
				       watchdog);
				sup[s].hung = true;
				dump_stuck(pid);
				sup[s].killed = true;
				kill(pid, SIGKILL);
				break;
			}
		}
	}
}

static unsigned long switches(int d, int fd)
{
	unsigned long n = 0;
	struct dmt_stats ds;
	struct xx_stats xs;

	switch (d) {
	case 0:
		memset(&ds, 0, sizeof(ds));
		ioctl(fd, DMT_GET_STATS, &ds);
		return (unsigned long)ds.switches;
	case 1:
		ioctl(fd, KM_SWITCHES, &n);
		return n;
	default:
		memset(&xs, 0, sizeof(xs));
		ioctl(fd, XX_GET_STATS, &xs);
		return xs.switches;
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: stress_user [-s SEED] [-t SECONDS] [-n WORKERS] [-d dmtest,kmctx,xx] [-w WATCHDOG] [-T FIRST]\n");
	exit(64);
}

static void print_log(int from, int to)
{
	for (int i = from; i < to && i < NLOG; i++) {
		if (!atomic_load(&sh->log[i].ready))
			continue;
		printf("# %s\n", sh->log[i].msg);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0, srng;
	bool have_seed = false;
	char devlist[64] = "dmtest,kmctx,xx", devarg[64] = "dmtest,kmctx,xx";
	char *tok, *save;
	int c, tap = 1, first_tap = 0, fds[MAXDEV], nprinted = 0;
	unsigned long sw0[MAXDEV];
	double end, t_end;
	long hold_ticks;
	int remaining;

	while ((c = getopt(argc, argv, "s:t:n:d:w:T:")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 't':
			duration = atoi(optarg);
			break;
		case 'n':
			nslot = atoi(optarg);
			break;
		case 'd':
			snprintf(devlist, sizeof(devlist), "%s", optarg);
			snprintf(devarg, sizeof(devarg), "%s", optarg);
			break;
		case 'w':
			watchdog = atoi(optarg);
			break;
		case 'T':
			first_tap = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (nslot < 1 || nslot > MAXSLOT || duration < 1 || watchdog < 2)
		usage();
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^
		       ((uint64_t)getpid() << 16);
		seed %= 1000000000ULL;
	}
	printf("# seed=%llu\n", (unsigned long long)seed);
	fprintf(stderr,
		"# stress: seed=%llu duration=%d s workers=%d devices=%s watchdog=%d s\n",
		(unsigned long long)seed, duration, nslot, devarg, watchdog);
	fflush(stdout);
	for (tok = strtok_r(devlist, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int d;

		for (d = 0; d < MAXDEV && strcmp(devs[d].name, tok); d++)
			;
		if (d == MAXDEV || ndev == MAXDEV)
			usage();
		dev_idx[ndev++] = d;
	}
	if (!ndev)
		usage();
	/*
	 * Self-tests of the checks, off the devices (dmtest and kmctx
	 * layouts only): STRESS_SELFTEST=FILE maps a plain file that every
	 * process shares and must give foreign reads; STRESS_SELFTEST=private
	 * maps private anonymous memory (a context of its own per mapping,
	 * copied on fork) and must give none.
	 */
	if (getenv("STRESS_SELFTEST")) {
		selftest = strcmp(getenv("STRESS_SELFTEST"), "private") ? 1 : 2;
		for (int d = 0; d < MAXDEV; d++)
			devs[d].path = selftest == 2 ?
					       "/dev/null" :
					       getenv("STRESS_SELFTEST");
	}
	if (first_tap)
		tap = first_tap;

	sh = mmap(NULL, sizeof(*sh), RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	sh->seed = seed;
	srng = seed;
	sh->salt = splitmix(&srng);
	atomic_store(&sh->next_id, 1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	/* the devices: switch counters, and a random context hold */
	rng = seed ^ 0x5eed;
	splitmix(&rng);
	hold_ticks = rnd(2) ? 0 : 1 + (long)rnd(2);
	printf("# context hold: %ld ticks (dmtest, kmctx)\n", hold_ticks);
	for (int i = 0; i < ndev; i++) {
		int d = dev_idx[i];

		fds[d] = open(devs[d].path, O_RDWR);
		if (fds[d] < 0) {
			printf("# %s: %s\n", devs[d].path, strerror(errno));
			continue;
		}
		if (d == 0) {
			ioctl(fds[d], DMT_RESET, 0);
			ioctl(fds[d], DMT_SET_HOLD, (long)hold_ticks);
		} else if (d == 1) {
			ioctl(fds[d], KM_SET_HOLD, (long)hold_ticks);
		}
		sw0[d] = switches(d, fds[d]);
	}
	for (int s = 0; s < nslot; s++) {
		sh->slot[s].dev = dev_idx[s % ndev];
		sh->slot[s].nthr = 1 + (s / ndev) % MAXTHR;
		if (fds[sh->slot[s].dev] >= 0)
			spawn(s);
	}

	end = now() + duration;
	while (now() < end) {
		sleep_ms(10 + (int)rnd(90));
		reap(true);
		watch();
		if (rnd(100) < 15) {
			int s = (int)rnd((unsigned int)nslot);
			pid_t pid = atomic_load(&sh->slot[s].pid);

			if (pid && !sup[s].killed) {
				sup[s].killed = true;
				kill(pid, SIGKILL);
			}
		}
		remaining = atomic_load(&sh->nlog);
		print_log(nprinted, remaining);
		nprinted = remaining < NLOG ? remaining : NLOG;
	}

	/* stop; everything must end within the watchdog period */
	atomic_store(&sh->stop, 1);
	t_end = now() + watchdog;
	for (;;) {
		int alive = 0;

		reap(false);
		for (int s = 0; s < nslot; s++)
			alive += atomic_load(&sh->slot[s].pid) != 0;
		if (!alive && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			break;
		if (now() > t_end) {
			for (int s = 0; s < nslot; s++) {
				pid_t pid = atomic_load(&sh->slot[s].pid);

				if (!pid)
					continue;
				report(sh->slot[s].dev, false,
				       "seed=%llu %s: HANG: worker %d (slot %d) did not stop within %d s",
				       (unsigned long long)seed,
				       devs[sh->slot[s].dev].name, pid, s,
				       watchdog);
				dump_stuck(pid);
				sup[s].killed = true;
				kill(pid, SIGKILL);
			}
			/* a last chance for whatever is left, orphans too */
			for (int i = 0;
			     i < 100 && waitpid(-1, NULL, WNOHANG) >= 0; i++) {
				reap(false);
				sleep_ms(100);
			}
			if (waitpid(-1, NULL, WNOHANG) >= 0)
				report(-1, false,
				       "seed=%llu HANG: processes left that SIGKILL does not end",
				       (unsigned long long)seed);
			break;
		}
		sleep_ms(20);
	}
	remaining = atomic_load(&sh->nlog);
	print_log(nprinted, remaining);
	if (atomic_load(&sh->lost))
		printf("# ... and %d more failure reports (at most 3 of a kind are shown)\n",
		       atomic_load(&sh->lost));

	bool failed = false;

	for (int i = 0; i < ndev; i++) {
		int d = dev_idx[i];
		struct devstat *ds = &sh->ds[d];
		unsigned long sw = fds[d] >= 0 ? switches(d, fds[d]) - sw0[d] :
						 0;
		bool bad = fds[d] < 0 || ds->foreign || ds->errors ||
			   ds->ops == 0;

		printf("# %s: %lu checks, %lu maps, %lu partial unmaps, %lu forks (%lu killed by the parent), %lu workers killed, %lu exited; mremap %lu moved %lu refused; /proc/PID/mem %lu read %lu EIO %lu raced; process_vm_readv %lu EFAULT (%lu ENOSYS: not in this kernel); %lu SIGSEGV on read-only\n",
		       devs[d].name, (unsigned long)ds->checks,
		       (unsigned long)ds->maps, (unsigned long)ds->partial,
		       (unsigned long)ds->forks, (unsigned long)ds->kids_killed,
		       (unsigned long)ds->kills, (unsigned long)ds->exits,
		       (unsigned long)ds->mremap_moved,
		       (unsigned long)ds->mremap_refused,
		       (unsigned long)ds->pmem_ok, (unsigned long)ds->pmem_eio,
		       (unsigned long)ds->pmem_raced,
		       (unsigned long)ds->vmr_efault,
		       (unsigned long)ds->vmr_nosys, (unsigned long)ds->segv);
		printf("%sok %d - stress %s: %lu ops, %lu switches, %lu foreign reads%s%s\n",
		       bad ? "not " : "", tap++, devs[d].name,
		       (unsigned long)ds->ops, sw, (unsigned long)ds->foreign,
		       ds->errors ? ", other failures (see above)" : "",
		       fds[d] < 0 ? " (cannot open the device)" : "");
		failed |= bad;
		if (d <= 1 && fds[d] >= 0)
			ioctl(fds[d], d ? KM_SET_HOLD : DMT_SET_HOLD, 0L);
		if (fds[d] >= 0)
			close(fds[d]);
	}
	{
		struct devstat *ds = &sh->ds[MAXDEV];
		bool bad = ds->errors != 0;

		printf("%sok %d - stress: %d workers for %d s, every process ended as expected\n",
		       bad ? "not " : "", tap++, nslot, duration);
		failed |= bad;
	}
	if (failed)
		printf("# replay: stress_user -s %llu -t %d -n %d -d %s\n",
		       (unsigned long long)seed, duration, nslot, devarg);
	if (!first_tap)
		printf("1..%d\n", tap - 1);
	return failed ? 1 : 0;
}
