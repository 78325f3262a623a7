// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Allocation-failure injection over devmap's kernel paths.  Prints TAP.
 *
 * Design.  On a kernel with CONFIG_FAULT_INJECTION, writing n to
 * /proc/thread-self/fail-nth makes the n-th injection point this thread
 * reaches fail (failslab: every slab allocation; fail_page_alloc: every
 * page allocation), once.  Reading it back after the operation says
 * whether the point was reached: 0 = consumed (the operation ran into a
 * failure), non-zero = the operation finished first, so n - 1 points
 * were all there are and the walk is done.  The file stays open for the
 * whole run: opening it would allocate and consume the injection.
 *
 * One walk per operation, n = 1, 2, ... (capped at MAX_POINTS):
 *   attach    finit_module(dmtest.ko), the DDI shim's mod_install and
 *             attach of a pseudo driver; then of xx.ko, a PCI driver on
 *             QEMU's edu card (probe -> attach).  Success, or a clean
 *             errno and nothing left; then a reload and an rmmod work.
 *             A PCI probe that fails does not fail the load (as for any
 *             Linux driver): then the module is loaded without /dev/xx0.
 *             Then of hugetest.ko, whose 4 MiB ddi_umem_alloc is taken
 *             in 2 MiB blocks: a failed block falls back to pages (the
 *             load succeeds), any other failure must undo the rest.
 *   mmap      mmap of /dev/dmtest0: success, or ENOMEM/EAGAIN/ENXIO
 *             (ENXIO: devmap_map(9E) failed, as documented) with nothing
 *             in /proc/self/maps, and devmap_map/devmap_unmap balanced.
 *   fault     the first touch of the context page (a context switch away
 *             from the parent) and of a default page, in a child process:
 *             it exits clean or dies of SIGBUS (a load that cannot
 *             allocate a page table is FC_MAKE_ERR(ENOMEM)), and only when
 *             the injection was consumed; never another signal or a hang.
 *   fork      of a process mapping the device: fork fails with ENOMEM or
 *             EAGAIN, or the child works, or (devmap_dup or the child's
 *             group could not be allocated) the child's accesses get
 *             SIGBUS; the parent's mapping is untouched either way.
 *   munmap    of the head, the tail and a hole of a 4-page mapping: done,
 *             or ENOMEM with the mapping whole and working; the survivors
 *             are exactly what /proc/self/maps shows, and they work.
 *   remap     mregion's revoke and restore (devmap_devmem_remap(9F)) and
 *             the first touch after them, in a child: each ioctl works or
 *             fails with EIO/ENOMEM, the touch works or gets SIGBUS, and
 *             a clean restore afterwards gives the memory BAR back.
 *
 * The console is judged by scripts/vm/run.sh (any BUG:, WARNING:, Call
 * Trace:, ...) and leaks by the initramfs's kmemleak scan at the end.
 * The injection is made silent (verbose = 0) and reaches GFP_KERNEL
 * allocations (ignore-gfp-wait = 0; fail_page_alloc also at order 0).
 * Both types are needed (page tables of a fault come from the page
 * allocator), and neither avoids warn_alloc(): vmalloc warns when its
 * own slab or page allocations fail, and generic code on the walked
 * paths vmallocs without __GFP_NOWARN (finit_module reading and placing
 * the module, fork's thread stack).  So during the walks the console
 * shows only records more severe than KERN_WARNING (KASAN, BUG, Oops
 * still go straight to it), and kmsg_judge() reads the rest from
 * /dev/kmsg: it relays every report to the console (run.sh then fails)
 * and lets pass only a warn_alloc() dump with no devmap frame on it.
 *
 * Usage: failnth_user [WALK...]   (default: all; the modules are loaded
 * from /opt and must not be loaded when the attach walks run).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dmtest.h"
#include "mregion.h"

#define P DMT_PAGE
#define RW (PROT_READ | PROT_WRITE)
#define MAX_POINTS 2000
#define WALK_SECONDS 180 /* a walk that takes longer stops and fails */
#define FAILNTH "/proc/thread-self/fail-nth"
#define DMT_DEV "/dev/dmtest0"
#define MR_DEV "/dev/mregion0"

static int ntests, nfailed;
static int nth_fd = -1; /* /proc/thread-self/fail-nth, of this thread */
static char why[512]; /* the first problem of the current walk */

static void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	nfailed += !cond;
	fflush(stdout);
}

