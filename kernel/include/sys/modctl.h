/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Solaris loadable-module linkage (modldrv, modlinkage, mod_install(9F),
 * mod_remove(9F), mod_info(9F)) for drivers on Linux.  A driver names
 * itself and its device aliases once with DDI_MODULE(); that also makes
 * the Linux module_init/module_exit call the driver's _init and _fini.
 *
 *	DDI_MODULE("xx", "pci1234,11e8");	a PCI driver
 *	DDI_MODULE("tdrv");			a pseudo driver (instance 0)
 */
#ifndef _SYS_MODCTL_H
#define _SYS_MODCTL_H

#include <linux/module.h>
#include <sys/devops.h>

struct mod_ops {
	int mo_type;
};
extern struct mod_ops mod_driverops;

struct modldrv {
	struct mod_ops *drv_modops;
	char *drv_linkinfo;
	struct dev_ops *drv_dev_ops;
};

#define MODREV_1 1
#define MODMAXLINK 4
struct modlinkage {
	int ml_rev;
	void *ml_linkage[MODMAXLINK];
};

struct modinfo {
	int mi_info;
};

int ddi_mod_install(struct modlinkage *modlp, struct module *owner,
		    const char *name, const char *const *aliases, int naliases);
#define mod_install(modlp)                                     \
	ddi_mod_install((modlp), THIS_MODULE, ddi_module_name, \
			ddi_module_aliases, ARRAY_SIZE(ddi_module_aliases))
int mod_remove(struct modlinkage *modlp);
void ddi_module_gone(struct module *owner);
int mod_info(struct modlinkage *modlp, struct modinfo *modinfop);

int _init(void);
int _fini(void);
int _info(struct modinfo *modinfop);

#define DDI_MODULE(name, ...)                                            \
	static const char ddi_module_name[] = name;                      \
	static const char *const ddi_module_aliases[] = { __VA_ARGS__ }; \
	static int __init ddi_module_init(void)                          \
	{                                                                \
		return -_init();                                         \
	}                                                                \
	static void __exit ddi_module_exit(void)                         \
	{                                                                \
		_fini();                                                 \
		ddi_module_gone(THIS_MODULE);                            \
	}                                                                \
	module_init(ddi_module_init);                                    \
	module_exit(ddi_module_exit)

#endif /* _SYS_MODCTL_H */
