/*
 * bedrock-gateway verification toolchain: CPU feature detection for SubstrateVM (libchelper).
 *
 * The image was compiled for a set of x86 features; at startup it calls checkCPUFeatures() with a
 * mask derived from the CPUFeatures struct and refuses to run if the host lacks one. The builder
 * gets its own notion of the host's features from HotSpot (JVMCI), so the flags below follow
 * HotSpot's rules (vm_version_x86) rather than the raw CPUID bits: a feature counts only if the CPU
 * reports it *and* the OS saves the register state it needs (XCR0), and a few vendor quirks apply.
 * Otherwise an image built with -march=native could reject the very machine it was built on.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amd64cpufeatures.h"

/* One byte per feature (65 in GraalVM 25.0.2). Fail the build if the builder adds one we do not fill. */
_Static_assert(sizeof(CPUFeatures) == 65, "CPUFeatures changed: update chelper_cpu.c");

#define BIT(reg, n) (((reg) >> (n)) & 1u)

typedef struct { uint32_t a, b, c, d; } regs_t;

static regs_t cpuid(uint32_t leaf, uint32_t subleaf, uint32_t max) {
    regs_t r = {0, 0, 0, 0};
    if (leaf <= max) {
        __cpuid_count(leaf, subleaf, r.a, r.b, r.c, r.d);
    }
    return r;
}

/* Vendor ids are the EBX part of the leaf-0 vendor string. */
#define VENDOR_INTEL 0x756e6547u /* "Genu" */
#define VENDOR_AMD 0x68747541u   /* "Auth" */
#define VENDOR_HYGON 0x6f677948u /* "Hygo" */
#define VENDOR_CENTAUR 0x746e6543u /* "Cent" (Zhaoxin) */
#define VENDOR_SHANGHAI 0x68532020u /* "  Sh" (Zhaoxin) */

/* HT means "more than one hardware thread per core", computed the way HotSpot does. */
static unsigned threads_per_core(uint32_t vendor, uint32_t family, uint32_t max, uint32_t ext_max) {
    int intel_like = vendor == VENDOR_INTEL || vendor == VENDOR_CENTAUR || vendor == VENDOR_SHANGHAI;
    regs_t l1 = cpuid(1, 0, max);
    regs_t topo0 = cpuid(0xb, 0, max);
    unsigned smt = topo0.b & 0xffff;              /* logical CPUs at the SMT level */
    int topology = max >= 0xb && smt != 0;
    unsigned result = 1;
    if (intel_like && topology) {
        result = smt;
    } else if (BIT(l1.d, 28)) {                   /* HTT: EBX[23:16] is meaningful */
        if (family >= 0x17) {                     /* AMD Zen and later report it directly */
            result = ((cpuid(0x8000001e, 0, ext_max).b >> 8) & 0xff) + 1;
        } else {
            unsigned cores = 1;
            if (intel_like) {
                regs_t topo1 = cpuid(0xb, 1, max);
                cores = topology ? (topo1.b & 0xffff) / smt : 0;
                if (cores == 0) {
                    cores = (cpuid(4, 0, max).a >> 26) + 1;
                }
            } else if (vendor == VENDOR_AMD || vendor == VENDOR_HYGON) {
                cores = (cpuid(0x80000008, 0, ext_max).c & 0xff) + 1;
            }
            result = ((l1.b >> 16) & 0xff) / cores;
        }
    }
    return result == 0 ? 1 : result;
}

