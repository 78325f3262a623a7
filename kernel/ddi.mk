# ddi.mk -- owns: the compiler flags of a Solaris-style driver, for every
# driver build (kernel/Kbuild for the drivers built with devmap.ko,
# devmap.mk for drivers built against an installed devmap, and
# scripts/header-check.sh): _KERNEL, which Solaris code tests, and no
# warning for (dev_t)arg in getinfo(9E): dev_t is Linux's 32-bit one
# (see kernel/include/sys/types.h).
ddi-ccflags := -D_KERNEL -Wno-pointer-to-int-cast
