mod deep;

pub use deep::count;
