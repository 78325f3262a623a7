// SPDX-License-Identifier: GPL-2.0-only
/*
 * xx: the seed's one-page device context driver (Writing Device Drivers,
 * Example 11-3), written as a Solaris driver, on QEMU's edu PCI device.
 *
 * devmap(9E) maps the first page of BAR0 (register set 1) with
 * devmap_devmem_setup(9F).  Every mapping has its own device context, as
 * on a real context device: the edu registers that can be saved and
 * restored faithfully (liveness, DMA source, destination and count), the
 * card's 4 KiB DMA buffer as the process's DMAs left it, and the DMA the
 * process has in flight with its completion interrupt.  On an access by a
 * process that does not own the card, devmap_access(9E) calls
 * devmap_do_ctxmgt(9F) and xxdevmap_contextmgt() unloads the owner, waits
 * for the owner's DMA to end (its interrupt, xxintr(), wakes the wait; a
 * card that stays busy XX_DMA_TIMEOUT fails the switch: SIGBUS and a
 * warning), saves its registers with ddi_get32(9F) and the card's buffer
 * into the owner's memory by DMA, restores the requester's buffer by DMA
 * and its registers with ddi_put32(9F), and loads the requester's
 * mapping, with the example's error rules.  The buffer moves only when
 * needed: saved when a DMA changed it, restored when it holds another's.
 *
 * DMA is an ioctl (XX_DMA), not the process's writes to the mapped DMA
 * registers: the edu engine takes bus addresses and checks none of them
 * (a count past its buffer even stops the machine), so a process that
 * programmed it could read or write any memory of the machine.  A real
 * driver programs such an engine itself, with the addresses of memory it
 * bound for the purpose; here each context's own, allocated at its first
 * XX_DMA (ddi_dma_mem_alloc(9F), bound with ddi_dma_addr_bind_handle(9F)):
 * a transfer area copied from and to the process and the image of the
 * card's buffer that switches save and restore, so a process's DMA lands
 * in its own memory and no process sees another's data.  XX_DMA runs in
 * the caller's context (its mapping's; the one holding the card if it
 * has several), switching the card to it first as a fault would, but
 * leaving the mapping to load at its next access: a command to a context
 * device runs in the context loaded.  A process without a context (no
 * mapping, or a fork child that has not touched the one it inherited)
 * gets EAGAIN.  With XX_DMA_ASYNC it returns with the DMA in flight,
 * which the next XX_DMA, a switch or the context's munmap waits for.  The
 * edu card has no page of its own for the DMA registers, so a process can
 * still write them through its mapping, and while the card is a bus
 * master (from a context's first XX_DMA until the last context with DMA
 * memory goes: the DDI shim disables bus mastering with the device's last
 * DMA handle) whoever holds the card could program the engine to read or
 * write any memory.  So XX_DMA is for privileged callers only
 * (drv_priv(9F), EPERM otherwise), and a system that uses it trusts every
 * process that may map the card; a real device keeps its DMA registers
 * off user pages.  So are XX_FAIL_RESTORE (the next N restores fail,
 * whichever process they are for: SIGBUS in it) and XX_RESET (the
 * counters are every user's); XX_GET_STATS is anyone's.
 *
 * The card's interrupt (MSI, else INTx) is set up by the first open(9E)
 * and freed by the last close(9E), which comes after the last mapping and
 * so after the last DMA: a card nobody has open holds no vector and no
 * interrupt thread, and attach stays what Example 11-3's is.
 *
 * ctx_lock serialises the card (switches, DMAs, the buffer's owner) and
 * stays held while a DMA's end is awaited; intr_lock, at the interrupt's
 * priority, guards only what xxintr() sets: it is taken after ctx_lock.
 */
#include <sys/types.h>
#include <sys/errno.h>
#include <sys/ksynch.h>
#include <sys/kmem.h>
#include <sys/cmn_err.h>
#include <sys/conf.h>
#include <sys/ddi.h>
#include <sys/sunddi.h>
#include <sys/ddi_intr.h>
#include <sys/modctl.h>
#include "xx.h"

#define XX_DMA_TIMEOUT 5000000 /* us; an edu DMA takes 100 ms */

/* A context's DMA memory: the transfer area, then the buffer's image. */
#define XX_XFER 0
#define XX_IMAGE 0x1000
#define XX_DMA_MEM 0x2000

static const off_t xx_ctx_reg[XX_NCTX] = { XX_REG_LIVENESS, XX_REG_DMA_SRC,
					   XX_REG_DMA_DST, XX_REG_DMA_CNT };

