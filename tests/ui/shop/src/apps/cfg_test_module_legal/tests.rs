mod newsletter {}

#[test]
fn one() {
    assert_eq!(super::f(), 1);
}
