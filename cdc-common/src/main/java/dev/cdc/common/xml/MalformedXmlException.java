package dev.cdc.common.xml;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamException;

/**
 * A document the extractor refuses: not well-formed, a DTD, too large or too deep, or a value that does not fit its
 * field. Permanent for that document (never retried); the message is a short reason for the DLQ record and never
 * carries more of the document than the one bad value.
 */
public final class MalformedXmlException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 80;

    private MalformedXmlException(String message, Throwable cause) {
        super(message, cause);
    }

    static MalformedXmlException notWellFormed(XMLStreamException e) {
        // the JDK's message is "ParseError at [row,col]:[1,7]\nMessage: <reason>"; keep the reason, say where
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("Message: ");
        String reason = at < 0 ? message : message.substring(at + "Message: ".length());
        Location where = e.getLocation();
        String position = where == null ? "" : " at line " + where.getLineNumber() + ", column " + where.getColumnNumber();
        return new MalformedXmlException("not well-formed XML" + position + ": " + reason.strip(), e);
    }

    static MalformedXmlException doctype() {
        return new MalformedXmlException("a DOCTYPE is not allowed (DTDs are refused: no external entities, no entity expansion)", null);
    }

    static MalformedXmlException entityReference(String name) {
        return new MalformedXmlException("entity reference &" + name + "; is not allowed (only the predefined entities and character references)", null);
    }

    static MalformedXmlException tooLarge(long maxBytes) {
        return new MalformedXmlException("document is larger than the limit of " + maxBytes + " UTF-8 bytes", null);
    }

    static MalformedXmlException tooDeep(int maxDepth) {
        return new MalformedXmlException("elements are nested deeper than " + maxDepth + " levels", null);
    }

    static MalformedXmlException badValue(String field, long lineNo, String text, IllegalArgumentException why) {
        String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
        return new MalformedXmlException("field " + field + " of line_no " + lineNo + ": " + why.getMessage()
                + ", was \"" + shown + "\"", why);
    }
}
