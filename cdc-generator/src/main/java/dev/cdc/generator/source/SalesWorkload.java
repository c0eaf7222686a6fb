package dev.cdc.generator.source;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.OperationMix;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.SourceClock;
import dev.cdc.generator.schema.Column;
import dev.cdc.generator.schema.OracleType;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.generator.xml.Addresses;
import dev.cdc.generator.xml.ShippingInfo;
import dev.cdc.generator.xml.XmlDocument;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What happens in schema SALES: the initial snapshot, random changes by the configured shares and operation mixes
 * with referential integrity at every SCN, and the scenarios. Owns the XML documents written, so the truth knows
 * what their extraction must yield.
 */
public final class SalesWorkload {

    private static final ConnectSchema ADDRESS_STRUCT = ConnectSchema.builder(SchemaType.STRUCT)
            .name("SALES.CUSTOMERS.ADDRESS")
            .field("CITY", ConnectSchema.of(SchemaType.STRING, true))
            .field("ZIP", ConnectSchema.of(SchemaType.STRING, true))
            .build();

    private final GeneratorConfig config;
    private final SplittableRandom random;
    private final FakeValues fake;
    private final SimulatedDatabase db;
    private final SourceTable customers;
    private final SourceTable products;
    private final SourceTable orders;
    private final SourceTable items;
    private final SourceTable audit;
    private final KeyPool activeProducts = new KeyPool(SourceTable.FIRST_KEY);
    private final Map<Long, XmlDocument> shipping = new HashMap<>();
    private final Map<Long, XmlDocument> addresses = new HashMap<>();
    private final List<ExpectedDeadLetter> deadLetters = new ArrayList<>();
    private final List<TableId> drawTables = new ArrayList<>();
    private final int[] cumulativeShares;

