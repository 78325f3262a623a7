// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA for Solaris drivers: ddi_dma_*(9F) on the Linux DMA API.
 *
 * A handle holds the attributes of ddi_dma_attr(9S).  Allocating one sets
 * the device's DMA mask (streaming and coherent) to the smallest mask
 * covering dma_attr_addr_hi, as a Linux driver does in probe, and turns
 * bus mastering on: the mask is the device's, so the handle allocated
 * last decides it, and every binding is checked against its own handle's
 * [dma_attr_addr_lo, dma_attr_addr_hi] besides.
 *
 * ddi_dma_mem_alloc() is dma_alloc_coherent(): memory the device reaches
 * under the handle's attributes, DDI_DMA_CONSISTENT or not (coherent
 * memory is what DDI_DMA_STREAMING drivers get too; ddi_dma_sync() on it
 * costs nothing).  ddi_dma_addr_bind_handle() binds kernel memory: that
 * of the handle's own ddi_dma_mem_alloc() without a new mapping, other
 * memory of the kernel's linear map (kmem_alloc(9F) of a few pages) with
 * dma_map_single().  Such memory is physically contiguous, so a binding
 * is always one cookie; memory that is not (vmalloc space, user
 * addresses) is refused with DDI_DMA_NOMAPPING, and so is a partial
 * mapping: DDI_DMA_PARTIAL is ignored, a binding is whole or fails.
 * ddi_dma_buf_bind_handle() binds the pages of a buf(9S) of
 * ddi_umem_iosetup(9F) as a scatter-gather table (dma_map_sgtable()), one
 * cookie per DMA segment, each at most dma_attr_count_max + 1 bytes and
 * at most dma_attr_sgllen of them; a buf of kernel memory is bound as
 * ddi_dma_addr_bind_handle() binds it.  ddi_dma_sync() is
 * dma_sync_single_for_device()/_for_cpu(), or the _sgtable_ ones for the
 * whole table.
 *
 * The wait function of every call is DDI_DMA_SLEEP (the allocation may
 * sleep) or anything else, which does not wait and is never called back.
 */
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <sys/buf.h>
#include "ddi_impl.h"
#include "dm_linux.h"

struct ddi_dma_impl {
	struct dev_info *dip;
	struct device *dev;
	ddi_dma_attr_t attr;
	/* ddi_dma_mem_alloc(), at most one at a time */
	struct ddi_acc_impl *mem_acc;
	void *mem_kaddr;
	dma_addr_t mem_dma;
	size_t mem_len;
	/* the binding: ncookies cookies */
	bool bound;
	bool mapped; /* by dma_map_single(), not memory of mem_alloc */
	bool sg; /* by ddi_dma_buf_bind_handle(): sgt and cookies[] */
	enum dma_data_direction dir;
	size_t size; /* bytes bound */
	ddi_dma_cookie_t cookie; /* the one of ddi_dma_addr_bind_handle() */
	ddi_dma_cookie_t *cookies; /* &cookie, or allocated (sg) */
	uint_t ncookies;
	uint_t cookies_read; /* by ddi_dma_nextcookie() */
	struct sg_table sgt;
};

static gfp_t dm_dma_gfp(int (*waitfp)(caddr_t))
{
	return waitfp == DDI_DMA_SLEEP ? GFP_KERNEL : GFP_NOWAIT;
}

/**
 * ddi_dma_alloc_handle() - allocate a DMA handle for a device
 * @dip: the device node; a PCI device
 * @attr: the device's DMA attributes; copied
 * @waitfp: DDI_DMA_SLEEP or DDI_DMA_DONTWAIT
 * @arg: argument of a callback; not used
 * @handlep: receives the handle
 *
 * Sets the device's DMA mask to cover @attr's dma_attr_addr_hi and
 * enables bus mastering, which ddi_dma_free_handle(9F) of the device's
 * last handle disables again.
 *
 * Return: DDI_SUCCESS, DDI_DMA_BADATTR (not a PCI device, or a mask the
 * platform cannot give) or DDI_DMA_NORESOURCES.
 */
