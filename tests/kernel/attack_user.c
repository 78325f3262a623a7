// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Regression tests for the one-owner promise under attack (issue 8): an
 * unprivileged process that opened /dev/dmtest0 tries to keep or gain a
 * translation to a context page it does not own.  Each check is named
 * after what it defends.  Prints TAP.
 *
 *   attack_user           everything below but the slot limit
 *   attack_user exhaust N devmap.ko loaded with max_mappings=N: the limit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmtest_user.h"
#include "ktap.h"

#define P DMT_PAGE
#define RW (PROT_READ | PROT_WRITE)
/* a slot of private offsets is 64 GiB; the first few are all a test uses */
#define FEW_SLOTS (4ULL << 36)

/* The file offset /proc/self/maps shows for the mapping at @va. */
static unsigned long long maps_offset(const void *va)
{
	unsigned long long start, end, off = ~0ULL;
	char line[512], perms[8];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx %7s %llx", &start, &end, perms,
			   &off) == 4 &&
		    start == (unsigned long)va)
			break;
		else
			off = ~0ULL;
	if (f)
		fclose(f);
	return off;
}

static void wait_byte(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(3);
}

static void send_byte(int fd)
{
	if (write(fd, "x", 1) != 1)
		_exit(3);
}

/*
 * A second process B that maps the device, takes the context by writing
 * @sig over its first page, tells the parent and waits to be released.
 */
struct other {
	pid_t pid;
	int go, done; /* parent writes go, reads done */
};

static struct other other_start(uint32_t sig)
{
	int to[2], from[2];
	struct other o;

	if (pipe(to) || pipe(from))
		exit(2);
	o.pid = fork();
	if (o.pid == 0) {
		int fd = dev_open();
		volatile uint32_t *b = mmap(NULL, P, RW, MAP_SHARED, fd, 0);

		if (b == MAP_FAILED)
			_exit(2);
		b[0] = sig; /* the switch: B owns the context */
		send_byte(from[1]);
		wait_byte(to[0]);
		_exit(b[0] == sig ? 0 : 1);
	}
	close(to[0]);
	close(from[1]);
	o.go = to[1];
	o.done = from[0];
	wait_byte(o.done);
	return o;
}

