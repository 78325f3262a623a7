// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The kernel-host benchmarks, run inside the VM against dmbench.ko.  Every
 * figure is a ratio against a baseline measured in the same run: absolute
 * times under QEMU's emulation are noise.  Prints "key value" lines, and
 * "key median min max" for timings over repeated, interleaved runs.
 *
 *   steady      owner accessing its context page vs. a plain mapping
 *   switch      two processes alternating on a context page (devmap
 *               fault-driven switch) vs. a futex handoff plus an ioctl
 *               doing the same save/restore and revoking the previous
 *               owner's page (the like-for-like alternative), plus the same
 *               ioctl without the revocation, and one plain fault + one
 *               zap (the floor); on two CPUs and on one
 *   mappers     switch cost with 2, 8, 64, 256 processes mapping the device
 *   ctxsize     whole-switch time of 1, 16, 512-page contexts: a driver
 *               copying the context out and in, a driver whose contexts
 *               have their own memory, the first without its copies
 *   mappings    switch cost with 256 more mappings in each process
 *   contention  N processes sharing one context: devmap without and with
 *               the context hold vs. a process-shared mutex with the
 *               revoking ioctl per handoff; operations/s, Jain's index,
 *               and context switches (devmap's counter) or handoffs per
 *               second
 *
 * Method.  Every turn of a ping-pong does its mode's work, then the same
 * fixed busy computation (BUSY_US, calibrated once as a loop count, so a
 * CPU slowed by TLB refills after a flush shows in the turn time), then
 * hands the turn over; the other process has long been asleep in
 * futex_wait, so every handoff is a real wake-up in every mode.  Each
 * configuration is measured RUNS times, the configurations interleaved.
 * The TLB shootdown interrupts of each run are counted (/proc/interrupts):
 * a run with more than IPI_LIMIT per turn is rejected and repeated, at
 * most MAX_TRIES times (then kept and counted as over the limit).
 *
 * "dmbench_user switch" prints only switch_us, the median time of a turn
 * of the two-CPU devmap ping-pong: bench/guest.sh runs it against devmap.ko
 * built with and without the event calls, and with the tracepoints on.
 * "dmbench_user ctxsize" runs that part alone (a quick check).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmbench.h"
#include "../tests/kernel/futex_turn.h"

#define DEV "/dev/dmbench0"
#define P DMB_PAGE
#define RUNS 7
#define BUSY_US 20.0
#define IPI_LIMIT 0.05
#define MAX_TRIES 4
#define HOLD_TICKS 1 /* the context hold of the contention benchmark */
#define CONT_SECONDS 2.0
#define CONT_RUNS 3
#define CONT_WRITES 64 /* writes to the context per operation */
#define CONT_MAXPROCS 64

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int dev_open(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0) {
		perror(DEV);
		exit(2);
	}
	return fd;
}

static void *map(int fd, size_t len, off_t off)
{
	void *va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);

	if (va == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return va;
}

