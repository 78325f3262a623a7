// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The core's events (dmh_event, recorded by the simulated host): a
 * ping-pong of two processes on the seed's Example 11-3 driver gives MAP,
 * then per access LOAD/UNLOAD inside the switch, CTX_SWITCH with the
 * previous and new owner and the pages unloaded, and the FAULT with its
 * outcome last; fork gives DUP, exit UNMAP.  A held context gives a FAULT
 * whose outcome is WAIT, then CTX_WAIT with the ticks waited; a failed
 * switch gives a SIGBUS FAULT carrying the fault code the process saw.
 */
#include "fixture.h"
#include "../drivers/xx_ctx.h"

#define XX_DEV0 SIM_DEV(XX_MAJOR, 0)

/* One letter per recorded event, from @from on. */
static const char *ev_letters(int from)
{
	static char buf[SIM_MAX_EVENTS + 1];
	static const char letter[] = {
		[DM_EV_MAP] = 'M',	  [DM_EV_UNMAP] = 'U',
		[DM_EV_DUP] = 'D',	  [DM_EV_FAULT] = 'F',
		[DM_EV_CTX_SWITCH] = 'S', [DM_EV_CTX_WAIT] = 'W',
		[DM_EV_LOAD] = 'L',	  [DM_EV_UNLOAD] = 'X'
	};
	int n = 0;

	for (int i = from; i < sim_nevents; i++)
		buf[n++] = letter[sim_events[i].ev.type];
	buf[n] = '\0';
	return buf;
}

/* The last recorded event of @type. */
static const struct sim_event *ev_last(enum dm_event_type type)
{
	for (int i = sim_nevents - 1; i >= 0; i--)
		if (sim_events[i].ev.type == type)
			return &sim_events[i];
	return NULL;
}

/* Two processes, each mapping the context page of xx. */
static void pair(struct sim_proc **a, struct sim_proc **b, uintptr_t *va,
		 uintptr_t *vb)
{
	*a = sim_proc_create(DDI_MODEL_LP64);
	*b = sim_proc_create(DDI_MODEL_LP64);
	sim_mmap(*a, XX_DEV0, 0, P, RW, MAP_SHARED, va);
	sim_mmap(*b, XX_DEV0, 0, P, RW, MAP_SHARED, vb);
}

static void test_pingpong(void)
{
	struct sim_proc *a, *b, *child;
	const struct sim_event *e;
	uintptr_t va, vb;
	int mark, bad = 0, err;

	xx_attach(fx_dip);
	sim_events_reset();
	pair(&a, &b, &va, &vb);
	is(strcmp(ev_letters(0), "MM"), 0, "two mmaps: MAP, MAP (%s)",
	   ev_letters(0));
	e = &sim_events[0];
	ok(e->pid == a->pid && e->ev.off == 0 && e->ev.len == P &&
		   e->ev.handles == 1 && e->ev.seg && e->ev.as,
	   "MAP: pid, offset 0, one page, one handle, mapping and address space");

	sim_write32(a, va, 1);
	is(strcmp(ev_letters(2), "LSF"), 0,
	   "first access: LOAD, CTX_SWITCH, FAULT (%s)", ev_letters(2));
	e = ev_last(DM_EV_LOAD);
	ok(e->pid == a->pid && e->ev.in_fault && e->ev.len == P &&
		   e->ev.fc == 0,
	   "LOAD: by the faulting process, inside its fault, the page");
	e = ev_last(DM_EV_CTX_SWITCH);
	ok(e->ev.prev_owner == 0 && e->ev.new_owner == a->pid &&
		   e->ev.pages == 0 && e->ev.ctx_id != 0,
	   "CTX_SWITCH: from nobody to A, nothing unloaded");
	e = ev_last(DM_EV_FAULT);
	ok(e->ev.outcome == DM_FAULT_DONE && e->ev.fc == 0 &&
		   e->ev.addr == va && e->ev.off == 0 &&
		   e->ev.rw == DEVMAP_WRITE && e->ev.calls == 1,
	   "FAULT: done, address, offset, write, one driver call");

	/* N alternations: one switch each, B and A in turn */
	for (int i = 0; i < 4; i++) {
		struct sim_proc *p = i % 2 ? a : b, *q = i % 2 ? b : a;

		mark = sim_nevents;
		sim_write32(p, p == a ? va : vb, (uint32_t)i);
		bad += strcmp(ev_letters(mark), "XLSF") != 0;
		e = &sim_events[mark];
		bad += e->pid != p->pid || !e->ev.in_fault ||
		       e->ev.as != q->as || e->ev.len != P;
		e = ev_last(DM_EV_CTX_SWITCH);
		bad += e->ev.prev_owner != q->pid ||
		       e->ev.new_owner != p->pid || e->ev.pages != 1;
	}
	is(bad, 0,
	   "4 alternations: UNLOAD (the owner's page, inside the fault), LOAD, CTX_SWITCH (previous -> new owner, 1 page unloaded), FAULT each");

	mark = sim_nevents;
	sim_write32(a, va, 9); /* A switched last */
	is(strcmp(ev_letters(mark), ""), 0,
	   "the owner's next access: no fault, no event");

	mark = sim_nevents;
	child = sim_fork(a, &err);
	is(strcmp(ev_letters(mark), "D"), 0, "fork: DUP");
	e = ev_last(DM_EV_DUP);
	ok(e->ev.result == 0 && e->ev.handles == 1 && e->ev.as == a->as,
	   "DUP: result 0, one handle, the parent's address space");
	mark = sim_nevents;
	sim_exit(child);
	is(strcmp(ev_letters(mark), "U"), 0, "the child's exit: UNMAP");
	e = ev_last(DM_EV_UNMAP);
	ok(e->ev.handles == 1 && e->ev.off == 0 && e->ev.len == P,
	   "UNMAP: one handle, offset 0, one page");

	/* the owner's mapping goes: the context has no owner any more */
	sim_exit(a);
	sim_write32(b, vb, 1);
	e = ev_last(DM_EV_CTX_SWITCH);
	ok(e->ev.prev_owner == 0 && e->ev.new_owner == b->pid,
	   "after the owner's exit the next switch comes from nobody");
	sim_exit(b);
	xx_detach();
}

