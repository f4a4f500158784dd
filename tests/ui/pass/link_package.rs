#[path = "../linkok/src/lib.rs"]
mod link;

fn main() {
    let names: Vec<&str> = link::EXTERNAL_APPS.iter().map(|app| app.name).collect();
    assert_eq!(names, ["newsletter"]);
}
