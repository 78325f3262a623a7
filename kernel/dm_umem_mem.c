// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel memory behind ddi_umem_alloc(9F) cookies (dmh_umem_alloc).
 * An allocation of 2 MiB or more is made of naturally aligned 2 MiB
 * compound pages where the buddy allocator has them (order-0 pages
 * elsewhere), mapped in order into one vmap area, so that a 2 MiB window
 * of a context can be loaded into a process with one PMD entry (dm_pmd.c).
 * The invariant dm_umem_chunk() answers for: in such an area a page that
 * heads a 2 MiB compound page is followed by its tail pages, in order.  The areas' page arrays are kept, by address, for the free.
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

/* Zeroed memory of @n pages (n >= DM_PMD_PAGES) in 2 MiB chunks. */
static void *dm_chunked_alloc(size_t n)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN;
	struct page **pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	void *kva = NULL;
	size_t i = 0;

	if (!pages)
		return NULL;
	/* block by block: a block the buddy allocator cannot give whole is
	 * filled with single pages, so every later block stays aligned */
	for (size_t end; i < n; i = end) {
		struct page *pg = NULL;

		end = min(n, i + DM_PMD_PAGES);
		if (end - i == DM_PMD_PAGES)
			pg = alloc_pages(gfp | __GFP_COMP | __GFP_NORETRY,
					 DM_CHUNK_ORDER);
		for (size_t j = i; j < end; j++) {
			pages[j] = pg ? pg + (j - i) : alloc_page(gfp);
			if (!pages[j])
				goto fail;
		}
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
		return alloc_pages_exact(size, GFP_NOWAIT | __GFP_ACCOUNT |
						       __GFP_ZERO |
						       __GFP_NOWARN);
	if (size >= PMD_SIZE)
		return dm_chunked_alloc(size >> PAGE_SHIFT);
	/* quiet: the failure goes back to the driver (ddi_umem_alloc(9F)
	 * returns NULL), which may allocate on a user's behalf: so the
	 * memory is charged to the caller's memory cgroup, as the core's own */
	return __vmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
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
 * dm_umem_chunk() - does a 2 MiB block of ddi_umem_alloc memory start here?
 * @pfn: a page frame of kernel memory in vmalloc space
 *
 * Return: true if @pfn heads one of this file's 2 MiB compound pages, whose
 * tail pages follow it in the area (other vmalloc memory is not made of
 * them).
 */
bool dm_umem_chunk(unsigned long pfn)
{
	struct page *pg = pfn_to_page(pfn);

	return PageHead(pg) && compound_order(pg) == DM_CHUNK_ORDER;
}