int ddi_dma_alloc_handle(dev_info_t *dip, const ddi_dma_attr_t *attr,
			 int (*waitfp)(caddr_t), caddr_t arg,
			 ddi_dma_handle_t *handlep)
{
	struct ddi_dma_impl *h;
	u64 mask;

	if (!dip->pdev || attr->dma_attr_version != DMA_ATTR_V0 ||
	    attr->dma_attr_addr_hi <= attr->dma_attr_addr_lo)
		return DDI_DMA_BADATTR;
	mask = DMA_BIT_MASK(fls64(attr->dma_attr_addr_hi));
	if (dma_set_mask_and_coherent(&dip->pdev->dev, mask))
		return DDI_DMA_BADATTR;
	h = kzalloc(sizeof(*h), dm_dma_gfp(waitfp));
	if (!h)
		return DDI_DMA_NORESOURCES;
	spin_lock(&dip->dma_lock);
	if (!dip->dma_handles++)
		pci_set_master(dip->pdev);
	spin_unlock(&dip->dma_lock);
	h->dip = dip;
	h->dev = &dip->pdev->dev;
	h->attr = *attr;
	*handlep = h;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_dma_alloc_handle);

/**
 * ddi_dma_free_handle() - free a DMA handle
 * @handlep: the handle; set to NULL
 *
 * A binding still in place is unbound and memory of ddi_dma_mem_alloc()
 * still allocated is freed (its access handle stays valid for
 * ddi_dma_mem_free(), which then frees only the handle).  The device's
 * last handle takes its bus mastering with it.
 */
void ddi_dma_free_handle(ddi_dma_handle_t *handlep)
{
	struct ddi_dma_impl *h = *handlep;

	if (h->bound)
		ddi_dma_unbind_handle(h);
	if (h->mem_acc) {
		dma_free_coherent(h->dev, h->mem_len, h->mem_kaddr, h->mem_dma);
		h->mem_acc->dma = NULL;
	}
	/* a device no handle is left to is no bus master: nothing can make
	 * it one, whatever its registers are set to */
	spin_lock(&h->dip->dma_lock);
	if (!--h->dip->dma_handles)
		pci_clear_master(h->dip->pdev);
	spin_unlock(&h->dip->dma_lock);
	kfree(h);
	*handlep = NULL;
}
EXPORT_SYMBOL_GPL(ddi_dma_free_handle);

/**
 * ddi_dma_mem_alloc() - allocate memory the device reaches by DMA
 * @handle: the DMA handle whose attributes the memory meets
 * @length: bytes
 * @accattrp: access attributes for ddi_get/ddi_put(9F) on the memory
 * @flags: DDI_DMA_CONSISTENT or DDI_DMA_STREAMING (both coherent here)
 * @waitfp: DDI_DMA_SLEEP or DDI_DMA_DONTWAIT
 * @arg: argument of a callback; not used
 * @kaddrp: receives the kernel address
 * @real_length: receives the length, @length rounded up to a page
 * @handlep: receives the access handle, for ddi_dma_mem_free()
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE (no memory within the attributes,
 * or the handle has memory already).
 */
int ddi_dma_mem_alloc(ddi_dma_handle_t handle, size_t length,
		      ddi_device_acc_attr_t *accattrp, uint_t flags,
		      int (*waitfp)(caddr_t), caddr_t arg, caddr_t *kaddrp,
		      size_t *real_length, ddi_acc_handle_t *handlep)
{
	gfp_t gfp = dm_dma_gfp(waitfp);
	size_t len = PAGE_ALIGN(length);
	struct ddi_acc_impl *acc;

	/* a length near SIZE_MAX aligns to 0; a failure is the driver's to
	 * report, not a kernel warning (lengths may come from users) */
	if (handle->mem_acc || !length || !len)
		return DDI_FAILURE;
	acc = kzalloc(sizeof(*acc), gfp);
	if (!acc)
		return DDI_FAILURE;
	handle->mem_kaddr = dma_alloc_coherent(
		handle->dev, len, &handle->mem_dma, gfp | __GFP_NOWARN);
	if (!handle->mem_kaddr) {
		kfree(acc);
		return DDI_FAILURE;
	}
	if (handle->mem_dma < handle->attr.dma_attr_addr_lo ||
	    handle->mem_dma + len - 1 > handle->attr.dma_attr_addr_hi) {
		dma_free_coherent(handle->dev, len, handle->mem_kaddr,
				  handle->mem_dma);
		kfree(acc);
		return DDI_FAILURE;
	}
	acc->swap = ddi_acc_swap(accattrp);
	acc->dma = handle;
	handle->mem_acc = acc;
	handle->mem_len = len;
	*kaddrp = handle->mem_kaddr;
	*real_length = len;
	*handlep = acc;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_dma_mem_alloc);

