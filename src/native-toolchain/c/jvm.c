/*
 * bedrock-gateway verification toolchain: libjvm.so stand-in for native images.
 *
 * The image links Temurin's own libjava/libnio/libnet/libzip/libextnet.so instead of JDK static
 * libraries, and those import JVM_* (version SUNWprivate_1.1) from HotSpot's libjvm.so. There is
 * no HotSpot in a native image: the Java side replaces nearly all of the natives that would reach
 * the VM. This library implements the part that is still reached (the same set SubstrateVM's own
 * libjvm implements, plus what libnet/libzip need); build.sh generates an aborting stub for every
 * other import, so that a call nobody expected fails loudly instead of misbehaving.
 *
 * Exported symbols must not collide with what the JDK libraries define themselves (JNI_OnLoad,
 * JDK_*, JNU_*): whichever object comes first in the global search order would win for everyone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jni.h>

#include "cpucount.h"

/* JDK 9+ jvm.h */
#define JVM_INTERFACE_VERSION 6

/* Used by the generated stubs (build.sh); not exported. */
__attribute__((visibility("hidden"), noreturn)) void bedrock_unavailable(const char *name) {
    /* write(2), not stdio: the caller may hold locks or be in a signal handler. */
    static const char prefix[] = "bedrock-gateway verification toolchain: ";
    static const char suffix[] = " is not available in this native image\n";
    ssize_t ignored = write(2, prefix, sizeof(prefix) - 1);
    ignored = write(2, name, strlen(name));
    ignored = write(2, suffix, sizeof(suffix) - 1);
    (void) ignored;
    abort();
}

/* Retries a system call interrupted by a signal, as HotSpot does. */
#define RESTARTABLE(expr) ({ int _r; do { _r = (int) (expr); } while (_r == -1 && errno == EINTR); _r; })

/* Called by the image at startup; nothing to set up. */
JNIEXPORT void JNICALL initialize(void) {
}

JNIEXPORT jint JNICALL JVM_GetInterfaceVersion(void) {
    return JVM_INTERFACE_VERSION;
}

/* The image asks this outside containers; inside, it asks libsvm_container for the quota. */
JNIEXPORT jint JNICALL JVM_ActiveProcessorCount(void) {
    return bedrock_affinity_cpu_count();
}

/* ---- time ---- */

