-- Orders whose enriched row must be recomputed. The transaction that changes a join input (an order, an item, a
-- customer, a product) queues the orders it affects; the one that recomputes an order removes its rows. Applying a
-- batch's changes and recomputing its orders are separate steps, run by many writers at once (Spark's executors): a
-- crash between them leaves the work queued for the next batch. Append-only, so writers queueing the same order at
-- once never wait for each other; an order may be queued more than once.
CREATE TABLE cdc_pending_orders (
    id         bigserial PRIMARY KEY,
    order_id   text NOT NULL,
    queued_at  timestamptz NOT NULL DEFAULT now()
);
