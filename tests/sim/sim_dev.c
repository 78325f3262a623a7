// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Simulated devices: device nodes whose register sets live in a simulated
 * physical memory (page frame numbers to host pages), and the table of
 * cb_ops by major number that mmap looks drivers up in.
 */
#include "sim.h"

#define SIM_MAXPFNRANGES 64
#define SIM_MAXMAJORS 64

static struct sim_pfnrange {
	unsigned long pfn0, npages;
	void *base;
} sim_pfns[SIM_MAXPFNRANGES];
static int sim_npfns;
static unsigned long sim_next_pfn = 0x1000;
static const struct cb_ops *sim_cbs[SIM_MAXMAJORS];

dev_info_t *sim_dev_create(int instance, int nregs, const size_t *sizes)
{
	dev_info_t *dip = calloc(1, sizeof(*dip));

	dip->instance = instance;
	dip->nregs = nregs;
	for (int r = 0; r < nregs; r++) {
		struct sim_regset *rs = &dip->regs[r];

		rs->size = sizes[r];
		rs->base = aligned_alloc(PAGESIZE, sizes[r]);
		memset(rs->base, 0, sizes[r]);
		rs->pfn0 = sim_next_pfn;
		sim_next_pfn += btop(sizes[r]) + 1; /* not contiguous */
		sim_pfns[sim_npfns].pfn0 = rs->pfn0;
		sim_pfns[sim_npfns].npages = btop(sizes[r]);
		sim_pfns[sim_npfns].base = rs->base;
		sim_npfns++;
	}
	return dip;
}

void sim_set_next_pfn(unsigned long pfn)
{
	sim_next_pfn = pfn;
}

void sim_dev_destroy(dev_info_t *dip)
{
	for (int r = 0; r < dip->nregs; r++) {
		for (int i = 0; i < sim_npfns; i++)
			if (sim_pfns[i].base == dip->regs[r].base)
				sim_pfns[i] = (struct sim_pfnrange){ 0 };
		free(dip->regs[r].base);
	}
	free(dip);
}

void *sim_pfn_ptr(unsigned long pfn)
{
	for (int i = 0; i < sim_npfns; i++)
		if (sim_pfns[i].base && pfn >= sim_pfns[i].pfn0 &&
		    pfn < sim_pfns[i].pfn0 + sim_pfns[i].npages)
			return (char *)sim_pfns[i].base +
			       ptob(pfn - sim_pfns[i].pfn0);
	return NULL;
}

void sim_register_cb(major_t major, const struct cb_ops *cb)
{
	sim_cbs[major] = cb;
}

const struct cb_ops *sim_cb_lookup(dev_t dev)
{
	return getmajor(dev) < SIM_MAXMAJORS ? sim_cbs[getmajor(dev)] : NULL;
}
