// ncursesw with the wide-character API (add_wch, get_wch, cchar_t).
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