static void test_wait(void)
{
	struct sim_proc *a, *b;
	const struct sim_event *e;
	uintptr_t va, vb;
	int mark;

	xx_attach(fx_dip);
	xx_counters.timeout = 10;
	pair(&a, &b, &va, &vb);
	sim_write32(a, va, 1);
	mark = sim_nevents;
	sim_write32(b, vb, 2);
	is(strcmp(ev_letters(mark), "FWXLSF"), 0,
	   "held context: FAULT (wait), CTX_WAIT, then the switch (%s)",
	   ev_letters(mark));
	e = &sim_events[mark];
	ok(e->ev.outcome == DM_FAULT_WAIT && e->pid == b->pid,
	   "the first FAULT's outcome is WAIT");
	e = ev_last(DM_EV_CTX_WAIT);
	ok(e->ev.waited == 10 && e->pid == b->pid && e->ev.as == b->as &&
		   e->ev.ctx_id == ev_last(DM_EV_CTX_SWITCH)->ev.ctx_id,
	   "CTX_WAIT: B waited the hold, 10 ticks, on the context that switched");
	sim_exit(a);
	sim_exit(b);
	xx_detach();
}

static void test_sigbus(void)
{
	struct sim_proc *a, *b;
	const struct sim_event *e;
	uintptr_t va, vb;

	xx_attach(fx_dip);
	pair(&a, &b, &va, &vb);
	sim_write32(a, va, 1);
	xx_counters.fail_restore = 1;
	is(sim_write32(b, vb, 2), SIGBUS, "a failed restore: SIGBUS");
	e = ev_last(DM_EV_FAULT);
	ok(e->ev.outcome == DM_FAULT_SIGBUS && e->ev.fc == b->sig_fc &&
		   FC_CODE(e->ev.fc) == FC_OBJERR,
	   "FAULT: outcome SIGBUS with the fault code the process got");
	ok(ev_last(DM_EV_CTX_SWITCH)->ev.new_owner == a->pid,
	   "no CTX_SWITCH for the failed switch");
	sim_write32(a, va, 1);
	ok(ev_last(DM_EV_CTX_SWITCH)->ev.prev_owner == 0,
	   "a failed switch leaves the context without owner");
	sim_exit(a);
	sim_exit(b);
	xx_detach();
}

int main(void)
{
	fx_init();
	test_pingpong();
	test_wait();
	test_sigbus();
	return fx_done();
}
