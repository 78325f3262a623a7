// SPDX-License-Identifier: GPL-2.0-only
/*
 * What devmap did, for people watching: the core's events (dmh_event())
 * become tracepoints (dm_trace.h, system "devmap") and per-instance
 * counters, and each instance has a counter file in debugfs,
 * /sys/kernel/debug/devmap/<driver><instance>, that devmapstat reads.
 *
 * Cost when nobody traces: each event is one call, a switch on its type,
 * one or two per-CPU increments (no shared cache line, no atomic) and the
 * tracepoint's static-key branch.  The counters are per CPU and summed
 * when the file is read, so a reader sees each counter exact but the set
 * not as one snapshot.  Built with DM_NO_EVENTS (the benchmark's
 * baseline) the core makes no event calls and the counters stay 0.
 *
 * The file: one "key value" line per counter, then one line per device
 * context of the instance, "ctx <number> owner <pid> for_ms <ms>" (pid 0:
 * nobody owns it); docs/drivers.md lists the keys.
 */
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include "dm_linux.h"
#include "core/dm_host.h"

#define CREATE_TRACE_POINTS
#include "dm_trace.h"

/* The counters of an instance, per CPU. */
struct dm_stats {
	u64 maps, unmaps, dups;
	u64 faults, calls;
	u64 switches, waits, wait_us;
	u64 sigbus, sigsegv;
	u64 loads, unloads;
};

static struct dentry *dm_debugfs;

#ifndef DM_NO_EVENTS
/**
 * dmh_event() - count a core event and fire its tracepoint
 * @ev: the event; its mapping's host object is the dm_group, which names
 *	the instance
 */
void dmh_event(const struct dm_event *ev)
{
	const struct dm_group *grp = dm_seg_host(ev->seg);
	const struct dev_info *dip = grp->dip;
	struct dm_stats __percpu *st = dip->stats;

	switch (ev->type) {
	case DM_EV_MAP:
		this_cpu_inc(st->maps);
		trace_devmap_map(dip, ev);
		break;
	case DM_EV_UNMAP:
		this_cpu_inc(st->unmaps);
		trace_devmap_unmap(dip, ev);
		break;
	case DM_EV_DUP:
		this_cpu_inc(st->dups);
		trace_devmap_dup(dip, ev);
		break;
	case DM_EV_FAULT:
		this_cpu_inc(st->faults);
		this_cpu_add(st->calls, ev->calls);
		if (ev->outcome == DM_FAULT_SIGBUS)
			this_cpu_inc(st->sigbus);
		else if (ev->outcome == DM_FAULT_SIGSEGV)
			this_cpu_inc(st->sigsegv);
		trace_devmap_fault(dip, ev);
		break;
	case DM_EV_CTX_SWITCH:
		this_cpu_inc(st->switches);
		trace_devmap_ctx_switch(dip, ev);
		break;
	case DM_EV_CTX_WAIT:
		this_cpu_inc(st->waits);
		this_cpu_add(st->wait_us, jiffies_to_usecs(ev->waited));
		trace_devmap_ctx_wait(dip, ev);
		break;
	case DM_EV_LOAD:
		this_cpu_inc(st->loads);
		trace_devmap_load(dip, ev);
		break;
	case DM_EV_UNLOAD:
		this_cpu_inc(st->unloads);
		trace_devmap_unload(dip, ev);
		break;
	}
}
#endif

/* One "ctx" line of the counter file (the context list is locked). */
static void dm_stats_ctx(const struct dm_ctx_owner *o, void *arg)
{
	unsigned long ms =
		o->owner ? jiffies_to_msecs(jiffies - (unsigned long)o->since) :
			   0;

	seq_printf(arg, "ctx %lu owner %ld for_ms %lu\n", o->num, o->owner, ms);
}

static int dm_stats_show(struct seq_file *m, void *unused)
{
	struct dev_info *dip = m->private;
	struct dm_stats sum = { 0 };
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct dm_stats *s = per_cpu_ptr(dip->stats, cpu);

		sum.maps += s->maps;
		sum.unmaps += s->unmaps;
		sum.dups += s->dups;
		sum.faults += s->faults;
		sum.calls += s->calls;
		sum.switches += s->switches;
		sum.waits += s->waits;
		sum.wait_us += s->wait_us;
		sum.sigbus += s->sigbus;
		sum.sigsegv += s->sigsegv;
		sum.loads += s->loads;
		sum.unloads += s->unloads;
	}
	seq_printf(m, "driver %s\ninstance %d\n", dip->drv->name,
		   dip->instance);
	seq_printf(m, "maps %llu\nunmaps %llu\ndups %llu\n", sum.maps,
		   sum.unmaps, sum.dups);
	seq_printf(m, "faults %llu\ndriver_calls %llu\n", sum.faults,
		   sum.calls);
	seq_printf(m, "switches %llu\nwaits %llu\nwait_us %llu\n", sum.switches,
		   sum.waits, sum.wait_us);
	seq_printf(m, "sigbus %llu\nsigsegv %llu\n", sum.sigbus, sum.sigsegv);
	seq_printf(m, "loads %llu\nunloads %llu\n", sum.loads, sum.unloads);
	dm_ctx_owners(dip, dm_stats_ctx, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dm_stats);

/**
 * dm_stats_attach() - counters and a counter file for a new instance
 * @dip: the instance (drv and instance set)
 *
 * Return: 0, or -ENOMEM.  A missing debugfs only loses the file.
 */
int dm_stats_attach(struct dev_info *dip)
{
	char name[DM_TRACE_NAME + 8];

	dip->stats = alloc_percpu(struct dm_stats);
	if (!dip->stats)
		return -ENOMEM;
	snprintf(name, sizeof(name), "%s%d", dip->drv->name, dip->instance);
	dip->stats_file = debugfs_create_file(name, 0444, dm_debugfs, dip,
					      &dm_stats_fops);
	return 0;
}

/**
 * dm_stats_detach() - undo dm_stats_attach(); no reader is left after it
 * @dip: the instance
 */
void dm_stats_detach(struct dev_info *dip)
{
	debugfs_remove(dip->stats_file);
	free_percpu(dip->stats);
}

/**
 * dm_stats_init() - the debugfs folder "devmap" (module start)
 */
void dm_stats_init(void)
{
	dm_debugfs = debugfs_create_dir("devmap", NULL);
}

/**
 * dm_stats_fini() - remove it (module end, every instance gone)
 */
void dm_stats_fini(void)
{
	debugfs_remove(dm_debugfs);
}
