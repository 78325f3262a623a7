/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * DDI types shared by the devmap interfaces: the opaque device node, the
 * credential, and the device access attributes of ddi_device_acc_attr(9S)
 * with the exact Solaris values.
 */
#ifndef _SYS_DDITYPES_H
#define _SYS_DDITYPES_H

#include <sys/devmap_types.h>

/* A device node; its contents belong to the host's DDI shim. */
typedef struct dev_info dev_info_t;
/* A credential; passed through, never inspected by devmap. */
typedef struct cred cred_t;

/* ddi_device_acc_attr(9S) */
typedef struct ddi_device_acc_attr {
	ushort_t devacc_attr_version;
	uchar_t devacc_attr_endian_flags;
	uchar_t devacc_attr_dataorder;
	uchar_t devacc_attr_access;
} ddi_device_acc_attr_t;

#define DDI_DEVICE_ATTR_V0 0x0001
#define DDI_DEVICE_ATTR_V1 0x0002

/* devacc_attr_endian_flags */
#define DDI_NEVERSWAP_ACC 0x00
#define DDI_STRUCTURE_LE_ACC 0x01
#define DDI_STRUCTURE_BE_ACC 0x02

/* devacc_attr_dataorder */
#define DDI_STRICTORDER_ACC 0x00
#define DDI_UNORDERED_OK_ACC 0x01
#define DDI_MERGING_OK_ACC 0x02
#define DDI_LOADCACHING_OK_ACC 0x03
#define DDI_STORECACHING_OK_ACC 0x04

/* devacc_attr_access (DDI_DEVICE_ATTR_V1) */
#define DDI_DEFAULT_ACC 0x01
#define DDI_FLAGERR_ACC 0x02
#define DDI_CAUTIOUS_ACC 0x03

#endif /* _SYS_DDITYPES_H */
