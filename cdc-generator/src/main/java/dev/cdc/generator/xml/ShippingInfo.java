package dev.cdc.generator.xml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ORDERS.SHIPPING_INFO: the shipped items and the shipping details. Extracted into
 * {@value #TARGET_TABLE} ({@code order_id, line_no, product_id, quantity, unit_price}), one row per item in
 * document order, whatever the shape.
 */
public record ShippingInfo(List<Item> items, String method, String address, int estimatedDays, Shape shape)
        implements XmlDocument {

    public static final String TARGET_TABLE = "cdc_order_items_extracted";
    public static final List<String> TARGET_KEY = List.of("order_id", "line_no");

    /** How the items are written. */
    public enum Shape {
        /** {@code <item product_id="101" quantity="2" unit_price="49.99"/>} */
        ATTRIBUTES,
        /** {@code <item><product_id>101</product_id>...</item>} */
        ELEMENTS,
        /** Items grouped in {@code <packages><package id=".."><items>}: a deeper level, same item shape as ATTRIBUTES. */
        PACKAGES
    }

    /** One item; a null field is left out of the document (the missing-attributes scenario). */
    public record Item(Long productId, Integer quantity, BigDecimal unitPrice) {
    }

    public ShippingInfo {
        items = List.copyOf(items);
    }

    @Override
    public String text() {
        StringBuilder xml = new StringBuilder(128 + items.size() * 80);
        xml.append("<shipping_info>");
        if (items.isEmpty()) {
            xml.append("<items/>");
        } else if (shape == Shape.PACKAGES) {
            xml.append("<packages>");
            int perPackage = Math.max(1, (items.size() + 1) / 2);
            for (int from = 0, no = 1; from < items.size(); from += perPackage, no++) {
                xml.append("<package id=\"PKG-").append(no).append("\"><items>");
                items.subList(from, Math.min(items.size(), from + perPackage)).forEach(i -> appendItem(xml, i, Shape.ATTRIBUTES));
                xml.append("</items></package>");
            }
            xml.append("</packages>");
        } else {
            xml.append("<items>");
            items.forEach(i -> appendItem(xml, i, shape));
            xml.append("</items>");
        }
        xml.append("<shipping><method>");
        XmlText.append(xml, method);
        xml.append("</method><address>");
        XmlText.append(xml, address);
        xml.append("</address><estimated_days>").append(estimatedDays).append("</estimated_days></shipping>");
        return xml.append("</shipping_info>").toString();
    }

    private static void appendItem(StringBuilder xml, Item item, Shape shape) {
        if (shape == Shape.ELEMENTS) {
            xml.append("<item>");
            if (item.productId() != null) {
                xml.append("<product_id>").append(item.productId()).append("</product_id>");
            }
            if (item.quantity() != null) {
                xml.append("<quantity>").append(item.quantity()).append("</quantity>");
            }
            if (item.unitPrice() != null) {
                xml.append("<unit_price>").append(item.unitPrice().toPlainString()).append("</unit_price>");
            }
            xml.append("</item>");
        } else {
            xml.append("<item");
            if (item.productId() != null) {
                xml.append(" product_id=\"").append(item.productId()).append('"');
            }
            if (item.quantity() != null) {
                xml.append(" quantity=\"").append(item.quantity()).append('"');
            }
            if (item.unitPrice() != null) {
                xml.append(" unit_price=\"").append(item.unitPrice().toPlainString()).append('"');
            }
            xml.append("/>");
        }
    }

    @Override
    public List<Map<String, Object>> rows(long orderId) {
        List<Map<String, Object>> rows = new ArrayList<>(items.size());
        int line = 1;
        for (Item item : items) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("order_id", orderId);
            row.put("line_no", (long) line++);
            row.put("product_id", item.productId());
            row.put("quantity", item.quantity() == null ? null : (long) item.quantity());
            row.put("unit_price", item.unitPrice());
            rows.add(row);
        }
        return rows;
    }
}
