/*
 * bedrock-gateway verification toolchain: sun.misc.Signal support for SubstrateVM (libchelper).
 *
 * The handler runs on whatever thread the kernel picks, without any isolate or heap context, so
 * it lives in C: it only bumps a per-signal counter and posts a semaphore (both async-signal-safe).
 * A Java dispatcher thread waits on the semaphore and drains the counters. Only one isolate per
 * process can own this machinery, hence the claim flag.
 */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>

static int claimed;                 /* 0 = free, 1 = owned by an isolate */
static long pending[NSIG];          /* signals received but not yet dispatched */
static sem_t wakeup;

bool cSunMiscSignal_signalRangeCheck(int sig) {
    return sig > 0 && sig < NSIG;
}

/* 0 on success, 1 if another isolate owns the mechanism, -1 on error. */
int cSunMiscSignal_open(void) {
    int expected = 0;
    if (!__atomic_compare_exchange_n(&claimed, &expected, 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        return 1;
    }
    for (int i = 0; i < NSIG; i++) {
        __atomic_store_n(&pending[i], 0, __ATOMIC_RELAXED);
    }
    if (sem_init(&wakeup, 0, 0) != 0) {
        __atomic_store_n(&claimed, 0, __ATOMIC_SEQ_CST);
        return -1;
    }
    return 0;
}

int cSunMiscSignal_close(void) {
    int result = sem_destroy(&wakeup);
    if (result == 0) {
        __atomic_store_n(&claimed, 0, __ATOMIC_SEQ_CST);
    }
    return result;
}

int cSunMiscSignal_awaitSemaphore(void) {
    int result = sem_wait(&wakeup);
    /* An interrupted wait just makes the dispatcher re-scan the counters. */
    return (result == -1 && errno == EINTR) ? 0 : result;
}

int cSunMiscSignal_signalSemaphore(void) {
    return sem_post(&wakeup);
}

/* Only the single dispatcher thread decrements, so "> 0 then decrement" cannot underflow. */
int cSunMiscSignal_checkPendingSignal(void) {
    for (int i = 1; i < NSIG; i++) {
        if (__atomic_load_n(&pending[i], __ATOMIC_ACQUIRE) > 0) {
            __atomic_fetch_sub(&pending[i], 1, __ATOMIC_ACQ_REL);
            return i;
        }
    }
    return -1;
}

static void handler(int sig) {
    int saved = errno; /* sem_post may clobber errno of the interrupted code */
    if (cSunMiscSignal_signalRangeCheck(sig)) {
        __atomic_fetch_add(&pending[sig], 1, __ATOMIC_ACQ_REL);
        sem_post(&wakeup);
    }
    errno = saved;
}

typedef void (*signal_handler_t)(int);

signal_handler_t cSunMiscSignal_signalHandlerFunctionPointer(void) {
    return handler;
}
