//! What other apps may use of `blog`: nothing yet.
