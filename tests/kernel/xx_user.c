// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-guest tests of the xx driver on QEMU's edu card: eight processes
 * hammer the card's context registers at once, each checking after every
 * access that the registers hold its own values; processes fork and exit
 * in the middle of it; a failing context restore raises SIGBUS in the
 * process that faulted and in no other.  Then DMA (XX_DMA): bad requests
 * get their errno; two processes take turns, each starting a DMA of its
 * own pattern into the card's buffer and handing the card over with it in
 * flight, then reading back what it left there: each finds only its own
 * data (a context's first read finds an empty buffer, not the other's),
 * every handover finds every DMA ended with its interrupt; a process that
 * exits or is killed with a DMA in flight leaves the card working (the
 * debug kernel's kmemleak and KASAN watch what it leaves).  An
 * unprivileged process may not use the ioctls that act on every user of
 * the card (XX_DMA, XX_FAIL_RESTORE, XX_RESET).  Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
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
#include "futex_turn.h"
#include "ktap.h"

#define DEV "/dev/xx0"
#define NPROC 8
#define ROUNDS 400
#define DMA_ROUNDS 3 /* each a handover with a DMA in flight, each way */

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

/* XX_DMA in this process's context (the card switches to it): 0 or errno */
static int xx_dma(int fd, uint32_t cmd, uint32_t off, uint32_t len, void *data)
{
	struct xx_dma d = {
		.cmd = cmd, .off = off, .len = len, .data = (uintptr_t)data
	};

	return ioctl(fd, XX_DMA, &d) == 0 ? 0 : errno;
}

static void pattern(uint8_t *p, int id, int round)
{
	for (int i = 0; i < XX_DMA_SIZE; i++)
		p[i] = (uint8_t)(id * 97 + round * 31 + i * 7 + (i >> 8));
}

static void test_dma_errors(void)
{
	static uint8_t b[XX_DMA_SIZE];
	int fd, status;
	volatile uint32_t *r = xx_map(&fd);
	pid_t pid;

	ok(xx_dma(fd, XX_DMA_TO_CARD, 0, 0, b) == EINVAL,
	   "XX_DMA of 0 bytes: EINVAL");
	ok(xx_dma(fd, XX_DMA_TO_CARD, 16, XX_DMA_SIZE, b) == EINVAL &&
		   xx_dma(fd, XX_DMA_FROM_CARD, XX_DMA_SIZE, 1, b) == EINVAL,
	   "XX_DMA past the card's buffer: EINVAL");
	ok(xx_dma(fd, XX_DMA_FROM_CARD | XX_DMA_ASYNC, 0, 16, b) == EINVAL &&
		   xx_dma(fd, 7, 0, 16, b) == EINVAL,
	   "XX_DMA with an unknown command (or FROM_CARD | ASYNC): EINVAL");
	ok(xx_dma(fd, XX_DMA_TO_CARD, 0, 16, NULL) == EFAULT &&
		   xx_dma(fd, XX_DMA_FROM_CARD, 0, 16, NULL) == EFAULT,
	   "XX_DMA with a bad buffer address: EFAULT");
	pid = fork();
	if (pid == 0) /* before any access to the mapping it inherited */
		_exit(xx_dma(fd, XX_DMA_FROM_CARD, 0, 16, b) == EAGAIN ? 0 : 1);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "XX_DMA by a fork child before it touched its mapping (no context yet): EAGAIN");
	munmap((void *)r, 4096);
	close(fd);
}