void determineCPUFeatures(CPUFeatures *f) {
    uint32_t vendor;
    uint32_t max = __get_cpuid_max(0, &vendor);
    uint32_t ext_max = __get_cpuid_max(0x80000000, NULL);
    regs_t l1 = cpuid(1, 0, max);
    regs_t l7 = cpuid(7, 0, max);
    regs_t l7s1 = cpuid(7, 1, max);
    regs_t l24 = cpuid(0x24, 0, max);
    regs_t l29 = cpuid(0x29, 0, max);
    regs_t e1 = cpuid(0x80000001, 0, ext_max);
    regs_t e7 = cpuid(0x80000007, 0, ext_max);

    int intel = vendor == VENDOR_INTEL;
    int amd_family = vendor == VENDOR_AMD || vendor == VENDOR_HYGON;
    uint32_t family = ((l1.a >> 8) & 0xf) + ((l1.a >> 20) & 0xff);
    uint32_t model = ((l1.a >> 4) & 0xf) | (((l1.a >> 16) & 0xf) << 4);

    /* XCR0 tells which register files the kernel saves on context switch; without that the
     * instructions may work but their state would be corrupted, so the feature is unusable. */
    uint64_t xcr0 = 0;
    if (BIT(l1.c, 27)) { /* OSXSAVE: xgetbv is allowed */
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((uint64_t) hi << 32) | lo;
    }
    int os_avx = (xcr0 & 0x6) == 0x6;        /* XMM + YMM state */
    int os_avx512 = (xcr0 & 0xe0) == 0xe0;   /* opmask + ZMM_Hi256 + Hi16_ZMM state */
    int os_apx = (xcr0 >> 19) & 1;           /* extended GPR state */

    f->fTSC = BIT(l1.d, 4);
    f->fCX8 = BIT(l1.d, 8);
    f->fCMOV = BIT(l1.d, 15);
    f->fFLUSH = BIT(l1.d, 19);
    f->fMMX = BIT(l1.d, 23) || (amd_family && BIT(e1.d, 23));
    f->fFXSR = BIT(l1.d, 24) || (amd_family && BIT(e1.d, 24));
    f->fSSE = BIT(l1.d, 25);
    f->fSSE2 = BIT(l1.d, 26);
    f->fSSE3 = BIT(l1.c, 0);
    f->fCLMUL = BIT(l1.c, 1);
    f->fSSSE3 = BIT(l1.c, 9);
    f->fFMA = BIT(l1.c, 12);
    f->fSSE4_1 = BIT(l1.c, 19);
    f->fSSE4_2 = BIT(l1.c, 20);
    f->fPOPCNT = BIT(l1.c, 23);
    f->fAES = BIT(l1.c, 25);
    f->fHV = BIT(l1.c, 31);
    f->fHT = threads_per_core(vendor, family, max, ext_max) > 1;

    f->fBMI1 = BIT(l7.b, 3);
    f->fBMI2 = BIT(l7.b, 8);
    f->fERMS = BIT(l7.b, 9);
    f->fRTM = BIT(l7.b, 11);
    f->fADX = BIT(l7.b, 19);
    f->fFLUSHOPT = BIT(l7.b, 23);
    f->fCLWB = BIT(l7.b, 24) && vendor != VENDOR_CENTAUR && vendor != VENDOR_SHANGHAI;
    f->fSHA = BIT(l7.b, 29);
    f->fPKU = BIT(l7.c, 3);
    f->fOSPKE = BIT(l7.c, 4);
    f->fCET_SS = BIT(l7.c, 7);
    f->fRDPID = BIT(l7.c, 22);
    f->fFSRM = BIT(l7.d, 4);
    f->fCET_IBT = BIT(l7.d, 20);

    f->fLZCNT = BIT(e1.c, 5);
    f->fAMD_3DNOW_PREFETCH = BIT(e1.c, 8) || (amd_family && BIT(e1.d, 31));
    f->fSSE4A = amd_family && BIT(e1.c, 6);
    f->fRDTSCP = BIT(e1.d, 27);
    f->fTSCINV_BIT = BIT(e7.d, 8);

    if (intel) {
        f->fSERIALIZE = BIT(l7.d, 14);
        f->fAVX512_FP16 = BIT(l7.d, 23);
    }
    f->fAPX_F = BIT(l7s1.d, 21) && os_apx && BIT(l29.b, 0);

    if (BIT(l1.c, 28) && os_avx) {
        f->fAVX = 1;
        f->fVZEROUPPER = 1;
        f->fF16C = BIT(l1.c, 29);
        f->fAVX2 = BIT(l7.b, 5);
        f->fGFNI = BIT(l7.c, 8);
        f->fSHA512 = BIT(l7s1.a, 0);
        f->fAVX_IFMA = BIT(l7s1.a, 23);
        if (BIT(l7.b, 16) && os_avx512) {
            f->fAVX512F = 1;
            f->fAVX512DQ = BIT(l7.b, 17);
            f->fAVX512_IFMA = BIT(l7.b, 21);
            f->fAVX512PF = BIT(l7.b, 26);
            f->fAVX512ER = BIT(l7.b, 27);
            f->fAVX512CD = BIT(l7.b, 28);
            f->fAVX512BW = BIT(l7.b, 30);
            f->fAVX512VL = BIT(l7.b, 31);
            f->fAVX512_VBMI = BIT(l7.c, 1);
            f->fAVX512_VBMI2 = BIT(l7.c, 6);
            f->fAVX512_VAES = BIT(l7.c, 9);
            f->fAVX512_VPCLMULQDQ = BIT(l7.c, 10);
            f->fAVX512_VNNI = BIT(l7.c, 11);
            f->fAVX512_BITALG = BIT(l7.c, 12);
            f->fAVX512_VPOPCNTDQ = BIT(l7.c, 14);
        }
        /* AVX10/512 guarantees the whole AVX-512 family; HotSpot then reports every AVX-512 flag
         * (including the Xeon Phi PF/ER ones), and we must agree with the builder. */
        if (intel && BIT(l7s1.d, 19) && BIT(l24.b, 18) && (l24.b & 0xff) >= 1 && os_avx512) {
            f->fAVX10_1 = f->fAVX_IFMA = f->fAVX512F = f->fAVX512CD = f->fAVX512DQ = 1;
            f->fAVX512_IFMA = f->fAVX512PF = f->fAVX512ER = f->fAVX512BW = f->fAVX512VL = 1;
            f->fAVX512_VPOPCNTDQ = f->fAVX512_VPCLMULQDQ = f->fAVX512_VAES = f->fAVX512_VNNI = 1;
            f->fAVX512_BITALG = f->fAVX512_VBMI = f->fAVX512_VBMI2 = 1;
            f->fAVX10_2 = (l24.b & 0xff) >= 2;
        }
    }

    /* Invariant TSC is only trusted where it is known to be synchronised across sockets. */
    int amd_barcelona = vendor == VENDOR_AMD && family == 0x11;
    int intel_tsc_synced = intel && family == 6 &&
                           (model == 0x1a || model == 0x2c || model == 0x2d || model == 0x3a);
    f->fTSCINV = f->fTSCINV_BIT && ((amd_family && !amd_barcelona) || intel_tsc_synced);

    /* Knights Landing/Mill (Xeon Phi): HotSpot disables these even though CPUID reports some. */
    if (intel && family == 6 && (model == 0x57 || model == 0x85)) {
        f->fVZEROUPPER = f->fAVX512BW = f->fAVX512VL = f->fAVX512DQ = f->fAVX512_VNNI = 0;
        f->fAVX512_VAES = f->fAVX512_VPOPCNTDQ = f->fAVX512_VPCLMULQDQ = f->fAVX512_VBMI = 0;
        f->fAVX512_VBMI2 = f->fCLWB = f->fFLUSHOPT = f->fGFNI = f->fAVX512_BITALG = 0;
        f->fAVX512_IFMA = 0;
    }
}

/*
 * The mask is the struct rounded up to 8 bytes: 0xFE where the image requires a feature, 0xFF
 * everywhere else. Host flags are exactly 0 or 1, so (host | mask) is 0xFF for every byte iff
 * every required feature is present. Returns 0 if the host can run the image, 1 otherwise.
 */
int checkCPUFeatures(uint8_t *buildtimeFeatures) {
    union {
        CPUFeatures features;
        uint8_t bytes[(sizeof(CPUFeatures) + 7) / 8 * 8];
    } host;
    memset(&host, 0, sizeof(host));
    determineCPUFeatures(&host.features);
    for (size_t i = 0; i < sizeof(host.bytes); i++) {
        if ((uint8_t) (host.bytes[i] | buildtimeFeatures[i]) != 0xff) {
            return 1;
        }
    }
    return 0;
}

/* The Java side declares an int result; it is ignored, the process exits on failure. */
int checkCPUFeaturesOrExit(uint8_t *buildtimeFeatures, const char *errorMessage) {
    if (checkCPUFeatures(buildtimeFeatures)) {
        fputs(errorMessage, stderr);
        exit(1);
    }
    return 0;
}
