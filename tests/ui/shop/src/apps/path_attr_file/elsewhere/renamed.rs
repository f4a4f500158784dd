pub use newsletter::Subscriber;
