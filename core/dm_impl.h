/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Private structures of the devmap core: address spaces, mappings
 * (segments), handles with their per-page valid bits, shared context
 * records and umem cookies, and the helpers the core's files share.
 *
 * Locking (outermost first; see docs/architecture.md):
 *   host address-space lock (mmap_lock)
 *     -> dm_seg.s_lock (reader: fault, dup; writer: unmap, setprot)
 *       -> driver's own mutexes (taken in callbacks)
 *         -> devmap_handle.dh_lock (valid bits, geometry, backing)
 *           -> dh_lock of the part split off it by a cut (dh_cut_nd)
 *           -> host page-table locks (inside dmh_load/dmh_unload)
 *   as.a_lock, dm_ctx.lock, the context list lock and the umem lock are
 *   leaves: nothing is called while they are held, except that
 *   dm_ctx_owners() takes each dm_ctx.lock inside the list lock.
 *   dmh_event() is called with at most s_lock held.
 */
#ifndef _DM_IMPL_H
#define _DM_IMPL_H

#include "dm_core.h"
#include "dm_host.h"

/* A process address space (Solaris struct as). */
struct as {
	/* never reused, unlike the address: what context records keep of a
	 * process (hold, turn, places), so one that exits leaves its hold or
	 * turn to nobody */
	unsigned long a_id;
	dmh_mutex_t a_lock; /* a_faults, a_mapreq, a_refcnt */
	struct dm_fault *a_faults; /* faults calling into the driver */
	struct dm_map_req *a_mapreq; /* the mmap(2) being set up */
	unsigned int a_refcnt;
	void *a_host;
};

/*
 * A context record, shared by every handle with the same key and access
 * function: devmap keys by device node (all minors of an instance share),
 * mapdev by dev_t, as Solaris does.  It serialises context switches when a
 * hold time (devmap_set_ctx_timeout) is set.
 */
/* A waiter's place in a context's queue, kept for a while after a signal. */
#define DM_CTX_PLACES 4
struct dm_ctx_place {
	unsigned long as_id; /* of its process (struct as a_id), 0: free */
	unsigned long ticket;
	clock_t until;
};

struct dm_ctx {
	struct dm_ctx *next; /* global list, under dm_ctx_list_lock */
	const void *key;
	const void *id;
	unsigned long num; /* its number in events, from 1 */
	unsigned int refcnt; /* under the list lock */
	dmh_mutex_t lock;
	bool busy; /* a switch is running */
	bool held; /* hold_until and hold_id are in force */
	clock_t hold_until; /* held for process hold_id until this tick */
	unsigned long hold_id; /* struct as a_id */
	/* faults waiting for a hold to end, first come first served (in
	 * dm_fault_wait(), devmap_ctx_wait.c), and the turn given to the
	 * first of them: its process switches next, if it comes back before
	 * turn_until */
	struct dm_ctx_waiter *queue;
	unsigned long next_ticket;
	struct dm_ctx_place places[DM_CTX_PLACES];
	unsigned long turn_id; /* struct as a_id; 0: no turn */
	clock_t turn_until;
	/* who owns it (under lock): the handle of the last successful
	 * context switch, its process and since when; none after a failed
	 * switch or when that handle goes */
	const struct devmap_handle *owner_dhp;
	long owner;
	clock_t owner_since;
	struct dm_fault *switching; /* faults in a switch (f->ctx_next) */
};

/* struct ddi_umem_cookie is public: <sys/ddidevmap.h> */

/* What backs a handle. */
enum dm_dh_kind {
	DM_DH_NONE, /* devmap(9E) has not called a setup function yet */
	DM_DH_DEVMEM, /* device memory: dh_pfn */
	DM_DH_UMEM, /* kernel memory: dh_cookie */
	DM_DH_CBMMAP /* legacy: the driver's mmap(9E) gives each pfn */
};

/* dh_flags bits beyond DEVMAP_SETUP_FLAGS */
#define DM_DH_SETUP_DONE 0x100

