/*
 * bedrock-gateway verification toolchain: CPUs this process may run on (shared by libjvm.so and
 * libsvm_container.a). Like HotSpot's os::Linux::active_processor_count(): the affinity mask
 * already reflects cpusets and `taskset`, falling back to the online count if it can't be read.
 */
#ifndef BEDROCK_CPUCOUNT_H
#define BEDROCK_CPUCOUNT_H

#ifndef _GNU_SOURCE
#error "cpucount.h needs _GNU_SOURCE (CPU_ALLOC, sched_getaffinity) defined before any #include"
#endif

#include <errno.h>
#include <sched.h>
#include <unistd.h>

static inline int bedrock_affinity_cpu_count(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    /* A fixed cpu_set_t holds 1024 CPUs; larger machines need a bigger, dynamically sized mask. */
    for (int n = 1024; n <= (1 << 20); n *= 2) {
        cpu_set_t *set = CPU_ALLOC(n);
        if (set == NULL) {
            break;
        }
        size_t size = CPU_ALLOC_SIZE(n);
        CPU_ZERO_S(size, set);
        if (sched_getaffinity(0, size, set) == 0) {
            int count = CPU_COUNT_S(size, set);
            CPU_FREE(set);
            if (count > 0) {
                return count;
            }
            break;
        }
        CPU_FREE(set);
        if (errno != EINVAL) { /* EINVAL: mask too small for the kernel's CPU count */
            break;
        }
    }
    return online > 0 ? (int) online : 1;
}

#endif
