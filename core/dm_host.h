/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The host interface: everything the portable devmap core asks of the
 * operating system it runs on.  A host (the Linux kernel module, the
 * userfaultfd daemon, the simulated host of the tests) implements each
 * dmh_*() function below and provides <dm_host_types.h> with the lock
 * types; the core makes no other OS call.
 *
 * Rules a host implementation must keep (see docs/architecture.md):
 *  - dmh_mutex_* may sleep; the core never takes a dmh mutex from a context
 *    that cannot sleep and never holds one across a driver callback.
 *  - dmh_load() and dmh_unload() are called with the handle's mutex held;
 *    they may take the host's page-table locks (below it in the lock order)
 *    but never an address-space lock (mmap_lock), which may already be held
 *    by the faulting thread.
 *  - Allocation with DMH_SLEEP may sleep; DMH_NOSLEEP may fail.
 */
#ifndef _DM_HOST_H
#define _DM_HOST_H

#include <dm_host_types.h>
#include <sys/sunddi.h>

struct dm_fault;
struct devmap_handle;
struct dm_backing;

/* Allocation flags of dmh_alloc(). */
#define DMH_SLEEP 0
#define DMH_NOSLEEP 1

/*
 * Memory: zeroed on return.  DMH_SLEEP may sleep and fails only for sizes
 * the host cannot provide (valid-bit arrays of huge handles: a Linux host
 * uses kvzalloc); DMH_NOSLEEP may fail any time.
 */
void *dmh_zalloc(size_t size, int flags);
void dmh_free(void *p, size_t size);

/*
 * Kernel memory for ddi_umem_alloc(9F): page-aligned, zeroed, mappable by
 * dmh_load().  Returns the kernel address, or NULL (DMH_NOSLEEP only).
 */
void *dmh_umem_alloc(size_t size, int flags);
void dmh_umem_free(void *kva, size_t size);

/*
 * User memory for ddi_umem_lock(9F).  dmh_umem_pin() locks the pages of
 * the calling process at [addr, addr + len) (page aligned, len > 0) in
 * memory, writable by the kernel if @write, charges them to the process's
 * locked-memory limit and returns its record of them in *pinp; it returns
 * 0, or an errno and then holds nothing: EFAULT for a range not wholly
 * mapped (or without write access when @write), ENOMEM over the limit or
 * out of memory.  dmh_umem_page() describes the page at byte offset @off
 * of a record for dmh_load() (a page frame or a kernel address), and
 * dmh_umem_unpin() releases the pages and their charge and frees the
 * record; both may be called by any thread, of any process.
 * dmh_umem_rele_later() is asked before a reference to a locked cookie is
 * dropped where the caller may not sleep (dm_cookie_put): from a context
 * that cannot sleep (or cannot tell) it arranges for dm_cookie_rele(@cp)
 * to run soon where it can and returns true; elsewhere it returns false.
 * It may be asked again for the same cookie before the first ran.
 */
int dmh_umem_pin(caddr_t addr, size_t len, bool write, void **pinp);
void dmh_umem_page(void *pin, size_t off, struct dm_backing *b);
void dmh_umem_unpin(void *pin);
bool dmh_umem_rele_later(struct ddi_umem_cookie *cp);

/*
 * Sleeping mutual exclusion and condition variables.  A host may define
 * the three *_init functions as macros in <dm_host_types.h> (the Linux
 * host does, so that lockdep sees one lock class per call site).
 */
#ifndef dmh_mutex_init
void dmh_mutex_init(dmh_mutex_t *m);
#endif
void dmh_mutex_destroy(dmh_mutex_t *m);
void dmh_mutex_enter(dmh_mutex_t *m);
/* a second mutex of the same kind as one held, one level down (a
 * handle's, then that of the part split off it by a cut) */
void dmh_mutex_enter_nested(dmh_mutex_t *m);
void dmh_mutex_exit(dmh_mutex_t *m);
#ifndef dmh_rw_init
void dmh_rw_init(dmh_rwlock_t *l);
#endif
void dmh_rw_destroy(dmh_rwlock_t *l);
void dmh_rw_enter(dmh_rwlock_t *l, bool writer);
void dmh_rw_exit(dmh_rwlock_t *l, bool writer);
#ifndef dmh_cond_init
void dmh_cond_init(dmh_cond_t *c);
#endif
void dmh_cond_destroy(dmh_cond_t *c);
void dmh_cond_broadcast(dmh_cond_t *c);
/*
 * Wait on @c, with @m held, until woken or until the tick @deadline.
 * Returns 0 when woken, ETIMEDOUT at the deadline, EINTR when the waiting
 * thread has a signal to handle first (with @killable, only a signal that
 * kills it counts: the wait of a kernel access that cannot take one).
 */
int dmh_cond_wait_until(dmh_cond_t *c, dmh_mutex_t *m, clock_t deadline,
			bool killable);
/* A deadline that never comes. */
#define DM_TICKS_FOREVER ((clock_t)-1)

/* Time, in clock ticks of the host, and the number of online CPUs. */
clock_t dmh_ticks(void);
int dmh_ncpus(void);