    public SalesWorkload(GeneratorConfig config, SourceClock clock) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.fake = new FakeValues(config.seed());
        this.db = new SimulatedDatabase(SalesSchema.TABLES, config.tables(), config.decimalMode(),
                config.serverName(), clock, random);
        customers = db.table(SalesSchema.CUSTOMERS);
        products = db.table(SalesSchema.PRODUCTS);
        orders = db.table(SalesSchema.ORDERS);
        items = db.table(SalesSchema.ORDER_ITEMS);
        audit = db.table(SalesSchema.AUDIT_LOG);
        List<Integer> cumulative = new ArrayList<>();
        int sum = 0;
        for (TableId t : config.shares().keySet().stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList()) {
            int share = config.shares().get(t);
            if (config.captures(t) && share > 0) {
                sum += share;
                drawTables.add(t);
                cumulative.add(sum);
            }
        }
        cumulativeShares = cumulative.stream().mapToInt(Integer::intValue).toArray();
    }

    public SimulatedDatabase database() {
        return db;
    }

    public SourceTable table(TableId id) {
        return db.table(id);
    }

    /** The XML documents of live rows by parent key, per extraction target table. */
    public Map<String, Map<Long, XmlDocument>> xmlDocuments() {
        Map<String, Map<Long, XmlDocument>> out = new LinkedHashMap<>();
        if (db.captures(SalesSchema.ORDERS)) {
            out.put(ShippingInfo.TARGET_TABLE, Collections.unmodifiableMap(shipping));
        }
        if (db.captures(SalesSchema.CUSTOMERS)) {
            out.put(Addresses.TARGET_TABLE, Collections.unmodifiableMap(addresses));
        }
        return out;
    }

    public List<ExpectedDeadLetter> expectedDeadLetters() {
        return Collections.unmodifiableList(deadLetters);
    }

    public void expectDeadLetter(ExpectedDeadLetter letter) {
        deadLetters.add(letter);
    }

    // ------------------------------------------------------------------ snapshot

    /** The initial snapshot (op = r): customers, products, orders and 1-3 items per order; the last one says so. */
    public List<ChangeEvent> snapshot() {
        List<ChangeEvent> out = new ArrayList<>();
        int orderCount = config.snapshotOrders();
        int parents = orderCount == 0 ? 0 : Math.max(1, orderCount / 2);
        long sequence = 0;
        for (int i = 0; i < parents; i++) {
            long key = customers.nextKey();
            add(out, db.snapshotRow(SalesSchema.CUSTOMERS, newCustomer(key), ++sequence));
        }
        for (int i = 0; i < parents; i++) {
            long key = products.nextKey();
            Object[] values = newProduct(key);
            add(out, db.snapshotRow(SalesSchema.PRODUCTS, values, ++sequence));
            trackActive(key, values);
        }
        for (int i = 0; i < orderCount; i++) {
            long key = orders.nextKey();
            long customer = customers.live.pick(random);
            add(out, db.snapshotRow(SalesSchema.ORDERS, newOrder(key, customer), ++sequence));
            customers.reference(customer);
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                long itemKey = items.nextKey();
                long product = activeProducts.size() > 0 ? activeProducts.pick(random) : products.live.pick(random);
                add(out, db.snapshotRow(SalesSchema.ORDER_ITEMS, newItem(itemKey, key, product), ++sequence));
                orders.reference(key);
                products.reference(product);
            }
        }
        db.endSnapshot();
        if (!out.isEmpty()) {
            ChangeEvent last = out.remove(out.size() - 1);
            SourceInfo s = last.source();
            out.add(new ChangeEvent(last.valueSchema(), last.op(), null, last.after(),
                    new SourceInfo(s.version(), s.connector(), s.name(), s.tsMs(), "last", s.db(), s.sequence(),
                            s.schema(), s.table(), s.txId(), s.scn(), s.commitScn()),
                    last.tsMs(), null, last.key()));
        }
        return out;
    }

    private static void add(List<ChangeEvent> out, ChangeEvent event) {
        if (event != null) {
            out.add(event);
        }
    }

    // ------------------------------------------------------------------ random changes

    /** One transaction of {@code size} captured changes drawn by share and operation mix. */
    public List<ChangeEvent> randomTransaction(int size) {
        db.begin();
        int captured = 0;
        for (int attempts = 0; captured < size && attempts < size * 20; attempts++) {
            TableId table = drawTable();
            captured += change(table, drawOperation(table)) ? 1 : 0;
        }
        return db.commit();
    }

    private TableId drawTable() {
        int x = random.nextInt(cumulativeShares[cumulativeShares.length - 1]);
        for (int i = 0; i < cumulativeShares.length; i++) {
            if (x < cumulativeShares[i]) {
                return drawTables.get(i);
            }
        }
        throw new IllegalStateException("share draw out of range");
    }

    private Operation drawOperation(TableId table) {
        OperationMix mix = config.mixes().get(table);
        int x = random.nextInt(100);
        return x < mix.insert() ? Operation.CREATE : x < mix.insert() + mix.update() ? Operation.UPDATE : Operation.DELETE;
    }

    /** Makes one change, falling back to what integrity allows; returns whether the changed table is captured. */
    private boolean change(TableId table, Operation op) {
        SourceTable t = db.table(table);
        if (op == Operation.DELETE) {
            long key = t.deletable.pick(random);
            if (key < 0) {
                return change(table, Operation.UPDATE);
            }
            delete(t, key);
            return db.captures(table);
        }
        if (op == Operation.UPDATE) {
            long key = t.live.pick(random);
            if (key < 0) {
                return change(table, Operation.CREATE);
            }
            update(t, key);
            return db.captures(table);
        }
        return insert(t);
    }

    private boolean insert(SourceTable t) {
        if (t == customers) {
            db.insert(customers.id(), newCustomer(customers.nextKey()));
        } else if (t == products) {
            long key = products.nextKey();
            Object[] values = newProduct(key);
            db.insert(products.id(), values);
            trackActive(key, values);
        } else if (t == orders) {
            long customer = customers.live.pick(random);
            if (customer < 0) {
                return insert(customers);
            }
            long key = orders.nextKey();
            db.insert(orders.id(), newOrder(key, customer));
            customers.reference(customer);
        } else if (t == items) {
            long order = orders.live.pickRecent(random, 200);
            if (order < 0) {
                return insert(orders);
            }
            long product = activeProducts.pick(random);
            if (product < 0) {
                return insert(products);
            }
            db.insert(items.id(), newItem(items.nextKey(), order, product));
            orders.reference(order);
            products.reference(product);
        } else {
            db.insert(audit.id(), newAuditEntry(audit.nextKey()));
        }
        return db.captures(t.id());
    }

    private void update(SourceTable t, long key) {
        Object[] v = t.copyForChange(key);
        if (t == customers) {
            switch (random.nextInt(4)) {
                case 0 -> set(t, v, "TIER", FakeValues.pick(FakeValues.TIERS, random));
                case 1 -> set(t, v, "EMAIL", fake.email(random));
                case 2 -> set(t, v, "REGION", FakeValues.pick(FakeValues.REGIONS, random));
                default -> {
                    if (!t.isPinned(key) && random.nextInt(3) == 0) {
                        set(t, v, "ADDRESSES", addressDocument(key, random.nextInt(4) == 0 ? null : randomAddresses()));
                    } else {
                        set(t, v, "TIER", FakeValues.pick(FakeValues.TIERS, random));
                    }
                }
            }
            fillEvolvedCustomerColumns(t, v);
        } else if (t == products) {
            if (random.nextInt(2) == 0) {
                set(t, v, "PRICE", money(1, 1000));
            } else {
                set(t, v, "STOCK_QTY", (long) random.nextInt(5000));
            }
            if (random.nextInt(20) == 0) {
                set(t, v, "IS_ACTIVE", (byte) (Byte.valueOf((byte) 1).equals(get(t, v, "IS_ACTIVE")) ? 0 : 1));
            }
            fillEvolvedProductColumns(t, v);
            trackActive(key, v);
        } else if (t == orders) {
            set(t, v, "STATUS", nextStatus((String) get(t, v, "STATUS")));
            set(t, v, "UPDATED_AT", micros());
            if (random.nextInt(5) == 0) {
                set(t, v, "TOTAL_AMOUNT", money(10, 5000));
            }
            if (!t.isPinned(key) && random.nextInt(10) == 0) {
                set(t, v, "SHIPPING_INFO", shippingDocument(key, random.nextInt(3) == 0 ? null : randomShipping()));
            }
        } else if (t == items) {
            long quantity = 1 + random.nextInt(10);
            set(t, v, "QUANTITY", (int) quantity);
            BigDecimal price = (BigDecimal) get(t, v, "UNIT_PRICE");
            set(t, v, "SUBTOTAL", price.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.UNNECESSARY));
        } else {
            set(t, v, "CHANGED_BY", FakeValues.pick(FakeValues.USERS, random));
        }
        db.update(t.id(), key, v);
    }

    private void delete(SourceTable t, long key) {
        Object[] v = t.row(key).values;
        db.delete(t.id(), key);
        if (t == orders) {
            customers.release((Long) get(t, v, "CUSTOMER_ID"));
            shipping.remove(key);
        } else if (t == items) {
            orders.release((Long) get(t, v, "ORDER_ID"));
            products.release((Long) get(t, v, "PRODUCT_ID"));
        } else if (t == customers) {
            addresses.remove(key);
        } else if (t == products) {
            activeProducts.remove(key);
        }
    }

    // ------------------------------------------------------------------ scenarios

    /** Messages a scenario's transaction produces, so the caller can tell whether it still fits the run. */
    public static int size(Scenario scenario) {
        return scenario == Scenario.X6 || scenario == Scenario.X8 ? 2 : 1;
    }

    /** Plays one schema or XML scenario (S1-S6, X1-X8) as one transaction and returns its events. */
    public List<ChangeEvent> play(Scenario scenario) {
        db.begin();
        switch (scenario) {
            case S1 -> {
                customers.addColumn(Column.nullable("LOYALTY_POINTS", new OracleType.Number(10, 0)));
                updateOne(customers, v -> set(customers, v, "LOYALTY_POINTS", 1000L + random.nextInt(9000)));
            }
            case S2 -> {
                customers.dropColumn("EMAIL");
                updateOne(customers, v -> set(customers, v, "TIER", FakeValues.pick(FakeValues.TIERS, random)));
            }
            case S3 -> {
                products.addColumn(Column.nullable("WEIGHT_KG", new OracleType.Number(8, 3)));
                products.addColumn(Column.nullable("SUPPLIER", new OracleType.Varchar2(100)));
                products.addColumn(Column.nullable("LAUNCHED_AT", new OracleType.Timestamp(6)));
                updateOne(products, v -> fillEvolvedProductColumns(products, v, true));
            }
            case S4 -> {
                products.writeColumnAs("STOCK_QTY", ConnectSchema.of(SchemaType.STRING, false));
                updateOne(products, v -> set(products, v, "STOCK_QTY", 100L));
            }
            case S5 -> {
                customers.addColumn(Column.nullable("ADDRESS", new OracleType.Nested(ADDRESS_STRUCT)));
                updateOne(customers, v -> set(customers, v, "ADDRESS", addressStruct()));
            }
            case S6 -> {
                products.addColumn(Column.nullable("BRAND", new OracleType.Varchar2(100)));
                long item = items.live.pick(random);
                long product = item >= 0 ? (Long) get(items, items.row(item).values, "PRODUCT_ID") : ensureProduct();
                Object[] v = products.copyForChange(product);
                set(products, v, "BRAND", fake.brand(random));
                db.update(products.id(), product, v);
            }
            case X1 -> pinnedOrder(new ShippingInfo(items(3), "EXPRESS", fake.street(random), 3, ShippingInfo.Shape.ATTRIBUTES));
            case X2 -> pinnedOrder(new ShippingInfo(List.of(), "STANDARD", fake.street(random), 5, ShippingInfo.Shape.ELEMENTS));
            case X3 -> {
                long key = pinnedOrder(XmlDocument.malformed(
                        "<shipping_info><items><item product_id=\"1001\" quantity=\"2\"></items></shipping_info"));
                // only a captured ORDERS sends the document: otherwise there is nothing to dead-letter
                if (db.captures(orders.id())) {
                    deadLetters.add(new ExpectedDeadLetter("cdc/oracle/SALES/ORDERS/insert", orders.key(key),
                            ExpectedDeadLetter.Reason.MALFORMED_XML));
                }
            }
            case X4 -> pinnedOrder(new ShippingInfo(List.of(
                    new ShippingInfo.Item(productKey(), 2, new BigDecimal("19.99")),
                    new ShippingInfo.Item(productKey(), null, new BigDecimal("5.00")),
                    new ShippingInfo.Item(productKey(), 4, null),
                    new ShippingInfo.Item(null, 1, new BigDecimal("7.50"))),
                    "STANDARD", fake.street(random), 4, ShippingInfo.Shape.ATTRIBUTES));
            case X5 -> pinnedOrder(new ShippingInfo(items(4), "OVERNIGHT", fake.street(random), 1, ShippingInfo.Shape.PACKAGES));
            case X6 -> {
                pinnedOrder(new ShippingInfo(items(150), "STANDARD", fake.street(random), 6, ShippingInfo.Shape.ATTRIBUTES));
                pinnedOrder(new ShippingInfo(items(25_000), "FREIGHT", fake.street(random), 14, ShippingInfo.Shape.ELEMENTS));
            }
            case X7 -> pinnedOrder(null);
            case X8 -> {
                long customer = customers.nextKey();
                customers.pin(customer);
                Object[] v = newCustomer(customer);
                set(customers, v, "NAME", "Zoë Ångström-Müller 山田太郎 🚀");
                set(customers, v, "ADDRESSES", addressDocument(customer, new Addresses(List.of(
                        new Addresses.Address("billing", "Bahnhofstraße 7 ½", "Zürich", "8001"),
                        new Addresses.Address("shipping", "千代田区丸の内1-1 🏢", "東京", "100-0005"),
                        new Addresses.Address("home", "Rua São João, nº 5 — apto 🏠", "São Paulo", "01035-000")), false)));
                db.insert(customers.id(), v);
                long order = orders.nextKey();
                orders.pin(order);
                Object[] o = newOrder(order, customer);
                set(orders, o, "SHIPPING_INFO", shippingDocument(order, new ShippingInfo(items(2), "ÉCLAIR-EXPRÈS 🚚",
                        "Øster Allé 3, København — 東京 📦", 2, ShippingInfo.Shape.ELEMENTS)));
                db.insert(orders.id(), o);
                customers.reference(customer);
            }
            default -> throw new IllegalArgumentException(scenario + " is not played by the workload");
        }
        return db.commit();
    }

    private void updateOne(SourceTable t, java.util.function.Consumer<Object[]> change) {
        long key = t.live.pick(random);
        if (key < 0) {
            key = t == customers ? ensureCustomer() : ensureProduct();
        }
        Object[] v = t.copyForChange(key);
        change.accept(v);
        db.update(t.id(), key, v);
    }

    private long pinnedOrder(XmlDocument document) {
        long customer = customers.live.pick(random);
        if (customer < 0) {
            customer = ensureCustomer();
        }
        long key = orders.nextKey();
        orders.pin(key);
        Object[] v = newOrder(key, customer);
        set(orders, v, "SHIPPING_INFO", shippingDocument(key, document));
        db.insert(orders.id(), v);
        customers.reference(customer);
        return key;
    }

    private long ensureCustomer() {
        long key = customers.nextKey();
        db.insert(customers.id(), newCustomer(key));
        return key;
    }

    private long ensureProduct() {
        long key = products.nextKey();
        Object[] values = newProduct(key);
        db.insert(products.id(), values);
        trackActive(key, values);
        return key;
    }

    // ------------------------------------------------------------------ values

    private Object[] newCustomer(long key) {
        Object[] v = customers.newValues();
        set(customers, v, "CUSTOMER_ID", key);
        set(customers, v, "NAME", fake.name(random));
        set(customers, v, "EMAIL", fake.email(random));
        set(customers, v, "TIER", FakeValues.pick(FakeValues.TIERS, random));
        set(customers, v, "REGION", FakeValues.pick(FakeValues.REGIONS, random));
        set(customers, v, "ADDRESSES", addressDocument(key, random.nextInt(10) < 6 ? randomAddresses() : null));
        set(customers, v, "CREATED_AT", micros());
        fillEvolvedCustomerColumns(customers, v);
        return v;
    }

    private void fillEvolvedCustomerColumns(SourceTable t, Object[] v) {
        if (t.hasColumn("LOYALTY_POINTS") && random.nextInt(2) == 0) {
            set(t, v, "LOYALTY_POINTS", (long) random.nextInt(20_000));
        }
        if (t.hasColumn("ADDRESS") && random.nextInt(2) == 0) {
            set(t, v, "ADDRESS", addressStruct());
        }
    }

    private Map<String, Object> addressStruct() {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("CITY", fake.city(random));
        address.put("ZIP", fake.zip(random));
        return address;
    }

    private Object[] newProduct(long key) {
        Object[] v = products.newValues();
        set(products, v, "PRODUCT_ID", key);
        set(products, v, "NAME", fake.productName(random));
        set(products, v, "CATEGORY", FakeValues.pick(FakeValues.CATEGORIES, random));
        set(products, v, "PRICE", money(1, 1000));
        set(products, v, "STOCK_QTY", (long) random.nextInt(5000));
        set(products, v, "IS_ACTIVE", (byte) (random.nextInt(10) < 8 ? 1 : 0));
        fillEvolvedProductColumns(products, v);
        return v;
    }

    private void fillEvolvedProductColumns(SourceTable t, Object[] v) {
        fillEvolvedProductColumns(t, v, random.nextInt(2) == 0);
    }

    private void fillEvolvedProductColumns(SourceTable t, Object[] v, boolean fill) {
        if (!fill) {
            return;
        }
        if (t.hasColumn("WEIGHT_KG")) {
            set(t, v, "WEIGHT_KG", BigDecimal.valueOf(random.nextInt(1, 50_000), 3));
            set(t, v, "SUPPLIER", fake.supplier(random));
            set(t, v, "LAUNCHED_AT", micros().minusDays(random.nextInt(1000)));
        }
        if (t.hasColumn("BRAND")) {
            set(t, v, "BRAND", fake.brand(random));
        }
    }

    private Object[] newOrder(long key, long customer) {
        Object[] v = orders.newValues();
        set(orders, v, "ORDER_ID", key);
        set(orders, v, "CUSTOMER_ID", customer);
        set(orders, v, "ORDER_DATE", db.clock().now().truncatedTo(ChronoUnit.MILLIS));
        set(orders, v, "STATUS", "PENDING");
        set(orders, v, "TOTAL_AMOUNT", money(10, 5000));
        set(orders, v, "SHIPPING_INFO", shippingDocument(key, random.nextInt(10) < 3 ? randomShipping() : null));
        LocalDateTime now = micros();
        set(orders, v, "CREATED_AT", now);
        set(orders, v, "UPDATED_AT", now);
        return v;
    }

    private Object[] newItem(long key, long order, long product) {
        Object[] v = items.newValues();
        BigDecimal price = (BigDecimal) get(products, products.row(product).values, "PRICE");
        int quantity = 1 + random.nextInt(10);
        set(items, v, "ITEM_ID", key);
        set(items, v, "ORDER_ID", order);
        set(items, v, "PRODUCT_ID", product);
        set(items, v, "QUANTITY", quantity);
        set(items, v, "UNIT_PRICE", price);
        set(items, v, "SUBTOTAL", price.multiply(BigDecimal.valueOf(quantity)));
        return v;
    }

    private Object[] newAuditEntry(long key) {
        Object[] v = audit.newValues();
        set(audit, v, "LOG_ID", key);
        set(audit, v, "TABLE_NAME", FakeValues.pick(List.of("ORDERS", "ORDER_ITEMS", "CUSTOMERS", "PRODUCTS"), random));
        set(audit, v, "OPERATION", FakeValues.pick(List.of("INSERT", "UPDATE", "DELETE"), random));
        set(audit, v, "RECORD_ID", Long.toString(1001 + random.nextInt(100_000)));
        set(audit, v, "CHANGED_BY", FakeValues.pick(FakeValues.USERS, random));
        set(audit, v, "CHANGED_AT", db.clock().now().truncatedTo(ChronoUnit.SECONDS));
        return v;
    }

    private String shippingDocument(long order, XmlDocument document) {
        return remember(shipping, order, document);
    }

    private String addressDocument(long customer, XmlDocument document) {
        return remember(addresses, customer, document);
    }

    private static String remember(Map<Long, XmlDocument> documents, long key, XmlDocument document) {
        if (document == null) {
            documents.remove(key);
            return null;
        }
        documents.put(key, document);
        return document.text();
    }

    private ShippingInfo randomShipping() {
        ShippingInfo.Shape shape = random.nextBoolean() ? ShippingInfo.Shape.ATTRIBUTES : ShippingInfo.Shape.ELEMENTS;
        int count = config.shippingItems() > 0 ? config.shippingItems() : 1 + random.nextInt(4);
        return new ShippingInfo(items(count), FakeValues.pick(FakeValues.METHODS, random),
                fake.street(random) + ", " + fake.city(random), 1 + random.nextInt(10), shape);
    }

    private List<ShippingInfo.Item> items(int count) {
        List<ShippingInfo.Item> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new ShippingInfo.Item(productKey(), 1 + random.nextInt(5), money(1, 500)));
        }
        return list;
    }

    private long productKey() {
        long key = products.live.pick(random);
        return key < 0 ? 1001 + random.nextInt(1000) : key;
    }

    private Addresses randomAddresses() {
        List<Addresses.Address> list = new ArrayList<>();
        List<String> types = new ArrayList<>(FakeValues.ADDRESS_TYPES);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            String type = types.remove(random.nextInt(types.size()));
            list.add(new Addresses.Address(type, fake.street(random), fake.city(random), fake.zip(random)));
        }
        return new Addresses(list, random.nextInt(4) == 0);
    }

    private String nextStatus(String status) {
        if (random.nextInt(10) == 0) {
            return "CANCELLED";
        }
        int at = FakeValues.STATUSES.indexOf(status);
        return at < 0 || at >= 3 ? status : FakeValues.STATUSES.get(at + 1);
    }

    private void trackActive(long key, Object[] values) {
        if (Byte.valueOf((byte) 1).equals(get(products, values, "IS_ACTIVE"))) {
            activeProducts.add(key);
        } else {
            activeProducts.remove(key);
        }
    }

    private BigDecimal money(int from, int to) {
        return BigDecimal.valueOf(random.nextLong(from * 100L, to * 100L), 2);
    }

    private LocalDateTime micros() {
        return db.clock().now().plusNanos(random.nextInt(1000) * 1000L);
    }

    private static void set(SourceTable t, Object[] values, String column, Object value) {
        if (!t.isDropped(column)) {
            values[t.columnIndex(column)] = value;
        }
    }

    private static Object get(SourceTable t, Object[] values, String column) {
        int i = t.columnIndex(column);
        return i < values.length ? values[i] : null;
    }
}
