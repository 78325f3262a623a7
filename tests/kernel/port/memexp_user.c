// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-guest tests of the memexp port example on the edu card: the
 * exported memory is shared by every mapping and process, the card's DMA
 * engine moves bytes into it that the mappings see, MAP_PRIVATE and bad
 * offsets or lengths are refused, and the driver's count of mapping
 * handles follows a partial munmap (a hole leaves two), fork and exit
 * back to zero.  Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ktap.h"
#include "memexp.h"

#define DEV "/dev/memexp0"

static long pg;

static int me_open(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0) {
		perror(DEV);
		exit(2);
	}
	return fd;
}

static uint8_t *me_map(int fd, off_t off, size_t len, int prot, int flags)
{
	void *va = mmap(NULL, len, prot, flags, fd, off);

	return va == MAP_FAILED ? NULL : va;
}

static int map_errno(int fd, off_t off, size_t len, int flags)
{
	return me_map(fd, off, len, PROT_READ, flags) == NULL ? errno : 0;
}

/* ME_INFO; on failure every count all ones, which no check expects. */
static memexp_ioc_t me_info(int fd)
{
	memexp_ioc_t mi = { 0 };

	if (ioctl(fd, ME_INFO, &mi) != 0) {
		printf("# ME_INFO: %s\n", strerror(errno));
		memset(&mi, 0xff, sizeof(mi));
	}
	return mi;
}

/* ME_DMA's errno, 0 when it worked. */
static int me_dma(int fd, uint32_t src, uint32_t dst, uint32_t len)
{
	memexp_ioc_t mi = { .me_src = src, .me_dst = dst, .me_len = len };

	return ioctl(fd, ME_DMA, &mi) == 0 ? 0 : errno;
}

static void fill(uint8_t *p, size_t len, int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31 + seed);
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The card moves bytes of the memory to another page; all see it. */
static void test_dma(int fd, uint8_t *m)
{
	unsigned int dmas = me_info(fd).me_dmas;
	pid_t pid;

	fill(m, ME_XFER, 5);
	memset(m + 2 * pg, 0, ME_XFER);
	is(me_dma(fd, 0, 2 * pg, ME_XFER), 0,
	   "ME_DMA: ME_XFER bytes through the card");
	ok(memcmp(m, m + 2 * pg, ME_XFER) == 0,
	   "the mapping sees the bytes the card wrote back");
	is(me_info(fd).me_dmas, dmas + 2, "two transfers of the card's engine");

	pid = fork();
	if (pid == 0) {
		int fd2 = me_open();
		uint8_t *b = me_map(fd2, 0, ME_SIZE, PROT_READ | PROT_WRITE,
				    MAP_SHARED);

		if (b == NULL || memcmp(b + 2 * pg, m, ME_XFER) != 0)
			_exit(1);
		fill(b + 100, 300, 9);
		_exit(me_dma(fd2, 100, 3 * pg + 5, 300) == 0 ? 0 : 2);
	}
	is(child_status(pid), 0,
	   "another process maps the memory, sees it, runs a transfer");
	ok(memcmp(m + 100, m + 3 * pg + 5, 300) == 0,
	   "... at unaligned offsets; this process sees its result");
}

static void test_refused(int fd)
{
	is(map_errno(fd, 0, pg, MAP_PRIVATE), EINVAL,
	   "MAP_PRIVATE (no devmap_access): EINVAL");
	is(map_errno(fd, ME_SIZE, pg, MAP_SHARED), ENXIO,
	   "an offset past the memory: ENXIO");
	is(map_errno(fd, 2 * pg, ME_SIZE - pg, MAP_SHARED), ENXIO,
	   "a length past the memory: ENXIO");
	is(me_dma(fd, 0, 0, 0), EINVAL, "ME_DMA of 0 bytes: EINVAL");
	is(me_dma(fd, 0, 0, ME_XFER + 1), EINVAL,
	   "ME_DMA longer than ME_XFER: EINVAL");
	is(me_dma(fd, ME_SIZE - 10, 0, 11), EINVAL,
	   "ME_DMA past the memory: EINVAL");
	is(me_info(fd).me_handles, 1, "the refused mappings left no handle");
}

/* Partial munmap, fork and exit, as the driver's handle count sees them. */
static void test_handles(int fd, uint8_t *m)
{
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(me_info(fd).me_handles == 2 && m[2 * pg] == 5 ? 0 : 1);
	is(child_status(pid), 0, "fork: devmap_dup gave the child a handle");
	is(me_info(fd).me_handles, 1, "... which its exit took back");
	ok(munmap(m + pg, pg) == 0 && me_info(fd).me_handles == 2,
	   "munmap of a page in the middle: a hole, two handles");
	ok(m[2 * pg] == 5 && m[0] == 5, "both sides still map the memory");
	ok(munmap(m, pg) == 0 && me_info(fd).me_handles == 1,
	   "munmap of the low side: one handle");
	ok(munmap(m + 2 * pg, pg) == 0 && me_info(fd).me_handles == 1 &&
		   m[3 * pg + 5] == 9, /* the other process's first byte */
	   "munmap of the head of the high side: the rest still works");
	ok(munmap(m + 3 * pg, pg) == 0 && me_info(fd).me_handles == 0,
	   "munmap of the rest: no handle left");
}

int main(void)
{
	memexp_ioc_t mi;
	uint8_t *m;
	int fd;

	pg = sysconf(_SC_PAGESIZE);
	fd = me_open();
	mi = me_info(fd);
	ok(mi.me_size == ME_SIZE && mi.me_handles == 0,
	   "ME_INFO: the exported size, no mapping yet");
	m = me_map(fd, 0, ME_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED);
	ok(m != NULL && m[0] == 0 && m[ME_SIZE - 1] == 0,
	   "mmap of the whole memory, MAP_SHARED: zeroed");
	if (m == NULL)
		return 1;
	is(me_info(fd).me_handles, 1, "devmap_map counted one handle");
	test_dma(fd, m);
	test_refused(fd);
	test_handles(fd, m);
	is(ioctl(fd, ME_INFO + 100, &mi) == -1 ? errno : 0, ENOTTY,
	   "an unknown ioctl: ENOTTY");
	close(fd);
	printf("1..%d\n", ntests);
	return nfailed != 0;
}
