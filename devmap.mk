# devmap.mk -- owns: what a driver's Kbuild needs to build against an
# installed devmap (make dkms-install): include it from your Kbuild,
#   obj-m := mydrv.o
#   include /usr/src/devmap-<version>/devmap.mk
# and it adds devmap's Solaris DDI headers and driver flags (kernel/ddi.mk)
# to ccflags-y and this kernel's devmap Module.symvers (written by DKMS) to
# KBUILD_EXTRA_SYMBOLS.
DEVMAP_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
include $(DEVMAP_DIR)/kernel/ddi.mk
ccflags-y += -I$(DEVMAP_DIR)/include -I$(DEVMAP_DIR)/kernel/include $(ddi-ccflags)
KBUILD_EXTRA_SYMBOLS += $(DEVMAP_DIR)/$(KERNELRELEASE)/Module.symvers
ifeq ($(wildcard $(DEVMAP_DIR)/$(KERNELRELEASE)/Module.symvers),)
$(error devmap is not built for $(KERNELRELEASE): no $(DEVMAP_DIR)/$(KERNELRELEASE)/Module.symvers (see dkms status devmap))
endif
