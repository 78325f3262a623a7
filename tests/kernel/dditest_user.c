// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * In-guest tests of the general DDI through the dditest driver on the edu
 * card: read(2)/write(2) reach read(9E)/write(9E) with a uio, the node's
 * properties match the card's PCI identity in sysfs, cv_reltimedwait_sig
 * ends on a wake, a signal and its timeout, and the driver's DDI values
 * (pid, hz, time and page macros, ASSERT/VERIFY, getinfo) are right; the
 * card's DMA engine copies bound memory into the card and back, each
 * transfer's interrupt waking the driver's cv_wait_sig; and memory locked
 * by ddi_umem_lock(9F) (dditest_umem.h): argument checks, DMA into and out of
 * it through ddi_umem_iosetup(9F) and ddi_dma_buf_bind_handle(9F), after
 * munmap and across fork, RLIMIT_MEMLOCK, mmap of it by another process
 * and an exit that leaves it locked.  Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ktap.h"
#include "dditest.h"

#define DEV "/dev/dditest0"
#define SYSFS "/sys/class/devmap/dditest0/device/"

#include "vmstat_user.h"
#include "dditest_umem.h"

static long sysfs_hex(const char *attr)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), SYSFS "%s", attr);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%li", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_values(int fd)
{
	struct ddt_values v;

	ok(ioctl(fd, DDT_VALUES, &v) == 0, "DDT_VALUES (an _IOR number) works");
	is(v.pid, getpid(), "ddi_get_pid() is the caller's pid");
	ok(v.hz >= 100 && v.hz <= 1000, "hz is a kernel HZ (100..1000)");
	printf("# hz %d\n", v.hz);
	is(v.msec_to_tick_1000, v.hz, "MSEC_TO_TICK(1000) == hz");
	is(v.msec_to_tick_1, v.hz / 1000, "MSEC_TO_TICK(1) rounds down");
	is(v.msec_to_tick_roundup_1, 1, "MSEC_TO_TICK_ROUNDUP(1) == 1");
	is(v.tick_to_msec_hz, 1000, "TICK_TO_MSEC(hz) == 1000");
	ok(v.p2roundup == 8192 && v.p2align == 4096 && v.p2phase == 904,
	   "P2ROUNDUP, P2ALIGN, P2PHASE of 5000 by 4096");
	ok(v.pagesize == (unsigned long)getpagesize() &&
		   v.pagemask == ~(v.pagesize - 1),
	   "PAGESIZE and PAGEMASK");
	ok(v.ddi_ptob_3 == 3 * v.pagesize && v.ddi_btop_8191 == 1 &&
		   v.ddi_btopr_8193 == 3,
	   "ddi_ptob, ddi_btop (down), ddi_btopr (up)");
	ok(v.map_type == 0x0f && v.map_type == MAP_TYPE,
	   "MAP_TYPE is Solaris' and Linux's 0x0f");
	ok(v.d_hotplug == 0x4 && v.tr_clock_tick == 4,
	   "D_HOTPLUG and TR_CLOCK_TICK have Solaris' values");
	is(v.model, 0, "ddi_model_convert_from(mode & FMODELS): native");
	is(v.assert_evaluated, 0, "ASSERT is not evaluated without DEBUG");
	is(v.verify_evaluated, 1, "VERIFY is evaluated once");
	is(v.getinfo_instance, 0, "getinfo(9E) with (dev_t)arg: instance 0");
	ok(v.pfn_ok, "hat_getkpfnum gives a pfn_t (an integer page number)");
	ok(v.uio_kernel_ok, "uiomove fills two UIO_SYSSPACE iovecs");
	ok(v.cookie_ok, "a umem cookie's cvaddr and size (Solaris' members)");
	ok(v.usectohz_1 == 1 && v.usectohz_1s == v.hz,
	   "drv_usectohz: 1 us is a tick (rounds up), 1 s is hz ticks");
	is(v.usectohz_5000s, 5000L * v.hz,
	   "drv_usectohz(5000 s): the whole clock_t, not its low 32 bits");
	is(v.usectohz_neg, 0, "drv_usectohz of a negative time: 0 ticks");
}

