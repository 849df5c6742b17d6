package dev.bedrockgateway.nativeimage;

import software.amazon.awssdk.checksums.SdkChecksum;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * The AWS SDK's checksums in the native executable. The SDK uses the AWS Common Runtime (aws-crt) for some checksums
 * when that optional library is present; it is not a dependency of the gateway (whose calls to Bedrock carry no
 * checksums), and the native build links every class at build time. So the methods that would reach it say so instead,
 * as the SDK itself does when aws-crt is missing; the pure-Java checksums stay.
 */
final class AwsCrtSubstitutions {

    private AwsCrtSubstitutions() {
    }

    @TargetClass(className = "software.amazon.awssdk.checksums.internal.ChecksumProvider")
    static final class Target_ChecksumProvider {

        @Substitute
        static SdkChecksum createCrtCrc32C() {
            throw missing("CRC32C");
        }

        @Substitute
        static SdkChecksum crc64NvmeCrtImplementation() {
            throw missing("CRC64NVME");
        }

        @Substitute
        public static SdkChecksum xxHash64CrtImplementation() {
            throw missing("XXHASH64");
        }

        @Substitute
        public static SdkChecksum xxHash3CrtImplementation() {
            throw missing("XXHASH3");
        }

        @Substitute
        public static SdkChecksum xxHash128CrtImplementation() {
            throw missing("XXHASH128");
        }
    }

    static IllegalStateException missing(String algorithm) {
        return new IllegalStateException(algorithm + " needs software.amazon.awssdk.crt:aws-crt, which the gateway does not include");
    }
}
