// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The host interface (core/dm_host.h) on the simulated host: memory with
 * leak counting and failure injection, POSIX locks, a virtual or real
 * clock, thread identity, a physical address width, rate-limited logs,
 * translations kept in the simulated processes' page tables, and the
 * events, recorded for the tests to assert on.
 */
#include <stdarg.h>
#include <errno.h>
#include "sim.h"
#include "../../core/dm_host.h"

struct sim_stats sim_stats;
int sim_ncpus = 2;
int sim_fail_alloc;
int sim_wait_eintr;
bool sim_realtime;
int sim_phys_bits = SIM_PHYS_BITS;
bool sim_fatal_signal;

static clock_t sim_clock;
static struct timespec sim_epoch;
static _Thread_local uintptr_t sim_tid;
static _Thread_local int sim_pid;
struct sim_event sim_events[SIM_MAX_EVENTS];
int sim_nevents;
static pthread_mutex_t sim_stats_lock = PTHREAD_MUTEX_INITIALIZER;

static bool sim_should_fail(void)
{
	bool fail = false;

	pthread_mutex_lock(&sim_stats_lock);
	if (sim_fail_alloc > 0 && --sim_fail_alloc == 0)
		fail = true;
	pthread_mutex_unlock(&sim_stats_lock);
	return fail;
}

static void sim_count(long *counter, long delta)
{
	pthread_mutex_lock(&sim_stats_lock);
	*counter += delta;
	pthread_mutex_unlock(&sim_stats_lock);
}

void *dmh_zalloc(size_t size, int flags)
{
	void *p;

	(void)flags;
	if (sim_should_fail())
		return NULL;
	p = calloc(1, size);
	if (p)
		sim_count(&sim_stats.live_allocs, 1);
	return p;
}

void dmh_free(void *p, size_t size)
{
	(void)size;
	if (!p)
		return;
	sim_count(&sim_stats.live_allocs, -1);
	free(p);
}

void *dmh_umem_alloc(size_t size, int flags)
{
	void *p;

	(void)flags;
	if (sim_should_fail())
		return NULL;
	p = aligned_alloc(PAGESIZE, size);
	if (!p)
		return NULL;
	memset(p, 0, size);
	sim_count(&sim_stats.live_umem, 1);
	return p;
}

void dmh_umem_free(void *kva, size_t size)
{
	(void)size;
	sim_count(&sim_stats.live_umem, -1);
	free(kva);
}

/*
 * User memory of the simulated host is the test's own memory: pinning it
 * records the range (failing like an allocation), and its pages are kernel
 * addresses for dmh_load().
 */
struct sim_pin {
	char *addr;
};

int dmh_umem_pin(caddr_t addr, size_t len, bool write, void **pinp)
{
	struct sim_pin *pin;

	(void)len;
	(void)write;
	if (sim_should_fail())
		return ENOMEM;
	pin = malloc(sizeof(*pin));
	if (!pin)
		return ENOMEM;
	pin->addr = addr;
	sim_count(&sim_stats.live_pins, 1);
	*pinp = pin;
	return 0;
}

void dmh_umem_page(void *pin, size_t off, struct dm_backing *b)
{
	b->kind = DM_BK_KVA;
	b->kva = ((struct sim_pin *)pin)->addr + off;
}

void dmh_umem_unpin(void *pin)
{
	sim_count(&sim_stats.live_pins, -1);
	free(pin);
}

bool sim_atomic;
static struct ddi_umem_cookie *sim_deferred[16];
static int sim_ndeferred;

bool dmh_umem_rele_later(struct ddi_umem_cookie *cp)
{
	if (!sim_atomic || sim_ndeferred == 16)
		return false;
	sim_deferred[sim_ndeferred++] = cp;
	return true;
}

int sim_run_deferred(void)
{
	int n = sim_ndeferred;

	sim_ndeferred = 0;
	for (int i = 0; i < n; i++)
		dm_cookie_rele(sim_deferred[i]);
	return n;
}

void dmh_mutex_init(dmh_mutex_t *m)
{
	pthread_mutex_init(m, NULL);
}

void dmh_mutex_destroy(dmh_mutex_t *m)
{
	pthread_mutex_destroy(m);
}

void dmh_mutex_enter(dmh_mutex_t *m)
{
	pthread_mutex_lock(m);
}

void dmh_mutex_enter_nested(dmh_mutex_t *m)
{
	pthread_mutex_lock(m);
}

