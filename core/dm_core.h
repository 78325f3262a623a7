/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The events a host feeds the devmap core: process address spaces, mmap,
 * page faults, fork, munmap of any range, mprotect and exit.  A host calls
 * these from its own mmap/fault/fork/unmap paths; the core answers with
 * what to do (map or refuse, load a translation, deliver a signal, wait).
 * The other direction, what the core asks of the host, is dm_host.h.
 */
#ifndef _DM_CORE_H
#define _DM_CORE_H

#include <dm_host_types.h>
#include <sys/sunddi.h>

struct dm_seg;
struct devmap_handle;

/* Is a driver entry point absent: NULL, nodev or nulldev? */
static inline bool dm_is_stub(const void *fn)
{
	return fn == NULL || fn == (const void *)dm_nodev ||
	       fn == (const void *)dm_nulldev;
}

/* Start and stop the core (its global tables); once per host. */
void dm_core_init(void);
void dm_core_fini(void);

/*
 * Address spaces.  A host creates one struct as per process (per Linux mm)
 * and holds one reference while the process lives; each mapping holds
 * another.  @host is the host's own process object, given back in
 * dm_as_host().
 */
struct as *dm_as_create(void *host);
void dm_as_rele(struct as *as);
void *dm_as_host(const struct as *as);

/*
 * The longest mapping (and so handle) the core accepts: 64 GiB of address
 * space, whose valid bits take 2 MiB.  A longer mmap(2) fails with ENOMEM,
 * a longer devmap_devmem_setup(9F)/devmap_umem_setup(9F) with DDI_FAILURE,
 * so no user request makes the core allocate more than that for one map.
 */
#define DM_MAP_MAX ((size_t)64 << 30)

/* An mmap(2) of a character device, as the host hands it to the core. */
struct dm_map_req {
	const struct cb_ops *cb; /* the driver's entry points */
	dev_t dev;
	offset_t off; /* mmap offset (page aligned); out: the offset of the
		       * mapping's first page, which a segmap(9E) may change
		       * (devmap_setup, ddi_mapdev) */
	size_t len; /* length (page multiple) */
	uint_t prot; /* PROT_* asked by mmap */
	uint_t maxprot; /* PROT_* the open file allows */
	uint_t flags; /* MAP_SHARED or MAP_PRIVATE, MAP_FIXED... */
	uint_t model; /* DDI_MODEL_ILP32 or DDI_MODEL_LP64 */
	uintptr_t addr; /* user address chosen by the host */
	cred_t *cred;
	void *host; /* the host's per-mapping object */
	struct dm_seg *seg; /* out: the new mapping */
};

/*
 * Create the mapping of @req in @as: run the driver's segmap(9E) or
 * devmap(9E) (with *maplen iteration), check everything, then call
 * devmap_map(9E) per handle.  Returns 0 and sets req->seg, or an errno;
 * on error nothing is left behind.
 */
int dm_seg_map(struct as *as, struct dm_map_req *req);

/* What a fault comes to. */
enum dm_fault_result {
	DM_FAULT_DONE, /* translation valid; resume the access */
	DM_FAULT_RETRY, /* nothing loaded; resume and fault again */
	DM_FAULT_WAIT, /* call dm_fault_wait() unlocked, then retry */
	DM_FAULT_SIGBUS, /* deliver SIGBUS; f->fc says why */
	DM_FAULT_SIGSEGV /* deliver SIGSEGV; f->fc says why */
};

/*
 * One page fault, on the stack of the host's fault handler.  The host fills
 * the first block; dm_fault() fills fc; the rest is the core's.
 */
struct dm_fault {
	struct dm_seg *seg;
	uintptr_t addr; /* faulting user address */
	uint_t rw; /* DEVMAP_READ, DEVMAP_WRITE or DEVMAP_EXEC */
	void *host; /* host's per-fault data (e.g. struct vm_fault) */
	bool killable; /* waits end only for a fatal signal (kernel access) */
	bool nowait; /* the host cannot sleep in this fault (no queueing) */

	faultcode_t fc; /* why, for DM_FAULT_SIG* */

