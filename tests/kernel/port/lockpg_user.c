// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-guest tests of the lockpg port example: lock pages allocated by
 * ioctl and mapped by key; segmap(9E) refuses MAP_PRIVATE, devmap(9E)
 * refuses unknown keys, one mmap spans several pages, a partial munmap,
 * fork and a second process keep or drop exactly the pages they map, a
 * process sleeps on a lock word until another changes it, and freeing,
 * close and exit leave no page behind.  Expects a freshly loaded driver.
 * Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ktap.h"
#include "lockpg.h"

#define DEV "/dev/lockpg0"

static long pg;

static int lp_open(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0) {
		perror(DEV);
		exit(2);
	}
	return fd;
}

static int64_t lp_alloc(int fd)
{
	lockpg_ioc_t li = { 0 };

	return ioctl(fd, LP_ALLOC, &li) == 0 ? li.li_key : -1;
}

/* The page's mappings, -errno when the driver does not know the key. */
static long lp_maps(int fd, int64_t key)
{
	lockpg_ioc_t li = { .li_key = key };

	return ioctl(fd, LP_QUERY, &li) == 0 ? (long)li.li_maps : -errno;
}

static long lp_pages(int fd)
{
	lockpg_ioc_t li = { .li_key = -1 };

	return ioctl(fd, LP_QUERY, &li) == 0 ? (long)li.li_pages : -errno;
}

static int lp_free(int fd, int64_t key)
{
	lockpg_ioc_t li = { .li_key = key };

	return ioctl(fd, LP_FREE, &li) == 0 ? 0 : errno;
}

static volatile uint32_t *lp_map(int fd, int64_t key, long pages, int prot,
				 int flags)
{
	void *va = mmap(NULL, pages * pg, prot, flags, fd, (off_t)key);

	return va == MAP_FAILED ? NULL : va;
}

static volatile uint32_t *lp_map_rw(int fd, int64_t key, long pages)
{
	return lp_map(fd, key, pages, PROT_READ | PROT_WRITE, MAP_SHARED);
}

