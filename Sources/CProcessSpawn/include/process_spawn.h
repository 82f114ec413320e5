#ifndef WHYDENIED_PROCESS_SPAWN_H
#define WHYDENIED_PROCESS_SPAWN_H

#include <spawn.h>

/// Adds "close every descriptor >= lowest" to the spawn's file actions (glibc 2.34+; on other
/// systems marks nothing and returns 0, where POSIX_SPAWN_CLOEXEC_DEFAULT does the job).
/// Glibc's module hides it behind _GNU_SOURCE, hence this file.
int whydenied_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// pipe2(O_CLOEXEC): both ends close-on-exec atomically.
int whydenied_pipe_close_on_exec(int ends[2]);

/// prctl(PR_SET_PDEATHSIG): the kernel sends `signal_number` to this process when the thread that
/// started it ends (Linux; elsewhere returns -1). prctl is variadic, hence this file.
int whydenied_set_parent_death_signal(int signal_number);

#endif