static int other_end(struct other *o)
{
	int status;

	send_byte(o->go);
	waitpid(o->pid, &status, 0);
	close(o->go);
	close(o->done);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The 2^46-byte mmap loop that once pushed offsets past 2^52 pages. */
static void test_offset_exhaustion(void)
{
	int fd = dev_open(), refused = 0, i;
	volatile uint32_t *a;
	time_t deadline;
	struct other b;

	ioctl(fd, DMT_RESET, 0);
	errno = 0;
	is(mmap(NULL, (64UL << 30) + P, PROT_READ, MAP_SHARED, fd, 0) ==
			   MAP_FAILED ?
		   errno :
		   0,
	   ENOMEM, "offsets: a mapping longer than 64 GiB gets ENOMEM");
	errno = 0;
	is(mmap(NULL, 64UL << 30, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ?
		   errno :
		   0,
	   ENXIO, "offsets: a 64 GiB mapping reaches the driver (ENXIO here)");
	/* the attack took 262,000 calls; a slow (debug) kernel stops at 20 s */
	deadline = time(NULL) + 20;
	for (i = 0; i < 300000 && (i % 1000 || time(NULL) < deadline); i++)
		refused += mmap(NULL, 1UL << 46, PROT_READ, MAP_SHARED, fd,
				0) == MAP_FAILED &&
			   errno == ENOMEM;
	printf("# %d mmaps of 2^46 bytes\n", i);
	is(refused, i, "offsets: mmaps of 2^46 bytes are refused with ENOMEM");
	for (i = 0, refused = 0; i < 2000; i++)
		refused += mmap(NULL, P, PROT_READ, MAP_SHARED, fd,
				DMT_PAGES * P) == MAP_FAILED &&
			   errno == ENXIO;
	is(refused, 2000,
	   "offsets: 2000 mmaps the driver refuses (ENXIO) fail cleanly");
	a = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
	ok(a != MAP_FAILED && maps_offset((void *)a) < FEW_SLOTS,
	   "offsets: refused mmaps consumed no private offsets");
	a[0] = 0xaaaa0001;
	b = other_start(0xbbbb0001);
	is(present(getpid(), (void *)a), 0,
	   "offsets: after the attack loop a switch still revokes the old owner");
	is(a[0], 0xaaaa0001,
	   "offsets: the old owner gets its own context back, never the new owner's");
	ok(other_end(&b), "offsets: the new owner kept its own context");
	munmap((void *)a, P);
	close(fd);
}

static void test_offset_reuse(void)
{
	int fd = dev_open(), i, pipefd[2];
	unsigned long long off, worst = 0;
	volatile uint32_t *a, *c;
	pid_t pid;
	int status;
	char same;

	for (i = 0; i < 2000; i++) {
		a = mmap(NULL, 2 * P, RW, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED)
			break;
		off = maps_offset((void *)a);
		worst = off > worst ? off : worst;
		munmap((void *)a, 2 * P);
	}
	ok(i == 2000 && worst < FEW_SLOTS,
	   "offsets: 2000 mmap/munmap cycles reuse the same few offsets");

	a = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
	off = maps_offset((void *)a);
	if (pipe(pipefd))
		exit(2);
	pid = fork();
	if (pid == 0) {
		char same = maps_offset((void *)a) == off ? 'y' : 'n';

		a[0] = 0xc41d0001; /* the child takes the context */
		if (write(pipefd[1], &same, 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	if (read(pipefd[0], &same, 1) != 1)
		exit(2);
	ok(same == 'y', "offsets: a fork child shares its parent's offsets");
	munmap((void *)a, P); /* the child still uses the slot */
	c = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
	ok(c != MAP_FAILED && maps_offset((void *)c) != off,
	   "offsets: a fork child keeps its slot when the parent unmaps");
	c[0] = 0x7417d001;
	is(present(pid, (void *)a), 0,
	   "offsets: a switch to a third mapping revokes the fork child");
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	munmap((void *)c, P);
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
}

/*
 * A 3-page context; the owner cuts its mapping (head, tail or hole) and
 * the driver forgets it as devmap_unmap(9E) suggests; another process
 * takes the context.  The old owner must have no translation left.
 */
static void test_partial_munmap(const char *kind, size_t cut_off)
{
	int fd = dev_open();
	volatile uint32_t *a;
	struct other b;
	char name[160];
	int i, left = 0;

	ioctl(fd, DMT_SET_CTX_PAGES, 3);
	a = mmap(NULL, 3 * P, RW, MAP_SHARED, fd, 0);
	ioctl(fd, DMT_SET_CTX_PAGES, 1);
	if (a == MAP_FAILED) {
		ok(0, "partial munmap: mmap of a 3-page context");
		close(fd);
		return;
	}
	for (i = 0; i < 3; i++)
		a[i * P / 4] = 0xaaaa0100 + i;
	munmap((char *)a + cut_off, P);
	b = other_start(0xbbbb0100);
	for (i = 0; i < 3; i++)
		if ((size_t)i * P != cut_off)
			left += present(getpid(), (char *)a + i * P) != 0;
	snprintf(
		name, sizeof(name),
		"partial munmap (%s): the old owner keeps no translation on surviving context pages",
		kind);
	is(left, 0, name);
	for (i = 0; i < 3; i++)
		if ((size_t)i * P != cut_off && a[i * P / 4] == 0xbbbb0100)
			left++;
	snprintf(
		name, sizeof(name),
		"partial munmap (%s): the old owner never reads the new owner's context",
		kind);
	is(left, 0, name);
	snprintf(name, sizeof(name),
		 "partial munmap (%s): the new owner's context is intact",
		 kind);
	ok(other_end(&b), name);
	munmap((void *)a, 3 * P);
	close(fd);
}

/*
 * A piece the parent marked MADV_DONTFORK is not in the child, so the
 * child's mapping must not keep a handle for it: moving another piece
 * (mremap) onto that address would otherwise put two handles there, the
 * phantom would serve the child's faults, and the child would read device
 * pages that are not its context (the stress once saw zeros this way).
 * Handles [0,2) and [3,5) of one mapping; [3,5) not inherited; the child
 * moves [0,2) to [4,6) and must read its own copy of the context.
 */
static void test_dontfork_move(void)
{
	int fd = dev_open(), status = -1;
	char *a = mmap(NULL, 6 * P, RW, MAP_SHARED, fd, 0);
	pid_t pid;

	if (a == MAP_FAILED) {
		ok(0, "MADV_DONTFORK: mmap of 6 pages");
		close(fd);
		return;
	}
	((volatile uint32_t *)a)[0] = 0xaaaa0200; /* the parent owns it */
	munmap(a + 2 * P, P);
	munmap(a + 5 * P, P);
	if (madvise(a + 3 * P, 2 * P, MADV_DONTFORK)) {
		ok(0, "MADV_DONTFORK: madvise");
		goto out;
	}
	pid = fork();
	if (pid == 0) {
		char *r = mremap(a, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
				 a + 4 * P);

		if (r == MAP_FAILED)
			_exit(4);
		_exit(((volatile uint32_t *)r)[0] == 0xaaaa0200 ? 0 : 1);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	is(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), 0,
	   "MADV_DONTFORK: a child that moves a piece where an uninherited one was reads its own context (exit 1: another page, 4: mremap refused)");
out:
	munmap(a, 2 * P);
	munmap(a + 3 * P, 2 * P);
	close(fd);
}

/*
 * A driver's segmap(9E) may set a mapping up at another offset than the
 * mmap offset (devmap_setup with a translated offset): unloads must still
 * find the mapping's own translations.  A maps at offset P, which dmtest
 * translates to its context page (offset 0); B takes the context; A must
 * keep no translation (it kept one when unloads counted from the mmap
 * offset).
 */
static void test_segmap_offset(void)
{
	int fd = dev_open();
	volatile uint32_t *a;
	struct other b;

	ioctl(fd, DMT_SEGMAP_SHIFT, (long)P);
	a = mmap(NULL, P, RW, MAP_SHARED, fd, P);
	ioctl(fd, DMT_SEGMAP_SHIFT, 0L);
	if (a == MAP_FAILED) {
		ok(0, "segmap at a translated offset: mmap");
		close(fd);
		return;
	}
	a[0] = 0xaaaa0300; /* A owns the context */
	b = other_start(0xbbbb0300);
	is(present(getpid(), (const void *)a), 0,
	   "segmap at a translated offset: a switch still revokes the old owner");
	ok(a[0] != 0xbbbb0300 && other_end(&b),
	   "segmap at a translated offset: the old owner never reads the new owner's context");
	munmap((void *)a, P);
	close(fd);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/*
 * A syscall copying from or to a context page that another process holds
 * (devmap_set_ctx_timeout) waits in a kernel-mode fault; signals arriving
 * meanwhile (SA_RESTART) must not turn it into EFAULT.
 */
static void test_syscall_wait(void)
{
	struct sigaction sa = { .sa_handler = on_alarm,
				.sa_flags = SA_RESTART };
	struct itimerval every = { { 0, 3000 }, { 0, 3000 } }, off = { 0 };
	int fd = dev_open(), pfd[2];
	volatile uint32_t *a = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
	long n_write, n_read;
	char buf[64] = "from the pipe";
	struct other b;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("ok %d # SKIP syscall waits: one CPU, no context hold (Solaris rule)\n",
		       ++ntests);
		printf("ok %d # SKIP syscall waits: one CPU\n", ++ntests);
		munmap((void *)a, P);
		close(fd);
		return;
	}
	if (pipe(pfd))
		exit(2);
	munmap((void *)a, P);
	ioctl(fd, DMT_SET_HOLD, 50); /* ticks; Debian: 200 ms */
	a = mmap(NULL, P, RW, MAP_SHARED, fd, 0); /* its handle holds too */
	a[0] = 0xaaaa0200;
	sigaction(SIGALRM, &sa, NULL);

	b = other_start(0xbbbb0200); /* holds the context from now */
	alarms = 0;
	setitimer(ITIMER_REAL, &every, NULL);
	n_write = write(pfd[1], (void *)a, 64);
	setitimer(ITIMER_REAL, &off, NULL);
	if (!ok(n_write == 64 && alarms > 0,
		"syscall waits: write(pipe, context page) completes despite signals"))
		printf("#   errno %d, %d signals\n", errno, (int)alarms);
	other_end(&b);

	b = other_start(0xbbbb0201);
	if (write(pfd[1], buf, 8) != 8)
		exit(2);
	alarms = 0;
	setitimer(ITIMER_REAL, &every, NULL);
	n_read = read(pfd[0], (void *)a, 8);
	setitimer(ITIMER_REAL, &off, NULL);
	if (!ok(n_read == 8 && alarms > 0,
		"syscall waits: read(pipe, context page) completes despite signals"))
		printf("#   errno %d, %d signals\n", errno, (int)alarms);
	other_end(&b);

	/* a driver that answers EINTR for the pending signal (cv_wait_sig)
	 * ends a kernel access with EFAULT: retrying could never end */
	ioctl(fd, DMT_EINTR_ON_SIGNAL, 1);
	b = other_start(0xbbbb0202);
	alarms = 0;
	setitimer(ITIMER_REAL, &every, NULL);
	errno = 0;
	n_write = write(pfd[1], (void *)a, 64);
	setitimer(ITIMER_REAL, &off, NULL);
	if (!ok(n_write == -1 && errno == EFAULT && alarms > 0,
		"syscall waits: a driver's EINTR ends a kernel access (EFAULT), no endless refault"))
		printf("#   got %ld, errno %d\n", n_write, errno);
	printf("# the write gave %ld after %d signals\n", n_write, (int)alarms);
	ioctl(fd, DMT_EINTR_ON_SIGNAL, 0);
	other_end(&b);
	ioctl(fd, DMT_SET_HOLD, 0);
	signal(SIGALRM, SIG_DFL);
	munmap((void *)a, P);
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
}

/* A thread of this process that reads a context page, and says when. */
struct waiter {
	volatile uint32_t *va;
	volatile pid_t tid;
	volatile int done;
	uint32_t got;
};

static void *waiter_run(void *arg)
{
	struct waiter *w = arg;

	w->tid = (pid_t)syscall(SYS_gettid);
	w->got = w->va[0]; /* waits for the hold, then retries its fault */
	w->done = 1;
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Does thread @tid sleep in devmap's wait for a held context (<= 20 s)? */
static int thread_waits(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/wchan", (int)tid);
	return ctx_waits(path);
}

/*
 * A fault that waits for a held context sleeps without the mmap_lock, so
 * another thread of the process may unmap the mapping meanwhile; the
 * waiting fault must not touch the mapping's records afterwards (they
 * were freed: a use after free, an oops with init_on_free=1 and a KASAN
 * report on the debug kernel).  B holds the context; thread T of A faults
 * on it and waits; A's main thread puts anonymous memory over the mapping
 * (its last, so the process's record goes too); T's retried fault then
 * reads the anonymous page.  With @rmmod, A also closes the device and
 * B exits while T waits: the driver's module must stay in use (T's fault
 * still needs the driver's records) until T is done.
 */
static void test_wait_unmap(int rmmod)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct waiter w = { 0 };
	int fd = dev_open(), waited, timed_out;
	struct other b;
	pthread_t t;
	void *anon;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		skip("wait then unmap: one CPU, no context hold (Solaris rule)");
		close(fd);
		return;
	}
	sigaction(SIGUSR1, &sa, NULL);
	ioctl(fd, DMT_RESET, 0);
	/* ticks (6 s with Debian's HZ): the hold must outlast the steps
	 * from B's switch to the mmap over the mapping (and the rmmod), on
	 * a slow debug kernel too; only its time ends it */
	ioctl(fd, DMT_SET_HOLD, 1500);
	w.va = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
	if (w.va == MAP_FAILED) {
		ok(0, "wait then unmap: mmap");
		close(fd);
		return;
	}
	b = other_start(0xbbbb0400); /* B holds the context from now */
	if (pthread_create(&t, NULL, waiter_run, &w))
		exit(2);
	while (!w.tid)
		usleep(1000);
	waited = thread_waits(w.tid) && !w.done;
	anon = mmap((void *)w.va, P, RW,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (rmmod) {
		ok(other_end(&b), "wait then rmmod: B kept its context");
		ioctl(fd, DMT_SET_HOLD, 0);
		close(fd);
		fd = -1;
		errno = 0;
		is(syscall(SYS_delete_module, "dmtest", O_NONBLOCK) ? errno : 0,
		   EWOULDBLOCK,
		   "wait then rmmod: the driver cannot be unloaded while a fault of its device waits");
	}
	for (int i = 0; i < 2000 && !w.done; i++)
		usleep(10000);
	timed_out = !w.done;
	if (timed_out) {
		printf("#   the waiting fault never ended; a signal ends it\n");
		pthread_kill(t, SIGUSR1);
	}
	pthread_join(t, NULL);
	ok(waited && anon == (void *)w.va && w.got == 0 && !timed_out,
	   rmmod ? "wait then rmmod: the waiting fault ends and retries on what is there now" :
		   "wait then unmap: a fault waiting for a held context survives the unmap of its mapping by another thread, and retries on what is there now");
	if (!rmmod) {
		other_end(&b);
		ioctl(fd, DMT_SET_HOLD, 0);
		close(fd);
	}
	signal(SIGUSR1, SIG_DFL);
	munmap(anon, P);
}

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

/* UFFDIO_REGISTER of @va in @mode: its errno, 0 if it worked, -1: no uffd. */
static int uffd_register(void *va, unsigned long long mode)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)va, .len = P },
		.mode = mode,
	};
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC), err = -1;

	if (uffd < 0)
		return -1;
	if (ioctl(uffd, UFFDIO_API, &api) == 0)
		err = ioctl(uffd, UFFDIO_REGISTER, &reg) ? errno : 0;
	close(uffd);
	return err;
}

