// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The kernel-host benchmarks, run inside the VM against dmbench.ko.  Every
 * figure is a ratio against a baseline measured in the same run: absolute
 * times under QEMU's emulation are noise.  Prints "key value" lines.
 *
 *   steady     owner accessing its context page vs. a plain mapping
 *   switch     two processes alternating on a context page (devmap
 *              fault-driven switch) vs. (a) a futex handoff plus an ioctl
 *              doing the same save/restore, (b) one plain fault + one zap
 *   mappers    switch cost with 2, 8, 64, 256 processes mapping the device
 *   ctxsize    per-page switch cost for 1, 16, 512-page contexts
 *   mappings   switch cost with 256 more mappings in each process
 */
#define _GNU_SOURCE
#include <fcntl.h>
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

static void futex_wait(volatile int *w, int val)
{
	while (*w == val)
		syscall(SYS_futex, w, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake(volatile int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

enum mode { HANDOFF, DEVMAP, IOCTL };

/*
 * Two processes take @rounds turns each; a turn does the mode's work:
 * nothing, a write to the context page (a devmap switch), or the ioctl
 * switch plus a write to the plain page.  Returns seconds per turn.
 */
static double pingpong(enum mode mode, int rounds, size_t ctx_pages,
		       int extra_maps)
{
	volatile int *turn = mmap(NULL, P, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double *t = (double *)(turn + 16);
	pid_t pid[2];

	*turn = 0;
	for (int me = 0; me < 2; me++) {
		pid[me] = fork();
		if (pid[me])
			continue;
		int fd = dev_open();

		ioctl(fd, DMB_SET_CTX, (long)ctx_pages);
		volatile uint8_t *ctx = map(fd, ctx_pages * P, 0);
		volatile uint32_t *plain = map(fd, P, DMB_PLAIN_OFF);

		for (int i = 0; i < extra_maps; i++)
			map(fd, P, DMB_PLAIN_OFF);
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

/* @n processes that map the context region, touch it once and wait. */
static pid_t *idle_mappers(int n)
{
	pid_t *pids = calloc((size_t)n + 1, sizeof(*pids));

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int fd = dev_open();
			volatile uint8_t *ctx = map(fd, P, 0);

			ctx[0] = 1;
			pause();
			_exit(0);
		}
	}
	usleep(200000);
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

int main(void)
{
	int rounds = 2000;
	double handoff, dev, ioc, flo, base;

	setvbuf(stdout, NULL, _IOLBF, 0);
	steady();
	handoff = pingpong(HANDOFF, rounds, 1, 0);
	dev = pingpong(DEVMAP, rounds, 1, 0);
	ioc = pingpong(IOCTL, rounds, 1, 0);
	flo = floor_cost(rounds);
	printf("switch_us_handoff %.2f\nswitch_us_devmap %.2f\nswitch_us_ioctl %.2f\nswitch_us_floor %.2f\n",
	       handoff * 1e6, dev * 1e6, ioc * 1e6, flo * 1e6);
	printf("switch_ratio_devmap_vs_ioctl %.3f\n", dev / ioc);
	printf("switch_ratio_devmap_work_vs_floor %.3f\n",
	       (dev - handoff) / flo);
	base = 0;
	for (int n = 2; n <= 256; n *= 4) {
		pid_t *idle = idle_mappers(n - 2);
		double t = pingpong(DEVMAP, rounds / 2, 1, 0);

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
		double t = pingpong(DEVMAP, pages > 16 ? 100 : 500, pages, 0);
		double tp = (t - handoff) / (double)pages;

		if (pages == 1)
			per_page1 = tp;
		printf("ctx_%zu_us %.2f\nctx_%zu_per_page_ratio %.3f\n", pages,
		       t * 1e6, pages, tp / per_page1);
		if (pages == 16)
			pages = 32; /* 1, 16, 512 */
	}
	double many = pingpong(DEVMAP, rounds / 2, 1, 256);

	printf("mappings_256_us %.2f\nmappings_256_ratio %.3f\n", many * 1e6,
	       many / dev);
	return 0;
}
