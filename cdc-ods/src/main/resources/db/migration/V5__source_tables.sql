-- Which source table each ODS state table holds, claimed by the first change that lands there: a second source
-- table that maps to the same name (SALES.CUSTOMERS and DEBEZIUM.CUSTOMERS) is refused, never merged into it.
-- The newest truncate of the source table is kept here too: a change older than it, arriving late, is stale.
CREATE TABLE cdc_source_tables (
    table_name     text PRIMARY KEY,
    source_table   text NOT NULL,
    truncated_scn  bigint,
    truncated_seq  bigint,
    claimed_at     timestamptz NOT NULL DEFAULT now()
);

-- The schema-change events the connector published (its DDL), as they arrived; the ODS follows the row events'
-- own schemas, so these are a record for operators, not instructions.
CREATE TABLE cdc_source_ddl (
    id            bigserial PRIMARY KEY,
    source_table  text,
    ddl           text,
    source_ts     timestamptz,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (source_table, ddl, source_ts)
);
