// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Address spaces: the core's view of a process.  It owns the reference
 * count that mappings hold, the list of faults in progress that lets
 * devmap_load(9F) check it is called in the faulting process's context,
 * and an id no other address space ever gets.
 */
#include "dm_impl.h"

dmh_mutex_t dm_as_id_lock; /* dm_as_last_id */
static unsigned long dm_as_last_id;

/**
 * dm_as_create() - create the core's object for a process address space
 * @host: the host's process object, returned by dm_as_host()
 *
 * Return: the address space with one reference, or NULL without memory.
 */
struct as *dm_as_create(void *host)
{
	struct as *as = dmh_zalloc(sizeof(*as), DMH_SLEEP);

	if (!as)
		return NULL;
	dmh_mutex_init(&as->a_lock);
	dmh_mutex_enter(&dm_as_id_lock);
	as->a_id = ++dm_as_last_id;
	dmh_mutex_exit(&dm_as_id_lock);
	as->a_refcnt = 1;
	as->a_host = host;
	return as;
}

void dm_as_hold(struct as *as)
{
	dmh_mutex_enter(&as->a_lock);
	as->a_refcnt++;
	dmh_mutex_exit(&as->a_lock);
}

/**
 * dm_as_rele() - drop a reference to an address space
 * @as: the address space; freed with its last reference
 */
void dm_as_rele(struct as *as)
{
	unsigned int left;

	dmh_mutex_enter(&as->a_lock);
	left = --as->a_refcnt;
	dmh_mutex_exit(&as->a_lock);
	if (left)
		return;
	dmh_mutex_destroy(&as->a_lock);
	dmh_free(as, sizeof(*as));
}

/**
 * dm_as_host() - the host's process object of an address space
 * @as: the address space
 *
 * Return: the pointer given to dm_as_create().
 */
void *dm_as_host(const struct as *as)
{
	return as->a_host;
}

/* Record @f as a fault of this thread in @as while the driver runs. */
void dm_fault_enter(struct dm_fault *f, struct as *as)
{
	f->thread = dmh_thread_self();
	dmh_mutex_enter(&as->a_lock);
	f->next = as->a_faults;
	as->a_faults = f;
	dmh_mutex_exit(&as->a_lock);
}

void dm_fault_exit(struct dm_fault *f, struct as *as)
{
	struct dm_fault **pp;

	dmh_mutex_enter(&as->a_lock);
	for (pp = &as->a_faults; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	dmh_mutex_exit(&as->a_lock);
}

/* The fault the calling thread is handling in @as, or NULL. */
struct dm_fault *dm_fault_current(struct as *as)
{
	uintptr_t self = dmh_thread_self();
	struct dm_fault *f;

	dmh_mutex_enter(&as->a_lock);
	for (f = as->a_faults; f; f = f->next)
		if (f->thread == self)
			break;
	dmh_mutex_exit(&as->a_lock);
	return f;
}
