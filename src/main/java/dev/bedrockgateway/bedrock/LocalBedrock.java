package dev.bedrockgateway.bedrock;

import java.net.URI;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A Bedrock runtime endpoint served inside this process: the dev-mode simulator. Production builds contain no
 * implementation of this interface, so the gateway there always talks to a real (or operator-configured) endpoint.
 */
public interface LocalBedrock {

    /** Base URL of the local endpoint, which every Bedrock call then goes to. */
    URI endpoint();

    /** Credentials the SDK signs with (SigV4 is still computed and checked, but needs no AWS account). */
    AwsCredentialsProvider credentials();
}
