/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test instrument for the in-guest test drivers, Linux-specific: is there
 * a present translation at a user address of a process, and of what kind?
 * (/proc/PID/pagemap does not walk VM_PFNMAP mappings.)  Returns
 * DMT_PRESENT_HUGE for a present PMD entry, DMT_PRESENT_PAGE for a
 * present PTE, 0 for none, -1 for no such process or VMA (the answer of
 * struct dmt_present).  The walk allocates no page table.
 */
#ifndef _KPRESENT_H
#define _KPRESENT_H

#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include "dmtest.h" /* DMT_PRESENT_PAGE, DMT_PRESENT_HUGE */

static int kp_pte_fn(pte_t *pte, unsigned long addr, void *data)
{
	*(int *)data = pte_present(ptep_get(pte)) ? DMT_PRESENT_PAGE : 0;
	return 0;
}

/* The kind of translation at @va of @vma (mmap_lock held). */
static int kp_vma_present(struct vm_area_struct *vma, unsigned long va)
{
	pgd_t *pgd = pgd_offset(vma->vm_mm, va);
	int present = 0;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t pmd;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return 0;
	p4d = p4d_offset(pgd, va);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return 0;
	pud = pud_offset(p4d, va);
	if (pud_none(*pud) || pud_bad(*pud))
		return 0;
	pmd = READ_ONCE(*pmd_offset(pud, va));
	if (pmd_leaf(pmd))
		return pmd_present(pmd) ? DMT_PRESENT_HUGE : 0;
	apply_to_existing_page_range(vma->vm_mm, va & PAGE_MASK, PAGE_SIZE,
				     kp_pte_fn, &present);
	return present;
}

static int kp_present(int pid, unsigned long va)
{
	struct pid *p = find_get_pid(pid);
	struct task_struct *task = get_pid_task(p, PIDTYPE_PID);
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int present = -1;

	put_pid(p);
	if (!task)
		return -1;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -1;
	mmap_read_lock(mm);
	vma = vma_lookup(mm, va);
	if (vma)
		present = kp_vma_present(vma, va);
	mmap_read_unlock(mm);
	mmput(mm);
	return present;
}

#endif /* _KPRESENT_H */
