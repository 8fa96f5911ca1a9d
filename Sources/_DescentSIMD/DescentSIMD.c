// Header-only: see include/DescentSIMD.h.
