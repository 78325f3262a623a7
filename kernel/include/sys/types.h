/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris <sys/types.h> for drivers on Linux: the DDI's scalar types over
 * Linux's.  Three Solaris types meet a Linux one of the same name:
 *   dev_t   Linux's (32 bits: 12-bit major, 20-bit minor), because the
 *           cb_ops(9S) and devmap callbacks pass it between the driver
 *           and devmap.ko; (dev_t)arg in getinfo(9E) is allowed by the
 *           driver build flags (kernel/ddi.mk).
 *   pfn_t   Solaris' page frame number (an unsigned long), which drivers
 *           do arithmetic on; Linux's structure of that name is hidden
 *           from code that includes this header after the Linux headers.
 *   NULL    Linux's ((void *)0): a null pointer, never an integer 0.
 * See docs/drivers.md, "Porting a driver".
 */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H
#include <sys/devmap_types.h>
typedef unsigned int minor_t;
typedef unsigned int major_t;
typedef int boolean_t;
#define B_FALSE 0
#define B_TRUE 1
typedef unsigned long ddi_pfn_t;
#define pfn_t ddi_pfn_t
#endif
