/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Character-device entry point flags of Solaris <sys/conf.h> (cb_flag), and
 * the nodev/nulldev/nochpoll placeholders used in cb_ops tables.
 */
#ifndef _SYS_CONF_H
#define _SYS_CONF_H

#define D_NEW 0x00
#define D_HOTPLUG 0x04
#define D_MP 0x20
#define D_64BIT 0x200000
#define D_DEVMAP 0x100

int dm_nodev(void);
int dm_nulldev(void);

/*
 * Solaris declares nodev() and nulldev() without a prototype so that they
 * fit any cb_ops slot.  C11 with strict prototypes cannot, so they stand
 * for a pointer that converts to any entry-point type.
 */
#define nodev ((void *)dm_nodev)
#define nulldev ((void *)dm_nulldev)
/* chpoll(9E) not supported: the same as nodev (ENXIO) */
#define nochpoll nodev

#endif /* _SYS_CONF_H */
