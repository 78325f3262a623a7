// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Simulated processes: address spaces made of pieces of device mappings
 * (VMAs) with a page table each, and the system calls and memory accesses
 * that drive the devmap core: mmap, munmap of any range, mprotect, fork,
 * exit, and loads, stores and instruction fetches that fault like an MMU.
 * The rules are the Linux host's: the MMU checks the VMA's protections
 * before any fault reaches the core, and a writable MAP_PRIVATE device
 * mapping is refused.
 */
#include <errno.h>
#include "sim.h"

#define SIM_VA_BASE 0x10000000UL
#define SIM_MAX_TRIES (1 << 20) /* only a real livelock gets there */

static int sim_next_pid = 100;
bool sim_skip_may_split;

struct sim_proc *sim_proc_create(uint_t model)
{
	struct sim_proc *p = calloc(1, sizeof(*p));

	p->pid = sim_next_pid++;
	p->tid = (uintptr_t)p->pid << 4;
	p->model = model;
	p->next_va = SIM_VA_BASE;
	p->as = dm_as_create(p);
	pthread_rwlock_init(&p->mmu, NULL);
	return p;
}

static struct sim_vma *sim_vma_new(struct sim_proc *p, uintptr_t start,
				   uintptr_t end, uint_t prot,
				   struct dm_seg *seg, dev_t dev)
{
	struct sim_vma *v = calloc(1, sizeof(*v)), **pp;

	v->start = start;
	v->end = end;
	v->prot = prot;
	v->seg = seg;
	v->dev = dev;
	v->pte = calloc(btop(end - start), sizeof(*v->pte));
	for (pp = &p->vmas; *pp && (*pp)->start < start; pp = &(*pp)->next)
		;
	v->next = *pp;
	*pp = v;
	return v;
}

/* Cut @v in two at @at; the upper part follows it in the list. */
static void sim_vma_split(struct sim_vma *v, uintptr_t at)
{
	struct sim_vma *hi = calloc(1, sizeof(*hi));
	size_t lo_pages = btop(at - v->start);

	*hi = *v;
	hi->start = at;
	hi->pte = calloc(btop(v->end - at), sizeof(*hi->pte));
	memcpy(hi->pte, v->pte + lo_pages, btop(v->end - at) * sizeof(*v->pte));
	v->end = at;
	v->next = hi;
}

/* Split VMAs so that [start, end) is made of whole VMAs. */
static void sim_vma_isolate(struct sim_proc *p, uintptr_t start, uintptr_t end)
{
	for (struct sim_vma *v = p->vmas; v; v = v->next) {
		if (start > v->start && start < v->end)
			sim_vma_split(v, start);
		else if (end > v->start && end < v->end)
			sim_vma_split(v, end);
	}
}

static bool sim_seg_in_list(struct sim_vma *v, struct dm_seg *seg)
{
	for (; v; v = v->next)
		if (v->seg == seg)
			return true;
	return false;
}

static bool sim_seg_in_use(struct sim_proc *p, struct dm_seg *seg)
{
	return sim_seg_in_list(p->vmas, seg);
}

/*
 * Remove whole VMAs inside [start, end), as munmap does: detach them (and
 * so their translations) under the MMU lock, then tell the core, which may
 * call the driver, with no sim lock held.
 */
static void sim_unmap_range(struct sim_proc *p, uintptr_t start, uintptr_t end)
{
	struct sim_vma **pp = &p->vmas, *v, *doomed = NULL;

	pthread_rwlock_wrlock(&p->mmu);
	sim_vma_isolate(p, start, end);
	while ((v = *pp)) {
		if (v->start < start || v->end > end) {
			pp = &v->next;
			continue;
		}
		*pp = v->next;
		v->next = doomed;
		doomed = v;
	}
	pthread_rwlock_unlock(&p->mmu);
	while ((v = doomed)) {
		doomed = v->next;
		dm_seg_unmap(v->seg, v->start, v->end - v->start);
		if (!sim_seg_in_use(p, v->seg) &&
		    !sim_seg_in_list(doomed, v->seg))
			dm_seg_destroy(v->seg);
		free(v->pte);
		free(v);
	}
}