	/* core private */
	struct dm_fault *next;
	struct as *as;
	uintptr_t thread;
	struct devmap_handle *dhp;
	size_t soff; /* faulting page, as an offset in dhp */
	unsigned long cb_pfn; /* legacy paths: mmap(9E) for it, asked before
			       * locking; DM_PFN_NONE when refused */
	bool loaded; /* devmap_load() covered the faulting page */
	faultcode_t load_fc; /* last devmap_load() error in this fault */
	struct dm_ctx *wait_ctx;
	clock_t wait_ticks; /* the hold time of the context it waits for */
	uint_t calls; /* driver access callbacks made (events) */
	size_t unloaded; /* pages a context switch unloaded (events) */
	struct dm_fault *ctx_next; /* in dm_ctx.switching */
};

/*
 * Handle a fault at f->addr in f->seg.  The host holds its address-space
 * lock for reading (as for any page fault) and must have checked the
 * access against the mapping's current protections.
 */
enum dm_fault_result dm_fault(struct dm_fault *f);

/*
 * After DM_FAULT_WAIT: sleep until the device context may be switched
 * again, with no address-space lock held.  Returns 0, or EINTR when the
 * thread has a signal to take first.  Either way the host retries the fault
 * (or lets the signal be delivered first).
 */
int dm_fault_wait(struct dm_fault *f);

/*
 * After DM_FAULT_WAIT, when the host cannot sleep: drop what the wait
 * needed; the host retries the fault at once.
 */
void dm_fault_abandon(struct dm_fault *f);

/*
 * fork(2): duplicate @seg into @child.  Calls devmap_dup(9E) per handle;
 * the child's handles start with no valid translations.  Returns 0 and sets
 * *childp, or ENOMEM/EAGAIN with nothing left behind.  A range the child
 * does not inherit (Linux: MADV_DONTFORK) the host then takes out of the
 * child's copy with dm_seg_unmap(), as if the child had unmapped it: a
 * handle without a mapping behind it must not stay.
 */
int dm_seg_dup(struct dm_seg *seg, struct as *child, void *host,
	       struct dm_seg **childp);

/*
 * munmap(2) of [addr, addr + len) within @seg.  Calls devmap_unmap(9E)
 * with the new_dhp1/new_dhp2 arguments of the man page, splitting handles
 * as needed.  The host has already removed the translations of the range.
 * The mapping may be left with holes; it stays until dm_seg_destroy().
 */
void dm_seg_unmap(struct dm_seg *seg, uintptr_t addr, size_t len);

/*
 * The host's last piece of @seg is gone (munmap or exit): unmap what is
 * left (devmap_unmap(9E) as at exit) and free it.
 */
void dm_seg_destroy(struct dm_seg *seg);

/*
 * May a munmap or mprotect cut @seg at @addr?  0; ENOMEM; or EINVAL for a
 * legacy mapdev mapping, which Solaris never lets a partial munmap cut.
 * A host calls it before committing a cut (Linux: vm_ops->may_split) so
 * that dm_seg_unmap() of a hole needs no allocation.
 */
int dm_seg_may_split(struct dm_seg *seg, uintptr_t addr);

/*
 * mprotect(2) of [addr, addr + len) to @prot: 0 when every handle there
 * allows it, EACCES past a handle's maxprot, EINVAL where no handle is.
 */
int dm_seg_setprot(struct dm_seg *seg, uintptr_t addr, size_t len, uint_t prot);

/*
 * The device behind @seg is gone (hot removal): remove its translations;
 * every later fault gets SIGBUS.  The mapping stays until munmap or exit.
 */
void dm_seg_revoke(struct dm_seg *seg);

/*
 * mremap moved [old, old + len) of @seg to @addr (the host has moved the
 * translations): the handles there follow.  0, or EINVAL (nothing changed)
 * when the range holds no handle, cuts one, or lands on another.  dm_seg_offaddr() says where
 * the page at user offset @off is now (0: nowhere).
 */
