/*
 * bedrock-gateway verification toolchain: attach-API listener helpers for SubstrateVM (libchelper).
 *
 * jcmd & co. connect to a Unix socket the VM creates on request. The Java side drives the
 * protocol; this file does the socket plumbing and, importantly, the same security checks as
 * HotSpot: only root or a peer with our effective uid/gid may trigger or use the listener.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int stat_retry(const char *path, struct stat *st) {
    int r;
    do {
        r = stat(path, st);
    } while (r == -1 && errno == EINTR);
    return r;
}

/* Remove a stale socket left by an earlier process with the same pid. */
void svm_attach_startup(char *path) {
    struct stat st;
    if (stat_retry(path, &st) == 0) {
        unlink(path);
    }
}

void svm_attach_listener_cleanup(int s, char *path) {
    if (s != -1) {
        shutdown(s, SHUT_RDWR);
        close(s);
    }
    if (path != NULL) {
        unlink(path);
    }
}

/* False if the socket file vanished (e.g. /tmp cleaner), so the listener must be recreated. */
bool svm_attach_check_socket_file(char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* The .attach_pid trigger file only counts if root or our effective user created it. */
bool svm_attach_is_init_trigger(char *path) {
    struct stat st;
    return stat_retry(path, &st) == 0 && (st.st_uid == 0 || st.st_uid == geteuid());
}

/*
 * Bind under a temporary name, restrict it to the owner, then rename into place, so a client never
 * sees a socket with the wrong permissions. Returns the listening fd or -1.
 */
int svm_attach_create_listener(char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    int n = snprintf(addr.sun_path, sizeof(addr.sun_path), "%s.tmp", path);
    if (n < 0 || (size_t) n >= sizeof(addr.sun_path)) {
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd == -1) {
        return -1;
    }
    unlink(addr.sun_path);
    if (bind(fd, (struct sockaddr *) &addr, sizeof(addr)) == -1) {
        close(fd);
        return -1;
    }
    if (listen(fd, 5) == -1 || chmod(addr.sun_path, S_IRUSR | S_IWUSR) == -1 ||
        chown(addr.sun_path, geteuid(), getegid()) == -1 || rename(addr.sun_path, path) == -1) {
        close(fd);
        unlink(addr.sun_path);
        return -1;
    }
    return fd;
}

/* Accept the next client whose credentials match ours (or root); others are dropped silently. */
int svm_attach_wait_for_request(int listener) {
    for (;;) {
        int s = accept(listener, NULL, NULL);
        if (s == -1) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        struct ucred cred;
        socklen_t len = sizeof(cred);
        if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
            (cred.uid == 0 || (cred.uid == geteuid() && cred.gid == getegid()))) {
            return s;
        }
        close(s);
    }
}

void svm_attach_shutdown_socket(int s) {
    shutdown(s, SHUT_RDWR);
}
