/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * devmap's tracepoints (system "devmap"), one per core event (struct
 * dm_event, core/dm_host.h), fired by dmh_event() in dm_events.c:
 *
 *   devmap_map, devmap_unmap   driver instance, pid, offset, length, handles
 *   devmap_dup                 driver instance, pid (the parent), handles,
 *                              result (0 or an errno)
 *   devmap_fault               pid, address, offset, rw, outcome (loaded,
 *                              retry, wait, sigbus, sigsegv), fault code,
 *                              driver calls
 *   devmap_ctx_switch          context number, previous and new owner pid
 *                              (0: none), pages unloaded from the previous
 *   devmap_ctx_wait            pid, context number, microseconds waited
 *   devmap_load, devmap_unload offset, length, in_fault, fault code (load)
 *
 * Every event names the driver and instance ("xx0") and the acting pid.
 * Static-key guarded as every TRACE_EVENT: a disabled one costs a patched
 * jump.  The driver name is a fixed array, not __string, whose assignment
 * macro changed between the kernels devmap builds on.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM devmap

#if !defined(_DM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DM_TRACE_H

#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include "dm_linux.h"
#include "core/dm_host.h"

#define DM_TRACE_NAME 16

/* the tracepoint macros keep the kernel's own layout */
/* clang-format off */
TRACE_DEFINE_ENUM(DM_FAULT_DONE);
TRACE_DEFINE_ENUM(DM_FAULT_RETRY);
TRACE_DEFINE_ENUM(DM_FAULT_WAIT);
TRACE_DEFINE_ENUM(DM_FAULT_SIGBUS);
TRACE_DEFINE_ENUM(DM_FAULT_SIGSEGV);

#define DM_TRACE_HEAD                                \
	__array(char, driver, DM_TRACE_NAME)         \
	__field(int, instance)                       \
	__field(pid_t, pid)

#define DM_TRACE_HEAD_ASSIGN(dip)                                       \
	do {                                                            \
		strscpy(__entry->driver, (dip)->drv->name, DM_TRACE_NAME); \
		__entry->instance = (dip)->instance;                    \
		__entry->pid = current->tgid;                           \
	} while (0)

DECLARE_EVENT_CLASS(devmap_range_class,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev),
	TP_STRUCT__entry(
		DM_TRACE_HEAD
		__field(long long, off)
		__field(unsigned long, len)
		__field(unsigned int, handles)
	),
	TP_fast_assign(
		DM_TRACE_HEAD_ASSIGN(dip);
		__entry->off = ev->off;
		__entry->len = ev->len;
		__entry->handles = ev->handles;
	),
	TP_printk("%s%d pid=%d off=0x%llx len=0x%lx handles=%u",
		  __entry->driver, __entry->instance, __entry->pid,
		  __entry->off, __entry->len, __entry->handles)
);

DEFINE_EVENT(devmap_range_class, devmap_map,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev));

DEFINE_EVENT(devmap_range_class, devmap_unmap,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev));

TRACE_EVENT(devmap_dup,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev),
	TP_STRUCT__entry(
		DM_TRACE_HEAD
		__field(unsigned int, handles)
		__field(int, result)
	),
	TP_fast_assign(
		DM_TRACE_HEAD_ASSIGN(dip);
		__entry->handles = ev->handles;
		__entry->result = ev->result;
	),
	TP_printk("%s%d pid=%d handles=%u result=%d", __entry->driver,
		  __entry->instance, __entry->pid, __entry->handles,
		  __entry->result)
);

TRACE_EVENT(devmap_fault,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev),
	TP_STRUCT__entry(
		DM_TRACE_HEAD
		__field(unsigned long, addr)
		__field(long long, off)
		__field(unsigned int, rw)
		__field(int, outcome)
		__field(int, fc)
		__field(unsigned int, calls)
	),
	TP_fast_assign(
		DM_TRACE_HEAD_ASSIGN(dip);
		__entry->addr = ev->addr;
		__entry->off = ev->off;
		__entry->rw = ev->rw;
		__entry->outcome = ev->outcome;
		__entry->fc = ev->fc;
		__entry->calls = ev->calls;
	),
	TP_printk("%s%d pid=%d addr=0x%lx off=0x%llx rw=%s outcome=%s fc=0x%x calls=%u",
		  __entry->driver, __entry->instance, __entry->pid,
		  __entry->addr, __entry->off,
		  __print_symbolic(__entry->rw, { DEVMAP_READ, "read" },
				   { DEVMAP_WRITE, "write" },
				   { DEVMAP_EXEC, "exec" }),
		  __print_symbolic(__entry->outcome,
				   { DM_FAULT_DONE, "loaded" },
				   { DM_FAULT_RETRY, "retry" },
				   { DM_FAULT_WAIT, "wait" },
				   { DM_FAULT_SIGBUS, "sigbus" },
				   { DM_FAULT_SIGSEGV, "sigsegv" }),
		  __entry->fc, __entry->calls)
);

TRACE_EVENT(devmap_ctx_switch,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev),
	TP_STRUCT__entry(
		DM_TRACE_HEAD
		__field(unsigned long, ctx)
		__field(pid_t, prev)
		__field(pid_t, next)
		__field(unsigned long, pages)
	),
	TP_fast_assign(
		DM_TRACE_HEAD_ASSIGN(dip);
		__entry->ctx = ev->ctx_id;
		__entry->prev = ev->prev_owner;
		__entry->next = ev->new_owner;
		__entry->pages = ev->pages;
	),
	TP_printk("%s%d ctx=%lu prev=%d next=%d unloaded=%lu",
		  __entry->driver, __entry->instance, __entry->ctx,
		  __entry->prev, __entry->next, __entry->pages)
);

TRACE_EVENT(devmap_ctx_wait,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev),
	TP_STRUCT__entry(
		DM_TRACE_HEAD
		__field(unsigned long, ctx)
		__field(unsigned int, wait_us)
	),
	TP_fast_assign(
		DM_TRACE_HEAD_ASSIGN(dip);
		__entry->ctx = ev->ctx_id;
		__entry->wait_us = jiffies_to_usecs(ev->waited);
	),
	TP_printk("%s%d pid=%d ctx=%lu wait_us=%u", __entry->driver,
		  __entry->instance, __entry->pid, __entry->ctx,
		  __entry->wait_us)
);

DECLARE_EVENT_CLASS(devmap_xload_class,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev),
	TP_STRUCT__entry(
		DM_TRACE_HEAD
		__field(long long, off)
		__field(unsigned long, len)
		__field(bool, in_fault)
		__field(int, fc)
	),
	TP_fast_assign(
		DM_TRACE_HEAD_ASSIGN(dip);
		__entry->off = ev->off;
		__entry->len = ev->len;
		__entry->in_fault = ev->in_fault;
		__entry->fc = ev->fc;
	),
	TP_printk("%s%d pid=%d off=0x%llx len=0x%lx in_fault=%d fc=0x%x",
		  __entry->driver, __entry->instance, __entry->pid,
		  __entry->off, __entry->len, __entry->in_fault, __entry->fc)
);

DEFINE_EVENT(devmap_xload_class, devmap_load,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev));

DEFINE_EVENT(devmap_xload_class, devmap_unload,
	TP_PROTO(const struct dev_info *dip, const struct dm_event *ev),
	TP_ARGS(dip, ev));

/* clang-format on */

#endif /* _DM_TRACE_H */

/* out of tree: the build folder is on the include path (Kbuild -I$(src)) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dm_trace
#include <trace/define_trace.h>
