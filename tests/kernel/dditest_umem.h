/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dditest_user's tests of locked user memory (reference checklist row 51,
 * issue 11): ddi_umem_lock(9F)'s errors, DMA by the edu card into and out
 * of a locked buffer through ddi_umem_iosetup(9F) and
 * ddi_dma_buf_bind_handle(9F) with biodone(9F)/biowait(9F), a locked page
 * staying valid (and counted) after munmap until unlocked, fork while
 * locked, RLIMIT_MEMLOCK, mmap of the locked buffer by another process
 * (devmap_umem_setup(9F)), and an exit that leaves memory locked: the
 * driver's close(9E) unlocks it and the kernel's pin counters balance.
 * Included by dditest_user.c after ktap.h, dditest.h and vmstat_user.h; DEV
 * is its device.
 */
#ifndef _DDITEST_UMEM_H
#define _DDITEST_UMEM_H

#define UL_READ 1 /* DDI_UMEMLOCK_READ */
#define UL_WRITE 2 /* DDI_UMEMLOCK_WRITE */
#define UL_RW (UL_READ | UL_WRITE)
#define UL_MAPPED 0 /* DDI_DMA_MAPPED */
#define UL_NOMAPPING (-2) /* DDI_DMA_NOMAPPING */

static long pg; /* skip() is ktap.h's */

/* Pins acquired and released so far; false when not counted. */
static int pins(long *acq, long *rel)
{
	*acq = vmstat("nr_foll_pin_acquired");
	*rel = vmstat("nr_foll_pin_released");
	return *acq >= 0 && *rel >= 0;
}

/* Did pins taken since (acq0, rel0) all go, at least @min of them? */
static void pins_balance(long acq0, long rel0, long min, const char *name)
{
	long acq, rel;

	if (!pins(&acq, &rel)) {
		skip("no nr_foll_pin_* counters in /proc/vmstat");
		return;
	}
	if (!ok(acq - acq0 >= min && acq - acq0 == rel - rel0, name))
		printf("#   acquired %ld, released %ld\n", acq - acq0,
		       rel - rel0);
}

/* VmPin of the calling process in kB (mm->pinned_vm), -1 if absent. */
static long vmpin_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmPin:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

/* DDT_ULOCK: 0 and the slot, or the errno of ddi_umem_lock. */
static int ulock(int fd, void *addr, unsigned long len, int flags, int *slot)
{
	struct ddt_ulock u = { (unsigned long)addr, len, flags, -1 };

	if (ioctl(fd, DDT_ULOCK, &u) != 0)
		return errno;
	*slot = u.slot;
	return 0;
}

static int udma(int fd, int slot, int dir, unsigned long off, unsigned long len,
		int seed, struct ddt_udma *u)
{
	memset(u, 0, sizeof(*u));
	u->slot = slot;
	u->dir = dir;
	u->off = off;
	u->len = len;
	u->seed = seed;
	return ioctl(fd, DDT_UDMA, u);
}

static int ucount(int fd)
{
	int n = -1;

	return ioctl(fd, DDT_UCOUNT, &n) == 0 ? n : -1;
}

/*
 * What a DDT_UDMA_IN wrote at [off, off + len) of @want, cookie by
 * cookie; false when the cookies do not cover it exactly.
 */
static int pattern(const struct ddt_udma *u, unsigned char *want)
{
	unsigned long pos = u->off;

	for (int k = 0; k < u->ncookies && k < DDT_MAXCOOKIES; k++) {
		for (unsigned long i = 0; i < u->csize[k]; i++)
			want[pos + i] =
				(unsigned char)(u->seed + 7 * (i % DDT_CHUNK));
		pos += u->csize[k];
	}
	return pos == u->off + u->len;
}

/* Did DDT_UDMA_IN put its pattern into [off, off + len) of @buf? */
static int dma_landed(const struct ddt_udma *u, const unsigned char *buf)
{
	unsigned char *want = malloc(u->off + u->len);
	int same = want && pattern(u, want) &&
		   !memcmp(want + u->off, buf + u->off, u->len);

	free(want);
	return same;
}