/*
 * Ways to reach a context page other than a fault through devmap, tried
 * by a process that lost the context: each must be refused or install
 * nothing.  vmsplice (and O_DIRECT, io_uring fixed buffers: the same
 * get_user_pages) would hold the page and read the next owner's data
 * from the pipe; MREMAP_DONTUNMAP would leave a copy of the range
 * behind; userfaultfd would let the process fill or protect the range
 * itself; mlock and MAP_POPULATE would fault it in without a switch.
 */
static void test_vm_refusals(void)
{
	int fd = dev_open(), pfd[2], uf;
	volatile uint32_t *a = mmap(NULL, P, RW, MAP_SHARED, fd, 0), *c;
	struct iovec iov = { .iov_base = (void *)a, .iov_len = 64 };
	struct other b;

	if (a == MAP_FAILED || pipe(pfd)) {
		ok(0, "refusals: mmap and pipe");
		close(fd);
		return;
	}
	a[0] = 0xaaaa0500; /* A owns the context, then B takes it */
	b = other_start(0xbbbb0500);
	errno = 0;
	is(vmsplice(pfd[1], &iov, 1, 0) < 0 ? errno : 0, EFAULT,
	   "refusals: vmsplice of a context page -> EFAULT (no page pinned)");
	errno = 0;
	is(mremap((void *)a, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) ==
			   MAP_FAILED ?
		   errno :
		   0,
	   EINVAL, "refusals: mremap(MREMAP_DONTUNMAP) -> EINVAL");
	uf = uffd_register((void *)a, UFFDIO_REGISTER_MODE_MISSING);
	if (uf < 0)
		skip("refusals: no userfaultfd here");
	else
		is(uf, EINVAL,
		   "refusals: UFFDIO_REGISTER (missing) on a devmap mapping -> EINVAL");
	uf = uffd_register((void *)a, UFFDIO_REGISTER_MODE_WP);
	if (uf < 0)
		skip("refusals: no userfaultfd here");
	else
		is(uf, EINVAL,
		   "refusals: UFFDIO_REGISTER (write-protect) on a devmap mapping -> EINVAL");
	mlock((void *)a, P);
	c = mmap(NULL, P, RW, MAP_SHARED | MAP_POPULATE, fd, 0);
	is(present(getpid(), (void *)a) +
		   (c == MAP_FAILED ? 0 : present(getpid(), (void *)c)),
	   0,
	   "refusals: mlock and MAP_POPULATE install no translation to a context page another process owns");
	ok(other_end(&b),
	   "refusals: the new owner's context is intact after them all");
	is(a[0], 0xaaaa0500,
	   "refusals: the old owner gets its own context back");
	munlock((void *)a, P);
	if (c != MAP_FAILED)
		munmap((void *)c, P);
	munmap((void *)a, P);
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
}

