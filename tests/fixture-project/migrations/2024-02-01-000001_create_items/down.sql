DROP TABLE things;
DROP TABLE items;