static void *anon(unsigned long len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void test_umem_args(int fd)
{
	unsigned char *buf = anon(2 * pg, PROT_READ | PROT_WRITE);
	unsigned char *hole = anon(2 * pg, PROT_READ | PROT_WRITE);
	unsigned char *ro = anon(pg, PROT_READ);
	long acq0, rel0;
	int slot;

	memset(buf, 1, 2 * pg);
	munmap(hole + pg, pg); /* hole: one page mapped, then none */
	pins(&acq0, &rel0);
	is(ulock(fd, buf, pg, 0, &slot), EINVAL,
	   "ddi_umem_lock: flags 0: EINVAL");
	is(ulock(fd, buf, pg, 4, &slot), EINVAL,
	   "ddi_umem_lock: an unknown flag: EINVAL");
	is(ulock(fd, buf, pg, UL_READ | 8, &slot), EINVAL,
	   "ddi_umem_lock: READ with an unknown flag: EINVAL");
	is(ulock(fd, buf + 8, pg, UL_READ, &slot), EINVAL,
	   "ddi_umem_lock: an unaligned address: EINVAL");
	is(ulock(fd, buf, pg + 8, UL_READ, &slot), EINVAL,
	   "ddi_umem_lock: an unaligned length: EINVAL");
	is(ulock(fd, buf, 0, UL_READ, &slot), EINVAL,
	   "ddi_umem_lock: length 0: EINVAL");
	is(ulock(fd, hole + pg, pg, UL_READ, &slot), EFAULT,
	   "ddi_umem_lock: an unmapped address: EFAULT");
	is(ulock(fd, hole, 2 * pg, UL_RW, &slot), EFAULT,
	   "ddi_umem_lock: a range mapped only in part: EFAULT");
	is(ulock(fd, ro, pg, UL_WRITE, &slot), EFAULT,
	   "ddi_umem_lock: WRITE on a read-only mapping: EFAULT");
	is(ucount(fd), 0, "... the driver holds no cookie after them");
	pins_balance(acq0, rel0, 1,
		     "... and the page a partial lock pinned was unpinned");
	munmap(buf, 2 * pg);
	munmap(hole, pg);
	munmap(ro, pg);
}

/*
 * A shared mapping of a file's page cache (on a ramfs mounted for it: the
 * guest's root may be tmpfs, whose pages may be locked) is locked for the
 * device to read, never for it to write: the file system would not see
 * the writes.
 */
static void test_umem_file(int fd)
{
	char dir[] = "/tmp/dditest_ramfs.XXXXXX", path[sizeof(dir) + 2];
	unsigned char *m;
	int f, slot, rc;

	mkdir("/tmp", 0755);
	if (!mkdtemp(dir) ||
	    snprintf(path, sizeof(path), "%s/f", dir) >= (int)sizeof(path) ||
	    mount("ramfs", dir, "ramfs", 0, NULL) != 0) {
		skip("ddi_umem_lock of a file's pages: cannot mount a ramfs");
		rmdir(dir);
		return;
	}
	f = open(path, O_RDWR | O_CREAT, 0600);
	m = f < 0 || ftruncate(f, pg) ?
		    MAP_FAILED :
		    mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	if (ok(m != MAP_FAILED, "map a ramfs file shared")) {
		memset(m, 5, pg);
		is(ulock(fd, m, pg, UL_WRITE, &slot), EFAULT,
		   "ddi_umem_lock: WRITE on a file's page cache: EFAULT");
		rc = ulock(fd, m, pg, UL_READ, &slot);
		is(rc, 0, "ddi_umem_lock: READ on a file's page cache works");
		if (rc == 0)
			is(ioctl(fd, DDT_UUNLOCK, slot), 0, "... and unlocks");
		munmap(m, pg);
	}
	if (f >= 0)
		close(f);
	unlink(path);
	umount(dir);
	rmdir(dir);
}

/* DMA in and out of a locked buffer, sub-ranges, a read-only lock. */
static void test_umem_dma(int fd, unsigned char *buf, int slot)
{
	struct ddt_udma u;
	int ro = -1; /* no slot: DDT_UDMA's EINVAL if the lock fails */

	alarm(20);
	is(udma(fd, slot, DDT_UDMA_IN, 0, 2 * pg, 0x11, &u), 0,
	   "DDT_UDMA: the card wrote the locked buffer");
	ok(u.iosetup_ok && u.buf_ok,
	   "ddi_umem_iosetup: a buf(9S) with b_flags, b_bcount, b_un.b_addr, b_edev, b_blkno");
	is(u.bind_rc, UL_MAPPED, "ddi_dma_buf_bind_handle: DDI_DMA_MAPPED");
	ok(u.ncookies >= 1 && u.ncookies <= 2,
	   "... in a cookie per page at most (dma_attr_count_max 4095)");
	printf("# %d cookies\n", u.ncookies);
	ok(u.iter_ok, "ddi_dma_cookie_iter and ddi_dma_nextcookie walk them");
	is(u.biowait_rc, 0, "biowait: 0 after the interrupt's biodone");
	ok(u.done_flag, "... and biodone set B_DONE");
	ok(u.iodone_ok, "biodone calls b_iodone instead, once");
	ok(u.geterror_ok, "geterror: 0, EIO for B_ERROR alone, else b_error");
	is(u.unbind_rc, 0, "ddi_dma_unbind_handle of the buf's binding");
	ok(dma_landed(&u, buf), "the process sees the bytes the card wrote");
	is(udma(fd, slot, DDT_UDMA_IN, 100, 5000, 0x22, &u), 0,
	   "DDT_UDMA of bytes [100, 5100)");
	ok(u.bind_rc == UL_MAPPED && u.ncookies == 2 &&
		   u.csize[0] == (unsigned long)pg - 100,
	   "... two cookies, the first from byte 100 of the page");
	ok(dma_landed(&u, buf) && buf[99] == (unsigned char)(0x11 + 7 * 99),
	   "... the card wrote those bytes and nothing before them");
	for (long i = 0; i < 2 * pg; i++)
		buf[i] = (unsigned char)(i % 251);
	is(udma(fd, slot, DDT_UDMA_OUT, 0, 2 * pg, 0, &u), 0,
	   "DDT_UDMA out: the card read the locked buffer");
	ok(u.bind_rc == UL_MAPPED &&
		   u.hash == ddt_fnv(DDT_FNV_INIT, buf, 2 * pg),
	   "... the bytes the process wrote");
	ok(udma(fd, slot, DDT_UDMA_IN, pg, 2 * pg, 0, &u) == 0 && !u.iosetup_ok,
	   "ddi_umem_iosetup beyond the locked memory: NULL");
	is(ulock(fd, buf, pg, UL_READ, &ro), 0,
	   "the same page locked again, for reading only");
	ok(udma(fd, ro, DDT_UDMA_IN, 0, pg, 0, &u) == 0 && !u.iosetup_ok,
	   "ddi_umem_iosetup B_READ on memory locked only for reading: NULL");
	is(udma(fd, ro, DDT_UDMA_OUT, 0, pg, 0, &u), 0, "... B_WRITE works");
	ok(u.hash == ddt_fnv(DDT_FNV_INIT, buf, pg),
	   "... the card read the page");
	ok(udma(fd, ro, DDT_UDMA_WRONG, 0, pg, 0, &u) == 0 && u.iosetup_ok &&
		   u.bind_rc == UL_NOMAPPING,
	   "ddi_dma_buf_bind_handle of a B_WRITE buf for the device to write: DDI_DMA_NOMAPPING");
	ok(udma(fd, ro, DDT_UDMA_FLIP, 0, pg, 0, &u) == 0 && u.iosetup_ok &&
		   u.bind_rc == UL_NOMAPPING,
	   "... nor with its flags turned to B_READ: the lock decides");
	ok(udma(fd, ro, DDT_UDMA_LONG, 0, pg, 0, &u) == 0 && u.iosetup_ok &&
		   u.bind_rc == UL_NOMAPPING,
	   "ddi_dma_buf_bind_handle of a buf made longer than its locked memory: DDI_DMA_NOMAPPING");
	is(ioctl(fd, DDT_UUNLOCK, ro), 0, "ddi_umem_unlock of that lock");
	alarm(0);
}

/* A locked buffer survives munmap until ddi_umem_unlock. */
static void test_umem_munmap(int fd)
{
	unsigned char *buf = anon(2 * pg, PROT_READ | PROT_WRITE);
	unsigned char *want = malloc(2 * pg);
	long acq0, rel0, pin0 = vmpin_kb();
	struct ddt_udma u;
	int slot, counted;

	memset(buf, 0, 2 * pg);
	counted = pins(&acq0, &rel0);
	is(ulock(fd, buf, 2 * pg, UL_RW, &slot), 0,
	   "ddi_umem_lock of two pages, READ|WRITE");
	is(vmpin_kb() - pin0, 2 * pg / 1024,
	   "... charged to the process (VmPin, mm->pinned_vm)");
	if (counted)
		ok(vmstat("nr_foll_pin_acquired") - acq0 >= 2,
		   "... pinned (nr_foll_pin_acquired)");
	else
		skip("no nr_foll_pin_acquired in /proc/vmstat");
	test_umem_dma(fd, buf, slot);
	munmap(buf, 2 * pg);
	is(vmpin_kb() - pin0, 2 * pg / 1024,
	   "munmap of the locked buffer: the pin is still counted");
	alarm(20);
	is(udma(fd, slot, DDT_UDMA_IN, 0, 2 * pg, 0x33, &u), 0,
	   "... the card still writes its pages");
	ok(u.bind_rc == UL_MAPPED && pattern(&u, want), "... all of them");
	is(udma(fd, slot, DDT_UDMA_OUT, 0, 2 * pg, 0, &u), 0,
	   "... and reads them");
	ok(u.hash == ddt_fnv(DDT_FNV_INIT, want, 2 * pg),
	   "... back as written: the pages stayed the buffer's");
	alarm(0);
	is(ioctl(fd, DDT_UUNLOCK, slot), 0, "ddi_umem_unlock");
	is(vmpin_kb(), pin0, "... releases the charge");
	pins_balance(acq0, rel0, 2, "... and every pin (nr_foll_pin_*)");
	free(want);
}

/* fork while locked: the parent keeps the pinned page, the child a copy. */
static void test_umem_fork(int fd)
{
	unsigned char *buf = anon(pg, PROT_READ | PROT_WRITE);
	struct ddt_udma u;
	int slot, status, same = 1;
	pid_t child;

	memset(buf, 'p', pg);
	is(ulock(fd, buf, pg, UL_RW, &slot), 0, "a page locked before fork");
	child = fork();
	if (child == 0) {
		memset(buf, 'c', pg);
		_exit(buf[0] == 'c' && buf[pg - 1] == 'c' ? 0 : 1);
	}
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "fork: the child writes its copy");
	for (long i = 0; i < pg; i++)
		same &= buf[i] == 'p';
	ok(same, "... which is not the parent's locked page");
	alarm(20);
	is(udma(fd, slot, DDT_UDMA_IN, 0, pg, 0x44, &u), 0,
	   "the card writes the locked page after the fork");
	alarm(0);
	ok(dma_landed(&u, buf), "... and the parent sees it: it kept its page");
	is(ioctl(fd, DDT_UUNLOCK, slot), 0, "ddi_umem_unlock");
	munmap(buf, pg);
}