/* The kernel's taint flags; -1 when they cannot be read. */
static long tainted(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	long t = -1;

	if (f) {
		if (fscanf(f, "%ld", &t) != 1)
			t = -1;
		fclose(f);
	}
	return t;
}

#define TAINT_WARN (1L << 9) /* a WARN() fired */

/*
 * A driver may hand kmem_alloc(9F) a length a user chose: a size no
 * allocator gives (past INT_MAX, or past what memory holds) fails with
 * NULL, for KM_SLEEP and KM_NOSLEEP alike, and the kernel says nothing
 * (no WARN: with panic_on_warn, any user could stop the machine).
 */
static void test_kmem(int fd)
{
	static const unsigned long sizes[] = { 3UL << 30, 1UL << 40, ~0UL >> 1,
					       ~0UL };
	struct ddt_kmem small = { .size = 3 * 4096, .nosleep = 0 };
	long before = tainted();
	int refused = 0, n = 0;

	for (int s = 0; s < 2; s++)
		for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]);
		     i++, n++) {
			struct ddt_kmem k = { .size = sizes[i], .nosleep = s };

			refused += ioctl(fd, DDT_KMEM, &k) != 0 &&
				   errno == ENOMEM;
		}
	is(refused, n,
	   "kmem_alloc of 3 GiB, 1 TiB, LONG_MAX, ULONG_MAX bytes (KM_SLEEP, KM_NOSLEEP): NULL");
	if (before < 0 || (before & TAINT_WARN))
		skip("the kernel's taint flags are unreadable or show an earlier WARN");
	else
		ok(!(tainted() & TAINT_WARN),
		   "... and no WARN (the kernel's taint flags stay clean)");
	ok(ioctl(fd, DDT_KMEM, &small) == 0, "kmem_alloc of three pages works");
}

/* Lines of the kernel log holding @what; -1 if it cannot be read. */
static int log_lines(const char *what)
{
	char cmd[160];
	int n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "dmesg | grep -c '%s'", what);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/*
 * A warning a user can make a driver log again and again is rate limited
 * (cmn_err(9F), per call site: 10 lines per 5 s): 448 requests log at
 * least one line and at most 10 for each 5 s begun while they ran, plus
 * one interval.
 */
static void test_warn(int fd)
{
	int before = log_lines(DDT_WARN_MSG), after, sent = 0;
	double t0 = now(), took;
	long most;

	if (before < 0) {
		skip("no dmesg to count the warnings in");
		return;
	}
	for (int i = 0; i < 448; i++)
		sent += ioctl(fd, DDT_WARN, (long)i) == 0;
	took = now() - t0;
	after = log_lines(DDT_WARN_MSG);
	most = 10 * ((long)(took / 5) + 2);
	printf("# 448 warnings asked for in %.1f s: %d logged (at most %ld)\n",
	       took, after - before, most);
	ok(sent == 448 && after - before >= 1 && after - before <= most,
	   "cmn_err: 448 warnings a user asks for are rate limited");
}

static void test_props(int fd)
{
	struct ddt_props p;

	ok(ioctl(fd, DDT_PROPS, &p) == 0, "DDT_PROPS works");
	ok(p.vendor == sysfs_hex("vendor") && p.vendor == 0x1234,
	   "vendor-id is the card's (0x1234)");
	ok(p.device == sysfs_hex("device") && p.device == 0x11e8,
	   "device-id is the card's (0x11e8)");
	ok(p.subvendor == sysfs_hex("subsystem_vendor") &&
		   p.subsystem == sysfs_hex("subsystem_device") &&
		   p.revision == sysfs_hex("revision") &&
		   p.class_code == sysfs_hex("class"),
	   "subsystem-vendor-id, subsystem-id, revision-id, class-code");
	is(p.missing, -7, "a missing property gives the default");
	is(p.getprop_device, 0x11e8, "ddi_getprop");
	is(p.notprom_device, 0x11e8, "DDI_PROP_NOTPROM keeps the PCI identity");
	ok(p.longprop_rc == 0 && p.longprop_len == 4 &&
		   p.longprop_val == 0x1234,
	   "ddi_getlongprop: the value in allocated memory");
	is(p.longprop_missing_rc, 1,
	   "ddi_getlongprop: DDI_PROP_NOT_FOUND for a missing one");
	ok(p.len_rc == 0 && p.len == 4, "ddi_prop_op PROP_LEN");
	ok(p.small_rc == 5 && p.small_len == 4,
	   "PROP_LEN_AND_VAL_BUF: DDI_PROP_BUF_TOO_SMALL and the length");
	ok(p.buf_rc == 0 && p.buf_val == 0x11e8,
	   "PROP_LEN_AND_VAL_BUF: the value");
	ok(p.exists_rc == 0 && p.exists_missing_rc == 1, "PROP_EXISTS");
}

