#ifndef WHYDENIED_CNCURSESW_SHIM_H
#define WHYDENIED_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide API must be switched on here.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
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

// Mouse: a left press and the wheel (buttons 4 and 5). Reported at once (no click timing), so a
// press is one event. Returns 1 for a left press, 2 wheel up, 3 wheel down, 0 for anything else.
static inline int wd_key_mouse(void) { return KEY_MOUSE; }
static inline void wd_enable_mouse(void) {
    mmask_t mask = BUTTON1_PRESSED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON5_PRESSED;
#endif
    mousemask(mask, NULL);
    mouseinterval(0);
}
static inline int wd_read_mouse(int *row, int *column) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *row = event.y;
    *column = event.x;
    if (event.bstate & BUTTON1_PRESSED) return 1;
    if (event.bstate & BUTTON4_PRESSED) return 2;
#ifdef BUTTON5_PRESSED
    if (event.bstate & BUTTON5_PRESSED) return 3;
#endif
    return 0;
}

// Drawing and input on the standard screen (the only window the TUI uses).
static inline int wd_get_wch(wint_t *ch) { return wget_wch(stdscr, ch); }
static inline void wd_set_attributes(attr_t attributes, short pair) { wattr_set(stdscr, attributes, pair, NULL); }
static inline int wd_put_string(int row, int column, const char *utf8) { return mvwaddstr(stdscr, row, column, utf8); }
/* Inserting does not advance the cursor, so the bottom-right cell can be drawn without scrolling. */
static inline int wd_insert_string(int row, int column, const char *utf8) { return mvwinsstr(stdscr, row, column, utf8); }

// Restoring the terminal: whatever ends the process (normal exit, a crash signal), endwin()
// runs first so the shell is never left in raw mode. SIGINT, SIGTERM and SIGHUP are not here:
// the app handles them (it ends the running command's group and closes the journal, then the
// screen), and a handler installed here would take them from it.
static volatile sig_atomic_t wd_curses_active = 0;

// Bracketed paste (xterm, tmux, most terminals): the terminal wraps pasted text in ESC[200~ …
// ESC[201~, so a paste is told from typing. Switched off before the terminal is handed back.
// write(2) only: this also runs in the crash-signal handler.
static inline void wd_bracketed_paste(int on) {
    static const char enable[] = "\033[?2004h", disable[] = "\033[?2004l";
    ssize_t written = on ? write(STDOUT_FILENO, enable, sizeof enable - 1) : write(STDOUT_FILENO, disable, sizeof disable - 1);
    (void)written;
}

static inline void wd_restore_terminal(void) {
    if (wd_curses_active) {
        wd_curses_active = 0;
        wd_bracketed_paste(0);
        endwin();
    }
}

static inline void wd_restore_and_reraise(int sig) {
    wd_restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void wd_install_terminal_restore(void) {
    static int installed = 0;
    if (!installed) {
        installed = 1;
        atexit(wd_restore_terminal);
        const int signals[] = {SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGTRAP, SIGFPE};
        for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
            signal(signals[i], wd_restore_and_reraise);
        }
    }
    wd_curses_active = 1;
}

static inline void wd_terminal_restored(void) { wd_curses_active = 0; }

#endif