/* Note the first problem of a walk (later ones are printed as comments). */
static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void bad(const char *fmt, ...)
{
	char msg[sizeof(why)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# %s\n", msg);
	fflush(stdout);
	if (!why[0])
		snprintf(why, sizeof(why), "%s", msg);
}

/* Arm the injection: the n-th point from now fails (0 disarms). */
static void nth_set(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fd, buf, len, 0) != len) {
		perror(FAILNTH);
		exit(2);
	}
}

/*
 * Read the injection back and disarm it.  Returns 1 if the armed point
 * was reached (the operation saw a failure), 0 if not.  Async-signal-safe.
 */
static int nth_hit(int fd)
{
	char buf[16] = "";
	ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);

	nth_set(fd, 0);
	return len > 0 && buf[0] == '0';
}

/*
 * Load the module at @path, with the @n-th injection point armed around
 * finit_module(2) alone if @n is not 0 (*@hit: was it reached).
 * Returns 0 or an errno.
 */
static int mod_load_nth(const char *path, unsigned int n, int *hit)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (n)
		nth_set(nth_fd, n);
	if (syscall(SYS_finit_module, fd, "", 0))
		err = errno;
	if (n)
		*hit = nth_hit(nth_fd);
	close(fd);
	return err;
}

static int mod_load(const char *path)
{
	return mod_load_nth(path, 0, NULL);
}

static int mod_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? errno : 0;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Is module @name listed in /proc/modules? */
static int mod_loaded(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	FILE *f = fopen("/proc/modules", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		found |= !strncmp(line, name, len) && line[len] == ' ';
	if (f)
		fclose(f);
	return found;
}

/*
 * The ranges of /proc/self/maps lines naming @dev within [lo, hi):
 * returns how many pages of it are mapped, and sets *@runs to the number
 * of separate mapped runs (adjacent VMAs count as one).
 */
static int maps_pages(const char *dev, uintptr_t lo, uintptr_t hi, int *runs)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	uintptr_t a, b, last = 0;
	int pages = 0;

	*runs = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, dev) ||
		    sscanf(line, "%lx-%lx", (unsigned long *)&a,
			   (unsigned long *)&b) != 2)
			continue;
		if (b <= lo || a >= hi)
			continue;
		a = a < lo ? lo : a;
		b = b > hi ? hi : b;
		pages += (int)((b - a) / P);
		*runs += a != last;
		last = b;
	}
	if (f)
		fclose(f);
	return pages;
}

/* Count the mappings of @dev anywhere. */
static int maps_any(const char *dev)
{
	int runs;

	return maps_pages(dev, 0, UINTPTR_MAX, &runs);
}

static sigjmp_buf probe_env;

static void probe_sig(int sig)
{
	siglongjmp(probe_env, sig);
}

/*
 * Touch @va in this process: write @val if @write, else read it into
 * *@val.  Returns 0, or the signal the access raised.
 */
static int probe(volatile uint32_t *va, uint32_t *val, int write)
{
	struct sigaction sa = { .sa_handler = probe_sig }, obus, osegv;
	int sig;

	sigaction(SIGBUS, &sa, &obus);
	sigaction(SIGSEGV, &sa, &osegv);
	sig = sigsetjmp(probe_env, 1);
	if (!sig) {
		if (write)
			*va = *val;
		else
			*val = *va;
	}
	sigaction(SIGBUS, &obus, NULL);
	sigaction(SIGSEGV, &osegv, NULL);
	return sig;
}

/* Read @va, expecting @want: 0, or a description of what went wrong. */
static const char *check_word(void *va, uint32_t want)
{
	static char msg[64];
	uint32_t got = 0;
	int sig = probe(va, &got, 0);

	if (sig)
		snprintf(msg, sizeof(msg), "signal %d", sig);
	else if (got != want)
		snprintf(msg, sizeof(msg), "read %#x, want %#x", got, want);
	else
		return NULL;
	return msg;
}