static sigjmp_buf jb;

static void on_fault(int sig)
{
	(void)sig;
	siglongjmp(jb, sig);
}

/* Read @va; the signal it raised, or 0. */
static int read_signal(volatile uint32_t *va)
{
	int sig = sigsetjmp(jb, 1);

	if (sig == 0) {
		(void)*va;
		return 0;
	}
	return sig;
}

/* A write-only mapping reads like a plain shared one on x86: no signal. */
static void test_write_only(void)
{
	struct sigaction sa = { .sa_handler = on_fault };
	int fd = dev_open();
	volatile uint32_t *a;

	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	a = mmap(NULL, 2 * P, PROT_WRITE, MAP_SHARED, fd, 0);
	ok(a != MAP_FAILED, "write-only: mmap(PROT_WRITE) maps");
	is(read_signal(a), 0,
	   "write-only: reading an unloaded context page gives no signal");
	is(read_signal(a + P / 4), 0,
	   "write-only: reading a default-access page gives no signal");
	munmap((void *)a, 2 * P);
	a = mmap(NULL, 2 * P, RW, MAP_SHARED, fd, 0);
	mprotect((void *)a, 2 * P, PROT_WRITE);
	ok(read_signal(a) == 0 && read_signal(a + P / 4) == 0,
	   "write-only: after mprotect(PROT_WRITE) both kinds of page read alike");
	munmap((void *)a, 2 * P);
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	close(fd);
}

