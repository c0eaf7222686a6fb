-- The position of the document each parent's extracted rows come from. Documents are guarded on their own: an
-- update that did not send its LOB (Debezium's unavailable placeholder) changes the row, not its extracted rows, so
-- a document that arrives late but is newer than the rows' source must still replace them.
CREATE TABLE cdc_extraction_positions (
    target      text NOT NULL,
    parent_key  text NOT NULL,
    source_scn  bigint NOT NULL,
    source_seq  bigint NOT NULL,
    PRIMARY KEY (target, parent_key)
);