static void *shared_anon(size_t len)
{
	void *va = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (va == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(va, 0, len);
	return va;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* @v's @n values sorted into @s. */
static void sorted(double *s, const double *v, int n)
{
	memcpy(s, v, (size_t)n * sizeof(*v));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
}

static double median_of(const double *v, int n)
{
	double s[RUNS];

	sorted(s, v, n);
	return s[n / 2];
}

/* Prints "KEY median min max" of the @n values of @v, each times @scale. */
static double put_stats(const char *key, const double *v, int n, double scale)
{
	double s[RUNS];

	sorted(s, v, n);
	printf("%s %.3f %.3f %.3f\n", key, s[n / 2] * scale, s[0] * scale,
	       s[n - 1] * scale);
	return s[n / 2];
}

/* Prints the ratios of the paired runs @a[r] / @b[r]; returns the median. */
static double put_ratio(const char *key, const double *a, const double *b,
			int n)
{
	double r[RUNS];

	for (int i = 0; i < n; i++)
		r[i] = a[i] / b[i];
	return put_stats(key, r, n, 1);
}

static volatile uint64_t busy_sink;
static long busy_loops; /* iterations of busy() that take BUSY_US */

static void busy(long n)
{
	uint64_t x = busy_sink;

	for (long i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	busy_sink = x;
}

/* The loop count of BUSY_US: the fastest of 7 timings of 10^6 loops. */
static void calibrate_busy(void)
{
	const long n = 1000000;
	double best = 1e9;

	for (int i = 0; i < 7; i++) {
		double t0 = now();

		busy(n);
		if (now() - t0 < best)
			best = now() - t0;
	}
	busy_loops = (long)(BUSY_US * 1e-6 / best * (double)n);
}

/* Time per loop iteration of reading and writing one word of @page. */
static double touch_loop(volatile uint32_t *page, long n)
{
	double t0 = now();

	for (long i = 0; i < n; i++)
		page[i & 63] += 1;
	return (now() - t0) / (double)n;
}

/*
 * The owner's access to its context page against a plain page, RUNS
 * paired samples, the order alternating between runs.
 */
static void steady(void)
{
	int fd = dev_open();
	volatile uint32_t *ctx = map(fd, P, 0),
			  *plain = map(fd, P, DMB_PLAIN_OFF);
	long n = 5000000;
	double t_ctx[RUNS], t_plain[RUNS];

	touch_loop(ctx, 1000);
	touch_loop(plain, 1000);
	for (int r = 0; r < RUNS; r++) {
		if (r & 1)
			t_ctx[r] = touch_loop(ctx, n);
		t_plain[r] = touch_loop(plain, n);
		if (!(r & 1))
			t_ctx[r] = touch_loop(ctx, n);
	}
	printf("steady_ns_plain %.3f\nsteady_ns_owner %.3f\n",
	       median_of(t_plain, RUNS) * 1e9, median_of(t_ctx, RUNS) * 1e9);
	put_ratio("steady_ratio", t_plain, t_ctx, RUNS);
	munmap((void *)ctx, P);
	munmap((void *)plain, P);
	close(fd);
}

/* TLB shootdown interrupts so far, all CPUs (the "TLB" row). */
static long tlb_ipis(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[1024];
	long sum = 0;

	while (f && fgets(line, sizeof(line), f)) {
		char *p = line;

		while (*p == ' ')
			p++;
		if (strncmp(p, "TLB:", 4))
			continue;
		for (p += 4;;) {
			char *end;
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			sum += v;
			p = end;
		}
	}
	if (f)
		fclose(f);
	return sum;
}

/* devmap's counter @key of the dmbench instance (its debugfs file). */
static long devmap_counter(const char *key)
{
	FILE *f = fopen("/sys/kernel/debug/devmap/dmbench0", "r");
	char line[256], k[64];
	long v = -1, x;

	while (f && v < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", k, &x) == 2 && !strcmp(k, key))
			v = x;
	if (f)
		fclose(f);
	return v;
}

/*
 * Waits for the @n children @pids of one measurement.  A child that did
 * not exit 0 (its open or mmap failed, or a signal killed it) leaves the
 * measurement meaningless: its siblings are killed and the benchmark
 * aborts, naming @what.
 */
static void reap(pid_t *pids, int n, const char *what)
{
	for (int left = n; left > 0; left--) {
		int st, i;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0) {
			perror("waitpid");
			exit(1);
		}
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i < n) /* else an idle mapper, which never exits itself */
			pids[i] = 0;
		if (i < n && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			continue;
		if (WIFSIGNALED(st))
			fprintf(stderr,
				"dmbench_user: %s: a child was killed "
				"by signal %d: measurement aborted\n",
				what, WTERMSIG(st));
		else
			fprintf(stderr,
				"dmbench_user: %s: a child exited "
				"with status %d: measurement aborted\n",
				what, WEXITSTATUS(st));
		for (i = 0; i < n; i++)
			if (pids[i] > 0)
				kill(pids[i], SIGKILL);
		exit(1);
	}
}

/* Keep the calling process on @cpu. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

enum mode { HANDOFF, DEVMAP, IOCTL, REVOKE, NMODES };
static const char *const mode_name[NMODES] = { "handoff", "devmap", "ioctl",
					       "revoke" };

struct pingpong {
	enum mode mode;
	int rounds; /* turns of each process */
	size_t ctx_pages;
	size_t touch_pages; /* pages a turn writes (0: all of the context) */
	bool shared_ctx; /* DMB_NO_COPY: the processes' contexts are one */
	int extra_maps; /* more plain mappings in each process */
	int cpu[2];
};

/*
 * Two processes, pinned to CPUs cpu[0] and cpu[1], take @rounds turns
 * each: the mode's work (nothing, a write to every page of the context: a
 * devmap switch, or an explicit ioctl switch plus a write to the plain
 * page), the busy computation, the handoff.  Both are set up before the
 * clock starts.  Returns seconds per turn; *@ipis gets the run's TLB
 * shootdown interrupts.  After the clock stops, each process finds its
 * own count of turns in its context (the driver kept the contexts apart)
 * or exits with status 3.
 */
static double pingpong_once(const struct pingpong *pp, long *ipis)
{
	volatile int *turn = shared_anon(P);
	volatile int *ready = turn + 8;
	double *t = (double *)(turn + 16);
	long ipis0 = tlb_ipis();
	pid_t pid[2];
	char what[32];

	size_t touched = pp->touch_pages ? pp->touch_pages : pp->ctx_pages;

	for (int me = 0; me < 2; me++) {
		pid[me] = fork();
		if (pid[me] < 0) {
			perror("fork");
			exit(1);
		}
		if (pid[me])
			continue;
		pin(pp->cpu[me]);
		int fd = dev_open();

		ioctl(fd, DMB_SET_CTX, (long)pp->ctx_pages);
		volatile uint8_t *ctx = map(fd, pp->ctx_pages * P, 0);
		volatile uint32_t *plain = map(fd, P, DMB_PLAIN_OFF);

		for (int i = 0; i < pp->extra_maps; i++)
			map(fd, P, DMB_PLAIN_OFF);
		__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
		while (*ready < 2)
			sched_yield();
		if (me == 0)
			t[0] = now();
		for (int r = 0; r < pp->rounds; r++) {
			futex_wait(turn, !me);
			if (pp->mode == DEVMAP)
				for (size_t pg = 0; pg < touched; pg++)
					ctx[pg * P] += 1;
			else if (pp->mode != HANDOFF) {
				ioctl(fd,
				      pp->mode == REVOKE ? DMB_SWITCH_REVOKE :
							   DMB_SWITCH,
				      0);
				plain[0] += 1;
			}
			busy(busy_loops);
			*turn = !me;
			futex_wake(turn);
		}
		if (me == 1) {
			t[1] = now();
			__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
		}
		while (*ready < 3) /* the clock has stopped */
			sched_yield();
		if (pp->mode == DEVMAP && !pp->shared_ctx &&
		    ctx[0] != (uint8_t)pp->rounds) {
			fprintf(stderr,
				"dmbench_user: process %d found %u turns in "
				"its context, not %u: contexts mixed\n",
				me, ctx[0], (uint8_t)pp->rounds);
			_exit(3);
		}
		_exit(0);
	}
	snprintf(what, sizeof(what), "the %s ping-pong", mode_name[pp->mode]);
	reap(pid, 2, what);
	*ipis = tlb_ipis() - ipis0;
	double per_turn = (t[1] - t[0]) / (2.0 * pp->rounds);

	munmap((void *)turn, P);
	return per_turn;
}

static int runs_rejected, runs_over_kept;
static double max_ipis_per_turn; /* of the runs kept */

/* pingpong_once(), repeated while the run has too many TLB shootdowns. */
static double pingpong(const struct pingpong *pp)
{
	for (int tries = 1;; tries++) {
		long ipis;
		double t = pingpong_once(pp, &ipis);
		double rate = (double)ipis / (2.0 * pp->rounds);

		if (rate <= IPI_LIMIT || tries == MAX_TRIES) {
			runs_over_kept += rate > IPI_LIMIT;
			if (rate > max_ipis_per_turn)
				max_ipis_per_turn = rate;
			return t;
		}
		runs_rejected++;
	}
}

static double floor_cost(int n)
{
	int fd = dev_open();
	volatile uint32_t *plain = map(fd, P, DMB_PLAIN_OFF);
	double t0;

	plain[0] = 0;
	t0 = now();
	for (int i = 0; i < n; i++) {
		ioctl(fd, DMB_ZAP, 0);
		plain[0] += 1;
	}
	double t = (now() - t0) / n;

	munmap((void *)plain, P);
	close(fd);
	return t;
}

/*
 * The switch against its baselines, on two CPUs and on one: RUNS rounds,
 * each measuring every mode once in both placements.
 */
static void switch_cost(void)
{
	double t[2][NMODES][RUNS], flo[RUNS];
	char key[64];

	for (int r = 0; r < RUNS; r++) {
		for (int same = 0; same < 2; same++)
			for (int m = 0; m < NMODES; m++) {
				struct pingpong pp = { .mode = m,
						       .rounds = 1000,
						       .ctx_pages = 1,
						       .cpu = { 0, !same } };

				t[same][m][r] = pingpong(&pp);
			}
		flo[r] = floor_cost(2000);
	}
	for (int same = 0; same < 2; same++) {
		const char *pre = same ? "samecpu" : "switch";
		double med[NMODES];

		for (int m = 0; m < NMODES; m++) {
			snprintf(key, sizeof(key), "%s_us_%s", pre,
				 mode_name[m]);
			med[m] = put_stats(key, t[same][m], RUNS, 1e6);
		}
		snprintf(key, sizeof(key), "%s_ratio_devmap_vs_revoke", pre);
		put_ratio(key, t[same][DEVMAP], t[same][REVOKE], RUNS);
		snprintf(key, sizeof(key), "%s_ratio_devmap_vs_ioctl", pre);
		put_ratio(key, t[same][DEVMAP], t[same][IOCTL], RUNS);
		printf("%s_ratio_beyond_handoff_devmap_vs_revoke %.3f\n", pre,
		       (med[DEVMAP] - med[HANDOFF]) /
			       (med[REVOKE] - med[HANDOFF]));
	}
	put_stats("switch_us_floor", flo, RUNS, 1e6);
}

/* @n processes that map the context region, touch it once and wait. */
static pid_t *idle_mappers(int n)
{
	volatile int *ready = shared_anon(P);
	pid_t *pids = calloc((size_t)n + 1, sizeof(*pids));

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int fd = dev_open();
			volatile uint8_t *ctx = map(fd, P, 0);

			ctx[0] = 1;
			__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
			pause();
			_exit(0);
		}
	}
	for (int tries = 0; *ready < n && tries < 10000; tries++)
		usleep(1000);
	if (*ready < n) {
		fprintf(stderr, "only %d of %d idle mappers ready\n", *ready,
			n);
		exit(1);
	}
	munmap((void *)ready, P);
	return pids;
}

