-- Whether a stored trajectory follows the ATIF spec. The store keeps documents
-- that depart from it (the departures are reported as warnings when they are
-- saved, see src/schema/atif-findings.ts), and a summary says which ones do:
-- the `conformant` filter and the app's badge read this column.
--
-- Rows saved before this migration were all checked strictly, and testgen rows
-- always are: every existing row is conformant.
ALTER TABLE trajectories ADD COLUMN conformant INTEGER NOT NULL DEFAULT 1 CHECK (conformant IN (0, 1));
