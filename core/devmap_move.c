// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Moving a mapping (Linux mremap with MREMAP_MAYMOVE, same size): the
 * handles of the moved range take their new addresses, keeping their
 * valid bits, private data and context ownership; the host has moved the
 * translations themselves.  Solaris has no such call, so the rule is ours:
 * a move carries whole handles only, since splitting one would hand the
 * driver a handle it never heard of, and never onto another handle of the
 * mapping.  Nothing here calls the driver.  Also here: where the pages
 * of a mapping are, for hosts (dm_seg_offaddr(), dm_seg_next_range()).
 */
#include "dm_impl.h"

/**
 * dm_seg_offaddr() - where the page at a user offset of a mapping is now
 * @seg: the mapping
 * @off: a user (mmap) offset
 *
 * Return: the user address of that page, or 0 when no handle has it.
 */
uintptr_t dm_seg_offaddr(struct dm_seg *seg, offset_t off)
{
	struct devmap_handle *dhp;
	uintptr_t addr = 0;

	dmh_rw_enter(&seg->s_lock, false);
	for (dhp = seg->s_handles; dhp && !addr; dhp = dhp->dh_next)
		if (off >= dhp->dh_uoff &&
		    (size_t)(off - dhp->dh_uoff) < dhp->dh_len)
			addr = dhp->dh_uvaddr + (size_t)(off - dhp->dh_uoff);
	dmh_rw_exit(&seg->s_lock, false);
	return addr;
}

/**
 * dm_seg_next_range() - the first handle of a mapping ending above an address
 * @seg: the mapping
 * @from: the address
 * @start: set to the start of that handle's range
 * @len: set to its length
 *
 * For a host that walks what a mapping covers, taking the lock afresh at
 * each step so that it may change the mapping in between.
 *
 * Return: true when there is such a handle.
 */
bool dm_seg_next_range(struct dm_seg *seg, uintptr_t from, uintptr_t *start,
		       size_t *len)
{
	struct devmap_handle *dhp;
	bool found = false;

	dmh_rw_enter(&seg->s_lock, false);
	for (dhp = seg->s_handles; dhp && !found; dhp = dhp->dh_next)
		if (dhp->dh_uvaddr + dhp->dh_len > from) {
			*start = dhp->dh_uvaddr;
			*len = dhp->dh_len;
			found = true;
		}
	dmh_rw_exit(&seg->s_lock, false);
	return found;
}

/* Put the handle list back in address order (few handles: insertion). */
static void dm_handles_sort(struct dm_seg *seg)
{
	struct devmap_handle *sorted = NULL, *dhp, **pp;

	while ((dhp = seg->s_handles)) {
		seg->s_handles = dhp->dh_next;
		for (pp = &sorted; *pp && (*pp)->dh_uvaddr < dhp->dh_uvaddr;
		     pp = &(*pp)->dh_next)
			;
		dhp->dh_next = *pp;
		*pp = dhp;
	}
	seg->s_handles = sorted;
}

/**
 * dm_seg_move() - a range of a mapping has moved (mremap)
 * @seg: the mapping
 * @old: where the range was (page aligned)
 * @addr: where it is now
 * @len: its length (page multiple)
 *
 * Return: 0; or EINVAL, with nothing changed, when the range holds no
 * handle, cuts one, or would land on a handle of @seg that stays (the
 * host's view and the core's disagree: two handles must never share an
 * address, or the wrong one would serve faults there).
 */
int dm_seg_move(struct dm_seg *seg, uintptr_t old, uintptr_t addr, size_t len)
{
	struct devmap_handle *dhp;
	uintptr_t end = old + len;
	int err = EINVAL;

	dmh_rw_enter(&seg->s_lock, true);
	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next) {
		uintptr_t hs = dhp->dh_uvaddr, he = hs + dhp->dh_len;

		if (he <= old || hs >= end) {
			/* a handle staying put where the range goes */
			if (he > addr && hs < addr + len) {
				err = EINVAL;
				break;
			}
			continue;
		}
		if (hs < old || he > end) {
			err = EINVAL;
			break;
		}
		err = 0;
	}
	if (!err) {
		for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next) {
			if (dhp->dh_uvaddr < old || dhp->dh_uvaddr >= end)
				continue;
			dmh_mutex_enter(&dhp->dh_lock);
			dhp->dh_uvaddr = dhp->dh_uvaddr - old + addr;
			dmh_mutex_exit(&dhp->dh_lock);
		}
		dm_handles_sort(seg);
	}
	dmh_rw_exit(&seg->s_lock, true);
	return err;
}
