// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The context hold: who may run a switch on a device context when, and
 * how the others wait (devmap_set_ctx_timeout(9F), and the same
 * hysteresis for legacy mapdev_access(9E)).
 *
 * After a successful context switch with a hold time of T ticks (and more
 * than one CPU, as in Solaris), other processes faulting on the same
 * context wait until T ticks have passed, so the new owner gets to use the
 * device.  Solaris arms a timeout(9F) and waits uninterruptibly; this core
 * stores a deadline instead (no timer to cancel when the record goes) and
 * never sleeps in the fault path: the fault returns DM_FAULT_WAIT and the
 * host sleeps in dm_fault_wait() with its address-space lock dropped.
 * Unlike Solaris, the process that made the switch is not held off by its
 * own hold (Solaris makes the owner of a multi-page context wait on its
 * own second page), and its later switches in the hold do not extend it.
 *
 * Waiting faults are served in the order they came, which Solaris does
 * not promise (its waiters race when the timeout fires): each waits on a
 * condition of its own in the record's queue, ordered by ticket; only the
 * first, and the threads of the process that may now switch, are woken;
 * and when the first may go, its process gets the turn: for DM_TURN_TICKS
 * (or the hold time, if longer) nobody else may switch while it retries
 * its fault.  A waiter that a signal takes out of the queue keeps its
 * ticket for DM_TURN_TICKS (a few places per record), so a process that
 * takes signals often is not sent to the back each time.  A fault that
 * cannot sleep (the host says f->nowait) respects the hold and the turn
 * (both end in bounded time) but not the queue: it retries at once and
 * would otherwise spin for as long as others queue.  So N processes sharing a held
 * context each get it once every N holds, and a hold's end wakes one
 * thread, not all of them.
 */
#include "dm_impl.h"

/* A fault waiting in dm_fault_wait(), on its stack. */
struct dm_ctx_waiter {
	struct dm_ctx_waiter *next;
	unsigned long as_id; /* its process's (struct as a_id) */
	unsigned long ticket;
	dmh_cond_t cv;
};

/* How long a woken waiter's process keeps its turn, at least (ticks). */
#define DM_TURN_TICKS 25

/*
 * Must a fault of @as wait?  While a switch runs, yes; during a hold,
 * unless it holds; during a turn, unless it is its turn; else, for a fault
 * that can queue (@fifo), unless others came first.  Ends a hold or turn
 * whose time has passed.
 */
static bool dm_ctx_blocked(struct dm_ctx *ctx, const struct as *as, bool fifo)
{
	clock_t now = dmh_ticks();

	if (ctx->held && !dm_tick_before(now, ctx->hold_until))
		ctx->held = false;
	if (ctx->turn_id && !dm_tick_before(now, ctx->turn_until))
		ctx->turn_id = 0;
	if (ctx->busy)
		return true;
	if (ctx->held)
		return ctx->hold_id != as->a_id;
	if (ctx->turn_id)
		return ctx->turn_id != as->a_id;
	return fifo && ctx->queue && ctx->queue->as_id != as->a_id;
}

/* Until when a blocked waiter sleeps (it is woken earlier if need be). */
static clock_t dm_ctx_deadline(const struct dm_ctx *ctx)
{
	if (ctx->busy)
		return DM_TICKS_FOREVER;
	if (ctx->held)
		return ctx->hold_until;
	return ctx->turn_id ? ctx->turn_until : DM_TICKS_FOREVER;
}

/*
 * Something changed: the first waiter looks again, and so do the threads
 * of the process that now holds the context or has the turn.
 */
static void dm_ctx_wake(struct dm_ctx *ctx)
{
	struct dm_ctx_waiter *w;

	for (w = ctx->queue; w; w = w->next)
		if (w == ctx->queue ||
		    (ctx->held && w->as_id == ctx->hold_id) ||
		    (ctx->turn_id && w->as_id == ctx->turn_id))
			dmh_cond_broadcast(&w->cv);
}

/* A ticket for a waiter of @as: the one it kept after a signal, or new. */
static unsigned long dm_ctx_ticket(struct dm_ctx *ctx, const struct as *as)
{
	struct dm_ctx_place *p;

	for (p = ctx->places; p < ctx->places + DM_CTX_PLACES; p++)
		if (p->as_id == as->a_id &&
		    dm_tick_before(dmh_ticks(), p->until)) {
			p->as_id = 0;
			return p->ticket;
		}
	return ctx->next_ticket++;
}

/* A signal takes @w out of the queue: keep its place for a while. */
static void dm_ctx_keep_place(struct dm_ctx *ctx, const struct dm_ctx_waiter *w)
{
	clock_t now = dmh_ticks();
	struct dm_ctx_place *p;

	for (p = ctx->places; p < ctx->places + DM_CTX_PLACES; p++)
		if (!p->as_id || !dm_tick_before(now, p->until)) {
			*p = (struct dm_ctx_place){ .as_id = w->as_id,
						    .ticket = w->ticket,
						    .until = now +
							     DM_TURN_TICKS };
			return;
		}
}

