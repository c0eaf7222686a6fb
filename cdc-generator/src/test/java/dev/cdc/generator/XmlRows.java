package dev.cdc.generator;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Test support: the rows an XML column must yield, parsed from the document text with the JDK's DOM parser (DTDs
 * refused, no external entities), independently of the simulator's model. A field is the repeating element's
 * attribute, else its child element's text, else null. Returns null for a document that is not well-formed.
 */
final class XmlRows {

    private static final DocumentBuilderFactory FACTORY = secureFactory();
    private static final XPathExpression ITEMS = compile("//item");
    private static final XPathExpression ADDRESSES = compile("//address");

    private XmlRows() {
    }

    /** {@code //item} of SHIPPING_INFO: order_id, line_no, product_id, quantity, unit_price. */
    static List<Map<String, Object>> shippingItems(long orderId, String xml) {
        return rows(xml, ITEMS, orderId, "order_id", item -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("product_id", map(field(item, "product_id"), Long::valueOf));
            row.put("quantity", map(field(item, "quantity"), Long::valueOf));
            row.put("unit_price", map(field(item, "unit_price"), BigDecimal::new));
            return row;
        });
    }

    /** {@code //address} of ADDRESSES: customer_id, line_no, address_type, street, city, zip. */
    static List<Map<String, Object>> addresses(long customerId, String xml) {
        return rows(xml, ADDRESSES, customerId, "customer_id", address -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("address_type", field(address, "type"));
            row.put("street", field(address, "street"));
            row.put("city", field(address, "city"));
            row.put("zip", field(address, "zip"));
            return row;
        });
    }

    /** True when the text is well-formed XML. */
    static boolean wellFormed(String xml) {
        return parse(xml) != null;
    }

    private static List<Map<String, Object>> rows(String xml, XPathExpression xpath, long parentKey, String parentColumn,
                                                  Function<Element, Map<String, Object>> fields) {
        Document doc = parse(xml);
        if (doc == null) {
            return null;
        }
        NodeList nodes;
        try {
            nodes = (NodeList) xpath.evaluate(doc, XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new IllegalStateException(e);
        }
        List<Map<String, Object>> out = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(parentColumn, parentKey);
            row.put("line_no", (long) i + 1);
            row.putAll(fields.apply((Element) nodes.item(i)));
            out.add(row);
        }
        return out;
    }

    private static XPathExpression compile(String xpath) {
        try {
            return XPathFactory.newInstance().newXPath().compile(xpath);
        } catch (XPathExpressionException e) {
            throw new IllegalStateException(xpath, e);
        }
    }

    private static String field(Element element, String name) {
        if (element.hasAttribute(name)) {
            return element.getAttribute(name);
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent();
            }
        }
        return null;
    }

    private static <T> T map(String text, Function<String, T> parse) {
        return text == null ? null : parse.apply(text.trim());
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            return null;
        } catch (IOException | ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DocumentBuilderFactory secureFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parser reports errors to stderr by default; a malformed document is an expected outcome here. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