static int set_word(void *va, uint32_t val)
{
	return probe(va, &val, 1);
}

static int dev_open(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror(dev);
		exit(2);
	}
	return fd;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Has the walk that began at @t0 run too long?  (It then fails.) */
static void kmsg_judge(const char *name);

static int too_slow(int n, double t0)
{
	kmsg_judge("this walk"); /* report as soon as possible */
	if (now() - t0 <= WALK_SECONDS)
		return 0;
	bad("stopped after %d s at point %d, unfinished", WALK_SECONDS, n);
	return 1;
}

/* ---- the kernel log: what the console does not show during a walk ---- */

static int kmsg_fd = -1;
static char printk_saved[64]; /* /proc/sys/kernel/printk before */
static int generic_warnings; /* benign allocation-failure warnings */

/* Kernel report lines: the same expression as scripts/vm/run.sh. */
static const char *const report_words[] = {
	"BUG:",
	"WARNING:",
	"possible circular locking",
	"possible recursive locking",
	"inconsistent lock state",
	"unreferenced object",
	"Oops",
	"kernel BUG",
	"Call Trace:",
	"general protection fault",
	"Kernel panic",
	"UBSAN:",
	"blocked for more than",
	"detected stall",
};

/* Frames of devmap and its drivers in a stack dump. */
static const char *const our_modules[] = {
	"[devmap]", "[dmtest]", "[xx]", "[kmctx]", "[mregion]", "[mdlegacy]",
};

static int has_any(const char *line, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(line, words[i]))
			return 1;
	return 0;
}

#define HAS_ANY(line, words) \
	has_any(line, words, sizeof(words) / sizeof(words[0]))

/* Show a kernel log record on the console (through our TAP output). */
static void relay(const char *line)
{
	printf("kernel: %s\n", line);
}

/*
 * Judge the kernel log written since the last call, for walk @name.
 * While the walks run, the console shows only records more severe than
 * KERN_WARNING (see console_quiet()), so every KASAN report, BUG and
 * Oops still reaches it directly; the rest is read here from /dev/kmsg.
 * An injected failure of an allocation without __GFP_NOWARN makes
 * warn_alloc() print "<comm>: vmalloc error: ..." or "page allocation
 * failure: ..." with a stack dump (Call Trace:) and the memory state.
 * Such a dump is the kernel's normal answer to an allocation failure
 * and not a report when it comes from generic code (module loading reads
 * the file and allocates the module with vmalloc, fork may vmalloc a
 * thread stack); it is a report if a frame of devmap or one of its
 * drivers is on the stack (devmap must handle its failures quietly).
 * Every other report line is relayed to the console, where run.sh fails
 * the run on it, and fails the walk.
 */
static void kmsg_judge(const char *name)
{
	static char rec[8192];
	static int alloc_warn = -1; /* records since a warn_alloc head */
	static int in_stack, ours;
	static char head[512];
	ssize_t len;
	char *msg;

	while (kmsg_fd >= 0 &&
	       ((len = read(kmsg_fd, rec, sizeof(rec) - 1)) > 0 ||
		(len < 0 && errno == EPIPE))) {
		if (len < 0) {
			bad("%s: kernel log records lost (overrun)", name);
			continue;
		}
		rec[len] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		*strchrnul(++msg, '\n') = 0;
		if (strstr(msg, "vmalloc error: ") ||
		    strstr(msg, "page allocation failure: ")) {
			alloc_warn = 0;
			in_stack = ours = 0;
			snprintf(head, sizeof(head), "%s", msg);
			continue;
		}
		if (alloc_warn >= 0 && ++alloc_warn <= 3 &&
		    strstr(msg, "Call Trace:")) {
			in_stack = 1; /* warn_alloc's dump_stack() */
			continue;
		}
		if (in_stack) {
			if (HAS_ANY(msg, our_modules) && !ours++) {
				relay(head);
				relay("Call Trace: (of the allocation failure above)");
				bad("%s: an allocation failure warns from devmap code: %s",
				    name, head);
			}
			if (ours)
				relay(msg);
			if (strstr(msg, "</TASK>")) {
				generic_warnings += !ours;
				in_stack = 0;
				alloc_warn = -1;
			}
			continue;
		}
		if (HAS_ANY(msg, report_words)) {
			relay(msg);
			bad("%s: kernel report: %s", name, msg);
		}
	}
}

