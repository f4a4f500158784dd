mod level2;
