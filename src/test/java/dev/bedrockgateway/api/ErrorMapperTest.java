package dev.bedrockgateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpClosedException;

/** The mapper's last resort tells a client that hung up from a failure of the gateway. */
class ErrorMapperTest {

    /** Regression: a client closing mid-body was logged as an unexpected failure with its stack trace (a 500). */
    @Test
    void aClientThatHungUpMidBodyIsNotAnInternalError() {
        IOException readFailure = new IOException(new IOException(new HttpClosedException("Connection was closed")));
        assertEquals(499, new ErrorMapper().unexpected(readFailure, null).getStatus());
        assertEquals(500, new ErrorMapper().unexpected(new IllegalStateException("a bug"), null).getStatus());
    }
}