struct xxstate;
struct xxctx {
	struct xxstate *xsp;
	struct xxctx *next; /* on xsp->ctxs */
	devmap_cookie_t handle;
	pid_t pid; /* its process, once known (mmap, access) */
	uint32_t regs[XX_NCTX]; /* the context as a process last left it */
	/* its DMA memory from its first XX_DMA on (dma_kva NULL before) */
	ddi_dma_handle_t dma_handle;
	ddi_acc_handle_t dma_acc;
	caddr_t dma_kva;
	uint32_t dma_addr; /* the bus address */
};

struct xxstate {
	dev_info_t *dip;
	caddr_t regs;
	ddi_acc_handle_t regs_handle;
	ddi_intr_handle_t intr;
	boolean_t intr_on; /* between the first open and the last close */
	kmutex_t ctx_lock;
	struct xxctx *ctxs; /* every context */
	struct xxctx *current_ctx;
	struct xxctx *buf_ctx; /* whose image the card's buffer holds */
	boolean_t buf_dirty; /* a DMA changed it since it was saved */
	struct xx_stats stats;
	int fail_restore;
	kmutex_t intr_lock;
	kcondvar_t dma_cv; /* a DMA ended */
	struct xxctx *dma_ctx; /* whose memory the DMA in flight uses */
	unsigned long intrs;
};

static void *xx_state;

static ddi_device_acc_attr_t xx_acc_attr = {
	.devacc_attr_version = DDI_DEVICE_ATTR_V0,
	.devacc_attr_endian_flags = DDI_STRUCTURE_LE_ACC,
	.devacc_attr_dataorder = DDI_STRICTORDER_ACC,
};

static ddi_dma_attr_t xx_dma_attr = {
	.dma_attr_version = DMA_ATTR_V0,
	.dma_attr_addr_lo = 0,
	.dma_attr_addr_hi = EDU_DMA_ADDR_HI,
	.dma_attr_count_max = XX_DMA_MEM - 1,
	.dma_attr_align = 1,
	.dma_attr_burstsizes = 1,
	.dma_attr_minxfer = 1,
	.dma_attr_maxxfer = XX_DMA_MEM,
	.dma_attr_seg = EDU_DMA_ADDR_HI,
	.dma_attr_sgllen = 1,
	.dma_attr_granular = 1,
};

static uint32_t xx_get(struct xxstate *xsp, off_t reg)
{
	return ddi_get32(xsp->regs_handle, (uint32_t *)(xsp->regs + reg));
}

static void xx_put(struct xxstate *xsp, off_t reg, uint32_t val)
{
	ddi_put32(xsp->regs_handle, (uint32_t *)(xsp->regs + reg), val);
}

/* Does the DMA engine run?  A card that went reads all ones: it does not. */
static boolean_t xx_dma_running(struct xxstate *xsp)
{
	uint32_t cmd = xx_get(xsp, EDU_DMA_CMD);

	return cmd != 0xFFFFFFFF && (cmd & EDU_DMA_START) ? B_TRUE : B_FALSE;
}

/* The card's interrupt: a DMA's end wakes xx_dma_wait(). */
static uint_t xxintr(caddr_t arg1, caddr_t arg2)
{
	struct xxstate *xsp = (struct xxstate *)arg1;
	uint32_t status = xx_get(xsp, EDU_INTR_STATUS);

	if (status == 0)
		return DDI_INTR_UNCLAIMED;
	xx_put(xsp, EDU_INTR_ACK, status);
	mutex_enter(&xsp->intr_lock);
	xsp->intrs++;
	/* a process can raise the status bits itself: ask the engine */
	if ((status & EDU_INTR_DMA) && !xx_dma_running(xsp))
		xsp->dma_ctx = NULL;
	cv_broadcast(&xsp->dma_cv);
	mutex_exit(&xsp->intr_lock);
	return DDI_INTR_CLAIMED;
}

/* Whose memory the DMA in flight uses, or NULL. */
static struct xxctx *xx_dma_ctx(struct xxstate *xsp)
{
	struct xxctx *ctxp;

	mutex_enter(&xsp->intr_lock);
	ctxp = xsp->dma_ctx;
	mutex_exit(&xsp->intr_lock);
	return ctxp;
}

/*
 * Start a DMA of @len bytes between the card's buffer at @off and @ctxp's
 * memory at @mem (ctx_lock held, no DMA in flight), with an interrupt at
 * its end.
 */