static int sim_mmap_common(struct sim_proc *p, dev_t dev, offset_t off,
			   size_t len, uint_t prot, uint_t flags,
			   uint_t maxprot, uintptr_t *vap)
{
	const struct cb_ops *cb = sim_cb_lookup(dev);
	struct dm_map_req req = { 0 };
	uintptr_t va;
	int err;

	len = btopr(len) << PAGESHIFT;
	if (len == 0 || (off & PAGEOFFSET) ||
	    ((flags & MAP_TYPE_MASK) != MAP_SHARED &&
	     (flags & MAP_TYPE_MASK) != MAP_PRIVATE))
		return EINVAL;
	if (!cb)
		return ENODEV;
	if ((flags & MAP_TYPE_MASK) == MAP_SHARED && (prot & ~maxprot))
		return EACCES;
	if ((flags & MAP_TYPE_MASK) == MAP_PRIVATE && (prot & PROT_WRITE))
		return EINVAL;
	if (flags & MAP_FIXED) {
		va = *vap;
		if (va & PAGEOFFSET)
			return EINVAL;
		sim_unmap_range(p, va, va + len);
	} else {
		va = p->next_va;
		p->next_va += len + PAGESIZE;
	}
	req.cb = cb;
	req.dev = dev;
	req.off = off;
	req.len = len;
	req.prot = prot;
	req.maxprot = maxprot;
	req.flags = flags;
	req.model = p->model;
	req.addr = va;
	req.host = p;
	sim_run(p);
	err = dm_seg_map(p->as, &req);
	if (err)
		return err;
	pthread_rwlock_wrlock(&p->mmu);
	sim_vma_new(p, va, va + len, prot, req.seg, dev);
	pthread_rwlock_unlock(&p->mmu);
	*vap = va;
	return 0;
}

int sim_mmap(struct sim_proc *p, dev_t dev, offset_t off, size_t len,
	     uint_t prot, uint_t flags, uintptr_t *vap)
{
	return sim_mmap_common(p, dev, off, len, prot, flags,
			       PROT_READ | PROT_WRITE | PROT_EXEC, vap);
}

int sim_mmap_ro(struct sim_proc *p, dev_t dev, offset_t off, size_t len,
		uint_t prot, uint_t flags, uintptr_t *vap)
{
	uint_t maxprot = PROT_READ | PROT_EXEC;

	/* a private mapping of a read-only file may still be made writable */
	if ((flags & MAP_TYPE_MASK) == MAP_PRIVATE)
		maxprot |= PROT_WRITE;
	return sim_mmap_common(p, dev, off, len, prot, flags, maxprot, vap);
}

/* Ask the core, as Linux' vm_ops->may_split, about each VMA cut. */
static int sim_may_split(struct sim_proc *p, uintptr_t start, uintptr_t end)
{
	if (sim_skip_may_split)
		return 0;
	for (struct sim_vma *v = p->vmas; v; v = v->next) {
		int err = 0;

		if (start > v->start && start < v->end)
			err = dm_seg_may_split(v->seg, start);
		if (!err && end > v->start && end < v->end)
			err = dm_seg_may_split(v->seg, end);
		if (err)
			return err;
	}
	return 0;
}

int sim_munmap(struct sim_proc *p, uintptr_t va, size_t len)
{
	uintptr_t end = va + (btopr(len) << PAGESHIFT);

	if ((va & PAGEOFFSET) || len == 0)
		return EINVAL;

	int err = sim_may_split(p, va, end);

	if (err)
		return err;
	sim_run(p);
	sim_unmap_range(p, va, end);
	return 0;
}

/* Take @v out of @p's list and put it back at @start, in order. */
static void sim_vma_move(struct sim_proc *p, struct sim_vma *v, uintptr_t start)
{
	struct sim_vma **pp;

	for (pp = &p->vmas; *pp != v; pp = &(*pp)->next)
		;
	*pp = v->next;
	v->end = start + (v->end - v->start);
	v->start = start;
	for (pp = &p->vmas; *pp && (*pp)->start < start; pp = &(*pp)->next)
		;
	v->next = *pp;
	*pp = v;
}

/*
 * mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, new) of a range of
 * one mapping, as Linux does it: the target is unmapped, the VMA and its
 * page table entries move, then the core is told; if it refuses, they
 * move back.  EFAULT when the range is not within one mapping.
 */
