-- fastapp: unchecked
FROBNICATE things GENTLY;