/* RLIMIT_MEMLOCK of one page, without CAP_IPC_LOCK (another user). */
static void test_umem_rlimit(int fd)
{
	unsigned char *buf = anon(2 * pg, PROT_READ | PROT_WRITE);
	int status;
	pid_t child = fork();

	if (child == 0) {
		struct rlimit rl = { pg, pg };
		int slot, r = 0;

		if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(65534) ||
		    setuid(65534))
			_exit(8);
		if (ulock(fd, buf, 2 * pg, UL_RW, &slot) == ENOMEM)
			r |= 1;
		if (ulock(fd, buf, pg, UL_RW, &slot) == 0) {
			r |= 2;
			if (ioctl(fd, DDT_UUNLOCK, slot) == 0 &&
			    ulock(fd, buf + pg, pg, UL_RW, &slot) == 0 &&
			    ioctl(fd, DDT_UUNLOCK, slot) == 0)
				r |= 4;
		}
		_exit(r);
	}
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 8) {
		skip("cannot lower RLIMIT_MEMLOCK and drop privileges");
		munmap(buf, 2 * pg);
		return;
	}
	ok(WEXITSTATUS(status) & 1,
	   "RLIMIT_MEMLOCK of a page: locking two pages: ENOMEM");
	ok(WEXITSTATUS(status) & 2, "... one page locks");
	ok(WEXITSTATUS(status) & 4,
	   "... and unlocking gives the charge back for another");
	munmap(buf, 2 * pg);
}

