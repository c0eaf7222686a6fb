package dev.cdc.generator.xml;

import java.util.List;
import java.util.Map;

/**
 * An XML column value the simulator wrote, and the rows a correct extraction of it yields. The rows come from the
 * simulator's own model, never from parsing the text, so they are an independent check of the extraction.
 */
public interface XmlDocument {

    /** The text stored in the column. */
    String text();

    /** The extracted rows for the parent row {@code parentKey}; empty for an empty or malformed document. */
    List<Map<String, Object>> rows(long parentKey);

    /** True when the text is not well-formed XML: the extraction must send it to the DLQ. */
    default boolean malformed() {
        return false;
    }

    /** A document that is not well-formed XML (the malformed-XML scenario). */
    static XmlDocument malformed(String text) {
        return new XmlDocument() {
            @Override
            public String text() {
                return text;
            }

            @Override
            public List<Map<String, Object>> rows(long parentKey) {
                return List.of();
            }

            @Override
            public boolean malformed() {
                return true;
            }
        };
    }
}
