// SPDX-License-Identifier: GPL-2.0-only
/*
 * Huge translations.  dmh_load() loads a 2 MiB window of a handle with one
 * PMD entry when the window is wholly in the range it loads and its
 * backing is one naturally aligned, physically contiguous run (device
 * memory; kernel memory that dm_umem_mem.c took in 2 MiB chunks).  A
 * switch of a 512-page context then installs, and an unload zaps, one
 * entry instead of 512.  Anything smaller or unaligned, and every kernel
 * without the support below, uses page entries as before.
 *
 * The entry must be one no other part of the kernel takes for a normal
 * huge page (gup-fast would grab the frames, so a process could keep a
 * context page after losing it): a special PMD where the kernel has them
 * (ARCH_SUPPORTS_PMD_PFNMAP, 6.12), else a devmap PMD, which gup-fast
 * drops (no dev_pagemap) and every other walker already knows (6.1).
 * The VMA is VM_PFNMAP | VM_IO, which slow GUP refuses.
 *
 * 6.1's vmf_insert_pfn() would write a page entry *into the data page* of
 * a huge entry (it takes any non-empty PMD for a page table), so no page
 * entry may go into a window that has a huge one: dm_pmd_mapped().  Both
 * kinds of entry are installed only by dmh_load() under the handle's
 * dh_lock, and a huge window lies within one handle, so the check and
 * the insert cannot race with another insert; zaps only empty PMDs.
 */
#include <linux/mm.h>
#include <linux/pfn_t.h>
#include "dm_compat.h"
#include "dm_linux.h"

#if DM_PMD_CAPABLE /* else dm_linux.h has the stubs */
/* The PMD slot of @addr in @vmf's VMA, or NULL where no page table is. */
static pmd_t *dm_pmd_find(struct vm_fault *vmf, unsigned long addr)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;

	if ((addr & PMD_MASK) == (vmf->address & PMD_MASK))
		return vmf->pmd;
	pgd = pgd_offset(vmf->vma->vm_mm, addr);
	if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(READ_ONCE(*pud)) || pud_bad(READ_ONCE(*pud)))
		return NULL;
	return pmd_offset(pud, addr);
}

/**
 * dm_pmd_none() - is the faulting page's PMD slot empty?
 * @vmf: the fault
 *
 * Return: true if so; false once the window has a page table, which zaps
 * keep: the window then stays with page entries for this VMA's life.
 */
bool dm_pmd_none(struct vm_fault *vmf)
{
	return pmd_none(READ_ONCE(*vmf->pmd));
}

#ifdef DM_PMD_SPECIAL
/*
 * Can a huge entry be made with @prot?  vmf_insert_pfn_pmd() maps with
 * the VMA's protection; with x86's PAT the frame's memory type sets the
 * cache bits of either kind of entry (track_pfn_insert), so those may
 * differ.
 */
static bool dm_pmd_prot_ok(pgprot_t prot, pgprot_t vma_prot)
{
	pteval_t mask = 0;

#ifdef CONFIG_X86
	if (pat_enabled())
		mask = _PAGE_CACHE_MASK;
#endif
	return !((pgprot_val(prot) ^ pgprot_val(vma_prot)) & ~mask);
}
#endif

/**
 * dm_pmd_mapped() - does a huge entry map the window of @addr?
 * @vmf: the fault, in the VMA of @addr
 * @addr: a user address
 *
 * Return: true if so: no page entry may go into that window.
 */
bool dm_pmd_mapped(struct vm_fault *vmf, unsigned long addr)
{
	pmd_t *pmd = dm_pmd_find(vmf, addr);

	return pmd && pmd_leaf(READ_ONCE(*pmd));
}

/**
 * dm_pmd_load() - map the faulting page's 2 MiB window with one huge entry
 * @vmf: the fault, in a VMA that holds the whole window
 * @pfn: the window's first page frame, 2 MiB aligned, the run contiguous
 * @prot: the protection a page entry would get
 *
 * Return: true if a huge entry maps the window now; false if the window
 * has a page table or the kernel cannot map @prot huge: the caller uses
 * page entries.
 */
bool dm_pmd_load(struct vm_fault *vmf, unsigned long pfn, pgprot_t prot)
{
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	vm_fault_t ret;

	if (!pmd_none(READ_ONCE(*vmf->pmd)))
		return pmd_leaf(READ_ONCE(*vmf->pmd));
#ifdef DM_PMD_SPECIAL
	if (!dm_pmd_prot_ok(prot, vmf->vma->vm_page_prot))
		return false;
	ret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
#else
	ret = vmf_insert_pfn_pmd_prot(
		vmf, __pfn_to_pfn_t(pfn, PFN_DEV | PFN_MAP), prot, write);
#endif
	/* a racing fault may have put a page table there first */
	return ret == VM_FAULT_NOPAGE && pmd_leaf(READ_ONCE(*vmf->pmd));
}
#endif