/* Keep KERN_WARNING and less severe records off the console (restored
 * at exit): kmsg_judge() reads them instead. */
static void console_quiet(void)
{
	int fd = open("/proc/sys/kernel/printk", O_RDWR);
	ssize_t len = fd < 0 ? -1 : read(fd, printk_saved, 63);

	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || len <= 0 || kmsg_fd < 0) {
		printf("Bail out! no /dev/kmsg or /proc/sys/kernel/printk\n");
		exit(1);
	}
	printk_saved[len] = 0;
	lseek(kmsg_fd, 0, SEEK_END);
	if (pwrite(fd, "4", 1, 0) != 1)
		printk_saved[0] = 0;
	close(fd);
}

static void console_restore(void)
{
	int fd = open("/proc/sys/kernel/printk", O_WRONLY);

	usleep(200000); /* let the console drain what it still prints */
	kmsg_judge("after the walks");
	if (fd >= 0 && printk_saved[0] &&
	    write(fd, printk_saved, strlen(printk_saved)) < 0)
		perror("/proc/sys/kernel/printk");
	if (fd >= 0)
		close(fd);
	printf("# %d allocation-failure warnings from generic kernel code (not devmap): not reports\n",
	       generic_warnings);
}

/* A walk's result line. */
static void walk_done(const char *name, int points, int injected, double t0)
{
	kmsg_judge(name);
	printf("# fail-nth %s: %d points, %d failures seen, %.1f s\n", name,
	       points, injected, now() - t0);
	if (points >= MAX_POINTS)
		bad("%s: capped at %d points", name, MAX_POINTS);
	if (!points && !why[0])
		ok(1,
		   "fail-nth %s: no injection point on the path (it allocates nothing)",
		   name);
	else
		ok(!why[0],
		   "fail-nth %s: %d injection points, each a clean error%s%s",
		   name, points, why[0] ? ": " : "", why);
	why[0] = 0;
}

/* ---- attach: finit_module of a DDI driver ---- */

static void walk_attach(const char *name, const char *dev)
{
	char path[64];
	double t0 = now();
	int n, err, hit, failures = 0;

	snprintf(path, sizeof(path), "/opt/%s.ko", name);
	if (mod_loaded(name)) {
		bad("attach %s: the module is already loaded", name);
		walk_done(name, 0, 0, t0);
		return;
	}
	for (n = 1; n <= MAX_POINTS; n++) {
		err = mod_load_nth(path, n, &hit);
		if (err && !hit)
			bad("attach %s: n=%d: load failed (%s) with no failure injected",
			    name, n, strerror(err));
		if (err) {
			failures++;
			if (err != ENOMEM && err != EAGAIN && err != ENXIO)
				bad("attach %s: n=%d: load failed with %s",
				    name, n, strerror(err));
			if (mod_loaded(name) || exists(dev))
				bad("attach %s: n=%d: failed load left %s",
				    name, n,
				    mod_loaded(name) ? "the module" : dev);
			err = mod_load(path);
			if (err)
				bad("attach %s: n=%d: reload failed: %s", name,
				    n, strerror(err));
		}
		if (!err && !exists(dev)) {
			/* a PCI probe failed: clean unless nothing failed */
			if (!hit)
				bad("attach %s: n=%d: loaded without %s", name,
				    n, dev);
			failures++;
		}
		if (!err) {
			err = mod_unload(name);
			if (err)
				bad("attach %s: n=%d: rmmod: %s", name, n,
				    strerror(err));
		}
		if (!hit || why[0] || too_slow(n, t0))
			break;
	}
	if (!why[0]) { /* and once more, clean, with its node */
		err = mod_load(path);
		if (err || !exists(dev))
			bad("attach %s: a clean load after the walk: %s", name,
			    err ? strerror(err) : "no device node");
		if (!err)
			mod_unload(name);
	}
	snprintf(path, sizeof(path), "attach %s", name);
	walk_done(path, n - 1, failures, t0);
}

/* ---- mmap ---- */

static struct dmt_stats dmt_stats(int fd)
{
	struct dmt_stats s;