void dmh_mutex_exit(dmh_mutex_t *m)
{
	pthread_mutex_unlock(m);
}

void dmh_rw_init(dmh_rwlock_t *l)
{
	pthread_rwlock_init(l, NULL);
}

void dmh_rw_destroy(dmh_rwlock_t *l)
{
	pthread_rwlock_destroy(l);
}

void dmh_rw_enter(dmh_rwlock_t *l, bool writer)
{
	if (writer)
		pthread_rwlock_wrlock(l);
	else
		pthread_rwlock_rdlock(l);
}

void dmh_rw_exit(dmh_rwlock_t *l, bool writer)
{
	(void)writer;
	pthread_rwlock_unlock(l);
}

void dmh_cond_init(dmh_cond_t *c)
{
	pthread_cond_init(c, NULL);
}

void dmh_cond_destroy(dmh_cond_t *c)
{
	pthread_cond_destroy(c);
}

void dmh_cond_broadcast(dmh_cond_t *c)
{
	pthread_cond_broadcast(c);
}

clock_t sim_now(void)
{
	struct timespec ts;

	if (!sim_realtime)
		return __atomic_load_n(&sim_clock, __ATOMIC_SEQ_CST);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec - sim_epoch.tv_sec) * 1000 +
	       (ts.tv_nsec - sim_epoch.tv_nsec) / 1000000;
}

void sim_clock_advance(clock_t ticks)
{
	__atomic_add_fetch(&sim_clock, ticks, __ATOMIC_SEQ_CST);
}

/*
 * Virtual time: a wait in the single-threaded simulation can only end by
 * time passing, so it advances the clock to the deadline.  Real time: a
 * true timed wait, ticks being milliseconds.
 */
int dmh_cond_wait_until(dmh_cond_t *c, dmh_mutex_t *m, clock_t deadline,
			bool killable)
{
	struct timespec ts;
	clock_t now = sim_now();

	/* an injected signal kills nobody: a killable wait goes on */
	if (sim_wait_eintr > 0 && !killable) {
		sim_wait_eintr--;
		return EINTR;
	}
	if (!sim_realtime) {
		if (deadline == DM_TICKS_FOREVER) {
			fprintf(stderr,
				"sim: wait forever in a single thread\n");
			abort();
		}
		if (deadline > now) {
			sim_stats.waited_ticks += deadline - now;
			sim_clock_advance(deadline - now);
		}
		return ETIMEDOUT;
	}
	if (deadline == DM_TICKS_FOREVER)
		return pthread_cond_wait(c, m);
	clock_gettime(CLOCK_REALTIME, &ts);
	if (deadline > now) {
		long ms = deadline - now;

		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	return pthread_cond_timedwait(c, m, &ts);
}

clock_t dmh_ticks(void)
{
	return sim_now();
}

int dmh_ncpus(void)
{
	return sim_ncpus;
}

void sim_run(struct sim_proc *p)
{
	sim_tid = p->tid;
	sim_pid = p->pid;
}

long dmh_proc_id(void)
{
	return sim_pid ? sim_pid : 1;
}

void dmh_event(const struct dm_event *ev)
{
	pthread_mutex_lock(&sim_stats_lock);
	if (sim_nevents < SIM_MAX_EVENTS)
		sim_events[sim_nevents++] =
			(struct sim_event){ .ev = *ev, .pid = sim_pid };
	pthread_mutex_unlock(&sim_stats_lock);
}

void sim_events_reset(void)
{
	pthread_mutex_lock(&sim_stats_lock);
	sim_nevents = 0;
	pthread_mutex_unlock(&sim_stats_lock);
}

bool dmh_yield(void)
{
	sim_count(&sim_stats.yields, 1);
	return sim_fatal_signal;
}

uintptr_t dmh_thread_self(void)
{
	return sim_tid ? sim_tid : (uintptr_t)pthread_self();
}

/* Record (and with SIM_VERBOSE print) a message; sim_stats_lock held. */
static void sim_vlog(int level, bool shown, const char *fmt, va_list ap)
{
	vsnprintf(sim_stats.last_log, sizeof(sim_stats.last_log), fmt, ap);
	if (level == DM_CE_WARN)
		sim_stats.warnings++;
	if (shown && getenv("SIM_VERBOSE"))
		fprintf(stderr, "# sim log: %s\n", sim_stats.last_log);
}

void dmh_log(int level, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&sim_stats_lock);
	va_start(ap, fmt);
	sim_vlog(level, true, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&sim_stats_lock);
}

