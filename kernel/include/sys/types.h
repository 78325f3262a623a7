/* SPDX-License-Identifier: GPL-2.0-only */
/* Solaris <sys/types.h> for drivers on Linux. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H
#include <sys/devmap_types.h>
typedef unsigned int minor_t;
typedef unsigned int major_t;
typedef int boolean_t;
#define B_FALSE 0
#define B_TRUE 1
#endif
