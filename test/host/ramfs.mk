HOST_SRCS_ramfs := kernel/fs/ramfs.c kernel/fs/cpio.c