/**
 * ddi_dma_mem_free() - free memory of ddi_dma_mem_alloc()
 * @handlep: its access handle; set to NULL
 *
 * The memory must not be bound.
 */
void ddi_dma_mem_free(ddi_acc_handle_t *handlep)
{
	struct ddi_acc_impl *acc = *handlep;
	struct ddi_dma_impl *h = acc->dma;

	if (h) {
		dma_free_coherent(h->dev, h->mem_len, h->mem_kaddr, h->mem_dma);
		h->mem_acc = NULL;
	}
	kfree(acc);
	*handlep = NULL;
}
EXPORT_SYMBOL_GPL(ddi_dma_mem_free);

static enum dma_data_direction dm_dma_dir(uint_t flags)
{
	switch (flags & DDI_DMA_RDWR) {
	case DDI_DMA_WRITE:
		return DMA_TO_DEVICE;
	case DDI_DMA_READ:
		return DMA_FROM_DEVICE;
	default:
		return DMA_BIDIRECTIONAL;
	}
}

/*
 * Whether dma_map_single() can map [addr, addr + len): memory of the
 * linear map, and without an IOMMU, physically within the handle's
 * attributes and the device's mask (dma-direct would warn, then fail).
 */
/*
 * Do the attributes reach [phys, phys + len)?  Behind an IOMMU the bus
 * addresses are the IOMMU's, checked after mapping.
 */
static bool dm_dma_phys_ok(struct ddi_dma_impl *h, phys_addr_t phys, size_t len)
{
	return device_iommu_mapped(h->dev) ||
	       (phys >= h->attr.dma_attr_addr_lo &&
		phys + len - 1 <=
			min(h->attr.dma_attr_addr_hi, dma_get_mask(h->dev)));
}

static bool dm_dma_reachable(struct ddi_dma_impl *h, char *addr, size_t len)
{
	return virt_addr_valid(addr) && virt_addr_valid(addr + len - 1) &&
	       dm_dma_phys_ok(h, virt_to_phys(addr), len);
}

/* A binding is in place: give its first cookie and their number. */
static int dm_dma_bound(struct ddi_dma_impl *h, ddi_dma_cookie_t *cookiep,
			uint_t *ccountp)
{
	h->cookies_read = 1;
	h->bound = true;
	if (cookiep)
		*cookiep = h->cookies[0];
	if (ccountp)
		*ccountp = h->ncookies;
	return DDI_DMA_MAPPED;
}

/**
 * ddi_dma_addr_bind_handle() - bind kernel memory to a DMA handle
 * @handle: the DMA handle, not bound
 * @as: NULL (kernel memory); an address space is refused
 * @addr: the memory: of the handle's ddi_dma_mem_alloc(), or of the
 *	  kernel's linear map (kmem_alloc(9F))
 * @len: bytes
 * @flags: DDI_DMA_READ, DDI_DMA_WRITE or DDI_DMA_RDWR, and
 *	   DDI_DMA_CONSISTENT, DDI_DMA_STREAMING, DDI_DMA_PARTIAL (ignored)
 * @waitfp: DDI_DMA_SLEEP or DDI_DMA_DONTWAIT
 * @arg: argument of a callback; not used
 * @cookiep: receives the first (here the only) cookie, or NULL
 * @ccountp: receives the number of cookies (1), or NULL
 *
 * Return: DDI_DMA_MAPPED, DDI_DMA_INUSE (bound already), DDI_DMA_NOMAPPING
 * (memory the device cannot reach, or not physically contiguous; without
 * an IOMMU, memory must be physically within the attributes),
 * DDI_DMA_TOOBIG (longer than dma_attr_count_max allows in one cookie)
 * or DDI_DMA_NORESOURCES.
 */