int dm_seg_move(struct dm_seg *seg, uintptr_t old, uintptr_t addr, size_t len);
uintptr_t dm_seg_offaddr(struct dm_seg *seg, offset_t off);
/* The first handle of @seg ending above @from: true, its range set. */
bool dm_seg_next_range(struct dm_seg *seg, uintptr_t from, uintptr_t *start,
		       size_t *len);

/* The host's object given in dm_map_req.host / dm_seg_dup(). */
void *dm_seg_host(const struct dm_seg *seg);

/* Where a page of a handle lives, for dmh_load(). */
enum dm_backing_kind { DM_BK_PFN, DM_BK_KVA };
enum dm_cache { DM_CACHE_WB, DM_CACHE_UC, DM_CACHE_WC };
struct dm_backing {
	enum dm_backing_kind kind;
	enum dm_cache cache;
	unsigned long pfn; /* DM_BK_PFN: device page frame */
	bool io; /* DM_BK_PFN of devmap_devmem_setup: device memory for sure */
	void *kva; /* DM_BK_KVA: kernel memory */
	uintptr_t uaddr; /* the user address of that page */
};

/*
 * Resolve the page at byte offset @soff of @dhp (called by the host from
 * dmh_load(), with the handle's mutex held; @f is the fault it was given).
 * Returns 0, FC_NOMAP for a MAPPING_INVALID handle, or FC_MAKE_ERR(EFAULT)
 * for a page the driver's mmap(9E) refuses (legacy paths).  For the
 * faulting page the driver was asked before the mutex was taken; a host
 * that loads other pages eagerly calls the driver's mmap(9E) under it.
 */
faultcode_t dm_handle_backing(struct dm_fault *f, struct devmap_handle *dhp,
			      size_t soff, struct dm_backing *b);
/* Legacy handle: its backing comes from mmap(9E), never under dh_lock. */
bool dm_handle_asks_driver(const struct devmap_handle *dhp);

/* The address space a handle belongs to, its mapping's host object and
 * its user address. */
struct as *dm_handle_as(const struct devmap_handle *dhp);
void *dm_handle_host(const struct devmap_handle *dhp);
uintptr_t dm_handle_uvaddr(const struct devmap_handle *dhp);
offset_t dm_handle_uoff(const struct devmap_handle *dhp);

/*
 * Debugger access (Linux vm_ops->access) to the page at @addr of @seg:
 * calls @fn with its backing, under the handle's lock, without the driver
 * and only while the page is valid for @seg if the driver manages it.
 * Returns @fn's result or a fault code (see devmap_load.c).
 */
int dm_seg_access(struct dm_seg *seg, uintptr_t addr,
		  int (*fn)(const struct dm_backing *b, void *arg), void *arg);

/*
 * Cookie references for a host: a buf(9S) of ddi_umem_iosetup(9F) holds
 * its cookie (dm_cookie_hold_live, dm_cookie_put), and the host's deferred
 * release (dmh_umem_rele_later) ends in dm_cookie_rele(), which frees the
 * cookie with its last reference.
 */
bool dm_cookie_hold_live(struct ddi_umem_cookie *cp);
void dm_cookie_put(struct ddi_umem_cookie *cp);
void dm_cookie_rele(struct ddi_umem_cookie *cp);

/* Memory the core uses: a handle of @len bytes, a mapping. */
size_t dm_handle_bytes(size_t len);
size_t dm_seg_bytes(void);

/*
 * The device contexts of a device node (the @key of devmap: its dev_info),
 * for a host's counters: @fn is called for each with the context list
 * locked, so it must not call into the core.
 */
struct dm_ctx_owner {
	unsigned long num; /* the context's number, as in events */
	long owner; /* dmh_proc_id() of its owner, 0: none */
	clock_t since; /* tick the owner took it */
};
void dm_ctx_owners(const void *key,
		   void (*fn)(const struct dm_ctx_owner *o, void *arg),
		   void *arg);

/* The protections every handle of @seg allows (for the host's VM_MAY*). */
uint_t dm_seg_maxprot(struct dm_seg *seg);

#endif /* _DM_CORE_H */
