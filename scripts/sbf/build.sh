#!/usr/bin/env bash
# Builds the four programs as real SBF (SBPF v3) into target/deploy/<lib>.so
# on a machine without Solana's platform-tools, and prints each stage's time.
#
#   scripts/sbf/build.sh [PROGRAM ...]     (default: all four)
#
# The toolchain is prepared once into $DEPIN_SBF_CACHE (default
# ~/.cache/depin-sbf), from Debian's and crates.io's registries only:
#   1. Debian's rustc-web/cargo-web/rust-web-src (bookworm-security): a rustc
#      whose exact std source ships with it (-Zbuild-std needs it).
#   2. LLVM 23 from Debian unstable, downloaded and unpacked into the cache,
#      never installed (it needs a newer glibc; it runs under the unpacked
#      loader). LLVM 22's BPF backend cannot return aggregates or pass more
#      than five arguments.
#   3. sbpf-linker 0.2.6 built against that LLVM, with bpf-linker patched to
#      lower atomics (patch_deps.py). Code generation happens in the linker.
#   4. A copy of std's source patched for target_os = "solana" (patch_std.py).
#   5. solana-compiler-builtins 0.3.0 patched for LLVM's i128 convention
#      (patch_deps.py), used only by this build (cfg target_arch = "bpf";
#      Solana's platform-tools build with target_arch = "sbf" never sees it).
# The programs are built from a mirror of the workspace inside the cache, so
# the [patch] this build needs never touches the repository's Cargo.lock.
# Every stage is skipped when its result is already there; cargo rebuilds
# only the programs whose sources changed.
#
# This is not Solana's toolchain: upstream LLVM 23 instead of Solana's LLVM
# fork, SBPF v3 output. Deploy with `anchor build` and the official tools.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$REPO/scripts/sbf
CACHE=${DEPIN_SBF_CACHE:-$HOME/.cache/depin-sbf}
OUT=$REPO/target/deploy
mkdir -p "$CACHE/src" "$OUT"

ALL_PROGRAMS=(device-registry proof-oracle rewards governance)
PROGRAMS=("$@")
[ ${#PROGRAMS[@]} -eq 0 ] && PROGRAMS=("${ALL_PROGRAMS[@]}")

stage_started=0
stage() {
  stage_started=$(date +%s)
  echo "== sbf: $1"
}
stage_done() {
  echo "   done in $(( $(date +%s) - stage_started )) s"
}

fail() {
  echo "sbf: $*" >&2
  exit 1
}

# A crate's source from crates.io (the registry's download endpoint).
fetch_crate() { # name version -> $CACHE/src/name-version
  local dir="$CACHE/src/$1-$2"
  if [ ! -d "$dir" ]; then
    curl -sSfL "https://static.crates.io/crates/$1/$1-$2.crate" -o "$CACHE/src/$1-$2.crate" \
      || fail "could not download crate $1 $2 from crates.io"
    tar -xzf "$CACHE/src/$1-$2.crate" -C "$CACHE/src"
    rm "$CACHE/src/$1-$2.crate"
  fi
}

# --- 1. Debian's rustc with its std source -----------------------------------
stage "Debian rustc 1.96 with std source"
if ! { [ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library/std ]; }; then
  [ "$(id -u)" = 0 ] || fail "installing rustc-web needs root (apt-get install rustc-web cargo-web rust-web-src)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src >/dev/null
fi
RUSTC_VERSION=$(/usr/bin/rustc --version | cut -d' ' -f2)
echo "   /usr/bin/rustc $RUSTC_VERSION"
case $RUSTC_VERSION in
  1.96.*) ;;
  *) echo "   warning: the std patch was written for 1.96; patch_std.py stops if its anchors moved" ;;
esac
stage_done