/* Another process maps the locked buffer (devmap_umem_setup). */
static void test_umem_devmap(int fd)
{
	unsigned char *buf = anon(2 * pg, PROT_READ | PROT_WRITE);
	long pin0 = vmpin_kb();
	int go[2], slot, ro, status;
	char *m;
	pid_t child;

	strcpy((char *)buf, "before fork");
	is(ulock(fd, buf, 2 * pg, UL_RW, &slot), 0, "a buffer locked to share");
	is(ioctl(fd, DDT_UEXPORT, slot), 0, "... the device's mmap maps it");
	if (pipe(go) != 0)
		return;
	child = fork();
	if (child == 0) {
		char c;

		m = read(go[0], &c, 1) == 1 ?
			    mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0) :
			    MAP_FAILED;
		if (m == MAP_FAILED)
			_exit(1);
		if (strcmp(m, "after fork"))
			_exit(2);
		strcpy(m + pg, "from the child");
		_exit(0);
	}
	strcpy((char *)buf, "after fork");
	if (write(go[1], "g", 1) != 1)
		kill(child, SIGKILL);
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "a second process maps the device: it reads the first one's locked bytes");
	ok(!strcmp((char *)buf + pg, "from the child"),
	   "... and the first one reads what it wrote there");
	close(go[0]);
	close(go[1]);
	is(ulock(fd, buf, pg, UL_READ, &ro), 0, "a page locked for reading");
	ioctl(fd, DDT_UEXPORT, ro);
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ok(m == MAP_FAILED, "... it cannot be mapped writable");
	m = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	ok(m != MAP_FAILED && !strcmp(m, "after fork"),
	   "... it can be mapped read-only");
	if (m != MAP_FAILED)
		munmap(m, pg);
	ioctl(fd, DDT_UUNLOCK, ro);
	ioctl(fd, DDT_UEXPORT, slot);
	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	is(ioctl(fd, DDT_UUNLOCK, slot), 0, "ddi_umem_unlock while mapped");
	munmap(buf, 2 * pg);
	ok(m != MAP_FAILED && !strcmp(m + pg, "from the child") &&
		   vmpin_kb() - pin0 == 2 * pg / 1024,
	   "... the mapping keeps the pages, still counted");
	if (m != MAP_FAILED)
		munmap(m, 2 * pg);
	is(vmpin_kb(), pin0, "... until it goes");
}

