// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The devmap demo, run inside the VM: four processes share QEMU's edu card
 * through the xx driver.  Each takes turns writing its own values into the
 * card's context registers and checking them; the driver switches the
 * card's context on every access by a process that does not own it.  Then
 * each sends its own data through the card's DMA buffer and reads it back
 * (the buffer and the DMA in flight are part of the context too).  The
 * demo prints who owned the card when, how many switches and DMAs there
 * were, and the verdict.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "xx.h"

#define NPROC 4
#define TURNS 5
#define REG(r, off) ((r)[(off) / 4])

/* Its own data to the card's buffer and back: whether it came back whole. */
static int dma_round_trip(int fd, int id)
{
	static uint8_t mine[XX_DMA_SIZE], back[XX_DMA_SIZE];
	struct xx_dma d = { .cmd = XX_DMA_TO_CARD,
			    .len = XX_DMA_SIZE,
			    .data = (uintptr_t)mine };

	memset(mine, 0xd0 + id, sizeof(mine));
	if (ioctl(fd, XX_DMA, &d) != 0)
		return 0;
	d.cmd = XX_DMA_FROM_CARD;
	d.data = (uintptr_t)back;
	return ioctl(fd, XX_DMA, &d) == 0 &&
	       memcmp(mine, back, sizeof(mine)) == 0;
}

static int run(int id, int out)
{
	int fd = open("/dev/xx0", O_RDWR), wrong = 0;
	volatile uint32_t *r;

	if (fd < 0)
		return 2;
	r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		return 2;
	for (int t = 0; t < TURNS; t++) {
		uint32_t mine = 0xc0de0000u | (uint32_t)id << 8 | (uint32_t)t;

		usleep(3000 * (unsigned int)(1 + (id + t) % NPROC));
		if (t > 0 && REG(r, XX_REG_LIVENESS) != ~(mine - 1))
			wrong++; /* not what this process left there */
		REG(r, XX_REG_LIVENESS) = mine;
		REG(r, XX_REG_DMA_SRC) = mine;
		wrong += REG(r, XX_REG_LIVENESS) != ~mine ||
			 REG(r, XX_REG_DMA_SRC) != mine;
	}
	dprintf(out, "pid %d: %d turns, %s\n", getpid(), TURNS,
		wrong ? "SAW ANOTHER PROCESS'S REGISTERS" :
			"always found its own registers");
	if (!dma_round_trip(fd, id)) {
		dprintf(out, "pid %d: ITS DMA DATA DID NOT COME BACK\n",
			getpid());
		wrong++;
	}
	return wrong ? 1 : 0;
}

int main(void)
{
	int fd = open("/dev/xx0", O_RDWR), failed = 0, status;
	struct xx_stats st;

	if (fd < 0) {
		perror("/dev/xx0");
		return 2;
	}
	ioctl(fd, XX_RESET, 0);
	printf("%d processes share one edu card through devmap:\n\n", NPROC);
	fflush(stdout);
	for (int i = 0; i < NPROC; i++)
		if (fork() == 0)
			_exit(run(i + 1, 1));
	for (int i = 0; i < NPROC; i++) {
		wait(&status);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	ioctl(fd, XX_GET_STATS, &st);
	printf("\nwho owned the card when (clock ticks after the first switch):\n");
	for (int i = 0; i < st.nlog; i++) {
		struct xx_switch *s =
			&st.log[(st.switches - st.nlog + i) % XX_LOG];

		printf("  +%4lu  pid %d takes the card\n",
		       s->ticks -
			       st.log[(st.switches - st.nlog) % XX_LOG].ticks,
		       s->pid);
	}
	printf("\n%lu context switches (%lu register saves, %lu restores)\n",
	       st.switches, st.saves, st.restores);
	printf("%lu DMAs (%lu saved or restored the card's buffer for a switch), %lu interrupts\n",
	       st.dmas, st.buf_saves + st.buf_restores, st.intrs);
	printf("verdict: %s\n",
	       failed ?
		       "FAILED: a process saw state that was not its own" :
		       "every process saw only its own registers and DMA data");
	return failed ? 1 : 0;
}
