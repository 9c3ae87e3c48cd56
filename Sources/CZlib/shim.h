// zlib's inflate, for DRGKit's gzip resources (the ICD-10 code tables).
#include <zlib.h>
