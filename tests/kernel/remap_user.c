// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * devmap_umem_remap(9F) and devmap_devmem_remap(9F) on /dev/remaptest0:
 * a mapping moved onto other memory, a trash page or nothing keeps no
 * translation of what it had (the data it reads right after the remap is
 * the new backing's, in the process itself, in another process, and in a
 * thread reading all along on another CPU); every refused remap leaves
 * the mapping as it was, translation included; a fork child's mapping
 * and the survivors of a partial unmap keep their own offsets.
 * Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
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
#include "remaptest.h"
#include "ktap.h"
#include "present_user.h"

#define RW (PROT_READ | PROT_WRITE)
#define P RT_PAGE

static int fd;

/* 0, or the errno of RT_REMAP of @pid's handles at @region onto @to. */
static int remap(pid_t pid, int region, int to)
{
	struct rt_remap r = { .pid = pid, .region = region, .to = to };

	return ioctl(fd, RT_REMAP, &r) ? errno : 0;
}

static int remap_self(int to)
{
	return remap(getpid(), 0, to);
}

static int present(pid_t pid, const volatile uint8_t *va)
{
	return present_ask(fd, RT_PRESENT, pid, va);
}

static volatile uint8_t *map_at(off_t off, size_t len)
{
	void *p = mmap(NULL, len, RW, MAP_SHARED, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

/* Pages of [from, to) of @m (page @from at backing page @first) whose
 * first and last bytes are not @fill's. */
static int wrong_at(volatile uint8_t *m, int from, int to, int first, int fill)
{
	int bad = 0;

	for (int pg = from; pg < to; pg++) {
		uint8_t want = (uint8_t)(fill + first + pg - from);

		bad += m[(size_t)pg * P] != want ||
		       m[(size_t)pg * P + P - 1] != want;
	}
	return bad;
}

static int wrong(volatile uint8_t *m, int fill)
{
	return wrong_at(m, 0, RT_PAGES, 0, fill);
}

static sigjmp_buf jump;

static void on_fault(int sig)
{
	siglongjmp(jump, sig);
}

/* The signal a read of @va raises, or 0. */
static int read_signal(volatile uint8_t *va)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_segv, old_bus;
	int sig;

	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	sig = sigsetjmp(jump, 1);
	if (!sig)
		(void)*va;
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

/* The basic moves, and what a refused one leaves. */
static void test_self(volatile uint8_t *m)
{
	int kind;

	is(wrong(m, RT_FILL_A), 0, "a new mapping reads backing A");
	kind = present(getpid(), m);
	printf("# a touched 2 MiB window is mapped with %s\n",
	       kind == DMT_PRESENT_HUGE ? "a huge entry" : "page entries");
	ok(kind > 0, "the touched mapping has a translation (so a stale one "
		     "would show)");
	is(remap_self(RT_TO_B), 0, "umem_remap onto B");
	is(present(getpid(), m), 0, "the remap left no translation");
	is(wrong(m, RT_FILL_B), 0, "every page reads B");
	m[5 * P] = 0x5a;
	is(remap_self(RT_TO_A), 0, "umem_remap back onto A");
	is(wrong(m, RT_FILL_A), 0,
	   "every page reads A again: a write through B did not reach A");
	is(remap_self(RT_TO_B), 0, "onto B once more");
	is(m[5 * P], 0x5a, "B kept the write made through it");
	m[5 * P] = (uint8_t)(RT_FILL_B + 5);

	is(remap_self(RT_TO_INVALID), 0, "devmem_remap DEVMAP_MAPPING_INVALID");
	is(present(getpid(), m), 0, "the invalid mapping has no translation");
	is(read_signal(m + 7 * P), SIGSEGV, "its read is a SIGSEGV");
	is(remap_self(RT_TO_A), 0, "umem_remap of the invalid mapping onto A");
	is(wrong(m, RT_FILL_A), 0, "it reads A");

	is(remap_self(RT_TO_TRASH), 0,
	   "umem_remap onto a DDI_UMEM_TRASH cookie");
	is(m[9 * P], 0, "the trash page reads zero");
	m[0] = 0x33;
	is(m[300 * P], 0x33, "every page of it is the one trash page");
	is(remap_self(RT_TO_A), 0, "back onto A");
	is(wrong(m, RT_FILL_A), 0, "A is untouched by the writes to the trash");

	/* refusals: nothing changes, not even the translation */
	ok(present(getpid(), m) > 0, "(touched again: a translation)");
	is(remap_self(RT_TO_SHORT), EIO,
	   "umem_remap onto memory a page short of the handle: refused");
	is(remap_self(RT_TO_B_RO), EIO,
	   "umem_remap of a writable mapping with maxprot read-only: refused");
	ok(present(getpid(), m) > 0, "the refused remaps kept the translation");
	is(wrong(m, RT_FILL_A), 0, "and the mapping reads A");
	is(remap(getpid(), 0, RT_TO_COUNT), EINVAL,
	   "an unknown backing: EINVAL");
	is(remap(1, 0, RT_TO_B), ESRCH, "a process without a mapping: ESRCH");
}

/* A handle set up without DEVMAP_ALLOW_REMAP cannot be moved. */
static void test_fixed(void)
{
	volatile uint8_t *f = map_at(RT_FIXED_OFF, P);

	if (!ok(f != NULL, "a mapping without DEVMAP_ALLOW_REMAP")) {
		printf("#   %s\n", strerror(errno));
		return;
	}
	is(f[0], RT_FILL_A, "it reads A");
	is(remap(getpid(), 1, RT_TO_B), EIO, "its remap is refused");
	ok(present(getpid(), f) > 0 && f[0] == RT_FILL_A,
	   "and it keeps its translation and A");
	munmap((void *)f, P);
}

/* Another process's mapping, moved from here while it holds it. */
static void test_other_process(void)
{
	int ready[2], go[2];
	char c = 0;
	pid_t pid;
	int st;

	if (pipe(ready) || pipe(go))
		return (void)ok(0, "another process: pipes");
	pid = fork();
	if (pid < 0)
		return (void)ok(0, "another process: fork");
	if (pid == 0) {
		volatile uint8_t *q = map_at(0, RT_LEN);
		int bad;

		if (!q || wrong(q, RT_FILL_A))
			_exit(2);
		write(ready[1], &q, sizeof(q));
		read(go[0], &c, 1);
		bad = wrong(q, RT_FILL_B);
		_exit(bad ? 3 : 0);
	}
	volatile uint8_t *q = NULL;

	close(ready[1]); /* a child that dies early ends the read */
	close(go[0]);
	if (read(ready[0], &q, sizeof(q)) != sizeof(q)) {
		ok(0, "another process: its mapping reads A");
		waitpid(pid, &st, 0);
		close(ready[0]);
		close(go[1]);
		return;
	}
	ok(present(pid, q) > 0, "another process's mapping has a translation");
	is(remap(pid, 0, RT_TO_B), 0, "umem_remap of it, from this process");
	is(present(pid, q), 0, "it has no translation left");
	write(go[1], &c, 1);
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "it then reads B on every page");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("#   status 0x%x\n", st);
	close(ready[0]);
	close(go[1]);
}

/* A fork child's mapping is its own handle: the parent's remap spares it. */
static void test_fork(volatile uint8_t *m)
{
	int go[2];
	char c = 0;
	pid_t pid;
	int st;

	is(wrong(m, RT_FILL_A), 0, "fork: the parent reads A");
	if (pipe(go))
		return (void)ok(0, "fork: a pipe");
	pid = fork();
	if (pid < 0)
		return (void)ok(0, "fork: fork");
	if (pid == 0) {
		read(go[0], &c, 1);
		_exit(wrong(m, RT_FILL_A) ? 3 : 0);
	}
	is(remap_self(RT_TO_B), 0, "fork: the parent moves its mapping to B");
	is(wrong(m, RT_FILL_B), 0, "fork: the parent reads B");
	write(go[1], &c, 1);
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork: the child's mapping still reads A");
	close(go[0]), close(go[1]);
	is(remap_self(RT_TO_A), 0, "fork: the parent back on A");
}

/* Survivors of partial unmaps move at their own offsets. */
static void test_partial(volatile uint8_t *m)
{
	volatile uint8_t *h = map_at(0, RT_LEN);

	if (!ok(h != NULL, "partial: a second mapping"))
		return;
	is(wrong(h, RT_FILL_A), 0, "partial: it reads A");
	ok(!munmap((void *)(h + 100 * P), P) && !munmap((void *)h, P),
	   "partial: page 100 and page 0 unmapped");
	is(remap_self(RT_TO_B), 0, "partial: all three handles onto B");
	is(wrong_at(h, 1, 100, 1, RT_FILL_B) +
		   wrong_at(h, 101, RT_PAGES, 101, RT_FILL_B),
	   0, "partial: each survivor reads B at its own offsets");
	is(read_signal(h + 100 * P), SIGSEGV, "partial: the hole stays a hole");
	is(remap_self(RT_TO_A), 0, "partial: back onto A");
	is(wrong_at(h, 1, 100, 1, RT_FILL_A) +
		   wrong_at(h, 101, RT_PAGES, 101, RT_FILL_A) +
		   wrong(m, RT_FILL_A),
	   0, "partial: and they read A at their offsets");
	munmap((void *)(h + P), 99 * P);
	munmap((void *)(h + 101 * P), (RT_PAGES - 101) * P);
}

/*
 * A remap racing a cut of its handle (found by the stress): a thread
 * munmaps part of a mapping while the driver's devmap_unmap(9E) waits
 * (RT_UNMAP_DELAY), and the process moves itself onto nothing meanwhile.
 * Before the driver hears of the cut (@wait_ms > 0) devmap has already
 * split off the survivor above a hole, which the driver cannot reach yet;
 * after it (< 0) the driver's offsets are the cut handle's and devmap's
 * not yet.  Either way the remap must succeed and leave no survivor
 * readable.
 */
static struct {
	volatile uint8_t *va;
	size_t len;
} cut;

static void *cut_run(void *arg)
{
	(void)arg;
	munmap((void *)cut.va, cut.len);
	return NULL;
}

static void test_cut_race(int wait_ms, int from, int to, const char *what)
{
	volatile uint8_t *h = map_at(0, RT_LEN);
	struct timespec ts = { 0, (long)(wait_ms < 0 ? -wait_ms : wait_ms) *
					  500000L };
	pthread_t t;
	int readable = 0, e;
	char name[160];

	if (!ok(h != NULL, "cut race: a mapping"))
		return;
	is(wrong(h, RT_FILL_A), 0, "cut race: it reads A");
	cut.va = h + (size_t)from * P;
	cut.len = (size_t)(to - from) * P;
	ioctl(fd, RT_UNMAP_DELAY, wait_ms);
	if (pthread_create(&t, NULL, cut_run, NULL))
		return (void)ok(0, "cut race: a thread");
	nanosleep(&ts, NULL); /* half the wait: inside it */
	e = remap_self(RT_TO_INVALID);
	pthread_join(t, NULL);
	snprintf(
		name, sizeof(name),
		"cut race (%s): the remap onto nothing during the cut succeeds",
		what);
	is(e, 0, name);
	for (int pg = 0; pg < RT_PAGES; pg++)
		readable += (pg < from || pg >= to) && !read_signal(h + pg * P);
	snprintf(
		name, sizeof(name),
		"cut race (%s): no page left readable after the remap onto nothing",
		what);
	is(readable, 0, name);
	remap_self(RT_TO_A);
	munmap((void *)h, RT_LEN);
}

/* A thread reads on all along; after each remap returns it must see it. */
#define RACE_ROUNDS 300

static struct {
	volatile uint8_t *m;
	int seq, done; /* the remaps announced, and seen */
	int fill; /* the backing of remap seq */
	int stale; /* reads after a remap that showed the old backing */
	int stop;
} race;

static void *race_reader(void *arg)
{
	int seen = 0;
	unsigned int pg = 0;

	(void)arg;
	while (!__atomic_load_n(&race.stop, __ATOMIC_ACQUIRE)) {
		int seq = __atomic_load_n(&race.seq, __ATOMIC_ACQUIRE);

		pg = (pg + 37) % RT_PAGES;
		if (seq == seen) {
			(void)race.m[(size_t)pg * P]; /* keep it hot */
			continue;
		}
		race.stale += race.m[(size_t)pg * P] !=
			      (uint8_t)(race.fill + pg);
		seen = seq;
		__atomic_store_n(&race.done, seq, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void test_race(volatile uint8_t *m)
{
	pthread_t reader;
	int n = 0, stuck = 0;

	race.m = m;
	race.fill = RT_FILL_A;
	if (pthread_create(&reader, NULL, race_reader, NULL))
		return (void)ok(0, "race: a reader thread");
	for (int i = 1; i <= RACE_ROUNDS; i++) {
		int to = i % 2 ? RT_TO_B : RT_TO_A;

		if (remap_self(to))
			break;
		race.fill = to == RT_TO_B ? RT_FILL_B : RT_FILL_A;
		__atomic_store_n(&race.seq, i, __ATOMIC_RELEASE);
		/* a reader stuck in a fault fails the check, not the run: at
		 * most 20 s (a bound on a failure, not a timing assertion) */
		for (long spins = 0;
		     __atomic_load_n(&race.done, __ATOMIC_ACQUIRE) != i;
		     spins++) {
			if (spins < 1000000)
				continue;
			if (spins > 1000000 + 20000)
				break;
			usleep(1000);
		}
		if (__atomic_load_n(&race.done, __ATOMIC_ACQUIRE) != i) {
			printf("#   the reader never read after remap %d\n", i);
			stuck = 1;
			break;
		}
		n = i;
	}
	__atomic_store_n(&race.stop, 1, __ATOMIC_RELEASE);
	if (stuck)
		pthread_detach(reader); /* it may never come back */
	else
		pthread_join(reader, NULL);
	is(n, RACE_ROUNDS,
	   "race: every remap under a reading thread succeeded");
	is(race.stale, 0, "race: no read after a remap saw the old backing");
	if (n % 2)
		remap_self(RT_TO_A);
}

int main(void)
{
	volatile uint8_t *m;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open("/dev/remaptest0", O_RDWR);
	if (!ok(fd >= 0, "open /dev/remaptest0")) {
		printf("1..%d\n", ntests);
		return 1;
	}
	m = map_at(0, RT_LEN);
	if (!ok(m != NULL, "map the 2 MiB remappable region")) {
		printf("1..%d\n", ntests);
		return 1;
	}
	test_self(m);
	test_fixed();
	test_other_process();
	test_fork(m);
	test_partial(m);
	test_race(m);
	ok(!munmap((void *)m, RT_LEN), "munmap");
	/* alone: another mapping's handles would be moved too */
	test_cut_race(200, 100, 101, "a hole, before the driver hears of it");
	test_cut_race(-200, 100, 101, "a hole, after the driver heard of it");
	test_cut_race(-200, 0, 1, "the head, after the driver heard of it");
	test_cut_race(-200, RT_PAGES - 1, RT_PAGES,
		      "the tail, after the driver heard of it");
	m = map_at(0, RT_LEN);
	is(wrong(m, RT_FILL_A), 0, "the first mapping reads A at the end");
	ok(!munmap((void *)m, RT_LEN), "munmap");
	close(fd);
	printf("1..%d\n", ntests);
	return nfailed != 0;
}
