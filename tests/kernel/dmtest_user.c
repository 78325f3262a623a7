// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The in-guest tests of devmap.ko: real processes mapping /dev/dmtest0 and
 * faulting on it.  Prints TAP.  `dmtest_user` runs everything; `dmtest_user
 * model` only the data-model check (the 32-bit build runs that); `hold`
 * maps the device and sleeps (for the rmmod check).
 *
 * Who has a valid translation (a present page table entry) is asked of the
 * driver while every other process is stopped at a pipe, so the one-owner
 * invariant is checked at instants where nothing moves.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmtest_user.h"
#include "ktap.h"
#include "vmstat_user.h"

#define P DMT_PAGE
#define RW (PROT_READ | PROT_WRITE)

static struct dmt_stats stats(int fd)
{
	struct dmt_stats s;

	memset(&s, 0, sizeof(s));
	ioctl(fd, DMT_GET_STATS, &s);
	return s;
}

static void *map(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

/* Run @fn in a child; returns the signal that killed it, or 0. */
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

static void touch_write(void *va)
{
	*(volatile uint32_t *)va = 1;
}

static void test_model(void)
{
	int fd = dev_open();
	void *va = map(fd, P, RW, MAP_SHARED, 0);

	is(stats(fd).last_model, sizeof(long) == 4 ? 0x00100000 : 0x00200000,
	   sizeof(long) == 4 ?
		   "row 6: a 32-bit process maps with DDI_MODEL_ILP32" :
		   "row 6: a 64-bit process maps with DDI_MODEL_LP64");
	munmap(va, P);
	close(fd);
}

static void test_mmap_rules(void)
{
	int fd = dev_open();
	void *va;

	ioctl(fd, DMT_RESET, 0);
	va = map(fd, DMT_PAGES * P, RW, MAP_SHARED, 0);
	ok(va != MAP_FAILED, "mmap of the whole device");
	((volatile uint32_t *)va)[P / 4 + 1] = 0x1234;
	is(((volatile uint32_t *)va)[P / 4 + 1], 0x1234,
	   "a page of the mapping reads back what was written");
	is(stats(fd).maps, 1, "row 14: devmap_map called once");
	munmap(va, DMT_PAGES * P);
	errno = 0;
	is(map(fd, P, RW, MAP_SHARED, DMT_PAGES * P) == MAP_FAILED ? errno : 0,
	   ENXIO, "offset beyond the device -> ENXIO");
	errno = 0;
	is(map(fd, P, RW, MAP_PRIVATE, 0) == MAP_FAILED ? errno : 0, EINVAL,
	   "writable MAP_PRIVATE -> EINVAL");
	va = map(fd, P, PROT_READ, MAP_PRIVATE, 0);
	ok(va != MAP_FAILED &&
		   *(volatile uint32_t *)va == *(volatile uint32_t *)va,
	   "row 17: read-only MAP_PRIVATE maps and reads");
	munmap(va, P);
	va = map(fd, 2 * P, RW, MAP_SHARED, 0);
	is(mprotect(va, 2 * P, PROT_READ | PROT_EXEC) ? errno : 0, EACCES,
	   "row 44: mprotect beyond the driver's maxprot -> EACCES");
	is(mprotect(va, P, PROT_READ), 0, "row 44: mprotect read-only works");
	int before = stats(fd).accesses;
	is(in_child(touch_write, va), SIGSEGV,
	   "row 22: a write to a read-only page -> SIGSEGV");
	is(stats(fd).accesses, before,
	   "row 22: ... without calling the driver");
	int unmaps = stats(fd).unmaps;
	void *moved = mremap(va, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     (char *)va + 64 * P);
	ok(moved == MAP_FAILED,
	   "mremap across two VMAs (after mprotect) is refused");
	ok(stats(fd).unmaps == unmaps && *(volatile uint32_t *)va == 0,
	   "... and the mapping is intact, no devmap_unmap called");
	munmap(va, 2 * P);
	close(fd);
}

/*
 * mremap that moves a mapping (same size): translations, valid bits and
 * context ownership move with it, and a switch afterwards still revokes
 * the old owner at its new address.  Growing stays refused; a move that
 * would cut a handle is refused and moves nothing.
 */
static void test_mremap_move(void)
{
	int fd = dev_open(), unmaps, status;
	volatile uint32_t *va = map(fd, 2 * P, RW, MAP_SHARED, 0), *to;
	char *target = (char *)va + 256 * P;
	pid_t pid;

	ioctl(fd, DMT_RESET, 0);
	va[0] = 0xa11ce001;
	unmaps = stats(fd).unmaps;
	is((long)mremap((void *)va, 2 * P, 2 * P, MREMAP_MAYMOVE), (long)va,
	   "mremap: MREMAP_MAYMOVE at the same size stays where it is");
	to = mremap((void *)va, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
		    target);
	if (!ok(to == (void *)target,
		"mremap: MREMAP_FIXED moves the mapping")) {
		munmap((void *)va, 2 * P);
		close(fd);
		return;
	}
	is(present(getpid(), (void *)to), DMT_PRESENT_PAGE,
	   "mremap: the owner's translation moved with it");
	is(to[0], 0xa11ce001,
	   "mremap: the owner reads its context at the new address");
	is(stats(fd).unmaps, unmaps, "mremap: no devmap_unmap for a move");
	pid = fork();
	if (pid == 0) {
		int cfd = dev_open();
		volatile uint32_t *b = map(cfd, P, RW, MAP_SHARED, 0);

		b[0] = 0xb0b0b0b0; /* takes the context */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	is(present(getpid(), (void *)to), 0,
	   "mremap: a switch after the move revokes the old owner at the new address");
	is(to[0], 0xa11ce001, "mremap: and it gets its own context back there");
	errno = 0;
	ok(mremap((void *)to, 2 * P, 3 * P, MREMAP_MAYMOVE) == MAP_FAILED,
	   "mremap: growing is refused");
	errno = 0;
	ok(mremap((void *)to, P, P, MREMAP_MAYMOVE | MREMAP_FIXED,
		  target + 64 * P) == MAP_FAILED &&
		   errno == EINVAL,
	   "mremap: moving part of a handle is refused (EINVAL)");
	is(to[0], 0xa11ce001, "mremap: ... and the mapping is where it was");
	munmap((void *)to, 2 * P);
	close(fd);
}

/* Child side of the ping-pong: wait for a turn, check, write, report. */
static void pp_child(int id, int in, int out, volatile uint32_t *page)
{
	uint32_t gen = 0, bad = 0;
	char c;

	while (read(in, &c, 1) == 1 && c == 'g') {
		for (int r = 0; r < 16; r++)
			bad += page[r] !=
			       (gen ? ((uint32_t)id << 24 | gen) : 0);
		gen++;
		for (int r = 0; r < 16; r++)
			page[r] = (uint32_t)id << 24 | gen;
		c = bad ? 'b' : 'o';
		if (write(out, &c, 1) != 1)
			break;
	}
	_exit(bad ? 1 : 0);
}

static void test_pingpong(int n, int rounds, long hold)
{
	int fd = dev_open(), to[8][2], from[2], bad_owner = 0, bad_state = 0;
	void *va[8];
	pid_t pid[8];
	char name[128], c;
	unsigned int seed = 7;

	ioctl(fd, DMT_RESET, 0);
	ioctl(fd, DMT_SET_HOLD, hold);
	if (pipe(from))
		exit(2);
	for (int i = 0; i < n; i++) {
		if (pipe(to[i]))
			exit(2);
		va[i] = map(fd, P, RW, MAP_SHARED, 0);
		pid[i] = fork();
		if (pid[i] == 0)
			pp_child(i + 1, to[i][0], from[1], va[i]);
		munmap(va[i], P); /* the parent keeps no copy */
	}
	for (int r = 0; r < rounds; r++) {
		int i = (int)((seed = seed * 1103515245u + 12345u) >> 16) % n;
		int owners = 0;

		if (write(to[i][1], "g", 1) != 1 || read(from[0], &c, 1) != 1)
			break;
		bad_state += c != 'o';
		for (int k = 0; k < n; k++)
			owners += present(pid[k], va[k]) == DMT_PRESENT_PAGE;
		bad_owner += owners != 1 ||
			     present(pid[i], va[i]) != DMT_PRESENT_PAGE;
	}
	for (int i = 0; i < n; i++) {
		if (write(to[i][1], "q", 1) != 1)
			kill(pid[i], SIGKILL);
		waitpid(pid[i], NULL, 0);
		close(to[i][0]);
		close(to[i][1]);
	}
	snprintf(
		name, sizeof(name),
		"%d processes, hold %ld: after every access only the accessing process has a valid translation",
		n, hold);
	is(bad_owner, 0, name);
	snprintf(
		name, sizeof(name),
		"%d processes, hold %ld: each process read back only its own context",
		n, hold);
	is(bad_state, 0, name);
	snprintf(name, sizeof(name), "%d processes: the context switched", n);
	ok(stats(fd).switches >= n, name);
	close(from[0]);
	close(from[1]);
	close(fd);
}

/*
 * Is process @pid asleep in devmap's wait for a held context?  Its
 * /proc/PID/wchan names the function it sleeps in; polled for at most
 * 20 s (a bound on a failure, not a timing assertion).
 */
static int queued(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	return ctx_waits(path);
}

/*
 * Processes waiting for a held context get it in the order they came:
 * A switches (a hold of 2500 ticks starts), then B, C and D touch the
 * context, each only once the one before sleeps in the wait; A's munmap
 * ends the hold; each notes when its access is done.  First come, first
 * served means B, C, D (with waiters racing at the hold's end, as in
 * Solaris, 1 run in 4 would).
 */
static void test_hold_fifo(void)
{
	int fd = dev_open(), order[3] = { -1, -1, -1 }, came = 1;
	volatile int *seq =
		mmap(NULL, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile uint32_t *a;
	pid_t pid[3];

	ioctl(fd, DMT_RESET, 0);
	ioctl(fd, DMT_SET_HOLD, 2500);
	a = map(fd, P, RW, MAP_SHARED, 0);
	a[0] = 0xa; /* A owns it; its hold starts */
	for (int i = 0; i < 3; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			volatile uint32_t *c = map(fd, P, RW, MAP_SHARED, 0);

			c[0] = 0xb + (uint32_t)i; /* waits its turn */
			seq[1 + i] =
				__atomic_fetch_add(seq, 1, __ATOMIC_SEQ_CST);
			_exit(0);
		}
		came &= queued(pid[i]);
	}
	ok(came, "held context: B, C and D each wait, one after the other");
	munmap((void *)a, P); /* the hold ends with A's mapping */
	for (int i = 0; i < 3; i++)
		waitpid(pid[i], NULL, 0);
	for (int i = 0; i < 3; i++)
		order[i] = seq[1 + i];
	if (!ok(order[0] == 0 && order[1] == 1 && order[2] == 2,
		"held context: waiters get it in the order they came (B, C, D)"))
		printf("#   B, C, D came %d, %d, %d\n", order[0], order[1],
		       order[2]);
	ioctl(fd, DMT_SET_HOLD, 0);
	munmap((void *)seq, P);
	close(fd);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * A process's own switches inside its hold do not extend the hold: A
 * switches between two mappings of the device (two contexts' handles on
 * one context record) until B, faulting once meanwhile, got the context
 * (at most 20 s); B must get it while A is still at it.
 */
static void test_hold_not_extended(void)
{
	int fd = dev_open();
	volatile int *flag =
		mmap(NULL, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile uint32_t *m1, *m2;
	pid_t pid;

	ioctl(fd, DMT_RESET, 0);
	ioctl(fd, DMT_SET_HOLD, 25);
	m1 = map(fd, P, RW, MAP_SHARED, 0);
	m2 = map(fd, P, RW, MAP_SHARED, 0);
	m1[0] = 1;
	pid = fork();
	if (pid == 0) {
		volatile uint32_t *b = map(fd, P, RW, MAP_SHARED, 0);

		usleep(20000);
		b[0] = 2; /* waits for A's hold to end */
		flag[1] = !flag[0]; /* 1: got it while A was still switching */
		flag[2] = 1;
		_exit(0);
	}
	/* until B has it; 20 s bound a failure, not a timing assertion */
	for (double end = now_s() + 20; !flag[2] && now_s() < end;) {
		m1[1] += 1;
		m2[1] += 1;
	}
	flag[0] = 1;
	waitpid(pid, NULL, 0);
	ok(flag[1] == 1,
	   "held context: the holder's own switches do not extend its hold (B got it while A went on)");
	ioctl(fd, DMT_SET_HOLD, 0);
	munmap((void *)m1, P);
	munmap((void *)m2, P);
	munmap((void *)flag, P);
	close(fd);
}

static void test_fork(void)
{
	int fd = dev_open(), status;
	volatile uint32_t *va = map(fd, P, RW, MAP_SHARED, 0);
	int pipefd[2];
	pid_t pid;
	char c;

	ioctl(fd, DMT_RESET, 0);
	va[0] = 42; /* the parent owns the context */
	if (pipe(pipefd))
		exit(2);
	pid = fork();
	if (pid == 0) {
		if (read(pipefd[0], &c, 1) != 1)
			_exit(3);
		_exit(va[0] == 42 ? 0 : 1);
	}
	is(stats(fd).dups, 1, "row 37: fork calls devmap_dup");
	is(present(pid, (void *)va), 0,
	   "row 37: the child starts with no valid translation");
	is(present(getpid(), (void *)va), DMT_PRESENT_PAGE,
	   "row 37: the parent keeps its own");
	int before = stats(fd).accesses;
	if (write(pipefd[1], "g", 1) != 1)
		exit(2);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "row 37: the child reads the context it inherited");
	ok(stats(fd).accesses > before,
	   "row 37: ... through devmap_access on its first touch");
	is(present(getpid(), (void *)va), 0,
	   "row 37: ... which took the context from the parent");
	is(va[0], 42, "row 37: the parent gets its context back");
	munmap((void *)va, P);
	close(fd);
}

/*
 * Linux cannot fail a fork from the VMA's open: a child whose devmap_dup
 * failed keeps the mapping but every access to it raises SIGBUS.
 */
static void test_fork_dup_fails(void)
{
	int fd = dev_open(), status;
	volatile uint32_t *va = map(fd, 2 * P, RW, MAP_SHARED, 0);
	pid_t pid;

	va[P / 4] = 9;
	ioctl(fd, DMT_FAIL_DUP, 0);
	pid = fork();
	if (pid == 0)
		_exit(va[P / 4] == 9 ? 0 : 1);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	   "row 37: a failed devmap_dup: the fork succeeds, the child's access -> SIGBUS");
	is(va[P / 4], 9, "row 37: ... the parent's mapping is untouched");
	munmap((void *)va, 2 * P);
	close(fd);
}

/*
 * The pages are written through a second mapping and first touched in the
 * cut one only after each cut, so the faults use the new geometry.
 */
static void test_partial_unmap(void)
{
	int fd = dev_open();
	char *va = map(fd, DMT_PAGES * P, RW, MAP_SHARED, 0);
	char *w = map(fd, DMT_PAGES * P, RW, MAP_SHARED, 0);
	struct dmt_unmap u;

	for (int i = 1; i < DMT_PAGES; i++)
		*(volatile uint32_t *)(w + i * P) = 0x100 + i;
	munmap(va + 3 * P, 2 * P);
	ioctl(fd, DMT_LAST_UNMAP, &u);
	ok(u.off == 3 * P && u.len == 2 * P && u.n1_is_dhp && u.n2_new,
	   "row 42: hole munmap -> devmap_unmap(off, len, dhp, new handle)");
	ok(*(volatile uint32_t *)(va + 5 * P) == 0x105 &&
		   *(volatile uint32_t *)(va + 2 * P) == 0x102,
	   "row 42: both sides of the hole then fault in their own pages");
	munmap(va + 6 * P, 2 * P);
	ioctl(fd, DMT_LAST_UNMAP, &u);
	ok(u.off == 6 * P && u.len == 2 * P && u.n1_is_dhp && !u.n2_new &&
		   !u.n2_is_dhp,
	   "row 41: tail munmap -> devmap_unmap(off, len, dhp, NULL)");
	munmap(va, P);
	ioctl(fd, DMT_LAST_UNMAP, &u);
	ok(u.off == 0 && u.len == P && u.n2_is_dhp && !u.n1_is_dhp,
	   "row 40: head munmap -> devmap_unmap(off, len, NULL, dhp)");
	is(*(volatile uint32_t *)(va + P), 0x101,
	   "row 40: after the head unmap the rest faults in the same pages");
	munmap(va, DMT_PAGES * P);
	munmap(w, DMT_PAGES * P);
	close(fd);
}

/*
 * devmap_load(9F) of a range inside a fault installs the range's pages in
 * that one fault (3-page context): the driver is asked once, and every
 * page is present at once; loading only the faulting page installs only
 * that one.
 */
static int pages_present(const char *va, int n)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		k += present(getpid(), va + i * P) == DMT_PRESENT_PAGE;
	return k;
}

static void test_whole_load(void)
{
	int fd = dev_open();
	struct dmt_stats s0, s1;
	char *va;

	ioctl(fd, DMT_SET_CTX_PAGES, 3);
	ioctl(fd, DMT_LOAD_WHOLE, 1);
	va = map(fd, 3 * P, RW, MAP_SHARED, 0);
	ioctl(fd, DMT_GET_STATS, &s0);
	*(volatile uint32_t *)(va + P) = 1; /* the switch, from page 1 */
	is(pages_present(va, 3), 3,
	   "whole-context load: a switch that loads 3 pages installs all 3 in its fault");
	*(volatile uint32_t *)va = 2;
	*(volatile uint32_t *)(va + 2 * P) = 3;
	ioctl(fd, DMT_GET_STATS, &s1);
	is(s1.accesses - s0.accesses, 1,
	   "whole-context load: devmap_access(9E) ran once for the 3 pages");
	munmap(va, 3 * P);
	ioctl(fd, DMT_LOAD_WHOLE, 0);
	va = map(fd, 3 * P, RW, MAP_SHARED, 0);
	*(volatile uint32_t *)(va + P) = 1;
	is(pages_present(va, 3), 1,
	   "whole-context load: a driver loading the faulting page installs only it");
	munmap(va, 3 * P);
	ioctl(fd, DMT_SET_CTX_PAGES, 1);
	close(fd);
}

static void own_and_exit(void *arg)
{
	*(volatile uint32_t *)arg = 7;
}

static void test_exit_while_owner(void)
{
	int fd = dev_open(), status;
	void *va = map(fd, P, RW, MAP_SHARED, 0);
	pid_t pid;

	ioctl(fd, DMT_RESET, 0);
	in_child(own_and_exit, va);
	is(stats(fd).owner_pid, 0,
	   "exit while owning the context clears the owner");
	*(volatile uint32_t *)va = 1;
	is(stats(fd).owner_pid, getpid(), "... and another process takes it");
	pid = fork();
	if (pid == 0) {
		*(volatile uint32_t *)va = 7;
		pause();
		_exit(0);
	}
	while (stats(fd).owner_pid != pid)
		usleep(1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	is(stats(fd).owner_pid, 0,
	   "kill -9 while owning the context clears the owner");
	*(volatile uint32_t *)va = 2;
	is(stats(fd).owner_pid, getpid(),
	   "... and the context is usable again");
	munmap(va, P);
	close(fd);
}

static void test_sigbus(void)
{
	int fd = dev_open(), pipefd[2], status;
	char *va = map(fd, 2 * P, RW, MAP_SHARED, 0);
	pid_t pid;
	char c;

	if (pipe(pipefd))
		exit(2);
	pid = fork();
	if (pid == 0) {
		if (read(pipefd[0], &c, 1) != 1)
			_exit(3);
		*(volatile uint32_t *)(va + P) = 1;
		_exit(0);
	}
	ioctl(fd, DMT_FAIL_PID, pid);
	if (write(pipefd[1], "g", 1) != 1)
		exit(2);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	   "row 21: a driver access error -> SIGBUS in that process");
	*(volatile uint32_t *)(va + P) = 5;
	is(*(volatile uint32_t *)(va + P), 5, "row 21: ... and nothing else");
	ioctl(fd, DMT_FAIL_PID, getpid());
	munmap(va, 2 * P);
	va = map(fd, 2 * P, RW, MAP_SHARED, 0);
	errno = 0;
	is(write(pipefd[1], va + P, 4) < 0 ? errno : 0, EFAULT,
	   "row 21: a kernel copyin from such a page -> EFAULT, no signal");
	ioctl(fd, DMT_FAIL_PID, 0);
	munmap(va, 2 * P);
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
}

static void test_procmem_and_gup(void)
{
	int fd = dev_open(), go[2], ready[2], mfd;
	char *va = map(fd, 2 * P, RW, MAP_SHARED, 0), path[64];
	uint32_t got = 0;
	pid_t pid;
	char c;

	*(volatile uint32_t *)(va + P + 8) = 0xfeedbeef;
	if (pipe(go) || pipe(ready))
		exit(2);
	pid = fork();
	if (pid == 0) { /* touches page 1 (now valid for it), not page 0 */
		c = (char)*(volatile uint32_t *)(va + P + 8);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(3);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		exit(2);
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	mfd = open(path, O_RDONLY);
	ok(mfd >= 0 &&
		   pread(mfd, &got, 4, (off_t)(uintptr_t)(va + P + 8)) == 4 &&
		   got == 0xfeedbeef,
	   "/proc/PID/mem reads a device mapping (vm_ops->access)");
	ok(pread(mfd, &got, 4, (off_t)(uintptr_t)va) < 0,
	   "/proc/PID/mem cannot read a context page the process does not own");
	close(mfd);
	errno = 0;
	is(syscall(SYS_futex, va + P + 8, FUTEX_WAIT, 0, NULL, NULL, 0) < 0 ?
		   errno :
		   0,
	   EFAULT,
	   "rows 33-36: no softlock on Linux: pinning devmap pages (a shared futex) fails with EFAULT");
	if (write(go[1], "g", 1) != 1)
		exit(2);
	waitpid(pid, NULL, 0);
	munmap(va, 2 * P);
	va = map(fd, P, PROT_READ, MAP_SHARED, 0);
	mfd = open("/proc/self/mem", O_RDWR);
	got = *(volatile uint32_t *)va; /* valid for this process now */
	ok(mfd >= 0 && pwrite(mfd, &got, 4, (off_t)(uintptr_t)va) < 0,
	   "/proc/self/mem cannot write a read-only device mapping");
	close(mfd);
	munmap(va, P);
	close(fd);
	for (int i = 0; i < 2; i++) {
		close(go[i]);
		close(ready[i]);
	}
}

static void test_close_vfork_fixed(void)
{
	int fd = dev_open();
	struct dmt_stats s;
	void *va;

	ioctl(fd, DMT_RESET, 0);
	va = map(fd, P, RW, MAP_SHARED, 0);
	close(fd); /* the mapping still holds the device open */
	fd = dev_open();
	is(stats(fd).closes, 0,
	   "row 39: close(2) before munmap does not close(9E) the device");
	close(fd);
	munmap(va, P); /* the last reference: close(9E) now */
	fd = dev_open();
	is(stats(fd).closes, 1, "row 39: ... close(9E) runs after the munmap");
	ioctl(fd, DMT_RESET, 0);
	va = map(fd, P, RW, MAP_SHARED, 0);
	pid_t pid = vfork();

	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	s = stats(fd);
	ok(s.dups == 0 && s.unmaps == 0,
	   "row 38: vfork + exec makes no devmap_dup or devmap_unmap");
	void *again = mmap(va, P, RW, MAP_SHARED | MAP_FIXED, fd, 0);
	ok(again == va && stats(fd).unmaps == 1,
	   "row 16: MAP_FIXED over a devmap mapping unmaps the old one");
	munmap(va, P);
	close(fd);
}

/*
 * close(9E) comes with the last close of each minor, clone minors too,
 * whatever their number: a clone open that returns minor 257 while
 * minor 1 is open must not hide minor 1's last close (a driver would keep
 * the client of minor 1 for ever).
 */
static void test_clone_minors(void)
{
	struct dmt_stats s0, s1, s2;
	int fd = dev_open(), a, b;

	ioctl(fd, DMT_CLONE_NEXT, 1);
	a = dev_open();
	ioctl(fd, DMT_CLONE_NEXT, 257);
	b = dev_open();
	ioctl(fd, DMT_GET_STATS, &s0);
	close(a);
	ioctl(fd, DMT_GET_STATS, &s1);
	if (!ok(s1.closes == s0.closes + 1 && s1.close_minor == 1,
		"clone minors 1 and 257 open: the last close of 1 calls close(9E) for 1"))
		printf("#   closes %d -> %d, last minor %d\n", s0.closes,
		       s1.closes, s1.close_minor);
	close(b);
	ioctl(fd, DMT_GET_STATS, &s2);
	ok(s2.closes == s1.closes + 1 && s2.close_minor == 257,
	   "... and the last close of 257, for 257");
	close(fd);
}

/*
 * Releases of locked memory from where the driver cannot sleep
 * (freerbuf(9F) with preemption off) go to devmap's worker: two processes
 * at once, 300 rounds of 8 bufs each, every one the last holder of its
 * pages by turns; then every pin is released, none twice (the debug
 * kernel's KASAN watches the worker), and nothing stays charged.  On
 * PREEMPT_RT the driver frees them with preemption on (dmtest.h): the
 * same count, without the worker.
 */
static void test_umem_deferred(void)
{
	long acq0 = vmstat("nr_foll_pin_acquired"),
	     rel0 = vmstat("nr_foll_pin_released"), acq, rel;
	int good = 0, status, i;
	pid_t pid[2];

	if (acq0 < 0 || rel0 < 0) {
		skip("no nr_foll_pin_* in /proc/vmstat");
		return;
	}
	for (int c = 0; c < 2; c++) {
		pid[c] = fork();
		if (pid[c] == 0) {
			int fd = dev_open();
			char *m = mmap(NULL, 4 * P, RW,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			struct dmt_umem_defer d = { .len = 4 * P,
						    .bufs = 8,
						    .rounds = 300 };

			if (m == MAP_FAILED)
				_exit(2);
			memset(m, c, 4 * P);
			d.addr = (uintptr_t)m;
			_exit(ioctl(fd, DMT_UMEM_DEFER, &d) ? 1 : 0);
		}
	}
	for (int c = 0; c < 2; c++) {
		waitpid(pid[c], &status, 0);
		good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	ok(good == 2,
	   "DMT_UMEM_DEFER: 2 x 300 rounds of bufs freed with preemption off "
	   "(on PREEMPT_RT: on)");
	for (i = 0; i < 100; i++) { /* the worker: up to 10 s */
		acq = vmstat("nr_foll_pin_acquired") - acq0;
		rel = vmstat("nr_foll_pin_released") - rel0;
		if (acq == rel)
			break;
		usleep(100000);
	}
	ok(acq == 2L * 300 * 4 && rel == acq,
	   "... every pin they took was released (by devmap's worker), once");
	if (acq != rel || acq != 2L * 300 * 4)
		printf("#   acquired %ld, released %ld\n", acq, rel);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "hold") == 0) {
		int fd = dev_open();

		*(volatile uint32_t *)map(fd, P, RW, MAP_SHARED, 0) = 1;
		close(fd); /* only the mapping holds the driver now */
		puts("holding");
		fflush(stdout);
		pause();
	}
	test_model();
	if (argc > 1 && strcmp(argv[1], "model") == 0)
		goto done;
	test_mmap_rules();
	test_mremap_move();
	test_pingpong(2, 200, 0);
	test_pingpong(8, 400, 0);
	test_pingpong(4, 100, 1);
	test_hold_fifo();
	test_hold_not_extended();
	test_fork();
	test_fork_dup_fails();
	test_partial_unmap();
	test_whole_load();
	test_exit_while_owner();
	test_sigbus();
	test_procmem_and_gup();
	test_close_vfork_fixed();
	test_umem_deferred();
	test_clone_minors();
done:
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
