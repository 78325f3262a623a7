// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Huge (2 MiB) translations of a 4 MiB context on /dev/hugetest0: a
 * switch loads each window with one huge entry where the kernel has them
 * (page entries elsewhere, which the checks then expect), and the
 * one-owner promise holds for huge entries: a switch, an mprotect that
 * splits one, a fork and a partial unmap leave the previous owner no
 * translation; a load that overlaps a window still mapped huge puts no
 * page entry under it (on 6.1 that entry would land in the data page,
 * where it is zero: the context starts zeroed and the checks write only
 * the first word of a page); a survivor of a partial unmap has no context
 * and its touch is a SIGBUS.
 * Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hugetest.h"
#include "ktap.h"
#include "present_user.h"

#define RW (PROT_READ | PROT_WRITE)
#define WIN (HT_PAGES / 2) /* pages of a 2 MiB window */

static int fd;
/* the kind a whole window gets: DMT_PRESENT_HUGE, or DMT_PRESENT_PAGE */
static int huge;

static int present(pid_t pid, volatile uint32_t *p)
{
	return present_ask(fd, HT_PRESENT, pid, p);
}

/* The context switches hugetest made so far, -1 if it cannot tell. */
static int switches(void)
{
	return ioctl(fd, HT_SWITCHES);
}