static void xx_dma_start(struct xxstate *xsp, struct xxctx *ctxp, off_t mem,
			 uint32_t off, uint32_t len, uint32_t cmd)
{
	uint32_t ram = ctxp->dma_addr + (uint32_t)mem;
	uint32_t card = EDU_DMA_BUF + off;

	xx_put(xsp, XX_REG_DMA_SRC, cmd & EDU_DMA_TO_RAM ? card : ram);
	xx_put(xsp, XX_REG_DMA_DST, cmd & EDU_DMA_TO_RAM ? ram : card);
	xx_put(xsp, XX_REG_DMA_CNT, len);
	mutex_enter(&xsp->intr_lock);
	xsp->dma_ctx = ctxp;
	mutex_exit(&xsp->intr_lock);
	xsp->stats.dmas++;
	xx_put(xsp, EDU_DMA_CMD, cmd | EDU_DMA_START | EDU_DMA_INTR);
}

/*
 * Wait (ctx_lock held) until no DMA is in flight.  A card that went
 * (removed, or its bus mastering off after an unbind) loses the interrupt;
 * its engine then reads idle (or all ones, when removed) and the wait
 * ends without it.  Returns 1 after a wait, 0 when there was no DMA, -1
 * when the engine still runs after XX_DMA_TIMEOUT.
 */
static int xx_dma_wait(struct xxstate *xsp)
{
	clock_t left = drv_usectohz(XX_DMA_TIMEOUT);
	boolean_t waited, busy;

	mutex_enter(&xsp->intr_lock);
	waited = xsp->dma_ctx != NULL;
	/* for the interrupt, unless the card is gone (reads all ones) */
	while (xsp->dma_ctx != NULL && left > 0 &&
	       xx_get(xsp, EDU_DMA_CMD) != 0xFFFFFFFF)
		left = cv_reltimedwait(&xsp->dma_cv, &xsp->intr_lock, left,
				       TR_CLOCK_TICK);
	if (xsp->dma_ctx != NULL && !xx_dma_running(xsp))
		xsp->dma_ctx = NULL;
	busy = xsp->dma_ctx != NULL;
	mutex_exit(&xsp->intr_lock);
	if (busy) {
		cmn_err(CE_WARN, "xx%d: a DMA did not end in %d s",
			ddi_get_instance(xsp->dip), XX_DMA_TIMEOUT / 1000000);
		return -1;
	}
	return waited ? 1 : 0;
}

/* Save the card's buffer into its holder's image if a DMA changed it. */
static int xx_buf_save(struct xxstate *xsp)
{
	if (xsp->buf_ctx == NULL || !xsp->buf_dirty)
		return 0;
	xx_dma_start(xsp, xsp->buf_ctx, XX_IMAGE, 0, XX_DMA_SIZE,
		     EDU_DMA_TO_RAM);
	if (xx_dma_wait(xsp) < 0)
		return -1;
	xsp->buf_dirty = B_FALSE;
	xsp->stats.buf_saves++;
	return 0;
}

/* Give the card's buffer @ctxp's image, the holder's saved first. */
static int xx_buf_load(struct xxstate *xsp, struct xxctx *ctxp)
{
	if (xsp->buf_ctx == ctxp)
		return 0;
	if (xx_buf_save(xsp) < 0)
		return -1;
	xsp->buf_ctx = NULL; /* nobody's until the DMA ends */
	xx_dma_start(xsp, ctxp, XX_IMAGE, 0, XX_DMA_SIZE, 0);
	if (xx_dma_wait(xsp) < 0)
		return -1;
	xsp->buf_ctx = ctxp;
	xsp->stats.buf_restores++;
	return 0;
}

/* Device-dependent context save: registers to the soft state. */
static int xxctxsave(struct xxctx *ctxp, offset_t off, size_t len)
{
	struct xxstate *xsp;

	if (ctxp == NULL)
		return 0;
	xsp = ctxp->xsp;
	if (xx_get(xsp, XX_REG_IDENT) != XX_IDENT)
		return -1;
	for (int i = 0; i < XX_NCTX; i++)
		ctxp->regs[i] = xx_get(xsp, xx_ctx_reg[i]);
	xsp->stats.saves++;
	return 0;
}

/*
 * Device-dependent context restore: the card's buffer (by DMA, which
 * uses the DMA registers), then the registers.
 */
