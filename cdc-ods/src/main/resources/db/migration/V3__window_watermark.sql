-- Revenue windows close: once the watermark (the newest source commit time seen, minus the allowed lateness)
-- passes a window's end, the window is final; a change that would still touch it is counted, not applied.
ALTER TABLE cdc_order_revenue_5m
    ADD COLUMN closed       boolean NOT NULL DEFAULT false,
    ADD COLUMN late_changes bigint  NOT NULL DEFAULT 0;

CREATE TABLE cdc_watermarks (
    name       text PRIMARY KEY,
    watermark  timestamp NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
