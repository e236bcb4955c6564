HOST_SRCS_buddy := mm/buddy.c