/* A devmap handle: one contiguous piece of a mapping (Solaris dhp). */
struct devmap_handle {
	struct devmap_handle *dh_next; /* next in the segment, by address */
	struct dm_seg *dh_seg;
	/* geometry: changed only with s_lock (writer) and dh_lock held */
	offset_t dh_uoff; /* user (mmap) offset of the start */
	offset_t dh_roff; /* offset in the register set/cookie */
	size_t dh_len;
	uintptr_t dh_uvaddr;
	/* backing: changed only with dh_lock held (remap) */
	enum dm_dh_kind dh_kind;
	enum dm_cache dh_cache;
	unsigned long dh_pfn; /* DM_DH_DEVMEM */
	struct ddi_umem_cookie *dh_cookie; /* DM_DH_UMEM */
	uint_t dh_flags;
	uint_t dh_prot; /* mmap prot | PROT_USER */
	uint_t dh_maxprot; /* setup maxprot & orig */
	uint_t dh_orig_maxprot; /* maxprot of the mmap */
	dev_info_t *dh_dip;
	clock_t dh_timeout; /* context hold, in ticks */
	void *dh_pvtp; /* driver private data */
	struct dm_ctx *dh_ctx; /* when there is an access callback */
	struct devmap_callback_ctl dh_callbackops;
	dmh_mutex_t dh_lock;
	unsigned long *dh_valid; /* valid bit per page */
	unsigned long dh_valid_word; /* dh_valid when it fits a word */
	size_t dh_valid_words; /* words allocated, 0 when inline */
	/*
	 * A cut under way (dm_unmap_part) while devmap_unmap(9E) tells the
	 * driver: what survives is [dh_cut_lo, dh_cut_lo + dh_cut_len)
	 * (dh_cut_len 0: no cut).  A remap meanwhile may come in the
	 * driver's old view of the handle or its new one (see
	 * dm_remap_commit).  dh_cut_nd: the part above a hole, not yet in
	 * the segment, until the driver has heard of it; a remap in the old
	 * view reaches it too (its dh_lock nests in this one), unless the
	 * driver remapped it itself (dh_remaps moved from dh_cut_nd_remaps).
	 * dh_remaps counts the driver's remaps of the handle.  Under dh_lock.
	 */
	size_t dh_cut_lo, dh_cut_len;
	struct devmap_handle *dh_cut_nd;
	uint_t dh_cut_nd_remaps;
	uint_t dh_remaps;
};

/* Legacy ddi_mapdev(9F) state of a segment. */
struct dm_mapdev {
	struct ddi_mapdev_ctl m_ops;
	void *m_private;
	dmh_mutex_t m_lock;
	dmh_cond_t m_cv;
	bool m_faulting; /* a mapdev_access runs: one per segment */
};

/* One mmap(2) of a device (Solaris segdev). */
struct dm_seg {
	dmh_rwlock_t s_lock;
	struct as *s_as;
	struct devmap_handle *s_handles; /* sorted by dh_uvaddr */
	dev_t s_dev;
	const struct cb_ops *s_cb;
	uint_t s_flags; /* mmap flags */
	uint_t s_model;
	void *s_host;
	struct dm_mapdev *s_mapdev; /* legacy mapping, else NULL */
	struct devmap_handle *s_spare; /* for a split, from dm_seg_may_split */
	bool s_revoked; /* the device is gone (devmap_revoke.c) */
};

#define DM_BITS_PER_WORD (8 * sizeof(unsigned long))

static inline size_t dm_pages(size_t len)
{
	return (len + PAGESIZE - 1) >> PAGESHIFT;
}

static inline size_t dm_round_down(size_t x)
{
	return x & ~(size_t)PAGEOFFSET;
}

static inline size_t dm_round_up(size_t x)
{
	return (x + PAGEOFFSET) & ~(size_t)PAGEOFFSET;
}

/* The largest length a handle may have: page rounding cannot wrap it. */
#define DM_LEN_MAX (SIZE_MAX - PAGEOFFSET)

/* Is [off, off + len) a range of nonnegative offsets that does not wrap? */
static inline bool dm_range_ok(offset_t off, size_t len)
{
	return off >= 0 && len <= DM_LEN_MAX &&
	       len <= (unsigned long long)LLONG_MAX - (unsigned long long)off;
}

static inline bool dm_tick_before(clock_t a, clock_t b)
{
	return (long)((unsigned long)a - (unsigned long)b) < 0;
}

/* Handle allocation and the valid bits (dm_handle.c). */
struct devmap_handle *dm_handle_alloc(struct dm_seg *seg, int kmflags);
int dm_handle_size_valid(struct devmap_handle *dhp, size_t len);
struct devmap_handle *dm_handle_clone(struct devmap_handle *src,
				      struct dm_seg *seg);
int dm_handle_reserve(struct dm_seg *seg, size_t len);
void dm_handle_free(struct devmap_handle *dhp);
bool dm_handle_managed(const struct devmap_handle *dhp);
void dm_valid_copy(struct devmap_handle *dst, const struct devmap_handle *src);
struct ddi_umem_cookie *dm_backing_copy(struct devmap_handle *dst,
					const struct devmap_handle *src);
bool dm_valid_test(const struct devmap_handle *dhp, size_t soff);
void dm_valid_set(struct devmap_handle *dhp, size_t soff, size_t len,
		  bool valid);
