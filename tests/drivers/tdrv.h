/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * tdrv, the configurable test driver: a Solaris-style character driver
 * whose devmap(9E) and callbacks do what the test in hand configures
 * (regions, setup flags, errors, access behaviour) and log every call with
 * its arguments, so tests can check what the framework passed.
 */
#ifndef _TDRV_H
#define _TDRV_H

#include <sys/sunddi.h>

#define TD_MAJOR 7
#define TD_DEV SIM_DEV(TD_MAJOR, 0)
#define TD_MAXREGIONS 8

enum td_kind { TD_DEVMEM, TD_UMEM, TD_NOSETUP, TD_TWICE };
enum td_access {
	TD_ACC_NONE, /* no devmap_access callback */
	TD_ACC_DEFAULT, /* devmap_default_access itself as the callback */
	TD_ACC_LOAD, /* devmap_load(dhp, off, len, type, rw) */
	TD_ACC_ERR, /* return td.access_err */
	TD_ACC_NOLOAD, /* return 0 without loading */
	TD_ACC_LOAD_RW, /* devmap_load with td.load_rw, return its result */
	TD_ACC_CTXMGT, /* devmap_do_ctxmgt with a context switch */
	TD_ACC_CTXNULL, /* devmap_do_ctxmgt with a NULL ctxmgt */
	TD_ACC_SIBLING, /* load td.sibling (all of it) and the faulting page */
	TD_ACC_HOOK /* return td.hook(...) */
};

struct td_region {
	enum td_kind kind;
	uint_t rnumber;
	offset_t roff;
	size_t len;
	size_t maplen; /* 0: len */
	uint_t maxprot; /* 0: PROT_ALL */
	uint_t flags;
	ddi_device_acc_attr_t *attr;
	ddi_umem_cookie_t cookie;
	bool no_callbacks; /* pass NULL callbackops */
	void *access_fn; /* overrides the access callback of this handle */
	int rev; /* devmap_rev to pass (0: DEVMAP_OPS_REV) */
};

struct td_config {
	dev_info_t *dip;
	int nregions;
	struct td_region region[TD_MAXREGIONS];
	int devmap_ret; /* devmap(9E) returns this when nonzero */
	bool reject_ilp32; /* devmap(9E) refuses 32-bit callers */
	int map_fail_at; /* devmap_map of this handle (1-based) fails */
	enum td_access access;
	int access_err;
	int access_err_times; /* TD_ACC_ERR: fail this often, then load */
	int (*hook)(devmap_cookie_t dhp, offset_t off, size_t len, uint_t type,
		    uint_t rw);
	uint_t load_rw;
	int ctx_err; /* the context switch returns this */
	int dup_ret;
	int dup_fail_at; /* devmap_dup of this handle (1-based) fails */
	bool no_dup; /* no devmap_dup: parent and child share pvtp */
	int (*dup_hook)(devmap_cookie_t new_dhp); /* run in devmap_dup */
	void (*unmap_hook)(void); /* run first in devmap_unmap */
	devmap_cookie_t sibling;
	clock_t ctx_timeout; /* devmap_set_ctx_timeout in devmap_map */
	/* results */
	int second_setup_ret;
	devmap_cookie_t owner; /* TD_ACC_CTXMGT: handle owning the context */
	int switches;
};

/* One framework call into the driver. */
struct td_call {
	char what; /* D devmap, M map, A access, U dup, X unmap, C ctxmgt */
	devmap_cookie_t dhp, n1, n2;
	void *pvtp;
	void **p1, **p2;
	offset_t off;
	size_t len;
	uint_t type, rw, flags, model;
};

#define TD_MAXLOG 512
extern struct td_config td;
extern struct td_call td_log[TD_MAXLOG];
extern int td_nlog;
extern int td_live_pvt; /* private data allocated and not freed */
extern struct cb_ops td_cb_ops;
extern struct devmap_callback_ctl td_callbacks;

void td_reset(dev_info_t *dip);
/* The next devmap(9E) call uses region 0 again (a new mmap). */
void td_rewind(void);
/* An access callback other than tdrv's own that loads like it. */
int td_access_other(devmap_cookie_t dhp, void *pvtp, offset_t off, size_t len,
		    uint_t type, uint_t rw);
/* A page-frame mmap(9E) over register set 0 of td.dip. */
int td_mmap(dev_t dev, off_t off, uint_t prot);
int td_count(char what);
struct td_call *td_nth(char what, int n); /* n-th call of a kind, 0-based */

#endif /* _TDRV_H */
