// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-guest tests of the xx driver on QEMU's edu card: eight processes
 * hammer the card's context registers at once, each checking after every
 * access that the registers hold its own values; processes fork and exit
 * in the middle of it; a failing context restore raises SIGBUS in the
 * process that faulted and in no other.  Prints TAP.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "xx.h"
#include "ktap.h"

#define DEV "/dev/xx0"
#define NPROC 8
#define ROUNDS 400

static volatile uint32_t *xx_map(int *fdp)
{
	int fd = open(DEV, O_RDWR);
	void *va;

	if (fd < 0) {
		perror(DEV);
		exit(2);
	}
	va = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (va == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	if (fdp)
		*fdp = fd;
	return va;
}

#define REG(r, off) ((r)[(off) / 4])

/* Write a context derived from @tag and check it reads back. */
static int use_card(volatile uint32_t *r, uint32_t tag)
{
	int bad = 0;

	REG(r, XX_REG_LIVENESS) = tag;
	REG(r, XX_REG_DMA_SRC) = tag ^ 0x11111111;
	REG(r, XX_REG_DMA_DST) = tag ^ 0x22222222;
	REG(r, XX_REG_DMA_CNT) = tag & 0xfff;
	bad += REG(r, XX_REG_IDENT) != XX_IDENT;
	bad += REG(r, XX_REG_LIVENESS) != ~tag;
	bad += REG(r, XX_REG_DMA_SRC) != (tag ^ 0x11111111);
	bad += REG(r, XX_REG_DMA_DST) != (tag ^ 0x22222222);
	bad += REG(r, XX_REG_DMA_CNT) != (tag & 0xfff);
	return bad;
}

/* A worker: ROUNDS turns; some fork a child mid-run, one leaves early. */
static void worker(int id)
{
	volatile uint32_t *r = xx_map(NULL);
	int bad = 0, rounds = id == 3 ? ROUNDS / 2 : ROUNDS;

	for (int i = 0; i < rounds; i++) {
		uint32_t tag = (uint32_t)id << 24 | (uint32_t)i;

		bad += use_card(r, tag);
		if (i % 4 == id % 4)
			sched_yield();
		if (id < 2 && i == ROUNDS / 2) {
			pid_t child = fork();
			int status;

			if (child == 0) /* inherits the context as it was */
				_exit(REG(r, XX_REG_LIVENESS) != ~tag ||
				      use_card(r, 0x7f000000u | (uint32_t)id));
			waitpid(child, &status, 0);
			bad += !WIFEXITED(status) || WEXITSTATUS(status);
		}
		bad += REG(r, XX_REG_LIVENESS) != ~tag;
	}
	_exit(bad ? 1 : 0);
}

static void test_isolation(void)
{
	int fd, status, good = 0;
	struct xx_stats st;
	pid_t pid[NPROC];
	volatile uint32_t *r = xx_map(&fd);

	ioctl(fd, XX_RESET, 0);
	ok(REG(r, XX_REG_IDENT) == XX_IDENT,
	   "the mapping reaches the edu card (identification register)");
	for (int i = 0; i < NPROC; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			worker(i);
	}
	for (int i = 0; i < NPROC; i++) {
		waitpid(pid[i], &status, 0);
		good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	ok(good == NPROC,
	   "8 processes hammering the card (with fork and exit mid-run) each always saw their own registers");
	ioctl(fd, XX_GET_STATS, &st);
	printf("# %lu context switches, %lu saves, %lu restores\n", st.switches,
	       st.saves, st.restores);
	ok(st.switches >= NPROC + 1,
	   "each process's first access switched the card to it");
	ok(st.failures == 0, "no save or restore failed");
	munmap((void *)r, 4096);
	close(fd);
}

static void test_sigbus(void)
{
	int fd, status;
	volatile uint32_t *r = xx_map(&fd);
	pid_t pid;

	use_card(r, 1); /* this process owns the card */
	ioctl(fd, XX_FAIL_RESTORE, 1);
	pid = fork();
	if (pid == 0) {
		volatile uint32_t *c = xx_map(NULL);

		_exit(use_card(c, 2) == 0 ? 0 : 3);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	   "a failing context restore on the device -> SIGBUS in that process");
	ok(use_card(r, 3) == 0, "... the others go on with the card");
	munmap((void *)r, 4096);
	close(fd);
}

int main(void)
{
	test_isolation();
	test_sigbus();
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