static void test_rw(int fd)
{
	char buf[DDT_BUFSIZE], back[DDT_BUFSIZE];
	void *bad =
		mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (int i = 0; i < DDT_BUFSIZE; i++)
		buf[i] = (char)(i * 7 + 1);
	ok(pwrite(fd, buf, sizeof(buf), 0) == DDT_BUFSIZE,
	   "write(2) reaches write(9E): the whole buffer");
	memset(back, 0, sizeof(back));
	ok(pread(fd, back, sizeof(back), 0) == DDT_BUFSIZE &&
		   !memcmp(buf, back, sizeof(buf)),
	   "read(2) reaches read(9E): the same bytes back");
	ok(pwrite(fd, "hello", 5, 100) == 5 && pread(fd, back, 5, 100) == 5 &&
		   !memcmp(back, "hello", 5),
	   "uio_offset is the file offset");
	ok(pread(fd, back, 10, DDT_BUFSIZE - 4) == 4,
	   "a read across the end returns what is there (uio_resid)");
	ok(pread(fd, back, 10, DDT_BUFSIZE) == 0, "a read at the end: 0");
	errno = 0;
	ok(pwrite(fd, buf, 10, DDT_BUFSIZE) == -1 && errno == ENOSPC,
	   "a write(9E) error that moved nothing is the write's errno");
	errno = 0;
	ok(bad != MAP_FAILED && pread(fd, bad, 10, 0) == -1 && errno == EFAULT,
	   "uiomove to a PROT_NONE user page: EFAULT");
	munmap(bad, 4096);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_wait(int fd)
{
	struct ddt_wait w = { .ticks = 5 };
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	double t0 = now();
	int status;
	pid_t child;

	ok(ioctl(fd, DDT_WAIT, &w) == 0 && w.ret == -1 && now() - t0 >= 0.004,
	   "cv_reltimedwait_sig: -1 when the time runs out");
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	w.ticks = 30 * 1000;
	t0 = now();
	errno = 0;
	ok(ioctl(fd, DDT_WAIT, &w) == -1 && errno == EINTR && now() - t0 < 20,
	   "cv_reltimedwait_sig: 0 (EINTR) on a signal");
	child = fork();
	if (child == 0) {
		struct ddt_wait cw = { .ticks = 30 * 1000 };

		_exit(ioctl(fd, DDT_WAIT, &cw) == 0 && cw.ret > 0 ? 0 : 1);
	}
	for (int i = 0; i < 200 && waitpid(child, &status, WNOHANG) == 0; i++) {
		ioctl(fd, DDT_WAKE);
		usleep(50000);
	}
	if (waitpid(child, &status, WNOHANG) == 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "cv_reltimedwait_sig: the ticks left when woken");
}

/* DDI return values the driver reports */
#define DDI_SUCCESS 0
#define DDI_FAILURE (-1)
#define DDI_EINVAL (-4)
#define DDI_DMA_MAPPED 0
#define DDI_DMA_NOMAPPING (-2)
#define DDI_DMA_INUSE (-9)
#define DDI_INTR_TYPE_MSI 0x2

static void test_dma(int fd)
{
	struct ddt_dma d;
	int rc;

	memset(&d, 0, sizeof(d));
	alarm(10); /* a lost interrupt: EINTR, not a hang */
	rc = ioctl(fd, DDT_DMA, &d);
	alarm(0);
	ok(rc == 0, "DDT_DMA: two DMA transfers ended with their interrupts");
	if (rc != 0)
		perror("DDT_DMA");
	ok(d.intr_types & DDI_INTR_TYPE_MSI,
	   "ddi_intr_get_supported_types: the edu card has MSI");
	is(d.intr_type, DDI_INTR_TYPE_MSI, "attach(9E) allocated the MSI");
	is(d.nintrs, 1, "ddi_intr_get_nintrs: one MSI");
	ok(d.intr_pri > 0 && d.intr_pri < 10,
	   "ddi_intr_get_pri: a priority below LOCK_LEVEL");
	is(d.handler_twice_rc, DDI_EINVAL,
	   "ddi_intr_add_handler on an enabled interrupt: DDI_EINVAL");
	is(d.kmem_as_rc, DDI_DMA_NOMAPPING,
	   "ddi_dma_addr_bind_handle with an address space: DDI_DMA_NOMAPPING");
	is(d.kmem_bind_rc, DDI_DMA_MAPPED,
	   "ddi_dma_addr_bind_handle of a kmem_alloc page: DDI_DMA_MAPPED");
	is(d.kmem_ncookies, 1, "... in one cookie");
	is(d.kmem_cookie_size, 4096, "... of the page's size");
	is(d.kmem_inuse_rc, DDI_DMA_INUSE, "binding it again: DDI_DMA_INUSE");
	ok(d.kmem_sync_dev_rc == DDI_SUCCESS &&
		   d.kmem_sync_cpu_rc == DDI_SUCCESS,
	   "ddi_dma_sync FORDEV (all) and FORCPU (a range): DDI_SUCCESS");
	is(d.kmem_sync_out_rc, DDI_FAILURE,
	   "ddi_dma_sync beyond the binding: DDI_FAILURE");
	ok(d.kmem_iter_ok, "ddi_dma_cookie_iter: the cookie, then NULL");
	is(d.kmem_unbind_rc, DDI_SUCCESS, "ddi_dma_unbind_handle: DDI_SUCCESS");
	is(d.kmem_unbind_again_rc, DDI_FAILURE,
	   "ddi_dma_unbind_handle of an unbound handle: DDI_FAILURE");
	is(d.mem_rc, DDI_SUCCESS, "ddi_dma_mem_alloc within 28 address bits");
	is(d.mem_real_length, 4096, "... its real length is a page");
	is(d.bind_rc, DDI_DMA_MAPPED,
	   "ddi_dma_addr_bind_handle of that memory");
	is(d.ncookies, 1, "... in one cookie");
	is(d.cookie_size, 2 * DDT_DMA_LEN, "... of the bound length");
	ok(d.cookie_addr + d.cookie_size - 1 <= 0x0FFFFFFFUL,
	   "... within the attributes' dma_attr_addr_hi (28 bits)");
	printf("# cookie 0x%lx+%lu\n", d.cookie_addr, d.cookie_size);
	ok(d.nextcookie_ok, "ddi_dma_nextcookie: no cookie after the one");
	is(d.to_card_rc, 0,
	   "DMA from RAM to the card: its interrupt woke cv_wait_sig");
	is(d.from_card_rc, 0,
	   "DMA from the card to RAM: its interrupt woke cv_wait_sig");
	is(d.intrs, 2, "the handler claimed one interrupt per transfer");
	is(d.status_seen, 0x100, "... with the DMA status bit, acknowledged");
	is(d.sync_rc, DDI_SUCCESS, "ddi_dma_sync FORCPU of the received half");
	ok(d.data_ok, "the card's copy came back into the other half");
	is(d.unbind_rc, DDI_SUCCESS,
	   "ddi_dma_unbind_handle after the transfers");
}

int main(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0) {
		perror(DEV);
		printf("not ok 1 - open " DEV "\n1..1\n");
		return 1;
	}
	test_values(fd);
	test_kmem(fd);
	test_warn(fd);
	test_props(fd);
	test_rw(fd);
	test_wait(fd);
	test_dma(fd);
	test_umem(fd);
	close(fd);
	test_umem_exit();
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
