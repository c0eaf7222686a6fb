package dev.cdc.generator.schema;

import dev.cdc.common.event.TableId;
import java.util.List;

/** The simulated Oracle schema SALES (DESIGN section 5). */
public final class SalesSchema {

    public static final String SCHEMA = "SALES";

    public static final TableId ORDERS = new TableId(SCHEMA, "ORDERS");
    public static final TableId ORDER_ITEMS = new TableId(SCHEMA, "ORDER_ITEMS");
    public static final TableId CUSTOMERS = new TableId(SCHEMA, "CUSTOMERS");
    public static final TableId PRODUCTS = new TableId(SCHEMA, "PRODUCTS");
    public static final TableId AUDIT_LOG = new TableId(SCHEMA, "AUDIT_LOG");

    private static final OracleType ID = new OracleType.Number(10, 0);
    private static final OracleType MONEY_15 = new OracleType.Number(15, 2);
    private static final OracleType MONEY_10 = new OracleType.Number(10, 2);
    private static final OracleType TS_MILLIS = new OracleType.Timestamp(3);
    private static final OracleType TS_MICROS = new OracleType.Timestamp(6);

    public static final TableDefinition ORDERS_TABLE = new TableDefinition(ORDERS, "ORDER_ID", List.of(
            Column.required("ORDER_ID", ID),
            Column.required("CUSTOMER_ID", ID),
            Column.required("ORDER_DATE", TS_MILLIS),
            Column.required("STATUS", new OracleType.Varchar2(20)),
            Column.required("TOTAL_AMOUNT", MONEY_15),
            Column.xml("SHIPPING_INFO"),
            Column.required("CREATED_AT", TS_MICROS),
            Column.required("UPDATED_AT", TS_MICROS)));

    public static final TableDefinition ORDER_ITEMS_TABLE = new TableDefinition(ORDER_ITEMS, "ITEM_ID", List.of(
            Column.required("ITEM_ID", ID),
            Column.required("ORDER_ID", ID),
            Column.required("PRODUCT_ID", ID),
            Column.required("QUANTITY", new OracleType.Number(5, 0)),
            Column.required("UNIT_PRICE", MONEY_10),
            Column.required("SUBTOTAL", MONEY_15)));

    public static final TableDefinition CUSTOMERS_TABLE = new TableDefinition(CUSTOMERS, "CUSTOMER_ID", List.of(
            Column.required("CUSTOMER_ID", ID),
            Column.required("NAME", new OracleType.Varchar2(100)),
            Column.nullable("EMAIL", new OracleType.Varchar2(100)),
            Column.required("TIER", new OracleType.Varchar2(20)),
            Column.required("REGION", new OracleType.Varchar2(50)),
            Column.xml("ADDRESSES"),
            Column.required("CREATED_AT", TS_MICROS)));

    public static final TableDefinition PRODUCTS_TABLE = new TableDefinition(PRODUCTS, "PRODUCT_ID", List.of(
            Column.required("PRODUCT_ID", ID),
            Column.required("NAME", new OracleType.Varchar2(200)),
            Column.required("CATEGORY", new OracleType.Varchar2(50)),
            Column.required("PRICE", MONEY_10),
            Column.required("STOCK_QTY", ID),
            Column.required("IS_ACTIVE", new OracleType.Number(1, 0))));

    public static final TableDefinition AUDIT_LOG_TABLE = new TableDefinition(AUDIT_LOG, "LOG_ID", List.of(
            Column.required("LOG_ID", ID),
            Column.required("TABLE_NAME", new OracleType.Varchar2(50)),
            Column.required("OPERATION", new OracleType.Varchar2(10)),
            Column.required("RECORD_ID", new OracleType.Varchar2(100)),
            Column.required("CHANGED_BY", new OracleType.Varchar2(50)),
            Column.required("CHANGED_AT", new OracleType.Timestamp(0))));

    /** In dependency order: a table's parents come before it. */
    public static final List<TableDefinition> TABLES = List.of(
            CUSTOMERS_TABLE, PRODUCTS_TABLE, ORDERS_TABLE, ORDER_ITEMS_TABLE, AUDIT_LOG_TABLE);

    private SalesSchema() {
    }

    public static TableDefinition table(String name) {
        for (TableDefinition t : TABLES) {
            if (t.id().table().equalsIgnoreCase(name) || t.id().toString().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown table \"" + name + "\"; expected one of ORDERS, ORDER_ITEMS, CUSTOMERS, PRODUCTS, AUDIT_LOG");
    }
}
