/*
 * bedrock-gateway verification toolchain: system time-zone detection for SubstrateVM (libchelper).
 *
 * Same order as the JDK on Linux: $TZ, /etc/timezone, the /etc/localtime symlink target, and,
 * when /etc/localtime is a copied file (common in containers), the zoneinfo file with identical
 * contents. The result is malloc'd: the Java caller converts it and frees it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Overridable so the search can be tested without touching /etc. */
#ifndef ZONEINFO
#define ZONEINFO "/usr/share/zoneinfo"
#endif
#ifndef ETC_TIMEZONE
#define ETC_TIMEZONE "/etc/timezone"
#endif
#ifndef ETC_LOCALTIME
#define ETC_LOCALTIME "/etc/localtime"
#endif

/* "…/zoneinfo/Europe/Berlin" -> "Europe/Berlin", or NULL if the path is not under a zoneinfo dir. */
static char *zone_from_path(const char *path) {
    const char *p = strstr(path, "zoneinfo/");
    return p != NULL && p[9] != '\0' ? strdup(p + 9) : NULL;
}

static char *read_etc_timezone(void) {
    char line[256];
    FILE *fp = fopen(ETC_TIMEZONE, "re");
    if (fp == NULL) {
        return NULL;
    }
    char *result = NULL;
    if (fgets(line, sizeof(line), fp) != NULL) {
        line[strcspn(line, " \t\r\n")] = '\0';
        if (line[0] != '\0') {
            result = strdup(line);
        }
    }
    fclose(fp);
    return result;
}

static int same_contents(const char *path, const char *data, off_t size) {
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != size) {
        return 0;
    }
    FILE *fp = fopen(path, "re");
    if (fp == NULL) {
        return 0;
    }
    char *buf = malloc((size_t) size);
    int same = buf != NULL && fread(buf, 1, (size_t) size, fp) == (size_t) size && memcmp(buf, data, (size_t) size) == 0;
    free(buf);
    fclose(fp);
    return same;
}

/* Canonical zones first (zone1970.tab), so a copied Europe/Berlin is not reported as an alias. */
static char *find_in_zone_tab(const char *data, off_t size) {
    FILE *fp = fopen(ZONEINFO "/zone1970.tab", "re");
    if (fp == NULL && (fp = fopen(ZONEINFO "/zone.tab", "re")) == NULL) {
        return NULL;
    }
    char line[512], name[256], path[PATH_MAX];
    char *found = NULL;
    while (found == NULL && fgets(line, sizeof(line), fp) != NULL) {
        /* "<country codes> <coordinates> <zone> [comment]" */
        if (line[0] != '#' && sscanf(line, "%*s %*s %255s", name) == 1 &&
            snprintf(path, sizeof(path), "%s/%s", ZONEINFO, name) < (int) sizeof(path) && same_contents(path, data, size)) {
            found = strdup(name);
        }
    }
    fclose(fp);
    return found;
}

/*
 * Depth-first search of the zoneinfo tree for a file identical to /etc/localtime. The "posix"
 * and "right" mirrors and the alias files are skipped so that the canonical id wins.
 */
static char *find_identical(const char *dir, const char *data, off_t size) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        return NULL;
    }
    char *found = NULL;
    struct dirent *e;
    while (found == NULL && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (n[0] == '.' || strcmp(n, "posix") == 0 || strcmp(n, "right") == 0 || strcmp(n, "ROC") == 0 ||
            strcmp(n, "posixrules") == 0 || strcmp(n, "localtime") == 0 || strcmp(n, "Factory") == 0) {
            continue;
        }
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", dir, n) >= (int) sizeof(path)) {
            continue;
        }
        struct stat st;
        if (lstat(path, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            found = find_identical(path, data, size);
        } else if (same_contents(path, data, size)) {
            found = zone_from_path(path);
        }
    }
    closedir(d);
    return found;
}

static char *from_localtime(void) {
    struct stat st;
    if (lstat(ETC_LOCALTIME, &st) != 0) {
        return NULL;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX], resolved[PATH_MAX];
        ssize_t n = readlink(ETC_LOCALTIME, target, sizeof(target) - 1);
        if (n > 0) {
            target[n] = '\0';
            char *zone = zone_from_path(target);
            if (zone == NULL && realpath(ETC_LOCALTIME, resolved) != NULL) {
                zone = zone_from_path(resolved); /* chained or relative links */
            }
            if (zone != NULL) {
                return zone;
            }
        }
    }
    /* A copy of a zoneinfo file: identify it by content; UTC is by far the most common. */
    FILE *fp = fopen(ETC_LOCALTIME, "re");
    if (fp == NULL || fstat(fileno(fp), &st) != 0 || st.st_size <= 0 || st.st_size > (1 << 20)) {
        if (fp != NULL) {
            fclose(fp);
        }
        return NULL;
    }
    char *data = malloc((size_t) st.st_size);
    char *zone = NULL;
    if (data != NULL && fread(data, 1, (size_t) st.st_size, fp) == (size_t) st.st_size) {
        if (same_contents(ZONEINFO "/UTC", data, st.st_size)) {
            zone = strdup("UTC");
        } else if ((zone = find_in_zone_tab(data, st.st_size)) == NULL) {
            zone = find_identical(ZONEINFO, data, st.st_size); /* e.g. EST5EDT, Etc/GMT+5 */
        }
    }
    free(data);
    fclose(fp);
    return zone;
}

/* Last resort: a custom id for the current offset, as the JDK does ("UTC" if there is none). */
static char *offset_id(void) {
    time_t now = time(NULL);
    struct tm local;
    if (localtime_r(&now, &local) == NULL || local.tm_gmtoff == 0) {
        return strdup("UTC");
    }
    long off = labs(local.tm_gmtoff);
    char buf[32];
    snprintf(buf, sizeof(buf), "GMT%c%02d:%02d", local.tm_gmtoff < 0 ? '-' : '+', (int) (off / 3600 % 100), (int) (off % 3600 / 60));
    return strdup(buf);
}

/* tzmappings/length are the Windows zone-name table; Linux has no use for them. */
char *SVM_FindJavaTZmd(const char *tzmappings, int length) {
    (void) tzmappings;
    (void) length;
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        if (*tz == ':') {
            tz++;
        }
        if (strncmp(tz, "posix/", 6) == 0) {
            tz += 6;
        }
        char *zone = tz[0] == '/' ? zone_from_path(tz) : NULL; /* TZ=:/usr/share/zoneinfo/X */
        return zone != NULL ? zone : strdup(tz);
    }
    char *zone = read_etc_timezone();
    if (zone == NULL) {
        zone = from_localtime();
    }
    return zone != NULL ? zone : offset_id();
}