static int xxctxrestore(struct xxctx *ctxp, offset_t off, size_t len)
{
	struct xxstate *xsp = ctxp->xsp;

	if (xsp->fail_restore > 0) {
		xsp->fail_restore--;
		return -1;
	}
	if (ctxp->dma_kva != NULL && xx_buf_load(xsp, ctxp) < 0)
		return -1;
	/* the liveness register reads back the complement of a write */
	xx_put(xsp, XX_REG_LIVENESS, ~ctxp->regs[0]);
	for (int i = 1; i < XX_NCTX; i++)
		xx_put(xsp, xx_ctx_reg[i], ctxp->regs[i]);
	for (int i = 0; i < XX_NCTX; i++)
		if (xx_get(xsp, xx_ctx_reg[i]) != ctxp->regs[i])
			return -1; /* the hardware did not take it */
	xsp->stats.restores++;
	return 0;
}

/*
 * Switch the card to @ctxp (ctx_lock held): unload the owner's mapping,
 * wait for its DMA, save it and restore @ctxp, with the example's error
 * rules.  @ctxp's mapping is left for the caller to load.
 */
static int xx_switch(struct xxstate *xsp, struct xxctx *ctxp, offset_t off,
		     size_t len)
{
	int error, waited;

	if (xsp->current_ctx == ctxp)
		return 0; /* switched by XX_DMA: only the load is left */
	/* unload mapping for current context */
	if (xsp->current_ctx != NULL) {
		if ((error = devmap_unload(xsp->current_ctx->handle, off,
					   len)) != 0) {
			xsp->current_ctx = NULL;
			return error;
		}
	}
	/* no save and no handover while the owner's DMA is in flight */
	waited = xx_dma_wait(xsp);
	if (waited > 0)
		xsp->stats.dma_waits++;
	/* Switch device context - device dependent */
	if (waited < 0 || xxctxsave(xsp->current_ctx, off, len) < 0 ||
	    xx_buf_save(xsp) < 0 || xxctxrestore(ctxp, off, len) < 0) {
		xsp->current_ctx = NULL;
		xsp->stats.owner_pid = 0;
		xsp->stats.failures++;
		return -1;
	}
	xsp->current_ctx = ctxp;
	ctxp->pid = ddi_get_pid();
	xsp->stats.owner_pid = ctxp->pid;
	xsp->stats.log[xsp->stats.switches % XX_LOG] =
		(struct xx_switch){ ctxp->pid, ddi_get_lbolt() };
	xsp->stats.switches++;
	return 0;
}

static int xxdevmap_contextmgt(devmap_cookie_t handle, void *devprivate,
			       offset_t off, size_t len, uint_t type, uint_t rw)
{
	int error;
	struct xxctx *ctxp = devprivate;
	struct xxstate *xsp = ctxp->xsp;

	mutex_enter(&xsp->ctx_lock);
	error = xx_switch(xsp, ctxp, off, len);
	/* establish mapping for new context and return */
	if (error == 0)
		error = devmap_load(handle, off, len, type, rw);
	if (error) {
		xsp->current_ctx = NULL;
		xsp->stats.owner_pid = 0;
	}
	mutex_exit(&xsp->ctx_lock);
	return error;
}

static int xxdevmap_access(devmap_cookie_t dhp, void *pvtp, offset_t off,
			   size_t len, uint_t type, uint_t rw)
{
	return devmap_do_ctxmgt(dhp, pvtp, off, len, type, rw,
				xxdevmap_contextmgt);
}

/* A context's DMA memory, an empty card buffer in its image. */
static int xxctx_dma_alloc(struct xxctx *ctxp)
{
	ddi_dma_cookie_t cookie;
	size_t real_len;
	uint_t ncookies;

	if (ddi_dma_alloc_handle(ctxp->xsp->dip, &xx_dma_attr, DDI_DMA_SLEEP,
				 NULL, &ctxp->dma_handle) != DDI_SUCCESS)
		return -1;
	if (ddi_dma_mem_alloc(ctxp->dma_handle, XX_DMA_MEM, &xx_acc_attr,
			      DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL,
			      &ctxp->dma_kva, &real_len,
			      &ctxp->dma_acc) != DDI_SUCCESS)
		goto fail_handle;
	if (ddi_dma_addr_bind_handle(
		    ctxp->dma_handle, NULL, ctxp->dma_kva, XX_DMA_MEM,
		    DDI_DMA_RDWR | DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL,
		    &cookie, &ncookies) != DDI_DMA_MAPPED)
		goto fail_mem;
	memset(ctxp->dma_kva, 0, XX_DMA_MEM);
	ctxp->dma_addr = (uint32_t)cookie.dmac_laddress;
	return 0;
fail_mem:
	ddi_dma_mem_free(&ctxp->dma_acc);
fail_handle:
	ddi_dma_free_handle(&ctxp->dma_handle);
	ctxp->dma_kva = NULL;
	return -1;
}