static void stop(pid_t *pids)
{
	for (pid_t *p = pids; *p; p++) {
		kill(*p, SIGKILL);
		waitpid(*p, NULL, 0);
	}
	free(pids);
}

/* The switch with 0, 6, 62 and 254 idle processes mapping, interleaved. */
static void mappers(void)
{
	const int ns[] = { 2, 8, 64, 256 };
	struct pingpong pp = {
		.mode = DEVMAP, .rounds = 500, .ctx_pages = 1, .cpu = { 0, 1 }
	};
	double t[4][RUNS];
	char key[64];

	for (int r = 0; r < RUNS; r++)
		for (int i = 0; i < 4; i++) {
			pid_t *idle = idle_mappers(ns[i] - 2);

			t[i][r] = pingpong(&pp);
			stop(idle);
		}
	for (int i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "mappers_%d_us", ns[i]);
		put_stats(key, t[i], RUNS, 1e6);
	}
	for (int i = 1; i < 4; i++) {
		snprintf(key, sizeof(key), "mappers_%d_ratio", ns[i]);
		put_ratio(key, t[i], t[0], RUNS);
	}
}

/*
 * Whole-switch times of 1, 16 and 512-page contexts, for the copying
 * driver; for the driver whose contexts each have their own memory and
 * copy nothing (DMB_OWN_MEM, the "ownmem" keys); and with the copying
 * driver's save and restore skipped (DMB_NO_COPY, the "nocopy" keys: the
 * contexts then share one memory, a measurement only), which leaves
 * devmap's share: the unload, the fault and the loads, and the turn's
 * writes to every page; and the 512-page switch without copies whose
 * turn writes one page ("touch1": devmap's page-table work without the
 * writes).
 */