/* XX_DMA makes the card a bus master: an unprivileged process may not. */
static void test_dma_priv(void)
{
	static uint8_t b[16];
	int fd, status = -1;
	volatile uint32_t *r = xx_map(&fd);
	pid_t pid = fork();

	if (pid == 0) {
		(void)REG(r,
			  XX_REG_IDENT); /* a context: only privilege lacks */
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(xx_dma(fd, XX_DMA_FROM_CARD, 0, 16, b) == EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "XX_DMA by an unprivileged process: EPERM");
	munmap((void *)r, 4096);
	close(fd);
}

/*
 * XX_FAIL_RESTORE and XX_RESET change the card for every process that
 * maps it: an unprivileged opener may not use them (the first would
 * make the next switches fail, and so kill other users with SIGBUS);
 * XX_GET_STATS stays open to it.
 */
static void test_admin_priv(void)
{
	struct xx_stats st;
	int fd, status = -1, victim = -1;
	volatile uint32_t *r = xx_map(&fd);
	pid_t pid;

	(void)use_card(r, 5); /* this process owns the card */
	pid = fork();
	if (pid == 0) {
		int fail, reset, stats;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		reset = ioctl(fd, XX_RESET, 0) ? errno : 0;
		fail = ioctl(fd, XX_FAIL_RESTORE, 1000) ? errno : 0;
		stats = ioctl(fd, XX_GET_STATS, &st) ? errno : 0;
		_exit(fail == EPERM && reset == EPERM && stats == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "XX_FAIL_RESTORE and XX_RESET by an unprivileged process: EPERM (XX_GET_STATS: allowed)");
	pid = fork();
	if (pid == 0) { /* another process's switch: must not fail */
		volatile uint32_t *c = xx_map(NULL);

		_exit(use_card(c, 6) == 0 ? 0 : 3);
	}
	waitpid(pid, &victim, 0);
	ok(WIFEXITED(victim) && WEXITSTATUS(victim) == 0,
	   "... and another process's switch after it succeeds (no SIGBUS)");
	ioctl(fd, XX_FAIL_RESTORE, 0); /* whatever happened above */
	munmap((void *)r, 4096);
	close(fd);
}

/*
 * DMA memory is bounded per process: XX_DMA_CTXS of its contexts get it,
 * the next XX_DMA gets ENOMEM, and a context that goes gives it back.
 */
static void test_dma_limit(void)
{
	static uint8_t b[16];
	volatile uint32_t *r[XX_DMA_CTXS + 1];
	int fd[XX_DMA_CTXS + 1], got = 0, last;

	for (int i = 0; i <= XX_DMA_CTXS; i++) {
		r[i] = xx_map(&fd[i]);
		(void)REG(r[i], XX_REG_IDENT); /* the card is this context's */
		last = xx_dma(fd[i], XX_DMA_FROM_CARD, 0, sizeof(b), b);
		got += i < XX_DMA_CTXS && last == 0;
	}
	ok(got == XX_DMA_CTXS && last == ENOMEM,
	   "XX_DMA: a process's contexts with DMA memory are bounded (then ENOMEM)");
	munmap((void *)r[0], 4096);
	close(fd[0]);
	(void)REG(r[XX_DMA_CTXS], XX_REG_IDENT);
	ok(xx_dma(fd[XX_DMA_CTXS], XX_DMA_FROM_CARD, 0, sizeof(b), b) == 0,
	   "XX_DMA: a context that goes gives its DMA memory back");
	for (int i = 1; i <= XX_DMA_CTXS; i++) {
		munmap((void *)r[i], 4096);
		close(fd[i]);
	}
}

/*
 * One of two players: turn after turn, take the card (the switch waits
 * for the other's DMA), check that every DMA started has ended, read back
 * the card's buffer (own data of the last turn, or empty on the first),
 * check the registers, start a DMA of a new pattern and pass the turn
 * with it in flight.  Exits with the number of things found wrong.
 */
static void dma_player(int id, volatile int *turn)
{
	static uint8_t want[XX_DMA_SIZE], got[XX_DMA_SIZE];
	int fd, bad = 0;
	volatile uint32_t *r = xx_map(&fd);
	struct xx_stats st;

	for (int k = 0; k <= DMA_ROUNDS; k++) {
		futex_wait(turn, !id);
		(void)REG(r, XX_REG_IDENT);
		ioctl(fd, XX_GET_STATS, &st);
		bad += st.intrs != st.dmas;
		if (k == 0)
			memset(want, 0, sizeof(want));
		else
			pattern(want, id, k - 1);
		bad += xx_dma(fd, XX_DMA_FROM_CARD, 0, XX_DMA_SIZE, got) != 0 ||
		       memcmp(got, want, sizeof(got)) != 0;
		bad += k > 0 && REG(r, XX_REG_LIVENESS) != ~(uint32_t)(id + k);
		REG(r, XX_REG_LIVENESS) = (uint32_t)(id + k + 1);
		pattern(want, id, k);
		if (k < DMA_ROUNDS)
			bad += xx_dma(fd, XX_DMA_TO_CARD | XX_DMA_ASYNC, 0,
				      XX_DMA_SIZE, want) != 0;
		*turn = !id;
		futex_wake(turn);
	}
	_exit(bad > 125 ? 125 : bad);
}

static void test_dma_turns(void)
{
	int fd = open(DEV, O_RDWR), status, good = 0;
	volatile int *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct xx_stats st;
	pid_t pid[2];

	ioctl(fd, XX_RESET, 0);
	*turn = 0;
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			dma_player(i, turn);
	}
	for (int i = 0; i < 2; i++) {
		waitpid(pid[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			printf("# player %d: %s %d\n", i,
			       WIFEXITED(status) ? "things wrong:" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) :
						   WTERMSIG(status));
		good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	ioctl(fd, XX_GET_STATS, &st);
	printf("# %lu switches, %lu waited for a DMA in flight; %lu DMAs (%lu buffer saves, %lu restores), %lu interrupts\n",
	       st.switches, st.dma_waits, st.dmas, st.buf_saves,
	       st.buf_restores, st.intrs);
	ok(good == 2,
	   "2 processes handing the card over with a DMA in flight, turn after turn: every handover found every DMA ended, each read back only its own data and registers");
	ok(st.buf_saves >= 2 * DMA_ROUNDS && st.buf_restores >= 2 * DMA_ROUNDS,
	   "the card's buffer went with its context (saved and restored by DMA)");
	ok(st.intrs == st.dmas && st.failures == 0,
	   "one interrupt per DMA, no failed switch");
	munmap((void *)turn, 4096);
	close(fd);
}

/* A child that starts a DMA and exits (@kill: waits to be killed). */
static pid_t dma_leaver(int kill_me, int pipefd)
{
	static uint8_t b[XX_DMA_SIZE];
	pid_t pid = fork();
	int fd, rc;

	if (pid != 0)
		return pid;
	(void)xx_map(&fd); /* a context, never touched */
	pattern(b, 9, kill_me);
	rc = xx_dma(fd, XX_DMA_TO_CARD | XX_DMA_ASYNC, 0, XX_DMA_SIZE, b);
	if (!kill_me)
		_exit(rc);
	if (write(pipefd, &rc, sizeof(rc)) != sizeof(rc))
		_exit(1);
	for (;;)
		pause();
}

static void test_dma_leave(void)
{
	static uint8_t want[XX_DMA_SIZE], got[XX_DMA_SIZE];
	int fd, status, p[2], rc = -1;
	volatile uint32_t *r;
	struct xx_stats st;
	pid_t pid;

	waitpid(dma_leaver(0, -1), &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "a process exits with its DMA in flight");
	if (pipe(p) != 0) {
		perror("pipe");
		exit(2);
	}
	pid = dma_leaver(1, p[1]);
	close(p[1]); /* the child's exit ends the read below: EOF */
	if (read(p[0], &rc, sizeof(rc)) != sizeof(rc))
		rc = -1;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ok(rc == 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	   "a process is killed with its DMA in flight");
	close(p[0]);
	r = xx_map(&fd);
	pattern(want, 3, 3);
	ok(xx_dma(fd, XX_DMA_TO_CARD, 0, XX_DMA_SIZE, want) == 0 &&
		   xx_dma(fd, XX_DMA_FROM_CARD, 0, XX_DMA_SIZE, got) == 0 &&
		   memcmp(got, want, sizeof(got)) == 0,
	   "... the card still works: a DMA round trip returns this process's data");
	if (!ok(ioctl(fd, XX_GET_STATS, &st) == 0, "XX_GET_STATS")) {
		close(fd);
		return;
	}
	printf("# %lu DMAs, %lu interrupts\n", st.dmas, st.intrs);
	ok(st.intrs == st.dmas && st.failures == 0,
	   "... every DMA ended with its interrupt");
	munmap((void *)r, 4096);
	close(fd);
}

int main(void)
{
	test_isolation();
	test_sigbus();
	test_dma_errors();
	test_dma_priv();
	test_admin_priv();
	test_dma_limit();
	test_dma_turns();
	test_dma_leave();
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
