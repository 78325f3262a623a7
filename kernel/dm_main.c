// SPDX-License-Identifier: GPL-2.0-only
/*
 * devmap.ko: module start and stop, the pseudo filesystem whose anonymous
 * inodes give each driver an address_space of its own, and the exported
 * devmap DDI (implemented by the portable core in core/).
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include "dm_linux.h"

#define DEVMAP_MAGIC 0x64766d70 /* "dvmp" */

struct vfsmount *dm_mnt;

/* Memory figures for the benchmarks: a one-page handle, a mapping. */
static unsigned int handle_bytes, mapping_bytes;
module_param(handle_bytes, uint, 0444);
MODULE_PARM_DESC(handle_bytes, "bytes of a one-page devmap handle");
module_param(mapping_bytes, uint, 0444);
MODULE_PARM_DESC(mapping_bytes, "bytes of a mapping besides its handles");

static int dm_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, DEVMAP_MAGIC) ? 0 : -ENOMEM;
}

/* No owner: the mount lives exactly as long as the module, and an owner
 * would pin the module for ever. */
static struct file_system_type dm_fs_type = {
	.name = "devmap",
	.init_fs_context = dm_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static int __init devmap_init(void)
{
	int err = dm_host_init();

	if (err)
		return err;
	dm_vm_init();
	dm_stats_init();
	dm_mnt = kern_mount(&dm_fs_type);
	if (IS_ERR(dm_mnt)) {
		err = PTR_ERR(dm_mnt);
		goto host;
	}
	err = dm_shim_init();
	if (!err) {
		handle_bytes = dm_handle_bytes(PAGE_SIZE);
		mapping_bytes = dm_seg_bytes() + sizeof(struct dm_group);
		return 0;
	}
	kern_unmount(dm_mnt);
host:
	dm_stats_fini();
	dm_host_fini();
	return err;
}

static void __exit devmap_exit(void)
{
	dm_shim_fini();
	kern_unmount(dm_mnt);
	dm_stats_fini();
	dm_host_fini();
}

module_init(devmap_init);
module_exit(devmap_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(
	"Solaris devmap framework: device mapping with fault-driven context switching");

/* The devmap DDI, from the portable core. */
EXPORT_SYMBOL_GPL(devmap_setup);
EXPORT_SYMBOL_GPL(ddi_devmap_segmap);
EXPORT_SYMBOL_GPL(devmap_devmem_setup);
EXPORT_SYMBOL_GPL(devmap_umem_setup);
EXPORT_SYMBOL_GPL(devmap_devmem_remap);
EXPORT_SYMBOL_GPL(devmap_umem_remap);
EXPORT_SYMBOL_GPL(devmap_load);
EXPORT_SYMBOL_GPL(devmap_unload);
EXPORT_SYMBOL_GPL(devmap_default_access);
EXPORT_SYMBOL_GPL(devmap_do_ctxmgt);
EXPORT_SYMBOL_GPL(devmap_set_ctx_timeout);
EXPORT_SYMBOL_GPL(ddi_umem_alloc);
EXPORT_SYMBOL_GPL(ddi_umem_free);
EXPORT_SYMBOL_GPL(ddi_umem_lock);
EXPORT_SYMBOL_GPL(ddi_umem_unlock);
EXPORT_SYMBOL_GPL(ddi_mapdev);
EXPORT_SYMBOL_GPL(ddi_mapdev_intercept);
EXPORT_SYMBOL_GPL(ddi_mapdev_nointercept);
EXPORT_SYMBOL_GPL(ddi_mapdev_set_keep_ctx);
EXPORT_SYMBOL_GPL(ddi_model_convert_from);
EXPORT_SYMBOL_GPL(dm_nodev);
EXPORT_SYMBOL_GPL(dm_nulldev);
