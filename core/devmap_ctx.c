// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Device context records: devmap_do_ctxmgt(9F), devmap_set_ctx_timeout(9F),
 * the records' lifetime and their owners.
 *
 * The hold itself (who may switch when, and who waits how) is
 * devmap_ctx_wait.c's.
 *
 * Each record also knows its owner for the events and counters: the
 * handle (and process) of the last successful devmap_do_ctxmgt(9F), and
 * since when.  A change of owning handle is a context switch
 * (DM_EV_CTX_SWITCH, with the pages devmap_unload(9F) took from the
 * previous owner inside it); the owner is forgotten after a failed switch,
 * as Example 11-3 forgets it, and when its handle goes.
 */
#include "dm_impl.h"

dmh_mutex_t dm_ctx_list_lock;
static struct dm_ctx *dm_ctx_list;
static unsigned long dm_ctx_nums; /* numbers given, under the list lock */

/* The record for (@key, @id), created on first use, with a reference. */
struct dm_ctx *dm_ctx_get(const void *key, const void *id)
{
	struct dm_ctx *ctx;

	dmh_mutex_enter(&dm_ctx_list_lock);
	for (ctx = dm_ctx_list; ctx; ctx = ctx->next)
		if (ctx->key == key && ctx->id == id)
			break;
	if (ctx) {
		ctx->refcnt++;
	} else {
		ctx = dmh_zalloc(sizeof(*ctx), DMH_SLEEP);
		if (ctx) {
			ctx->key = key;
			ctx->id = id;
			ctx->num = ++dm_ctx_nums;
			ctx->refcnt = 1;
			dmh_mutex_init(&ctx->lock);
			ctx->next = dm_ctx_list;
			dm_ctx_list = ctx;
		}
	}
	dmh_mutex_exit(&dm_ctx_list_lock);
	return ctx;
}

void dm_ctx_hold(struct dm_ctx *ctx)
{
	dmh_mutex_enter(&dm_ctx_list_lock);
	ctx->refcnt++;
	dmh_mutex_exit(&dm_ctx_list_lock);
}

void dm_ctx_rele(struct dm_ctx *ctx)
{
	struct dm_ctx **pp;

	dmh_mutex_enter(&dm_ctx_list_lock);
	if (--ctx->refcnt) {
		dmh_mutex_exit(&dm_ctx_list_lock);
		return;
	}
	for (pp = &dm_ctx_list; *pp != ctx; pp = &(*pp)->next)
		;
	*pp = ctx->next;
	dmh_mutex_exit(&dm_ctx_list_lock);
	dmh_mutex_destroy(&ctx->lock);
	dmh_free(ctx, sizeof(*ctx));
}

/* A fault enters a driver's context switch on @ctx. */
void dm_ctx_switch_begin(struct dm_ctx *ctx, struct dm_fault *f)
{
	f->unloaded = 0;
	dmh_mutex_enter(&ctx->lock);
	f->ctx_next = ctx->switching;
	ctx->switching = f;
	dmh_mutex_exit(&ctx->lock);
}

/*
 * The switch of fault @f for handle @dhp is over: record the new owner (or
 * none when it failed) and report a change of owner.
 */
void dm_ctx_switch_end(struct dm_ctx *ctx, struct dm_fault *f,
		       const struct devmap_handle *dhp, bool ok)
{
	struct dm_event ev = { .type = DM_EV_CTX_SWITCH,
			       .seg = f->seg,
			       .as = f->as,
			       .ctx_id = ctx->num,
			       .new_owner = dmh_proc_id(),
			       .pages = f->unloaded };
	struct dm_fault **pp;
	bool switched;

	dmh_mutex_enter(&ctx->lock);
	for (pp = &ctx->switching; *pp != f; pp = &(*pp)->ctx_next)
		;
	*pp = f->ctx_next;
	switched = ok && ctx->owner_dhp != dhp;
	ev.prev_owner = ctx->owner;
	if (switched)
		ctx->owner_since = dmh_ticks();
	ctx->owner_dhp = ok ? dhp : NULL;
	ctx->owner = ok ? ev.new_owner : 0;
	dmh_mutex_exit(&ctx->lock);
	if (switched)
		dmh_event(&ev);
}

/*
 * @pages of a handle on @ctx were unloaded: count them for the switch the
 * calling thread runs, if any.  Returns true when it runs one.
 */
