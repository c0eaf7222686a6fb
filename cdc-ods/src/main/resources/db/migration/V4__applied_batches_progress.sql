-- cdc_applied_batches no longer decides anything: a batch id is unique only within one Spark checkpoint (a new
-- checkpoint, or a second consumer with the same id, numbers batches from 0 again), so skipping by it lost data.
-- Replays are recognised row by row by the position guard; this table only shows each consumer's last batch.
COMMENT ON TABLE cdc_applied_batches IS 'the last batch each consumer applied (progress for operators; never used to skip a batch)';
