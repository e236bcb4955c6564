# Loaded by gdb started in this directory (allow it with
# "set auto-load safe-path /" in ~/.gdbinit): connects to `make qemu-gdb`.
set architecture riscv:rv64
file build/kernel.elf
target remote :1234
