/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * lockpg: the interface of the lock-page port example, shared by the
 * driver and lockpg_user.  Every open of /dev/lockpg0 is a client of its
 * own (a clone minor); a client allocates lock pages, each named by a key
 * that is its mmap offset, and any process may map a page by its key with
 * MAP_SHARED.  A page lives while its owner keeps it (until LP_FREE or
 * the owner's close) or a process maps it.  The structure has one layout
 * for 32- and 64-bit processes.
 */
#ifndef _LOCKPG_H
#define _LOCKPG_H

#include <sys/types.h>

#define LP_MAXCLIENTS 64 /* opens at once */
#define LP_MAXPAGES 16 /* pages a client may own */

typedef struct lockpg_ioc {
	int64_t li_key; /* the page's mmap offset */
	int32_t li_pid; /* LP_QUERY: the owner's pid, 0 when freed */
	uint32_t li_maps; /* LP_QUERY: mappings of the page */
	uint32_t li_value; /* LP_WAIT: sleep while word 0 holds this */
	uint32_t li_pages; /* LP_QUERY: pages alive in the driver */
} lockpg_ioc_t;

#define LP_IOC ('L' << 8)
#define LP_ALLOC (LP_IOC | 1) /* out: li_key of a new zeroed page */
#define LP_FREE (LP_IOC | 2) /* in: li_key of one of the client's pages */
#define LP_QUERY (LP_IOC | 3) /* in: li_key (or -1: li_pages only) */
#define LP_WAIT (LP_IOC | 4) /* in: li_key, li_value; EINTR on a signal */
#define LP_WAKE (LP_IOC | 5) /* in: li_key: wakes its LP_WAITs */

#endif /* _LOCKPG_H */