	memset(&s, 0, sizeof(s));
	ioctl(fd, DMT_GET_STATS, &s);
	return s;
}

static void walk_mmap(void)
{
	int fd = dev_open(DMT_DEV), n, hit, err, failures = 0;
	double t0 = now();
	struct dmt_stats s;
	const char *e;
	char *va;

	ioctl(fd, DMT_RESET, 0);
	for (n = 1; n <= MAX_POINTS; n++) {
		nth_set(nth_fd, n);
		va = mmap(NULL, DMT_PAGES * P, RW, MAP_SHARED, fd, 0);
		err = va == MAP_FAILED ? errno : 0;
		hit = nth_hit(nth_fd);
		if (err) {
			failures++;
			if (!hit)
				bad("mmap: n=%d: %s with no failure injected",
				    n, strerror(err));
			if (err != ENOMEM && err != EAGAIN && err != ENXIO)
				bad("mmap: n=%d: failed with %s", n,
				    strerror(err));
			if (maps_any(DMT_DEV))
				bad("mmap: n=%d: a failed mmap left a mapping",
				    n);
			va = mmap(NULL, DMT_PAGES * P, RW, MAP_SHARED, fd, 0);
			if (va == MAP_FAILED) {
				bad("mmap: n=%d: a fresh mmap failed: %s", n,
				    strerror(errno));
				break;
			}
		}
		/* a default page and the context page work */
		for (int i = 1; i >= 0; i--) {
			uint32_t want = 0x5eed0000u | (i << 12) | n;

			e = set_word(va + i * P, want) ?
				    "a signal" :
				    check_word(va + i * P, want);
			if (e)
				bad("mmap: n=%d: page %d: %s", n, i, e);
		}
		munmap(va, DMT_PAGES * P);
		if (!hit || why[0] || too_slow(n, t0))
			break;
	}
	s = dmt_stats(fd);
	if (s.maps != s.unmaps)
		bad("mmap: devmap_map called %d times, devmap_unmap %d", s.maps,
		    s.unmaps);
	close(fd);
	walk_done("mmap", n - 1, failures, t0);
}

/* ---- fault: the first touch, in a child ---- */

static int child_pipe = -1;

/* A child's SIGBUS: tell whether the injection was consumed, then die. */
static void child_sigbus(int sig)
{
	char c = nth_hit(nth_fd) ? 'B' : 'b';

	if (write(child_pipe, &c, 1) != 1)
		_exit(9);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered when the handler returns */
}

/*
 * Run @op in a child with the n-th injection armed around it.  The child
 * reports through a pipe: 'H' (the point was reached, no signal), 'N'
 * (not reached), 'B'/'b' (SIGBUS, point reached / not).  Returns that
 * letter, or 'X' with a description in @what for anything else.
 */
static char run_child(int n, int (*op)(void *), void *arg, char *what,
		      size_t whatlen)
{
	struct sigaction sa = { .sa_handler = child_sigbus };
	int p[2], status;
	char c = 'X';
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) {
		perror("pipe");
		exit(2);
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		snprintf(what, whatlen, "fork: %s", strerror(errno));
		return 'X';
	}
	if (pid == 0) {
		close(p[0]);
		child_pipe = p[1];
		/* the child's own fail-nth */
		nth_fd = open(FAILNTH, O_RDWR | O_CLOEXEC);
		if (nth_fd < 0)
			_exit(8);
		sigaction(SIGBUS, &sa, NULL);
		if (op(arg))
			_exit(7);
		nth_set(nth_fd, n);
		op(NULL);
		c = nth_hit(nth_fd) ? 'H' : 'N';
		_exit(write(p[1], &c, 1) == 1 ? 0 : 9);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		c = 'X';
	close(p[0]);
	waitpid(pid, &status, 0);
	if (c == 'B' || c == 'b') {
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGBUS)
			c = 'X';
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		c = 'X';
	}
	if (c == 'X')
		snprintf(what, whatlen, "child %s %d",
			 WIFSIGNALED(status) ? "killed by signal" :
					       "exited with",
			 WIFSIGNALED(status) ? WTERMSIG(status) :
					       WEXITSTATUS(status));
	return c;
}

