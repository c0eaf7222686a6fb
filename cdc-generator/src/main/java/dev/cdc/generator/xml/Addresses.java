package dev.cdc.generator.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CUSTOMERS.ADDRESSES: the customer's addresses. Extracted into {@value #TARGET_TABLE}
 * ({@code customer_id, line_no, address_type, street, city, zip}), one row per address in document order.
 *
 * @param asAttributes street, city and zip as attributes instead of child elements
 */
public record Addresses(List<Address> addresses, boolean asAttributes) implements XmlDocument {

    public static final String TARGET_TABLE = "cdc_customer_addresses_extracted";
    public static final List<String> TARGET_KEY = List.of("customer_id", "line_no");

    public record Address(String type, String street, String city, String zip) {
    }

    public Addresses {
        addresses = List.copyOf(addresses);
    }

    @Override
    public String text() {
        StringBuilder xml = new StringBuilder(64 + addresses.size() * 120);
        xml.append("<addresses>");
        for (Address a : addresses) {
            xml.append("<address type=\"");
            XmlText.append(xml, a.type());
            xml.append('"');
            if (asAttributes) {
                attribute(xml, "street", a.street());
                attribute(xml, "city", a.city());
                attribute(xml, "zip", a.zip());
                xml.append("/>");
            } else {
                xml.append('>');
                element(xml, "street", a.street());
                element(xml, "city", a.city());
                element(xml, "zip", a.zip());
                xml.append("</address>");
            }
        }
        return xml.append("</addresses>").toString();
    }

    private static void attribute(StringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append(' ').append(name).append("=\"");
            XmlText.append(xml, value);
            xml.append('"');
        }
    }

    private static void element(StringBuilder xml, String name, String value) {
        if (value != null) {
            xml.append('<').append(name).append('>');
            XmlText.append(xml, value);
            xml.append("</").append(name).append('>');
        }
    }

    @Override
    public List<Map<String, Object>> rows(long customerId) {
        List<Map<String, Object>> rows = new ArrayList<>(addresses.size());
        int line = 1;
        for (Address a : addresses) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("customer_id", customerId);
            row.put("line_no", (long) line++);
            row.put("address_type", a.type());
            row.put("street", a.street());
            row.put("city", a.city());
            row.put("zip", a.zip());
            rows.add(row);
        }
        return rows;
    }
}
