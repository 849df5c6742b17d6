/*
 * bedrock-gateway verification toolchain: cgroup (container) limits for SubstrateVM
 * (libsvm_container). Follows HotSpot's OSContainer conventions, which the Java side expects:
 * sizes in bytes, -1 = unlimited, -2 = could not be determined (OSCONTAINER_ERROR); limits at or
 * above the host's RAM are treated as unlimited; the effective limit is the smallest one on the
 * path from our cgroup up to the hierarchy root (a parent slice can constrain us too).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "cpucount.h"

/* Overridable so detection can be tested against a fake hierarchy. */
#ifndef PROC_CGROUP
#define PROC_CGROUP "/proc/self/cgroup"
#endif
#ifndef PROC_MOUNTINFO
#define PROC_MOUNTINFO "/proc/self/mountinfo"
#endif

#define UNLIMITED (-1LL)
#define OSCONTAINER_ERROR (-2LL)

/* Protocol version agreed with ContainerLibrary.java (it passes the version it was built for). */
#define LIBRARY_VERSION 240100
enum { NOT_CONTAINERIZED = 0, CONTAINERIZED = 1, LIBRARY_TOO_OLD = 2, LIBRARY_TOO_NEW = 3 };

enum mode { NONE, V1, V2 };
typedef struct {
    char mount[PATH_MAX]; /* where the hierarchy is mounted: the walk stops here */
    char leaf[PATH_MAX];  /* our own cgroup directory */
    int read_only;
} controller_t;

static enum mode mode = NONE;
static controller_t mem, cpu;

static long long host_memory(void) {
    return (long long) sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);
}

/* Reads a cgroup file's first line; "max" means unlimited. */
static long long read_number(const char *dir, const char *file) {
    char path[PATH_MAX + 64], buf[64];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    FILE *fp = fopen(path, "re");
    if (fp == NULL) {
        return OSCONTAINER_ERROR;
    }
    char *line = fgets(buf, sizeof(buf), fp);
    fclose(fp);
    if (line == NULL) {
        return OSCONTAINER_ERROR;
    }
    if (strncmp(buf, "max", 3) == 0) {
        return UNLIMITED;
    }
    char *end;
    long long v = strtoll(buf, &end, 10);
    return end != buf ? v : OSCONTAINER_ERROR;
}

/* Looks up "key value" in memory.stat of our own cgroup. */
static long long read_stat(const char *key) {
    char path[PATH_MAX + 64], name[64];
    long long value;
    snprintf(path, sizeof(path), "%s/memory.stat", mem.leaf);
    FILE *fp = fopen(path, "re");
    if (fp == NULL) {
        return OSCONTAINER_ERROR;
    }
    long long result = OSCONTAINER_ERROR;
    while (fscanf(fp, "%63s %lld", name, &value) == 2) {
        if (strcmp(name, key) == 0) {
            result = value;
            break;
        }
    }
    fclose(fp);
    return result;
}

/* Moves `dir` one level up; false once it is the mount point itself. */
static int parent(char *dir, size_t stop) {
    char *slash = strrchr(dir, '/');
    if (strlen(dir) <= stop || slash == NULL || (size_t) (slash - dir) < stop) {
        return 0;
    }
    *slash = '\0';
    return 1;
}

/* Smallest non-negative value of `file` from the leaf up to the mount point; -1 if none is set. */
static long long min_up_the_tree(const controller_t *c, const char *file, int *readable) {
    char dir[PATH_MAX];
    long long best = UNLIMITED;
    size_t stop = strlen(c->mount);
    snprintf(dir, sizeof(dir), "%s", c->leaf);
    *readable = 0;
    do {
        long long v = read_number(dir, file);
        *readable |= v != OSCONTAINER_ERROR;
        if (v >= 0 && (best < 0 || v < best)) {
            best = v;
        }
    } while (parent(dir, stop));
    return best;
}

static long long memory_limit(void) {
    int readable;
    if (mode == NONE) {
        return UNLIMITED;
    }
    long long limit = min_up_the_tree(&mem, mode == V2 ? "memory.max" : "memory.limit_in_bytes", &readable);
    return limit >= host_memory() ? UNLIMITED : limit; /* v1 reports "no limit" as a huge number */
}