/*
 * The contexts of @pid with DMA memory (ctx_lock held).  DMA memory is
 * not charged to the process (the DMA API has no accounting), so each
 * process may have XX_DMA_CTXS of them: mapping the device many times
 * does not let it pin unbounded kernel memory.
 */
static uint_t xxctx_dma_count(struct xxstate *xsp, pid_t pid)
{
	struct xxctx *ctxp;
	uint_t n = 0;

	for (ctxp = xsp->ctxs; ctxp != NULL; ctxp = ctxp->next)
		n += ctxp->pid == pid && ctxp->dma_kva != NULL;
	return n;
}

static void xxctx_dma_free(struct xxctx *ctxp)
{
	(void)ddi_dma_unbind_handle(ctxp->dma_handle);
	ddi_dma_mem_free(&ctxp->dma_acc);
	ddi_dma_free_handle(&ctxp->dma_handle);
}

/* A new context of @pid (0: not known yet), on the list (ctx_lock held). */
static struct xxctx *xxctx_new(struct xxstate *xsp, devmap_cookie_t dhp,
			       pid_t pid)
{
	struct xxctx *ctxp = kmem_zalloc(sizeof(*ctxp), KM_SLEEP);

	if (ctxp) {
		ctxp->xsp = xsp;
		ctxp->handle = dhp;
		ctxp->pid = pid;
		ctxp->next = xsp->ctxs;
		xsp->ctxs = ctxp;
	}
	return ctxp;
}

/* The caller's context: the one holding the card, else any, or NULL. */
static struct xxctx *xxctx_mine(struct xxstate *xsp)
{
	pid_t pid = ddi_get_pid();
	struct xxctx *ctxp;

	if (xsp->current_ctx != NULL && xsp->current_ctx->pid == pid)
		return xsp->current_ctx;
	for (ctxp = xsp->ctxs; ctxp != NULL; ctxp = ctxp->next)
		if (ctxp->pid == pid)
			return ctxp;
	return NULL;
}

static int xxdevmap_map(devmap_cookie_t dhp, dev_t dev, uint_t flags,
			offset_t off, size_t len, void **pvtp)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));
	struct xxctx *ctxp;

	if (xsp == NULL)
		return ENXIO;
	mutex_enter(&xsp->ctx_lock);
	ctxp = xxctx_new(xsp, dhp, ddi_get_pid());
	mutex_exit(&xsp->ctx_lock);
	if (ctxp == NULL)
		return ENOMEM;
	*pvtp = ctxp;
	return 0;
}

/*
 * A fork child starts with a copy of its parent's registers as they are
 * now and an empty card buffer: DMA memory is never shared.
 */
static int xxdevmap_dup(devmap_cookie_t dhp, void *pvtp,
			devmap_cookie_t new_dhp, void **new_pvtp)
{
	struct xxctx *parent = pvtp, *child;
	struct xxstate *xsp = parent->xsp;

	mutex_enter(&xsp->ctx_lock);
	child = xxctx_new(xsp, new_dhp, 0); /* its process runs later */
	if (child == NULL) {
		mutex_exit(&xsp->ctx_lock);
		return ENOMEM;
	}
	if (xsp->current_ctx == parent)
		(void)xxctxsave(parent, 0, PAGESIZE);
	memcpy(child->regs, parent->regs, sizeof(child->regs));
	mutex_exit(&xsp->ctx_lock);
	*new_pvtp = child;
	return 0;
}

/*
 * A one-page mapping only ever goes whole: its context goes with it, once
 * its DMA in flight has ended (a DMA that never ends keeps the memory).
 */
static void xxdevmap_unmap(devmap_cookie_t dhp, void *pvtp, offset_t off,
			   size_t len, devmap_cookie_t new_dhp1,
			   void **new_pvtp1, devmap_cookie_t new_dhp2,
			   void **new_pvtp2)
{
	struct xxctx *ctxp = pvtp, **pp;
	struct xxstate *xsp = ctxp->xsp;
	boolean_t stuck;

	mutex_enter(&xsp->ctx_lock);
	for (pp = &xsp->ctxs; *pp != ctxp; pp = &(*pp)->next)
		;
	*pp = ctxp->next;
	if (xsp->current_ctx == ctxp) {
		xsp->current_ctx = NULL;
		xsp->stats.owner_pid = 0;
	}
	if (xsp->buf_ctx == ctxp) {
		xsp->buf_ctx = NULL;
		xsp->buf_dirty = B_FALSE;
	}
	stuck = xx_dma_ctx(xsp) == ctxp && xx_dma_wait(xsp) < 0;
	mutex_exit(&xsp->ctx_lock);
	if (stuck)
		return;
	if (ctxp->dma_kva != NULL)
		xxctx_dma_free(ctxp);
	kmem_free(ctxp, sizeof(*ctxp));
}

