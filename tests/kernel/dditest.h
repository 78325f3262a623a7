/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dditest: the interface of the general-DDI test driver, shared by the
 * driver and dditest_user.  The driver binds to QEMU's edu card (so that
 * its node has PCI properties) and keeps a DDT_BUFSIZE-byte buffer that
 * read(2)/write(2) reach through read(9E)/write(9E) and uiomove(9F), and
 * it locks user memory (ddi_umem_lock(9F)) for DMA by the card and for
 * mmap(2) of the device.
 */
#ifndef _DDITEST_H
#define _DDITEST_H

#define DDT_BUFSIZE 4096

/* What the driver computed with the DDI names under test. */
struct ddt_values {
	int pid; /* ddi_get_pid() */
	int hz;
	long msec_to_tick_1000; /* MSEC_TO_TICK(1000) */
	long msec_to_tick_1; /* MSEC_TO_TICK(1) */
	long msec_to_tick_roundup_1; /* MSEC_TO_TICK_ROUNDUP(1) */
	long tick_to_msec_hz; /* TICK_TO_MSEC(hz) */
	unsigned long p2roundup; /* P2ROUNDUP(5000, 4096) */
	unsigned long p2align; /* P2ALIGN(5000, 4096) */
	unsigned long p2phase; /* P2PHASE(5000, 4096) */
	unsigned long pagesize, pagemask;
	unsigned long ddi_ptob_3; /* ddi_ptob(dip, 3) */
	unsigned long ddi_btop_8191; /* ddi_btop(dip, 8191) */
	unsigned long ddi_btopr_8193; /* ddi_btopr(dip, 8193) */
	int map_type, d_hotplug, tr_clock_tick;
	int model; /* ddi_model_convert_from(mode & FMODELS) */
	int assert_evaluated; /* times ASSERT evaluated its expression */
	int verify_evaluated; /* times VERIFY did */
	int getinfo_instance; /* getinfo(9E) given (void *)dev */
	int pfn_ok; /* hat_getkpfnum() gave a pfn_t of the buffer's page */
	int uio_kernel_ok; /* uiomove over two UIO_SYSSPACE iovecs */
	int cookie_ok; /* a umem cookie's cvaddr and size are Solaris' */
	long usectohz_1; /* drv_usectohz(1): rounds up */
	long usectohz_1s; /* drv_usectohz(1000000) */
	long usectohz_5000s; /* drv_usectohz(5000000000): past 32 bits */
	long usectohz_neg; /* drv_usectohz(-1) */
};

/* Properties of the node (the edu card), through each interface. */
struct ddt_props {
	int vendor, device, subvendor, subsystem, revision, class_code;
	int missing; /* ddi_prop_get_int("no-such-prop", -7) */
	int getprop_device; /* ddi_getprop("device-id", -1) */
	int notprom_device; /* ddi_prop_get_int with DDI_PROP_NOTPROM */
	int longprop_rc, longprop_len, longprop_val; /* ddi_getlongprop */
	int longprop_missing_rc;
	int len_rc, len; /* ddi_prop_op PROP_LEN */
	int small_rc, small_len; /* PROP_LEN_AND_VAL_BUF, 2-byte buffer */
	int buf_rc, buf_val; /* PROP_LEN_AND_VAL_BUF, 4-byte buffer */
	int exists_rc, exists_missing_rc; /* PROP_EXISTS */
};

/* cv_reltimedwait_sig(9F) for up to ticks; ret: what it returned */
struct ddt_wait {
	long ticks;
	long ret;
};

/*
 * DMA and interrupts on the edu card (DDT_DMA): the card's DMA engine
 * copies half of a ddi_dma_mem_alloc(9F) page bound with
 * ddi_dma_addr_bind_handle(9F) into its own buffer and back into the
 * other half, each transfer ending with an interrupt whose handler wakes
 * the ioctl's cv_wait_sig(9F); and a kmem_alloc(9F) page is bound too.
 */
struct ddt_dma {
	int intr_types; /* ddi_intr_get_supported_types() */
	int intr_type; /* the type attach(9E) allocated */
	int nintrs; /* ddi_intr_get_nintrs() of that type */
	int intr_pri; /* ddi_intr_get_pri() */
	int handler_twice_rc; /* ddi_intr_add_handler while enabled */
	/* a kmem_alloc'd page on a handle of 64-bit attributes */
	int kmem_bind_rc, kmem_ncookies;
	unsigned long kmem_cookie_size;
	int kmem_inuse_rc; /* binding it again */
	int kmem_sync_dev_rc, kmem_sync_cpu_rc, kmem_sync_out_rc;
	int kmem_iter_ok; /* ddi_dma_cookie_iter: the cookie, then NULL */
	int kmem_unbind_rc, kmem_unbind_again_rc;
	int kmem_as_rc; /* binding with an address space */
	/* ddi_dma_mem_alloc within the card's 28 address bits */
	int mem_rc;
	unsigned long mem_real_length;
	int bind_rc, ncookies;
	unsigned long cookie_addr, cookie_size;
	int nextcookie_ok; /* ddi_dma_nextcookie: nothing after the one */
	int to_card_rc, from_card_rc; /* 0, or EINTR (cv_wait_sig) */
	int intrs; /* interrupts the handler claimed during DDT_DMA */
	int status_seen; /* the status bits the handler acknowledged */
	int data_ok; /* the card's copy came back into the other half */
	int sync_rc, unbind_rc;
};