static void test_umem(int fd)
{
	pg = sysconf(_SC_PAGESIZE);
	test_umem_args(fd);
	test_umem_file(fd);
	test_umem_munmap(fd);
	test_umem_fork(fd);
	test_umem_rlimit(fd);
	test_umem_devmap(fd);
	is(ucount(fd), 0, "the driver holds no cookie after the tests");
}

/*
 * A process exits with memory locked: close(9E), on the last close that
 * its exit makes (the caller has closed its own descriptor), unlocks it.
 */
static void test_umem_exit(void)
{
	long acq0, rel0;
	int status, fd, counted = pins(&acq0, &rel0);
	pid_t child = fork();

	if (child == 0) {
		unsigned char *buf = anon(4 * pg, PROT_READ | PROT_WRITE);
		struct ddt_udma u;
		int slot, f = open(DEV, O_RDWR);

		if (f < 0 || ulock(f, buf, 4 * pg, UL_RW, &slot) ||
		    udma(f, slot, DDT_UDMA_IN, 0, 4 * pg, 0x55, &u) ||
		    !dma_landed(&u, buf))
			_exit(1);
		_exit(0); /* locked, descriptor open */
	}
	waitpid(child, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "a process locks memory, DMA lands in it, it exits locked");
	fd = open(DEV, O_RDWR);
	is(ucount(fd), 0, "close(9E) at its exit unlocked what it left");
	close(fd);
	if (counted)
		pins_balance(acq0, rel0, 4,
			     "... no pin leaked (nr_foll_pin_* balance)");
	else
		skip("no nr_foll_pin_* counters in /proc/vmstat");
}

#endif /* _DDITEST_UMEM_H */
