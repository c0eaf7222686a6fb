-- Orders whose enriched row must be recomputed. The transaction that changes a join input (an order, an item, a
-- customer, a product) queues the orders it affects; the one that recomputes an order removes it. Applying a batch's
-- changes and recomputing its orders are separate steps, run by many writers at once (Spark's executors): a crash
-- between them leaves the work queued for the next batch, and an order is recomputed by one writer at a time.
CREATE TABLE cdc_pending_orders (
    order_id   text PRIMARY KEY,
    queued_at  timestamptz NOT NULL DEFAULT now()
);
