-- The ODS as the pipeline starts it. Tables of other source tables, and columns that schema changes add, are
-- created at run time from the events' Debezium schemas and recorded in cdc_schema_changes.

-- State tables: one row per source key, its latest change by position (scn, sequence); a delete leaves a tombstone.
-- Metadata on every state table: _source_scn/_source_seq (position guard), _source_ts (source commit time),
-- _op (c/u/d/r), _deleted, _processed_at, _extra (values not held in a typed column).
CREATE TABLE cdc_orders (
    order_id      bigint PRIMARY KEY,
    customer_id   bigint,
    order_date    timestamp,
    status        text,
    total_amount  numeric,
    created_at    timestamp,
    updated_at    timestamp,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _source_ts    timestamptz,
    _op           char(1) NOT NULL,
    _deleted      boolean NOT NULL DEFAULT false,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    _extra        jsonb
);
CREATE INDEX cdc_orders_customer ON cdc_orders (customer_id);

CREATE TABLE cdc_order_items (
    item_id       bigint PRIMARY KEY,
    order_id      bigint,
    product_id    bigint,
    quantity      integer,
    unit_price    numeric,
    subtotal      numeric,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _source_ts    timestamptz,
    _op           char(1) NOT NULL,
    _deleted      boolean NOT NULL DEFAULT false,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    _extra        jsonb
);
CREATE INDEX cdc_order_items_order ON cdc_order_items (order_id);
CREATE INDEX cdc_order_items_product ON cdc_order_items (product_id);

CREATE TABLE cdc_customers (
    customer_id   bigint PRIMARY KEY,
    name          text,
    email         text,
    tier          text,
    region        text,
    created_at    timestamp,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _source_ts    timestamptz,
    _op           char(1) NOT NULL,
    _deleted      boolean NOT NULL DEFAULT false,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    _extra        jsonb
);

CREATE TABLE cdc_products (
    product_id    bigint PRIMARY KEY,
    name          text,
    category      text,
    price         numeric,
    stock_qty     bigint,
    is_active     smallint,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _source_ts    timestamptz,
    _op           char(1) NOT NULL,
    _deleted      boolean NOT NULL DEFAULT false,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    _extra        jsonb
);

CREATE TABLE cdc_audit_log (
    log_id        bigint PRIMARY KEY,
    table_name    text,
    operation     text,
    record_id     text,
    changed_by    text,
    changed_at    timestamp,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _source_ts    timestamptz,
    _op           char(1) NOT NULL,
    _deleted      boolean NOT NULL DEFAULT false,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    _extra        jsonb
);

-- Extracted from XML columns: replaced whole when the parent's document changes, removed with the parent.
CREATE TABLE cdc_order_items_extracted (
    order_id      bigint NOT NULL,
    line_no       integer NOT NULL,
    product_id    bigint,
    quantity      bigint,
    unit_price    numeric,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE cdc_customer_addresses_extracted (
    customer_id   bigint NOT NULL,
    line_no       integer NOT NULL,
    address_type  text,
    street        text,
    city          text,
    zip           text,
    _source_scn   bigint NOT NULL,
    _source_seq   bigint NOT NULL,
    _processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, line_no)
);

-- The 3-way join: one row per live order (EnrichedOrderDefinition), recomputed for exactly the orders a batch touched.
CREATE TABLE cdc_orders_enriched (
    order_id        bigint PRIMARY KEY,
    customer_id     bigint,
    customer_tier   text,
    created_at      timestamp,
    item_count      integer NOT NULL,
    items_total     numeric NOT NULL,
    enriched        jsonb NOT NULL,
    _recomputed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cdc_orders_enriched_window ON cdc_orders_enriched (created_at);

-- Orders, revenue and average order value per 5-minute window of the order's creation x customer tier x product
-- category (an order counts once in each category its items fall in; revenue is the subtotal of those items).
CREATE TABLE cdc_order_revenue_5m (
    window_start     timestamp NOT NULL,
    window_end       timestamp NOT NULL,
    customer_tier    text NOT NULL,
    product_category text NOT NULL,
    orders           bigint NOT NULL,
    revenue          numeric NOT NULL,
    avg_order_value  numeric NOT NULL,
    _recomputed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, customer_tier, product_category)
);

-- Changes that could not be applied: bad in themselves, never a transient fault.
CREATE TABLE cdc_dlq (
    id              bigserial PRIMARY KEY,
    fingerprint     text NOT NULL UNIQUE,      -- topic, key, position and error: a replayed batch does not add a row
    topic           text NOT NULL,
    message_key     text,
    source_scn      bigint,
    error_type      text NOT NULL,
    error_message   text NOT NULL,
    retry_count     integer NOT NULL DEFAULT 0,
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    last_failed_at  timestamptz NOT NULL DEFAULT now(),
    consumer_id     text NOT NULL,
    properties      jsonb,
    payload         bytea NOT NULL,
    replayed_at     timestamptz
);
CREATE INDEX cdc_dlq_error_type ON cdc_dlq (error_type);

-- Every runtime DDL and every type change met, with what was done about it.
CREATE TABLE cdc_schema_changes (
    id           bigserial PRIMARY KEY,
    table_name   text NOT NULL,
    column_name  text,
    change       text NOT NULL,             -- CREATE_TABLE, ADD_COLUMN, TYPE_COERCED, TYPE_REJECTED
    old_type     text,
    new_type     text,
    ddl          text,
    source_scn   bigint,
    detected_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (table_name, column_name, change, old_type, new_type)
);

-- The last batch each consumer applied, written in the batch's own transaction: a replayed batch is recognised.
CREATE TABLE cdc_applied_batches (
    consumer_id  text PRIMARY KEY,
    batch_id     bigint NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    events       integer NOT NULL
);