/*
 * Before a context switch by fault @f: returns DM_CTX_FREE when no hold
 * applies, DM_CTX_HELD when the caller now runs the switch (and must call
 * dm_ctx_exit()), DM_CTX_WAIT when it must wait (f->wait_ctx is set).
 */
enum dm_ctx_state dm_ctx_enter(struct dm_ctx *ctx, struct dm_fault *f,
			       clock_t ticks)
{
	if (!ctx || !f || ticks <= 0 || dmh_ncpus() < 2)
		return DM_CTX_FREE;
	dmh_mutex_enter(&ctx->lock);
	if (dm_ctx_blocked(ctx, f->as, !f->nowait)) {
		dmh_mutex_exit(&ctx->lock);
		dm_fault_abandon(f); /* a second call in one fault */
		dm_ctx_hold(ctx);
		f->wait_ctx = ctx;
		f->wait_ticks = ticks;
		return DM_CTX_WAIT;
	}
	ctx->busy = true;
	dmh_mutex_exit(&ctx->lock);
	return DM_CTX_HELD;
}

/*
 * After the switch: hold the context for @ticks if it succeeded, unless
 * the process holds it already (its hold is not extended).
 */
void dm_ctx_exit(struct dm_ctx *ctx, struct dm_fault *f, clock_t ticks, bool ok)
{
	dmh_mutex_enter(&ctx->lock);
	ctx->busy = false;
	if (!ok || ticks <= 0) {
		ctx->held = false;
	} else if (!ctx->held || ctx->hold_id != f->as->a_id) {
		ctx->held = true;
		ctx->hold_id = f->as->a_id;
		ctx->hold_until = dmh_ticks() + ticks;
	}
	if (ctx->turn_id == f->as->a_id)
		ctx->turn_id = 0; /* the turn is taken */
	dm_ctx_wake(ctx);
	dmh_mutex_exit(&ctx->lock);
}

/**
 * dm_fault_abandon() - give up a DM_FAULT_WAIT without waiting
 * @f: a fault that returned DM_FAULT_WAIT
 *
 * For a host that cannot sleep there (Linux without FAULT_FLAG_ALLOW_RETRY)
 * and retries the fault at once instead.
 */
void dm_fault_abandon(struct dm_fault *f)
{
	if (f->wait_ctx) {
		dm_ctx_rele(f->wait_ctx);
		f->wait_ctx = NULL;
	}
}

/* Queue @w in ticket order. */
static void dm_ctx_queue(struct dm_ctx *ctx, struct dm_ctx_waiter *w)
{
	struct dm_ctx_waiter **pp;

	for (pp = &ctx->queue; *pp && (*pp)->ticket < w->ticket;
	     pp = &(*pp)->next)
		;
	w->next = *pp;
	*pp = w;
}

static void dm_ctx_unqueue(struct dm_ctx *ctx, struct dm_ctx_waiter *w)
{
	struct dm_ctx_waiter **pp;

	for (pp = &ctx->queue; *pp != w; pp = &(*pp)->next)
		;
	*pp = w->next;
}

/**
 * dm_fault_wait() - wait until a held device context may be switched
 * @f: a fault that returned DM_FAULT_WAIT
 *
 * Call with no address-space lock held; then retry the fault.
 *
 * Return: 0, or EINTR when the thread has a signal to take first.
 */
int dm_fault_wait(struct dm_fault *f)
{
	struct dm_ctx *ctx = f->wait_ctx;
	struct dm_event ev = { .type = DM_EV_CTX_WAIT,
			       .seg = f->seg,
			       .as = f->as };
	struct dm_ctx_waiter w = { .as_id = f->as->a_id };
	clock_t t0 = dmh_ticks(), turn;
	int err = 0;

	if (!ctx)
		return 0;
	ev.ctx_id = ctx->num;
	dmh_cond_init(&w.cv);
	dmh_mutex_enter(&ctx->lock);
	w.ticket = dm_ctx_ticket(ctx, f->as);
	dm_ctx_queue(ctx, &w);
	while (dm_ctx_blocked(ctx, f->as, true)) {
		/* behind another process: woken when first (dm_ctx_wake) */
		clock_t until = ctx->queue->as_id == f->as->a_id ?
					dm_ctx_deadline(ctx) :
					DM_TICKS_FOREVER;

		if (dmh_cond_wait_until(&w.cv, &ctx->lock, until,
					f->killable) == EINTR) {
			err = EINTR;
			break;
		}
	}
	dm_ctx_unqueue(ctx, &w);
	if (err) {
		dm_ctx_keep_place(ctx, &w);
	} else if (!ctx->busy && !ctx->held && !ctx->turn_id) {
		turn = f->wait_ticks > DM_TURN_TICKS ? f->wait_ticks :
						       DM_TURN_TICKS;
		ctx->turn_id = f->as->a_id;
		ctx->turn_until = dmh_ticks() + turn;
	}
	dm_ctx_wake(ctx);
	dmh_mutex_exit(&ctx->lock);
	dmh_cond_destroy(&w.cv);
	dm_fault_abandon(f);
	ev.waited = dmh_ticks() - t0;
	dmh_event(&ev);
	return err;
}
