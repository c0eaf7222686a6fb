package dev.cdc.common.xml;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Applies an {@link XmlExtraction} to one document: streams it with StAX and returns one row per repeating
 * element, so memory follows one repeating element, not the document. Stateless and thread-safe: one instance may
 * serve every thread.
 *
 * <p>Refused, as {@link MalformedXmlException}: a document that is not well-formed, has a DOCTYPE (any DTD, so no
 * external entity and no entity expansion can happen), refers to an entity other than the five predefined ones, is
 * larger than the rule's {@code maxBytes}, nests elements deeper than {@value #MAX_DEPTH}, or has a field value its
 * type can't take. The caller applies the rule's {@link MalformedPolicy}.
 */
public final class XmlExtractor {

    public static final int MAX_DEPTH = 256;

    /** Configured once; the JDK's factory makes a new reader per call, so sharing it is safe. */
    private static final XMLInputFactory FACTORY = secureFactory();

    /**
     * The rows of {@code document}, in document order: {@code parentKey} column, {@code line_no} (a Long from 1),
     * then each field (typed value, or null when absent). A null or blank document has no rows.
     *
     * @throws MalformedXmlException when the document is refused (see the class comment)
     */
    public List<Map<String, Object>> extract(XmlExtraction rule, Object parentKey, String document) {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(parentKey, "parentKey");
        // NULL is the usual "no document"; an empty CLOB says the same
        if (document == null || document.isBlank()) {
            return List.of();
        }
        if (exceeds(document, rule.maxBytes())) {
            throw MalformedXmlException.tooLarge(rule.maxBytes());
        }
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(document));
            try {
                return new Walk(rule, parentKey, reader).rows();
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw MalformedXmlException.notWellFormed(e);
        }
    }

    /** Whether the UTF-8 encoding of {@code text} is longer than {@code max} bytes, without encoding it. */
    static boolean exceeds(String text, long max) {
        if ((long) text.length() * 3 <= max) {
            return false; // no UTF-16 unit takes more than 3 bytes (a surrogate pair takes 4 for 2 units)
        }
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes <= max; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes > max;
    }

    private static XMLInputFactory secureFactory() {
        // the JDK's own StAX, whatever provider an engine's class path would offer through the service loader
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // an entity reference is reported instead of replaced, so it is refused rather than resolved
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        // our own depth limit applies, with its own message (newer JDKs stop at 100 by default)
        factory.setProperty("jdk.xml.maxElementDepth", 0);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resource refused: " + systemId);
        });
        return factory;
    }

    /** Internal: one pass over one document. */
    private static final class Walk {

        private final XmlExtraction rule;
        private final Object parentKey;
        private final XMLStreamReader reader;
        private final RepeatingPath repeating;
        private final FieldSource[] sources;
        /** Field {@code f}'s alternatives are {@code sources[first[f]] .. sources[first[f + 1] - 1]}. */
        private final int[] first;
        private final String[] open = new String[MAX_DEPTH];
        private final List<Map<String, Object>> rows = new ArrayList<>();
        private int depth;
        /** Depth of the repeating element being read, or -1 outside one. */
        private int itemDepth = -1;
        /** Per source, inside a repeating element: its value, once found. */
        private final String[] found;
        /** Per source: the text being collected while inside its element, else null. */
        private final StringBuilder[] text;
        /** Per source: whether the element being collected has child elements. */
        private final boolean[] hasChildren;

        Walk(XmlExtraction rule, Object parentKey, XMLStreamReader reader) {
            this.rule = rule;
            this.parentKey = parentKey;
            this.reader = reader;
            this.repeating = RepeatingPath.parse(rule.repeating());
            List<FieldSource> all = new ArrayList<>();
            first = new int[rule.fields().size() + 1];
            for (int f = 0; f < rule.fields().size(); f++) {
                first[f] = all.size();
                all.addAll(rule.fields().get(f).sources());
            }
            first[rule.fields().size()] = all.size();
            sources = all.toArray(FieldSource[]::new);
            found = new String[sources.length];
            text = new StringBuilder[sources.length];
            hasChildren = new boolean[sources.length];
        }

        List<Map<String, Object>> rows() throws XMLStreamException {
            while (reader.hasNext()) {
                switch (reader.next()) {
                    case XMLStreamConstants.START_ELEMENT -> start();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> characters();
                    case XMLStreamConstants.END_ELEMENT -> end();
                    case XMLStreamConstants.DTD -> throw MalformedXmlException.doctype();
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw MalformedXmlException.entityReference(reader.getLocalName());
                    default -> {
                        // comments, processing instructions, document start and end carry no values
                    }
                }
            }
            return rows;
        }

        private void start() {
            if (depth == MAX_DEPTH) {
                throw MalformedXmlException.tooDeep(MAX_DEPTH);
            }
            open[depth++] = reader.getLocalName();
            if (itemDepth < 0) {
                if (!repeating.matches(open, depth)) {
                    return;
                }
                itemDepth = depth;
                Arrays.fill(found, null);
            }
            int below = depth - itemDepth;
            for (int s = 0; s < sources.length; s++) {
                FieldSource source = sources[s];
                if (text[s] != null && source.elements().size() == below - 1) {
                    hasChildren[s] = true;
                } else if (found[s] == null && text[s] == null && source.elements().size() == below && leadsHere(source)) {
                    if (source.attribute() == null) {
                        text[s] = new StringBuilder();
                        hasChildren[s] = false;
                    } else {
                        found[s] = reader.getAttributeValue(null, source.attribute()); // null namespace: any
                    }
                }
            }
        }

        /** Whether the open elements below the repeating one are the source's elements. */
        private boolean leadsHere(FieldSource source) {
            for (int i = 0; i < source.elements().size(); i++) {
                if (!open[itemDepth + i].equals(source.elements().get(i))) {
                    return false;
                }
            }
            return true;
        }

        private void characters() {
            if (itemDepth < 0) {
                return;
            }
            int below = depth - itemDepth;
            for (int s = 0; s < sources.length; s++) {
                if (text[s] != null && sources[s].elements().size() == below) {
                    text[s].append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                }
            }
        }

        private void end() {
            if (itemDepth >= 0) {
                int below = depth - itemDepth;
                for (int s = 0; s < sources.length; s++) {
                    if (text[s] != null && sources[s].elements().size() == below) {
                        String value = text[s].toString();
                        text[s] = null;
                        // whitespace between child elements is layout, not a value
                        if (!(hasChildren[s] && value.isBlank())) {
                            found[s] = value;
                        }
                    }
                }
                if (below == 0) {
                    rows.add(row());
                    itemDepth = -1;
                }
            }
            depth--;
        }

        private Map<String, Object> row() {
            long lineNo = rows.size() + 1L;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(rule.parentKey(), parentKey);
            row.put(XmlExtraction.LINE_NO, lineNo);
            for (int f = 0; f < rule.fields().size(); f++) {
                XmlField field = rule.fields().get(f);
                String value = null;
                for (int s = first[f]; s < first[f + 1] && value == null; s++) {
                    value = found[s];
                }
                try {
                    row.put(field.column(), value == null ? null : field.type().convert(value));
                } catch (IllegalArgumentException e) {
                    throw MalformedXmlException.badValue(field.column(), lineNo, value, e);
                }
            }
            return row;
        }
    }
}