/*
 * Called on each step of a long loop a user's request runs (the legacy
 * per-page mmap(9E) walk): let other threads run.  Returns true when the
 * calling thread has a fatal signal pending and should give up.
 */
bool dmh_yield(void);

/* An identifier of the calling thread, unique among live threads. */
uintptr_t dmh_thread_self(void);

/*
 * The process the calling thread acts for, as users name it (Linux: the
 * thread group id): recorded as the owner of a device context.  Never 0.
 */
long dmh_proc_id(void);

/*
 * Translations.  dmh_load() makes [soff, soff + len) of @dhp (byte offsets
 * within the handle) accessible without further faults; a host may install
 * only the page of @f (the current fault, NULL outside one) and let the
 * others fault in later through the valid bits.  Returns 0 or a fault code
 * (FC_*), and then installs nothing.  dmh_unload() removes every translation of that range in the
 * handle's address space and must work from any thread, including from
 * inside another process's fault.  Both run with the handle's mutex held.
 */
int dmh_load(struct dm_fault *f, struct devmap_handle *dhp, size_t soff,
	     size_t len);
void dmh_unload(struct devmap_handle *dhp, size_t soff, size_t len);

/*
 * Device memory: resolve register set @rnumber of @dip at byte offset
 * @roff (page aligned) for @len bytes to a base page frame number.
 * Returns 0, or -1 for a bad register number or range.
 */
int dmh_devmem_pfn(dev_info_t *dip, uint_t rnumber, offset_t roff, size_t len,
		   unsigned long *pfnp);

/*
 * Is @pfn a page frame this machine can address (below the limit of its
 * physical address width)?  The core asks before it maps a page frame a
 * driver's legacy mmap(9E) returned.
 */
bool dmh_pfn_ok(unsigned long pfn);

/*
 * Messages for a human: level is one of the CE_* values below.  dmh_log()
 * is for what only a driver's own call can cause; everything a user can
 * make happen again and again (an mmap, a fault, a munmap reaching a
 * driver bug or a refusal) goes through dmh_log_ratelimited(), which a
 * host must rate-limit (Linux: printk_ratelimited).
 */
#define DM_CE_NOTE 1
#define DM_CE_WARN 2
void dmh_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dmh_log_ratelimited(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Events: what the core did, for tracing and counters.  The core fills a
 * struct dm_event on its stack and calls dmh_event() once per event, with
 * no lock of its own held except the mapping's s_lock (as reader or
 * writer) and never a handle's dh_lock; the host must not call back into
 * the core.  On the fault fast path this is the one cost of the events, so
 * a host makes it cheap when nobody watches (Linux: static-key guarded
 * tracepoints and per-CPU counters).  Which fields are set depends on the
 * type (see docs/architecture.md, "Events").  Built with DM_NO_EVENTS
 * (the overhead benchmark's baseline) the calls compile away.
 */
enum dm_event_type {
	DM_EV_MAP, /* mmap accepted: off, len, handles */
	DM_EV_UNMAP, /* munmap or exit reached handles: off, len, handles */
	DM_EV_DUP, /* fork: handles, result (0 or an errno) */
	DM_EV_FAULT, /* addr, off, rw, outcome, fc, calls */
	DM_EV_CTX_SWITCH, /* ctx_id, prev_owner, new_owner, pages */
	DM_EV_CTX_WAIT, /* ctx_id, waited (ticks) */
	DM_EV_LOAD, /* devmap_load: off, len, in_fault, fc */
	DM_EV_UNLOAD /* devmap_unload: off, len, in_fault */
};

struct dm_event {
	enum dm_event_type type;
	struct dm_seg *seg; /* the mapping: dm_seg_host() names it */
	struct as *as; /* its address space */
	offset_t off; /* user (mmap) offset */
	size_t len; /* bytes */
	uintptr_t addr; /* FAULT: faulting address */
	uint_t handles; /* MAP, UNMAP, DUP: handles concerned */
	uint_t rw; /* FAULT: DEVMAP_READ, _WRITE or _EXEC */
	int outcome; /* FAULT: enum dm_fault_result */
	faultcode_t fc; /* FAULT: why, for a signal; LOAD: its error */
	uint_t calls; /* FAULT: devmap_access/mapdev_access calls made */
	int result; /* DUP: 0 or the errno */
	bool in_fault; /* LOAD, UNLOAD: called from inside a devmap fault */
	unsigned long ctx_id; /* CTX_*: the context record's number */
	long prev_owner; /* CTX_SWITCH: dmh_proc_id() of the owner, 0: none */
	long new_owner; /* CTX_SWITCH: the new owner */
	size_t pages; /* CTX_SWITCH: pages unloaded by the switch */
	clock_t waited; /* CTX_WAIT: ticks waited */
};

#ifdef DM_NO_EVENTS
static inline void dmh_event(const struct dm_event *ev)
{
	(void)ev;
}
#else
void dmh_event(const struct dm_event *ev);
#endif

#endif /* _DM_HOST_H */
