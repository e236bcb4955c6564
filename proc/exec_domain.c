/* personality(2) (Linux: kernel/exec_domain.c): the execution domain and
 * its flags, per task, inherited by fork and kept across exec. Only
 * PER_LINUX (0) behaves differently from nothing at all: like Linux on
 * riscv64, other domains and flags (ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC)
 * are stored and reported, and Vireo does not randomize layouts anyway. */
#include "proc/task.h"
#include "kernel/syscall.h"

#define PER_QUERY 0xffffffffU

SYSCALL_DEFINE1(personality, unsigned int, persona)
{
	unsigned int old = current->personality;

	if (persona != PER_QUERY)
		current->personality = persona;
	return old;
}
