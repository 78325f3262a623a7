// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Devmap handles: allocation, copies for fork and partial unmap, the
 * per-page valid bits (one bit a page, inline for handles of up to one
 * word of pages), and the geometry changes of a partial unmap.
 */
#include "dm_impl.h"

struct devmap_handle *dm_handle_alloc(struct dm_seg *seg, int kmflags)
{
	struct devmap_handle *dhp = dmh_zalloc(sizeof(*dhp), kmflags);

	if (!dhp)
		return NULL;
	dhp->dh_seg = seg;
	dhp->dh_valid = &dhp->dh_valid_word;
	dmh_mutex_init(&dhp->dh_lock);
	return dhp;
}

static size_t dm_valid_words(size_t len)
{
	return (dm_pages(len) + DM_BITS_PER_WORD - 1) / DM_BITS_PER_WORD;
}

/*
 * Size the valid bits for @len bytes; all pages start invalid.  A handle
 * longer than DM_MAP_MAX is refused (ENOMEM), which bounds the array.
 */
int dm_handle_size_valid(struct devmap_handle *dhp, size_t len)
{
	size_t words = dm_valid_words(len);

	if (len > DM_MAP_MAX)
		return ENOMEM;
	if (words <= 1)
		return 0;
	dhp->dh_valid = dmh_zalloc(words * sizeof(unsigned long), DMH_SLEEP);
	if (!dhp->dh_valid) {
		dhp->dh_valid = &dhp->dh_valid_word;
		return ENOMEM;
	}
	dhp->dh_valid_words = words;
	return 0;
}

/* Can @dhp's valid bits describe @len bytes? */
static bool dm_handle_fits(const struct devmap_handle *dhp, size_t len)
{
	size_t have = dhp->dh_valid_words ? dhp->dh_valid_words : 1;

	return dm_valid_words(len) <= have;
}

/*
 * Make sure @seg holds a spare handle able to describe @len bytes, so
 * that a later split (a hole munmap) needs no allocation that could fail.
 */
int dm_handle_reserve(struct dm_seg *seg, size_t len)
{
	struct devmap_handle *dhp;

	if (seg->s_spare && dm_handle_fits(seg->s_spare, len))
		return 0;
	dhp = dm_handle_alloc(seg, DMH_SLEEP);
	if (!dhp || dm_handle_size_valid(dhp, len)) {
		if (dhp)
			dm_handle_free(dhp);
		return ENOMEM;
	}
	if (seg->s_spare)
		dm_handle_free(seg->s_spare);
	seg->s_spare = dhp;
	return 0;
}

/*
 * A copy of @src for @seg, with no valid translation: the same backing,
 * protections, callbacks and private data, new references on the context
 * and the cookie.  It is @seg's spare when that fits.  The caller keeps
 * @src's geometry stable (segment lock).
 */
struct devmap_handle *dm_handle_clone(struct devmap_handle *src,
				      struct dm_seg *seg)
{
	struct devmap_handle *dhp;

	if (dm_handle_reserve(seg, src->dh_len))
		return NULL;
	dhp = seg->s_spare;
	seg->s_spare = NULL;
	dmh_mutex_enter(&src->dh_lock);
	dhp->dh_uoff = src->dh_uoff;
	dhp->dh_roff = src->dh_roff;
	dhp->dh_len = src->dh_len;
	dhp->dh_uvaddr = src->dh_uvaddr;
	dhp->dh_kind = src->dh_kind;
	dhp->dh_cache = src->dh_cache;
	dhp->dh_pfn = src->dh_pfn;
	dhp->dh_cookie = src->dh_cookie;
	dhp->dh_flags = src->dh_flags;
	dhp->dh_prot = src->dh_prot;
	dhp->dh_maxprot = src->dh_maxprot;
	dhp->dh_orig_maxprot = src->dh_orig_maxprot;
	dhp->dh_dip = src->dh_dip;
	dhp->dh_timeout = src->dh_timeout;
	dhp->dh_pvtp = src->dh_pvtp;
	dhp->dh_callbackops = src->dh_callbackops;
	if (dhp->dh_cookie)
		dm_cookie_hold(dhp->dh_cookie);
	if (src->dh_ctx) {
		dhp->dh_ctx = src->dh_ctx;
		dm_ctx_hold(dhp->dh_ctx);
	}
	dmh_mutex_exit(&src->dh_lock);
	return dhp;
}

/*
 * Give @dst (a clone of @src, so its bit array is as large) the valid bits
 * of @src; @src's dh_lock is held.
 */
void dm_valid_copy(struct devmap_handle *dst, const struct devmap_handle *src)
{
	for (size_t w = 0; w < dm_valid_words(src->dh_len); w++)
		dst->dh_valid[w] = src->dh_valid[w];
}

/*
 * Give @dst the backing of @src at @dst's own offset (@dst lies at or above
 * @src's start, both locked or @dst private), with no valid translation.
 * Returns the cookie reference @dst no longer holds, to release once no
 * dh_lock is held, or NULL.
 */
