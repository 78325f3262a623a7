/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The devmap data types of Solaris <sys/ddidevmap.h>: the mapping handle
 * cookie, the driver callback vector devmap_callback_ctl(9S), the
 * DEVMAP_* setup flags, fault and access types, the ddi_umem_alloc(9F)
 * flags and the legacy ddi_mapdev(9F) control vector.  Values are exactly
 * those of Solaris so that a driver's devmap code compiles unchanged.
 */
#ifndef _SYS_DDIDEVMAP_H
#define _SYS_DDIDEVMAP_H

#include <sys/dditypes.h>

/* A device mapping handle (one physically contiguous piece of a mapping). */
typedef void *devmap_cookie_t;
/*
 * Kernel memory from ddi_umem_alloc(9F), or user memory locked by
 * ddi_umem_lock(9F).  As in Solaris, a driver may cast the cookie to a
 * struct ddi_umem_cookie and read cvaddr (the address ddi_umem_alloc
 * returned, or the user address ddi_umem_lock locked) and size (the size
 * it was asked for, rounded up to whole pages); the other members belong
 * to devmap.
 */
typedef void *ddi_umem_cookie_t;
enum dm_umem_type { DM_UMEM_KMEM, DM_UMEM_TRASH, DM_UMEM_LOCKED };
struct ddi_umem_cookie {
	void *cvaddr; /* DM_UMEM_TRASH: its one page */
	size_t size;
	enum dm_umem_type type;
	unsigned int refcnt; /* the driver's + one per handle; umem lock */
	bool freed; /* ddi_umem_free() done, memory still mapped */
	int lockflags; /* DM_UMEM_LOCKED: the DDI_UMEMLOCK_* flags */
	void *pin; /* DM_UMEM_LOCKED: the host's record of the pages */
};
/* A process address space. */
struct as;
typedef struct as *ddi_as_handle_t;

/* devmap_callback_ctl(9S) */
#define DEVMAP_OPS_REV 1

struct devmap_callback_ctl {
	int devmap_rev;
	int (*devmap_map)(devmap_cookie_t dhp, dev_t dev, uint_t flags,
			  offset_t off, size_t len, void **pvtp);
	int (*devmap_access)(devmap_cookie_t dhp, void *pvtp, offset_t off,
			     size_t len, uint_t type, uint_t rw);
	int (*devmap_dup)(devmap_cookie_t dhp, void *pvtp,
			  devmap_cookie_t new_dhp, void **new_pvtp);
	void (*devmap_unmap)(devmap_cookie_t dhp, void *pvtp, offset_t off,
			     size_t len, devmap_cookie_t new_dhp1,
			     void **new_pvtp1, devmap_cookie_t new_dhp2,
			     void **new_pvtp2);
};

/* flags of devmap_devmem_setup(9F) and devmap_umem_setup(9F) */
#define DEVMAP_DEFAULTS 0x00
#define DEVMAP_MAPPING_INVALID 0x01
#define DEVMAP_ALLOW_REMAP 0x02
#define DEVMAP_USE_PAGESIZE 0x04
#define DEVMAP_SETUP_FLAGS \
	(DEVMAP_MAPPING_INVALID | DEVMAP_ALLOW_REMAP | DEVMAP_USE_PAGESIZE)

/* the type argument of devmap_access(9E) and devmap_load(9F) */
enum devmap_fault_type {
	DEVMAP_ACCESS = 0,
	DEVMAP_PROT = 1,
	DEVMAP_LOCK = 2,
	DEVMAP_UNLOCK = 3
};

/* the rw argument of devmap_access(9E) and devmap_load(9F) */
enum devmap_rw {
	DEVMAP_OTHER = 0,
	DEVMAP_READ = 1,
	DEVMAP_WRITE = 2,
	DEVMAP_EXEC = 3,
	DEVMAP_CREATE = 4
};

/* ddi_umem_alloc(9F) flags */
#define DDI_UMEM_SLEEP 0x0
#define DDI_UMEM_NOSLEEP 0x01
#define DDI_UMEM_PAGEABLE 0x02
#define DDI_UMEM_TRASH 0x04

/* ddi_umem_lock(9F) flags */
#define DDI_UMEMLOCK_READ 0x01
#define DDI_UMEMLOCK_WRITE 0x02

/* Legacy ddi_mapdev(9F) interface (Solaris 2.5 to 9). */
typedef void *ddi_mapdev_handle_t;

#define MAPDEV_REV 1

struct ddi_mapdev_ctl {
	int mapdev_rev;
	int (*mapdev_access)(ddi_mapdev_handle_t handle, void *devprivate,
			     off_t offset);
	void (*mapdev_free)(ddi_mapdev_handle_t handle, void *devprivate);
	int (*mapdev_dup)(ddi_mapdev_handle_t handle, void *devprivate,
			  ddi_mapdev_handle_t new_handle,
			  void **new_devprivate);
};

#endif /* _SYS_DDIDEVMAP_H */