static jlong clock_nanos(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (jlong) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

JNIEXPORT jlong JNICALL JVM_CurrentTimeMillis(JNIEnv *env, jclass ignored) {
    (void) env, (void) ignored;
    return clock_nanos(CLOCK_REALTIME) / 1000000;
}

JNIEXPORT jlong JNICALL JVM_NanoTime(JNIEnv *env, jclass ignored) {
    (void) env, (void) ignored;
    return clock_nanos(CLOCK_MONOTONIC);
}

/* Nanoseconds since `offset_secs` (epoch seconds), or -1 if that does not fit (|diff| >= 2^32 s). */
JNIEXPORT jlong JNICALL JVM_GetNanoTimeAdjustment(JNIEnv *env, jclass ignored, jlong offset_secs) {
    (void) env, (void) ignored;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    jlong diff = (jlong) ts.tv_sec - offset_secs;
    if (diff >= 0x100000000LL || diff <= -0x100000000LL) {
        return -1;
    }
    return diff * 1000000000LL + ts.tv_nsec;
}

JNIEXPORT jlong JNICALL Java_java_lang_System_currentTimeMillis(JNIEnv *env, jclass cls) {
    return JVM_CurrentTimeMillis(env, cls);
}

JNIEXPORT jlong JNICALL Java_java_lang_System_nanoTime(JNIEnv *env, jclass cls) {
    return JVM_NanoTime(env, cls);
}

JNIEXPORT jlong JNICALL Java_jdk_internal_misc_VM_getNanoTimeAdjustment(JNIEnv *env, jclass cls, jlong offset_secs) {
    return JVM_GetNanoTimeAdjustment(env, cls, offset_secs);
}

/* ---- process ---- */

JNIEXPORT void JNICALL JVM_Halt(jint code) {
    exit(code);
}

JNIEXPORT void JNICALL JVM_BeforeHalt(void) {
}

JNIEXPORT jint JNICALL JVM_GetLastErrorString(char *buf, int len) {
    if (errno == 0 || buf == NULL || len <= 0) {
        return 0;
    }
    const char *s = strerror(errno);
    size_t n = strlen(s);
    if (n >= (size_t) len) {
        n = (size_t) len - 1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return (jint) n;
}

/* Same answer as HotSpot on Linux (os::get_temp_directory). */
JNIEXPORT jstring JNICALL JVM_GetTemporaryDirectory(JNIEnv *env) {
    return (*env)->NewStringUTF(env, "/tmp");
}

/* The JDK libraries here are real shared objects, so callers must look for their siblings on disk. */
JNIEXPORT jboolean JNICALL JVM_IsStaticallyLinked(void) {
    return JNI_FALSE;
}

/* HotSpot's default on Linux; the image does its own cgroup handling (libsvm_container). */
JNIEXPORT jboolean JNICALL JVM_IsUseContainerSupport(void) {
    return JNI_TRUE;
}

/* libjava's registerNatives maps System.arraycopy here; route it back through Java. */
JNIEXPORT void JNICALL JVM_ArrayCopy(JNIEnv *env, jclass ignored, jobject src, jint src_pos, jobject dst, jint dst_pos,
                                     jint length) {
    (void) ignored;
    jclass system = (*env)->FindClass(env, "java/lang/System");
    jmethodID copy = system == NULL ? NULL
                                    : (*env)->GetStaticMethodID(env, system, "arraycopy",
                                                                "(Ljava/lang/Object;ILjava/lang/Object;II)V");
    if (copy == NULL) {
        (*env)->FatalError(env, "JVM_ArrayCopy: java.lang.System.arraycopy not found");
        return;
    }
    (*env)->CallStaticVoidMethod(env, system, copy, src, src_pos, dst, dst_pos, length);
}

/* ---- native libraries ---- */

JNIEXPORT void *JNICALL JVM_FindLibraryEntry(void *handle, const char *name) {
    return dlsym(handle, name);
}

/* HotSpot leaves paths alone on Linux (os::native_path). */
JNIEXPORT char *JNICALL JVM_NativePath(char *path) {
    return path;
}

/*
 * JNI_OnLoad_<lib> for the JDK libraries the image treats as built in. The image calls these
 * instead of each library's JNI_OnLoad, so forward to the real one (libnet initialises its
 * IPv4/IPv6 state there) through a handle on that very library: every libX.so exports the same
 * name "JNI_OnLoad", and a lookup by handle also searches the library's dependencies, hence the
 * check that the symbol really lives in libX.so. Dynamic JDK libraries answer JNI 1.2, but a
 * built-in library must answer at least 1.8 or the image rejects it.
 */
__attribute__((visibility("hidden"))) jint bedrock_forward_onload(JavaVM *vm, void *reserved, const char *soname) {
    /* libmanagement_ext's JNI_OnLoad asks HotSpot for its management interface (JVM_GetManagement), which a native
     * image does not have; the OperatingSystemImpl functions the image calls (CPU load, file descriptors) read /proc
     * and never use it. */
    if (strcmp(soname, "libmanagement_ext.so") == 0) {
        return JNI_VERSION_1_8;
    }
    void *handle = dlopen(soname, RTLD_LAZY | RTLD_NOLOAD);
    if (handle == NULL) {
        return JNI_VERSION_1_8; /* not loaded: nothing to initialise */
    }
    jint result = JNI_VERSION_1_8;
    struct link_map *lib = NULL, *owner = NULL;
    void *onload = dlsym(handle, "JNI_OnLoad");
    Dl_info info;
    if (onload != NULL && dlinfo(handle, RTLD_DI_LINKMAP, &lib) == 0 &&
        dladdr1(onload, &info, (void **) &owner, RTLD_DL_LINKMAP) != 0 && owner == lib) {
        jint version = ((jint(JNICALL *)(JavaVM *, void *)) onload)(vm, reserved);
        if (version < 0) {
            result = version; /* JNI_ERR etc.: let the image report the failure */
        }
    }
    dlclose(handle); /* only drops the reference dlopen(RTLD_NOLOAD) added */
    return result;
}

/* ---- raw monitors (libzip's zip_util), HotSpot semantics: reentrant, 0 = success ---- */

JNIEXPORT void *JNICALL JVM_RawMonitorCreate(void) {
    pthread_mutex_t *m = malloc(sizeof(*m));
    pthread_mutexattr_t attr;
    if (m != NULL) {
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutex_init(m, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    return m;
}

JNIEXPORT void JNICALL JVM_RawMonitorDestroy(void *mon) {
    if (mon != NULL) {
        pthread_mutex_destroy(mon);
        free(mon);
    }
}

JNIEXPORT jint JNICALL JVM_RawMonitorEnter(void *mon) {
    return pthread_mutex_lock(mon) == 0 ? 0 : -1;
}

JNIEXPORT void JNICALL JVM_RawMonitorExit(void *mon) {
    pthread_mutex_unlock(mon);
}

/* ---- sockets (pre-JDK 11 libnet entry points; kept because SubstrateVM's libjvm has them) ---- */

JNIEXPORT jint JNICALL JVM_InitializeSocketLibrary(void) {
    return 0;
}

JNIEXPORT jint JNICALL JVM_Socket(jint domain, jint type, jint protocol) {
    return socket(domain, type, protocol);
}

JNIEXPORT jint JNICALL JVM_SocketClose(jint fd) {
    return close(fd);
}

JNIEXPORT jint JNICALL JVM_SocketShutdown(jint fd, jint howto) {
    return shutdown(fd, howto);
}

JNIEXPORT jint JNICALL JVM_Send(jint fd, char *buf, size_t n, unsigned int flags) {
    return RESTARTABLE(send(fd, buf, n, (int) flags));
}

JNIEXPORT jint JNICALL JVM_Connect(jint fd, struct sockaddr *addr, socklen_t len) {
    return RESTARTABLE(connect(fd, addr, len));
}

JNIEXPORT jint JNICALL JVM_Listen(jint fd, jint count) {
    return listen(fd, count);
}

JNIEXPORT jint JNICALL JVM_GetSockName(jint fd, struct sockaddr *addr, socklen_t *len) {
    return getsockname(fd, addr, len);
}

JNIEXPORT jint JNICALL JVM_GetSockOpt(jint fd, int level, int optname, char *optval, socklen_t *optlen) {
    return getsockopt(fd, level, optname, optval, optlen);
}

JNIEXPORT jint JNICALL JVM_SetSockOpt(jint fd, int level, int optname, const char *optval, socklen_t optlen) {
    return setsockopt(fd, level, optname, optval, optlen);
}

/* 1 and the readable byte count in *pbytes, or 0 on error (HotSpot's convention). */
JNIEXPORT jint JNICALL JVM_SocketAvailable(jint fd, jint *pbytes) {
    if (fd < 0) {
        return 0;
    }
    return RESTARTABLE(ioctl(fd, FIONREAD, pbytes)) == -1 ? 0 : 1;
}

JNIEXPORT jint JNICALL JVM_GetHostName(char *name, int namelen) {
    return gethostname(name, (size_t) namelen);
}

/* ---- class-name verification: only the class loader (not present in an image) needs these ---- */

JNIEXPORT jboolean VerifyClassname(char *name, jboolean allowArrayClass) {
    (void) name, (void) allowArrayClass;
    bedrock_unavailable("VerifyClassname");
}

JNIEXPORT jboolean VerifyFixClassname(char *name) {
    (void) name;
    bedrock_unavailable("VerifyFixClassname");
}

/* ---- jio_*: HotSpot's printf wrappers; snprintf reports truncation as -1 ---- */

JNIEXPORT int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
    if ((intptr_t) count <= 0) {
        return -1;
    }
    int result = vsnprintf(str, count, fmt, args);
    if (result < 0 || (size_t) result >= count) {
        str[count - 1] = '\0';
        return -1;
    }
    return result;
}

JNIEXPORT int jio_snprintf(char *str, size_t count, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int result = jio_vsnprintf(str, count, fmt, args);
    va_end(args);
    return result;
}

JNIEXPORT int jio_vfprintf(FILE *f, const char *fmt, va_list args) {
    return vfprintf(f, fmt, args);
}

JNIEXPORT int jio_fprintf(FILE *f, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int result = jio_vfprintf(f, fmt, args);
    va_end(args);
    return result;
}
