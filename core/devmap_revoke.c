// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Revocation: the device behind a mapping is gone (hot removal, driver
 * unbind) while processes still map it.  Every translation of the mapping
 * goes and every later access fails (SIGBUS; debugger accesses EIO), but
 * the mapping itself, its handles and the driver's private data stay until
 * munmap or exit, when devmap_unmap(9E) runs as usual.  Faults check the
 * mark under the mapping's lock, which revocation takes as writer, so no
 * fault in progress can load a page after the translations are removed.
 */
#include "dm_impl.h"

/**
 * dm_seg_revoke() - the device of a mapping is gone
 * @seg: the mapping
 *
 * Removes every translation of @seg and clears its valid bits; from now on
 * its faults get SIGBUS (FC_HWERR) and dm_seg_access() fails.
 */
void dm_seg_revoke(struct dm_seg *seg)
{
	struct devmap_handle *dhp;

	dmh_rw_enter(&seg->s_lock, true);
	seg->s_revoked = true;
	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next) {
		dmh_mutex_enter(&dhp->dh_lock);
		dm_valid_set(dhp, 0, dhp->dh_len, false);
		dmh_unload(dhp, 0, dhp->dh_len);
		dmh_mutex_exit(&dhp->dh_lock);
	}
	dmh_rw_exit(&seg->s_lock, true);
}
