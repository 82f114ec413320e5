#ifndef WHYDENIED_PROCESS_SPAWN_H
#define WHYDENIED_PROCESS_SPAWN_H

#include <spawn.h>

/// Adds "close every descriptor >= lowest" to the spawn's file actions (glibc 2.34+; on other
/// systems marks nothing and returns 0, where POSIX_SPAWN_CLOEXEC_DEFAULT does the job).
/// Glibc's module hides it behind _GNU_SOURCE, hence this file.
int whydenied_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// pipe2(O_CLOEXEC): both ends close-on-exec atomically.
int whydenied_pipe_close_on_exec(int ends[2]);

#endif