/* mmap's errno for a mapping that must fail. */
static int map_errno(int fd, int64_t key, int prot, int flags)
{
	return lp_map(fd, key, 1, prot, flags) == NULL ? errno : 0;
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* child_status(), but a child still running after @secs is killed: -2. */
static int child_status_within(pid_t pid, int secs)
{
	int status;

	for (int i = 0; i < secs * 100; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		if (r < 0)
			return -1;
		usleep(10000);
	}
	printf("# pid %d still running after %d s: killed\n", (int)pid, secs);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -2;
}

/* Returns k1's first mapping, which the later tests keep using. */
static volatile uint32_t *test_map(int fd, int64_t k1)
{
	lockpg_ioc_t li = { .li_key = k1 };
	volatile uint32_t *a, *b;

	ok(k1 > 0 && k1 % pg == 0, "LP_ALLOC: a page-aligned key, never 0");
	ok(ioctl(fd, LP_QUERY, &li) == 0 && li.li_pid == getpid() &&
		   li.li_maps == 0 && li.li_pages == 1,
	   "LP_QUERY: owned by the caller (ddi_get_pid), unmapped, one page");
	a = lp_map_rw(fd, k1, 1);
	ok(a != NULL && a[0] == 0 && a[pg / 4 - 1] == 0,
	   "mmap by key, MAP_SHARED: a zeroed page");
	if (a == NULL)
		exit(1);
	a[0] = 0x1234;
	is(lp_maps(fd, k1), 1, "devmap_map counted the mapping");
	is(map_errno(fd, k1, PROT_READ, MAP_PRIVATE), EINVAL,
	   "segmap: MAP_PRIVATE is refused with EINVAL");
	is(map_errno(fd, 0, PROT_READ | PROT_WRITE, MAP_SHARED), ENXIO,
	   "devmap: offset 0 is no key: ENXIO");
	is(map_errno(fd, k1 + 100 * pg, PROT_READ | PROT_WRITE, MAP_SHARED),
	   ENXIO, "devmap: an unallocated key: ENXIO");
	is(lp_maps(fd, k1), 1, "the refused mappings left no count behind");
	b = lp_map_rw(fd, k1, 1);
	ok(b != NULL && b != a && b[0] == 0x1234,
	   "a second mapping of the key shows the same page");
	is(lp_maps(fd, k1), 2, "two mappings counted");
	if (b)
		munmap((void *)b, pg);
	is(lp_maps(fd, k1), 1, "munmap: devmap_unmap dropped one");
	return a;
}

/* One mmap over three keys, then a hole punched in it. */
static void test_span(int fd, int64_t k1)
{
	int64_t k2 = lp_alloc(fd), k3 = lp_alloc(fd);
	volatile uint32_t *m;

	ok(k2 == k1 + pg && k3 == k2 + pg, "LP_ALLOC twice: the next keys");
	m = lp_map_rw(fd, k1, 3);
	ok(m != NULL && m[0] == 0x1234 && m[pg / 4] == 0 && m[2 * pg / 4] == 0,
	   "one mmap of three keys: devmap picks each page by offset");
	if (m == NULL)
		exit(1);
	m[pg / 4] = 2;
	m[2 * pg / 4] = 3;
	ok(lp_maps(fd, k1) == 2 && lp_maps(fd, k2) == 1 && lp_maps(fd, k3) == 1,
	   "each page counts its own mapping handle");
	ok(munmap((void *)(m + pg / 4), pg) == 0 && lp_maps(fd, k2) == 0 &&
		   lp_maps(fd, k1) == 2 && lp_maps(fd, k3) == 1,
	   "partial munmap of the middle page drops only that page's count");
	ok(m[0] == 0x1234 && m[2 * pg / 4] == 3,
	   "the pages on both sides of the hole still work");
	is(lp_free(fd, k2), 0, "LP_FREE of an unmapped page");
	ok(lp_pages(fd) == 2 && lp_maps(fd, k2) == -ENXIO,
	   "... frees it at once: its key is unknown");
	is(map_errno(fd, k2, PROT_READ | PROT_WRITE, MAP_SHARED), ENXIO,
	   "mmap of a freed key: ENXIO");
	munmap((void *)m, pg);
	munmap((void *)(m + 2 * pg / 4), pg);
	ok(lp_maps(fd, k1) == 1 && lp_maps(fd, k3) == 0,
	   "munmap of the rest: the counts are back");
	is(lp_free(fd, k3), 0, "LP_FREE of the third page");
}

/* fork keeps the page; a second process with a client of its own. */
static void test_processes(int fd, int64_t k1, volatile uint32_t *a)
{
	lockpg_ioc_t li = { .li_key = k1 };
	int ready[2];
	pid_t pid;
	char c;

	pid = fork();
	if (pid == 0) {
		int good = a[0] == 0x1234 && lp_maps(fd, k1) == 2;

		a[0] = 0x5678;
		_exit(good ? 0 : 1);
	}
	is(child_status(pid), 0,
	   "fork: the child sees the page, devmap_dup counted it");
	ok(a[0] == 0x5678 && lp_maps(fd, k1) == 1,
	   "... its write shows in the parent; its exit dropped its count");

	if (pipe(ready) != 0)
		exit(2);
	pid = fork();
	if (pid == 0) {
		int fd2 = lp_open();
		volatile uint32_t *b = lp_map_rw(fd2, k1, 1);
		int rc;

		if (b == NULL || lp_free(fd2, k1) != EACCES)
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(2);
		li.li_value = 0x5678;
		rc = ioctl(fd2, LP_WAIT, &li);
		_exit(rc == 0 && b[0] == 0 ? 0 : 3);
	}
	close(ready[1]);
	ok(read(ready[0], &c, 1) == 1,
	   "another process maps the page by key; LP_FREE by it: EACCES");
	close(ready[0]);
	usleep(100000);
	a[0] = 0;
	ok(ioctl(fd, LP_WAKE, &li) == 0,
	   "LP_WAKE after clearing the lock word");
	is(child_status_within(pid, 10), 0,
	   "... ends the other process's LP_WAIT (cv_wait_sig), it sees 0");
	is(lp_maps(fd, k1), 1, "its exit (close, munmap) dropped its count");
}

/* Exit and close free what a client owns; a freed page mapped stays. */
static void test_lifetime(int fd, int64_t k1, volatile uint32_t *a)
{
	long before = lp_pages(fd);
	int i, fd2;
	pid_t pid;

	is(before, 1, "LP_QUERY: one page alive, k1 (the others were freed)");
	pid = fork();
	if (pid == 0) {
		int fd3 = lp_open();
		int64_t k = lp_alloc(fd3);

		lp_alloc(fd3);
		_exit(k > 0 && lp_map_rw(fd3, k, 1) != NULL ? 0 : 1);
	}
	is(child_status(pid), 0, "a process allocates two pages, maps one");
	is(lp_pages(fd), before, "... and its exit frees both");

	fd2 = lp_open();
	for (i = 0; i < LP_MAXPAGES && lp_alloc(fd2) > 0; i++)
		;
	is(i, LP_MAXPAGES, "a client gets LP_MAXPAGES pages");
	ok(lp_alloc(fd2) < 0 && errno == EAGAIN, "... and then EAGAIN");
	close(fd2);
	is(lp_pages(fd), before, "close frees the client's pages");

	is(lp_free(fd, k1), 0, "LP_FREE of a mapped page");
	ok(lp_maps(fd, k1) == -ENXIO && lp_pages(fd) == before,
	   "... forgets its key but keeps the page while mapped");
	a[0] = 7;
	ok(a[0] == 7, "the mapping still works");
	munmap((void *)a, pg);
	is(lp_pages(fd), before - 1, "its last munmap frees it");
}

int main(void)
{
	lockpg_ioc_t li = { 0 };
	volatile uint32_t *a;
	int64_t k1;
	int fd;

	pg = sysconf(_SC_PAGESIZE);
	fd = lp_open();
	k1 = lp_alloc(fd);
	a = test_map(fd, k1);
	test_span(fd, k1);
	test_processes(fd, k1, a);
	test_lifetime(fd, k1, a);
	is(ioctl(fd, LP_ALLOC + 100, &li) == -1 ? errno : 0, ENOTTY,
	   "an unknown ioctl: ENOTTY");
	close(fd);
	fd = lp_open();
	is(lp_pages(fd), 0, "after the last close no page is left");
	close(fd);
	printf("1..%d\n", ntests);
	return nfailed != 0;
}
