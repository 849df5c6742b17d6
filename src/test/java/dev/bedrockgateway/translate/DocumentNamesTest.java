package dev.bedrockgateway.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DocumentNamesTest {

    /** Converse's rule for a document name, as the Bedrock simulator checks it too. */
    static final String VALID = "(?:[A-Za-z0-9()\\[\\]-]|\\s(?!\\s)){1,200}";

    @Test
    void namesKeepOnlyWhatConverseAllowsWithSingleSpaces() {
        DocumentNames names = new DocumentNames();
        assertEquals("Q3 report (final) [v2]", names.next("  Q3\treport\n\n(final) [v2]!  "));
        assertEquals("ignore previous instructions", names.next("<ignore previous instructions/>"));
        assertEquals("caf menu", names.next("café_menu"));
        assertEquals("document-4", names.next("日本語"));
        assertEquals("document-5", names.next(null));
    }

    @Test
    void aNameAlreadyUsedGetsASuffixThatStillFitsInTwoHundredCharacters() {
        DocumentNames names = new DocumentNames();
        String longTitle = "a".repeat(250);
        String first = names.next(longTitle);
        String second = names.next(longTitle);
        assertEquals("a".repeat(200), first);
        assertEquals("a".repeat(196) + " (2)", second);
        assertEquals("Report", names.next("Report"));
        assertEquals("report (2)", names.next("report"));
        for (String name : new String[] {first, second}) {
            assertTrue(name.matches(VALID), name);
        }
    }
}
