/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * The test programs' question to a test driver's presence instrument
 * (kpresent.h, behind DMT_PRESENT of dmtest and HT_PRESENT of hugetest):
 * what translation has a process at an address?
 */
#ifndef _PRESENT_USER_H
#define _PRESENT_USER_H

#include <sys/ioctl.h>
#include <sys/types.h>
#include "dmtest.h"

/*
 * The kind of translation process @pid has at @va, asked with ioctl @req
 * of the driver open on @fd: DMT_PRESENT_HUGE, DMT_PRESENT_PAGE, 0 for
 * none; -1 when there is no such process or VMA, or the ioctl fails (so
 * that no failure reads as "no translation").
 */
static inline int present_ask(int fd, unsigned long req, pid_t pid,
			      const volatile void *va)
{
	struct dmt_present pr = { .pid = pid,
				  .va = (unsigned long)va,
				  .present = -1 };

	return ioctl(fd, req, &pr) ? -1 : pr.present;
}

#endif /* _PRESENT_USER_H */
