// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-guest tests of the example drivers other than xx: kmctx (kernel
 * memory: a shared page and a context page, with the context hold
 * measured), mregion (three discontiguous regions of ivshmem-plain and
 * kernel memory in one mmap, cache modes, revoke and restore, of every
 * piece of 80 mappings cut by holes), mdlegacy
 * (the legacy ddi_mapdev interface); the ioctls that act on every user
 * of kmctx or mregion are refused to an unprivileged process.  Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kmctx.h"
#include "mdlegacy.h"
#include "mregion.h"
#include "ktap.h"

#define RW (PROT_READ | PROT_WRITE)

static void *map_dev(const char *path, size_t len, int *fdp)
{
	int fd = open(path, O_RDWR);
	void *va = fd < 0 ? MAP_FAILED : mmap(NULL, len, RW, MAP_SHARED, fd, 0);

	if (va == MAP_FAILED) {
		perror(path);
		exit(2);
	}
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return va;
}

/* Children that write their id into @off and check it, until @ms pass. */
static double contend_ms; /* how long the last contend() took */

static double ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int contend(const char *path, size_t len, size_t off, int n, int ms)
{
	double start = ms_now();
	int bad = 0, status;

	for (int i = 0; i < n; i++) {
		if (fork())
			continue;
		volatile uint32_t *w =
			(uint32_t *)((char *)map_dev(path, len, NULL) + off);
		struct timespec t0, t;
		int wrong = 0;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			for (int k = 0; k < 64; k++) {
				w[k] = (uint32_t)(i + 1) << 16 | (uint32_t)k;
				wrong += w[k] != ((uint32_t)(i + 1) << 16 |
						  (uint32_t)k);
			}
			clock_gettime(CLOCK_MONOTONIC, &t);
		} while ((t.tv_sec - t0.tv_sec) * 1000 +
				 (t.tv_nsec - t0.tv_nsec) / 1000000 <
			 ms);
		_exit(wrong ? 1 : 0);
	}
	for (int i = 0; i < n; i++) {
		wait(&status);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	contend_ms = ms_now() - start;
	return bad;
}

static unsigned long km_switches(int fd)
{
	unsigned long n = 0;

	ioctl(fd, KM_SWITCHES, &n);
	return n;
}

static void test_kmctx(void)
{
	int fd;
	char *a = map_dev("/dev/kmctx0", KM_SIZE, &fd);
	char *b = map_dev("/dev/kmctx0", KM_SIZE, NULL);
	unsigned long s0, s1, s2;

	*(volatile uint32_t *)(a + KM_SHARED_OFF) = 0xabcd;
	ok(*(volatile uint32_t *)(b + KM_SHARED_OFF) == 0xabcd,
	   "kmctx: the shared page is the same memory in every mapping");
	*(volatile uint32_t *)(a + KM_CTX_OFF) = 1;
	*(volatile uint32_t *)(b + KM_CTX_OFF) = 2;
	ok(*(volatile uint32_t *)(a + KM_CTX_OFF) == 1 &&
		   *(volatile uint32_t *)(b + KM_CTX_OFF) == 2,
	   "kmctx: the context page is each mapping's own");
	munmap(a, KM_SIZE);
	munmap(b, KM_SIZE);
	s0 = km_switches(fd);
	ok(contend("/dev/kmctx0", KM_SIZE, KM_CTX_OFF, 4, 300) == 0,
	   "kmctx: 4 processes contending, no hold: each saw only its context");
	s1 = km_switches(fd);
	ioctl(fd, KM_SET_HOLD, 25); /* 100 ms at HZ=250 */
	ok(contend("/dev/kmctx0", KM_SIZE, KM_CTX_OFF, 4, 300) == 0,
	   "kmctx: 4 processes contending, 25-tick hold: each saw only its context");
	s2 = km_switches(fd);
	ioctl(fd, KM_SET_HOLD, 0);
	printf("# kmctx contention, 4 processes x 300 ms: %lu switches without a hold, %lu with a 25-tick hold\n",
	       s1 - s0, s2 - s1);
	/* a hold of 100 ms allows one switch per 100 ms, plus each
	 * process's first, whatever the load on the machine */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		printf("ok %d # SKIP one CPU: the context hold is off (as in Solaris)\n",
		       ++ntests);
	else
		ok(s2 - s1 <= (unsigned long)(contend_ms / 100) + 4 + 1,
		   "kmctx: with a hold, at most one switch per hold time");
	close(fd);
}

