// SPDX-License-Identifier: GPL-2.0-only
/*
 * Private file offsets.  An unload zaps one mapping's translations with
 * unmap_mapping_pages() on the driver's own address_space, so every mapping
 * needs file offsets that no other live mapping of the driver has.  Each
 * mmap takes a slot of DM_SLOT_PAGES offsets from a per-driver IDA once the
 * driver has accepted it; the VMAs that fork copies from it share the slot
 * (one reference per group), and the slot goes back with the last of them.
 * A driver has at most DM_SLOTS (2^26) live mappings, fewer with the
 * module parameter max_mappings; past that mmap gets ENOMEM.  Nothing a
 * user does can push an offset past 2^50 pages, so the byte offsets the
 * kernel derives from them stay below 2^62 and never wrap.
 */
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "dm_linux.h"

static unsigned int max_mappings = DM_SLOTS;
module_param(max_mappings, uint, 0444);
MODULE_PARM_DESC(max_mappings,
		 "live mappings a driver may have at once (1 to 2^26)");

/**
 * dm_slot_alloc() - a free slot of private file offsets of a driver
 * @drv: the driver
 *
 * Return: the slot with one reference, or NULL when memory or the driver's
 * DM_SLOTS slots are exhausted.
 */
struct dm_slot *dm_slot_alloc(struct dm_driver *drv)
{
	struct dm_slot *slot = kmalloc(sizeof(*slot), GFP_KERNEL_ACCOUNT);
	int id;

	if (!slot)
		return NULL;
	id = ida_alloc_max(&drv->slots, clamp(max_mappings, 1U, DM_SLOTS) - 1,
			   GFP_KERNEL_ACCOUNT);
	if (id < 0) {
		kfree(slot);
		return NULL;
	}
	refcount_set(&slot->refs, 1);
	slot->drv = drv;
	slot->id = id;
	return slot;
}

/**
 * dm_slot_get() - another group uses a slot (a fork copy)
 * @slot: the slot
 */
void dm_slot_get(struct dm_slot *slot)
{
	refcount_inc(&slot->refs);
}

/**
 * dm_slot_put() - a group no longer uses a slot; the last frees it
 * @slot: the slot, or NULL
 */
void dm_slot_put(struct dm_slot *slot)
{
	if (slot && refcount_dec_and_test(&slot->refs)) {
		ida_free(&slot->drv->slots, slot->id);
		kfree(slot);
	}
}
