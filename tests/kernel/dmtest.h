/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dmtest: the in-guest test driver's interface, shared by the driver and
 * the test programs.  The device is DMT_PAGES pages of kernel memory:
 * page 0 is a one-page device context (switched on access as in Example
 * 11-3), the others are plain shared memory with the default access.
 */
#ifndef _DMTEST_H
#define _DMTEST_H

#define DMT_PAGES 8
#define DMT_PAGE 4096
#define DMT_CTX_MAX 3 /* pages of a context, see DMT_SET_CTX_PAGES */

struct dmt_stats {
	int maps, accesses, dups, unmaps, switches, closes;
	int last_model; /* model of the last devmap(9E) call */
	int owner_pid; /* process owning the context, 0: none */
	int close_minor; /* the minor of the last close(9E) */
};

struct dmt_unmap {
	long long off;
	unsigned long len;
	int n1_is_dhp; /* new_dhp1 == dhp */
	int n2_is_dhp; /* new_dhp2 == dhp */
	int n2_new; /* new_dhp2 is a new handle */
};

/* Has process pid a valid translation at va, and of what kind? */
struct dmt_present {
	int pid;
	unsigned long va;
	int present; /* out: DMT_PRESENT_HUGE, DMT_PRESENT_PAGE, 0 none,
		      * -1 no such process or VMA */
};

/*
 * DMT_UMEM_DEFER: rounds times, lock [addr, addr + len) of the caller
 * (ddi_umem_lock, READ), make bufs bufs of its first page
 * (ddi_umem_iosetup), unlock it, and free the bufs with preemption off,
 * where freerbuf(9F) cannot release the pages itself and defers to
 * devmap's worker.  The last buf's release unpins the memory there.  On
 * PREEMPT_RT, where the allocator may not run with preemption off, the
 * bufs are freed with preemption on and nothing is deferred.
 */
struct dmt_umem_defer {
	unsigned long long addr, len;
	int bufs; /* 1..DMT_DEFER_BUFS */
	int rounds;
};

#define DMT_DEFER_BUFS 16

#define DMT_PRESENT_PAGE 1 /* a present page table entry (PTE) */
#define DMT_PRESENT_HUGE 2 /* a present huge (PMD) entry */

#define DMT_IOC ('d' << 8)
#define DMT_GET_STATS (DMT_IOC | 1) /* struct dmt_stats out */
#define DMT_RESET (DMT_IOC | 2)
#define DMT_FAIL_PID (DMT_IOC | 3) /* accesses by this pid get EIO */
#define DMT_LAST_UNMAP (DMT_IOC | 4) /* struct dmt_unmap out */
#define DMT_SET_HOLD (DMT_IOC | 5) /* context hold, in ticks */
#define DMT_FAIL_DUP (DMT_IOC | 7) /* the next devmap_dup fails */
#define DMT_PRESENT (DMT_IOC | 6) /* struct dmt_present in/out */
#define DMT_SET_CTX_PAGES (DMT_IOC | 8) /* context pages of new mappings */
#define DMT_UMEM_DEFER (DMT_IOC | 12) /* struct dmt_umem_defer in */
/* the next open(9E) is a clone open: it returns this minor (arg) */
#define DMT_CLONE_NEXT (DMT_IOC | 13)
/* segmap(9E) sets new mappings up at the mmap offset minus this many
 * bytes (a driver translating offsets; 0: as mapped) */
#define DMT_SEGMAP_SHIFT (DMT_IOC | 11)
#define DMT_LOAD_WHOLE \
	(DMT_IOC | 10) /* 1: a switch to a multi-page context loads it all */
#define DMT_EINTR_ON_SIGNAL \
	(DMT_IOC | 9) /* 1: access returns EINTR
					   while a signal is pending */

#endif /* _DMTEST_H */
