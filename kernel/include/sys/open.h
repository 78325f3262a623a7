/* SPDX-License-Identifier: GPL-2.0-only */
/* Solaris open types (<sys/open.h>) for drivers on Linux. */
#ifndef _SYS_OPEN_H
#define _SYS_OPEN_H
#define OTYP_BLK 0
#define OTYP_MNT 1
#define OTYP_CHR 2
#define OTYP_SWP 3
#define OTYP_LYR 4
#endif