static volatile uint32_t *map_dev(void)
{
	void *p = mmap(NULL, HT_LEN, RW, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static volatile uint32_t *page(volatile uint32_t *m, int pg)
{
	return m + (size_t)pg * HT_PAGE / sizeof(*m);
}

/* Write @sig over the first word of pages [from, to). */
static void fill(volatile uint32_t *m, int from, int to, uint32_t sig)
{
	for (int pg = from; pg < to; pg++)
		*page(m, pg) = sig + (uint32_t)pg;
}

/* The pages of [from, to) whose first word is not @sig's. */
static int wrong(volatile uint32_t *m, int from, int to, uint32_t sig)
{
	int bad = 0;

	for (int pg = from; pg < to; pg++)
		bad += *page(m, pg) != sig + (uint32_t)pg;
	return bad;
}

/* The nonzero words of [p, p + n): a page entry written where data is. */
static int nonzero(volatile uint32_t *p, int n)
{
	int bad = 0;

	while (n--)
		bad += *p++ != 0;
	return bad;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* A child that maps the device, writes @sig everywhere (taking the
 * context), reports, and exits when told. */
static pid_t taker(uint32_t sig, int *go, int *done)
{
	int to[2], from[2];
	pid_t pid;

	if (pipe(to) || pipe(from))
		exit(2);
	pid = fork();
	if (pid == 0) {
		volatile uint32_t *m = map_dev();
		char c = 'x';

		if (!m)
			_exit(2);
		fill(m, 0, HT_PAGES, sig);
		if (present(getpid(), page(m, WIN)) != huge)
			_exit(5);
		if (write(from[1], &c, 1) != 1 || read(to[0], &c, 1) != 1)
			_exit(3);
		_exit(wrong(m, 0, HT_PAGES, sig) ? 4 : 0);
	}
	close(to[0]);
	close(from[1]);
	*go = to[1];
	*done = from[0];
	return pid;
}

/* Tell the taker to check and exit; its exit status (128 + a signal),
 * -1 if it cannot be told (it died early: its status then) or reaped. */
static int taker_wait(pid_t pid, int go, int done)
{
	int told = write(go, "x", 1) == 1; /* EPIPE when it died: SIG_IGN */
	int st;

	close(go);
	close(done);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return told || WEXITSTATUS(st) ? WEXITSTATUS(st) : -1;
}

/* Four pages of each window: the owner @pid's translations there. */
static int none_left(pid_t pid, volatile uint32_t *m)
{
	static const int pages[] = { 0, 1, WIN - 1, WIN, WIN + 7, HT_PAGES - 1 };
	int left = 0;

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		left += present(pid, page(m, pages[i])) != 0;
	return left;
}

static void test_load_and_switch(void)
{
	volatile uint32_t *m = map_dev();
	int go, done, rounds, sw;
	long flt;
	char c;

	if (!ok(m != NULL, "map the 4 MiB context"))
		return;
	if (huge == DMT_PRESENT_HUGE)
		is((uintptr_t)m % (2UL << 20), 0,
		   "the mapping is 2 MiB aligned (thp_get_unmapped_area)");
	else
		skip("no transparent huge pages: no 2 MiB aligned mapping "
		     "(thp_get_unmapped_area) to check");
	flt = minflt();
	fill(m, 0, HT_PAGES, 0xa0000000);
	/* a fault loads a 2 MiB window; unaligned, the windows are three */
	is(minflt() - flt, (uintptr_t)m % (2UL << 20) ? 3 : 2,
	   "writing all 1024 pages faults once per 2 MiB window it touches");
	is(present(getpid(), page(m, 0)), huge, "window 0: the kind expected");
	is(present(getpid(), page(m, HT_PAGES - 1)), huge,
	   "window 1: the kind expected");
	sw = switches();
	ok(sw >= 1, "HT_SWITCHES: the switch to this process was counted");
	for (rounds = 0; rounds < 3; rounds++) {
		pid_t pid = taker(0xb0000000 + (uint32_t)rounds * 0x1000000,
				  &go, &done);

		if (read(done, &c, 1) != 1) {
			is(taker_wait(pid, go, done), 0,
			   "the other process took the context (it died "
			   "before it said so)");
			break;
		}
		is(none_left(getpid(), m), 0,
		   "a switch leaves the previous owner no translation, huge or not");
		is(wrong(m, 0, HT_PAGES, 0xa0000000), 0,
		   "the previous owner gets its own context back, every page");
		is(taker_wait(pid, go, done), 0,
		   "the other process had its kind of entry and saw only its "
		   "own context");
	}
	/* per round: the other process takes the context, this one takes
	 * it back, the other takes it again for its last check */
	is(switches() - sw, 3 * 3,
	   "three rounds, three context switches each (HT_SWITCHES)");
	munmap((void *)m, HT_LEN);
}

static void test_mprotect_split(void)
{
	volatile uint32_t *m = map_dev();
	int go, done;
	pid_t pid;
	char c;

	if (!ok(m != NULL, "map for the mprotect split"))
		return;
	fill(m, 0, HT_PAGES, 0xc0000000);
	ok(mprotect((void *)m, 1 << 20, PROT_READ) == 0,
	   "mprotect the first 1 MiB read-only (splits window 0)");
	/* the split of a huge entry of a special mapping clears it; page
	 * entries stay, read-only where the mprotect covers them */
	is(present(getpid(), page(m, 0)),
	   huge == DMT_PRESENT_HUGE ? 0 : DMT_PRESENT_PAGE,
	   "window 0 after the split, before any access: no translation "
	   "where it was huge, its page entries where it was not");
	is(wrong(m, 0, HT_PAGES, 0xc0000000), 0,
	   "every page reads back after the split");
	is(present(getpid(), page(m, 300)), DMT_PRESENT_PAGE,
	   "window 0 refaults with page entries");
	is(present(getpid(), page(m, WIN)), huge, "window 1 keeps its kind");
	pid = taker(0xd0000000, &go, &done);
	if (read(done, &c, 1) == 1)
		is(none_left(getpid(), m), 0,
		   "a switch after the split leaves no translation");
	else
		ok(0, "a switch after the split: the other process died first");
	is(taker_wait(pid, go, done), 0, "the other process saw only its own");
	is(wrong(m, 0, HT_PAGES, 0xc0000000), 0,
	   "the split mapping gets its context back");
	munmap((void *)m, HT_LEN);
}

static void test_fork(void)
{
	volatile uint32_t *m = map_dev();
	int st = -1;
	pid_t pid;

	if (!ok(m != NULL, "map for fork"))
		return;
	fill(m, 0, HT_PAGES, 0xe0000000);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	is(present(pid, page(m, 0)), 0,
	   "a fork child inherits no huge entry of the owner's window 0");
	is(present(pid, page(m, WIN)), 0, "nor of window 1");
	is(present(getpid(), page(m, 0)), huge, "the parent keeps its own");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	munmap((void *)m, HT_LEN);
}

static void test_overlap(void)
{
	volatile uint32_t *m = map_dev();

	if (!ok(m != NULL, "map for the overlapping load"))
		return;
	fill(m, WIN, HT_PAGES, 0xf0000000); /* takes it: window 1 first */
	is(present(getpid(), page(m, WIN)), huge, "window 1 loaded first");
	is(present(getpid(), page(m, 0)), 0,
	   "window 0 not yet (a fault loads its own window)");
	ok(ioctl(fd, HT_UNLOAD, WIN) == 0, "the driver unloads window 0");
	ok(ioctl(fd, HT_LOAD_RANGE, (100 << 16) | WIN) == 0,
	   "the driver loads pages 100..611 on the next access");
	fill(m, 100, 101, 0xf0000000);
	ok(ioctl(fd, HT_LOAD_RANGE, -(1L << 16) | 1) == -1 && errno == EINVAL,
	   "HT_LOAD_RANGE from a negative page: EINVAL");
	ok(ioctl(fd, HT_LOAD_RANGE, HT_PAGES) == 0,
	   "the driver loads all pages again on an access");
	is(present(getpid(), page(m, 100)), DMT_PRESENT_PAGE,
	   "the partial window gets page entries");
	is(present(getpid(), page(m, WIN + 50)), huge,
	   "window 1 keeps its huge entry under the overlapping load");
	is(wrong(m, WIN, HT_PAGES, 0xf0000000) + nonzero(page(m, WIN) + 1, 255),
	   0, "no page entry was written into window 1's data");
	munmap((void *)m, HT_LEN);
}

static void test_partial_unmap(void)
{
	volatile uint32_t *m = map_dev();
	int st = -1;
	pid_t pid;

	if (!ok(m != NULL, "map for the partial unmap"))
		return;
	fill(m, 0, HT_PAGES, 0x10000000);
	ok(munmap((void *)page(m, WIN / 2), HT_LEN / 2) == 0,
	   "unmap the middle 2 MiB, across both windows");
	is(present(getpid(), page(m, 0)), 0,
	   "the first survivor has no translation left");
	is(present(getpid(), page(m, HT_PAGES - 1)), 0, "nor the second");
	pid = fork();
	if (pid == 0) { /* a survivor of its own, touched */
		volatile uint32_t *s = map_dev();

		if (!s)
			_exit(2);
		fill(s, 0, HT_PAGES, 0x20000000);
		if (munmap((void *)page(s, WIN / 2), HT_LEN / 2))
			_exit(3);
		alarm(10); /* a touch that refaults for ever: SIGALRM */
		*page(s, 0) = 1;
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
		   WTERMSIG(st) == SIGBUS,
	   "a survivor has no context: touched, SIGBUS (its devmap_access "
	   "returns ENOMEM)");
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGBUS)
		printf("#   status 0x%x\n", st);
	munmap((void *)m, HT_LEN);
}

/*
 * mremap moves huge entries whole to a 2 MiB aligned address and splits
 * (clears) them at any other; either way the moved mapping keeps its
 * context, and a switch afterwards leaves it no translation at its new
 * address, huge or not.
 */
static void test_mremap(int aligned)
{
	volatile uint32_t *m = map_dev(), *to;
	const char *kind = aligned ? "aligned" : "unaligned";
	char n[160];
	char *area;
	int go, done;
	pid_t pid;
	char c;

	if (!ok(m != NULL, "map for mremap"))
		return;
	fill(m, 0, HT_PAGES, 0x30000000);
	area = mmap(NULL, HT_LEN + (4UL << 20), PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		ok(0, "mremap: a destination");
		munmap((void *)m, HT_LEN);
		return;
	}
	to = (volatile uint32_t *)(((uintptr_t)area + (2UL << 20)) &
				   ~((2UL << 20) - 1));
	if (!aligned)
		to = page(to, 1);
	to = mremap((void *)m, HT_LEN, HT_LEN, MREMAP_MAYMOVE | MREMAP_FIXED,
		    (void *)to);
	snprintf(n, sizeof(n), "mremap (%s): the mapping moves", kind);
	if (!ok(to != MAP_FAILED, n)) {
		munmap((void *)m, HT_LEN);
		munmap(area, HT_LEN + (4UL << 20));
		return;
	}
	/* a huge entry is split (cleared) at an unaligned address; page
	 * entries (no transparent huge pages) move */
	snprintf(n, sizeof(n), "mremap (%s): window 1 %s", kind,
		 aligned ? "keeps its kind" : "has no huge entry left");
	is(present(getpid(), page(to, WIN)),
	   aligned || huge != DMT_PRESENT_HUGE ? huge : 0, n);
	snprintf(n, sizeof(n),
		 "mremap (%s): every page reads back at the new address", kind);
	is(wrong(to, 0, HT_PAGES, 0x30000000), 0, n);
	pid = taker(0x40000000, &go, &done);
	snprintf(n, sizeof(n),
		 "mremap (%s): a switch after the move leaves no translation",
		 kind);
	if (read(done, &c, 1) == 1)
		is(none_left(getpid(), to), 0, n);
	else
		ok(0, n); /* the other process died before it switched */
	snprintf(n, sizeof(n),
		 "mremap (%s): the other process saw only its own", kind);
	is(taker_wait(pid, go, done), 0, n);
	snprintf(n, sizeof(n),
		 "mremap (%s): the moved mapping gets its context back", kind);
	is(wrong(to, 0, HT_PAGES, 0x30000000), 0, n);
	munmap((void *)to, HT_LEN);
	munmap(area, HT_LEN + (4UL << 20));
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* a taker that died: see taker_wait */
	fd = open("/dev/hugetest0", O_RDWR);
	if (!ok(fd >= 0, "open /dev/hugetest0"))
		return 1;
	huge = access("/sys/kernel/mm/transparent_hugepage", F_OK) == 0 ?
		       DMT_PRESENT_HUGE :
		       DMT_PRESENT_PAGE;
	if (huge != DMT_PRESENT_HUGE)
		printf("# no transparent huge pages in this kernel: the checks "
		       "expect page entries where a window would be huge\n");
	test_load_and_switch();
	test_mprotect_split();
	test_fork();
	test_overlap();
	test_partial_unmap();
	test_mremap(1);
	test_mremap(0);
	printf("1..%d\n", ntests);
	return nfailed != 0;
}