static struct devmap_callback_ctl xx_callbackops = {
	.devmap_rev = DEVMAP_OPS_REV,
	.devmap_map = xxdevmap_map,
	.devmap_access = xxdevmap_access,
	.devmap_dup = xxdevmap_dup,
	.devmap_unmap = xxdevmap_unmap,
};

static int xxdevmap(dev_t dev, devmap_cookie_t dhp, offset_t off, size_t len,
		    size_t *maplen, uint_t model)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));

	if (xsp == NULL || off != 0 || len > PAGESIZE)
		return ENXIO;
	if (devmap_devmem_setup(dhp, xsp->dip, &xx_callbackops, 1, 0, PAGESIZE,
				PROT_READ | PROT_WRITE | PROT_USER,
				DEVMAP_DEFAULTS, &xx_acc_attr) != DDI_SUCCESS)
		return ENXIO;
	*maplen = PAGESIZE;
	return 0;
}

/*
 * XX_DMA in the caller's context, the card switched to it: @buf holds the
 * data to send, or receives the data read.
 */
static int xxdma_run(struct xxstate *xsp, const struct xx_dma *req, caddr_t buf)
{
	off_t mem = XX_XFER + req->off;
	struct xxctx *ctxp;
	int error = 0;

	mutex_enter(&xsp->ctx_lock);
	ctxp = xxctx_mine(xsp);
	if (ctxp == NULL)
		error = EAGAIN;
	else if (ctxp->dma_kva == NULL &&
		 (xxctx_dma_count(xsp, ctxp->pid) >= XX_DMA_CTXS ||
		  xxctx_dma_alloc(ctxp) < 0))
		error = ENOMEM;
	else if (xx_switch(xsp, ctxp, 0, PAGESIZE) != 0 ||
		 xx_dma_wait(xsp) < 0 || xx_buf_load(xsp, ctxp) < 0)
		error = EIO;
	if (error == 0 && (req->cmd & XX_DMA_TO_CARD)) {
		memcpy(ctxp->dma_kva + mem, buf, req->len);
		(void)ddi_dma_sync(ctxp->dma_handle, mem, req->len,
				   DDI_DMA_SYNC_FORDEV);
		xsp->buf_dirty = B_TRUE;
		xx_dma_start(xsp, ctxp, mem, req->off, req->len, 0);
		if (!(req->cmd & XX_DMA_ASYNC) && xx_dma_wait(xsp) < 0)
			error = EIO;
	} else if (error == 0) {
		xx_dma_start(xsp, ctxp, mem, req->off, req->len,
			     EDU_DMA_TO_RAM);
		if (xx_dma_wait(xsp) < 0) {
			error = EIO;
		} else {
			(void)ddi_dma_sync(ctxp->dma_handle, mem, req->len,
					   DDI_DMA_SYNC_FORCPU);
			memcpy(buf, ctxp->dma_kva + mem, req->len);
		}
	}
	mutex_exit(&xsp->ctx_lock);
	return error;
}

/* XX_DMA: the copies to and from the process, outside ctx_lock. */
static int xxdma(struct xxstate *xsp, intptr_t arg, int mode)
{
	struct xx_dma req;
	caddr_t buf;
	int error;

	if (ddi_copyin((void *)arg, &req, sizeof(req), mode) != 0)
		return EFAULT;
	if ((req.cmd != XX_DMA_TO_CARD &&
	     req.cmd != (XX_DMA_TO_CARD | XX_DMA_ASYNC) &&
	     req.cmd != XX_DMA_FROM_CARD) ||
	    req.pad != 0 || req.len == 0 || req.off >= XX_DMA_SIZE ||
	    req.len > XX_DMA_SIZE - req.off)
		return EINVAL;
	buf = kmem_alloc(req.len, KM_SLEEP);
	if (buf == NULL)
		return ENOMEM;
	if ((req.cmd & XX_DMA_TO_CARD) &&
	    ddi_copyin((void *)(uintptr_t)req.data, buf, req.len, mode) != 0)
		error = EFAULT;
	else
		error = xxdma_run(xsp, &req, buf);
	if (error == 0 && req.cmd == XX_DMA_FROM_CARD &&
	    ddi_copyout(buf, (void *)(uintptr_t)req.data, req.len, mode) != 0)
		error = EFAULT;
	kmem_free(buf, req.len);
	return error;
}

