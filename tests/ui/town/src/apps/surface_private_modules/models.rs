pub struct Note;
