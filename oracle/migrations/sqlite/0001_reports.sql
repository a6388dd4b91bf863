-- Accepted device reports, exactly as the device signed them.
CREATE TABLE reports (
    device      BLOB    NOT NULL CHECK (length(device) = 32),
    sequence    INTEGER NOT NULL,
    epoch       INTEGER NOT NULL,
    bytes       BLOB    NOT NULL CHECK (length(bytes) = 170),
    received_at INTEGER NOT NULL,
    PRIMARY KEY (device, sequence)
) WITHOUT ROWID;
CREATE INDEX reports_by_epoch ON reports (epoch, device, sequence);

-- The highest sequence accepted per device: a report must go above it
-- (the replay check, atomic with the insert).
CREATE TABLE device_sequences (
    device   BLOB    PRIMARY KEY CHECK (length(device) = 32),
    sequence INTEGER NOT NULL
) WITHOUT ROWID;