int ddi_dma_addr_bind_handle(ddi_dma_handle_t handle, struct as *as,
			     caddr_t addr, size_t len, uint_t flags,
			     int (*waitfp)(caddr_t), caddr_t arg,
			     ddi_dma_cookie_t *cookiep, uint_t *ccountp)
{
	const ddi_dma_attr_t *attr = &handle->attr;
	char *mem = handle->mem_kaddr;
	dma_addr_t dma;

	if (handle->bound)
		return DDI_DMA_INUSE;
	if (as || !len)
		return DDI_DMA_NOMAPPING;
	if (len - 1 > attr->dma_attr_count_max)
		return DDI_DMA_TOOBIG;
	handle->dir = dm_dma_dir(flags);
	/* inside the handle's own memory?  (no pointer sum: len is the
	 * caller's and may be anything up to count_max) */
	handle->mapped = !mem || addr < mem || len > handle->mem_len ||
			 (size_t)(addr - mem) > handle->mem_len - len;
	if (!handle->mapped) {
		dma = handle->mem_dma + (addr - mem);
	} else {
		if (!dm_dma_reachable(handle, addr, len))
			return DDI_DMA_NOMAPPING;
		dma = dma_map_single(handle->dev, addr, len, handle->dir);
		if (dma_mapping_error(handle->dev, dma))
			return DDI_DMA_NORESOURCES;
		if (dma < attr->dma_attr_addr_lo ||
		    dma + len - 1 > attr->dma_attr_addr_hi) {
			dma_unmap_single(handle->dev, dma, len, handle->dir);
			return DDI_DMA_NOMAPPING;
		}
	}
	handle->cookie =
		(ddi_dma_cookie_t){ .dmac_laddress = dma, .dmac_size = len };
	handle->cookies = &handle->cookie;
	handle->ncookies = 1;
	handle->size = len;
	return dm_dma_bound(handle, cookiep, ccountp);
}
EXPORT_SYMBOL_GPL(ddi_dma_addr_bind_handle);

/**
 * ddi_dma_unbind_handle() - end a binding
 * @handle: the DMA handle
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE when it is not bound.
 */
int ddi_dma_unbind_handle(ddi_dma_handle_t handle)
{
	if (!handle->bound)
		return DDI_FAILURE;
	if (handle->sg) {
		dma_unmap_sgtable(handle->dev, &handle->sgt, handle->dir, 0);
		sg_free_table(&handle->sgt);
		kfree(handle->cookies);
		handle->sg = false;
	} else if (handle->mapped) {
		dma_unmap_single(handle->dev, handle->cookie.dmac_laddress,
				 handle->cookie.dmac_size, handle->dir);
	}
	handle->bound = false;
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_dma_unbind_handle);

/**
 * ddi_dma_nextcookie() - the next cookie of a binding
 * @handle: the DMA handle, bound
 * @cookiep: receives the cookie after those already returned (the bind
 *	     returned the first); left as it is when there is none
 */
void ddi_dma_nextcookie(ddi_dma_handle_t handle, ddi_dma_cookie_t *cookiep)
{
	if (handle->bound && handle->cookies_read < handle->ncookies)
		*cookiep = handle->cookies[handle->cookies_read++];
}
EXPORT_SYMBOL_GPL(ddi_dma_nextcookie);

/**
 * ddi_dma_cookie_iter() - walk the cookies of a binding
 * @handle: the DMA handle, bound
 * @prev: the cookie this call returned last, or NULL for the first
 *
 * Return: the next cookie, or NULL after the last one.
 */
const ddi_dma_cookie_t *ddi_dma_cookie_iter(ddi_dma_handle_t handle,
					    const ddi_dma_cookie_t *prev)
{
	const ddi_dma_cookie_t *next = prev ? prev + 1 : handle->cookies;

	if (!handle->bound || next < handle->cookies ||
	    next >= handle->cookies + handle->ncookies)
		return NULL;
	return next;
}
EXPORT_SYMBOL_GPL(ddi_dma_cookie_iter);

/**
 * ddi_dma_sync() - make a binding's memory consistent for CPU or device
 * @handle: the DMA handle, bound
 * @off: offset in the binding
 * @length: bytes; 0 for the rest of the binding
 * @type: DDI_DMA_SYNC_FORDEV (after the CPU wrote, before the device
 *	  reads) or DDI_DMA_SYNC_FORCPU/DDI_DMA_SYNC_FORKERNEL (after the
 *	  device wrote, before the CPU reads)
 *
 * Return: DDI_SUCCESS, or DDI_FAILURE when it is not bound or the range
 * is outside the binding.
 */