static int count_log(const char *what)
{
	static char buf[1 << 20];
	int n = klogctl(3, buf, sizeof(buf) - 1), count = 0;
	char *p = buf;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	while ((p = strstr(p, what))) {
		count++;
		p++;
	}
	return count;
}

/* devmap_dup failures a user triggers at will are logged rate-limited. */
static void test_log_ratelimit(void)
{
	int fd = dev_open(), before, after, i, status;
	void *a = mmap(NULL, P, RW, MAP_SHARED, fd, 0);

	before = count_log("devmap_dup failed");
	for (i = 0; i < 200; i++) {
		ioctl(fd, DMT_FAIL_DUP, 0);
		if (fork() == 0)
			_exit(0);
		wait(&status);
	}
	after = count_log("devmap_dup failed");
	if (!ok(before >= 0 && after - before <= 20,
		"log: 200 failed devmap_dup calls print at most a burst"))
		printf("#   %d lines\n", after - before);
	munmap(a, P);
	close(fd);
}

/* devmap.ko loaded with max_mappings=@max. */
static void test_exhaust(int max)
{
	int fd = dev_open(), i, mapped = 0;
	void *maps[64];

	if (max < 1 || max > 64) {
		ok(0, "exhaust: max_mappings between 1 and 64");
		return;
	}
	for (i = 0; i < max; i++)
		mapped += (maps[i] = mmap(NULL, P, RW, MAP_SHARED, fd, 0)) !=
			  MAP_FAILED;
	is(mapped, max, "slots: max_mappings mappings succeed");
	errno = 0;
	is(mmap(NULL, P, RW, MAP_SHARED, fd, 0) == MAP_FAILED ? errno : 0,
	   ENOMEM, "slots: one more mapping gets ENOMEM");
	munmap(maps[0], P);
	maps[0] = mmap(NULL, P, RW, MAP_SHARED, fd, 0);
	ok(maps[0] != MAP_FAILED,
	   "slots: an unmapped mapping's slot is free again");
	for (i = 0; i < max; i++)
		munmap(maps[i], P);
	close(fd);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "exhaust")) {
		test_exhaust(atoi(argv[2]));
	} else {
		test_offset_exhaustion();
		test_offset_reuse();
		test_partial_munmap("head", 0);
		test_partial_munmap("hole", P);
		test_partial_munmap("tail", 2 * P);
		test_dontfork_move();
		test_segmap_offset();
		test_syscall_wait();
		test_wait_unmap(0);
		test_vm_refusals();
		test_write_only();
		test_log_ratelimit();
		test_wait_unmap(1); /* last: a failure unloads dmtest */
	}
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