static void ctxsize_put(double t[3][RUNS], const char *sfx)
{
	const size_t pages[] = { 1, 16, 512 };
	char key[64];

	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "ctx_%zu%s_us", pages[i], sfx);
		put_stats(key, t[i], RUNS, 1e6);
	}
	snprintf(key, sizeof(key), "ctx_ratio_16_vs_1%s", sfx);
	put_ratio(key, t[1], t[0], RUNS);
	snprintf(key, sizeof(key), "ctx_ratio_512_vs_1%s", sfx);
	put_ratio(key, t[2], t[0], RUNS);
}

/*
 * Each run measures every size copying, with own memory, without copies,
 * then touch1.
 */
static void ctxsize(void)
{
	const size_t pages[] = { 1, 16, 512 };
	const long copy[] = { DMB_COPY, DMB_OWN_MEM, DMB_NO_COPY };
	double t[3][3][RUNS], t1[RUNS];
	int fd = dev_open();

	for (int r = 0; r < RUNS; r++) {
		for (int c = 0; c < 3; c++) {
			if (ioctl(fd, DMB_SET_COPY, copy[c])) {
				perror("dmbench_user: DMB_SET_COPY");
				exit(1);
			}
			for (int i = 0; i < 3; i++) {
				struct pingpong pp = {
					.mode = DEVMAP,
					.rounds = pages[i] > 16 ? 50 : 500,
					.ctx_pages = pages[i],
					.shared_ctx = copy[c] == DMB_NO_COPY,
					.cpu = { 0, 1 }
				};

				t[c][i][r] = pingpong(&pp);
			}
		}
		/* the page-table work without the turn's writes to all pages */
		struct pingpong pp = { .mode = DEVMAP,
				       .rounds = 50,
				       .ctx_pages = 512,
				       .touch_pages = 1,
				       .shared_ctx = true,
				       .cpu = { 0, 1 } };

		t1[r] = pingpong(&pp);
	}
	ioctl(fd, DMB_SET_COPY, (long)DMB_COPY);
	close(fd);
	ctxsize_put(t[0], "");
	ctxsize_put(t[1], "_ownmem");
	ctxsize_put(t[2], "_nocopy");
	put_stats("ctx_512_nocopy_touch1_us", t1, RUNS, 1e6);
	put_ratio("ctx_ratio_512_vs_1_nocopy_touch1", t1, t[2][0], RUNS);
	/* the driver's copies alone, in one-page switches, run by run */
	double copies[RUNS];

	for (int r = 0; r < RUNS; r++)
		copies[r] = (t[0][2][r] - t[2][2][r]) / t[0][0][r];
	put_stats("ctx_copies_512_in_1", copies, RUNS, 1);
}