bool dm_ctx_unloaded(struct dm_ctx *ctx, size_t pages)
{
	uintptr_t self = dmh_thread_self();
	struct dm_fault *f;

	dmh_mutex_enter(&ctx->lock);
	for (f = ctx->switching; f && f->thread != self; f = f->ctx_next)
		;
	if (f)
		f->unloaded += pages;
	dmh_mutex_exit(&ctx->lock);
	return f != NULL;
}

/* Handle @dhp goes: it owns @ctx no more. */
void dm_ctx_disown(struct dm_ctx *ctx, const struct devmap_handle *dhp)
{
	dmh_mutex_enter(&ctx->lock);
	if (ctx->owner_dhp == dhp) {
		ctx->owner_dhp = NULL;
		ctx->owner = 0;
	}
	dmh_mutex_exit(&ctx->lock);
}

/**
 * dm_ctx_owners() - the owners of a device node's contexts
 * @key: the device node (devmap's context key)
 * @fn: called for each context, with the context list locked
 * @arg: for @fn
 */
void dm_ctx_owners(const void *key,
		   void (*fn)(const struct dm_ctx_owner *o, void *arg),
		   void *arg)
{
	struct dm_ctx_owner o;
	struct dm_ctx *ctx;

	dmh_mutex_enter(&dm_ctx_list_lock);
	for (ctx = dm_ctx_list; ctx; ctx = ctx->next) {
		if (ctx->key != key)
			continue;
		dmh_mutex_enter(&ctx->lock);
		o = (struct dm_ctx_owner){ .num = ctx->num,
					   .owner = ctx->owner,
					   .since = ctx->owner_since };
		dmh_mutex_exit(&ctx->lock);
		fn(&o, arg);
	}
	dmh_mutex_exit(&dm_ctx_list_lock);
}

/**
 * devmap_do_ctxmgt() - run a driver's context switch for an access
 * @dhp: the handle of devmap_access(9E)
 * @pvtp: ignored; the handle's private data is passed on, as in Solaris
 * @off: user offset of the access
 * @len: length of the access
 * @type: fault type
 * @rw: access type
 * @ctxmgt: the driver's devmap_contextmgt(9E)
 *
 * Call from devmap_access(9E) with its arguments unchanged and return what
 * this returns.  With a hold time set by devmap_set_ctx_timeout(9F), a
 * fault of another process within the hold after a switch waits (outside
 * any lock) and is retried.
 *
 * Return: 0; FC_HWERR when @ctxmgt is NULL or fails; FC_MAKE_ERR(EINTR)
 * when the fault must wait for the hold and is then retried.
 */
int devmap_do_ctxmgt(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		     uint_t type, uint_t rw,
		     int (*ctxmgt)(devmap_cookie_t, void *, offset_t, size_t,
				   uint_t, uint_t))
{
	struct devmap_handle *h = dhp;
	struct dm_fault *f;
	enum dm_ctx_state st;
	int ret;

	(void)pvtp;
	if (!ctxmgt || !h || !h->dh_seg)
		return FC_HWERR;
	f = dm_fault_current(h->dh_seg->s_as);
	st = dm_ctx_enter(h->dh_ctx, f, h->dh_timeout);
	if (st == DM_CTX_WAIT)
		return FC_MAKE_ERR(EINTR); /* retried after the wait */
	if (f && h->dh_ctx)
		dm_ctx_switch_begin(h->dh_ctx, f);
	ret = ctxmgt(dhp, h->dh_pvtp, off, len, type, rw);
	if (f && h->dh_ctx)
		dm_ctx_switch_end(h->dh_ctx, f, h, ret == 0);
	if (st == DM_CTX_HELD)
		dm_ctx_exit(h->dh_ctx, f, h->dh_timeout, ret == 0);
	return ret ? FC_HWERR : 0;
}

/**
 * devmap_set_ctx_timeout() - set the hold time of a handle's context
 * @dhp: the handle (usually in devmap_map(9E))
 * @ticks: clock ticks the context stays with a process after a switch;
 *	   0 or less means no hold
 */
void devmap_set_ctx_timeout(devmap_cookie_t dhp, clock_t ticks)
{
	struct devmap_handle *h = dhp;

	if (h)
		h->dh_timeout = ticks;
}