/*
 * As Linux' printk_ratelimited: at most SIM_LOG_BURST messages shown per
 * SIM_LOG_INTERVAL ticks; the others are counted in sim_stats.suppressed.
 */
void dmh_log_ratelimited(int level, const char *fmt, ...)
{
	static clock_t window;
	static int shown;
	bool show;
	va_list ap;

	pthread_mutex_lock(&sim_stats_lock);
	if (sim_now() - window >= SIM_LOG_INTERVAL) {
		window = sim_now();
		shown = 0;
	}
	show = shown < SIM_LOG_BURST;
	if (show)
		shown++;
	else
		sim_stats.suppressed++;
	sim_stats.ratelimited++;
	va_start(ap, fmt);
	sim_vlog(level, show, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&sim_stats_lock);
}

/* The process and piece of mapping that holds user address @va. */
static struct sim_vma *sim_vma_of(struct as *as, uintptr_t va)
{
	struct sim_proc *p = dm_as_host(as);
	struct sim_vma *v;

	for (v = p->vmas; v; v = v->next)
		if (va >= v->start && va < v->end)
			return v;
	return NULL;
}

/*
 * Like the Linux host: install only the faulting page, and only when it is
 * in the range; the other pages fault in later through the valid bits.
 */
int dmh_load(struct dm_fault *f, struct devmap_handle *dhp, size_t soff,
	     size_t len)
{
	uintptr_t start = dm_handle_uvaddr(dhp) + soff;
	uintptr_t page = f ? f->addr & ~(uintptr_t)PAGEOFFSET : 0;
	struct dm_backing b;
	struct sim_proc *proc;
	struct sim_vma *v;
	faultcode_t fc;
	void *ptr;

	if (!f || page < start || page - start >= len ||
	    dm_handle_as(dhp) != f->as)
		return 0;
	fc = dm_handle_backing(f, dhp, soff + (page - start), &b);
	if (fc)
		return fc;
	ptr = b.kind == DM_BK_PFN ? sim_pfn_ptr(b.pfn) : b.kva;
	if (!ptr)
		return FC_MAKE_ERR(EFAULT);
	proc = dm_as_host(f->as);
	pthread_rwlock_wrlock(&proc->mmu);
	v = sim_vma_of(f->as, page);
	if (v)
		v->pte[(page - v->start) >> PAGESHIFT] =
			(struct sim_pte){ .page = ptr, .cache = b.cache };
	pthread_rwlock_unlock(&proc->mmu);
	if (!v)
		return FC_NOMAP;
	sim_count(&sim_stats.loads, 1);
	return 0;
}

void dmh_unload(struct devmap_handle *dhp, size_t soff, size_t len)
{
	struct sim_proc *p = dm_as_host(dm_handle_as(dhp));
	uintptr_t start = dm_handle_uvaddr(dhp) + soff, end = start + len;
	struct sim_vma *v;

	pthread_rwlock_wrlock(&p->mmu);
	for (v = p->vmas; v; v = v->next)
		for (uintptr_t a = v->start; a < v->end; a += PAGESIZE)
			if (a >= start && a < end)
				v->pte[(a - v->start) >> PAGESHIFT].page = NULL;
	pthread_rwlock_unlock(&p->mmu);
	sim_count(&sim_stats.unloads, 1);
}

bool dmh_pfn_ok(unsigned long pfn)
{
	return sim_phys_bits - PAGESHIFT >= (int)(8 * sizeof(pfn)) ||
	       pfn < 1UL << (sim_phys_bits - PAGESHIFT);
}

int dmh_devmem_pfn(dev_info_t *dip, uint_t rnumber, offset_t roff, size_t len,
		   unsigned long *pfnp)
{
	if (!dip || rnumber >= (uint_t)dip->nregs || roff < 0 ||
	    (size_t)roff + len > dip->regs[rnumber].size)
		return -1;
	*pfnp = dip->regs[rnumber].pfn0 + ((size_t)roff >> PAGESHIFT);
	return 0;
}

void sim_init(void)
{
	memset(&sim_stats, 0, sizeof(sim_stats));
	sim_events_reset();
	clock_gettime(CLOCK_MONOTONIC, &sim_epoch);
	dm_core_init();
}

void sim_fini(void)
{
	dm_core_fini();
}