static void mappings(void)
{
	double t[2][RUNS];

	for (int r = 0; r < RUNS; r++)
		for (int i = 0; i < 2; i++) {
			struct pingpong pp = { .mode = DEVMAP,
					       .rounds = 500,
					       .ctx_pages = 1,
					       .extra_maps = i ? 256 : 0,
					       .cpu = { 0, 1 } };

			t[i][r] = pingpong(&pp);
		}
	put_stats("mappings_0_us", t[0], RUNS, 1e6);
	put_stats("mappings_256_us", t[1], RUNS, 1e6);
	put_ratio("mappings_256_ratio", t[1], t[0], RUNS);
}

enum cmode { C_DEVMAP, C_HOLD, C_EXPLICIT, NCMODES };
static const char *const cmode_name[NCMODES] = { "devmap", "hold", "explicit" };

/* What the processes of a contention run share (an anonymous page). */
struct contention {
	pthread_mutex_t lock; /* C_EXPLICIT: the device's */
	int last; /* C_EXPLICIT: the last process that held it, +1 */
	long handoffs; /* C_EXPLICIT: changes of last */
	int ready, go, stop;
	struct {
		volatile long n;
		char pad[56];
	} ops[CONT_MAXPROCS];
};

/* One process of a contention run: operations until told to stop. */
static void contender(struct contention *c, enum cmode mode, int me)
{
	int fd = dev_open();
	volatile uint32_t *page =
		map(fd, P, mode == C_EXPLICIT ? DMB_PLAIN_OFF : 0);

	__atomic_add_fetch(&c->ready, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&c->go, __ATOMIC_ACQUIRE))
		sched_yield();
	while (!__atomic_load_n(&c->stop, __ATOMIC_RELAXED)) {
		if (mode == C_EXPLICIT) {
			pthread_mutex_lock(&c->lock);
			if (c->last != me + 1) {
				ioctl(fd, DMB_SWITCH_REVOKE, 0);
				c->last = me + 1;
				c->handoffs++;
			}
		}
		for (int i = 0; i < CONT_WRITES; i++)
			page[i] += 1;
		if (mode == C_EXPLICIT)
			pthread_mutex_unlock(&c->lock);
		c->ops[me].n++;
	}
	_exit(0);
}

struct cont_result {
	double ops, jain, switches; /* per second, index, per second */
};

