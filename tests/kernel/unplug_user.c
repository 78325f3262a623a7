// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Hot removal of a mapped device (the xx driver on QEMU's edu card): this
 * program maps /dev/xx0 and takes the card's context, creates READY, and
 * waits for GO while guest.sh removes the card (PCI remove or driver
 * unbind).  Then every access to the mapping must raise SIGBUS, a
 * debugger read of it must fail, and a new mmap on the still open file
 * must be refused; exit and munmap afterwards must free what the removal
 * kept alive (KASAN and kmemleak watch that).  Prints TAP.
 *
 *   unplug_user READY GO   the removal test
 *   unplug_user            map, write and read back once (after rescan)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xx.h"
#include "ktap.h"

#define DEV "/dev/xx0"

static sigjmp_buf jb;

static void on_fault(int sig)
{
	(void)sig;
	siglongjmp(jb, sig);
}

/* Read register @off of @r; the signal it raised, or 0. */
static int read_signal(volatile uint32_t *r, int off)
{
	int sig = sigsetjmp(jb, 1);

	if (sig == 0) {
		(void)r[off / 4];
		return 0;
	}
	return sig;
}

static int mem_read(const void *va)
{
	uint32_t v;
	int fd = open("/proc/self/mem", O_RDONLY);
	ssize_t n = pread(fd, &v, sizeof(v), (off_t)(uintptr_t)va);

	close(fd);
	return n == sizeof(v) ? 0 : errno;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_fault };
	int fd = open(DEV, O_RDWR);
	volatile uint32_t *r;
	void *again;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	r = fd < 0 ?
		    MAP_FAILED :
		    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!ok(r != MAP_FAILED, "unplug: " DEV " maps")) {
		printf("1..%d\n", ntests);
		return 1;
	}
	r[XX_REG_DMA_SRC / 4] = 0x5a5a0000u + (uint32_t)getpid();
	ok(r[XX_REG_DMA_SRC / 4] == 0x5a5a0000u + (uint32_t)getpid() &&
		   r[XX_REG_IDENT / 4] == XX_IDENT,
	   "unplug: the card's context is this process's");
	if (argc == 3) {
		struct stat st;

		close(open(argv[1], O_CREAT | O_WRONLY, 0644));
		while (stat(argv[2], &st) != 0)
			usleep(10000);
		ok(read_signal(r, XX_REG_DMA_SRC) == SIGBUS,
		   "unplug: an access after the removal raises SIGBUS");
		ok(read_signal(r, XX_REG_IDENT) == SIGBUS,
		   "unplug: and so does the next one (no translation was left)");
		ok(mem_read((const void *)r) != 0,
		   "unplug: /proc/PID/mem cannot read the removed card");
		errno = 0;
		again = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		ok(again == MAP_FAILED && errno == ENXIO,
		   "unplug: a new mmap of the removed card gets ENXIO");
	}
	munmap((void *)r, 4096);
	close(fd);
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