int ddi_dma_sync(ddi_dma_handle_t handle, off_t off, size_t length, uint_t type)
{
	size_t size = handle->size;
	dma_addr_t dma = handle->cookie.dmac_laddress;

	if (!handle->bound || off < 0 || off > size || length > size - off)
		return DDI_FAILURE;
	if (!length)
		length = size - off;
	if (handle->sg) {
		/* the whole table: a range of it costs more to find */
		if (type == DDI_DMA_SYNC_FORDEV)
			dma_sync_sgtable_for_device(handle->dev, &handle->sgt,
						    handle->dir);
		else
			dma_sync_sgtable_for_cpu(handle->dev, &handle->sgt,
						 handle->dir);
		return DDI_SUCCESS;
	}
	if (!handle->mapped || !length)
		return DDI_SUCCESS; /* coherent memory */
	if (type == DDI_DMA_SYNC_FORDEV)
		dma_sync_single_range_for_device(handle->dev, dma, off, length,
						 handle->dir);
	else
		dma_sync_single_range_for_cpu(handle->dev, dma, off, length,
					      handle->dir);
	return DDI_SUCCESS;
}
EXPORT_SYMBOL_GPL(ddi_dma_sync);

/*
 * Can the device reach the pages of @sgt without an IOMMU, within the
 * handle's attributes and its mask (dma-direct would warn, then fail)?
 */
static bool dm_dma_pages_reachable(struct ddi_dma_impl *h, struct sg_table *sgt)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_sg(sgt, sg, i)
		if (!dm_dma_phys_ok(h, sg_phys(sg), sg->length))
			return false;
	return true;
}

/*
 * The cookies of a mapped table, checked against the attributes: one per
 * DMA segment.  Returns DDI_DMA_MAPPED, or why not.
 */
static int dm_dma_sg_cookies(struct ddi_dma_impl *h, gfp_t gfp)
{
	const ddi_dma_attr_t *attr = &h->attr;
	ddi_dma_cookie_t *cookies;
	struct scatterlist *sg;
	unsigned int i;

	if (h->sgt.nents > attr->dma_attr_sgllen)
		return DDI_DMA_TOOBIG;
	cookies = kmalloc_array(h->sgt.nents, sizeof(*cookies), gfp);
	if (!cookies)
		return DDI_DMA_NORESOURCES;
	for_each_sgtable_dma_sg(&h->sgt, sg, i) {
		dma_addr_t dma = sg_dma_address(sg);
		u64 last = dma + sg_dma_len(sg) - 1;
		int rc = DDI_DMA_MAPPED;

		if (dma < attr->dma_attr_addr_lo ||
		    last > attr->dma_attr_addr_hi ||
		    (dma & ~attr->dma_attr_seg) != (last & ~attr->dma_attr_seg))
			rc = DDI_DMA_NOMAPPING;
		else if (sg_dma_len(sg) - 1 > attr->dma_attr_count_max)
			rc = DDI_DMA_TOOBIG;
		if (rc != DDI_DMA_MAPPED) {
			kfree(cookies);
			return rc;
		}
		cookies[i] = (ddi_dma_cookie_t){ .dmac_laddress = dma,
						 .dmac_size = sg_dma_len(sg) };
	}
	/* the handle's only once the binding is whole */
	h->cookies = cookies;
	h->ncookies = h->sgt.nents;
	return DDI_DMA_MAPPED;
}

