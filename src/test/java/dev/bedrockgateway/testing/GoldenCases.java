package dev.bedrockgateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The golden cases under a directory of src/test/resources/golden: one sub-directory per case. */
public final class GoldenCases {

    private GoldenCases() {
    }

    /** The case directories under {@code root}, by name. */
    public static Stream<String> under(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }
}
