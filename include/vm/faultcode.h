/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Solaris fault codes (<vm/faultcode.h>): what devmap_load(9F),
 * devmap_unload(9F) and devmap_do_ctxmgt(9F) return on failure, and what
 * a devmap_access(9E) error is wrapped into.
 */
#ifndef _VM_FAULTCODE_H
#define _VM_FAULTCODE_H

typedef int faultcode_t;

#define FC_HWERR 0x1 /* misc hardware error */
#define FC_ALIGN 0x2 /* hardware alignment error */
#define FC_OBJERR 0x3 /* underlying object returned errno value */
#define FC_PROT 0x4 /* access exceeded current protections */
#define FC_NOMAP 0x5 /* no mapping at the address */
#define FC_NOSUPPORT 0x6 /* operation not supported by the driver */

#define FC_MAKE_ERR(e) (((e) << 8) | FC_OBJERR)
#define FC_CODE(fc) ((fc)&0xff)
#define FC_ERRNO(fc) ((unsigned int)(fc) >> 8)

#endif /* _VM_FAULTCODE_H */
