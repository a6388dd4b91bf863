-- Accepted device reports, exactly as the device signed them.
CREATE TABLE reports (
    device      BYTEA  NOT NULL CHECK (octet_length(device) = 32),
    sequence    BIGINT NOT NULL,
    epoch       BIGINT NOT NULL,
    bytes       BYTEA  NOT NULL CHECK (octet_length(bytes) = 170),
    received_at BIGINT NOT NULL,
    PRIMARY KEY (device, sequence)
);
CREATE INDEX reports_by_epoch ON reports (epoch, device, sequence);

-- The highest sequence accepted per device: a report must go above it
-- (the replay check, atomic with the insert).
CREATE TABLE device_sequences (
    device   BYTEA  PRIMARY KEY CHECK (octet_length(device) = 32),
    sequence BIGINT NOT NULL
);
