package dev.bedrockgateway.governance.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The rule that makes a roll-back safe (deploy/stores.md, "Schema migrations"): the schema is never rolled back, so an
 * older gateway must keep working on a newer schema, and every migration only adds: tables, indexes, and columns an
 * older version's inserts need not fill (nullable, or with a default). It never drops, renames, or changes a column.
 */
class MigrationsOnlyAddTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** What would break an older gateway still running on the migrated schema. */
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\bdrop\\b"),
            Pattern.compile("\\brename\\b"),
            Pattern.compile("\\balter\\s+column\\b"),
            Pattern.compile("\\btruncate\\b"),
            Pattern.compile("\\bdelete\\s+from\\b"),
            Pattern.compile("\\bupdate\\s+\\w+\\s+set\\b"),
            // an added column an older version's insert does not name: must take NULL or have a default
            Pattern.compile("\\badd\\s+(column\\s+)?(if\\s+not\\s+exists\\s+)?\\w+\\s+[^,;]*\\bnot\\s+null\\b"
                    + "(?![^,;]*\\bdefault\\b)"));

    @Test
    void everyMigrationOnlyAdds() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (var list = Files.list(MIGRATIONS)) {
            files = list.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            violations.addAll(violations(file.getFileName().toString(), Files.readString(file)));
        }
        assertEquals(List.of(), violations);
    }

    /** The check recognises what it forbids, and lets additions through. */
    @Test
    void theCheckCatchesWhatBreaksAnOlderVersion() {
        for (String sql : List.of("DROP TABLE bg_keys;", "ALTER TABLE bg_keys RENAME COLUMN alias TO name;",
                "ALTER TABLE bg_keys ALTER COLUMN spend TYPE numeric;", "alter table bg_keys drop column x;",
                "ALTER TABLE bg_keys ADD COLUMN owner text NOT NULL;", "DELETE FROM bg_keys;",
                "UPDATE bg_keys SET spend = 0;")) {
            assertEquals(1, violations("V9__x.sql", sql).size(), sql);
        }
        for (String sql : List.of("CREATE TABLE IF NOT EXISTS bg_x (id text PRIMARY KEY, n int NOT NULL);",
                "CREATE INDEX bg_x_n ON bg_x (n);", "ALTER TABLE bg_keys ADD COLUMN owner text;",
                "ALTER TABLE bg_keys ADD COLUMN n int NOT NULL DEFAULT 0;",
                "-- rows are deleted by a purge; a dropped key\nCREATE TABLE bg_y (id text);")) {
            assertEquals(List.of(), violations("V9__x.sql", sql), sql);
        }
    }

    private static List<String> violations(String file, String sql) {
        String code = sql.replaceAll("--[^\\n]*", " ").replaceAll("(?s)/\\*.*?\\*/", " ").toLowerCase();
        List<String> found = new ArrayList<>();
        for (String statement : code.split(";")) {
            for (Pattern forbidden : FORBIDDEN) {
                if (forbidden.matcher(statement).find()) {
                    found.add(file + ": " + statement.strip().replaceAll("\\s+", " "));
                    break;
                }
            }
        }
        return found;
    }
}