static int xxioctl(dev_t dev, int cmd, intptr_t arg, int mode, cred_t *credp,
		   int *rvalp)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));
	struct xx_stats stats;
	int owner;

	if (xsp == NULL)
		return ENXIO;
	switch (cmd) {
	case XX_GET_STATS:
		mutex_enter(&xsp->ctx_lock);
		stats = xsp->stats;
		mutex_enter(&xsp->intr_lock);
		stats.intrs = xsp->intrs;
		mutex_exit(&xsp->intr_lock);
		mutex_exit(&xsp->ctx_lock);
		stats.nlog = stats.switches < XX_LOG ? (int)stats.switches :
						       XX_LOG;
		return ddi_copyout(&stats, (void *)arg, sizeof(stats), mode) ?
			       EFAULT :
			       0;
	case XX_RESET:
		/* the counters are every user's: see XX_FAIL_RESTORE */
		if (drv_priv(credp) != 0)
			return EPERM;
		mutex_enter(&xsp->ctx_lock);
		owner = xsp->stats.owner_pid; /* the card keeps its owner */
		memset(&xsp->stats, 0, sizeof(xsp->stats));
		xsp->stats.owner_pid = owner;
		xsp->fail_restore = 0;
		mutex_enter(&xsp->intr_lock);
		xsp->intrs = 0;
		mutex_exit(&xsp->intr_lock);
		mutex_exit(&xsp->ctx_lock);
		return 0;
	case XX_FAIL_RESTORE:
		/* the next restores fail whoever asks for them: SIGBUS in
		 * other processes, so never at an unprivileged caller's word */
		if (drv_priv(credp) != 0)
			return EPERM;
		mutex_enter(&xsp->ctx_lock);
		xsp->fail_restore = (int)arg;
		mutex_exit(&xsp->ctx_lock);
		return 0;
	case XX_DMA:
		/* it makes the card a bus master: see the top of the file */
		if (drv_priv(credp) != 0)
			return EPERM;
		return xxdma(xsp, arg, mode);
	default:
		return ENOTTY;
	}
}

static void xxintr_teardown(struct xxstate *xsp)
{
	(void)ddi_intr_disable(xsp->intr);
	(void)ddi_intr_remove_handler(xsp->intr);
	(void)ddi_intr_free(xsp->intr);
	cv_destroy(&xsp->dma_cv);
	mutex_destroy(&xsp->intr_lock);
}

/*
 * The card's one interrupt, MSI if it has it, with xxintr as handler and
 * intr_lock at its priority.
 */
static int xxintr_setup(struct xxstate *xsp)
{
	int types, type, actual;
	uint_t pri;

	if (ddi_intr_get_supported_types(xsp->dip, &types) != DDI_SUCCESS)
		return DDI_FAILURE;
	type = types & DDI_INTR_TYPE_MSI ? DDI_INTR_TYPE_MSI :
					   DDI_INTR_TYPE_FIXED;
	if (ddi_intr_alloc(xsp->dip, &xsp->intr, type, 0, 1, &actual,
			   DDI_INTR_ALLOC_STRICT) != DDI_SUCCESS)
		return DDI_FAILURE;
	(void)ddi_intr_get_pri(xsp->intr, &pri);
	mutex_init(&xsp->intr_lock, NULL, MUTEX_DRIVER, DDI_INTR_PRI(pri));
	cv_init(&xsp->dma_cv, NULL, CV_DRIVER, NULL);
	if (ddi_intr_add_handler(xsp->intr, xxintr, (caddr_t)xsp, NULL) !=
		    DDI_SUCCESS ||
	    ddi_intr_enable(xsp->intr) != DDI_SUCCESS) {
		xxintr_teardown(xsp);
		return DDI_FAILURE;
	}
	return DDI_SUCCESS;
}

