#![forbid(unsafe_code)]

fn main() {
    std::process::exit(lupus_quiz::run());
}