/* CPUs granted by the CFS quota (rounded up), or INT_MAX when there is no quota. */
static int quota_cpus(void) {
    char dir[PATH_MAX];
    int best = INT_MAX;
    if (mode == NONE) {
        return best;
    }
    size_t stop = strlen(cpu.mount);
    snprintf(dir, sizeof(dir), "%s", cpu.leaf);
    do {
        long long quota = -1, period = 0;
        if (mode == V2) { /* cpu.max: "<quota|max> <period>" */
            char path[PATH_MAX + 16], q[32];
            snprintf(path, sizeof(path), "%s/cpu.max", dir);
            FILE *fp = fopen(path, "re");
            if (fp != NULL) {
                if (fscanf(fp, "%31s %lld", q, &period) == 2 && strcmp(q, "max") != 0) {
                    quota = strtoll(q, NULL, 10);
                }
                fclose(fp);
            }
        } else {
            quota = read_number(dir, "cpu.cfs_quota_us");
            period = read_number(dir, "cpu.cfs_period_us");
        }
        if (quota > 0 && period > 0) {
            long long n = (quota + period - 1) / period;
            if (n < best) {
                best = (int) n;
            }
        }
    } while (parent(dir, stop));
    return best;
}

int svm_container_active_processor_count(void) {
    int host = bedrock_affinity_cpu_count();
    int quota = quota_cpus();
    return quota < host ? (quota > 0 ? quota : 1) : host;
}

/*
 * Maps a cgroup path from /proc/self/cgroup onto the mounted hierarchy. Inside a container the
 * mount's root is usually our own cgroup (or the path is namespaced to "/"), so strip the root.
 */
static void locate(controller_t *c, const char *root, const char *mountpoint, const char *cgpath, int ro) {
    size_t rl = strlen(root);
    const char *rest = cgpath;
    if (strcmp(root, "/") != 0) {
        rest = (strncmp(cgpath, root, rl) == 0 && (cgpath[rl] == '/' || cgpath[rl] == '\0')) ? cgpath + rl : "";
    }
    snprintf(c->mount, sizeof(c->mount), "%s", mountpoint);
    snprintf(c->leaf, sizeof(c->leaf), "%s%s", mountpoint, strcmp(rest, "/") == 0 ? "" : rest);
    if (access(c->leaf, R_OK) != 0) {
        snprintf(c->leaf, sizeof(c->leaf), "%s", mountpoint); /* path not visible: use the mount */
    }
    c->read_only = ro;
}

static int has_controller(const char *list, const char *name) {
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n) {
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0' || p[n] == '\n')) {
            return 1;
        }
    }
    return 0;
}

/* Reads /proc/self/cgroup and /proc/self/mountinfo. v1 controllers win over v2 (hybrid setups). */
static void detect(void) {
    char line[4096], v2path[PATH_MAX] = "", mempath[PATH_MAX] = "", cpupath[PATH_MAX] = "";
    int have_v2 = 0;
    mode = NONE;
    FILE *fp = fopen(PROC_CGROUP, "re");
    if (fp == NULL) {
        return;
    }
    while (fgets(line, sizeof(line), fp) != NULL) { /* "<id>:<controllers>:<path>" */
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL) {
            continue;
        }
        *c2 = '\0';
        if (strcmp(line, "0:") == 0 && c1[1] == '\0') {
            snprintf(v2path, sizeof(v2path), "%s", c2 + 1);
            have_v2 = 1;
        }
        if (has_controller(c1 + 1, "memory")) {
            snprintf(mempath, sizeof(mempath), "%s", c2 + 1);
        }
        if (has_controller(c1 + 1, "cpu")) {
            snprintf(cpupath, sizeof(cpupath), "%s", c2 + 1);
        }
    }
    fclose(fp);

    fp = fopen(PROC_MOUNTINFO, "re");
    if (fp == NULL) {
        return;
    }
    int found_mem = 0, found_cpu = 0, found_v2 = 0;
    controller_t v2 = {{0}, {0}, 0};
    while (fgets(line, sizeof(line), fp) != NULL) {
        /* "<id> <parent> <maj:min> <root> <mountpoint> <options> [optional...] - <fstype> <source> <superopts>" */
        char root[PATH_MAX], point[PATH_MAX], opts[256], fstype[32], super[512];
        char *dash = strstr(line, " - ");
        if (dash == NULL || sscanf(line, "%*s %*s %*s %4095s %4095s %255s", root, point, opts) != 3 ||
            sscanf(dash + 3, "%31s %*s %511s", fstype, super) != 2) {
            continue;
        }
        int ro = strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
        if (strcmp(fstype, "cgroup2") == 0 && have_v2 && !found_v2) {
            locate(&v2, root, point, v2path, ro);
            found_v2 = 1;
        } else if (strcmp(fstype, "cgroup") == 0) {
            if (!found_mem && mempath[0] && has_controller(super, "memory")) {
                locate(&mem, root, point, mempath, ro);
                found_mem = 1;
            }
            if (!found_cpu && cpupath[0] && has_controller(super, "cpu")) {
                locate(&cpu, root, point, cpupath, ro);
                found_cpu = 1;
            }
        }
    }
    fclose(fp);
    if (found_mem || found_cpu) {
        mode = V1;
        if (!found_mem) { /* keep both usable: a missing controller just reports no limits */
            mem = cpu;
        } else if (!found_cpu) {
            cpu = mem;
        }
    } else if (found_v2) {
        mode = V2;
        mem = cpu = v2;
    }
}