# --- 2. LLVM 23 from Debian unstable, unpacked ---------------------------------
stage "LLVM 23 (Debian unstable, unpacked into the cache)"
SID=$CACHE/sid
LLVM=$SID/usr/lib/llvm-23
if [ ! -e "$LLVM/lib/libLLVM.so.23.1" ]; then
  APT=$CACHE/apt-sid
  mkdir -p "$APT/sources" "$APT/lists/partial" "$APT/cache/archives/partial" "$CACHE/debs"
  cat > "$APT/sources/sid.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  APT_OPTS=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$APT/sources"
            -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache")
  apt-get "${APT_OPTS[@]}" update -qq
  # libLLVM 23 and what it links against, as unstable builds them.
  (cd "$CACHE/debs" && apt-get "${APT_OPTS[@]}" download -qq \
    libllvm23 llvm-23 llvm-23-dev libc6 libgcc-s1 libstdc++6 gcc-16-base libxml2-16 \
    libz3-4 libedit2 libffi8 libzstd1 zlib1g libtinfo6 libbsd0 libmd0 libpfm4)
  for deb in "$CACHE/debs"/*.deb; do dpkg -x "$deb" "$SID"; done
  rm -rf "$CACHE/debs"
  [ -e "$LLVM/lib/libLLVM.so.23.1" ] || fail "unpacked LLVM 23 has no libLLVM.so.23.1 (unstable moved on?)"
fi
# Runs a program linked against libLLVM 23 with unstable's loader and libs.
cat > "$CACHE/sid-run" <<EOF
#!/bin/sh
exec "$SID/usr/lib64/ld-linux-x86-64.so.2" --library-path "$SID/usr/lib/x86_64-linux-gnu:$LLVM/lib" "\$@"
EOF
chmod +x "$CACHE/sid-run"
# Captured first: under pipefail, `llc | grep -q` fails whenever grep exits
# before llc has written everything (SIGPIPE), which made CI flaky.
LLC_ATTRIBUTES=$("$CACHE/sid-run" "$LLVM/bin/llc" -march=bpfel -mattr=help 2>&1) \
  || fail "LLVM 23's llc does not run: $LLC_ATTRIBUTES"
grep -q v3 <<<"$LLC_ATTRIBUTES" || fail "LLVM 23's llc has no SBPF v3 attribute"
stage_done

# --- 3. sbpf-linker against LLVM 23, atomics lowered ---------------------------
stage "sbpf-linker 0.2.6 (built against LLVM 23)"
LINKER=$CACHE/linker-target/release/sbpf-linker
if [ ! -x "$LINKER" ]; then
  fetch_crate sbpf-linker 0.2.6
  fetch_crate bpf-linker 0.13.0
  python3 "$HERE/patch_deps.py" bpf-linker "$CACHE/src/bpf-linker-0.13.0"
  MANIFEST=$CACHE/src/sbpf-linker-0.2.6/Cargo.toml
  # It pins a nightly through rustup; the machine's stable cargo builds it.
  rm -f "$CACHE/src/sbpf-linker-0.2.6/rust-toolchain.toml"
  # Link the system (unpacked) LLVM 23 instead of loading rustc's at run time.
  if ! grep -q 'depin-llvm23' "$MANIFEST"; then
    sed -i 's/^default = \[.*\]/default = ["depin-llvm23"]\ndepin-llvm23 = ["bpf-linker\/llvm-23"]/' "$MANIFEST"
    printf '\n[patch.crates-io]\nbpf-linker = { path = "%s" }\n' "$CACHE/src/bpf-linker-0.13.0" >> "$MANIFEST"
  fi
  # libLLVM 23 needs glibc 2.38 symbols: allowed at link time, resolved at
  # run time by sid-run.
  (cd "$CACHE/src/sbpf-linker-0.2.6" && \
    env -u RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS \
      CARGO_TARGET_DIR="$CACHE/linker-target" LLVM_PREFIX="$LLVM" \
      RUSTFLAGS="-C link-arg=-Wl,--allow-shlib-undefined -C link-arg=-Wl,-rpath-link,$SID/usr/lib/x86_64-linux-gnu" \
      cargo build --release --bin sbpf-linker -q)
fi
# The linker rustc calls. A dependency's own cdylib (a program crate used
# as a library by another program) may fail to link on its own; only the
# program being built must.
# rustc passes its opt-level on; the linker's LLVM 23 takes -O0..-O3 only,
# and honours the optsize/minsize attributes rustc already put on every
# function for opt-level s/z, so those become -O2.
cat > "$CACHE/sbpf-link" <<EOF
#!/bin/bash
out=""; prev=""; args=()
for arg in "\$@"; do
  [ "\$prev" = "-o" ] && out="\$arg"
  prev="\$arg"
  case "\$arg" in -Os|-Oz) args+=(-O2) ;; *) args+=("\$arg") ;; esac
done
"$CACHE/sid-run" "$LINKER" "\${args[@]}" && exit 0
status=\$?
case "\$(basename "\$out")" in
  lib\${DEPIN_SBF_PROGRAM}.so|lib\${DEPIN_SBF_PROGRAM}-*.so) exit \$status ;;
esac
echo "sbpf-link: ignoring the failed link of dependency \$out" >&2
: > "\$out"
EOF
chmod +x "$CACHE/sbpf-link"
stage_done

# --- 4. std for target_os = solana ---------------------------------------------
stage "std source patched for target_os = solana"
STD=$CACHE/std-$RUSTC_VERSION
if [ ! -e "$STD/library/.depin-solana-patched" ]; then
  rm -rf "$STD"
  mkdir -p "$STD"
  cp -a /usr/lib/rustlib/src/rust/library "$STD/"
  python3 "$HERE/patch_std.py" "$STD/library"
fi
stage_done

# --- 5. solana-compiler-builtins with LLVM's i128 convention ---------------------
stage "solana-compiler-builtins 0.3.0 (i128 libcalls)"
fetch_crate solana-compiler-builtins 0.3.0
python3 "$HERE/patch_deps.py" compiler-builtins "$CACHE/src/solana-compiler-builtins-0.3.0"
stage_done

# --- 6. the programs -------------------------------------------------------------
stage "mirror of the workspace"
MIRROR=$CACHE/workspace
python3 "$HERE/mirror.py" "$REPO" "$MIRROR" "$(printf '\n[patch.crates-io]\nsolana-compiler-builtins = { path = "%s" }\n' "$CACHE/src/solana-compiler-builtins-0.3.0")"
stage_done

for program in "${PROGRAMS[@]}"; do
  lib=${program//-/_}
  stage "build $program"
  # One cargo run per program: building two together would unify the
  # `no-entrypoint` feature a program enables on the ones it calls. And a
  # program that calls others (through their `cpi` feature) builds in its own
  # target directory: cargo names a cdylib without its features, so the
  # callee built as a dependency and built as itself would overwrite each
  # other's fingerprint and rebuild on every run.
  target_dir=$CACHE/programs-target
  if grep -q 'features = \["cpi"\]' "$REPO/programs/$program/Cargo.toml"; then
    target_dir=$CACHE/programs-target-callers
  fi
  (cd "$MIRROR" && \
    env -u CARGO_TARGET_DIR -u CARGO_BUILD_RUSTFLAGS \
      DEPIN_SBF_PROGRAM="$lib" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
      __CARGO_TESTS_ONLY_SRC_ROOT="$STD/library" \
      CARGO_PROFILE_RELEASE_OPT_LEVEL="${DEPIN_SBF_OPT_LEVEL:-3}" \
      CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
      RUSTFLAGS="-C linker=$CACHE/sbpf-link -C panic=abort -C relocation-model=static -C link-arg=--llvm-args=-bpf-stack-size=4096" \
      /usr/bin/cargo build --release -q -p "$program" \
        --target "$HERE/bpfel-solana.json" -Zbuild-std=std,panic_abort -Zjson-target-spec \
        --target-dir "$target_dir")
  so=$target_dir/bpfel-solana/release/lib$lib.so
  [ -s "$so" ] || fail "$program: no ELF at $so"
  cp "$so" "$OUT/$lib.so"
  stage_done
done

echo "== sbf: programs in $OUT"
for program in "${ALL_PROGRAMS[@]}"; do
  so=$OUT/${program//-/_}.so
  [ -e "$so" ] && printf '   %-22s %9d bytes\n' "$(basename "$so")" "$(stat -c %s "$so")"
done
