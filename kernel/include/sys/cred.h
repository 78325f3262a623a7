/* SPDX-License-Identifier: GPL-2.0-only */
/* Solaris <sys/cred.h> for drivers on Linux: what the DDI shim needs. */
#include <sys/ddi.h>
