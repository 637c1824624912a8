fn main() {
    eprintln!("pantau: the desktop shell is not built yet; use pantau-cli");
    std::process::exit(2);
}
