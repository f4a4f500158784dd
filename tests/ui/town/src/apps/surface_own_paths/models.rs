pub struct Mine;
