-- NO_SHOW: own RESERVED bookings whose start (plus the terms' noshow_timeout) has passed, found by the cron job.
CREATE INDEX bookings_reserved_by_start ON bookings (reservation_status, start_ms);
