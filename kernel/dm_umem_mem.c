// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel memory behind ddi_umem_alloc(9F) cookies (dmh_umem_alloc).
 * An allocation of 2 MiB or more is made of naturally aligned 2 MiB
 * compound pages where the buddy allocator has them (order-0 pages
 * elsewhere), mapped in order into one vmap area, so that a 2 MiB window
 * of a context can be loaded into a process with one PMD entry (dm_pmd.c).
 * The invariant dm_umem_contig_pfn() relies on: in such an area a page
 * that heads a 2 MiB compound page is followed by its tail pages, in
 * order.  The areas' page arrays are kept, by address, for the free.
 * Smaller allocations are plain vmalloc memory; those that may not sleep
 * come from the direct map.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include "dm_linux.h"
#include "core/dm_host.h"

#define DM_CHUNK_ORDER (PMD_SHIFT - PAGE_SHIFT)
#define DM_CHUNK_PAGES (1UL << DM_CHUNK_ORDER)

/* The page arrays of the chunked areas, indexed by address >> PAGE_SHIFT. */
static DEFINE_XARRAY(dm_chunked);

static void dm_pages_free(struct page **pages, size_t n)
{
	for (size_t i = 0; i < n && pages[i];) {
		unsigned int order =
			PageHead(pages[i]) ? compound_order(pages[i]) : 0;

		__free_pages(pages[i], order);
		i += 1UL << order;
	}
	kvfree(pages);
}

/* Zeroed memory of @n pages (n >= DM_CHUNK_PAGES) in 2 MiB chunks. */
static void *dm_chunked_alloc(size_t n)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	struct page **pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL);
	void *kva = NULL;
	size_t i = 0;

	if (!pages)
		return NULL;
	while (i < n) {
		struct page *pg = NULL;

		if (n - i >= DM_CHUNK_PAGES)
			pg = alloc_pages(gfp | __GFP_COMP | __GFP_NORETRY,
					 DM_CHUNK_ORDER);
		if (pg) {
			for (size_t j = 0; j < DM_CHUNK_PAGES; j++)
				pages[i++] = pg + j;
			continue;
		}
		pg = alloc_page(gfp);
		if (!pg)
			goto fail;
		pages[i++] = pg;
	}
	kva = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	if (kva &&
	    !xa_err(xa_store(&dm_chunked, (unsigned long)kva >> PAGE_SHIFT,
			     pages, GFP_KERNEL)))
		return kva;
	if (kva)
		vunmap(kva);
fail:
	dm_pages_free(pages, n);
	return NULL;
}

void *dmh_umem_alloc(size_t size, int flags)
{
	if (flags == DMH_NOSLEEP)
		return alloc_pages_exact(size, GFP_NOWAIT | __GFP_ZERO |
						       __GFP_NOWARN);
	if (size >= PMD_SIZE)
		return dm_chunked_alloc(size >> PAGE_SHIFT);
	/* quiet: the failure goes back to the driver (ddi_umem_alloc(9F)
	 * returns NULL), which may allocate on a user's behalf */
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
}

void dmh_umem_free(void *kva, size_t size)
{
	struct page **pages;

	if (!is_vmalloc_addr(kva)) {
		free_pages_exact(kva, size);
		return;
	}
	pages = xa_erase(&dm_chunked, (unsigned long)kva >> PAGE_SHIFT);
	if (!pages) {
		vfree(kva);
		return;
	}
	vunmap(kva);
	dm_pages_free(pages, size >> PAGE_SHIFT);
}

/**
 * dm_umem_contig_pfn() - the first frame of a 2 MiB run of kernel memory
 * @first: the kernel address of the run's first page
 * @last: the kernel address of its last page, as the handle maps it
 *
 * Return: the page frame of @first if the 2 MiB from @first are one
 * physically contiguous, naturally aligned run, else 0.
 */
unsigned long dm_umem_contig_pfn(const void *first, const void *last)
{
	struct page *pg;

	if (!is_vmalloc_addr(first)) { /* the direct map is linear */
		pg = virt_to_page(first);
		return last == first + PMD_SIZE - PAGE_SIZE &&
				       IS_ALIGNED(page_to_pfn(pg),
						  DM_CHUNK_PAGES) ?
			       page_to_pfn(pg) :
			       0;
	}
	pg = vmalloc_to_page(first);
	if (!pg || !PageHead(pg) || compound_order(pg) != DM_CHUNK_ORDER ||
	    vmalloc_to_page(last) != pg + DM_CHUNK_PAGES - 1)
		return 0;
	return page_to_pfn(pg);
}