int sim_mremap(struct sim_proc *p, uintptr_t old, size_t len, uintptr_t new)
{
	uintptr_t end = old + len;
	struct sim_vma *v;
	int err;

	if (((old | new | len) & PAGEOFFSET) || len == 0 ||
	    (new < end &&old < new + len))
		return EINVAL;
	sim_unmap_range(p, new, new + len);
	pthread_rwlock_wrlock(&p->mmu);
	sim_vma_isolate(p, old, end);
	for (v = p->vmas; v && !(v->start == old && v->end == end); v = v->next)
		;
	err = v ? 0 : EFAULT;
	if (v) {
		sim_vma_move(p, v, new);
		err = dm_seg_move(v->seg, old, new, len);
		if (err)
			sim_vma_move(p, v, old);
	}
	pthread_rwlock_unlock(&p->mmu);
	return err;
}

int sim_madvise_dontfork(struct sim_proc *p, uintptr_t va, size_t len)
{
	uintptr_t end = va + len;
	int err = sim_may_split(p, va, end);

	if (err)
		return err;
	err = EINVAL;
	pthread_rwlock_wrlock(&p->mmu);
	sim_vma_isolate(p, va, end);
	for (struct sim_vma *v = p->vmas; v; v = v->next)
		if (v->start >= va && v->end <= end) {
			v->dontfork = true;
			err = 0;
		}
	pthread_rwlock_unlock(&p->mmu);
	return err;
}

int sim_mprotect(struct sim_proc *p, uintptr_t va, size_t len, uint_t prot)
{
	uintptr_t end = va + (btopr(len) << PAGESHIFT);
	int err = sim_may_split(p, va, end);

	if (err)
		return err;
	for (struct sim_vma *v = p->vmas; v; v = v->next) {
		uintptr_t s = va > v->start ? va : v->start;
		uintptr_t e = end < v->end ? end : v->end;

		if (s >= e)
			continue;
		err = dm_seg_setprot(v->seg, s, e - s, prot);
		if (err)
			return err;
	}
	pthread_rwlock_wrlock(&p->mmu);
	sim_vma_isolate(p, va, end);
	for (struct sim_vma *v = p->vmas; v; v = v->next) {
		if (v->start < va || v->end > end)
			continue;
		v->prot = prot;
		memset(v->pte, 0, btop(v->end - v->start) * sizeof(*v->pte));
	}
	pthread_rwlock_unlock(&p->mmu);
	return 0;
}

struct sim_proc *sim_fork(struct sim_proc *p, int *errp)
{
	struct sim_proc *c = sim_proc_create(p->model);
	struct dm_seg *from[64], *to[64];
	int n = 0, i;

	*errp = 0;
	sim_run(p);
	for (struct sim_vma *v = p->vmas; v; v = v->next) {
		for (i = 0; i < n && from[i] != v->seg; i++)
			;
		if (i < n)
			continue;
		from[n] = v->seg;
		*errp = dm_seg_dup(v->seg, c->as, c, &to[n]);
		if (*errp)
			break;
		n++;
	}
	if (*errp) {
		while (n--)
			dm_seg_destroy(to[n]);
		dm_as_rele(c->as);
		pthread_rwlock_destroy(&c->mmu);
		free(c);
		return NULL;
	}
	c->next_va = p->next_va;
	for (struct sim_vma *v = p->vmas; v; v = v->next) {
		for (i = 0; from[i] != v->seg; i++)
			;
		/* as the Linux host: what the child does not inherit goes
		 * from its copy of the mapping (devmap_unmap(9E) there) */
		if (v->dontfork)
			dm_seg_unmap(to[i], v->start, v->end - v->start);
		else
			sim_vma_new(c, v->start, v->end, v->prot, to[i],
				    v->dev);
	}
	for (i = 0; i < n; i++)
		if (!sim_seg_in_use(c, to[i]))
			dm_seg_destroy(to[i]);
	return c;
}

void sim_exit(struct sim_proc *p)
{
	sim_run(p);
	sim_unmap_range(p, 0, UINTPTR_MAX & ~(uintptr_t)PAGEOFFSET);
	dm_as_rele(p->as);
	pthread_rwlock_destroy(&p->mmu);
	free(p);
}

static struct sim_vma *sim_find(struct sim_proc *p, uintptr_t va)
{
	for (struct sim_vma *v = p->vmas; v; v = v->next)
		if (va >= v->start && va < v->end)
			return v;
	return NULL;
}

struct dm_seg *sim_seg_at(struct sim_proc *p, uintptr_t va)
{
	struct sim_vma *v = sim_find(p, va);