static int pat_wc(void)
{
	FILE *f = fopen("/sys/kernel/debug/x86/pat_memtype_list", "r");
	char line[256];
	int wc = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		wc += strstr(line, "write-combining") != NULL;
	fclose(f);
	return wc;
}

static sigjmp_buf fault_jmp;

static void on_segv(int sig __attribute__((unused)))
{
	siglongjmp(fault_jmp, 1);
}

/* Does reading @va raise SIGSEGV in this process? */
static int faults(const void *va)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	int hit = 0;

	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(fault_jmp, 1) == 0)
		(void)*(volatile const uint32_t *)va;
	else
		hit = 1;
	sigaction(SIGSEGV, &old, NULL);
	return hit;
}

static void touch_shm(void *va)
{
	(void)*(volatile uint32_t *)((char *)va + MR_SHM_OFF);
}

static int in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void test_mregion(void)
{
	int fd, wc;
	char *a = map_dev("/dev/mregion0", MR_SIZE, &fd);
	char *b = map_dev("/dev/mregion0", MR_SIZE, NULL);
	volatile uint32_t *regs = (uint32_t *)(a + MR_REGS_OFF);
	int same = 1;

	regs[0] = 0x5a; /* ivshmem IntrMask */
	ok(regs[0] == 0x5a, "mregion: region 1 is ivshmem's register BAR");
	*(volatile uint32_t *)(a + MR_KMEM_OFF) = 0x1234;
	ok(*(volatile uint32_t *)(b + MR_KMEM_OFF) == 0x1234,
	   "mregion: region 2 is the driver's kernel memory");
	for (int i = 0; i < MR_SHM_LEN / 4; i += 1024)
		((volatile uint32_t *)(a + MR_SHM_OFF))[i] = 0xc0000000u | i;
	for (int i = 0; i < MR_SHM_LEN / 4; i += 1024)
		same &= ((volatile uint32_t *)(b + MR_SHM_OFF))[i] ==
			(0xc0000000u | i);
	ok(same, "mregion: region 3 is ivshmem's shared-memory BAR (16 pages)");
	wc = pat_wc();
	if (wc < 0)
		printf("ok %d # SKIP no /sys/kernel/debug/x86/pat_memtype_list\n",
		       ++ntests);
	else
		ok(wc > 0,
		   "mregion: a write-combining memory type is reserved (the driver's WC map of BAR2)");
	ok(ioctl(fd, MR_REVOKE, 0) == 0, "mregion: revoke the memory BAR");
	ok(faults(a + MR_SHM_OFF),
	   "mregion: after devmap_devmem_remap to MAPPING_INVALID this process's own access -> SIGSEGV");
	ok(in_child(touch_shm, a) == SIGSEGV,
	   "mregion: ... and a fork child's");
	ok(*(volatile uint32_t *)(a + MR_KMEM_OFF) == 0x1234,
	   "mregion: ... the other regions still work");
	ok(ioctl(fd, MR_RESTORE, 0) == 0 &&
		   ((volatile uint32_t *)(a + MR_SHM_OFF))[1024] ==
			   (0xc0000000u | 1024),
	   "mregion: remapped back, the memory BAR is there again");
	munmap(a + MR_SHM_OFF, MR_PAGE); /* the head of the BAR2 window */
	ioctl(fd, MR_REVOKE, 0);
	ok(faults(a + MR_SHM_OFF + 4 * 1024),
	   "mregion: revoke follows a partial munmap");
	ioctl(fd, MR_RESTORE, 0);
	ok(((volatile uint32_t *)(a + MR_SHM_OFF))[1024] ==
		   (0xc0000000u | 1024),
	   "mregion: ... and restore maps what is left at the right place");
	munmap(a, MR_SIZE);
	munmap(b, MR_SIZE);
	close(fd);
}

static void test_mdlegacy(void)
{
	int fd, status;
	struct md_stats s0, s1;
	volatile uint32_t *a, *b;

	a = map_dev("/dev/mdlegacy0", MD_PAGE, &fd);
	b = map_dev("/dev/mdlegacy0", MD_PAGE, NULL);
	ioctl(fd, MD_STATS, &s0);
	int bad = 0;

	for (uint32_t i = 0; i < 50; i++) {
		a[0] = i;
		b[0] = ~i;
		bad += a[0] != i || b[0] != ~i;
	}
	ioctl(fd, MD_STATS, &s1);
	ok(bad == 0,
	   "mdlegacy: two mappings taking turns each see only their context");
	ok(s1.switches - s0.switches == 200,
	   "mdlegacy: intercept/nointercept switched the context at every access");
	pid_t pid = fork();

	if (pid == 0)
		_exit(a[0] == 49 ? 0 : 1);
	waitpid(pid, &status, 0);
	ioctl(fd, MD_STATS, &s0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		   s0.dups == s1.dups + 2,
	   "mdlegacy: fork calls mapdev_dup (per mapping); the child starts with its parent's context");
	ok(s0.frees == s1.frees + 2,
	   "mdlegacy: the child's exit calls mapdev_free per mapping");
	errno = 0;
	ok(mmap(NULL, 2 * MD_PAGE, RW, MAP_SHARED, fd, 0) == MAP_FAILED &&
		   errno == EINVAL,
	   "mdlegacy: its segmap(9E) refuses a length it does not map");
	munmap((void *)a, MD_PAGE);
	munmap((void *)b, MD_PAGE);
	close(fd);
}

