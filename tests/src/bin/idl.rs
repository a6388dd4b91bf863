//! Rewrites `idl/<program>.json` for the four programs from their code
//! (what `anchor idl build` would print): `cargo run -p depin-tests --bin idl`.

fn main() -> anyhow::Result<()> {
    for (folder, stem) in depin_tests::idl::PROGRAMS {
        let json = depin_tests::idl::build(folder)?;
        let path = depin_tests::idl::checked_in(stem);
        let temporary = path.with_extension("json.partial");
        std::fs::write(&temporary, &json)?;
        std::fs::rename(&temporary, &path)?;
        println!("{} ({} bytes)", path.display(), json.len());
    }
    Ok(())
}
