# For `make qemu-gdb`: run `gdb-multiarch -x .gdbinit` here (or allow auto-loading with
# "set auto-load safe-path /" in ~/.gdbinit). Connects to QEMU and loads symbols.
set architecture riscv:rv64
file build/kernel.elf
target remote :1234
