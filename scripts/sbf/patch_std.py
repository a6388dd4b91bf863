#!/usr/bin/env python3
"""Adapts a copy of Rust's `library/` so std builds for `target_os = "solana"`.

SBPF v3 programs have no writable data sections: a `static` that is ever
written (panic counters, the allocation-failure flag, thread-local hash keys,
the panic-hook lock) fails to link with "relocation target is not rodata or
text". Each edit below routes the solana target to an existing stub path of
std (the ones zkvm/unsupported targets use) or skips the writable static.
Every edit is anchored on the exact upstream text and fails loudly if that
text is missing (a new std version must be looked at, not patched blindly).

Usage: patch_std.py LIBRARY_DIR   (idempotent: a marker file records success)
"""
import pathlib
import sys

MARK = ".depin-solana-patched"


def edit(path, old, new, count=1):
    text = path.read_text()
    if new in text:
        return
    if text.count(old) < count:
        sys.exit(f"patch_std: {path}: expected text not found:\n{old}")
    path.write_text(text.replace(old, new, count))


def main(library):
    library = pathlib.Path(library)
    if (library / MARK).exists():
        return
    std = library / "std"

    # The build script lists the OSes std supports without `restricted_std`.
    edit(std / "build.rs", '|| target_os == "zkvm"\n',
         '|| target_os == "zkvm"\n        || target_os == "solana"\n')

    # Allocation: programs install their own #[global_allocator] (Anchor's
    # bump allocator); `System` only has to exist.
    edit(std / "src/sys/alloc/mod.rs", '    target_arch = "xtensa",\n)) {\n    8',
         '    target_arch = "xtensa",\n    target_arch = "bpf",\n)) {\n    8')
    edit(std / "src/sys/alloc/mod.rs", '    target_os = "zkvm" => {\n        mod zkvm;\n    }\n',
         '    target_os = "zkvm" => {\n        mod zkvm;\n    }\n'
         '    target_os = "solana" => {\n        mod solana;\n    }\n')
    (std / "src/sys/alloc/solana.rs").write_text(
        "// Solana programs bring their own #[global_allocator]; std's System\n"
        "// allocator is never used on SBF, so it only reports failure.\n"
        "use crate::alloc::{GlobalAlloc, Layout, System};\n\n"
        '#[stable(feature = "alloc_system_type", since = "1.28.0")]\n'
        "unsafe impl GlobalAlloc for System {\n"
        "    #[inline]\n"
        "    unsafe fn alloc(&self, _layout: Layout) -> *mut u8 {\n"
        "        crate::ptr::null_mut()\n"
        "    }\n"
        "    #[inline]\n"
        "    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}\n"
        "}\n")

    # The allocation-failure hook remembers earlier failures in a static.
    edit(std / "src/alloc.rs", "    static PREV_ALLOC_FAILURE: AtomicBool",
         "    // depin/solana: no writable statics on SBPF; report and let the\n"
         "    // caller abort.\n"
         '    #[cfg(target_os = "solana")]\n'
         "    {\n"
         '        rtprintpanic!("memory allocation of {} bytes failed\\n", layout.size());\n'
         "        return;\n"
         "    }\n"
         "    static PREV_ALLOC_FAILURE: AtomicBool")

    # io errors, random keys and thread locals: the generic/unsupported paths.
    edit(std / "src/sys/io/error/mod.rs", '        target_os = "zkvm",\n    ) => {\n        mod generic;',
         '        target_os = "zkvm",\n        target_os = "solana",\n    ) => {\n        mod generic;')
    edit(std / "src/sys/random/mod.rs", '        target_os = "vexos",\n    ) => {',
         '        target_os = "vexos",\n        target_os = "solana",\n    ) => {')
    edit(std / "src/sys/random/mod.rs", '    target_os = "vexos",\n)))]\npub fn hashmap_random_keys',
         '    target_os = "vexos",\n    target_os = "solana",\n)))]\npub fn hashmap_random_keys')
    edit(std / "src/sys/thread_local/mod.rs", '        target_os = "zkvm",\n        target_os = "trusty",',
         '        target_os = "zkvm",\n        target_os = "solana",\n        target_os = "trusty",')
    edit(std / "src/sys/thread_local/mod.rs", '            target_os = "zkvm",\n            target_os = "trusty",',
         '            target_os = "zkvm",\n            target_os = "solana",\n            target_os = "trusty",')

    # HashMap seeds live in a thread local that is incremented: fixed keys.
    edit(std / "src/hash/random.rs", "        thread_local!(static KEYS: Cell<(u64, u64)> = {",
         '        #[cfg(target_os = "solana")]\n'
         "        {\n"
         "            let (k0, k1) = crate::sys::random::hashmap_random_keys();\n"
         "            return RandomState { k0, k1 };\n"
         "        }\n"
         '        #[cfg(not(target_os = "solana"))]\n'
         "        thread_local!(static KEYS: Cell<(u64, u64)> = {")
    edit(std / "src/hash/random.rs", "\n        KEYS.with(|keys| {",
         '\n        #[cfg(not(target_os = "solana"))]\n        KEYS.with(|keys| {')

    # Panics: the panic counter is the immediate-abort stub, and the default
    # hook (behind an RwLock static) is replaced by one log line through the
    # sol_log_ syscall, then abort.
    edit(std / "src/panicking.rs", '#[cfg(panic = "immediate-abort")]\n#[unstable(feature = "update_panic_count"',
         '#[cfg(any(panic = "immediate-abort", target_os = "solana"))]\n#[unstable(feature = "update_panic_count"')
    edit(std / "src/panicking.rs", '#[cfg(not(panic = "immediate-abort"))]\n#[unstable(feature = "update_panic_count"',
         '#[cfg(not(any(panic = "immediate-abort", target_os = "solana")))]\n#[unstable(feature = "update_panic_count"')
    edit(std / "src/panicking.rs", "    match *HOOK.read() {",
         '    #[cfg(target_os = "solana")]\n'
         "    {\n"
         '        unsafe extern "C" {\n'
         "            fn sol_log_(message: *const u8, len: u64);\n"
         "        }\n"
         "        // A fixed buffer: the panic path must not allocate.\n"
         "        struct Line {\n"
         "            bytes: [u8; 512],\n"
         "            len: usize,\n"
         "        }\n"
         "        impl crate::fmt::Write for Line {\n"
         "            fn write_str(&mut self, s: &str) -> crate::fmt::Result {\n"
         "                let take = s.len().min(self.bytes.len() - self.len);\n"
         "                self.bytes[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);\n"
         "                self.len += take;\n"
         "                Ok(())\n"
         "            }\n"
         "        }\n"
         "        let mut line = Line { bytes: [0; 512], len: 0 };\n"
         '        let _ = crate::fmt::Write::write_fmt(&mut line, format_args!("panicked at {location}:\\n{payload}"));\n'
         "        unsafe { sol_log_(line.bytes.as_ptr(), line.len as u64) };\n"
         "        let _ = can_unwind;\n"
         "        crate::process::abort();\n"
         "    }\n"
         '    #[cfg(not(target_os = "solana"))]\n'
         "    match *HOOK.read() {")
    (library / MARK).write_text("patched for target_os = solana by scripts/sbf/patch_std.py\n")


if __name__ == "__main__":
    main(sys.argv[1])