void dm_handle_cut_head(struct devmap_handle *dhp, size_t cut);
void dm_handle_cut_tail(struct devmap_handle *dhp, size_t newlen);
struct devmap_handle *dm_handle_lookup(struct dm_seg *seg, uintptr_t addr);

/* Translations (devmap_load.c). */
faultcode_t dm_validate(struct devmap_handle *dhp, struct dm_fault *f,
			offset_t off, size_t len, bool user);
faultcode_t dm_invalidate(struct devmap_handle *dhp, offset_t off, size_t len,
			  bool user);
struct dm_fault *dm_fault_current(struct as *as);

/* A page frame the driver's mmap(9E) refused, or one beyond the machine. */
#define DM_PFN_NONE (~0UL)
unsigned long dm_cbmmap_pfn(const struct cb_ops *cb, dev_t dev, offset_t off,
			    uint_t prot);
unsigned long dm_handle_cbpfn(struct devmap_handle *dhp, size_t soff);

/* Contexts (devmap_ctx.c) and their hold (devmap_ctx_wait.c). */
extern dmh_mutex_t dm_ctx_list_lock;
struct dm_ctx *dm_ctx_get(const void *key, const void *id);
void dm_ctx_hold(struct dm_ctx *ctx);
void dm_ctx_rele(struct dm_ctx *ctx);
enum dm_ctx_state { DM_CTX_FREE, DM_CTX_HELD, DM_CTX_WAIT };
enum dm_ctx_state dm_ctx_enter(struct dm_ctx *ctx, struct dm_fault *f,
			       clock_t ticks);
void dm_ctx_exit(struct dm_ctx *ctx, struct dm_fault *f, clock_t ticks,
		 bool ok);
void dm_ctx_switch_begin(struct dm_ctx *ctx, struct dm_fault *f);
void dm_ctx_switch_end(struct dm_ctx *ctx, struct dm_fault *f,
		       const struct devmap_handle *dhp, bool ok);
bool dm_ctx_unloaded(struct dm_ctx *ctx, size_t pages);
void dm_ctx_disown(struct dm_ctx *ctx, const struct devmap_handle *dhp);

/* Cache modes (devmap_setup.c), shared with the remap functions. */
int dm_devmem_cache(const ddi_device_acc_attr_t *attr, enum dm_cache *cachep);
int dm_umem_cache(uint_t flags, const ddi_device_acc_attr_t *attr,
		  enum dm_cache *cachep);

/* Cookies (umem.c). */
extern dmh_mutex_t dm_umem_lock;
extern dmh_mutex_t dm_as_id_lock;
void dm_cookie_hold(struct ddi_umem_cookie *cp);
bool dm_cookie_give_up(struct ddi_umem_cookie *cp, const char *who);
void dm_cookie_drop(struct ddi_umem_cookie *cp, const char *who);
uint_t dm_cookie_maxprot(const struct ddi_umem_cookie *cp, uint_t maxprot);

/* Address spaces (as.c). */
void dm_as_hold(struct as *as);
void dm_fault_enter(struct dm_fault *f, struct as *as);
void dm_fault_exit(struct dm_fault *f, struct as *as);

/* Mappings (devmap_seg.c, mapdev.c). */
struct dm_seg *dm_seg_alloc(struct as *as, const struct dm_map_req *req);
void dm_seg_free(struct dm_seg *seg);
void dm_seg_free_handles(struct dm_seg *seg);
enum dm_fault_result dm_fault_outcome(struct dm_fault *f, faultcode_t fc);
bool dm_fault_fast(struct dm_fault *f, struct devmap_handle *dhp, bool always,
		   faultcode_t *fcp);
enum dm_fault_result dm_mapdev_fault(struct dm_fault *f,
				     struct devmap_handle *dhp);
void dm_mapdev_free(struct dm_seg *seg);
int dm_mapdev_dup(struct dm_seg *seg, struct dm_seg *child);
int dm_oldmmap_setup(struct as *as, struct dm_map_req *req);

/* The handles of a mapping (for events). */
static inline uint_t dm_seg_nhandles(const struct dm_seg *seg)
{
	const struct devmap_handle *dhp;
	uint_t n = 0;

	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next)
		n++;
	return n;
}

/*
 * Pages each way of a fault that a refault of a valid page offers the host
 * to load with it (dm_fault_load), a bound on the scan of valid bits: the
 * host takes what it loads in one fault from the run (Linux: at most one
 * 2 MiB window).
 */
#define DM_RUN_PAGES 512

/* Bounded retries of an access callback that returns 0 without loading. */
#define DM_NOLOAD_MAX 8

#endif /* _DM_IMPL_H */
