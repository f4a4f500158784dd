mod level3;
