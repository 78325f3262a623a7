// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The kernel-host benchmarks, run inside the VM against dmbench.ko.  Every
 * figure is a ratio against a baseline measured in the same run: absolute
 * times under QEMU's emulation are noise.  Prints "key value" lines.
 *
 *   steady     owner accessing its context page vs. a plain mapping
 *   switch     two processes alternating on a context page (devmap
 *              fault-driven switch) vs. (a) a futex handoff plus an ioctl
 *              doing the same save/restore, (b) one plain fault + one zap;
 *              on two CPUs and on one, with the TLB shootdowns counted
 *   mappers    switch cost with 2, 8, 64, 256 processes mapping the device
 *   ctxsize    per-page switch cost for 1, 16, 512-page contexts
 *   mappings   switch cost with 256 more mappings in each process
 *
 * "dmbench_user switch" prints only switch_us, the median time of a turn
 * of the two-CPU devmap ping-pong: bench/guest.sh runs it against devmap.ko
 * built with and without the event calls, and with the tracepoints on.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmbench.h"
#include "../tests/kernel/futex_turn.h"

#define DEV "/dev/dmbench0"
#define P DMB_PAGE

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

/* Time per loop iteration of reading and writing one word of @page. */
static double touch_loop(volatile uint32_t *page, long n)
{
	double t0 = now();

	for (long i = 0; i < n; i++)
		page[i & 63] += 1;
	return (now() - t0) / (double)n;
}

static void steady(void)
{
	int fd = dev_open();
	volatile uint32_t *ctx = map(fd, P, 0),
			  *plain = map(fd, P, DMB_PLAIN_OFF);
	long n = 20000000;
	double t_ctx, t_plain;

	touch_loop(ctx, 1000);
	touch_loop(plain, 1000);
	t_plain = touch_loop(plain, n);
	t_ctx = touch_loop(ctx, n);
	printf("steady_ns_plain %.3f\nsteady_ns_owner %.3f\nsteady_ratio %.3f\n",
	       t_plain * 1e9, t_ctx * 1e9, t_plain / t_ctx);
	munmap((void *)ctx, P);
	munmap((void *)plain, P);
	close(fd);
}

enum mode { HANDOFF, DEVMAP, IOCTL };

/* Keep the calling process on @cpu (or anywhere for -1). */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu < 0)
		for (int c = 0; c < CPU_SETSIZE; c++)
			CPU_SET(c, &set);
	else
		CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * Two processes, pinned to CPUs @cpu0 and @cpu1, take @rounds turns each;
 * a turn does the mode's work: nothing, a write to every page of the
 * context (a devmap switch), or the ioctl switch plus a write to the plain
 * page.  Both are set up before the clock starts.  Returns seconds per
 * turn.
 */