static volatile uint32_t *touch_va;

/* Map two pages (arg != NULL: prepare) or touch the page (arg == NULL). */
static int op_touch(void *arg)
{
	static char *va;

	if (arg) {
		int fd = open(DMT_DEV, O_RDWR);

		va = fd < 0 ? MAP_FAILED :
			      mmap(NULL, 2 * P, RW, MAP_SHARED, fd, 0);
		if (va == MAP_FAILED)
			return -1;
		close(fd);
		touch_va = (uint32_t *)(va + *(int *)arg * P);
		return 0;
	}
	*touch_va = 0x70c4;
	return 0;
}

static void walk_fault(const char *name, int page)
{
	int fd = dev_open(DMT_DEV), n, failures = 0;
	char *va = mmap(NULL, 2 * P, RW, MAP_SHARED, fd, 0), what[128], c;
	double t0 = now();

	if (va == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	for (n = 1; n <= MAX_POINTS; n++) {
		/* the parent owns the context: the child's touch switches */
		if (set_word(va, 0x9a4e0000u | n))
			bad("%s: n=%d: the parent's context page", name, n);
		c = run_child(n, op_touch, &page, what, sizeof(what));
		if (c == 'X' || c == 'b')
			bad("%s: n=%d: %s", name, n,
			    c == 'b' ? "SIGBUS with no failure injected" :
				       what);
		failures += c == 'B';
		if (check_word(va, 0x9a4e0000u | n))
			bad("%s: n=%d: the parent's context was lost: %s", name,
			    n, check_word(va, 0x9a4e0000u | n));
		if (c == 'N' || why[0] || too_slow(n, t0))
			break;
	}
	/* a clean first touch still works */
	if (!why[0] && run_child(MAX_POINTS * 100, op_touch, &page, what,
				 sizeof(what)) != 'N')
		bad("%s: a clean touch after the walk: %s", name, what);
	munmap(va, 2 * P);
	close(fd);
	walk_done(name, n - 1, failures, t0);
}

/* ---- fork of a process mapping the device ---- */

static void walk_fork(void)
{
	int fd = dev_open(DMT_DEV), n, hit, err, status, failures = 0;
	char *va = mmap(NULL, DMT_PAGES * P, RW, MAP_SHARED, fd, 0);
	double t0 = now();
	const char *e;
	pid_t pid;

	if (va == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	for (n = 1; n <= MAX_POINTS; n++) {
		set_word(va, 0xf0c0000u | n);
		set_word(va + 2 * P, 0xf0c1000u | n);
		fflush(stdout);
		nth_set(nth_fd, n);
		pid = fork();
		err = pid < 0 ? errno : 0;
		if (pid == 0) {
			/* the dup works (0), or failed: SIGBUS (3), per docs */
			uint32_t v[2] = { 0, 0 };
			int s1 = probe((uint32_t *)(va + 2 * P), &v[0], 0);
			int s0 = probe((uint32_t *)va, &v[1], 0);

			if (s0 || s1)
				_exit(s0 == SIGBUS && s1 == SIGBUS ? 3 : 4);
			_exit(v[0] == (0xf0c1000u | n) &&
					      v[1] == (0xf0c0000u | n) ?
				      0 :
				      5);
		}
		hit = nth_hit(nth_fd);
		if (err) {
			failures++;
			if (!hit)
				bad("fork: n=%d: %s with no failure injected",
				    n, strerror(err));
			if (err != ENOMEM && err != EAGAIN)
				bad("fork: n=%d: failed with %s", n,
				    strerror(err));
		} else {
			/* the child's probe() catches SIGBUS: exit 3 then */
			waitpid(pid, &status, 0);
			if (WIFSIGNALED(status) ||
			    (WEXITSTATUS(status) && WEXITSTATUS(status) != 3))
				bad("fork: n=%d: the child %s %d", n,
				    WIFSIGNALED(status) ? "died of signal" :
							  "exited with",
				    WIFSIGNALED(status) ? WTERMSIG(status) :
							  WEXITSTATUS(status));
			else if (WEXITSTATUS(status) == 3 && !hit)
				bad("fork: n=%d: the child's mapping does not work with no failure injected",
				    n);
			failures += WEXITSTATUS(status) == 3;
		}
		e = check_word(va, 0xf0c0000u | n);
		if (!e)
			e = check_word(va + 2 * P, 0xf0c1000u | n);
		if (e)
			bad("fork: n=%d: the parent's mapping: %s", n, e);
		if (!hit || why[0] || too_slow(n, t0))
			break;
	}
	munmap(va, DMT_PAGES * P);
	close(fd);
	walk_done("fork", n - 1, failures, t0);
}

/* ---- munmap of a head, a tail or a hole ---- */

static void walk_munmap(const char *name, int first, int count)
{
	int fd = dev_open(DMT_DEV), n, i, hit, err, runs, pages, failures = 0;
	int want_runs = first == 0 || first + count == 4 ? 1 : 2;
	double t0 = now();
	const char *e;
	char *va;

	for (n = 1; n <= MAX_POINTS; n++) {
		va = mmap(NULL, 4 * P, RW, MAP_SHARED, fd, 0);
		if (va == MAP_FAILED) {
			bad("%s: n=%d: mmap: %s", name, n, strerror(errno));
			break;
		}
		for (i = 0; i < 4; i++)
			set_word(va + i * P, 0x3a900000u | (i << 12) | n);
		nth_set(nth_fd, n);
		err = munmap(va + first * P, count * P) ? errno : 0;
		hit = nth_hit(nth_fd);
		pages = maps_pages(DMT_DEV, (uintptr_t)va,
				   (uintptr_t)va + 4 * P, &runs);
		if (err) {
			failures++;
			if (!hit)
				bad("%s: n=%d: %s with no failure injected",
				    name, n, strerror(err));
			if (err != ENOMEM)
				bad("%s: n=%d: failed with %s", name, n,
				    strerror(err));
			if (pages != 4)
				bad("%s: n=%d: a failed munmap left %d of 4 pages",
				    name, n, pages);
		} else if (pages != 4 - count || runs != want_runs) {
			bad("%s: n=%d: after munmap %d pages in %d runs mapped, want %d in %d",
			    name, n, pages, runs, 4 - count, want_runs);
		}
		for (i = 0; i < 4; i++) {
			if (!err && i >= first && i < first + count)
				continue;
			/* the survivors work and kept their contents (page
			 * 0 is the context: the process still owns it) */
			e = check_word(va + i * P, 0x3a900000u | (i << 12) | n);
			if (e)
				bad("%s: n=%d: page %d: %s", name, n, i, e);
		}
		munmap(va, 4 * P);
		if (maps_any(DMT_DEV))
			bad("%s: n=%d: pages left after the final munmap", name,
			    n);
		if (!hit || why[0] || too_slow(n, t0))
			break;
	}
	close(fd);
	walk_done(name, n - 1, failures, t0);
}

/* ---- remap: mregion's revoke and restore, and a touch after them ---- */

static int mr_fd = -1;
static volatile uint32_t *mr_shm;
static int mr_err[2];

static int op_remap(void *arg)
{
	if (arg) {
		char *va = mmap(NULL, MR_SIZE, RW, MAP_SHARED, mr_fd, 0);

		if (va == MAP_FAILED)
			return -1;
		mr_shm = (uint32_t *)(va + MR_SHM_OFF);
		*mr_shm = *(uint32_t *)arg;
		return 0;
	}
	mr_err[0] = ioctl(mr_fd, MR_REVOKE, 0) ? errno : 0;
	mr_err[1] = ioctl(mr_fd, MR_RESTORE, 0) ? errno : 0;
	if (mr_err[0] != 0 && mr_err[0] != EIO && mr_err[0] != ENOMEM)
		_exit(5);
	if (mr_err[1] != 0 && mr_err[1] != EIO && mr_err[1] != ENOMEM)
		_exit(5);
	if (!mr_err[1])
		(void)*mr_shm; /* may SIGBUS (injected); not SIGSEGV */
	return 0;
}

static void walk_remap(void)
{
	uint32_t sig;
	char what[128], c, *va;
	double t0 = now();
	int n, failures = 0;

	mr_fd = dev_open(MR_DEV);
	va = mmap(NULL, MR_SIZE, RW, MAP_SHARED, mr_fd, 0);
	if (va == MAP_FAILED) {
		perror("mmap " MR_DEV);
		exit(2);
	}
	for (n = 1; n <= MAX_POINTS; n++) {
		sig = 0x4e3a0000u | n;
		c = run_child(n, op_remap, &sig, what, sizeof(what));
		if (c == 'X' || c == 'b')
			bad("remap: n=%d: %s", n,
			    c == 'b' ? "SIGBUS with no failure injected" :
				       what);
		failures += c == 'B';
		/* whatever failed, a clean restore brings the BAR back */
		if (ioctl(mr_fd, MR_RESTORE, 0))
			bad("remap: n=%d: a clean restore: %s", n,
			    strerror(errno));
		else if (check_word(va + MR_SHM_OFF, sig))
			bad("remap: n=%d: after a clean restore: %s", n,
			    check_word(va + MR_SHM_OFF, sig));
		if (c == 'N' || why[0] || too_slow(n, t0))
			break;
	}
	munmap(va, MR_SIZE);
	close(mr_fd);
	walk_done("remap", n - 1, failures, t0);
}

/* ---- setup ---- */

static void knob(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		printf("# %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/*
 * Silence the injection's own report (verbose 0: no "FAULT_INJECTION:
 * forcing a failure" and no stack dump) and let it reach GFP_KERNEL
 * allocations: failslab and fail_page_alloc both skip allocations that
 * may sleep by default (ignore-gfp-wait), and fail_page_alloc skips
 * order 0.  Probability stays 0: only fail-nth injects.
 */
static void set_knobs(void)
{
	static const char *const dirs[] = { "failslab", "fail_page_alloc" };

	for (unsigned int i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/verbose",
			 dirs[i]);
		knob(path, "0");
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/%s/ignore-gfp-wait", dirs[i]);
		knob(path, "N");
	}
	knob("/sys/kernel/debug/fail_page_alloc/min-order", "0");
	knob("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
}

static int want(int argc, char **argv, const char *walk)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], walk))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	nth_fd = open(FAILNTH, O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		printf("ok 1 # SKIP no /proc/self/fail-nth (kernel without CONFIG_FAULT_INJECTION)\n1..1\n");
		return 0;
	}
	set_knobs();
	console_quiet();
	if (want(argc, argv, "attach"))
		walk_attach("dmtest", DMT_DEV);
	if (want(argc, argv, "mmap") || want(argc, argv, "fault") ||
	    want(argc, argv, "fork") || want(argc, argv, "munmap")) {
		err = mod_load("/opt/dmtest.ko");
		if (err && err != EEXIST) {
			printf("Bail out! insmod dmtest.ko: %s\n",
			       strerror(err));
			console_restore();
			return 1;
		}
		if (want(argc, argv, "mmap"))
			walk_mmap();
		if (want(argc, argv, "fault")) {
			walk_fault("fault on the context page", 0);
			walk_fault("fault on a default page", 1);
		}
		if (want(argc, argv, "fork"))
			walk_fork();
		if (want(argc, argv, "munmap")) {
			walk_munmap("munmap head", 0, 1);
			walk_munmap("munmap tail", 3, 1);
			walk_munmap("munmap hole", 1, 2);
		}
		err = mod_unload("dmtest");
		ok(!err, "rmmod dmtest after the walks%s%s", err ? ": " : "",
		   err ? strerror(err) : "");
	}
	if (want(argc, argv, "remap")) {
		err = mod_load("/opt/mregion.ko");
		if (err && err != EEXIST) {
			printf("Bail out! insmod mregion.ko: %s\n",
			       strerror(err));
			console_restore();
			return 1;
		}
		walk_remap();
		err = mod_unload("mregion");
		ok(!err, "rmmod mregion after the walk%s%s", err ? ": " : "",
		   err ? strerror(err) : "");
	}
	if (want(argc, argv, "attach")) {
		walk_attach("xx", "/dev/xx0");
		walk_attach("hugetest", "/dev/hugetest0");
	}
	console_restore();
	ok(!why[0], "the kernel log after the walks%s%s", why[0] ? ": " : "",
	   why);
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
