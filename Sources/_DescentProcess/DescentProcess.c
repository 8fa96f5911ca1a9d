// Everything is in include/DescentProcess.h (static inline); SwiftPM needs a source file per C target.
#include "DescentProcess.h"