/**
 * ddi_dma_buf_bind_handle() - bind the memory of a buf(9S) to a DMA handle
 * @handle: the DMA handle, not bound
 * @bp: the buf: of ddi_umem_iosetup(9F) (the pages of its cookie), or
 *	one the driver made of kernel memory at b_un.b_addr, bound as
 *	ddi_dma_addr_bind_handle(9F) binds it
 * @flags: DDI_DMA_READ, DDI_DMA_WRITE or DDI_DMA_RDWR, and
 *	   DDI_DMA_CONSISTENT, DDI_DMA_STREAMING, DDI_DMA_PARTIAL (ignored)
 * @waitfp: DDI_DMA_SLEEP or DDI_DMA_DONTWAIT
 * @arg: argument of a callback; not used
 * @cookiep: receives the first cookie, or NULL; ddi_dma_nextcookie(9F)
 *	     and ddi_dma_cookie_iter(9F) give the others
 * @ccountp: receives the number of cookies, or NULL
 *
 * The pages are mapped with dma_map_sgtable(): a cookie per DMA segment,
 * none longer than dma_attr_count_max + 1 bytes.  Segments are built
 * from whole pages, so attributes whose dma_attr_count_max + 1 is less
 * than a page cannot bind user memory (DDI_DMA_TOOBIG); and behind an
 * IOMMU, which may merge segments past dma_attr_seg, such a binding is
 * DDI_DMA_NOMAPPING rather than split.
 *
 * Return: DDI_DMA_MAPPED, DDI_DMA_INUSE (bound already), DDI_DMA_NOMAPPING
 * (memory outside the attributes: without an IOMMU, pages must be
 * physically within them), DDI_DMA_TOOBIG (more than dma_attr_sgllen
 * cookies, or a segment longer than a cookie may be) or
 * DDI_DMA_NORESOURCES.
 */
int ddi_dma_buf_bind_handle(ddi_dma_handle_t handle, struct buf *bp,
			    uint_t flags, int (*waitfp)(caddr_t), caddr_t arg,
			    ddi_dma_cookie_t *cookiep, uint_t *ccountp)
{
	unsigned int first = offset_in_page(bp->b_un.b_addr);
	gfp_t gfp = dm_dma_gfp(waitfp);
	u64 seg = handle->attr.dma_attr_count_max;
	struct ddi_umem_cookie *cp;
	uintptr_t off;
	int rc;

	/* by devmap's own member, not the driver's flags: a user address
	 * is never taken for kernel memory */
	cp = bp->b_dm_cookie;
	if (!cp)
		return ddi_dma_addr_bind_handle(handle, NULL, bp->b_un.b_addr,
						bp->b_bcount, flags, waitfp,
						arg, cookiep, ccountp);
	if (handle->bound)
		return DDI_DMA_INUSE;
	/* the device may write only into a buf set up for reading (B_READ)
	 * over memory locked for writing, and only within the locked pages:
	 * what the driver may have changed in the buf is checked against the
	 * cookie the buf holds */
	off = (uintptr_t)bp->b_un.b_addr - (uintptr_t)cp->cvaddr;
	if (!bp->b_bcount || off >= cp->size || bp->b_bcount > cp->size - off ||
	    ((flags & DDI_DMA_READ) && (!(bp->b_flags & B_READ) ||
					!(cp->lockflags & DDI_UMEMLOCK_WRITE))))
		return DDI_DMA_NOMAPPING;
	seg = seg >= UINT_MAX ?
		      UINT_MAX :
		      max_t(u64, ALIGN_DOWN(seg + 1, PAGE_SIZE), PAGE_SIZE);
	if (sg_alloc_table_from_pages_segment(
		    &handle->sgt,
		    ((struct dm_pin *)cp->pin)->pages + (off >> PAGE_SHIFT),
		    DIV_ROUND_UP(first + bp->b_bcount, PAGE_SIZE), first,
		    bp->b_bcount, (unsigned int)seg, gfp))
		return DDI_DMA_NORESOURCES;
	if (!dm_dma_pages_reachable(handle, &handle->sgt)) {
		rc = DDI_DMA_NOMAPPING;
		goto free;
	}
	handle->dir = dm_dma_dir(flags);
	if (dma_map_sgtable(handle->dev, &handle->sgt, handle->dir, 0)) {
		rc = DDI_DMA_NORESOURCES;
		goto free;
	}
	rc = dm_dma_sg_cookies(handle, gfp);
	if (rc != DDI_DMA_MAPPED) {
		dma_unmap_sgtable(handle->dev, &handle->sgt, handle->dir, 0);
		goto free;
	}
	handle->sg = true;
	handle->size = bp->b_bcount;
	return dm_dma_bound(handle, cookiep, ccountp);
free:
	sg_free_table(&handle->sgt);
	return rc;
}
EXPORT_SYMBOL_GPL(ddi_dma_buf_bind_handle);
