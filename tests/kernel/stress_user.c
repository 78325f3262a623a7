// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * stress_user: a randomized multi-process stress of the devmap context
 * devices (dmtest, kmctx, xx) and of remaps of live mappings (remaptest).
 * Prints TAP.
 *
 *   stress_user [-s SEED] [-t SECONDS] [-n WORKERS]
 *               [-d dmtest,kmctx,xx,remaptest]
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
 * Held contexts.  The supervisor draws the context hold of dmtest and
 * kmctx (0 to 3 ticks; it applies to new mappings) every second, so
 * faults wait for a held context in every run (the summary counts them
 * from devmap's debugfs file).  A worker with more than one thread now
 * and then yanks a mapping from under them: it takes the mapping out of
 * the book, arms it, and the other threads touch its context page (a
 * fault that may wait for the hold, the mmap_lock dropped) while the main
 * thread munmaps it, maps anonymous memory or a new mapping of the device
 * over it (MAP_FIXED), or exits.  A touch must read the mapping's
 * signature, zeros (what was put there) or raise SIGSEGV (unmapped).
 *
 * remaptest.  A worker maps the 2 MiB window (MAXPG pieces of 256 KiB
 * stand for pages in the operations above) and runs the same mix, minus
 * the signatures: page i of backing A reads RT_FILL_A + i in every byte,
 * of B RT_FILL_B + i, the trash page what the supervisor saw there at the
 * start (moved onto it itself; nobody writes it), and a mapping moved
 * onto nothing must raise SIGSEGV.  Any thread of a remaptest worker or
 * of its fork children moves every handle of a remaptest worker (itself
 * or another) onto A, B, the trash page or nothing (RT_REMAP).  Each
 * worker's state is in shared memory under a robust process-shared
 * mutex: the backing, and a generation that is odd while a remap is in
 * flight.  A read checks when the generation was even and the same
 * before and after it: it was issued after the remap's ioctl returned and
 * must show that backing (no stale translation); a read that raced a
 * remap proves nothing.  The same goes for reads of a peer through
 * /proc/PID/mem.  Writes write what is there (A or B's pattern) under the
 * mutex, so no remap moves the mapping meanwhile and no backing changes;
 * a write to a mapping moved onto nothing must raise SIGSEGV.  A new
 * mapping is on A: the worker maps under its mutex and moves everything
 * back onto its backing.  A fork is made under the mutex, so the child's
 * handles (never moved: remaptest records them without a process) stay on
 * the parent's backing.  Remaps race the worker's own munmap and mremap
 * of its handles too: the remap must reach every survivor.
 *
 * Failures: a foreign read (remaptest: a read after a remap that shows
 * another backing, or data where there is none); an operation failing
 * with an errno it may not give (remaptest: any failed remap); a process
 * dying of a signal nobody sent; a worker thread making no
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
#include "remaptest.h"
#include "xx.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#define PG 4096
#define WORDS (PG / 8)
#define MAXDEV 4
#define RTDEV 3 /* remaptest's index in devs[] */
#define MAXSLOT 64
#define MAXTHR 3
#define MAXMAP 4
#define MAXPG 8
#define MAXKIDS 4
#define NLOG 48
#define NIDS 8192
#define K 0x9e3779b97f4a7c15ULL
#define RW (PROT_READ | PROT_WRITE)

enum kind { PAGE_CTX, XX_REGS, RT_BACKING };

/* remaptest: its 2 MiB window in MAXPG pieces ("pages" of the stress) */
#define RT_UNIT ((long)RT_LEN / MAXPG)
#define RT_UNIT_PAGES ((int)(RT_UNIT / PG))

static struct dev {
	const char *name, *path;
	int npg; /* pages a mapping may have (at most) */
	int ctxpg; /* the context page in a mapping */
	bool fixed; /* every mapping has exactly npg pages */
	enum kind kind;
	long unit; /* bytes of one of its pages */
} devs[MAXDEV] = {
	{ "dmtest", "/dev/dmtest0", DMT_PAGES, 0, false, PAGE_CTX, PG },
	{ "kmctx", "/dev/kmctx0", KM_SIZE / PG, KM_CTX_OFF / PG, true, PAGE_CTX,
	  PG },
	{ "xx", "/dev/xx0", 1, 0, true, XX_REGS, PG },
	{ "remaptest", "/dev/remaptest0", MAXPG, 0, true, RT_BACKING, RT_UNIT },
};

struct devstat {
	atomic_ulong ops, checks, foreign, errors, forks, kids_killed, kills,
		exits, maps, partial, mremap_moved, mremap_refused, pmem_ok,
		pmem_eio, pmem_raced, vmr_efault, vmr_nosys, segv;
	/* remaptest */
	atomic_ulong remaps, remap_raced, remap_segv;
	/* a fault on a mapping being unmapped: what the touches found */
	atomic_ulong yanks, yank_sig, yank_zero, yank_segv;
};

/*
 * remaptest: where the handles of a slot's worker are.  The mutex
 * (robust: a holder may be killed) is held across every RT_REMAP of the
 * worker, its mmap of the device, its fork, its writes to the device and
 * every change of this state; @gen is odd while a remap is in flight and
 * changes with every change of the state; @to is -1 when unknown.
 */
struct rtstate {
	pthread_mutex_t mu;
	int pid; /* the worker whose handles these are */
	atomic_uint gen;
	atomic_int to; /* enum rt_to */
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
	struct rtstate rt[MAXSLOT];
	bool trash_known;
	uint8_t trash[PG]; /* what the trash page holds (nobody writes it) */
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

/* remaptest: what word @off of device page @pg holds on backing @to
 * (false: any value will do) */
static bool rt_want(int to, int pg, int off, uint64_t *want)
{
	uint8_t b;

	switch (to) {
	case RT_TO_A:
		b = (uint8_t)(RT_FILL_A + pg);
		break;
	case RT_TO_B:
		b = (uint8_t)(RT_FILL_B + pg);
		break;
	case RT_TO_TRASH:
		if (!sh->trash_known)
			return false;
		memcpy(want, sh->trash + off, sizeof(*want));
		return true;
	default:
		return false;
	}
	*want = b * 0x0101010101010101ULL;
	return true;
}

static const char *rt_name(int to)
{
	static const char *const names[] = { "A", "B", "trash", "invalid" };

	return to >= 0 && to <= RT_TO_INVALID ? names[to] : "unknown";
}

/* Whose signature is @v (seen at byte @off of a context page)? */
static void whose(enum kind kind, uint64_t v, int off, char *buf, size_t n)
{
	uint64_t id, next = atomic_load(&sh->next_id);
	bool low32 = kind == XX_REGS;
	uint32_t t = (uint32_t)v;

	if (kind == RT_BACKING) {
		/* @off is from the start of the device */
		for (int to = RT_TO_A; to <= RT_TO_TRASH; to++)
			if (rt_want(to, off / PG, off % PG, &id) && id == v) {
				snprintf(buf, n, "backing %s's", rt_name(to));
				return;
			}
		snprintf(buf, n, "no backing's");
		return;
	}
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
	int rt_to; /* remaptest, a fork child: its backing (-1: unknown) */
};

static int me_slot, me_dev, me_depth; /* depth 1: a fork child */
static const struct dev *D;
static struct map maps[MAXMAP];
static pthread_rwlock_t maplock = PTHREAD_RWLOCK_INITIALIZER;
static __thread int me_thr;
static __thread sigjmp_buf *volatile segv_jb;
static volatile int quit;
static int rt_fd = -1, rt_fork_to; /* remaptest */

static void rt_write(struct map *m);
static bool rt_check(struct map *m, const char *how);

/* Page @p of @m (a device's page: D->unit bytes) and @n pages' length. */
static char *pg_va(const struct map *m, int p)
{
	return m->va + (long)p * D->unit;
}

static size_t pg_len(int n)
{
	return (size_t)n * (size_t)D->unit;
}

static char *ctx_va(const struct map *m)
{
	return pg_va(m, D->ctxpg);
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

	if (D->kind == RT_BACKING) {
		rt_write(m);
	} else if (D->kind == PAGE_CTX) {
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
	       D->kind == XX_REGS ? 8 : 16, (unsigned long long)seen, who,
	       D->kind == XX_REGS ? 8 : 16, (unsigned long long)want);
}

/* ---- remaptest: backings moved under the readers ---- */

/* Lock slot @s's remap state; a holder that died leaves it unknown. */
static struct rtstate *rt_lock(int s)
{
	struct rtstate *r = &sh->rt[s];

	if (pthread_mutex_lock(&r->mu) == EOWNERDEAD) {
		atomic_store(&r->to, -1);
		pthread_mutex_consistent(&r->mu);
	}
	return r;
}

/* Move every handle of @r's worker onto @to (lock held): 0 or errno. */
static int rt_remap_locked(struct rtstate *r, int to)
{
	struct rt_remap a = { .pid = r->pid, .region = 0, .to = to };
	unsigned int g = (atomic_load(&r->gen) + 1) | 1;
	int e;

	atomic_store(&r->gen, g); /* odd: in flight */
	e = ioctl(rt_fd, RT_REMAP, &a) ? errno : 0;
	if (!e)
		atomic_store(&r->to, to);
	else if (e != ESRCH) /* ESRCH: it maps nothing now */
		atomic_store(&r->to, -1);
	atomic_store(&r->gen, g + 1);
	return e;
}

/* The worker of a remaptest slot (its own 1 time in 3, when it is one)
 * moves onto A, B, the trash page or nothing. */
static void op_remap(void)
{
	static const int tos[10] = { RT_TO_A,	   RT_TO_A,	RT_TO_A,
				     RT_TO_B,	   RT_TO_B,	RT_TO_B,
				     RT_TO_TRASH,  RT_TO_TRASH, RT_TO_INVALID,
				     RT_TO_INVALID };
	int s = me_slot, to = tos[rnd(10)], e, tries = 0;
	struct rtstate *r;

	while ((me_depth || rnd(3)) && tries++ < 8) {
		s = (int)rnd((unsigned int)nslot);
		if (sh->slot[s].dev == RTDEV)
			break;
		s = me_slot;
	}
	op_count();
	r = rt_lock(s);
	e = r->pid ? rt_remap_locked(r, to) : ESRCH;
	pthread_mutex_unlock(&r->mu);
	if (!e)
		atomic_fetch_add(&sh->ds[me_dev].remaps, 1);
	else if (e != ESRCH)
		report(me_dev, false,
		       "seed=%llu remaptest: RT_REMAP of slot %d onto %s: %s",
		       (unsigned long long)sh->seed, s, rt_name(to),
		       strerror(e));
}

/* Where @m's handles are, as of generation *@g (a fork child's never move). */
static int rt_where(const struct map *m, unsigned int *g)
{
	if (me_depth) {
		*g = 0;
		return m->rt_to;
	}
	*g = atomic_load(&sh->rt[me_slot].gen);
	return atomic_load(&sh->rt[me_slot].to);
}

/* Did no remap start or end since rt_where() gave @g (and @to is known)? */
static bool rt_settled(unsigned int g, int to)
{
	atomic_thread_fence(memory_order_acquire);
	return to >= 0 &&
	       (me_depth ||
		(!(g & 1) && atomic_load(&sh->rt[me_slot].gen) == g));
}

/* A random word of a mapped piece of @m: device page *pg, offset *off. */
static volatile uint64_t *rt_word(const struct map *m, bool writable, int *pg,
				  int *off)
{
	int p = (int)rnd((unsigned int)m->npg);

	if (!pg_mapped(m, p) || (writable && !(m->prot[p] & PROT_WRITE)))
		return NULL;
	*pg = p * RT_UNIT_PAGES + (int)rnd(RT_UNIT_PAGES);
	*off = (int)rnd(WORDS) * 8;
	return (volatile uint64_t *)(m->va + (long)*pg * PG + *off);
}

/*
 * Read a word of @m: after a remap onto X has returned (the remap state
 * shows it settled before and after the read), it must be X's pattern,
 * or SIGSEGV for nothing; a read that raced a remap proves nothing.
 */
static bool rt_check(struct map *m, const char *how)
{
	int pg, off, to;
	volatile uint64_t *w = rt_word(m, false, &pg, &off);
	uint64_t v = 0, want = 0;
	unsigned int g;
	sigjmp_buf jb;
	bool segv = false;
	char what[96];

	if (!w)
		return true;
	atomic_fetch_add(&sh->ds[me_dev].checks, 1);
	to = rt_where(m, &g);
	if (sigsetjmp(jb, 1) == 0) {
		segv_jb = &jb;
		v = *w;
	} else {
		segv = true;
	}
	segv_jb = NULL;
	if (!rt_settled(g, to)) {
		atomic_fetch_add(&sh->ds[me_dev].remap_raced, 1);
		return true;
	}
	snprintf(what, sizeof(what), "%s, on backing %s (remap generation %u)",
		 how, rt_name(to), g);
	if (to == RT_TO_INVALID && segv) {
		atomic_fetch_add(&sh->ds[me_dev].remap_segv, 1);
		return true;
	}
	if (segv || to == RT_TO_INVALID) {
		report(me_dev, to == RT_TO_INVALID,
		       "%s seed=%llu remaptest: pid %d slot %d%s %s: device page %d at %p %s",
		       segv ? "SIGSEGV" : "STALE READ",
		       (unsigned long long)sh->seed, getpid(), me_slot,
		       me_depth ? " (fork child)" : "", what, pg, (void *)w,
		       segv ? "raised SIGSEGV" : "was read: want SIGSEGV");
		return false;
	}
	if (rt_want(to, pg, off, &want) && v != want) {
		foreign(m, m->id, pg * PG + off, v, want, what);
		return false;
	}
	return true;
}

/*
 * Write a word of @m with what it holds already (A or B; nothing is
 * written to the trash page), under the remap lock so no remap moves the
 * mapping meanwhile; moved onto nothing, the write must raise SIGSEGV.
 */
static void rt_write(struct map *m)
{
	int pg, off, to;
	volatile uint64_t *w = rt_word(m, true, &pg, &off);
	struct rtstate *r = NULL;
	uint64_t want;
	sigjmp_buf jb;

	if (!w)
		return;
	if (!me_depth)
		r = rt_lock(me_slot);
	to = r ? atomic_load(&r->to) : m->rt_to;
	if ((to == RT_TO_A || to == RT_TO_B) && rt_want(to, pg, off, &want)) {
		*w = want;
	} else if (to == RT_TO_INVALID) {
		if (sigsetjmp(jb, 1) == 0) {
			segv_jb = &jb;
			*w = 0;
			segv_jb = NULL;
			report(me_dev, true,
			       "STALE WRITE seed=%llu remaptest: pid %d slot %d%s: a write to device page %d at %p, moved onto nothing, did not fault",
			       (unsigned long long)sh->seed, getpid(), me_slot,
			       me_depth ? " (fork child)" : "", pg, (void *)w);
		}
		segv_jb = NULL;
	}
	if (r)
		pthread_mutex_unlock(&r->mu);
}

/* Does the context page of @m hold @id's signature?  Reports if not. */
static bool sig_check(struct map *m, uint64_t id, const char *how)
{
	char *c = ctx_va(m);

	if (D->kind == RT_BACKING)
		return rt_check(m, how);
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

/* What to read of a published page: its offset, and the length. */
static int read_len(int *off)
{
	if (D->kind == XX_REGS) {
		*off = XX_REG_DMA_SRC;
		return 4;
	}
	*off = (int)rnd(WORDS) * 8;
	if (D->kind == RT_BACKING) /* any page of the first piece */
		*off += (int)rnd(RT_UNIT_PAGES) * PG;
	return 8;
}

/*
 * May @v be read at @off of a mapping with signature @id (remaptest: on
 * backing @to)?  *want: what it should have been.
 */
static bool value_ok(uint64_t id, int to, int off, uint64_t v, uint64_t *want)
{
	*want = 0;
	if (D->kind == RT_BACKING) /* nothing may be read of nothing */
		return to != RT_TO_INVALID &&
		       (!rt_want(to, off / PG, off % PG, want) || v == *want);
	*want = D->kind == XX_REGS ? (uint64_t)(tag(id) ^ 0x11111111) :
				     word(id, off / 8);
	return v == *want;
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
	uint64_t id = atomic_load(&sl->pub_id), v = 0, want;
	const struct dev *mine = D;
	struct rtstate *rs = &sh->rt[s];
	unsigned int g = atomic_load(&rs->gen);
	int to = atomic_load(&rs->to);
	struct iovec lio, rio;
	ssize_t r;
	int e;

	if (sl->dev != me_dev || s == me_slot || !pid || !va || (seq & 1))
		return;
	op_count();
	len = read_len(&off);
	r = pmem(pid, false, va + (unsigned long)off, &v, (size_t)len);
	e = errno;
	atomic_thread_fence(memory_order_acquire);
	if (atomic_load(&sl->seq) != seq || atomic_load(&sl->pid) != pid ||
	    (D->kind == RT_BACKING &&
	     ((g & 1) || to < 0 || atomic_load(&rs->gen) != g))) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_raced, 1);
		return;
	}
	if (r == len) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_ok, 1);
		if (!value_ok(id, to, off, v, &want)) {
			char who[96];

			whose(mine->kind, v, off, who, sizeof(who));
			report(me_dev, true,
			       "FOREIGN READ seed=%llu dev=%s: /proc/%d/mem (slot %d, id %llu%s%s) at %#lx offset 0x%x read by pid %d: saw %0*llx (%s), want %0*llx",
			       (unsigned long long)sh->seed, mine->name, pid, s,
			       (unsigned long long)id,
			       D->kind == RT_BACKING ? ", on backing " : "",
			       D->kind == RT_BACKING ? rt_name(to) : "", va,
			       off, getpid(), len * 2, (unsigned long long)v,
			       who, len * 2, (unsigned long long)want);
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
	int off, len = read_len(&off), to = -1;
	unsigned long va = (unsigned long)ctx_va(m) + (unsigned long)off;
	uint64_t v = 0, want;
	struct iovec lio = { &v, (size_t)len },
		     rio = { (void *)va, (size_t)len };
	/* remaptest: read only (see rt_write) */
	bool write = D->kind != RT_BACKING && m->prot[D->ctxpg] & PROT_WRITE &&
		     rnd(2);
	unsigned int g = 0;
	ssize_t r;

	op_count();
	if (D->kind == RT_BACKING)
		to = rt_where(m, &g);
	if (write) {
		/* xx: the DMA source register reads back what is written */
		value_ok(m->id, to, off, 0, &v);
		r = pmem(getpid(), true, va, &v, (size_t)len);
	} else {
		r = pmem(getpid(), false, va, &v, (size_t)len);
	}
	if (D->kind == RT_BACKING && !rt_settled(g, to)) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_raced, 1);
	} else if (r == len) {
		atomic_fetch_add(&sh->ds[me_dev].pmem_ok, 1);
		if (!write && !value_ok(m->id, to, off, v, &want))
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
	if (munmap(pg_va(m, a), pg_len(b - a))) {
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
	int fd, to = RT_TO_A, e;
	void *va;
	struct rtstate *r = NULL;

	for (int i = 0; i < MAXMAP && !m; i++)
		if (!maps[i].used)
			m = &maps[i];
	if (!m) {
		m = &maps[rnd(MAXMAP)];
		unpublish();
		unmap_all(m);
	}
	if (selftest == 2) {
		va = mmap(NULL, pg_len(npg), RW, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
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
	/* remaptest: a new handle is on A; the worker's others may not be */
	if (D->kind == RT_BACKING && !me_depth)
		r = rt_lock(me_slot);
	va = mmap(NULL, pg_len(npg), RW, MAP_SHARED, fd, 0);
	e = errno;
	close(fd); /* the mapping keeps the file */
	if (r && va != MAP_FAILED && (to = atomic_load(&r->to)) != RT_TO_A &&
	    (e = rt_remap_locked(r, to < 0 ? RT_TO_A : to)))
		report(me_dev, false,
		       "seed=%llu remaptest: RT_REMAP of a new mapping onto %s: %s",
		       (unsigned long long)sh->seed, rt_name(to), strerror(e));
	if (r)
		pthread_mutex_unlock(&r->mu);
	if (va == MAP_FAILED) {
		report(me_dev, false, "seed=%llu mmap %s, %d pages: %s",
		       (unsigned long long)sh->seed, D->path, npg, strerror(e));
		return;
	}
mapped:
	*m = (struct map){ .used = true,
			   .va = va,
			   .npg = npg,
			   .mapped = (1u << npg) - 1,
			   .has_ctx = true,
			   .id = new_id(me_slot),
			   .rt_to = RT_TO_A };
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
	if (mprotect(pg_va(m, x), pg_len(y - x), prot)) {
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
	if (!madvise(pg_va(m, a), pg_len(b - a), ad->advice)) {
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
	old = pg_va(m, a);
	len = pg_len(b - a);
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
			m->va = r - (long)a * D->unit; /* it all moved */
		} else {
			/* the run moved, the rest stayed: keep the run only */
			unsigned int rest = m->mapped & ~(((1u << b) - 1) &
							  ~((1u << a) - 1));

			for (int p = 0; p < m->npg; p++)
				if (rest >> p & 1)
					munmap(pg_va(m, p), pg_len(1));
			m->mapped &= ~rest;
			m->va = r - (long)a * D->unit;
		}
		sig_check(m, m->id, "after mremap moved the mapping");
	} else if (what == 1) {
		r = mremap(old, len, len + pg_len(1), 0);
		e = errno;
		if (r != MAP_FAILED) {
			if (!selftest)
				report(me_dev, false,
				       "seed=%llu %s: mremap grew a VM_DONTEXPAND mapping",
				       (unsigned long long)sh->seed, D->name);
			munmap(old + len, pg_len(1));
		} else if (e == EFAULT || e == EINVAL || e == ENOMEM) {
			atomic_fetch_add(&sh->ds[me_dev].mremap_refused, 1);
		} else {
			report(me_dev, false, "seed=%llu %s: mremap (grow): %s",
			       (unsigned long long)sh->seed, D->name,
			       strerror(e));
		}
	} else if (b - a >= 2) {
		int keep = 1 + (int)rnd((unsigned int)(b - a - 1));

		r = mremap(old, len, pg_len(keep), 0);
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
		/* before remaptest's: a piece 0 the child lacks is no context
		 * page to read through /proc/self/mem (peek_self) */
		if (!pg_mapped(m, D->ctxpg))
			m->has_ctx = false;
		if (D->kind == RT_BACKING) {
			/* nobody moves its handles: where the parent's were */
			m->rt_to = rt_fork_to;
			continue;
		}
		if (!m->has_ctx)
			continue;
		sig_check(m, m->id,
			  "fork child: the copy of its parent's context");
		if (!(m->prot[D->ctxpg] & PROT_WRITE)) {
			if (mprotect(ctx_va(m), pg_len(1), RW)) {
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
	struct rtstate *r = NULL;

	for (i = 0; i < MAXKIDS && kids[i].pid; i++)
		;
	if (i == MAXKIDS || me_depth)
		return;
	/* remaptest: no remap between the copy of the handles and the child */
	if (D->kind == RT_BACKING) {
		r = rt_lock(me_slot);
		rt_fork_to = atomic_load(&r->to);
	}
	pid = fork();
	if (pid && r)
		pthread_mutex_unlock(&r->mu);
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
	w = (volatile uint64_t *)pg_va(m, p);
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
	struct map *m = pick_map(D->kind != RT_BACKING);

	if (D->kind == RT_BACKING) {
		if (m) {
			op_count();
			if (rewrite)
				rt_write(m);
			rt_check(m, me_thr ? "check (second thread)" : "check");
		}
		return;
	}
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

/*
 * A fault waiting for a held context while its mapping goes.  The main
 * thread takes a mapping's context run out of the book (nobody checks it
 * any more), arms it, and the other threads touch its context page (a
 * fault that waits when another process holds the context) while the
 * main thread munmaps it, maps anonymous memory or a new mapping of the
 * device over it (MAP_FIXED), or exits.  A touch reads the signature
 * (before), zeros (a fresh context or anonymous memory, after) or raises
 * SIGSEGV (unmapped); the main thread waits for every touch to end before
 * it unmaps what it put there.
 */
static struct {
	atomic_int armed, touching;
	char *ctx; /* the context page */
	uint64_t id;
} yank;

static void yank_touch(void)
{
	struct devstat *ds = &sh->ds[me_dev];
	int i = (int)rnd(WORDS);
	volatile uint64_t v;
	sigjmp_buf jb;

	atomic_fetch_add(&yank.touching, 1);
	if (!atomic_load(&yank.armed))
		goto out;
	if (sigsetjmp(jb, 1) == 0) {
		segv_jb = &jb;
		v = ((volatile uint64_t *)yank.ctx)[i];
		segv_jb = NULL;
		if (v == word(yank.id, i)) {
			atomic_fetch_add(&ds->yank_sig, 1);
		} else if (v == 0) {
			atomic_fetch_add(&ds->yank_zero, 1);
		} else {
			struct map m = { .va = yank.ctx - (long)D->ctxpg * PG };

			foreign(&m, yank.id, i * 8, v, word(yank.id, i),
				"a touch of a mapping being unmapped");
		}
	} else {
		atomic_fetch_add(&ds->yank_segv, 1);
	}
	segv_jb = NULL;
out:
	atomic_fetch_sub(&yank.touching, 1);
}

static void op_yank(void)
{
	struct map *m;
	int a, b, how = (int)rnd(8), fd;
	char *run;
	size_t len;
	void *over = MAP_FAILED;

	pthread_rwlock_wrlock(&maplock);
	if (!(m = pick_map(true))) {
		pthread_rwlock_unlock(&maplock);
		return;
	}
	op_count();
	atomic_fetch_add(&sh->ds[me_dev].yanks, 1);
	unpublish();
	run_of(m, D->ctxpg, &a, &b);
	run = pg_va(m, a);
	len = pg_len(b - a);
	yank.ctx = ctx_va(m);
	yank.id = m->id;
	for (int p = 0; p < m->npg; p++) /* the rest goes now */
		if (pg_mapped(m, p) && (p < a || p >= b))
			unmap_range(m, p, p + 1);
	m->used = false;
	pthread_rwlock_unlock(&maplock);
	atomic_store(&yank.armed, 1);
	sleep_ms((int)rnd(3));
	if (how == 0)
		_exit(0); /* under the waiting faults */
	if (how >= 5 && (!D->fixed || b - a == D->npg) &&
	    (fd = open(D->path, O_RDWR)) >= 0) {
		over = mmap(run, len, RW, MAP_SHARED | MAP_FIXED, fd, 0);
		close(fd);
	} else if (how >= 3) {
		over = mmap(run, len, RW,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	}
	if (over == MAP_FAILED && munmap(run, len))
		report(me_dev, false,
		       "seed=%llu %s: munmap of a yanked run: %s",
		       (unsigned long long)sh->seed, D->name, strerror(errno));
	sleep_ms((int)rnd(2)); /* touches of what is there now */
	atomic_store(&yank.armed, 0);
	while (atomic_load(&yank.touching))
		sched_yield();
	if (over != MAP_FAILED)
		munmap(over, len);
	pthread_rwlock_wrlock(&maplock);
	publish();
	pthread_rwlock_unlock(&maplock);
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
		if (op >= 995 && D->kind == PAGE_CTX && !me_depth &&
		    sh->slot[me_slot].nthr > 1) {
			op_yank();
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
		else if (op < 950 && D->kind == RT_BACKING)
			op_remap();
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
		if (atomic_load(&yank.armed))
			yank_touch();
		pthread_rwlock_rdlock(&maplock);
		if (op < 85)
			check_one(op < 10);
		else if (op < 89 && D->kind == RT_BACKING)
			op_remap();
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
	if (D->kind == RT_BACKING) {
		struct rtstate *r = rt_lock(s);

		rt_fd = open(D->path, O_RDWR);
		r->pid = getpid();
		atomic_store(&r->to, RT_TO_A); /* it maps nothing yet */
		atomic_store(&r->gen, (atomic_load(&r->gen) | 1) + 1);
		pthread_mutex_unlock(&r->mu);
	}
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
	case 2:
		memset(&xs, 0, sizeof(xs));
		ioctl(fd, XX_GET_STATS, &xs);
		return xs.switches;
	default: /* remaptest: no context */
		return 0;
	}
}

/* Faults of device @d that waited for a held context (devmap's debugfs
 * counter file; 0 without debugfs). */
static unsigned long fault_waits(int d)
{
	char path[96], line[128];
	unsigned long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/devmap/%s0",
		 devs[d].name);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "waits %lu", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Set the context hold of dmtest and kmctx (new mappings get it). */
static void set_hold(const int *fds, long ticks)
{
	if (fds[0] >= 0)
		ioctl(fds[0], DMT_SET_HOLD, ticks);
	if (fds[1] >= 0)
		ioctl(fds[1], KM_SET_HOLD, ticks);
}

/* remaptest: what the trash page holds, seen through a mapping of the
 * supervisor moved onto it (the stress never writes to it). */
static void rt_learn_trash(int fd)
{
	struct rt_remap a = { .pid = getpid(), .region = 0, .to = RT_TO_TRASH };
	char *va = mmap(NULL, RT_LEN, PROT_READ, MAP_SHARED, fd, 0);

	if (va == MAP_FAILED)
		return;
	if (!ioctl(fd, RT_REMAP, &a)) {
		memcpy(sh->trash, va, PG);
		sh->trash_known = true;
	}
	munmap(va, RT_LEN);
}

static void rt_init_locks(void)
{
	pthread_mutexattr_t ma;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	for (int s = 0; s < MAXSLOT; s++)
		pthread_mutex_init(&sh->rt[s].mu, &ma);
	pthread_mutexattr_destroy(&ma);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: stress_user [-s SEED] [-t SECONDS] [-n WORKERS] [-d dmtest,kmctx,xx,remaptest] [-w WATCHDOG] [-T FIRST]\n");
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
	char devlist[64] = "dmtest,kmctx,xx,remaptest",
	     devarg[64] = "dmtest,kmctx,xx,remaptest";
	char *tok, *save;
	int c, tap = 1, first_tap = 0, fds[MAXDEV], nprinted = 0;
	unsigned long sw0[MAXDEV], waits0[MAXDEV];
	double end, t_end, next_hold;
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
	rt_init_locks();
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	/*
	 * The devices: switch and wait counters; a context hold of 0 to 3
	 * ticks (dmtest, kmctx), drawn again every second, so that faults
	 * wait in every run (DMT_SET_HOLD and KM_SET_HOLD are device-wide
	 * and apply to new mappings).
	 */
	rng = seed ^ 0x5eed;
	splitmix(&rng);
	printf("# context hold: 0-3 ticks, drawn every second (dmtest, kmctx)\n");
	for (int d = 0; d < MAXDEV; d++)
		fds[d] = -1;
	for (int i = 0; i < ndev; i++) {
		int d = dev_idx[i];

		fds[d] = open(devs[d].path, O_RDWR);
		if (fds[d] < 0) {
			printf("# %s: %s\n", devs[d].path, strerror(errno));
			continue;
		}
		if (d == 0)
			ioctl(fds[d], DMT_RESET, 0);
		if (d == RTDEV && !selftest)
			rt_learn_trash(fds[d]);
		sw0[d] = switches(d, fds[d]);
		waits0[d] = fault_waits(d);
	}
	for (int s = 0; s < nslot; s++) {
		sh->slot[s].dev = dev_idx[s % ndev];
		/* remaptest: a thread reads while another remaps */
		sh->slot[s].nthr = sh->slot[s].dev == RTDEV ?
					   2 + (s / ndev) % 2 :
					   1 + (s / ndev) % MAXTHR;
		if (fds[sh->slot[s].dev] >= 0)
			spawn(s);
	}

	end = now() + duration;
	next_hold = now();
	while (now() < end) {
		if (now() >= next_hold) {
			set_hold(fds, (long)rnd(4));
			next_hold = now() + 1;
		}
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
		if (devs[d].kind == PAGE_CTX)
			printf("# %s: %lu fault waits for a held context; %lu mappings yanked under touching threads, whose touches read the signature %lu, zeros %lu, SIGSEGV %lu times\n",
			       devs[d].name, fault_waits(d) - waits0[d],
			       (unsigned long)ds->yanks,
			       (unsigned long)ds->yank_sig,
			       (unsigned long)ds->yank_zero,
			       (unsigned long)ds->yank_segv);
		if (devs[d].kind == RT_BACKING)
			printf("# %s: %lu remaps (the trash page %s); %lu reads raced a remap; %lu SIGSEGV on nothing\n",
			       devs[d].name, (unsigned long)ds->remaps,
			       sh->trash_known ? "known" : "unknown: any value",
			       (unsigned long)ds->remap_raced,
			       (unsigned long)ds->remap_segv);
		printf("%sok %d - stress %s: %lu ops, %lu switches, %lu foreign reads%s%s\n",
		       bad ? "not " : "", tap++, devs[d].name,
		       (unsigned long)ds->ops, sw, (unsigned long)ds->foreign,
		       ds->errors ? ", other failures (see above)" : "",
		       fds[d] < 0 ? " (cannot open the device)" : "");
		failed |= bad;
	}
	set_hold(fds, 0);
	for (int d = 0; d < MAXDEV; d++)
		if (fds[d] >= 0)
			close(fds[d]);
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