#define DDT_DMA_LEN 2048 /* bytes of each transfer */

/*
 * Locked user memory: the driver keeps up to DDT_NLOCKS cookies of
 * ddi_umem_lock(9F), unlocked by DDT_UUNLOCK or by close(9E) (the last
 * close of the device, as a process's exit does it).
 */
#define DDT_NLOCKS 8
#define DDT_MAXCOOKIES 8
#define DDT_CHUNK 2048

/* DDT_ULOCK: ddi_umem_lock(addr, len, flags); its errno is the ioctl's */
struct ddt_ulock {
	unsigned long addr, len;
	int flags; /* DDI_UMEMLOCK_READ 1, DDI_UMEMLOCK_WRITE 2 */
	int slot; /* out: for the other DDT_U* ioctls */
};

/*
 * DDT_UDMA: a buf(9S) of ddi_umem_iosetup(9F) over [off, off + len) of a
 * slot's memory, bound with ddi_dma_buf_bind_handle(9F) and moved by the
 * card's DMA engine, one transfer per cookie through the card's buffer,
 * in pieces of at most DDT_CHUNK bytes (QEMU 7.2's card refuses a
 * transfer that ends at the end of its 4 KiB buffer), the last ending in
 * the interrupt handler's biodone(9F) that wakes the ioctl's biowait(9F).
 * DDT_UDMA_IN (B_READ): the card writes the memory, byte i of each piece
 * being (seed + 7 * i) & 0xff; DDT_UDMA_OUT
 * (B_WRITE): the card reads it and the driver hashes what it read (32-bit
 * FNV-1a over the bytes in order).
 */
#define DDT_UDMA_IN 0
#define DDT_UDMA_OUT 1
/* a B_WRITE buf bound for the card to write it (DDI_DMA_READ): refused */
#define DDT_UDMA_WRONG 2
/* as DDT_UDMA_WRONG, but the driver turns the buf's flags to B_READ
 * first: refused all the same on memory locked only for reading */
#define DDT_UDMA_FLIP 3
/* a B_WRITE buf whose b_bcount the driver made a page longer than the
 * locked memory: refused */
#define DDT_UDMA_LONG 4
struct ddt_udma {
	int slot, dir;
	unsigned long off, len;
	int seed;
	int iosetup_ok; /* ddi_umem_iosetup gave a buf */
	int buf_ok; /* its b_flags, b_bcount, b_un.b_addr, b_edev, b_blkno */
	int bind_rc;
	int ncookies;
	unsigned long csize[DDT_MAXCOOKIES]; /* the cookies' sizes */
	int iter_ok; /* ddi_dma_cookie_iter and ddi_dma_nextcookie agree */
	unsigned int hash; /* DDT_UDMA_OUT */
	int biowait_rc;
	int done_flag; /* B_DONE was set by biodone */
	int iodone_ok; /* a buf with b_iodone: biodone called it once */
	int geterror_ok; /* geterror: 0, EIO for B_ERROR, b_error */
	int unbind_rc;
};

#define DDT_ULOCK _IOWR('D', 6, struct ddt_ulock)
#define DDT_UUNLOCK _IO('D', 7) /* arg: the slot */
#define DDT_UDMA _IOWR('D', 8, struct ddt_udma)
#define DDT_UEXPORT _IO('D', 9) /* arg: the slot mmap(2) maps at offset 0 */
#define DDT_UCOUNT _IOR('D', 10, int) /* cookies the driver holds */

/*
 * kmem_alloc(9F) of a size the caller picks, as a driver that takes a
 * length from a user does: ENOMEM when it returns NULL, else 0 (the
 * memory is freed at once).
 */
struct ddt_kmem {
	unsigned long size;
	int nosleep; /* KM_NOSLEEP, else KM_SLEEP */
};

#define DDT_KMEM _IOW('D', 11, struct ddt_kmem)
/* cmn_err(9F) CE_WARN of DDT_WARN_MSG and arg, as a driver warning about a
 * user's request does: rate limited per call site */
#define DDT_WARN _IO('D', 12)
#define DDT_WARN_MSG "dditest: a user asked for a warning"

#define DDT_VALUES _IOR('D', 1, struct ddt_values)
#define DDT_PROPS _IOR('D', 2, struct ddt_props)
#define DDT_WAIT _IOWR('D', 3, struct ddt_wait) /* EINTR on a signal */
#define DDT_WAKE _IO('D', 4) /* ends every DDT_WAIT */
#define DDT_DMA _IOR('D', 5, struct ddt_dma) /* EINTR on a signal */

/*
 * 32-bit FNV-1a of @n bytes at @p, continued from @h (DDT_FNV_INIT to
 * start): how the driver reports the data the card moved and how the
 * test checks it.
 */
#define DDT_FNV_INIT 2166136261U
static inline unsigned int ddt_fnv(unsigned int h, const unsigned char *p,
				   unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619U;
	return h;
}

#endif /* _DDITEST_H */