/* The first open sets up the card's interrupt. */
static int xxopen(dev_t *devp, int flag, int otyp, cred_t *credp)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(*devp));
	int error = 0;

	if (xsp == NULL)
		return ENXIO;
	mutex_enter(&xsp->ctx_lock);
	if (!xsp->intr_on) {
		if (xxintr_setup(xsp) == DDI_SUCCESS)
			xsp->intr_on = B_TRUE;
		else
			error = EIO;
	}
	mutex_exit(&xsp->ctx_lock);
	if (error)
		cmn_err(CE_WARN, "xx%d: no interrupt", getminor(*devp));
	return error;
}

/* The last close (its mappings gone, their DMAs ended) frees it. */
static int xxclose(dev_t dev, int flag, int otyp, cred_t *credp)
{
	struct xxstate *xsp = ddi_get_soft_state(xx_state, getminor(dev));

	if (xsp == NULL)
		return ENXIO;
	mutex_enter(&xsp->ctx_lock);
	if (xsp->intr_on) {
		xxintr_teardown(xsp);
		xsp->intr_on = B_FALSE;
	}
	mutex_exit(&xsp->ctx_lock);
	return 0;
}

static struct cb_ops xx_cb_ops = {
	.cb_open = xxopen,
	.cb_close = xxclose,
	.cb_strategy = nodev,
	.cb_print = nodev,
	.cb_dump = nodev,
	.cb_read = nodev,
	.cb_write = nodev,
	.cb_ioctl = xxioctl,
	.cb_devmap = xxdevmap,
	.cb_mmap = nodev,
	.cb_segmap = nodev,
	.cb_chpoll = nodev,
	.cb_prop_op = nodev,
	.cb_flag = D_NEW | D_MP | D_DEVMAP,
	.cb_rev = CB_REV,
};

static int xxattach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	struct xxstate *xsp;

	if (cmd != DDI_ATTACH)
		return DDI_FAILURE;
	if (ddi_soft_state_zalloc(xx_state, instance) != DDI_SUCCESS)
		return DDI_FAILURE;
	xsp = ddi_get_soft_state(xx_state, instance);
	xsp->dip = dip;
	mutex_init(&xsp->ctx_lock, NULL, MUTEX_DRIVER, NULL);
	if (ddi_regs_map_setup(dip, 1, &xsp->regs, 0, PAGESIZE, &xx_acc_attr,
			       &xsp->regs_handle) != DDI_SUCCESS ||
	    xx_get(xsp, XX_REG_IDENT) != XX_IDENT) {
		cmn_err(CE_WARN, "xx%d: no edu registers", instance);
		goto fail;
	}
	if (ddi_create_minor_node(dip, "xx", S_IFCHR, instance, DDI_PSEUDO,
				  0) != DDI_SUCCESS)
		goto fail;
	ddi_report_dev(dip);
	return DDI_SUCCESS;
fail:
	if (xsp->regs_handle)
		ddi_regs_map_free(&xsp->regs_handle);
	mutex_destroy(&xsp->ctx_lock);
	ddi_soft_state_free(xx_state, instance);
	return DDI_FAILURE;
}

static int xxdetach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
	int instance = ddi_get_instance(dip);
	struct xxstate *xsp = ddi_get_soft_state(xx_state, instance);

	if (cmd != DDI_DETACH)
		return DDI_FAILURE;
	ddi_remove_minor_node(dip, NULL);
	ddi_regs_map_free(&xsp->regs_handle);
	mutex_destroy(&xsp->ctx_lock);
	ddi_soft_state_free(xx_state, instance);
	return DDI_SUCCESS;
}

static struct dev_ops xx_dev_ops = {
	.devo_rev = DEVO_REV,
	.devo_identify = nulldev,
	.devo_probe = nulldev,
	.devo_attach = xxattach,
	.devo_detach = xxdetach,
	.devo_reset = nodev,
	.devo_cb_ops = &xx_cb_ops,
	.devo_quiesce = ddi_quiesce_not_needed,
};

static struct modldrv modldrv = { &mod_driverops, "xx: edu context driver",
				  &xx_dev_ops };
static struct modlinkage modlinkage = { MODREV_1, { &modldrv, NULL } };

DDI_MODULE("xx", "pci1234,11e8");

int _init(void)
{
	int e;

	if ((e = ddi_soft_state_init(&xx_state, sizeof(struct xxstate), 1)) !=
	    0)
		return e;
	if ((e = mod_install(&modlinkage)) != 0)
		ddi_soft_state_fini(&xx_state);
	return e;
}

int _fini(void)
{
	int e;

	if ((e = mod_remove(&modlinkage)) == 0)
		ddi_soft_state_fini(&xx_state);
	return e;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xx: the devmap Example 11-3 driver on QEMU's edu device");
