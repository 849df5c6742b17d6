/*
 * bedrock-gateway verification toolchain: small libchelper helpers for SubstrateVM.
 *
 * Most exist because @CFunction cannot call C varargs functions or macros portably, so the C
 * compiler has to apply the ABI for us; the rest read Linux-specific process state.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

extern char **environ;

/* Java cannot read libc's data symbols directly. */
char **getEnviron(void) {
    return environ;
}

/* glibc only gained gettid() in 2.30; the raw syscall works everywhere. */
pid_t getThreadId(void) {
    return (pid_t) syscall(SYS_gettid);
}

/*
 * User CPU time of thread `tid` of this process in nanoseconds, or -1. Read from procfs because
 * there is no clock for "user time only" of another thread.
 */
long getThreadUserTimeSlow(pid_t tid) {
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int) tid);
    FILE *fp = fopen(path, "re");
    if (fp == NULL) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    /* The command name in parentheses may contain spaces or ')', so start after the last ')'. */
    char *p = strrchr(buf, ')');
    if (p == NULL) {
        return -1;
    }
    /* After ") " come: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14). */
    unsigned long utime;
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu", &utime) != 1) {
        return -1;
    }
    long ticks = sysconf(_SC_CLK_TCK);
    return ticks > 0 ? (long) utime * (1000000000L / ticks) : -1;
}

int fprintfSD(FILE *stream, const char *format, char *arg0, int arg1) {
    return fprintf(stream, format, arg0, arg1);
}

int openSII(const char *pathname, int flags, int mode) {
    return open(pathname, flags, mode);
}

int openatISII(int dirfd, const char *pathname, int flags, int mode) {
    return openat(dirfd, pathname, flags, mode);
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
    return mremap(old_address, old_size, new_size, flags, new_address);
}

void sys_select_FD_SET(int fd, fd_set *set) {
    FD_SET(fd, set);
}

void sys_select_FD_ZERO(fd_set *set) {
    FD_ZERO(set);
}

int sys_param_howmany(int x, int y) {
    return howmany(x, y);
}

/* After patching code, make the instruction stream coherent (a no-op on x86, needed on arm). */
void codeSynchronization_clearCache(unsigned long codeStart, unsigned long codeSize) {
    __builtin___clear_cache((char *) codeStart, (char *) (codeStart + codeSize));
}

void exitWithMessage(int status, const char *message) {
    printf("%s\n", message);
    exit(status);
}

/*
 * Foreign-function "system lookup" table. Only Windows needs one (its CRT has no exported
 * printf family); on Linux the symbols are found with dlsym, so the table is empty.
 */
void *__svm_get_syslookup_func(int32_t i, int32_t n_expected) {
    (void) i;
    (void) n_expected;
    return NULL;
}