	return v ? v->seg : NULL;
}

struct sim_pte *sim_pte(struct sim_proc *p, uintptr_t va)
{
	struct sim_vma *v = sim_find(p, va);

	return v ? &v->pte[(va - v->start) >> PAGESHIFT] : NULL;
}

static int sim_signal(struct sim_proc *p, int sig, faultcode_t fc)
{
	p->sig = sig;
	p->sig_fc = fc;
	return sig;
}

/*
 * Make one access by @p at @va possible, faulting as often as needed.  On
 * success the MMU lock is held for reading, so no other process can take
 * the translation away until the access is done (a TLB shootdown).
 */
static int sim_touch(struct sim_proc *p, uintptr_t va, uint_t rw,
		     struct sim_pte **ptep)
{
	static const uint_t need[] = { [DEVMAP_READ] = PROT_READ,
				       [DEVMAP_WRITE] = PROT_WRITE,
				       [DEVMAP_EXEC] = PROT_EXEC };
	struct dm_fault f;
	int tries;

	sim_run(p);
	for (tries = 0; tries < SIM_MAX_TRIES; tries++) {
		struct sim_vma *v;

		pthread_rwlock_rdlock(&p->mmu);
		v = sim_find(p, va);
		if (!v || !(v->prot & need[rw])) {
			pthread_rwlock_unlock(&p->mmu);
			return sim_signal(p, SIGSEGV, v ? FC_PROT : FC_NOMAP);
		}
		*ptep = &v->pte[(va - v->start) >> PAGESHIFT];
		if ((*ptep)->page)
			return 0;
		memset(&f, 0, sizeof(f));
		f.seg = v->seg;
		f.addr = va;
		f.rw = rw;
		pthread_rwlock_unlock(&p->mmu);
		p->faults++;
		switch (dm_fault(&f)) {
		case DM_FAULT_DONE:
		case DM_FAULT_RETRY:
			break;
		case DM_FAULT_WAIT:
			p->waits++;
			dm_fault_wait(&f);
			break;
		case DM_FAULT_SIGBUS:
			return sim_signal(p, SIGBUS, f.fc);
		case DM_FAULT_SIGSEGV:
			return sim_signal(p, SIGSEGV, f.fc);
		}
	}
	fprintf(stderr, "# sim: pid %d livelocked at 0x%lx\n", p->pid,
		(unsigned long)va);
	return sim_signal(p, -1, 0);
}

int sim_read(struct sim_proc *p, uintptr_t va, void *buf, size_t n)
{
	struct sim_pte *pte;
	int sig = sim_touch(p, va, DEVMAP_READ, &pte);

	if (!sig) {
		memcpy(buf, (char *)pte->page + (va & PAGEOFFSET), n);
		pthread_rwlock_unlock(&p->mmu);
	}
	return sig;
}

int sim_write(struct sim_proc *p, uintptr_t va, const void *buf, size_t n)
{
	struct sim_pte *pte;
	int sig = sim_touch(p, va, DEVMAP_WRITE, &pte);

	if (!sig) {
		memcpy((char *)pte->page + (va & PAGEOFFSET), buf, n);
		pthread_rwlock_unlock(&p->mmu);
	}
	return sig;
}

int sim_exec(struct sim_proc *p, uintptr_t va)
{
	struct sim_pte *pte;
	int sig = sim_touch(p, va, DEVMAP_EXEC, &pte);

	if (!sig)
		pthread_rwlock_unlock(&p->mmu);
	return sig;
}

uint32_t sim_read32(struct sim_proc *p, uintptr_t va, int *sigp)
{
	uint32_t v = 0;
	int sig = sim_read(p, va, &v, sizeof(v));

	if (sigp)
		*sigp = sig;
	return v;
}

int sim_write32(struct sim_proc *p, uintptr_t va, uint32_t v)
{
	return sim_write(p, va, &v, sizeof(v));
}

int sim_mappers(struct sim_proc **procs, int n, void *page)
{
	int count = 0;

	for (int i = 0; i < n; i++) {
		bool maps = false;

		if (!procs[i])
			continue;
		for (struct sim_vma *v = procs[i]->vmas; v && !maps;
		     v = v->next)
			for (size_t pg = 0; pg < btop(v->end - v->start); pg++)
				if (v->pte[pg].page == page)
					maps = true;
		count += maps;
	}
	return count;
}
