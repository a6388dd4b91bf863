#!/usr/bin/env python3
"""The project's two patches to third-party crates for SBF builds.

bpf-linker: add LLVM's `lower-atomic` pass before dead-code elimination.
  SBPF has no atomic instructions and programs run single-threaded, so
  atomics (from std's and the Solana crates' `AtomicUsize` etc.) are lowered
  to plain loads and stores instead of failing instruction selection.

solana-compiler-builtins: LLVM's BPF backend calls the i128 helpers
  `__multi3`, `__udivti3` and `__umodti3` with its own convention (arguments
  in register pairs r1:r2 and r3:r4, the result in r0:r2), while rustc's Rust
  and C ABIs on bpf return i128 through a hidden pointer. Declaring them
  `extern "unadjusted"` makes rustc use LLVM's convention. Without it every
  u128 multiplication (Rent::minimum_balance, so every Anchor `init`) writes
  its result through a garbage pointer.

Usage: patch_deps.py bpf-linker DIR | patch_deps.py compiler-builtins DIR
"""
import pathlib
import sys


def edit(path, old, new):
    text = path.read_text()
    if new in text:
        return
    if old not in text:
        sys.exit(f"patch_deps: {path}: expected text not found:\n{old}")
    path.write_text(text.replace(old, new, 1))


def bpf_linker(root):
    edit(root / "src/llvm/mod.rs", '        "dce",\n',
         "        // depin: SBPF has no atomics and programs are single-threaded.\n"
         '        "lower-atomic",\n'
         '        "dce",\n')


def compiler_builtins(root):
    lib = root / "src/lib.rs"
    edit(lib, '#![cfg_attr(target_arch = "bpf", no_std)]\n',
         '#![cfg_attr(target_arch = "bpf", no_std)]\n'
         "// depin: i128 libcalls in LLVM's own register convention.\n"
         '#![cfg_attr(target_arch = "bpf", feature(abi_unadjusted))]\n'
         '#![cfg_attr(target_arch = "bpf", allow(internal_features))]\n')
    for name, args, ret in [("__multi3", "a: i128, b: i128", "i128"),
                            ("__udivti3", "n: u128, d: u128", "u128"),
                            ("__umodti3", "n: u128, d: u128", "u128")]:
        edit(lib, f"pub unsafe fn {name}({args}) -> {ret} {{",
             f'pub unsafe extern "unadjusted" fn {name}({args}) -> {ret} {{')


if __name__ == "__main__":
    which, root = sys.argv[1], pathlib.Path(sys.argv[2])
    {"bpf-linker": bpf_linker, "compiler-builtins": compiler_builtins}[which](root)
