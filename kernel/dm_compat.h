/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API differences between Debian's 6.1 and newer kernels, decided
 * by the build-time probes of kernel/probe.sh (dm_probes.h), never by
 * version numbers.
 */
#ifndef _DM_COMPAT_H
#define _DM_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include "dm_probes.h"

static inline void dm_vma_flags(struct vm_area_struct *vma, unsigned long set,
				unsigned long clear)
{
#ifdef HAVE_VM_FLAGS_SET
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/* Before VM_FAULT_RETRY: drop the lock the fault was taken under. */
static inline void dm_release_fault_lock(struct vm_fault *vmf)
{
#ifdef HAVE_RELEASE_FAULT_LOCK
	release_fault_lock(vmf);
#else
	mmap_read_unlock(vmf->vma->vm_mm);
#endif
}

/*
 * Huge PFN entries a module may install (dm_pmd.c): a special PMD where the
 * kernel has them, else a devmap PMD through 6.1's
 * vmf_insert_pfn_pmd_prot(); none without transparent huge pages
 * (PREEMPT_RT), where every window uses page entries.
 */
#if defined(CONFIG_TRANSPARENT_HUGEPAGE) && \
	defined(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)
#define DM_PMD_SPECIAL
#elif defined(CONFIG_TRANSPARENT_HUGEPAGE) &&  \
	defined(CONFIG_ARCH_HAS_PTE_DEVMAP) && \
	defined(HAVE_VMF_INSERT_PFN_PMD_PROT)
#define DM_PMD_DEVMAP
#endif
#if defined(DM_PMD_SPECIAL) || defined(DM_PMD_DEVMAP)
#define DM_PMD_CAPABLE 1
#else
#define DM_PMD_CAPABLE 0
#endif

static inline struct class *dm_class_create(const char *name)
{
#ifdef HAVE_CLASS_CREATE_ONE_ARG
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

#endif /* _DM_COMPAT_H */
