HOST_SRCS_cpio := kernel/fs/cpio.c
