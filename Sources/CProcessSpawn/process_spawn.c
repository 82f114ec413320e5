#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "process_spawn.h"

int whydenied_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
    (void)actions;
    (void)lowest;
    return 0;
#endif
}

int whydenied_pipe_close_on_exec(int ends[2]) {
#if defined(__linux__)
    return pipe2(ends, O_CLOEXEC);
#else
    if (pipe(ends) != 0) return -1;
    fcntl(ends[0], F_SETFD, FD_CLOEXEC);
    fcntl(ends[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

#if defined(__linux__)
#include <sys/prctl.h>
#include <signal.h>
#endif

int whydenied_set_parent_death_signal(int signal_number) {
#if defined(__linux__)
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal_number, 0, 0, 0);
#else
    (void)signal_number;
    return -1;
#endif
}