/* @n processes sharing the device for CONT_SECONDS. */
static struct cont_result contention_once(enum cmode mode, int n)
{
	struct contention *c = shared_anon(sizeof(*c));
	pthread_mutexattr_t attr;
	pid_t pids[CONT_MAXPROCS];
	long counts[CONT_MAXPROCS], sw;
	double sum = 0, sq = 0, t0;
	int fd = dev_open();
	struct cont_result res;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&c->lock, &attr);
	ioctl(fd, DMB_SET_CTX, 1L);
	ioctl(fd, DMB_SET_HOLD, mode == C_HOLD ? HOLD_TICKS : 0);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			contender(c, mode, i);
	}
	while (__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE) < n)
		usleep(1000);
	sw = devmap_counter("switches");
	t0 = now();
	__atomic_store_n(&c->go, 1, __ATOMIC_RELEASE);
	usleep((useconds_t)(CONT_SECONDS * 1e6));
	for (int i = 0; i < n; i++)
		counts[i] = c->ops[i].n;
	if (mode == C_EXPLICIT)
		sw = c->handoffs;
	else if (sw >= 0) /* else no counter file: not printed (contention) */
		sw = devmap_counter("switches") - sw;
	t0 = now() - t0;
	__atomic_store_n(&c->stop, 1, __ATOMIC_RELEASE);
	reap(pids, n, "contention");
	ioctl(fd, DMB_SET_HOLD, 0);
	close(fd);
	for (int i = 0; i < n; i++) {
		sum += (double)counts[i];
		sq += (double)counts[i] * (double)counts[i];
	}
	res.ops = sum / t0;
	res.jain = sq > 0 ? sum * sum / ((double)n * sq) : 0;
	res.switches = (double)sw / t0;
	pthread_mutex_destroy(&c->lock);
	munmap(c, sizeof(*c));
	return res;
}

static void contention(void)
{
	static const char *const what[3] = { "ops", "jain", "switches" };
	const int ns[] = { 2, 4, 8, 16, 64 };
	double v[3][NCMODES][CONT_RUNS];
	char key[64];

	printf("contention_hold_ticks %d\ncontention_writes_per_op %d\n"
	       "contention_seconds %.1f\n",
	       HOLD_TICKS, CONT_WRITES, CONT_SECONDS);
	for (int i = 0; i < 5; i++) {
		double med[NCMODES];

		for (int r = 0; r < CONT_RUNS; r++)
			for (int m = 0; m < NCMODES; m++) {
				struct cont_result res =
					contention_once(m, ns[i]);

				v[0][m][r] = res.ops;
				v[1][m][r] = res.jain;
				v[2][m][r] = res.switches;
			}
		for (int m = 0; m < NCMODES; m++)
			for (int w = 2; w >= 0; w--) { /* ops last, for med */
				/* no counter file: left out, not measured */
				if (w == 2 && v[2][m][0] < 0)
					continue;
				snprintf(key, sizeof(key), "cont_%d_%s_%s",
					 ns[i], what[w], cmode_name[m]);
				med[m] = put_stats(key, v[w][m], CONT_RUNS, 1);
			}
		printf("cont_%d_ratio_hold_vs_explicit %.3f\n", ns[i],
		       med[C_HOLD] / med[C_EXPLICIT]);
		printf("cont_%d_ratio_devmap_vs_explicit %.3f\n", ns[i],
		       med[C_DEVMAP] / med[C_EXPLICIT]);
	}
}

int main(int argc, char **argv)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	calibrate_busy();
	if (argc == 2 && !strcmp(argv[1], "switch")) {
		struct pingpong pp = { .mode = DEVMAP,
				       .rounds = 1000,
				       .ctx_pages = 1,
				       .cpu = { 0, 1 } };
		double t[3];

		for (int r = 0; r < 3; r++)
			t[r] = pingpong(&pp);
		printf("switch_us %.2f\n", median_of(t, 3) * 1e6);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "ctxsize")) { /* that part alone */
		ctxsize();
		return 0;
	}
	printf("busy_us_per_turn %.1f\nipi_limit_per_turn %.2f\nruns %d\n",
	       BUSY_US, IPI_LIMIT, RUNS);
	steady();
	switch_cost();
	mappers();
	ctxsize();
	mappings();
	contention();
	printf("runs_rejected_tlb_ipis %d\nruns_over_limit_kept %d\n",
	       runs_rejected, runs_over_kept);
	printf("tlb_ipis_per_turn_max %.3f\n", max_ipis_per_turn);
	fd = dev_open();
	printf("slots_left_after_runs %d\n", ioctl(fd, DMB_SLOTS, 0));
	close(fd);
	return 0;
}