/* Returns CONTAINERIZED/NOT_CONTAINERIZED, or a version mismatch code for the Java side to report. */
int svm_container_initialize(int expected_version) {
    if (expected_version > LIBRARY_VERSION) {
        return LIBRARY_TOO_OLD;
    }
    if (expected_version < LIBRARY_VERSION) {
        return LIBRARY_TOO_NEW;
    }
    detect();
    if (mode == NONE) {
        return NOT_CONTAINERIZED;
    }
    /* Like HotSpot: container engines mount cgroupfs read-only; otherwise (e.g. a systemd slice)
     * we only count as containerized if a limit actually applies to us. */
    if (mem.read_only && cpu.read_only) {
        return CONTAINERIZED;
    }
    return memory_limit() > 0 || quota_cpus() < bedrock_affinity_cpu_count() ? CONTAINERIZED : NOT_CONTAINERIZED;
}

long long svm_container_physical_memory(void) {
    long long limit = memory_limit();
    return limit > 0 ? limit : host_memory();
}

long long svm_container_memory_limit_in_bytes(void) {
    return memory_limit();
}

long long svm_container_memory_and_swap_limit_in_bytes(void) {
    int readable;
    long long memory = memory_limit();
    if (mode == V2) { /* memory.swap.max is swap only */
        long long swap = min_up_the_tree(&mem, "memory.swap.max", &readable);
        if (!readable) {
            return memory; /* swap accounting off: no swap on top of memory */
        }
        return memory < 0 || swap < 0 ? UNLIMITED : memory + swap;
    }
    if (mode == V1) { /* memory.memsw.limit_in_bytes is memory + swap */
        long long both = min_up_the_tree(&mem, "memory.memsw.limit_in_bytes", &readable);
        struct sysinfo si;
        long long host = host_memory() + (sysinfo(&si) == 0 ? (long long) si.totalswap * si.mem_unit : 0);
        if (!readable) {
            return memory;
        }
        return both < 0 || both >= host ? UNLIMITED : both;
    }
    return UNLIMITED;
}

long long svm_container_memory_soft_limit_in_bytes(void) {
    if (mode == NONE) {
        return OSCONTAINER_ERROR;
    }
    long long v = read_number(mem.leaf, mode == V2 ? "memory.low" : "memory.soft_limit_in_bytes");
    return v >= host_memory() ? UNLIMITED : v;
}

long long svm_container_memory_usage_in_bytes(void) {
    return mode == NONE ? OSCONTAINER_ERROR : read_number(mem.leaf, mode == V2 ? "memory.current" : "memory.usage_in_bytes");
}

long long svm_container_memory_max_usage_in_bytes(void) {
    return mode == NONE ? OSCONTAINER_ERROR : read_number(mem.leaf, mode == V2 ? "memory.peak" : "memory.max_usage_in_bytes");
}

long long svm_container_rss_usage_in_bytes(void) {
    return mode == NONE ? OSCONTAINER_ERROR : read_stat(mode == V2 ? "anon" : "rss");
}

long long svm_container_cache_usage_in_bytes(void) {
    return mode == NONE ? OSCONTAINER_ERROR : read_stat(mode == V2 ? "file" : "cache");
}