static double pingpong(enum mode mode, int rounds, size_t ctx_pages,
		       int extra_maps, int cpu0, int cpu1)
{
	volatile int *turn = mmap(NULL, P, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *ready = turn + 8;
	double *t = (double *)(turn + 16);
	pid_t pid[2];

	*turn = 0;
	for (int me = 0; me < 2; me++) {
		pid[me] = fork();
		if (pid[me])
			continue;
		pin(me ? cpu1 : cpu0);
		int fd = dev_open();

		ioctl(fd, DMB_SET_CTX, (long)ctx_pages);
		volatile uint8_t *ctx = map(fd, ctx_pages * P, 0);
		volatile uint32_t *plain = map(fd, P, DMB_PLAIN_OFF);

		for (int i = 0; i < extra_maps; i++)
			map(fd, P, DMB_PLAIN_OFF);
		__atomic_add_fetch(ready, 1, __ATOMIC_SEQ_CST);
		while (*ready < 2)
			sched_yield();
		if (me == 0)
			t[0] = now();
		for (int r = 0; r < rounds; r++) {
			futex_wait(turn, !me);
			if (mode == DEVMAP)
				for (size_t pg = 0; pg < ctx_pages; pg++)
					ctx[pg * P] += 1;
			else if (mode == IOCTL) {
				ioctl(fd, DMB_SWITCH, 0);
				plain[0] += 1;
			}
			*turn = !me;
			futex_wake(turn);
		}
		if (me == 1)
			t[1] = now();
		_exit(0);
	}
	waitpid(pid[0], NULL, 0);
	waitpid(pid[1], NULL, 0);
	double per_turn = (t[1] - t[0]) / (2.0 * rounds);

	munmap((void *)turn, P);
	return per_turn;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of three runs (the runs of each figure are interleaved by
 * the caller measuring them in turn). */
static double median3(double a, double b, double c)
{
	double v[3] = { a, b, c };

	qsort(v, 3, sizeof(v[0]), cmp_double);
	return v[1];
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

/* @n processes that map the context region, touch it once and wait. */
static pid_t *idle_mappers(int n)
{
	volatile int *ready = mmap(NULL, P, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
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

static double positive(double x)
{
	return x > 0 ? x : 0;
}

int main(int argc, char **argv)
{
	const int rounds = 2000;
	double h[3], d[3], i3[3], hs[3], ds[3], is[3];
	double handoff, dev, ioc, flo, base, dev_same, ioc_same, handoff_same;
	long ipis;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "switch")) {
		printf("switch_us %.2f\n",
		       1e6 * median3(pingpong(DEVMAP, rounds, 1, 0, 0, 1),
				     pingpong(DEVMAP, rounds, 1, 0, 0, 1),
				     pingpong(DEVMAP, rounds, 1, 0, 0, 1)));
		return 0;
	}
	steady();
	for (int r = 0; r < 3; r++) { /* interleaved repetitions */
		h[r] = pingpong(HANDOFF, rounds, 1, 0, 0, 1);
		d[r] = pingpong(DEVMAP, rounds, 1, 0, 0, 1);
		i3[r] = pingpong(IOCTL, rounds, 1, 0, 0, 1);
		hs[r] = pingpong(HANDOFF, rounds, 1, 0, 0, 0);
		ds[r] = pingpong(DEVMAP, rounds, 1, 0, 0, 0);
		is[r] = pingpong(IOCTL, rounds, 1, 0, 0, 0);
	}
	handoff = median3(h[0], h[1], h[2]);
	dev = median3(d[0], d[1], d[2]);
	ioc = median3(i3[0], i3[1], i3[2]);
	handoff_same = median3(hs[0], hs[1], hs[2]);
	dev_same = median3(ds[0], ds[1], ds[2]);
	ioc_same = median3(is[0], is[1], is[2]);
	flo = floor_cost(rounds);
	ipis = tlb_ipis();
	pingpong(DEVMAP, rounds, 1, 0, 0, 1);
	ipis = tlb_ipis() - ipis;
	printf("switch_us_handoff %.2f\nswitch_us_devmap %.2f\nswitch_us_ioctl %.2f\nswitch_us_floor %.2f\n",
	       handoff * 1e6, dev * 1e6, ioc * 1e6, flo * 1e6);
	printf("switch_ratio_devmap_vs_ioctl %.3f\n", dev / ioc);
	printf("switch_ratio_devmap_work_vs_floor %.3f\n",
	       positive(dev - handoff) / flo);
	printf("switch_tlb_ipis_per_switch %.2f\n",
	       (double)ipis / (2.0 * rounds));
	printf("samecpu_us_handoff %.2f\nsamecpu_us_devmap %.2f\nsamecpu_us_ioctl %.2f\n",
	       handoff_same * 1e6, dev_same * 1e6, ioc_same * 1e6);
	printf("samecpu_ratio_devmap_vs_ioctl %.3f\n", dev_same / ioc_same);
	base = 0;
	for (int n = 2; n <= 256; n *= 4) {
		pid_t *idle = idle_mappers(n - 2);
		double t = median3(pingpong(DEVMAP, rounds, 1, 0, 0, 1),
				   pingpong(DEVMAP, rounds, 1, 0, 0, 1),
				   pingpong(DEVMAP, rounds, 1, 0, 0, 1));

		stop(idle);
		if (n == 2)
			base = t;
		printf("mappers_%d_us %.2f\nmappers_%d_ratio %.3f\n", n,
		       t * 1e6, n, t / base);
		if (n == 8)
			n = 16; /* 2, 8, 64, 256 */
	}
	double per_page1 = 0;

	for (size_t pages = 1; pages <= 512; pages *= 16) {
		int n = pages > 16 ? 100 : 500;
		double t = median3(pingpong(DEVMAP, n, pages, 0, 0, 1),
				   pingpong(DEVMAP, n, pages, 0, 0, 1),
				   pingpong(DEVMAP, n, pages, 0, 0, 1));
		double tp = t / (double)pages;

		if (pages == 1)
			per_page1 = tp;
		printf("ctx_%zu_us %.2f\nctx_%zu_per_page_ratio %.3f\n", pages,
		       t * 1e6, pages, tp / per_page1);
		if (pages == 16)
			pages = 32; /* 1, 16, 512 */
	}
	double many = median3(pingpong(DEVMAP, rounds, 1, 256, 0, 1),
			      pingpong(DEVMAP, rounds, 1, 256, 0, 1),
			      pingpong(DEVMAP, rounds, 1, 256, 0, 1));

	printf("mappings_256_us %.2f\nmappings_256_ratio %.3f\n", many * 1e6,
	       many / dev);
	return 0;
}