struct ddi_umem_cookie *dm_backing_copy(struct devmap_handle *dst,
					const struct devmap_handle *src)
{
	size_t delta = (size_t)(dst->dh_uoff - src->dh_uoff);
	struct ddi_umem_cookie *old = dst->dh_cookie;

	dm_valid_set(dst, 0, dst->dh_len, false);
	dst->dh_kind = src->dh_kind;
	dst->dh_cache = src->dh_cache;
	dst->dh_pfn = src->dh_kind == DM_DH_DEVMEM ?
			      src->dh_pfn + (delta >> PAGESHIFT) :
			      src->dh_pfn;
	dst->dh_cookie = src->dh_cookie;
	if (dst->dh_cookie)
		dm_cookie_hold(dst->dh_cookie);
	dst->dh_roff = src->dh_roff + (offset_t)delta;
	dst->dh_flags = (dst->dh_flags & ~DEVMAP_MAPPING_INVALID) |
			(src->dh_flags & DEVMAP_MAPPING_INVALID);
	dst->dh_maxprot = src->dh_maxprot;
	return old;
}

/* Does the driver manage @dhp's translations (a devmap_access callback)? */
bool dm_handle_managed(const struct devmap_handle *dhp)
{
	return !dm_is_stub((const void *)dhp->dh_callbackops.devmap_access);
}

void dm_handle_free(struct devmap_handle *dhp)
{
	if (dhp->dh_valid_words)
		dmh_free(dhp->dh_valid,
			 dhp->dh_valid_words * sizeof(unsigned long));
	if (dhp->dh_ctx) {
		dm_ctx_disown(dhp->dh_ctx, dhp);
		dm_ctx_rele(dhp->dh_ctx);
	}
	if (dhp->dh_cookie)
		dm_cookie_rele(dhp->dh_cookie);
	dmh_mutex_destroy(&dhp->dh_lock);
	dmh_free(dhp, sizeof(*dhp));
}

bool dm_valid_test(const struct devmap_handle *dhp, size_t soff)
{
	size_t pg = soff >> PAGESHIFT;

	return (dhp->dh_valid[pg / DM_BITS_PER_WORD] >>
		(pg % DM_BITS_PER_WORD)) &
	       1;
}

void dm_valid_set(struct devmap_handle *dhp, size_t soff, size_t len,
		  bool valid)
{
	size_t pg = soff >> PAGESHIFT, end = pg + dm_pages(len);

	for (; pg < end; pg++) {
		unsigned long bit = 1UL << (pg % DM_BITS_PER_WORD);

		if (valid)
			dhp->dh_valid[pg / DM_BITS_PER_WORD] |= bit;
		else
			dhp->dh_valid[pg / DM_BITS_PER_WORD] &= ~bit;
	}
}

/*
 * Drop the first @cut bytes of a handle (head unmap): the handle then
 * starts @cut bytes later in user, device and kernel-memory offsets, and
 * keeps the valid bits of the pages that remain (the bit array keeps its
 * allocated size).
 */
void dm_handle_cut_head(struct devmap_handle *dhp, size_t cut)
{
	size_t shift = cut >> PAGESHIFT, npg = dm_pages(dhp->dh_len);

	for (size_t pg = 0; pg + shift < npg; pg++) {
		size_t from = pg + shift;
		bool v = (dhp->dh_valid[from / DM_BITS_PER_WORD] >>
			  (from % DM_BITS_PER_WORD)) &
			 1;

		dm_valid_set(dhp, pg << PAGESHIFT, PAGESIZE, v);
	}
	dm_valid_set(dhp, (npg - shift) << PAGESHIFT, cut, false);
	dhp->dh_uoff += cut;
	dhp->dh_roff += cut;
	dhp->dh_uvaddr += cut;
	if (dhp->dh_kind == DM_DH_DEVMEM)
		dhp->dh_pfn += shift;
	dhp->dh_len -= cut;
}

/* Keep only the first @newlen bytes of a handle (tail unmap). */
void dm_handle_cut_tail(struct devmap_handle *dhp, size_t newlen)
{
	dm_valid_set(dhp, newlen, dhp->dh_len - newlen, false);
	dhp->dh_len = newlen;
}

/* The handle of @seg that contains @addr, or NULL (a gap). */
struct devmap_handle *dm_handle_lookup(struct dm_seg *seg, uintptr_t addr)
{
	struct devmap_handle *dhp;

	for (dhp = seg->s_handles; dhp; dhp = dhp->dh_next)
		if (addr >= dhp->dh_uvaddr &&
		    addr - dhp->dh_uvaddr < dhp->dh_len)
			return dhp;
	return NULL;
}

/**
 * dm_handle_bytes() - memory a handle of @len bytes takes
 * @len: the handle's length
 *
 * Return: the handle and its valid bits (inline up to one word of pages).
 */
size_t dm_handle_bytes(size_t len)
{
	size_t words = dm_valid_words(len);

	return sizeof(struct devmap_handle) +
	       (words > 1 ? words * sizeof(unsigned long) : 0);
}