/*
 * KM_SET_HOLD (the hold every later mapping gets: one of LONG_MAX ticks
 * keeps the context from everyone else for good) and MR_REVOKE/MR_RESTORE
 * (every process's mapping of the BAR: SIGSEGV for all of them) act on
 * every user of the device: an unprivileged opener gets EPERM.  The
 * read-only KM_SWITCHES stays open to it.
 */
static void test_admin_priv(void)
{
	int kfd = open("/dev/kmctx0", O_RDWR),
	    mfd = open("/dev/mregion0", O_RDWR);
	int status = -1;
	pid_t pid;

	if (kfd < 0 || mfd < 0) {
		perror("open");
		exit(2);
	}
	pid = fork();
	if (pid == 0) {
		unsigned long n;
		int hold, revoke, restore, sw;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		hold = ioctl(kfd, KM_SET_HOLD, 0x7fffffffffffffffL) ? errno : 0;
		revoke = ioctl(mfd, MR_REVOKE, 0) ? errno : 0;
		restore = ioctl(mfd, MR_RESTORE, 0) ? errno : 0;
		sw = ioctl(kfd, KM_SWITCHES, &n) ? errno : 0;
		_exit(hold == EPERM && revoke == EPERM && restore == EPERM &&
				      sw == 0 ?
			      0 :
			      1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "kmctx KM_SET_HOLD, mregion MR_REVOKE/MR_RESTORE by an unprivileged process: EPERM (KM_SWITCHES: allowed)");
	ioctl(kfd, KM_SET_HOLD, 0); /* whatever happened above */
	ioctl(mfd, MR_RESTORE, 0);
	close(kfd);
	close(mfd);
}

/*
 * mregion tracks every BAR2 piece without a fixed table: more mappings
 * than its old 64 slots, each cut by holes into pieces, all map, and a
 * revoke reaches every piece (with a full table, pieces were left out of
 * revoke and still read the BAR afterwards).
 */
static void test_mregion_pieces(void)
{
	enum { MAPS = 80 };
	char *m[MAPS];
	int fd = open("/dev/mregion0", O_RDWR), n, missed = 0;

	if (fd < 0) {
		skip("no /dev/mregion0");
		return;
	}
	for (n = 0; n < MAPS; n++) {
		m[n] = mmap(NULL, MR_SIZE, RW, MAP_SHARED, fd, 0);
		if (m[n] == MAP_FAILED)
			break;
	}
	is(n, MAPS, "mregion: 80 mappings (more than a fixed table of 64) map");
	for (int i = 0; i < n; i++)
		for (int pg = MR_SHM_LEN / MR_PAGE - 2; pg >= 2; pg -= 2)
			munmap(m[i] + MR_SHM_OFF + pg * MR_PAGE, MR_PAGE);
	if (ok(ioctl(fd, MR_REVOKE, 0) == 0,
	       "mregion: revoke with 80 mappings cut into 8 pieces each")) {
		for (int i = 0; i < n; i++)
			for (int pg = 1; pg < MR_SHM_LEN / MR_PAGE; pg += 2)
				missed += !faults(m[i] + MR_SHM_OFF +
						  pg * MR_PAGE);
		is(missed, 0, "mregion: every piece of every mapping faults");
	}
	ok(ioctl(fd, MR_RESTORE, 0) == 0 &&
		   !faults(m[0] + MR_SHM_OFF + (MR_SHM_LEN - MR_PAGE)),
	   "mregion: restored, the last piece reads the BAR again");
	for (int i = 0; i < n; i++)
		munmap(m[i], MR_SIZE);
	close(fd);
}

int main(void)
{
	test_kmctx();
	test_mregion();
	test_mdlegacy();
	test_admin_priv();
	test_mregion_pieces();
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
