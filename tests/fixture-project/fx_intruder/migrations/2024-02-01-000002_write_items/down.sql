TRUNCATE items;
DROP TABLE intruder_copies;
