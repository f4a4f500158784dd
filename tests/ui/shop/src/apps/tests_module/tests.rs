use newsletter::Subscriber;
