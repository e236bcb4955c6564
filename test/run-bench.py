#!/usr/bin/env python3
"""make bench's driver: boots each benchmark in test/bench/ as init on one
hart under QEMU -icount shift=0 (guest time = instruction count, so results
repeat) and prints its "bench ..." lines."""
import argparse, glob, os, subprocess, sys

B = os.environ.get("B", "build")  # the build directory (make passes B)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-riscv64")
    a = ap.parse_args()
    failed = 0
    for src in sorted(glob.glob("test/bench/*.c")):
        name = os.path.basename(src)[:-2]
        if name.startswith("helper_"):
            continue  # programs the benchmarks run, not benchmarks
        cmd = [a.qemu, "-machine", "virt", "-bios", "default", "-nographic", "-no-reboot",
               "-smp", "1", "-m", "512M", "-icount", "shift=0",
               "-kernel", f"{B}/kernel.elf", "-initrd", f"{B}/initramfs.cpio",
               "-append", f"quiet init=/bench/{name}"]
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
            out = p.stdout.decode(errors="replace").replace("\r", "")
            lines = [l for l in out.splitlines() if l.startswith("bench ")]
            for l in lines:
                print(l, flush=True)
            if p.returncode != 0 or not lines:
                failed += 1
                print(f"# {name}: failed (status {p.returncode})\n" + out[-2000:])
        except subprocess.TimeoutExpired:
            failed += 1
            print(f"# {name}: timed out")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
