#ifndef WHYDENIED_CNCURSESW_SHIM_H
#define WHYDENIED_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide API must be switched on here.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

// Globals and function-like macros do not import into Swift 6; these wrappers keep them explicit.
static inline WINDOW *wd_stdscr(void) { return stdscr; }
static inline int wd_lines(void) { return LINES; }
static inline int wd_cols(void) { return COLS; }
static inline int wd_colors(void) { return COLORS; }
static inline int wd_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t wd_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t wd_a_bold(void) { return A_BOLD; }
static inline attr_t wd_a_reverse(void) { return A_REVERSE; }
static inline attr_t wd_a_dim(void) { return A_DIM; }
static inline attr_t wd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t wd_a_normal(void) { return A_NORMAL; }
static inline void wd_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline int wd_key_f(int n) { return KEY_F(n); }
static inline void wd_set_escdelay(int ms) { set_escdelay(ms); }

#endif
